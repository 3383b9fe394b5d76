import Foundation
import MeshCLI
import MeshCore
import MeshTestSupport
import Testing

/// `meshctl validate -f FILE|DIR`: Istio's rules offline, problems named by file, document and field.
@Suite struct ValidateCommandTests {
    static let valid = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: web, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [web.example.com]
            tls: {mode: SIMPLE, credentialName: web-cert}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        """

    static let invalid = """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: web, namespace: default}
        spec:
          hosts: [web.example.com]
          gateways: [web]
          http:
          - route: [{destination: {host: web}, weight: -5}]
        """

    @Test func validFilesExitZeroAndSkipOtherKinds() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("ok.yaml", Self.valid)
        let result = await InProcess.run(["validate", "-f", path])
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(result.standardOutput == """
            \(path): document 1: Gateway default/web: valid
            1 resource checked, 0 invalid, 1 document of other kinds skipped

            """)
    }

    @Test func invalidResourceExits79NamingFileDocumentAndField() async throws {
        let files = try KubeconfigFiles()
        try files.write("dir/a.yaml", Self.valid)
        let bad = try files.write("dir/sub/b.yml", Self.invalid)
        let result = await InProcess.run(["validate", "-f", files.path("dir")])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput.contains("\(bad): document 1: VirtualService default/web: error: spec.http[0].route[0].weight: weight -5 < 0\n"))
        #expect(result.standardOutput.hasSuffix("2 resources checked, 1 invalid, 1 document of other kinds skipped\n"))
    }

    @Test func jsonReport() async throws {
        let files = try KubeconfigFiles()
        let bad = try files.write("b.yaml", Self.invalid)
        let result = await InProcess.run(["validate", "-f", bad, "-o", "json"])
        #expect(result.code == .problemsFound)
        let value = try JSON.parse(result.standardOutput)
        let resource = try #require(value["resources"]?[0])
        #expect(resource["valid"] == false)
        #expect(resource["document"] == 1)
        #expect(resource["issues"]?[0]?["field"] == "spec.http[0].route[0].weight")
    }

    @Test func malformedYAMLAndMissingFilesAreBadInput() async throws {
        let files = try KubeconfigFiles()
        let broken = try files.write("broken.yaml", "spec: [\n")
        let result = await InProcess.run(["validate", "-f", broken, "-f", files.path("missing.yaml")])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("Error: \(broken): "))
        #expect(result.standardError.contains("missing.yaml: no such file or directory"))
    }

    @Test func unservedVersionIsReportedNotDropped() async throws {
        let files = try KubeconfigFiles()
        let old = try files.write("old.yaml", "apiVersion: security.istio.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: p}\n")
        let result = await InProcess.run(["validate", "-f", old])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("AuthorizationPolicy is not served in version security.istio.io/v1alpha1"))
    }

    @Test func filenameIsRequired() async {
        let result = await InProcess.run(["validate"])
        #expect(result.code == .usage)
    }

    @Test func standardInputThroughTheBinary() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MeshctlBinary.path)
        process.arguments = ["validate", "-f", "-"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(Self.invalid.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 79)
        #expect(text.contains("<stdin>: document 1: VirtualService default/web: error:"))
    }
}
