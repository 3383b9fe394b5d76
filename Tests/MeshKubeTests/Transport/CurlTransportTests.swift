import Foundation
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct CurlTransportTests {
    @Test func clientCertificateAuthenticatesAndCAIsTrusted() throws {
        let (server, pki) = try TestServer.https(clientCerts: true)
        let tls = TLSSettings(caData: try pki.data(pki.caCert), clientCertificateData: try pki.data(pki.clientCert),
                              clientKeyData: try pki.data(pki.clientKey))
        let transport = try CurlTransport(options: TransportOptions(tls: tls))
        let response = try transport.perform(HTTPRequest(url: server.url + "/version"))
        #expect(response.status == 200)
        #expect(jsonObject(response.body)["user"] as? String == "cert:alice")
    }

    @Test func wrongCAIsAClearTLSError() throws {
        let (server, pki) = try TestServer.https()
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: try pki.data(pki.otherCACert))))
        let error = #expect(throws: KubeError.self) { try transport.perform(HTTPRequest(url: server.url + "/version")) }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("cannot verify the server's certificate") == true)
        #expect(error?.exitCode == .failure)
    }

    @Test func insecureSkipVerifyAcceptsAnyServer() throws {
        let (server, _) = try TestServer.https(arguments: ["--anonymous"])
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(insecureSkipVerify: true)))
        #expect(try transport.perform(HTTPRequest(url: server.url + "/version")).status == 200)
    }

    @Test func tlsServerNameIsUsedForVerificationAndHostStaysTheAddress() throws {
        let (server, pki) = try TestServer.https(named: true, arguments: ["--anonymous"])
        let ca = try pki.data(pki.caCert)
        let plain = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: ca)))
        #expect(throws: KubeError.self) { try plain.perform(HTTPRequest(url: server.url + "/version")) }

        let named = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: ca, serverName: "api.mesh.test")))
        #expect(try named.perform(HTTPRequest(url: server.url + "/version")).status == 200)
        let log = jsonArray(try named.perform(HTTPRequest(url: server.url + "/_requests")).body)
        let headers = log.last?["headers"] as? [String: String]
        #expect(headers?["Host"] == "127.0.0.1:\(server.port)")
    }

    @Test func requestsReuseOneConnectionAndSendTheUserAgent() throws {
        let (server, pki) = try TestServer.https(arguments: ["--anonymous"])
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: try pki.data(pki.caCert))))
        for _ in 0..<10 {
            #expect(try transport.perform(HTTPRequest(url: server.url + "/version")).status == 200)
        }
        #expect(transport.connectionsOpened == 1)
        let stats = jsonObject(try transport.perform(HTTPRequest(url: server.url + "/_stats")).body)
        #expect(stats["connections"] as? Int == 1)
        let log = jsonArray(try transport.perform(HTTPRequest(url: server.url + "/_requests")).body)
        let agent = (log.first?["headers"] as? [String: String])?["User-Agent"]
        #expect(agent?.hasPrefix("meshctl/") == true)
    }

    @Test func idempotentRequestsAreRetriedOn503WithinTheBound() throws {
        let (server, _) = try TestServer.https(arguments: ["--anonymous"])
        let options = TransportOptions(tls: TLSSettings(insecureSkipVerify: true), retry: RetryPolicy(maxAttempts: 3))
        let transport = try CurlTransport(options: options)
        let response = try transport.perform(HTTPRequest(url: server.url + "/retry/2"))
        #expect(response.status == 200)
        #expect(jsonObject(response.body)["attempts"] as? Int == 3)

        let exhausted = try transport.perform(HTTPRequest(url: server.url + "/retry/5"))
        #expect(exhausted.status == 503)

        let post = try transport.perform(HTTPRequest(method: "POST", url: server.url + "/retry/1", body: Data("{}".utf8)))
        #expect(post.status == 503)
    }

    @Test(arguments: ["ftp://127.0.0.1/x", "file:///etc/passwd", "not a url", "https:///nohost"])
    func onlyHTTPAndHTTPSURLsAreAccepted(url: String) throws {
        let transport = try CurlTransport()
        let error = #expect(throws: KubeError.self) { try transport.perform(HTTPRequest(url: url)) }
        #expect(error?.code == .unsupportedURL)
    }

    @Test func theRequestTimeoutIsEnforced() throws {
        let (server, _) = try TestServer.https(arguments: ["--anonymous"])
        let options = TransportOptions(tls: TLSSettings(insecureSkipVerify: true), requestTimeout: .milliseconds(300))
        let transport = try CurlTransport(options: options)
        let error = #expect(throws: KubeError.self) { try transport.perform(HTTPRequest(url: server.url + "/slow/3")) }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("--request-timeout") == true)
    }

    @Test func proxyURLTunnelsThroughTheProxy() throws {
        let (server, pki) = try TestServer.https(arguments: ["--anonymous"])
        let log = try TestTools.temporaryDirectory().appendingPathComponent("proxy.log")
        let proxy = try TestServer(script: "connect_proxy.py", arguments: ["--log", log.path])
        let options = TransportOptions(tls: TLSSettings(caData: try pki.data(pki.caCert)), proxyURL: proxy.url)
        let transport = try CurlTransport(options: options)
        #expect(try transport.perform(HTTPRequest(url: server.url + "/version")).status == 200)
        #expect(try String(contentsOf: log, encoding: .utf8) == "CONNECT 127.0.0.1:\(server.port)\n")
    }

    @Test func aClosedPortIsAConnectionError() throws {
        let transport = try CurlTransport(options: TransportOptions(connectTimeout: .seconds(5)))
        let error = #expect(throws: KubeError.self) { try transport.perform(HTTPRequest(url: "http://127.0.0.1:1/version")) }
        #expect(error?.code == .connectionFailed)
    }
}

struct RetryPolicyTests {
    @Test func retryAfterIsHonouredAndBounded() {
        let policy = RetryPolicy(maxAttempts: 3, defaultDelay: .seconds(1), maxDelay: .seconds(10))
        #expect(policy.delay(retryAfter: "2") == .seconds(2))
        #expect(policy.delay(retryAfter: "3600") == .seconds(10))
        #expect(policy.delay(retryAfter: nil) == .seconds(1))
        #expect(policy.delay(retryAfter: "soon") == .seconds(1))
        let now = Date(timeIntervalSince1970: 784_111_774)  // Sun, 06 Nov 1994 08:49:34 GMT
        #expect(policy.delay(retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(3))
    }

    @Test func onlyIdempotentRequestsOn429Or503AreRetried() {
        let policy = RetryPolicy(maxAttempts: 2)
        #expect(policy.shouldRetry(HTTPRequest(url: "x"), status: 429, attempt: 1))
        #expect(!policy.shouldRetry(HTTPRequest(url: "x"), status: 429, attempt: 2))
        #expect(!policy.shouldRetry(HTTPRequest(url: "x"), status: 500, attempt: 1))
        #expect(!policy.shouldRetry(HTTPRequest(method: "POST", url: "x"), status: 503, attempt: 1))
        #expect(policy.shouldRetry(HTTPRequest(method: "DELETE", url: "x"), status: 503, attempt: 1))
    }
}
