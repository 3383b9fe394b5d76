import Foundation
import MeshCLI
import MeshCore
import Testing

@Suite struct InjectCommandTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {port: http, path: /ready}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 80}]}
        """

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-inject-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func injectsWithTheBuiltinDefaultAndPassesOtherKindsThrough() async throws {
        let directory = try temporaryDirectory()
        let file = try write(Self.deployment, "app.yaml", in: directory)
        let result = await InProcess.run(["inject", "-f", file])
        #expect(result.code == .ok)
        let documents = try YAML.parseDocuments(result.standardOutput)
        #expect(documents.count == 2)
        let spec = documents[0]["spec"]?["template"]?["spec"]
        let proxy = spec?["initContainers"]?.arrayValue?.first { $0["name"] == "istio-proxy" }
        #expect(proxy?["restartPolicy"] == "Always")
        #expect(spec?["containers"]?[0]?["readinessProbe"]?["httpGet"]?["path"] == "/app-health/web/readyz")
        #expect(documents[1] == (try YAML.parseDocuments(Self.deployment))[1])
    }

    @Test func kubeInjectAliasAndClassicSidecars() async throws {
        let directory = try temporaryDirectory()
        let file = try write(Self.deployment, "app.yaml", in: directory)
        let result = await InProcess.run(["kube-inject", "-f", file, "--native-sidecars", "false"])
        #expect(result.code == .ok)
        let documents = try YAML.parseDocuments(result.standardOutput)
        let names = documents[0]["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["web", "istio-proxy"])
    }

    @Test func reinjectingGivesTheSameResultAndUninjectRestoresTheInput() async throws {
        let directory = try temporaryDirectory()
        let file = try write(Self.deployment, "app.yaml", in: directory)
        let once = await InProcess.run(["inject", "-f", file])
        let injected = try write(once.standardOutput, "injected.yaml", in: directory)
        let twice = await InProcess.run(["inject", "-f", injected])
        #expect(try YAML.parseDocuments(twice.standardOutput) == YAML.parseDocuments(once.standardOutput))
        let removed = await InProcess.run(["uninject", "-f", injected])
        #expect(removed.code == .ok)
        let restored = try YAML.parseDocuments(removed.standardOutput)
        let spec = restored[0]["spec"]?["template"]?["spec"]
        #expect(spec?["initContainers"] == nil)
        #expect(spec?["volumes"] == nil)
        #expect(spec?["containers"]?[0]?["readinessProbe"]?["httpGet"] == ["port": 8080, "path": "/ready"])
        #expect(restored[0]["spec"]?["template"]?["metadata"] == ["labels": ["app": "web"]])
    }

    @Test func readsDirectoriesRecursivelyAndStandardInput() async throws {
        let directory = try temporaryDirectory()
        _ = try write(Self.deployment, "a/app.yaml", in: directory)
        _ = try write("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}", "b/c.json", in: directory)
        _ = try write("not: [read", "b/notes.txt", in: directory)
        let result = await InProcess.run(["inject", "-f", directory.path])
        #expect(result.code == .ok)
        #expect(try YAML.parseDocuments(result.standardOutput).count == 3)
    }

    @Test func malformedYAMLFailsWith65AndLineAndColumn() async throws {
        let directory = try temporaryDirectory()
        let file = try write("kind: Pod\nspec: [\n  a: b\n", "bad.yaml", in: directory)
        let output = directory.appendingPathComponent("out.yaml").path
        let result = await InProcess.run(["inject", "-f", file, "-o", output])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("bad.yaml"))
        #expect(result.standardError.contains("at line 4, column 1"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func invalidAnnotationFailsWith65NamingDocumentAndFieldAndLeavesOutputAlone() async throws {
        let directory = try temporaryDirectory()
        let text = Self.deployment.replacingOccurrences(
            of: "metadata: {labels: {app: web}}",
            with: "metadata: {labels: {app: web}, annotations: {traffic.sidecar.istio.io/includeInboundPorts: \"x\"}}")
        let file = try write(text, "app.yaml", in: directory)
        let output = try write("previous\n", "out.yaml", in: directory)
        let result = await InProcess.run(["inject", "-f", file, "-o", output])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("Deployment \"shop/web\""))
        #expect(result.standardError.contains("traffic.sidecar.istio.io/includeInboundPorts"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous\n")
    }

    @Test func outputFileIsWrittenAndSkipsWarnOnStandardError() async throws {
        let directory = try temporaryDirectory()
        let text = Self.deployment.replacingOccurrences(of: "metadata: {labels: {app: web}}", with: "metadata: {labels: {app: web, sidecar.istio.io/inject: \"false\"}}")
        let file = try write(text, "app.yaml", in: directory)
        let output = directory.appendingPathComponent("out.yaml").path
        let result = await InProcess.run(["inject", "-f", file, "-o", output])
        #expect(result.code == .ok)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("Skipping injection because Deployment \"shop/web\" has sidecar injection disabled"))
        let written = try YAML.parseDocuments(String(contentsOfFile: output, encoding: .utf8))
        #expect(written[0]["spec"]?["template"]?["spec"]?["initContainers"] == nil)
    }

    @Test func missingFileIsAnErrorAndMissingFlagIsUsage() async {
        #expect(await InProcess.run(["inject", "-f", "/nonexistent/x.yaml"]).code == .failure)
        #expect(await InProcess.run(["inject"]).code == .usage)
        #expect(await InProcess.run(["inject", "-f", "x", "--native-sidecars", "maybe"]).code == .usage)
    }

    @Test func istioctlSpellingsAreAccepted() async throws {
        let directory = try temporaryDirectory()
        let file = try write(Self.deployment, "app.yaml", in: directory)
        let config = try write("templates:\n  sidecar: |\n    metadata:\n      annotations:\n        tag: \"{{ .Values.global.tag }}\"\n", "config.yaml", in: directory)
        let values = try write("global: {tag: t1}\n", "values.yaml", in: directory)
        let mesh = try write("trustDomain: example.org\n", "mesh.yaml", in: directory)
        let result = await InProcess.run([
            "kube-inject", "-f", file, "--injectConfigFile", config, "--valuesFile", values, "--meshConfigFile", mesh,
        ])
        #expect(result.code == .ok)
        let documents = try YAML.parseDocuments(result.standardOutput)
        #expect(documents[0]["spec"]?["template"]?["metadata"]?["annotations"]?["tag"] == "t1")
    }
}

extension InjectCommandTests {
    @Test func outputReplacesAnExistingFile() async throws {
        let directory = try temporaryDirectory()
        let file = try write(Self.deployment, "app.yaml", in: directory)
        let output = try write("old\n", "out.yaml", in: directory)
        let result = await InProcess.run(["inject", "-f", file, "-o", output])
        #expect(result.code == .ok)
        #expect(try YAML.parseDocuments(String(contentsOfFile: output, encoding: .utf8)).count == 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
