/// Where a `jwksUri` points: scheme, host, port and path (query included), as the fetch needs them.
struct JWKSEndpoint: Sendable, Hashable, CustomStringConvertible {
    let secure: Bool
    let host: String
    let port: Int
    let path: String

    /// Parses an `http://` or `https://` URI (Istio's validator admits no other scheme); `nil` when it has
    /// no host, a bad port, or user info.
    init?(_ uri: String) {
        let lower = uri.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            secure = true
            rest = uri.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            secure = false
            rest = uri.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...].prefix { $0 != "#" })
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        self.path = path
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let defaultPort = secure ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                port = defaultPort
            } else {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            host = String(authority)
            port = defaultPort
        }
        guard !host.isEmpty else { return nil }
    }

    var target: HostPort { HostPort(host: host, port: port) }

    var description: String { "\(secure ? "https" : "http")://\(target)\(path)" }
}
