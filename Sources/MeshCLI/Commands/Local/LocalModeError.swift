import MeshCore

/// A local-mode operation that failed at run time (the server did not start, a file could not be written).
struct LocalModeError: Error, CustomStringConvertible, ExitCodeProviding {
    var description: String
    var exitCode: ExitCode { .failure }

    init(_ description: String) {
        self.description = description
    }
}
