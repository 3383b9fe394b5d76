import MeshCore
import MeshPolicy
import Testing

/// The README's YAML examples are what users copy: each block must parse, and each Istio resource in them must
/// pass Istio's validation with no field the model doesn't know (a typo in an example is a bug).
@Suite struct ReadmeYAMLTests {
    /// The fenced ```yaml blocks of the README, with the line each starts on.
    static func yamlBlocks() throws -> [(line: Int, text: String)] {
        let readme = try String(contentsOf: Golden.url("README.md"), encoding: .utf8)
        var blocks: [(Int, String)] = []
        var current: (Int, [Substring])?
        for (index, line) in readme.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var block = current {
                if line.hasPrefix("```") {
                    blocks.append((block.0, block.1.joined(separator: "\n")))
                    current = nil
                } else {
                    block.1.append(line)
                    current = block
                }
            } else if line == "```yaml" {
                current = (index + 2, [])
            }
        }
        return blocks
    }

    @Test func everyYAMLExampleParsesAndItsIstioResourcesValidate() throws {
        let blocks = try Self.yamlBlocks()
        #expect(blocks.count >= 3, "the README's YAML examples were not found")
        var istioResources = 0
        for block in blocks {
            let documents: [Value]
            do {
                documents = try YAML.parseDocuments(block.text)
            } catch {
                Issue.record("README.md:\(block.line): the YAML block does not parse: \(error)")
                continue
            }
            for document in documents where document != .null {
                let resource: MeshResource?
                do {
                    resource = try MeshResource.decode(document)
                } catch {
                    Issue.record("README.md:\(block.line): \(document["kind"]?.stringValue ?? "?"): \(error.message)")
                    continue
                }
                guard let resource else { continue }
                istioResources += 1
                let errors = Validator.validate(resource).filter { $0.severity == .error }
                #expect(errors.isEmpty, "README.md:\(block.line): \(resource.kind.rawValue) \(resource.name): \(errors)")
                #expect(resource.unknownFields.isEmpty, "README.md:\(block.line): \(resource.kind.rawValue) \(resource.name): unknown \(resource.unknownFields)")
            }
        }
        #expect(istioResources >= 5)
    }
}
