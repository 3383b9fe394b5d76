import Foundation
import MeshCore
import MeshPolicy
import Testing

/// The typed models against Istio's CRD schemas: a sample object with every schema field decodes with no field
/// unknown to the model and encodes back unchanged, for every served version of every kind.
@Suite struct CRDSchemaTests {
    /// `<package>/../shared/istio/manifests/charts/base/files/crd-all.gen.yaml`, read at run time.
    static let crdPath: String = {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared/istio/manifests/charts/base/files/crd-all.gen.yaml").path
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: crdPath) }

    /// (kind, version, spec schema) for the modelled kinds.
    static func schemas() throws -> [(ResourceKind, String, Value)] {
        let text = try String(contentsOfFile: crdPath, encoding: .utf8)
        return try YAML.parseDocuments(text).flatMap { crd -> [(ResourceKind, String, Value)] in
            guard let kindName = crd["spec"]?["names"]?["kind"]?.stringValue, let kind = ResourceKind(rawValue: kindName),
                crd["spec"]?["group"]?.stringValue == kind.group else { return [] }
            return (crd["spec"]?["versions"]?.arrayValue ?? []).compactMap { version in
                guard let name = version["name"]?.stringValue, let spec = version["schema"]?["openAPIV3Schema"]?["properties"]?["spec"] else { return nil }
                return (kind, name, spec)
            }
        }
    }

    /// A value with every property the schema declares, to a bounded depth.
    static func sample(_ schema: Value, depth: Int = 0) -> Value {
        if depth > 8 { return .null }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true { return 1 }
        switch schema["type"]?.stringValue {
        case "object":
            if let properties = schema["properties"]?.objectValue {
                return .object(Value.Object(properties.map { ($0.key, sample($0.value, depth: depth + 1)) }))
            }
            if let additional = schema["additionalProperties"], case .object = additional {
                return ["key": sample(additional, depth: depth + 1)]
            }
            return [:]
        case "array": return [sample(schema["items"] ?? [:], depth: depth + 1)]
        case "string": return schema["enum"]?[0] ?? "value"
        case "integer": return 8080
        case "number": return 1.5
        case "boolean": return true
        default: return .null
        }
    }

    @Test(.enabled(if: available, "Istio's CRDs are not at ../shared/istio; schema coverage not checked"))
    func everySchemaFieldIsModelledAndRoundTrips() throws {
        let schemas = try Self.schemas()
        #expect(Set(schemas.map(\.0)) == Set(ResourceKind.allCases))
        #expect(schemas.count == 21)
        for (kind, version, schema) in schemas {
            #expect(kind.servedVersions.contains(version))
            let document: Value = [
                "apiVersion": .string("\(kind.group)/\(version)"), "kind": .string(kind.rawValue),
                "metadata": ["name": "sample", "namespace": "default", "uid": "kept-as-is"],
                "spec": Self.sample(schema),
            ]
            let resource = try #require(try MeshResource.decode(document), "\(kind.rawValue) \(version)")
            #expect(resource.unknownFields == [], "\(kind.rawValue)/\(version) fields not in the model")
            #expect(resource.value == document, "\(kind.rawValue)/\(version) does not round-trip")
        }
    }
}
