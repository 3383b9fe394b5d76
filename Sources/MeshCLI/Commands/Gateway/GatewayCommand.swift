import MeshKube

/// `meshctl gateway`: ingress gateways the way Istio models them — one Gateway per entry point, TLS from a
/// secret, hosts bound by VirtualServices.
enum GatewayCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "gateway",
        aliases: ["gw"],
        abstract: "Create, list, describe and delete Istio ingress gateways and their routes",
        discussion: """
            An Istio Gateway opens ports on the ingress gateway pods its selector picks, for the hosts it names,
            with TLS from a Kubernetes secret; a VirtualService bound to the Gateway routes those hosts to
            services. `meshctl gateway create` writes both, `list` and `describe` show what each gateway exposes
            and whether pods serve it, and `delete` removes a gateway with the routes meshctl created for it.
            """,
        examples: [
            .init("HTTPS for shop.example.com, /api to the api service", "meshctl gateway create shop -n web --host shop.example.com --tls-secret shop-cert --route /api=api:8080 --route /=frontend:80"),
            .init("Every gateway on the cluster", "meshctl gateway list -A"),
        ],
        subcommands: [GatewayCreateCommand.spec, GatewayListCommand.spec, GatewayDescribeCommand.spec, GatewayDeleteCommand.spec],
        group: "Traffic"
    )
}

/// What a gateway subcommand acts on: a client, the namespace (-n, else the context's) and the global options.
struct GatewayScope {
    let globals: GlobalOptions
    let client: KubeClient
    let namespace: String

    init(_ invocation: Invocation, _ context: CommandContext) throws {
        globals = GlobalOptions(invocation.options)
        client = try ClusterAccess(invocation, context: context).client(context)
        namespace = globals.namespace ?? client.config.namespace
    }
}
