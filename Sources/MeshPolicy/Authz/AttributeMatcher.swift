import MeshCore

/// One field of a rule, compiled: an attribute, the values it accepts, and whether the field is a `not*` one.
///
/// A field matches when any value matches; a negated field matches when none does (so a request that lacks the
/// attribute matches every `not*` field, as in Envoy). A class, so matching passes one reference around.
final class AttributeMatcher: Sendable {
    /// How one value is tested.
    enum ValueMatcher: Sendable, Hashable {
        case string(StringPattern)
        /// Header-style matching: `*` means present (even if empty).
        case header(StringPattern)
        case cidr(CIDR)
        case port(Int)
        case template(PathTemplate)
        /// Istio's `.*/ns/<ns>/.*` test on the principal URI, `*` standing for any text.
        case namespaceGlob(String)
        /// The same test for a namespace without `*`: some `ns` segment of the principal is followed by it.
        case namespaceExact(String)
        case serviceAccount(namespace: String, name: String)
        case requestPrincipal(issuer: StringPattern, subject: StringPattern)
    }

    let attribute: Attribute
    let values: [ValueMatcher]
    let negated: Bool
    /// The field as written (`notPrincipals`, `request.auth.claims[groups]`), for explanations.
    let field: String
    /// The values as written.
    let written: [String]
    /// `attribute.isHTTPOnly`, kept so matching never copies the attribute.
    let isHTTPOnly: Bool

    init(attribute: Attribute, values: [ValueMatcher], negated: Bool, field: String, written: [String]) {
        self.attribute = attribute
        self.values = values
        self.negated = negated
        self.field = field
        self.written = written
        isHTTPOnly = attribute.isHTTPOnly
    }

    @inline(__always)
    func matches(_ request: PreparedRequest) -> Bool {
        let any = values.withUnsafeBufferPointer { values in
            for position in values.indices where Self.matches(values[position], attribute, request) { return true }
            return false
        }
        return any != negated
    }

    /// Why the field does not match `request`, in one phrase.
    func failure(_ request: PreparedRequest) -> String {
        let actual = Self.describe(attribute, request)
        let list = "[\(written.joined(separator: ", "))]"
        return negated ? "\(field) \(list) matched \(actual)" : "\(field) \(list) did not match \(actual)"
    }

    private static func matches(_ value: ValueMatcher, _ attribute: Attribute, _ request: PreparedRequest) -> Bool {
        switch attribute {
        case .principal: return value.test(request.principal)
        case .trustDomain:
            guard let principal = request.principal else { return false }
            return value.test(String(principal.prefix { $0 != "/" }))
        case .namespace:
            if case .namespaceExact(let namespace) = value { return request.principalNamespaces.contains(namespace) }
            return value.test(request.principalURI)
        case .serviceAccount: return value.test(request.principalURI)
        case .requestPrincipal:
            guard case .requestPrincipal(let issuer, let subject) = value, request.hasJWT else { return false }
            return issuer.matches(request.issuer) && subject.matches(request.subject)
        case .audiences: return value.testClaim(request.claims?["aud"])
        case .presenter: return value.testClaim(request.claims?["azp"])
        case .claim(let names):
            var current = request.claims
            for name in names { current = current?[name] }
            return value.testClaim(current)
        case .header(let name): return value.test(request.headers[name])
        case .host: return value.test(request.host)
        case .method: return value.test(request.request.method)
        case .path: return value.test(request.path)
        case .sni: return value.test(request.request.sni)
        case .port: return value.test(port: request.request.port)
        case .sourceIP: return value.test(address: request.sourceIP)
        case .remoteIP: return value.test(address: request.remoteIP)
        case .destinationIP: return value.test(address: request.destinationIP)
        case .unsupported: return false
        }
    }

    private static func describe(_ attribute: Attribute, _ request: PreparedRequest) -> String {
        func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }
        switch attribute {
        case .principal, .trustDomain, .serviceAccount, .namespace: return "source principal \(quoted(request.principal))"
        case .requestPrincipal:
            return request.hasJWT ? "request principal \(quoted("\(request.issuer ?? "")/\(request.subject ?? "")"))" : "request principal (no JWT)"
        case .audiences: return "audiences \(request.claims?["aud"].map { JSON.emit($0) } ?? "(none)")"
        case .presenter: return "presenter \(quoted(request.claims?["azp"]?.stringValue))"
        case .claim(let names):
            var current = request.claims
            for name in names { current = current?[name] }
            return "claim \(names.joined(separator: ".")) = \(current.map { JSON.emit($0) } ?? "(none)")"
        case .header(let name): return "header \(name) \(quoted(request.headers[name]))"
        case .host: return "host \(quoted(request.request.host))"
        case .method: return "method \(quoted(request.request.method))"
        case .path: return "path \(quoted(request.path))"
        case .sni: return "SNI \(quoted(request.request.sni))"
        case .port: return "port \(request.request.port.map(String.init) ?? "(none)")"
        case .sourceIP: return "source IP \(quoted(request.request.sourceIP))"
        case .remoteIP: return "remote IP \(quoted(request.request.remoteIP ?? request.request.sourceIP))"
        case .destinationIP: return "destination IP \(quoted(request.request.destinationIP))"
        case .unsupported(let key): return "\(key) (not evaluated by meshctl)"
        }
    }
}

extension AttributeMatcher.ValueMatcher {
    @inline(__always)
    func test(_ candidate: String?) -> Bool {
        switch self {
        case .string(let pattern): return pattern.matches(candidate)
        case .header(let pattern):
            if case .presence = pattern { return candidate != nil }
            return pattern.matches(candidate)
        case .template(let template):
            guard let candidate else { return false }
            return template.matches(candidate)
        case .namespaceGlob(let glob):
            guard let candidate else { return false }
            return Glob.matches(glob, candidate)
        case .serviceAccount(let namespace, let name):
            guard let candidate, candidate.hasPrefix("spiffe://") else { return false }
            let segments = candidate.dropFirst(9).split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count >= 5, !segments[0].isEmpty else { return false }
            for index in 1..<(segments.count - 1) where segments[index] == "ns" && segments[index + 1] == namespace {
                var next = index + 2
                while next + 1 < segments.count {
                    if segments[next] == "sa" && segments[next + 1] == name { return true }
                    next += 1
                }
            }
            return false
        case .cidr, .port, .requestPrincipal, .namespaceExact:
            return false
        }
    }

    /// A claim matches when it is a string that matches, or a list with a string element that matches.
    func testClaim(_ claim: Value?) -> Bool {
        switch claim {
        case .string(let text): return test(text)
        case .array(let items): return items.contains { $0.stringValue.map { test($0) } ?? false }
        default: return false
        }
    }

    func test(port: Int?) -> Bool {
        guard case .port(let expected) = self, let port else { return false }
        return port == expected
    }

    func test(address: IPAddress?) -> Bool {
        guard case .cidr(let range) = self, let address else { return false }
        return range.contains(address)
    }
}
