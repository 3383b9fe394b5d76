import Foundation
import MeshCore

@testable import MeshKube

/// A test server plus a client configuration pointing at it.
struct TestCluster {
    let server: TestServer
    let pki: TestPKI

    static func start(clientCerts: Bool = false, arguments: [String] = []) throws -> TestCluster {
        let (server, pki) = try TestServer.https(clientCerts: clientCerts, arguments: arguments)
        return TestCluster(server: server, pki: pki)
    }

    func config(_ credentials: ClientConfig.Credentials = .none, impersonation: ClientConfig.Impersonation = .init(),
                namespace: String = "default") throws -> ClientConfig {
        ClientConfig(server: server.url, tls: TLSSettings(caData: try pki.data(pki.caCert)), namespace: namespace,
                     userName: "tester", credentials: credentials, impersonation: impersonation)
    }

    func client(_ credentials: ClientConfig.Credentials = .none, impersonation: ClientConfig.Impersonation = .init(),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KubeClient {
        try KubeClient(config: config(credentials, impersonation: impersonation), environment: environment)
    }

    /// The requests the server saw, oldest first (read over a separate connection).
    func requests() throws -> [[String: Any]] {
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(insecureSkipVerify: true)))
        return jsonArray(try transport.perform(HTTPRequest(url: server.url + "/_requests")).body)
    }

    func lastHeaders() throws -> [String: String] {
        (try requests().last?["headers"] as? [String: String]) ?? [:]
    }
}
