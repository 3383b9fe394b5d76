import MeshCLI

@main
enum Entrypoint {
    static func main() {
        MeshctlMain.run()
    }
}
