import MeshCore
import MeshKube
import MeshPolicy

/// Where `authz check` gets its AuthorizationPolicies: files (no cluster touched) or the cluster.
enum AuthzPolicyLoader {
    /// A policy that cannot be read or that Istio would reject: `authz check` must not guess, so exit 65.
    struct InvalidPolicy: Error, CustomStringConvertible, ExitCodeProviding {
        var description: String
        var exitCode: ExitCode { .dataError }
    }

    /// The AuthorizationPolicies in `paths`; other kinds are ignored. A policy without a namespace is in
    /// `defaultNamespace` (as `kubectl apply -n` would put it).
    static func fromFiles(_ paths: [String], defaultNamespace: String) throws -> [CompiledPolicy] {
        let source = ManifestSource(paths: paths)
        if let failure = source.failures.first { throw failure }
        var policies: [CompiledPolicy] = []
        for document in source.documents {
            let place = "\(document.file): document \(document.index)"
            policies += try compile(document.value, place: place, defaultNamespace: defaultNamespace, strict: true)
        }
        return policies
    }

    /// The AuthorizationPolicies of `namespaces` on the cluster; ones that fail validation are used anyway
    /// (the cluster admitted them) with a warning.
    static func fromCluster(_ client: KubeClient, namespaces: [String], context: CommandContext) throws -> [CompiledPolicy] {
        let resource = try client.resolveResource("authorizationpolicies")
        var policies: [CompiledPolicy] = []
        for namespace in namespaces {
            for item in try client.list(resource, namespace: namespace).items {
                var value = item
                if value["apiVersion"] == nil { value["apiVersion"] = .string(resource.groupVersion) }
                if value["kind"] == nil { value["kind"] = .string(resource.kind) }
                let name = value["metadata"]?["name"]?.stringValue ?? "?"
                policies += try compile(value, place: "AuthorizationPolicy \(namespace)/\(name)", defaultNamespace: namespace, strict: false, context: context)
            }
        }
        return policies
    }

    private static func compile(_ value: Value, place: String, defaultNamespace: String, strict: Bool, context: CommandContext? = nil) throws -> [CompiledPolicy] {
        let resource: MeshResource?
        do {
            resource = try MeshResource.decode(value)
        } catch {
            throw InvalidPolicy(description: "\(place): \(error)")
        }
        guard case .authorizationPolicy(let policy)? = resource else { return [] }
        let errors = Validator.validate(.authorizationPolicy(policy)).filter { $0.severity == .error }
        if let first = errors.first {
            let text = "\(place): AuthorizationPolicy \(policy.name) is invalid: \(first.path): \(first.message)"
            if strict { throw InvalidPolicy(description: text) }
            context?.printError("Warning: \(text)")
        }
        do {
            return [try CompiledPolicy(policy, defaultNamespace: defaultNamespace)]
        } catch {
            throw InvalidPolicy(description: "\(place): \(error)")
        }
    }
}
