import MeshCore

/// Everything injection renders with: the injector config (templates, policy, default templates), the Helm
/// `values`, the mesh config, the revision and the native-sidecar switch.
///
/// Built from the same three texts Istio keeps in its ConfigMaps (`istio-sidecar-injector` keys `config` and
/// `values`, `istio` key `mesh`), or from the built-in default (`BuiltinInjection`).
public struct InjectionSettings: Sendable {
    /// Parsed templates by name.
    public var templates: [String: Template]
    /// Templates used when a pod names none (`inject.istio.io/templates`).
    public var defaultTemplates: [String]
    /// Template name aliases (`aliases:` in the config).
    public var aliases: [String: [String]]
    /// Annotations added to every injected pod (`injectedAnnotations:`).
    public var injectedAnnotations: [String: String]
    /// The Helm values, as the templates see them under `.Values`.
    public var values: Value
    /// The mesh config over Istio's defaults, as `.MeshConfig`.
    public var meshConfig: Value
    /// The revision written into `istio.io/rev` and the status annotation (`default` when empty).
    public var revision: String
    /// Whether the proxy runs as a native sidecar (an init container with `restartPolicy: Always`).
    public var nativeSidecars: Bool
    /// What the templates' `env` function reads.
    public var environment: [String: String]

    /// Builds settings from the injector `config` text, `values` text (JSON or YAML) and `mesh` text.
    ///
    /// - Parameters:
    ///   - extraTemplates: templates added to (or replacing) those of the config, such as an IstioOperator's
    ///     `sidecarInjectorWebhook.templates`.
    /// - Throws: `MeshManifestError` (`.invalidConfig`, or a template parse error naming the template).
    public init(
        config: String, values: String, mesh: String, extraTemplates: [String: String] = [:],
        revision: String = "", nativeSidecars: Bool = true, environment: [String: String] = [:]
    ) throws(MeshManifestError) {
        let configValue = try Self.parse(config, what: "injection config")
        let valuesValue = try Self.parse(values, what: "values")
        let meshValue = try Self.parse(mesh, what: "mesh config")
        try self.init(
            config: configValue, values: valuesValue, mesh: meshValue, extraTemplates: extraTemplates,
            revision: revision, nativeSidecars: nativeSidecars, environment: environment)
    }

    /// Builds settings from already parsed values; see `init(config:values:mesh:…)`.
    public init(
        config: Value, values: Value, mesh: Value, extraTemplates: [String: String] = [:],
        revision: String = "", nativeSidecars: Bool = true, environment: [String: String] = [:]
    ) throws(MeshManifestError) {
        let functions = IstioFunctions.functions(environment: environment)
        var sources: [String: String] = [:]
        for (name, text) in config["templates"]?.objectValue ?? [:] {
            guard case .string(let source) = text else {
                throw MeshManifestError(.invalidConfig, "template \"\(name)\" is not a string", field: "templates.\(name)")
            }
            sources[name] = source
        }
        for (name, source) in extraTemplates { sources[name] = source }
        if sources.isEmpty, case .string(let legacy)? = config["template"] { sources["sidecar"] = legacy }
        var templates: [String: Template] = [:]
        for (name, source) in sources {
            templates[name] = try Template(name: name, source: source, functions: functions)
        }
        self.templates = templates
        switch config["defaultTemplates"] {
        case .array(let names)?: defaultTemplates = names.compactMap(\.stringValue)
        default: defaultTemplates = ["sidecar"]
        }
        if defaultTemplates.isEmpty { defaultTemplates = ["sidecar"] }
        var aliases: [String: [String]] = [:]
        for (name, targets) in config["aliases"]?.objectValue ?? [:] {
            aliases[name] = targets.arrayValue?.compactMap(\.stringValue) ?? []
        }
        self.aliases = aliases
        var injected: [String: String] = [:]
        for (name, value) in config["injectedAnnotations"]?.objectValue ?? [:] {
            injected[name] = SprigFunctions.string(value)
        }
        self.injectedAnnotations = injected
        self.values = GoNumbers.floats(values.isNull ? .object([:]) : values)
        self.meshConfig = MeshDefaults.apply(mesh)
        self.revision = revision
        self.nativeSidecars = nativeSidecars
        self.environment = environment
    }

    static func parse(_ text: String, what: String) throws(MeshManifestError) -> Value {
        do {
            return try YAML.parse(text)
        } catch {
            throw MeshManifestError(.invalidConfig, "malformed \(what): \(error)", underlying: error)
        }
    }
}

/// Numbers as Go sees them after `json.Unmarshal` into `interface{}`: every number is a float64, so `{{ 1000000 }}`
/// from values prints `1e+06` as it does in Istio.
enum GoNumbers {
    static func floats(_ value: Value) -> Value {
        switch value {
        case .int(let int): return .double(Double(int))
        case .array(let items): return .array(items.map(floats))
        case .object(let object): return .object(Value.Object(object.map { ($0.key, floats($0.value)) }))
        default: return value
        }
    }

    /// Integral floats back to integers, for YAML and JSON output.
    static func integers(_ value: Value) -> Value {
        switch value {
        case .double(let double) where double.rounded() == double && abs(double) < 1e15: return .int(Int(double))
        case .array(let items): return .array(items.map(integers))
        case .object(let object): return .object(Value.Object(object.map { ($0.key, integers($0.value)) }))
        default: return value
        }
    }
}
