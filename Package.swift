// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "meshctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meshctl", targets: ["meshctl"]),
    ],
    targets: [
        // C libraries from the system (Debian: libyaml-dev, libcurl4-openssl-dev).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Build facts (git commit, tree state, build date) generated on every build.
        .plugin(name: "BuildInfo", capability: .buildTool()),

        .target(
            name: "MeshCore",
            dependencies: ["CYAML"],
            linkerSettings: [.linkedLibrary("m")],
            plugins: ["BuildInfo"]
        ),
        .target(name: "MeshKube", dependencies: ["MeshCore", "CCurl"]),
        .target(name: "MeshPolicy", dependencies: ["MeshCore"]),
        .target(name: "MeshCLI", dependencies: ["MeshCore", "MeshKube", "MeshPolicy"]),
        .executableTarget(name: "meshctl", dependencies: ["MeshCLI"]),

        // Real peers for integration tests: the stand-in API server, throwaway PKI, subprocesses.
        .target(name: "MeshTestSupport", path: "Tests/MeshTestSupport", exclude: ["Fixtures"]),
        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshPolicyTests", dependencies: ["MeshPolicy"]),
        .testTarget(name: "MeshKubeTests", dependencies: ["MeshKube", "MeshTestSupport"]),
        .testTarget(name: "MeshCLITests", dependencies: ["MeshCLI", "MeshKube", "MeshPolicy", "MeshTestSupport"], exclude: ["Golden"]),
    ]
)
