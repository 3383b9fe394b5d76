// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "meshctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meshctl", targets: ["meshctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
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
        .target(
            name: "MeshPKI",
            dependencies: [
                "MeshCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "MeshCLI",
            dependencies: ["MeshCore", "MeshKube", "MeshPKI", .product(name: "X509", package: "swift-certificates")]
        ),
        .executableTarget(name: "meshctl", dependencies: ["MeshCLI"]),
        // Benchmark driver for bench/pki.sh (not shipped).
        .executableTarget(name: "pki-bench", dependencies: ["MeshPKI"], path: "bench/PKIBench"),

        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshKubeTests", dependencies: ["MeshKube"], exclude: ["Fixtures"]),
        .testTarget(name: "MeshPKITests", dependencies: ["MeshPKI"]),
        .testTarget(name: "MeshCLITests", dependencies: ["MeshCLI"], exclude: ["Golden"]),
    ]
)
