import MeshCore
import MeshPolicy
import Testing

/// A document and the issue validation must report for it (or none).
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let name: String
    let yaml: String
    /// The path and message of the expected issue; nil means the document must have no errors.
    var path: String?
    var message: String?
    var severity: ValidationIssue.Severity = .error

    var testDescription: String { name }

    static func check(_ row: ValidationCase) throws {
        let resource = try #require(try MeshResource.decode(YAML.parse(row.yaml)), "\(row.name): not a modelled kind")
        let issues = Validator.validate(resource)
        if let message = row.message {
            #expect(issues.contains { $0.severity == row.severity && $0.path == row.path && $0.message.contains(message) },
                "\(row.name): got \(issues.map(\.description))")
        } else {
            #expect(!Validator.hasErrors(issues), "\(row.name): \(issues.map(\.description))")
        }
    }

    static func doc(_ kind: String, _ spec: String, name: String = "x", group: String = "networking.istio.io") -> String {
        """
        apiVersion: \(group)/v1
        kind: \(kind)
        metadata: {name: \(name), namespace: default}
        spec: \(spec)
        """
    }
}
