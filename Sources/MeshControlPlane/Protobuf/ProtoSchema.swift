/// The layouts of the Kubernetes protobuf messages meshctl's API server can read, from the generated table.
///
/// Parsed once on first use; the table holds every message of the shipped Kubernetes schemas (core, apps, batch,
/// networking, policy, rbac, coordination and apimachinery).
struct ProtoSchema: Sendable {
    /// One field of a message.
    struct Field: Sendable {
        enum Label: Sendable { case optional, repeated, map }
        var number: Int
        /// The JSON name (Kubernetes names proto fields after their JSON tags).
        var name: String
        var label: Label
        /// A scalar type name (`string`, `int64`, …) or a fully qualified message name; for maps, the value type.
        var type: String
        /// The key type of a map field.
        var keyType: String?
    }

    /// Fields by message name, then by field number.
    let messages: [String: [Int: Field]]

    /// The schema parsed from the generated table.
    static let shared = ProtoSchema(table: table)

    init(table: String) {
        var messages: [String: [Int: Field]] = [:]
        var current: String?
        for raw in table.split(separator: "\n") {
            let parts = raw.split(separator: " ")
            if parts.count == 2, parts[0] == "M" {
                current = String(parts[1])
                messages[String(parts[1]), default: [:]] = [:]
                continue
            }
            guard let message = current, parts.count == 4, let number = Int(parts[0]) else { continue }
            var field = Field(number: number, name: String(parts[1]), label: .optional, type: String(parts[3]))
            switch parts[2] {
            case "r": field.label = .repeated
            case "m":
                field.label = .map
                let types = parts[3].split(separator: ",")
                field.keyType = String(types.first ?? "string")
                field.type = String(types.last ?? "string")
            default: break
            }
            messages[message]?[number] = field
        }
        self.messages = messages
    }

    /// The message name for a Kubernetes `apiVersion` and `kind` (`apps/v1`, `Deployment` →
    /// `k8s.io.api.apps.v1.Deployment`), when the schema has it.
    func messageName(apiVersion: String, kind: String) -> String? {
        let parts = apiVersion.split(separator: "/")
        let package: String
        switch parts.count {
        case 1: package = "k8s.io.api.core.\(parts[0])"
        case 2:
            let group = parts[0].hasSuffix(".k8s.io") ? String(parts[0].dropLast(".k8s.io".count)) : String(parts[0])
            package = "k8s.io.api.\(group).\(parts[1])"
        default: return nil
        }
        let name = "\(package).\(kind)"
        return messages[name] == nil ? nil : name
    }
}
