/// The process exit codes of meshctl: one table that scripts can depend on.
///
/// The numbers follow BSD `sysexits.h` where one fits (64, 65) and istioctl's convention for "completed, but
/// found problems" (79), so shell scripts can tell a failed run from a run that found something.
public enum ExitCode: Int32, CaseIterable, Sendable {
    /// The command did what was asked.
    case ok = 0
    /// A runtime failure: the network, the cluster, the file system.
    case failure = 1
    /// The command line was wrong: unknown command or flag, missing or bad argument.
    case usage = 64
    /// The input data was wrong: YAML, JSON, PEM, kubeconfig.
    case dataError = 65
    /// The command completed but found problems (analyze, validate, verify, check).
    case problemsFound = 79

    /// A short name for the code, used in documentation and help.
    public var meaning: String {
        switch self {
        case .ok: "success"
        case .failure: "runtime failure (network, cluster, file system)"
        case .usage: "usage error (unknown command or flag, bad argument)"
        case .dataError: "bad input data (YAML, JSON, PEM, kubeconfig)"
        case .problemsFound: "completed, but found problems (analyze, validate, verify, check)"
        }
    }
}

/// An error that knows which exit code it should end the process with.
///
/// Each library target's public error type conforms; errors that do not are runtime failures (exit 1).
public protocol ExitCodeProviding: Error {
    /// The exit code the process ends with when this error reaches `main`.
    var exitCode: ExitCode { get }
}
