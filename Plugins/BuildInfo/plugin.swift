import Foundation
import PackagePlugin

/// Generates `GeneratedBuildInfo.swift` (version, git commit, tree state, build date, compiler) before every build.
///
/// The script rewrites the file only when the version, commit or tree state changes, so an unchanged tree
/// does not recompile the target that holds it.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "Plugins/BuildInfo/build-info.sh")
        // The compiler that builds the package; its version goes into the build facts.
        let compiler = (try? context.tool(named: "swiftc").url.path) ?? "swiftc"
        return [
            .prebuildCommand(
                displayName: "Generating meshctl build info",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, context.package.directoryURL.path, output.path, compiler],
                outputFilesDirectory: output
            ),
        ]
    }
}
