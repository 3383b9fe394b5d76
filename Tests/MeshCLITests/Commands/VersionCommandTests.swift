import MeshCLI
import MeshCore
import Testing

@Suite struct VersionCommandTests {
    @Test func textNamesTheReleaseCommitAndCompiler() async {
        let result = await InProcess.run(["version", "--client"])
        #expect(result.code == .ok)
        let info = BuildInfo.current
        #expect(result.standardOutput.hasPrefix("Client Version: \(info.version)\n"))
        #expect(result.standardOutput.contains("Git Commit: \(info.gitCommit) (\(info.gitTreeState))\n"))
        #expect(result.standardOutput.contains("Swift Version: \(info.swiftVersion)\n"))
        #expect(result.standardOutput.contains("Platform: linux/"))
    }

    @Test(arguments: ["json", "yaml"])
    func machineReadableOutputCarriesClientVersion(format: String) async throws {
        let result = await InProcess.run(["version", "--client", "-o", format])
        #expect(result.code == .ok)
        let value = try format == "json" ? JSON.parse(result.standardOutput) : YAML.parse(result.standardOutput)
        let client = try #require(value["clientVersion"])
        #expect(client["version"]?.stringValue == BuildInfo.current.version)
        #expect(client["gitCommit"]?.stringValue == BuildInfo.current.gitCommit)
        #expect(client["gitTreeState"]?.stringValue == BuildInfo.current.gitTreeState)
        #expect(client["buildDate"]?.stringValue == BuildInfo.current.buildDate)
        #expect(client["swiftVersion"]?.stringValue == BuildInfo.current.swiftVersion)
        #expect(client["platform"]?.stringValue?.hasPrefix("linux/") == true)
    }

    @Test func jsonIsIndentedLikeKubectl() async {
        let result = await InProcess.run(["version", "--client", "-o", "json"])
        #expect(result.standardOutput.hasPrefix("{\n    \"clientVersion\": {\n        \"version\": "))
    }

    @Test func buildFactsAreRecorded() {
        let info = BuildInfo.current
        #expect(!info.version.isEmpty)
        #expect(info.gitCommit == "unknown" || info.gitCommit.count == 40)
        #expect(["clean", "dirty", "unknown"].contains(info.gitTreeState))
        #expect(info.buildDate.hasSuffix("Z"))
        #expect(info.swiftVersion.first?.isNumber == true)
    }
}

/// The README's main job: injecting the example manifest with the built-in default, offline.
@Suite struct ReadmeExampleTests {
    @Test func theExampleManifestInjectsOffline() async throws {
        let example = Golden.url("examples/asset-api.yaml").path
        let result = await InProcess.run(["inject", "-f", example], environment: ["KUBECONFIG": "/nonexistent"])
        #expect(result.code == .ok, "\(result.standardError)")
        let documents = try YAML.parseDocuments(result.standardOutput)
        #expect(documents.count == 2)
        let pod = documents[0]["spec"]?["template"]?["spec"]
        let names = ((pod?["initContainers"]?.arrayValue ?? []) + (pod?["containers"]?.arrayValue ?? []))
            .compactMap { $0["name"]?.stringValue }
        #expect(names.contains("istio-proxy"))
        #expect(names.contains("asset-api"))
        #expect(documents[1]["kind"]?.stringValue == "Service")
        let readme = try String(contentsOf: Golden.url("README.md"), encoding: .utf8)
        #expect(readme.contains("swift run meshctl inject -f examples/asset-api.yaml"))
    }
}
