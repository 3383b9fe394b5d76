/// `meshctl proxy`: the embedded data plane (Istio's Envoy role).
enum ProxyCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "proxy",
        abstract: "Run the embedded sidecar/gateway proxy",
        discussion: """
            The embedded proxy is meshctl's data plane: HTTP/1.1, HTTP/2, TCP and TLS/mTLS proxying with Istio's
            traffic management (VirtualService, DestinationRule, ServiceEntry) applied locally, no Kubernetes
            needed.
            """,
        examples: [
            .init("Proxy 127.0.0.1:8080 to a local app on port 9080", "meshctl proxy run --listen 127.0.0.1:8080 --upstream 127.0.0.1:9080"),
            .init("Run a sidecar from a bootstrap and Istio resources", "meshctl proxy run -f sidecar.yaml"),
        ],
        subcommands: [ProxyRunCommand.spec],
        group: "Local Mesh"
    )
}
