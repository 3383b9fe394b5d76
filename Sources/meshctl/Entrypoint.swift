import Glibc
import MeshCLI

/// The meshctl process: runs the command line against the real streams and exits with its code.
@main
enum Entrypoint {
    static func main() async {
        let code = await Meshctl.main(Array(CommandLine.arguments.dropFirst()))
        exit(code.rawValue)
    }
}
