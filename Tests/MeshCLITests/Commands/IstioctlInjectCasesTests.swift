import Foundation
import MeshTestSupport
import Testing

/// istioctl's own kube-inject command-line cases (`../shared/istio/istioctl/pkg/kubeinject/testdata/`), run through
/// the real meshctl binary with istioctl's flag spellings: the output must equal Istio's golden byte for byte.
@Suite(.enabled(if: IstioctlTestdata.available, "../shared/istio is absent: istioctl's kube-inject cases are skipped"))
struct IstioctlInjectCasesTests {

    static let files = ["--meshConfigFile", "mesh-config.yaml", "--injectConfigFile", "inject-config.yaml", "--valuesFile", "inject-values.yaml"]
    static let cases: [(input: String, flags: [String], golden: String)] = [
        ("hello.yaml", files, "hello.yaml.injected"),
        ("hello-with-proxyconfig-anno.yaml", files, "hello-with-proxyconfig-anno.yaml.injected"),
        ("hello.yaml", ["--operatorFileName", "istio-operator.yaml", "--injectConfigFile", "inject-config-iop.yaml"], "hello.yaml.iop.injected"),
    ]

    @Test(arguments: cases.indices)
    func matchesIstioctlsGolden(index: Int) throws {
        let testCase = Self.cases[index]
        let arguments = ["kube-inject"] + testCase.flags + ["--filename", "deployment/\(testCase.input)"]
        let result = try Subprocess.run(MeshctlBinary.path, arguments, environment: ["PATH": "/usr/bin:/bin"], directory: IstioctlTestdata.directory)
        #expect(result.status == 0, "\(result.standardError)")
        let golden = try String(contentsOf: IstioctlTestdata.directory.appendingPathComponent("deployment/\(testCase.golden)"), encoding: .utf8)
        #expect(result.standardOutput == golden, "meshctl \(arguments.joined(separator: " ")) differs from \(testCase.golden):\n\(Golden.diff(golden, result.standardOutput))")
    }
}

/// Where istioctl's kube-inject test data is, when `../shared/istio` is beside the checkout.
enum IstioctlTestdata {
    static let directory = Golden.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/istio/istioctl/pkg/kubeinject/testdata")
    static let available = FileManager.default.fileExists(atPath: directory.appendingPathComponent("deployment/hello.yaml").path)
}
