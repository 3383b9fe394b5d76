import Foundation
import MeshCLI
import MeshCore
import MeshTestSupport
import Testing

/// `meshctl authz convert` through the command line: YAML out, problems on standard error, exit codes.
@Suite struct AuthzConvertCommandTests {
    static let rbac = """
        apiVersion: rbac.istio.io/v1alpha1
        kind: ClusterRbacConfig
        metadata: {name: default}
        spec: {mode: "ON"}
        ---
        apiVersion: rbac.istio.io/v1alpha1
        kind: ServiceRole
        metadata: {name: reader, namespace: foo}
        spec: {rules: [{services: ["*"], methods: [GET]}]}
        ---
        apiVersion: rbac.istio.io/v1alpha1
        kind: ServiceRoleBinding
        metadata: {name: readers, namespace: foo}
        spec: {roleRef: {kind: ServiceRole, name: reader}, subjects: [{user: "cluster.local/ns/foo/sa/sleep"}]}

        """

    @Test func convertsFilesAndDirectoriesToPolicies() async throws {
        let files = try KubeconfigFiles()
        try files.write("rbac/all.yaml", Self.rbac)
        let result = await InProcess.run(["authz", "convert", "-f", files.path("rbac"), "-i", "mesh-root"])
        #expect(result.code == .ok, "\(result.standardError)")
        let documents = try YAML.parseDocuments(result.standardOutput)
        #expect(documents.map { $0["metadata"]?["name"]?.stringValue ?? "" } == ["global-deny-all", "reader"])
        #expect(documents[0]["metadata"]?["namespace"] == "mesh-root")
        #expect(documents.allSatisfy { $0["apiVersion"] == "security.istio.io/v1beta1" && $0["kind"] == "AuthorizationPolicy" })
        #expect(documents[1]["spec"]?["rules"]?[0]?["from"]?[0]?["source"]?["principals"] == ["cluster.local/ns/foo/sa/sleep"])

        // The output is valid input for meshctl's own validation.
        let out = try files.write("out.yaml", result.standardOutput)
        let validate = await InProcess.run(["validate", "-f", out])
        #expect(validate.code == .ok, "\(validate.standardOutput)")
    }

    @Test func readsStandardInputThroughTheBinary() throws {
        let result = try Subprocess.run(MeshctlBinary.path, ["authz", "convert", "-f", "-"], environment: ["PATH": "/usr/bin:/bin"], input: Self.rbac)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try YAML.parseDocuments(result.standardOutput).compactMap { $0["metadata"]?["name"]?.stringValue } == ["global-deny-all", "reader"])
    }

    @Test func whatCannotBeExpressedIsReportedWithExit79() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("rbac.yaml", Self.rbac.replacingOccurrences(of: "services: [\"*\"]", with: "services: [ratings]"))
        let result = await InProcess.run(["authz", "convert", "-f", path])
        #expect(result.code == .problemsFound)
        #expect(result.standardError.contains("Warning: ServiceRole foo/reader rule 0: Service foo/ratings is not in the input"), "\(result.standardError)")
        #expect(try YAML.parseDocuments(result.standardOutput).count == 1)
    }

    @Test func badInput() async throws {
        let files = try KubeconfigFiles()
        let broken = try files.write("broken.yaml", "kind: ServiceRole\n  bad: [indent\n")
        let yaml = await InProcess.run(["authz", "convert", "-f", broken])
        #expect(yaml.code == .dataError)
        #expect(yaml.standardOutput.isEmpty)
        let shape = try files.write("shape.yaml", "apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata: {name: r}\nspec: {rules: oops}\n")
        let wrong = await InProcess.run(["authz", "convert", "-f", shape])
        #expect(wrong.code == .dataError)
        #expect(wrong.standardError.contains("invalid ServiceRole spec"), "\(wrong.standardError)")
        #expect(wrong.standardOutput.isEmpty)
        let none = await InProcess.run(["authz", "convert"])
        #expect(none.code == .usage)
        let nothing = try files.write("svc.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
        let empty = await InProcess.run(["authz", "convert", "-f", nothing])
        #expect(empty.code == .ok)
        #expect(empty.standardOutput.isEmpty)
        #expect(empty.standardError.contains("No legacy RBAC objects found."))
    }
}
