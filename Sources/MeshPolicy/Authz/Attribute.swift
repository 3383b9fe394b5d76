/// A request attribute an authorization rule can test, as Istio names them in `from`, `to` and `when`.
enum Attribute: Sendable, Hashable {
    case principal
    case trustDomain
    case serviceAccount
    case namespace
    case requestPrincipal
    case audiences
    case presenter
    case claim([String])
    case header(String)
    case sourceIP
    case remoteIP
    case destinationIP
    case host
    case method
    case path
    case port
    case sni
    /// An attribute that cannot be evaluated here (`experimental.envoy.filters.*`).
    case unsupported(String)

    /// Attributes only HTTP requests have; on TCP traffic Istio drops them (DENY, AUDIT, CUSTOM) or ignores the
    /// whole rule (ALLOW).
    var isHTTPOnly: Bool {
        switch self {
        case .requestPrincipal, .audiences, .presenter, .claim, .header, .host, .method, .path: true
        default: false
        }
    }

    /// The attribute of a `when` key, or `nil` for a key Istio does not know.
    init?(conditionKey key: String) {
        switch key {
        case "source.ip": self = .sourceIP
        case "remote.ip": self = .remoteIP
        case "source.namespace": self = .namespace
        case "source.principal": self = .principal
        case "request.auth.principal": self = .requestPrincipal
        case "request.auth.audiences": self = .audiences
        case "request.auth.presenter": self = .presenter
        case "destination.ip": self = .destinationIP
        case "destination.port": self = .port
        case "connection.sni": self = .sni
        default:
            if key.hasPrefix("request.headers["), let names = Self.bracketed(key.dropFirst("request.headers".count)), names.count == 1 {
                self = .header(names[0].lowercased())
            } else if key.hasPrefix("request.auth.claims["), let names = Self.bracketed(key.dropFirst("request.auth.claims".count)) {
                self = .claim(names)
            } else if key.hasPrefix("experimental.envoy.filters.") {
                self = .unsupported(key)
            } else {
                return nil
            }
        }
    }

    /// `[a][b]` → `["a", "b"]`; `nil` when malformed or a name is empty.
    static func bracketed(_ text: Substring) -> [String]? {
        var names: [String] = []
        var rest = text
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            let name = rest[rest.index(after: rest.startIndex)..<close]
            guard !name.isEmpty, !name.contains("[") else { return nil }
            names.append(String(name))
            rest = rest[rest.index(after: close)...]
        }
        return names.isEmpty ? nil : names
    }
}
