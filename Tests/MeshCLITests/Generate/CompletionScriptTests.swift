import Foundation
import MeshCLI
import Testing

/// The completion scripts work in the real shells: bash (with bash-completion) and fish are driven as a user's
/// TAB would drive them; zsh is checked for syntax.
@Suite struct CompletionScriptTests {
    static let bash = Subprocess.find("bash")
    static let bashCompletion = "/usr/share/bash-completion/bash_completion"
    static let hasBashCompletion = bash != nil && FileManager.default.fileExists(atPath: bashCompletion)
    static let fish = Subprocess.find("fish")
    static let zsh = Subprocess.find("zsh")

    /// Completes `line` in bash as readline would split it, returning COMPREPLY.
    func bashComplete(_ line: String) throws -> [String] {
        let script = BashCompletionGenerator(root: Meshctl.root).render()
        let driver = """
            source \(Self.bashCompletion)
            \(script)
            COMP_LINE=$1
            COMP_POINT=${#COMP_LINE}
            COMP_WORDS=()
            read -ra raw <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && raw+=("")
            for word in "${raw[@]}"; do
                if [[ "$word" == -*=* ]]; then COMP_WORDS+=("${word%%=*}" "=" "${word#*=}"); else COMP_WORDS+=("$word"); fi
            done
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _meshctl
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let binary = MeshctlBinary.directory
        let result = try Subprocess.run(
            try #require(Self.bash), ["-c", driver, "bash", line],
            environment: ["PATH": "\(binary):/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
        #expect(result.status == 0, "bash failed: \(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init).sorted()
    }

    @Test(.enabled(if: hasBashCompletion, "bash-completion is not installed (apt-get install bash-completion)"),
          arguments: [
            ("meshctl ", ["completion", "help", "pki", "version"]),
            ("meshctl ver", ["version"]),
            ("meshctl version --o", ["--output"]),
            ("meshctl version -o ", ["json", "yaml"]),
            ("meshctl version --output=y", ["yaml"]),
            ("meshctl --color ", ["always", "auto", "never"]),
            ("meshctl -n prod completion ", ["bash", "fish", "zsh"]),
            ("meshctl --mesh-namespace x completion z", ["zsh"]),
            ("meshctl -vv version --cl", ["--client"]),
            ("meshctl help comp", ["completion"]),
          ])
    func bashCompletes(line: String, expected: [String]) throws {
        #expect(try bashComplete(line) == expected)
    }

    @Test(.enabled(if: fish != nil, "fish is not installed (apt-get install fish)"),
          arguments: [
            ("meshctl ver", ["version"]),
            ("meshctl version -o ", ["json", "yaml"]),
            ("meshctl --color ", ["always", "auto", "never"]),
            ("meshctl completion ", ["bash", "fish", "zsh"]),
            ("meshctl help comp", ["completion"]),
            ("meshctl -n x help completion ", []),
          ])
    func fishCompletes(line: String, expected: [String]) throws {
        let script = FishCompletionGenerator(root: Meshctl.root).render()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-fish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("meshctl.fish")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try Subprocess.run(
            try #require(Self.fish), ["--no-config", "-c", "source \(file.path); complete -C$argv[1]", line],
            environment: ["PATH": "\(MeshctlBinary.directory):/usr/bin:/bin", "HOME": directory.path])
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        let words = result.standardOutput.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        #expect(words.sorted() == expected)
    }

    @Test(.enabled(if: zsh != nil, "zsh is not installed (apt-get install zsh)"))
    func zshScriptParses() throws {
        let script = ZshCompletionGenerator(root: Meshctl.root).render()
        let result = try Subprocess.run(try #require(Self.zsh), ["-n"], input: script)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(script.hasPrefix("#compdef meshctl\n"))
        #expect(script.contains("'(-o --output)'{-o+,--output=}'[Output format\\: json, yaml]:FORMAT:(json yaml)'"))
    }

    @Test func bashScriptParses() throws {
        guard let bash = Self.bash else { return }
        let result = try Subprocess.run(bash, ["-n"], input: BashCompletionGenerator(root: Meshctl.root).render())
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test func callbackListsSubcommandsForHelp() async {
        #expect(await InProcess.run(["__complete", "commands"]).standardOutput == "version\npki\ncompletion\nhelp\n")
        #expect(await InProcess.run(["__complete", "commands", "version"]).standardOutput == "")
        #expect(await InProcess.run(["__complete", "commands", "nope"]).standardOutput == "")
    }
}
