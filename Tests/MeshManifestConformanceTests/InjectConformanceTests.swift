import MeshCore
import Testing

@testable import MeshManifest

/// Runs Istio's kube-inject golden matrix (`derived/kube-inject-golden-settings/cases.yaml`) through
/// `Injector` and compares each result with its golden as data.
@Suite struct InjectConformanceTests {
    @Test func goldenCasesMatch() throws {
        guard let fixtures = IstioFixtures.locate() else {
            print("inject conformance: skipped, ../shared/istio is absent")
            return
        }
        let runner = try ConformanceRunner(fixtures: fixtures)
        var failures: [String] = []
        let cases = runner.cases
        for (index, testCase) in cases.enumerated() {
            if let failure = runner.run(testCase) {
                failures.append("  #\(index) \(testCase.string("want") ?? testCase.string("in") ?? "?"): \(failure)")
            }
        }
        print("inject conformance: \(cases.count - failures.count)/\(cases.count) cases match")
        for failure in failures { print(failure) }
        // The figure is the result; a regression below it fails the test.
        #expect(cases.count - failures.count >= ConformanceRunner.floor)
    }
}

struct ConformanceRunner {
    /// The number of matching cases this implementation is known to reach.
    static let floor = 93

    let fixtures: IstioFixtures
    let cases: [Value]
    let config: Value
    let values: Value
    let mesh: Value

    init(fixtures: IstioFixtures) throws {
        self.fixtures = fixtures
        let base = "derived/kube-inject-golden-settings/"
        cases = try YAML.parse(fixtures.text(base + "cases.yaml") ?? "").arrayValue ?? []
        config = try YAML.parse(fixtures.text(base + "inject-config.yaml") ?? "")
        values = try JSON.parse(fixtures.text(base + "values.json") ?? "{}")
        mesh = try YAML.parse(fixtures.text(base + "mesh.yaml") ?? "")
    }

    /// `nil` when the case matches, else why not.
    func run(_ testCase: Value) -> String? {
        var values = self.values
        var mesh = self.mesh
        var extraTemplates: [String: String] = [:]
        if let overlay = testCase["valuesOverlay"] { values = MeshDefaults.helmMerge(values, overlay) }
        if let meshOverlay = testCase["meshOverlay"] { mesh = MeshDefaults.deepMerge(mesh, meshOverlay) }
        if let iopPath = testCase.string("iop") {
            guard let text = fixtures.text(iopPath), let iop = try? YAML.parse(text) else { return "cannot read \(iopPath)" }
            if let iopValues = iop["spec"]?["values"] { values = MeshDefaults.helmMerge(values, iopValues) }
            for (name, source) in iop["spec"]?["values"]?["sidecarInjectorWebhook"]?["templates"]?.objectValue ?? [:] {
                if let source = source.stringValue { extraTemplates[name] = source }
            }
        }
        var environment: [String: String] = [:]
        for (key, value) in testCase["env"]?.objectValue ?? [:] { environment[key] = value.stringValue ?? "" }
        guard let inputPath = testCase.string("in"), let input = fixtures.text(inputPath) else { return "cannot read input" }
        let result: InjectionResult
        do {
            let settings = try InjectionSettings(
                config: config, values: values, mesh: mesh, extraTemplates: extraTemplates, revision: "",
                nativeSidecars: testCase["nativeSidecars"]?.boolValue ?? true, environment: environment)
            let documents = try YAML.parseDocuments(input)
            result = try Injector(settings: settings).inject(documents)
        } catch {
            if let expected = testCase.string("expectedError") {
                let message = "\(error)".lowercased()
                return message.contains(expected.lowercased()) ? nil : "error \(message) lacks \(expected)"
            }
            return "error: \(error)"
        }
        if let expected = testCase.string("expectedError") { return "expected an error containing \(expected)" }
        if let log = testCase.string("expectedLog"), !result.warnings.contains(where: { $0.contains(log) }) {
            return "missing warning \(log); got \(result.warnings)"
        }
        guard let wantPath = testCase.string("want"), let wantText = fixtures.text(wantPath) else { return "no golden" }
        let want: [Value]
        do {
            want = try YAML.parseDocuments(wantText)
        } catch {
            return "golden does not parse: \(error)"
        }
        // Round-trip ours through YAML text so scalars resolve as in the golden.
        let ours: [Value]
        do {
            ours = try YAML.parseDocuments(YAML.emitDocuments(result.documents))
        } catch {
            return "our output does not parse: \(error)"
        }
        let lhs = SemanticComparison.normalize(.array(ours))
        let rhs = SemanticComparison.normalize(.array(want))
        return SemanticComparison.firstDifference(lhs, rhs)
    }
}
