/// `meshctl describe`: the mesh's view of nodes and pods, on any cluster.
enum DescribeCommand {
    /// `-o table|json|yaml`, shared by `describe node` and `describe pod`.
    static let output = OutputFormat.option([.table, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "describe",
        abstract: "Describe nodes and pods from the mesh's point of view",
        discussion: """
            Describe a node or a pod as the mesh sees it. Works against any cluster, local or real, through the
            selected kubeconfig context.
            """,
        examples: [
            .init("Describe a node by name or IP", "meshctl describe node 10.0.0.12"),
            .init("Describe a pod in namespace shop", "meshctl describe pod reviews-v1-7d8f.shop"),
        ],
        subcommands: [DescribeNodeCommand.spec, DescribePodCommand.spec],
        group: "Mesh Insight"
    )
}
