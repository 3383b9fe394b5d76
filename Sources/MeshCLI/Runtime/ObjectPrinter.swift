import MeshCore

/// Prints objects in the machine-readable formats every command shares (`-o json|yaml`).
enum ObjectPrinter {
    /// JSON as kubectl prints it (4-space indent, keys in the object's order), or YAML in Kubernetes style.
    static func render(_ value: Value, format: OutputFormat) -> String {
        switch format {
        case .yaml:
            return YAML.emit(value)
        default:
            return JSON.emit(value, indent: 4) + "\n"
        }
    }
}
