import MeshTestSupport
import Testing

/// Start-up cost (issue #2: `version` and `--help` in a quarter of kubectl's time): the dynamic loader's trace of
/// the real binary shows which shared libraries it maps before `main`.
struct StartupLibrariesTests {
    /// glibc's loader trace (`LD_DEBUG=libs`) of `meshctl ARGUMENTS`, on standard error.
    static func loaderTrace(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(MeshctlBinary.path, arguments, environment: ["LD_DEBUG": "libs", "PATH": "/usr/bin:/bin"])
    }

    @Test(arguments: [["version", "--client"], ["--help"]])
    func libcurlIsNotLoadedByCommandsThatDoNotTalkToAServer(arguments: [String]) throws {
        let result = try Self.loaderTrace(arguments)
        #expect(result.status == 0, "\(result.standardError)")
        // The trace must be there for its absence of libcurl to mean anything.
        #expect(result.standardError.contains("find library=libyaml"), "no loader trace: \(result.standardError)")
        #expect(!result.standardError.contains("libcurl"), """
            meshctl \(arguments.joined(separator: " ")) loads libcurl at start-up. Linking libcurl makes the loader \
            map and relocate about 30 libraries on every run, which is most of meshctl's start-up time; it is \
            opened on first use instead (Sources/CCurl/shim.h, MeshKube's CurlLibrary). Is `link "curl"`, \
            pkg-config `libcurl` or FoundationNetworking back?
            """)
    }
}
