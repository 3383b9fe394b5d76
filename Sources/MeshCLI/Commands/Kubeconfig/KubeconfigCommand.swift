/// `meshctl kubeconfig`: what meshctl resolved from your kubeconfig.
enum KubeconfigCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "kubeconfig",
        abstract: "Show the kubeconfig contexts and configuration meshctl uses",
        discussion: """
            Show what meshctl reads from your kubeconfig: --kubeconfig if given, else the files in $KUBECONFIG
            (merged: the first file that sets a name wins), else ~/.kube/config, else the pod's service account.
            """,
        examples: [
            .init("List the contexts, marking the one meshctl uses", "meshctl kubeconfig contexts"),
            .init("Show the configuration of the context in use", "meshctl kubeconfig view --minify"),
        ],
        subcommands: [KubeconfigContextsCommand.spec, KubeconfigViewCommand.spec],
        group: "Cluster Access"
    )
}
