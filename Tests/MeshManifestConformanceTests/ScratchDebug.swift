import MeshCore
import Testing
@testable import MeshManifest

@Test func scratchRender() throws {
    guard let f = IstioFixtures.locate() else { return }
    let r = try ConformanceRunner(fixtures: f)
    let settings = try InjectionSettings(config: r.config, values: r.values, mesh: r.mesh)
    let docs = try YAML.parseDocuments(f.text("pkg/kube/inject/testdata/inject/hello.yaml")!)
    let doc = docs[0]
    let pod: Value = ["metadata": doc["spec"]!["template"]!["metadata"]!, "spec": doc["spec"]!["template"]!["spec"]!]
    let data = SidecarTemplateData.make(settings: settings, pod: pod, typeMeta: ["apiVersion": "apps/v1", "kind": "Deployment"], deploymentMeta: ["name": "hello", "namespace": ""], proxyConfig: settings.meshConfig["defaultConfig"]!)
    let out = try settings.templates["sidecar"]!.render(data)
    var n = 0
    for line in out.split(separator: "\n", omittingEmptySubsequences: false) { n += 1; if n >= 30 && n <= 60 { print("\(n): \(line)") } }
}
