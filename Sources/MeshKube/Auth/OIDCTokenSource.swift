import Foundation
import MeshCore

/// The `oidc` auth-provider: sends `id-token`, and when it has expired trades `refresh-token` for a new one at
/// the issuer's token endpoint (found through `/.well-known/openid-configuration`).
///
/// The refreshed tokens are kept for the life of the process; the kubeconfig file is not rewritten.
struct OIDCTokenSource: Sendable {
    private(set) var idToken: String?
    private(set) var refreshToken: String?
    let issuer: String?
    let clientID: String?
    let clientSecret: String?
    let caData: Data?
    /// Treat a token as expired this long before its `exp`.
    let leeway: TimeInterval = 10

    init(_ provider: AuthProviderConfig) throws(KubeError) {
        let config = provider.config
        idToken = config["id-token"].flatMap { $0.isEmpty ? nil : $0 }
        refreshToken = config["refresh-token"].flatMap { $0.isEmpty ? nil : $0 }
        issuer = config["idp-issuer-url"]
        clientID = config["client-id"]
        clientSecret = config["client-secret"]
        if let data = config["idp-certificate-authority-data"], !data.isEmpty {
            guard let decoded = Data(base64Encoded: data.filter { !$0.isWhitespace }) else {
                throw KubeError(.invalidKubeconfig, "auth-provider oidc: idp-certificate-authority-data is not valid base64")
            }
            caData = decoded
        } else if let file = config["idp-certificate-authority"], !file.isEmpty {
            caData = try Kubeconfig.readFile(file, what: "idp-certificate-authority")
        } else {
            caData = nil
        }
    }

    /// A valid id-token, refreshed first when it expired (or when `force`, after the server refused it).
    mutating func current(now: Date, force: Bool = false) throws(KubeError) -> String {
        if !force, let idToken, let expiry = Self.expiry(of: idToken), expiry.timeIntervalSince(now) > leeway {
            return idToken
        }
        if !force, let idToken, Self.expiry(of: idToken) == nil { return idToken }  // no exp claim: use as is
        guard let refreshToken, let issuer, let clientID else {
            throw KubeError(.credentials,
                "the OIDC id-token has expired and no refresh-token, idp-issuer-url and client-id are configured to renew it; log in again")
        }
        let fresh = try refresh(issuer: issuer, clientID: clientID, refreshToken: refreshToken)
        idToken = fresh.idToken
        if let next = fresh.refreshToken { self.refreshToken = next }
        return fresh.idToken
    }

    /// The `exp` claim of a JWT, without verifying it (the API server does that).
    static func expiry(of jwt: String) -> Date? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let claims = try? JSON.parse(bytes: data),
            let exp = claims["exp"]?.doubleValue
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }

    private func refresh(issuer: String, clientID: String, refreshToken: String) throws(KubeError) -> (idToken: String, refreshToken: String?) {
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: caData), requestTimeout: .seconds(30)))
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let discovery = try transport.perform(HTTPRequest(url: base + "/.well-known/openid-configuration"))
        guard discovery.isSuccess, let document = try? JSON.parse(bytes: discovery.body),
            let endpoint = document["token_endpoint"]?.stringValue
        else {
            throw KubeError(.credentials, "cannot read the OIDC discovery document of \(issuer) (HTTP \(discovery.status))")
        }
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID)]
        if let clientSecret, !clientSecret.isEmpty { form.append(("client_secret", clientSecret)) }
        let body = form.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let response = try transport.perform(HTTPRequest(
            method: "POST", url: endpoint, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(body.utf8)))
        guard response.isSuccess, let tokens = try? JSON.parse(bytes: response.body),
            let idToken = tokens["id_token"]?.stringValue, !idToken.isEmpty
        else {
            throw KubeError(.credentials,
                "the OIDC issuer \(issuer) refused to refresh the token (HTTP \(response.status)); log in again")
        }
        return (idToken, tokens["refresh_token"]?.stringValue)
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
