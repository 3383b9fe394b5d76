import MeshCore

/// The flags every command accepts (ARCHITECTURE.md, "CLI contract"), and their resolved values.
public struct GlobalOptions: Sendable, Equatable {
    public static let kubeconfig = OptionSpec(
        long: "kubeconfig", valueName: "FILE",
        help: "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)",
        completion: .anyFile, inherited: true)
    public static let context = OptionSpec(
        long: "context", valueName: "NAME", help: "The kubeconfig context to use (default: its current context)",
        completion: .dynamic(.contexts), inherited: true)
    public static let cluster = OptionSpec(
        long: "cluster", valueName: "NAME", help: "The kubeconfig cluster to use instead of the context's",
        completion: .dynamic(.clusters), inherited: true)
    public static let user = OptionSpec(
        long: "user", valueName: "NAME", help: "The kubeconfig user to use instead of the context's",
        completion: .dynamic(.users), inherited: true)
    public static let impersonate = OptionSpec(
        long: "as", valueName: "USER", help: "Act as this user (impersonation)", inherited: true)
    public static let impersonateGroup = OptionSpec(
        long: "as-group", kind: .repeatable, valueName: "GROUP", help: "Act as a member of this group (impersonation)",
        inherited: true)
    public static let impersonateUID = OptionSpec(
        long: "as-uid", valueName: "UID", help: "Act as this user ID (impersonation)", inherited: true)
    public static let namespace = OptionSpec(
        long: "namespace", short: "n", valueName: "NAMESPACE",
        help: "The namespace to act in (default: the context's namespace, else \"default\")",
        completion: .dynamic(.namespaces), inherited: true)
    public static let meshNamespace = OptionSpec(
        long: "mesh-namespace", aliases: ["istioNamespace"], short: "i", valueName: "NAMESPACE",
        help: "The namespace of the mesh control plane", defaultValue: "istio-system",
        completion: .dynamic(.namespaces), inherited: true)
    public static let color = OptionSpec(
        long: "color", valueName: "WHEN", help: "Colour the output: auto (terminals only, honours NO_COLOR), always or never",
        defaultValue: "auto", allowedValues: ColorMode.allCases.map(\.rawValue), inherited: true)
    public static let verbose = OptionSpec(
        long: "verbose", short: "v", kind: .counter,
        help: "Print more detail on standard error; repeat (-vv) or give a level (-v=3) for more", inherited: true)
    public static let requestTimeout = OptionSpec(
        long: "request-timeout", valueName: "DURATION",
        help: "How long to wait for one server request, e.g. 30s or 1m (0: no limit)", defaultValue: "0",
        valueType: .duration, inherited: true)
    public static let help = OptionSpec(
        long: "help", short: "h", kind: .flag, help: "Show help for the command", inherited: true)

    /// All of them, in the order help lists them.
    public static let all: [OptionSpec] = [
        kubeconfig, context, cluster, user, namespace, meshNamespace, impersonate, impersonateGroup, impersonateUID,
        color, verbose, requestTimeout, help,
    ]

    /// `--kubeconfig`, if given.
    public var kubeconfig: String?
    /// `--context`, if given.
    public var context: String?
    /// `--cluster`, if given.
    public var cluster: String?
    /// `--user`, if given.
    public var user: String?
    /// `--as`, `--as-group`, `--as-uid`.
    public var impersonate: String?
    public var impersonateGroups: [String]
    public var impersonateUID: String?
    /// `-n`, if given; commands fall back to the kubeconfig context's namespace.
    public var namespace: String?
    /// `-i`, or `istio-system`.
    public var meshNamespace: String
    public var color: ColorMode
    public var verbosity: Int
    /// `--request-timeout`; zero means no limit.
    public var requestTimeout: GoDuration

    /// Reads the global flags of a parsed invocation (already validated by the parser).
    public init(_ options: ParsedOptions) {
        kubeconfig = options.string(Self.kubeconfig)
        context = options.string(Self.context)
        cluster = options.string(Self.cluster)
        user = options.string(Self.user)
        impersonate = options.string(Self.impersonate)
        impersonateGroups = options.strings(Self.impersonateGroup)
        impersonateUID = options.string(Self.impersonateUID)
        namespace = options.string(Self.namespace)
        meshNamespace = options.string(Self.meshNamespace) ?? "istio-system"
        color = options.string(Self.color).flatMap(ColorMode.init(rawValue:)) ?? .auto
        verbosity = options.count(Self.verbose)
        requestTimeout = options.duration(Self.requestTimeout) ?? .zero
    }
}
