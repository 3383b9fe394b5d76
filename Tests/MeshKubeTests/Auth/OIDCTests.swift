import Foundation
import MeshCore
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct OIDCTests {
    static func jwt(sub: String, exp: Date) -> String {
        func b64url(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return b64url(#"{"alg":"none"}"#) + "." + b64url(#"{"sub":"\#(sub)","exp":\#(Int(exp.timeIntervalSince1970))}"#) + ".sig"
    }

    func provider(_ cluster: TestCluster, idToken: String, refresh: Bool = true) throws -> AuthProviderConfig {
        var config = ["id-token": idToken, "idp-issuer-url": cluster.server.url, "client-id": "meshctl",
                      "idp-certificate-authority-data": try cluster.pki.data(cluster.pki.caCert).base64EncodedString()]
        if refresh { config["refresh-token"] = "refresh-1" }
        return AuthProviderConfig(name: "oidc", config: config)
    }

    @Test func aValidIDTokenIsSentAsIs() throws {
        let cluster = try TestCluster.start()
        let token = Self.jwt(sub: "carol", exp: Date().addingTimeInterval(600))
        let client = try cluster.client(.oidc(try provider(cluster, idToken: token)))
        #expect(try client.serverVersion().raw["user"]?.stringValue == "oidc:carol")
        #expect(try cluster.requests().map { $0["path"] as? String } == ["/version"])
    }

    @Test func anExpiredIDTokenIsRefreshedAtTheIssuer() throws {
        let cluster = try TestCluster.start()
        let expired = Self.jwt(sub: "carol", exp: Date().addingTimeInterval(-60))
        let client = try cluster.client(.oidc(try provider(cluster, idToken: expired)))
        #expect(try client.serverVersion().raw["user"]?.stringValue == "oidc:alice")
        _ = try client.serverVersion()
        let log = try cluster.requests()
        #expect(log.map { $0["path"] as? String } == ["/.well-known/openid-configuration", "/oidc/token", "/version", "/version"])
        #expect((log[1]["body"] as? String)?.contains("grant_type=refresh_token") == true)
    }

    @Test func anExpiredIDTokenWithoutRefreshTokenAsksToLogInAgain() throws {
        let cluster = try TestCluster.start()
        let expired = Self.jwt(sub: "carol", exp: Date().addingTimeInterval(-60))
        let client = try cluster.client(.oidc(try provider(cluster, idToken: expired, refresh: false)))
        let error = #expect(throws: KubeError.self) { try client.serverVersion() }
        #expect(error?.code == .credentials)
        #expect(error?.message.contains("log in again") == true)
    }

    @Test func expiryIsReadFromTheJWT() {
        let date = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(OIDCTokenSource.expiry(of: Self.jwt(sub: "x", exp: date)) == date)
        #expect(OIDCTokenSource.expiry(of: "not-a-jwt") == nil)
    }
}
