import Foundation
import MeshCore

/// A Kubernetes API client for one command: one connection (reused), one identity, discovery cached.
///
/// Not `Sendable` (it owns a libcurl handle): use it from one task or thread. A `KubeWatch` runs on a thread of
/// its own with its own connection.
public final class KubeClient {
    /// The resolved configuration.
    public let config: ClientConfig
    /// Authentication and impersonation headers; shared with watches.
    public let authenticator: Authenticator
    var transport: CurlTransport
    var discoveryCache: DiscoveryCache?
    private var retiredConnections = 0

    /// Makes a client; nothing is sent until the first request.
    public init(config: ClientConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws(KubeError) {
        self.config = config
        authenticator = try Authenticator(config: config, environment: environment)
        transport = try CurlTransport(options: config.transportOptions)
    }

    /// A client sharing another's authenticator (a watch thread), so cached credentials are reused.
    init(config: ClientConfig, authenticator: Authenticator) throws(KubeError) {
        self.config = config
        self.authenticator = authenticator
        transport = try CurlTransport(options: config.transportOptions)
    }

    /// Loads the kubeconfig (or the in-cluster configuration) and makes a client for the selected context.
    public convenience init(
        loader: KubeconfigLoader = KubeconfigLoader(), overrides: KubeconfigOverrides = KubeconfigOverrides()
    ) throws(KubeError) {
        try self.init(config: loader.clientConfig(overrides), environment: loader.environment)
    }

    /// New connections opened so far (1 when every request reused the first).
    public var connectionsOpened: Int { retiredConnections + transport.connectionsOpened }

    /// The HTTP version of the last response (`1.1`, `2`).
    public var lastHTTPVersion: String { transport.lastHTTPVersion }

    /// Sends a request to `path` on the API server and returns the 2xx response.
    ///
    /// Adds authentication, impersonation, `Accept` and `Content-Type`; on 401 refreshes exec/OIDC/token-file
    /// credentials once and retries. Any other non-2xx answer throws `KubeError` (`.api`) with the decoded
    /// `Status` message.
    public func send(
        _ method: String, path: String, query: [(String, String)] = [], body: Data? = nil,
        contentType: String? = nil, accept: String = "application/json"
    ) throws(KubeError) -> HTTPResponse {
        let request = try makeRequest(method, path: path, query: query, body: body, contentType: contentType, accept: accept)
        var response = try transport.perform(request)
        if response.status == 401 && authenticator.refreshAfterUnauthorized() {
            let retry = try makeRequest(method, path: path, query: query, body: body, contentType: contentType, accept: accept)
            response = try transport.perform(retry)
        }
        guard response.isSuccess else {
            throw APIStatus.error(for: response, request: request, userName: config.userName)
        }
        return response
    }

    /// `send`, with the JSON body parsed.
    public func sendValue(
        _ method: String, path: String, query: [(String, String)] = [], body: Value? = nil, contentType: String? = nil
    ) throws(KubeError) -> Value {
        let data = body.map { Data(JSON.emit($0).utf8) }
        let response = try send(method, path: path, query: query, body: data,
                                contentType: contentType ?? (data == nil ? nil : "application/json"))
        return try Self.decode(response.body, what: "\(method) \(path)")
    }

    /// Builds the request `send` would send (with headers), for watches and tests.
    func makeRequest(
        _ method: String, path: String, query: [(String, String)], body: Data?, contentType: String?, accept: String
    ) throws(KubeError) -> HTTPRequest {
        let credential = try authenticator.credential()
        if let pair = credential.clientCertificate { try present(pair) }
        var request = HTTPRequest(method: method, url: url(path: path, query: query), body: body)
        request.headers = credential.headers
        request.headers.append(("Accept", accept))
        if let contentType { request.headers.append(("Content-Type", contentType)) }
        return request
    }

    /// The absolute URL of `path` with `query` (values percent-encoded).
    public func url(path: String, query: [(String, String)] = []) -> String {
        var url = config.server + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func decode(_ body: Data, what: String) throws(KubeError) -> Value {
        if body.isEmpty { return .null }
        do {
            return try JSON.parse(bytes: body)
        } catch {
            throw KubeError(.invalidResponse, "the answer to \(what) is not valid JSON: \(error)", cause: error)
        }
    }

    /// An exec plugin may hand out a client certificate: the transport then has to present it.
    private func present(_ pair: (certificate: Data, key: Data)) throws(KubeError) {
        var options = transport.options
        guard options.tls.clientCertificateData != pair.certificate || options.tls.clientKeyData != pair.key else { return }
        options.tls.clientCertificateData = pair.certificate
        options.tls.clientKeyData = pair.key
        retiredConnections += transport.connectionsOpened
        transport = try CurlTransport(options: options)
    }
}
