import MeshCLI
import MeshCore
import Testing

/// Random command lines built from meshctl's own words and hostile ones: every one ends in help, a result, a
/// usage error or (with no kubeconfig to reach a cluster) a runtime failure — never a crash, and an error always
/// says so on stderr.
@Suite struct ParserRobustnessTests {
    static let words = [
        "version", "completion", "help", "bash", "zsh", "fish", "nope", "-", "--", "-o", "--output", "--output=",
        "json", "yaml", "xml", "-n", "-nfoo", "--namespace", "-i", "--istioNamespace=x", "--color", "always", "-v",
        "-vvv", "-v=2", "--verbose=x", "--request-timeout", "1m", "soon", "--client", "--client=false", "-h",
        "--help=false", "-=", "--=", "---", "", " ", "-\u{0}", "é", "--kubeconfig", "/dev/null", "-x", "__complete",
        "commands", "=", "-o=json", "--context=",
    ]

    /// A small deterministic generator (SplitMix64), so a failure is reproducible from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomCommandLinesNeverCrash() async {
        var generator = SplitMix(state: 20261127)
        for _ in 0..<1_500 {
            let count = Int.random(in: 0...6, using: &generator)
            let arguments = (0..<count).map { _ in Self.words.randomElement(using: &generator)! }
            let result = await InProcess.run(arguments)
            #expect([ExitCode.ok, .usage, .failure].contains(result.code), "\(arguments)")
            if result.code == .usage {
                #expect(result.standardOutput.isEmpty, "\(arguments)")
            }
            if result.code != .ok {
                let plain = result.standardError.replacing("\u{1B}[31m", with: "").replacing("\u{1B}[0m", with: "")
                #expect(plain.hasPrefix("Error: "), "\(arguments)")
            }
        }
    }
}
