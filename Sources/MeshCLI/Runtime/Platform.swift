import MeshCore

/// The platform as Go and Kubernetes name it: `linux/amd64`, `darwin/arm64`.
enum Platform {
    static var current: String {
        "\(system)/\(architecture)"
    }

    private static var system: String {
        #if os(Linux)
        "linux"
        #elseif os(macOS)
        "darwin"
        #else
        "unknown"
        #endif
    }

    private static var architecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }
}
