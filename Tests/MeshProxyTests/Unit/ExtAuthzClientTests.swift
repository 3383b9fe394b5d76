import NIOEmbedded
import Testing
@testable import MeshProxy

@Suite("ExtAuthzClient")
struct ExtAuthzClientTests {
    @Test("a provider without endpoints is an error, resolved by statusOnError and counted")
    func noEndpoint() async throws {
        var provider = ExtAuthzProvider(name: "authz", api: .http, service: "authz", port: 8000)
        provider.statusOnError = 503
        let stats = ProxyStats()
        let client = ExtAuthzClient(provider: provider, stats: stats)
        let input = ExtAuthzClient.Input(connection: ConnectionInfo(clientAddress: "127.0.0.1"), scheme: "http")
        guard case .deny(503, _, _) = try await client.check(input, on: EmbeddedEventLoop()).get() else {
            Issue.record("not a 503")
            return
        }
        #expect(stats.extAuthzError.load(ordering: .relaxed) == 1)
    }
}
