/// An ALLOW or DENY AuthorizationPolicy described the way `meshctl authz allow|deny` takes it: one rule whose
/// `from`, `to` and `when` parts come from lists of values.
///
/// The rule matches a request from any of the principals, namespaces and request principals given (each field
/// ORs its values, the fields are ANDed), to any of the methods, paths and ports, when every condition holds.
/// With no field at all the rule matches every request, so `allow` allows everything and `deny` denies
/// everything on the selected workloads.
public struct PolicyDraft: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var action: AuthorizationAction
    /// The workload labels the policy applies to; empty: every workload in the namespace.
    public var selector: [String: String] = [:]
    public var principals: [String] = []
    public var namespaces: [String] = []
    public var requestPrincipals: [String] = []
    public var methods: [String] = []
    public var paths: [String] = []
    public var ports: [String] = []
    public var conditions: [Condition] = []

    public init(name: String, namespace: String, action: AuthorizationAction) {
        self.name = name
        self.namespace = namespace
        self.action = action
    }

    /// The policy as a resource in `apiVersion` (the version the cluster serves, else the preferred one).
    public func resource(apiVersion: String? = nil) -> Resource<AuthorizationPolicySpec> {
        var source = Source()
        source.principals = Self.nonEmpty(principals)
        source.namespaces = Self.nonEmpty(namespaces)
        source.requestPrincipals = Self.nonEmpty(requestPrincipals)
        let operation = Operation(ports: Self.nonEmpty(ports), methods: Self.nonEmpty(methods), paths: Self.nonEmpty(paths))
        let rule = AuthorizationRule(
            from: source.isEmpty ? nil : [RuleFrom(source: source)],
            to: operation.isEmpty ? nil : [RuleTo(operation: operation)],
            when: conditions.isEmpty ? nil : conditions)
        let spec = AuthorizationPolicySpec(
            selector: selector.isEmpty ? nil : WorkloadSelector(matchLabels: selector), rules: [rule], action: action.rawValue)
        var resource = Resource(kind: .authorizationPolicy, metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
        if let apiVersion { resource.apiVersion = apiVersion }
        return resource
    }

    /// The errors Istio's validation finds in the policy (none for a policy `kubectl apply` would accept).
    public func problems() -> [ValidationIssue] {
        var issues = Validator.validate(.authorizationPolicy(resource())).filter { $0.severity == .error }
        if !Self.isDNSLabel(name, maxLength: 253) {
            issues.append(ValidationIssue(.error, "metadata.name", "\"\(name)\" is not a valid name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"))
        }
        if !Self.isDNSLabel(namespace, maxLength: 63) || namespace.contains(".") {
            issues.append(ValidationIssue(.error, "metadata.namespace", "\"\(namespace)\" is not a valid namespace name"))
        }
        return issues
    }

    /// A condition from `KEY=V1,V2` (values) or `KEY!=V1,V2` (notValues); brackets in the key may hold `=`.
    public static func condition(_ text: String) throws(PolicyError) -> Condition {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case "=" where depth == 0:
                let negated = index > text.startIndex && text[text.index(before: index)] == "!"
                let key = String(text[..<(negated ? text.index(before: index) : index)])
                let values = text[text.index(after: index)...].split(separator: ",").map(String.init)
                guard !key.isEmpty, !values.isEmpty else { break }
                return negated ? Condition(key: key, notValues: values) : Condition(key: key, values: values)
            default: break
            }
            index = text.index(after: index)
        }
        throw PolicyError("a condition must be KEY=VALUE[,VALUE…] or KEY!=VALUE[,VALUE…], got \"\(text)\"")
    }

    private static func nonEmpty(_ values: [String]) -> [String]? {
        values.isEmpty ? nil : values
    }

    /// Kubernetes' DNS-1123 subdomain rule (names) — a label when `maxLength` is 63 and no dots are allowed.
    static func isDNSLabel(_ text: String, maxLength: Int) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard alphanumeric(bytes.first!), alphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
