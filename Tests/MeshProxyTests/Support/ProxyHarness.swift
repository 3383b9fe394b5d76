import Foundation
import MeshCore
import MeshProxy
import NIOCore
import NIOPosix

/// A proxy in this process on an ephemeral 127.0.0.1 port, in front of test upstreams.
struct ProxyHarness {
    let server: ProxyServer
    let clientGroup: MultiThreadedEventLoopGroup

    var port: Int { server.ports["main"] ?? server.ports.first { $0.key != "admin" }!.value }
    func port(_ listener: String) -> Int { server.ports[listener]! }
    var adminPort: Int { server.ports["admin"]! }

    /// Starts a proxy for `yaml` (Istio resources, `UPSTREAM_n` replaced by the ports of `upstreams`), with the
    /// shorthand listener forwarding to the first upstream unless `shorthand` is false.
    static func start(
        yaml: String = "", upstreams: [TestUpstream], shorthand: Bool = true, admin: Bool = true,
        configure: (inout ProxyConfig) -> Void = { _ in }
    ) async throws -> ProxyHarness {
        let config = try config(yaml: yaml, upstreams: upstreams, shorthand: shorthand, admin: admin, configure: configure)
        let server = try ProxyServer(config: config, threads: 1)
        try await server.start()
        return ProxyHarness(server: server, clientGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1))
    }

    /// The config `start` runs with the same arguments (for a reload).
    static func config(
        yaml: String = "", upstreams: [TestUpstream], shorthand: Bool = true, admin: Bool = true,
        configure: (inout ProxyConfig) -> Void = { _ in }
    ) throws -> ProxyConfig {
        var text = yaml
        for (index, upstream) in upstreams.enumerated().reversed() {
            text = text.replacingOccurrences(of: "UPSTREAM_\(index)", with: String(upstream.port))
        }
        let documents = text.isEmpty ? [] : try YAML.parseDocuments(text)
        let short = shorthand
            ? ProxyShorthand(listen: HostPort(host: "127.0.0.1", port: 0), upstream: HostPort(host: "127.0.0.1", port: upstreams[0].port))
            : nil
        var config = try ConfigLoader.load(documents: documents, shorthand: short)
        if admin { config.admin = HostPort(host: "127.0.0.1", port: 0) }
        configure(&config)
        return config
    }

    func get(_ path: String, headers: [(String, String)] = [], method: HTTPMethodName = .GET, body: String? = nil) async throws -> TestClient.Response {
        try await TestClient.get(port: port, path, headers: headers, method: method.nio, body: body, group: clientGroup)
    }

    /// `count` requests for `path` at once, each on its own connection.
    func getConcurrently(_ path: String, count: Int) async throws -> [TestClient.Response] {
        try await withThrowingTaskGroup(of: TestClient.Response.self) { group in
            for _ in 0..<count { group.addTask { try await get(path) } }
            var all: [TestClient.Response] = []
            for try await response in group { all.append(response) }
            return all
        }
    }

    func admin(_ path: String) async throws -> TestClient.Response {
        try await TestClient.get(port: adminPort, path, group: clientGroup)
    }

    func stop() async {
        await server.shutdown(drainTimeout: .milliseconds(200))
        try? await clientGroup.shutdownGracefully()
    }
}

import NIOHTTP1

/// Method names without importing NIOHTTP1 at call sites.
enum HTTPMethodName {
    case GET, POST, PUT
    var nio: HTTPMethod {
        switch self {
        case .GET: .GET
        case .POST: .POST
        case .PUT: .PUT
        }
    }
}

/// Upstreams on a shared group, stopped together.
struct Upstreams {
    let group: MultiThreadedEventLoopGroup
    let servers: [TestUpstream]

    static func start(_ ids: [String]) async throws -> Upstreams {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var servers: [TestUpstream] = []
        for id in ids { servers.append(try await TestUpstream.start(id: id, group: group)) }
        return Upstreams(group: group, servers: servers)
    }

    subscript(index: Int) -> TestUpstream { servers[index] }

    func stop() async {
        for server in servers { await server.stop() }
        try? await group.shutdownGracefully()
    }
}
