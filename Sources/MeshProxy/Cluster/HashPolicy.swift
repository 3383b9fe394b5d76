import NIOHTTP1

/// Envoy's hash policies for consistent-hash balancing: what a request is hashed on, and the affinity cookie the
/// proxy generates when a cookie policy has a `ttl` and the request lacks the cookie.
enum HashPolicy {
    /// A request's hash, and the `Set-Cookie` value to return when the cookie was generated.
    struct Input: Equatable {
        let hash: UInt64
        let setCookie: String?
    }

    /// The hash input of a request under `key`. `client` is the downstream IP (`useSourceIp`); `connection`
    /// names the downstream connection (both addresses with ports), the seed of a generated cookie, so that the
    /// first requests of one connection all get the same cookie. `nil` when the request has nothing to hash.
    static func input(
        _ key: LoadBalancerPolicy.HashKey, headers: HTTPHeaders, client: String, connection: String
    ) -> Input? {
        switch key {
        case .header(let name):
            return headers.first(name: name).map { Input(hash: fnv1a($0), setCookie: nil) }
        case .sourceIP:
            return Input(hash: fnv1a(client), setCookie: nil)
        case .cookie(let cookie):
            if let value = self.cookie(named: cookie.name, in: headers) { return Input(hash: fnv1a(value), setCookie: nil) }
            guard let ttl = cookie.ttl else { return nil }
            let value = hex(fnv1a(connection))
            return Input(hash: fnv1a(value), setCookie: setCookie(cookie, value: value, ttl: ttl))
        }
    }

    /// Envoy's generated cookie: the value quoted, `Max-Age` unless the ttl is zero (a session cookie), `Path`
    /// when set, and `HttpOnly`.
    static func setCookie(_ cookie: LoadBalancerPolicy.CookieHash, value: String, ttl: Duration) -> String {
        var text = "\(cookie.name)=\"\(value)\""
        let seconds = ttl.components.seconds
        if seconds > 0 { text += "; Max-Age=\(seconds)" }
        if let path = cookie.path, !path.isEmpty { text += "; Path=\(path)" }
        return text + "; HttpOnly"
    }

    /// The value of cookie `name`, if the request carries it (without the quotes a value may be wrapped in).
    static func cookie(named name: String, in headers: HTTPHeaders) -> String? {
        let prefix = name + "="
        for header in headers[canonicalForm: "cookie"] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard trimmed.hasPrefix(prefix) else { continue }
                let value = trimmed.dropFirst(prefix.count)
                if value.count >= 2, value.first == "\"", value.last == "\"" { return String(value.dropFirst().dropLast()) }
                return String(value)
            }
        }
        return nil
    }

    /// FNV-1a: a stable hash (Swift's `Hasher` is seeded per process, so it can't be used for affinity).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
