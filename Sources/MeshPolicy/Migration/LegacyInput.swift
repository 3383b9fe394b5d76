import MeshCore

/// The legacy RBAC objects and Services of the input, decoded and indexed by namespace.
struct LegacyInput {
    struct Role {
        var name: String
        var spec: LegacyRBAC.ServiceRole
    }

    struct Binding {
        var name: String
        var namespace: String
        var spec: LegacyRBAC.ServiceRoleBinding
        var permissive: Bool { spec.mode == "PERMISSIVE" }
        var inlineRules: [LegacyRBAC.AccessRule] { spec.actions ?? [] }
    }

    struct Config {
        var name: String
        var spec: LegacyRBAC.RbacConfig
    }

    /// By `namespace/name`.
    var roles: [String: Role] = [:]
    /// By the `namespace/role` they refer to; bindings with an inline role by `inline:namespace/name`.
    var bindings: [String: [Binding]] = [:]
    var config: Config?
    var services = ServiceSelectors()
    var problems: [String] = []
    var notes: [String] = []

    init(_ documents: [RBACConverter.Document], defaultNamespace: String) throws(PolicyError) {
        var ignored = 0
        for document in documents {
            guard case .object = document.value else { continue }
            let kind = document.value["kind"]?.stringValue ?? ""
            let group = (document.value["apiVersion"]?.stringValue ?? "").split(separator: "/").first.map(String.init) ?? ""
            let name = document.value["metadata"]?["name"]?.stringValue ?? ""
            let namespace = document.value["metadata"]?["namespace"]?.stringValue ?? defaultNamespace
            let legacy = group == LegacyRBAC.group || group == "config.istio.io"
            switch kind {
            case "ServiceRole" where legacy:
                roles["\(namespace)/\(name)"] = Role(name: name, spec: try decode(document))
            case "ServiceRoleBinding" where legacy:
                let binding = Binding(name: name, namespace: namespace, spec: try decode(document))
                if binding.spec.mode != nil && binding.spec.mode != "ENFORCED" && !binding.permissive {
                    problems.append("\(document.place): ServiceRoleBinding \(namespace)/\(name) has unknown mode \"\(binding.spec.mode!)\": not converted")
                    continue
                }
                if !binding.inlineRules.isEmpty {
                    bindings["inline:\(namespace)/\(name)", default: []].append(binding)
                } else if let role = Self.roleName(binding.spec) {
                    bindings["\(namespace)/\(role)", default: []].append(binding)
                } else {
                    problems.append("\(document.place): ServiceRoleBinding \(namespace)/\(name) names no ServiceRole (roleRef.name): not converted")
                }
            case "ClusterRbacConfig" where legacy, "RbacConfig" where legacy:
                if config != nil { problems.append("\(document.place): a second \(kind) \(name): only the first one is converted"); continue }
                if name != "default" { notes.append("\(document.place): \(kind) \(name) is not named \"default\", which Istio required; converted anyway") }
                var value = document.value
                if let snake = value["spec"]?["enforcement_mode"], value["spec"]?["enforcementMode"] == nil {
                    value["spec"]?["enforcementMode"] = snake
                    value["spec"]?["enforcement_mode"] = nil
                }
                config = Config(name: name, spec: try decode(RBACConverter.Document(value: value, place: document.place)))
            case "Service" where group == "v1":
                services.add(name: name, namespace: namespace, selector: document.value["spec"]?["selector"])
            default:
                ignored += 1
            }
        }
        if ignored > 0 { notes.append("\(ignored) document(s) of other kinds were ignored") }
    }

    /// The role a binding refers to (`roleRef.name`, or `role` without its leading `/`).
    static func roleName(_ spec: LegacyRBAC.ServiceRoleBinding) -> String? {
        if let name = spec.roleRef?.name, !name.isEmpty { return name }
        guard let role = spec.role, !role.isEmpty else { return nil }
        return role.hasPrefix("/") ? String(role.dropFirst()) : role
    }

    /// The document's `spec` as `Spec`; a field of the wrong type is an error, an unknown field a problem.
    private mutating func decode<Spec: Codable>(_ document: RBACConverter.Document) throws(PolicyError) -> Spec {
        let kind = document.value["kind"]?.stringValue ?? "?"
        let original = document.value["spec"] ?? [:]
        let spec: Spec
        do {
            spec = try ValueDecoder().decode(Spec.self, from: original)
        } catch {
            throw PolicyError("\(document.place): invalid \(kind) spec: \(error.message)", path: error.path.map { "spec.\($0)" } ?? "spec", cause: error)
        }
        let known = (try? ValueEncoder().encode(spec)) ?? [:]
        for field in ValueOverlay.unknownFields(original: original, decoded: known, path: "spec") {
            problems.append("\(document.place): \(kind) field \(field) is not known and was not converted")
        }
        return spec
    }
}
