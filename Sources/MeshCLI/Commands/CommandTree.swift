import MeshCore

/// The meshctl command tree: the root, its global flags and every command, each declared in its own file.
enum CommandTree {
    static let root: CommandSpec = CommandSpec(
        name: "meshctl",
        abstract: "Operate an Istio-style service mesh, on a cluster or on this machine",
        discussion: """
            meshctl operates an Istio-style service mesh.

            On a Kubernetes cluster running Istio it reads your kubeconfig and works with Istio's own resources;
            in local mode it runs the whole mesh on this machine. Results go to standard output, errors to
            standard error, and the exit code tells scripts what happened.
            """,
        examples: [
            .init("Print meshctl's version as JSON", "meshctl version --client -o json"),
            .init("Install bash completions for the current shell", "source <(meshctl completion bash)"),
        ],
        options: GlobalOptions.all,
        subcommands: [
            InjectCommand.spec,
            UninjectCommand.spec,
            ProxyCommand.spec,
            VersionCommand.spec,
            KubeconfigCommand.spec,
            PKICommand.spec,
            LocalCommand.spec,
            DescribeCommand.spec,
            AuthzCommand.spec,
            ValidateCommand.spec,
            AnalyzeCommand.spec,
            GatewayCommand.spec,
            CompletionCommand.spec,
            HelpCommand.spec,
            CompleteCallbackCommand.spec,
        ]
    )
}
