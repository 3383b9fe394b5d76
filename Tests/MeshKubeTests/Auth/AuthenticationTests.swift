import Foundation
import MeshCore
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct AuthenticationTests {
    func user(_ version: Value) -> String? { version["user"]?.stringValue }

    @Test func bearerTokenIsSent() throws {
        let cluster = try TestCluster.start(arguments: ["--tokens", "secret-token"])
        #expect(user(try cluster.client(.token("secret-token")).serverVersion().raw) == "token:secret-token")
        let error = #expect(throws: KubeError.self) { try cluster.client(.token("wrong")).serverVersion() }
        #expect(error?.isUnauthorized == true)
        #expect(error?.message.contains("user \"tester\"") == true)
    }

    @Test func basicAuthIsSent() throws {
        let cluster = try TestCluster.start(arguments: ["--basic", "admin:s3cret"])
        let client = try cluster.client(.basic(username: "admin", password: "s3cret"))
        #expect(user(try client.serverVersion().raw) == "basic:admin")
    }

    @Test func clientCertificateFromConfigAuthenticates() throws {
        let cluster = try TestCluster.start(clientCerts: true)
        var config = try cluster.config()
        config.tls.clientCertificateData = try cluster.pki.data(cluster.pki.clientCert)
        config.tls.clientKeyData = try cluster.pki.data(cluster.pki.clientKey)
        #expect(user(try KubeClient(config: config).serverVersion().raw) == "cert:alice")
    }

    @Test func tokenFileIsReReadWhenItChanges() throws {
        let cluster = try TestCluster.start()
        let dir = try TestTools.temporaryDirectory()
        let file = dir.appendingPathComponent("token")
        try Data("ok-first\n".utf8).write(to: file)
        let client = try cluster.client(.tokenFile(file.path))
        #expect(user(try client.serverVersion().raw) == "token:ok-first")
        try Data("ok-second-token\n".utf8).write(to: file)  // a different size, so a change even within one mtime tick
        #expect(user(try client.serverVersion().raw) == "token:ok-second-token")
    }

    @Test func tokenFileThatChangedAfterA401IsRetried() throws {
        let cluster = try TestCluster.start()
        let dir = try TestTools.temporaryDirectory()
        let file = dir.appendingPathComponent("token")
        try Data("stale".utf8).write(to: file)
        let client = try cluster.client(.tokenFile(file.path))
        #expect(throws: KubeError.self) { try client.serverVersion() }
        try Data("ok-fresh".utf8).write(to: file)
        #expect(user(try client.serverVersion().raw) == "token:ok-fresh")
    }

    @Test func impersonationHeadersAreSent() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let client = try cluster.client(impersonation: .init(user: "bob", uid: "42", groups: ["devs", "ops"]))
        _ = try client.serverVersion()
        let log = try cluster.requests()
        let headers = log.last?["headers"] as? [String: String] ?? [:]
        #expect(headers["Impersonate-User"] == "bob")
        #expect(headers["Impersonate-Uid"] == "42")
        let raw = try #require(log.last)
        #expect(raw["path"] as? String == "/version")
    }

    @Test func impersonationSendsEveryGroup() throws {
        let auth = try Authenticator(config: ClientConfig(server: "https://x", impersonation: .init(user: "bob", groups: ["a", "b"], extra: ["scopes": ["s1"]])))
        let headers = try auth.headers()
        #expect(headers.filter { $0.name == "Impersonate-Group" }.map(\.value) == ["a", "b"])
        #expect(headers.contains { $0.name == "Impersonate-Extra-scopes" && $0.value == "s1" })
    }
}
