import MeshCore
import Testing

@testable import MeshManifest

/// meshctl's own sidecar template must render what Istio's renders, for the same values and mesh config.
@Suite struct BuiltinTemplateConformanceTests {
    static let inputs = [
        "hello.yaml", "pod.yaml", "hello-probes.yaml", "traffic-annotations.yaml", "resource_annotations.yaml",
        "status_annotations.yaml", "multi-container.yaml", "statefulset.yaml", "cronjob.yaml", "list.yaml",
        "proxy-override.yaml", "native-sidecar.yaml", "hello-readiness.yaml", "two_container.yaml",
    ]

    @Test(arguments: inputs, [true, false])
    func builtinTemplateMatchesIstios(input: String, native: Bool) throws {
        guard let fixtures = IstioFixtures.locate() else {
            print("builtin template conformance: skipped, ../shared/istio is absent")
            return
        }
        let runner = try ConformanceRunner(fixtures: fixtures)
        guard let text = fixtures.text("pkg/kube/inject/testdata/inject/" + input) else { return }
        let documents = try YAML.parseDocuments(text)
        let istio = try InjectionSettings(config: runner.config, values: runner.values, mesh: runner.mesh, nativeSidecars: native)
        var ours = try InjectionSettings(config: BuiltinInjection.config, values: runner.values, mesh: runner.mesh, nativeSidecars: native)
        ours.defaultTemplates = ["sidecar"]
        let want = try Injector(settings: istio).inject(documents).documents
        let got = try Injector(settings: ours).inject(documents).documents
        let difference = SemanticComparison.firstDifference(
            SemanticComparison.normalize(.array(got)), SemanticComparison.normalize(.array(want)))
        #expect(difference == nil, "\(input) native=\(native): \(difference ?? "")")
    }

    @Test func builtinDefaultsInjectAPlainDeploymentWithoutNetwork() throws {
        let deployment = try YAML.parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """)
        let result = try Injector(settings: BuiltinInjection.settings()).inject([deployment])
        let spec = result.documents[0]["spec"]?["template"]?["spec"]
        let proxy = spec?["initContainers"]?.arrayValue?.first { $0["name"] == "istio-proxy" }
        #expect(proxy?["image"] == .string("docker.io/istio/proxyv2:\(BuiltinInjection.istioVersion)"))
        #expect(proxy?["restartPolicy"] == "Always")
    }
}
