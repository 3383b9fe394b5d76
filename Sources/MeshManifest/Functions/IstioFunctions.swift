import MeshCore

/// The functions Istio's injector adds to Sprig for its templates (`annotation`, `isset`, `valueOrDefault`,
/// `excludeInboundPort`, `structToJSON`, `protoToJSON`, `appendMultusNetwork`, `env`, …), with Istio's argument
/// order and fallbacks.
public enum IstioFunctions {
    /// The injection function set: Sprig, Istio's additions, and `env` reading `environment` (never the process).
    public static func functions(environment: [String: String] = [:]) -> TemplateFunctions {
        var table = table
        table["env"] = { args in
            let key = SprigFunctions.string(args.first ?? .null)
            let fallback = args.count > 1 ? SprigFunctions.string(args[1]) : ""
            let value = environment[key] ?? ""
            return .string(value.isEmpty ? fallback : value)
        }
        return TemplateFunctions.standard.merging(table)
    }

    static let table: [String: TemplateFunction] = [
        "isset": { args in
            guard args.count == 2 else { return .bool(false) }
            return .bool(args[0].objectValue?[SprigFunctions.string(args[1])] != nil)
        },
        "annotation": { args throws(TemplateFunctionError) in
            try SprigFunctions.need(args, 3, "annotation")
            let name = SprigFunctions.string(args[1])
            if let value = args[0]["annotations"]?[name] ?? args[0]["Annotations"]?[name] {
                return .string(SprigFunctions.string(value))
            }
            return .string(args[2].isNull ? "<nil>" : GoFormat.value(args[2]))
        },
        "valueOrDefault": { args throws(TemplateFunctionError) in
            try SprigFunctions.need(args, 2, "valueOrDefault")
            if args[0].isNull || args[0] == .string("") { return args[1] }
            return args[0]
        },
        "excludeInboundPort": { args throws(TemplateFunctionError) in
            try SprigFunctions.need(args, 2, "excludeInboundPort")
            return .string(excludeInboundPort(args[0], SprigFunctions.string(args[1])))
        },
        "structToJSON": { args in .string(GoStructJSON.encode(args.first ?? .null)) },
        "protoToJSON": { args in .string(ProxyConfigJSON.encode(args.first ?? .null)) },
        "toJSON": { args in
            guard let value = args.first, !value.isNull else { return .string("{}") }
            return .string(JSON.emit(value, sortKeys: true))
        },
        "fromJSON": { args in
            (try? JSON.parse(SprigFunctions.string(args.first ?? .null))) ?? .null
        },
        "toYaml": { args in .string(ManifestYAML.toYaml(args.first ?? .null)) },
        "omitNil": { args in ManifestYAML.omitNil(args.first ?? .null) },
        "strdict": { args in
            var object = Value.Object()
            var index = 0
            while index + 1 < args.count {
                object[SprigFunctions.string(args[index])] = .string(SprigFunctions.string(args[index + 1]))
                index += 2
            }
            return .object(object)
        },
        "mergeMaps": { args in .object(mergeMaps(args)) },
        "toJsonMap": { args in .string(JSON.emit(.object(mergeMaps(args)), sortKeys: true)) },
        // Istio's own indent leaves the first line alone (the template places it); Sprig's nindent stays.
        "indent": { args throws(TemplateFunctionError) in
            try SprigFunctions.need(args, 2, "indent")
            let pad = String(repeating: " ", count: max(0, args[0].intValue ?? 0))
            return .string(SprigFunctions.replace(SprigFunctions.string(args[1]), "\n", with: "\n" + pad))
        },
        "directory": { args in .string(PathText.directory(SprigFunctions.string(args.first ?? .null))) },
        "appendMultusNetwork": { args throws(TemplateFunctionError) in
            try SprigFunctions.need(args, 2, "appendMultusNetwork")
            return .string(appendMultusNetwork(SprigFunctions.string(args[0]), SprigFunctions.string(args[1])))
        },
        "formatDuration": { args in .string(SprigFunctions.string(args.first ?? .null)) },
        "otelResourceAttributes": { args in .string(OTelResourceAttributes.render(args)) },
    ]

    static func mergeMaps(_ maps: [Value]) -> Value.Object {
        var result = Value.Object()
        for map in maps {
            for (key, value) in map.objectValue ?? [:] { result[key] = .string(SprigFunctions.string(value)) }
        }
        return result
    }

    /// Adds the status port to the excluded inbound ports unless it is already there or is 0.
    static func excludeInboundPort(_ port: Value, _ excluded: String) -> String {
        let portText = SprigFunctions.trim(GoFormat.value(port), cutset: " \t\n\r")
        if portText.isEmpty || portText == "0" || port.isNull { return excluded }
        var out: [String] = []
        for item in SprigFunctions.split(excluded, separator: ",") {
            if item == portText { return excluded }
            let trimmed = SprigFunctions.trim(item, cutset: " \t\n\r")
            if !trimmed.isEmpty { out.append(trimmed) }
        }
        out.append(portText)
        return out.joined(separator: ",")
    }

    /// Adds Istio's CNI network to a Multus networks annotation (comma list or JSON list), once.
    static func appendMultusNetwork(_ existing: String, _ network: String) -> String {
        if existing.isEmpty { return network }
        if let close = existing.lastIndex(of: "]") {
            guard let parsed = try? JSON.parse(existing), let items = parsed.arrayValue else { return existing }
            let bare = SprigFunctions.split(network, separator: "/").last ?? network
            if items.contains(where: { $0["name"] == .string(network) || $0["name"] == .string(bare) }) { return existing }
            let parts = SprigFunctions.split(network, separator: "/")
            let entry = parts.count == 2
                ? "{\"name\": \"\(parts[1])\", \"namespace\": \"\(parts[0])\"}" : "{\"name\": \"\(network)\"}"
            return String(existing[..<close]) + ", " + entry + "]"
        }
        for item in SprigFunctions.split(existing, separator: ",")
        where SprigFunctions.trim(item, cutset: " \t\n\r") == network {
            return existing
        }
        return existing + ", " + network
    }
}
