import MeshCore

/// `meshctl completion bash|zsh|fish`: shell completion scripts generated from the command tree.
enum CompletionCommand {
    static let shells = ["bash", "zsh", "fish"]

    static let spec: CommandSpec = CommandSpec(
        name: "completion",
        abstract: "Print a shell completion script (bash, zsh, fish)",
        discussion: """
            Print a script that makes your shell complete meshctl's commands, flags and flag values. Names that
            only a cluster knows (contexts, namespaces) are asked from meshctl itself while you type.

            bash (needs the bash-completion package):
              source <(meshctl completion bash)                      # this shell
              meshctl completion bash > /etc/bash_completion.d/meshctl   # every shell

            zsh:
              meshctl completion zsh > "${fpath[1]}/_meshctl"        # then start a new shell

            fish:
              meshctl completion fish > ~/.config/fish/completions/meshctl.fish
            """,
        examples: [
            .init("Complete meshctl in this bash session", "source <(meshctl completion bash)"),
            .init("Install the zsh completion", "meshctl completion zsh > \"${fpath[1]}/_meshctl\""),
        ],
        arguments: [ArgumentSpec("SHELL", help: "bash, zsh or fish", completion: .values(shells))],
        run: { invocation, context in
            let root = Meshctl.root
            switch invocation.arguments.first {
            case "zsh": context.standardOutput.write(ZshCompletionGenerator(root: root).render())
            case "fish": context.standardOutput.write(FishCompletionGenerator(root: root).render())
            default: context.standardOutput.write(BashCompletionGenerator(root: root).render())
            }
            return .ok
        }
    )
}
