import NIOCore
import NIOPosix

/// A proxy in this process with one TCP listener `main` in front of an `EchoServer`: `listener` goes on at the
/// end of the listener's YAML flow mapping (`, bandwidth: {…}`), `resources` are more YAML documents.
struct EchoSidecar {
    let proxy: ProxyHarness
    let echo: any Channel
    let group: MultiThreadedEventLoopGroup

    var port: Int { proxy.port }

    static func start(listener: String = "", resources: String = "") async throws -> EchoSidecar {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: echo-sidecar}
            spec:
              listeners:
              - {name: main, address: "127.0.0.1:0", protocol: tcp, upstream: "127.0.0.1:\(echo.localAddress!.port!)"\(listener)}
            \(resources.isEmpty ? "" : "---\n" + resources)
            """
        let proxy = try await ProxyHarness.start(yaml: yaml, upstreams: [], shorthand: false)
        return EchoSidecar(proxy: proxy, echo: echo, group: group)
    }

    func stop() async {
        await proxy.stop()
        try? await echo.close().get()
        try? await group.shutdownGracefully()
    }
}
