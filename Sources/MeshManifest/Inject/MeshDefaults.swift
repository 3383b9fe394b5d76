import MeshCore

/// The mesh config fields the injector reads, with the defaults Istio's `DefaultMeshConfig()` gives them; a mesh
/// config text is applied over these.
enum MeshDefaults {
    static let proxyConfig: Value = .object(Value.Object(ProxyConfigJSON.defaults.map { ($0.key, $0.value) }))

    static let mesh: Value = [
        "proxyListenPort": 15001,
        "proxyInboundListenPort": 15006,
        "trustDomain": "cluster.local",
        "rootNamespace": "istio-system",
        "enablePrometheusMerge": true,
        "inboundTrafficPolicy": ["mode": "PASSTHROUGH"],
        "defaultConfig": proxyConfig,
    ]

    /// `mesh` over the defaults.
    static func apply(_ mesh: Value) -> Value {
        deepMerge(Self.mesh, mesh)
    }

    /// Helm's merge of values files and `--set`: mappings merge recursively, `null` deletes the key, anything
    /// else replaces.
    static func helmMerge(_ base: Value, _ overlay: Value) -> Value {
        guard case .object(var result) = base, case .object(let top) = overlay else { return overlay }
        for (key, value) in top {
            if value.isNull {
                result[key] = nil
            } else if let existing = result[key], case .object = existing, case .object = value {
                result[key] = helmMerge(existing, value)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    /// Mappings merge recursively; anything else in `overlay` replaces (protobuf merge semantics for messages).
    static func deepMerge(_ base: Value, _ overlay: Value) -> Value {
        guard case .object(var result) = base, case .object(let top) = overlay else {
            return overlay.isNull ? base : overlay
        }
        for (key, value) in top {
            if let existing = result[key], case .object = existing, case .object = value {
                result[key] = deepMerge(existing, value)
            } else if !value.isNull {
                result[key] = value
            }
        }
        return .object(result)
    }
}
