import MeshCore
import MeshKube

/// `meshctl kubeconfig view`: the merged kubeconfig, secrets redacted unless asked.
enum KubeconfigViewCommand {
    static let output = OutputFormat.option([.yaml, .json], help: "Output format: yaml (default) or json")
    static let minify = OptionSpec(
        long: "minify", kind: .flag, help: "Show only the context meshctl uses, with its cluster and user")
    static let raw = OptionSpec(
        long: "raw", kind: .flag, help: "Show certificate data, keys, tokens and passwords instead of redacting them")

    static let spec: CommandSpec = CommandSpec(
        name: "view",
        abstract: "Show the merged kubeconfig",
        discussion: """
            Show the merged kubeconfig as meshctl reads it. Keys, tokens and passwords are shown as REDACTED and
            certificate data as DATA+OMITTED unless --raw is given.
            """,
        examples: [
            .init("Show the configuration of the context in use", "meshctl kubeconfig view --minify"),
            .init("Show another context's configuration as JSON", "meshctl kubeconfig view --minify --context prod -o json"),
        ],
        options: [minify, raw, output],
        run: { invocation, context in
            let globals = GlobalOptions(invocation.options)
            var kubeconfig = try ClusterAccess(globals, environment: context.environment).kubeconfig()
            if invocation.options.bool(minify) {
                kubeconfig = try kubeconfig.minified(context: globals.context)
            }
            let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .yaml
            context.standardOutput.write(ObjectPrinter.render(kubeconfig.value(raw: invocation.options.bool(raw)), format: format))
            return .ok
        }
    )
}
