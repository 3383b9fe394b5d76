import MeshCore
import MeshManifest

/// Resolves `inject`'s config flags into `InjectionSettings`: explicit files win, then the cluster's ConfigMaps
/// (`--from-cluster`), then the built-in default; an IstioOperator file adds its values, mesh config and templates.
enum InjectionOptions {
    static func settings(
        _ options: ParsedOptions, injectConfig: OptionSpec, values: OptionSpec, meshConfig: OptionSpec,
        operatorFile: OptionSpec, revision: OptionSpec, nativeSidecars: OptionSpec, cluster: ClusterInjectionConfig?,
        environment: [String: String]
    ) throws -> InjectionSettings {
        var config = cluster?.config ?? BuiltinInjection.config
        var valuesValue = cluster?.values ?? BuiltinInjection.values
        var mesh = cluster?.mesh ?? BuiltinInjection.mesh
        if let text = try ManifestFiles.readText(options.string(injectConfig)) {
            config = try parse(text, options.string(injectConfig) ?? "")
            // A custom injector config brings its own templates; its values come from --values (or none).
            valuesValue = [:]
        }
        if let text = try ManifestFiles.readText(options.string(values)) {
            valuesValue = try parse(text, options.string(values) ?? "")
        }
        if let text = try ManifestFiles.readText(options.string(meshConfig)) {
            mesh = try parse(text, options.string(meshConfig) ?? "")
        }
        var extraTemplates: [String: String] = [:]
        if let text = try ManifestFiles.readText(options.string(operatorFile)) {
            let iop = try parse(text, options.string(operatorFile) ?? "")
            if let iopValues = iop["spec"]?["values"] { valuesValue = merge(valuesValue, iopValues) }
            if let iopMesh = iop["spec"]?["meshConfig"] { mesh = merge(mesh, iopMesh) }
            for (name, source) in iop["spec"]?["values"]?["sidecarInjectorWebhook"]?["templates"]?.objectValue ?? [:] {
                if let source = source.stringValue { extraTemplates[name] = source }
            }
        }
        return try InjectionSettings(
            config: config, values: valuesValue, mesh: mesh, extraTemplates: extraTemplates,
            revision: options.string(revision) ?? "", nativeSidecars: options.string(nativeSidecars) != "false",
            environment: environment)
    }

    private static func parse(_ text: String, _ path: String) throws(MeshCoreError) -> Value {
        do {
            return try YAML.parse(text)
        } catch {
            var located = error
            located.message = "\(path): \(error.message)"
            throw located
        }
    }

    /// Helm-style merge: mappings recursively, `null` deletes, anything else replaces.
    static func merge(_ base: Value, _ overlay: Value) -> Value {
        guard case .object(var result) = base, case .object(let top) = overlay else { return overlay }
        for (key, value) in top {
            if value.isNull {
                result[key] = nil
            } else if let existing = result[key], existing.objectValue != nil, value.objectValue != nil {
                result[key] = merge(existing, value)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }
}

/// Writes result documents to standard output or, atomically, to a file.
enum ManifestOutput {
    static func write(_ documents: [Value], to path: String?, context: CommandContext) throws -> ExitCode {
        let text = documents.isEmpty ? "" : YAML.emitDocuments(documents) + "---\n"
        if let path, path != "-" {
            try ManifestFiles.writeAtomically(text, to: path)
        } else {
            context.standardOutput.write(text)
        }
        return .ok
    }
}
