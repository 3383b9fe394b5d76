import MeshCore

/// YAML and JSON helpers the template functions share.
enum ManifestYAML {
    /// Istio's `toYaml`: Kubernetes-style YAML (keys sorted) without the final newline; nil is `null`.
    static func toYaml(_ value: Value) -> String {
        if case .null = value { return "null" }
        var text = YAML.emit(GoNumbers.integers(value))
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Istio's `omitNil`: the mapping without its nil entries, recursively.
    static func omitNil(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            var result = Value.Object()
            for (key, item) in object where !item.isNull { result[key] = omitNil(item) }
            return .object(result)
        default:
            return value
        }
    }
}

/// Go's `encoding/json` for the Kubernetes structs templates pass to `structToJSON`: fields in struct order,
/// empty optional fields left out.
enum GoStructJSON {
    /// `corev1.ContainerPort` field order; `containerPort` is the only field always written.
    static let containerPortOrder = ["name", "hostPort", "containerPort", "protocol", "hostIP"]

    static func encode(_ value: Value) -> String {
        guard case .object(let object) = value else { return JSON.emit(value) }
        if object["containerPort"] != nil {
            var ordered = Value.Object()
            for key in containerPortOrder {
                guard let item = object[key] else { continue }
                if key != "containerPort" && !GoTruth.isTrue(item) { continue }
                ordered[key] = item
            }
            return JSON.emit(.object(ordered))
        }
        return JSON.emit(value, sortKeys: true)
    }
}

/// `otelResourceAttributes`: the OpenTelemetry resource attributes Istio sets when a mesh OpenTelemetry provider
/// asks for semantic-convention enrichment (`service.namespace`, `service.version`, `service.instance.id`).
enum OTelResourceAttributes {
    /// Arguments: mesh config, annotations, labels, namespace, containers.
    static func render(_ args: [Value]) -> String {
        guard args.count == 5 else { return "" }
        let providers = args[0]["extensionProviders"]?.arrayValue ?? []
        let enriched = providers.contains {
            $0["opentelemetry"]?["serviceAttributeEnrichment"] == .string("OTEL_SEMANTIC_CONVENTIONS")
        }
        guard enriched else { return "" }
        let labels = args[2]
        let namespace = SprigFunctions.string(args[3])
        var parts: [String] = []
        if !namespace.isEmpty { parts.append("service.namespace=\(namespace)") }
        let version = labels["app.kubernetes.io/version"]?.stringValue ?? labels["version"]?.stringValue ?? ""
        if !version.isEmpty { parts.append("service.version=\(version)") }
        if let container = args[4].arrayValue?.first?["name"]?.stringValue {
            parts.append("service.instance.id=\(namespace.isEmpty ? "default" : namespace).$(POD_NAME).\(container)")
        }
        return parts.joined(separator: ",")
    }
}
