// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "meshctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meshctl", targets: ["meshctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        // C libraries from the system (Debian: libyaml-dev, libcurl4-openssl-dev).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libcurl's headers only: the library is opened on first use (Sources/CCurl/shim.h says why), so no
        // pkg-config, whose `--libs` would link it. The headers are on Debian's default include path.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

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
        .target(name: "MeshManifest", dependencies: ["MeshCore"]),
        .target(
            name: "MeshProxy",
            dependencies: [
                "MeshCore", "MeshPolicy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                // JWT signatures (RequestAuthentication): RSA from _CryptoExtras, ECDSA from Crypto.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // The subject and SANs of mTLS client certificates (x-forwarded-client-cert).
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // The embedded Kubernetes-compatible API server of local mode: HTTPS (SwiftNIO), SQLite store, mesh CA.
        .target(
            name: "MeshControlPlane",
            dependencies: [
                "MeshCore", "MeshManifest", "MeshPKI", "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
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
            dependencies: [
                "MeshCore", "MeshKube", "MeshManifest", "MeshPolicy", "MeshPKI", "MeshControlPlane", "MeshProxy",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "meshctl",
            dependencies: ["MeshCLI"],
            // `-static-stdlib` links with `-export-dynamic`, which puts every symbol of ours (~33,000) in the dynamic
            // symbol table: each symbol the loader resolves at start-up then goes through that table first, and
            // the runtime's `dladdr` at start-up scans it. Nothing opens the executable's own symbols by name.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        // Benchmark driver for bench/pki.sh (not shipped).
        .executableTarget(name: "pki-bench", dependencies: ["MeshPKI"], path: "bench/PKIBench"),
        // Benchmark driver for bench/authz.sh (not shipped).
        .executableTarget(name: "authz-bench", dependencies: ["MeshPolicy"], path: "bench/AuthzBench"),

        // Real peers for integration tests: the stand-in API server, throwaway PKI, subprocesses.
        .target(name: "MeshTestSupport", path: "Tests/MeshTestSupport", exclude: ["Fixtures"]),
        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshPolicyTests", dependencies: ["MeshPolicy"]),
        .testTarget(name: "MeshKubeTests", dependencies: ["MeshKube", "MeshTestSupport"]),
        .testTarget(name: "MeshManifestTests", dependencies: ["MeshManifest"]),
        .testTarget(name: "MeshPKITests", dependencies: ["MeshPKI"]),
        .testTarget(
            name: "MeshProxyTests",
            dependencies: [
                "MeshProxy", "MeshTestSupport", "MeshCore", "MeshPolicy",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "MeshManifestConformanceTests", dependencies: ["MeshManifest", "MeshCore"]),
        .testTarget(
            name: "MeshControlPlaneTests", dependencies: ["MeshControlPlane", "MeshKube", "MeshPKI", "MeshTestSupport"]),
        .testTarget(
            name: "MeshCLITests", dependencies: ["MeshCLI", "MeshKube", "MeshManifest", "MeshPolicy", "MeshPKI", "MeshControlPlane", "MeshTestSupport"],
            exclude: ["Golden"]),
    ]
)
