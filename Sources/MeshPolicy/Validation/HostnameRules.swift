/// Istio's rules for host names, labels, ports and addresses, with its messages.
enum HostnameRules {
    /// A DNS-1123 label: letters, digits and `-`, not starting or ending with `-`, at most 63 characters.
    static func isDNS1123Label(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 63, let first = text.first, let last = text.last else { return false }
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        return alnum(first) && alnum(last) && text.allSatisfy { alnum($0) || $0 == "-" }
    }

    static func isDNS1123Label(_ text: String) -> Bool { isDNS1123Label(Substring(text)) }

    /// A label that may start with `*` (`*`, `*foo`, `*-foo`).
    static func isWildcardDNS1123Label(_ text: Substring) -> Bool {
        if text == "*" { return true }
        var rest = text
        if rest.hasPrefix("*-") { rest = rest.dropFirst(2) } else if rest.hasPrefix("*") { rest = rest.dropFirst() }
        return isDNS1123Label(rest)
    }

    static func dnsPreconditions(_ name: String) -> String? {
        if name.utf8.count > 255 { return "domain name \"\(name)\" too long (max 255)" }
        if name.isEmpty { return "empty domain name not allowed" }
        return nil
    }

    static func dnsLabels(_ domain: Substring, whole: String) -> String? {
        let parts = domain.split(separator: ".", omittingEmptySubsequences: false)
        if let top = parts.last, !top.isEmpty, top.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "domain name \"\(whole)\" invalid (top level domain \"\(top)\" cannot be all-numeric)"
        }
        for (index, label) in parts.enumerated() {
            if index == parts.count - 1 && label.isEmpty { return nil }
            if !isDNS1123Label(label) { return "domain name \"\(whole)\" invalid (label \"\(label)\" invalid)" }
        }
        return nil
    }

    /// A fully qualified domain name.
    static func fqdn(_ name: String) -> String? {
        dnsPreconditions(name) ?? dnsLabels(Substring(name), whole: name)
    }

    /// A domain name whose first label may be a wildcard (`*.example.com`).
    static func wildcardDomain(_ domain: String) -> String? {
        if let problem = dnsPreconditions(domain) { return problem }
        let parts = domain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if !isWildcardDNS1123Label(parts[0]) { return "domain name \"\(domain)\" invalid (label \"\(parts[0])\" invalid)" }
        return parts.count > 1 ? dnsLabels(parts[1], whole: domain) : nil
    }

    /// A port number.
    static func port(_ number: Int) -> String? {
        (1...65535).contains(number) ? nil : "port number \(number) must be in the range 1..65535"
    }

    static func isIPAddress(_ text: String) -> Bool { IPAddress(text) != nil }

    /// The hostname part of `namespace/host` in Gateways and Sidecars.
    static func sidecarOrGatewayHostname(_ host: String, isGateway: Bool) -> [String] {
        var problems: [String] = []
        if host != "*" && !host.contains(".") { problems.append("short names (non FQDN) are not allowed") }
        if let problem = wildcardDomain(host), !(isGateway && isIPAddress(host)) { problems.append(problem) }
        if host.contains("*") && host.count != 1 && !host.hasPrefix("*.") { problems.append("partial wildcard \"\(host)\" not allowed") }
        return problems
    }

    /// `namespace/host` (Sidecar egress, Gateway servers; old-style bare hosts allowed in Gateways).
    static func namespaceSlashHostname(_ host: String, isGateway: Bool) -> [String] {
        let parts = host.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            return isGateway ? sidecarOrGatewayHostname(host, isGateway: true) : ["host must be of form namespace/dnsName"]
        }
        var problems: [String] = []
        if parts[0].isEmpty || parts[1].isEmpty { problems.append("config namespace and dnsName in host entry cannot be empty") }
        let allowed = isGateway ? ["*", "."] : ["*", ".", "~"]
        if !allowed.contains(parts[0]) && !isDNS1123Label(parts[0]) {
            problems.append("invalid namespace value \"\(parts[0])\" in \(isGateway ? "gateway" : "sidecar")")
        }
        return problems + sidecarOrGatewayHostname(parts[1], isGateway: isGateway)
    }

    /// Labels of a selector: no empty keys and no wildcards.
    static func selectorLabels(_ labels: [String: String]?) -> [String] {
        (labels ?? [:]).sorted { $0.key < $1.key }.flatMap { key, value -> [String] in
            var problems: [String] = []
            if key.isEmpty { problems.append("empty key is not supported in selector: \"\(key)=\(value)\"") }
            if key.contains("*") || value.contains("*") { problems.append("wildcard is not supported in selector: \"\(key)=\(value)\"") }
            return problems
        }
    }
}
