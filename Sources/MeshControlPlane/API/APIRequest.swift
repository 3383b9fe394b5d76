/// One HTTP request as the API server sees it, independent of the network layer.
public struct APIRequest: Sendable {
    public var method: String
    /// The path without the query (`/api/v1/namespaces/default/pods`).
    public var path: String
    /// Query parameters; the last occurrence of a name wins.
    public var query: [String: String]
    /// Headers with lower-case names.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The authenticated user (client certificate CN or service account), or `nil`.
    public var user: String?

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                body: [UInt8] = [], user: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.user = user
    }

    /// Splits `uri` into path and decoded query.
    public init(method: String, uri: String, headers: [String: String], body: [UInt8], user: String?) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.decode(kv[0])
                query[key] = kv.count > 1 ? Self.decode(kv[1]) : ""
            }
        }
        self.init(method: method, path: Self.decode(parts.first ?? "/", plusIsSpace: false), query: query,
                  headers: headers, body: body, user: user)
    }

    static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the client accepts a Table (`kubectl get`).
    var wantsTable: Bool {
        headers["accept"]?.contains("as=Table") ?? false
    }

    /// The media type of the body, without parameters.
    var contentType: String {
        let raw = headers["content-type"] ?? "application/json"
        return raw.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? raw
    }

    /// Who makes this change, for `metadata.managedFields`: `fieldManager`, else the client's User-Agent up to
    /// its first `/` (as the Kubernetes API server names managers); the control plane's own writes are `meshctl`.
    var fieldManager: String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        if user == ControlPlane.systemUser { return "meshctl" }
        let agent = headers["user-agent"]?.split(separator: "/").first.map(String.init) ?? ""
        return agent.isEmpty ? "unknown" : String(agent.prefix(128))
    }

    /// `dryRun=All`.
    var isDryRun: Bool { query["dryRun"] == "All" }
}
