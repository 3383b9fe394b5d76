/// Turns the fields of `from`, `to` and `when` into matchers, the way Istio turns them into Envoy RBAC config.
struct MatcherBuilder {
    /// The namespace of the policy (`serviceAccounts` without a namespace mean this one).
    let policyNamespace: String
    /// Values that could not be used (bad CIDR, bad port), each with its field.
    private(set) var invalid: [String] = []

    init(policyNamespace: String) {
        self.policyNamespace = policyNamespace
    }

    /// The matchers of one `source`.
    mutating func source(_ source: Source) -> [AttributeMatcher] {
        [
            field(.principal, "principals", source.principals),
            field(.principal, "notPrincipals", source.notPrincipals, negated: true),
            field(.requestPrincipal, "requestPrincipals", source.requestPrincipals),
            field(.requestPrincipal, "notRequestPrincipals", source.notRequestPrincipals, negated: true),
            field(.namespace, "namespaces", source.namespaces),
            field(.namespace, "notNamespaces", source.notNamespaces, negated: true),
            field(.serviceAccount, "serviceAccounts", source.serviceAccounts),
            field(.serviceAccount, "notServiceAccounts", source.notServiceAccounts, negated: true),
            field(.trustDomain, "trustDomains", source.trustDomains),
            field(.trustDomain, "notTrustDomains", source.notTrustDomains, negated: true),
            field(.sourceIP, "ipBlocks", source.ipBlocks),
            field(.sourceIP, "notIpBlocks", source.notIpBlocks, negated: true),
            field(.remoteIP, "remoteIpBlocks", source.remoteIpBlocks),
            field(.remoteIP, "notRemoteIpBlocks", source.notRemoteIpBlocks, negated: true),
        ].compactMap { $0 }
    }

    /// The matchers of one `operation`.
    mutating func operation(_ operation: Operation) -> [AttributeMatcher] {
        [
            field(.host, "hosts", operation.hosts),
            field(.host, "notHosts", operation.notHosts, negated: true),
            field(.method, "methods", operation.methods),
            field(.method, "notMethods", operation.notMethods, negated: true),
            field(.path, "paths", operation.paths),
            field(.path, "notPaths", operation.notPaths, negated: true),
            field(.port, "ports", operation.ports),
            field(.port, "notPorts", operation.notPorts, negated: true),
        ].compactMap { $0 }
    }

    /// The matchers of one `when` condition; an unknown key is reported as invalid.
    mutating func condition(_ condition: Condition) -> [AttributeMatcher] {
        let key = condition.key ?? ""
        guard let attribute = Attribute(conditionKey: key) else {
            invalid.append("when: unknown attribute \"\(key)\"")
            return []
        }
        return [
            field(attribute, key, condition.values),
            field(attribute, "\(key) (notValues)", condition.notValues, negated: true),
        ].compactMap { $0 }
    }

    private mutating func field(_ attribute: Attribute, _ name: String, _ values: [String]?, negated: Bool = false) -> AttributeMatcher? {
        guard let values, !values.isEmpty else { return nil }
        var matchers: [AttributeMatcher.ValueMatcher] = []
        var written: [String] = []
        for value in values {
            if let matcher = valueMatcher(attribute, value) {
                matchers.append(matcher)
                written.append(value)
            } else {
                invalid.append("\(name): invalid value \"\(value)\"")
            }
        }
        if case .unsupported = attribute {
            invalid.append("\(name): attribute not evaluated by meshctl")
        }
        guard !matchers.isEmpty || attribute.isUnsupported else { return nil }
        return AttributeMatcher(attribute: attribute, values: matchers, negated: negated, field: name, written: written)
    }

    private func valueMatcher(_ attribute: Attribute, _ value: String) -> AttributeMatcher.ValueMatcher? {
        switch attribute {
        case .principal, .trustDomain, .audiences, .presenter, .claim, .sni:
            return .string(StringPattern(value))
        case .namespace:
            return value.contains("*") ? .namespaceGlob("*/ns/\(value)/*") : .namespaceExact(value)
        case .serviceAccount:
            let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return parts.count == 2 ? .serviceAccount(namespace: parts[0], name: parts[1]) : .serviceAccount(namespace: policyNamespace, name: value)
        case .requestPrincipal:
            return Self.requestPrincipal(value)
        case .header, .method:
            return .header(StringPattern(value))
        case .host:
            return .header(StringPattern(value, lowercased: true))
        case .path:
            return PathTemplate.isTemplate(value) ? .template(PathTemplate(value)) : .string(StringPattern(value))
        case .port:
            guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(value), port <= 65535 else { return nil }
            return .port(port)
        case .sourceIP, .remoteIP, .destinationIP:
            return CIDR(value).map { .cidr($0) }
        case .unsupported:
            return nil
        }
    }

    /// Istio splits `issuer/subject` at the last `/` (issuers are URLs) and allows `*` at either end.
    static func requestPrincipal(_ value: String) -> AttributeMatcher.ValueMatcher {
        let slash = value.lastIndex(of: "/")
        let issuer = slash.map { String(value[..<$0]) } ?? value
        let subject = slash.map { String(value[value.index(after: $0)...]) } ?? ""
        if value == "*" { return .requestPrincipal(issuer: .presence, subject: .presence) }
        if value.hasPrefix("*") {
            if slash != nil {
                return .requestPrincipal(issuer: issuer == "*" ? .presence : .suffix(String(issuer.dropFirst())), subject: .exact(subject))
            }
            return .requestPrincipal(issuer: .presence, subject: .suffix(String(value.dropFirst())))
        }
        if value.hasSuffix("*") {
            if slash != nil {
                return .requestPrincipal(issuer: .exact(issuer), subject: subject == "*" ? .presence : .prefix(String(subject.dropLast())))
            }
            return .requestPrincipal(issuer: .prefix(String(value.dropLast())), subject: .presence)
        }
        return .requestPrincipal(issuer: .exact(issuer), subject: .exact(subject))
    }
}

extension Attribute {
    var isUnsupported: Bool {
        if case .unsupported = self { return true }
        return false
    }
}
