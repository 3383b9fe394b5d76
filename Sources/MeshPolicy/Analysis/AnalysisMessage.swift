/// One finding of `analyze`, in istioctl's terms: a level, a message code and name, the resource it concerns
/// and the details.
public struct AnalysisMessage: Sendable, Hashable, CustomStringConvertible {
    /// How bad a finding is; ordered, so a threshold can be compared.
    public enum Level: String, Sendable, Hashable, CaseIterable, Comparable {
        case info = "Info"
        case warning = "Warning"
        case error = "Error"

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }

        /// Reads `Info`, `Warning` or `Error` (any case).
        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = level
        }
    }

    /// The resource a finding concerns: `VirtualService shop/web`.
    public struct Origin: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var kind: String
        public var namespace: String
        public var name: String

        public init(kind: String, namespace: String, name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }

        public var description: String { "\(kind) \(namespace)/\(name)" }

        public static func < (a: Origin, b: Origin) -> Bool {
            (a.kind, a.namespace, a.name) < (b.kind, b.namespace, b.name)
        }
    }

    public var level: Level
    /// `IST0101` for Istio's messages, `MSH…` for meshctl's own.
    public var code: String
    /// `ReferencedResourceNotFound`.
    public var name: String
    public var origin: Origin
    public var message: String

    public init(_ type: AnalysisMessageType, origin: Origin, _ message: String) {
        self.level = type.level
        self.code = type.code
        self.name = type.name
        self.origin = origin
        self.message = message
    }

    /// `Error [IST0101] (VirtualService shop/web) Referenced gateway not found: "main"`, as istioctl prints it.
    public var description: String { "\(level.rawValue) [\(code)] (\(origin)) \(message)" }

    /// Istio's page about the message, for Istio's codes.
    public var documentationURL: String? {
        code.hasPrefix("IST") ? "https://istio.io/latest/docs/reference/config/analysis/\(code.lowercased())/" : nil
    }
}

/// A kind of finding: its level, code and name (Istio's where Istio has one).
public struct AnalysisMessageType: Sendable, Hashable {
    public var level: AnalysisMessage.Level
    public var code: String
    public var name: String

    public static let referencedResourceNotFound = Self(level: .error, code: "IST0101", name: "ReferencedResourceNotFound")
    public static let schemaValidationError = Self(level: .error, code: "IST0106", name: "SchemaValidationError")
    public static let virtualServiceHostNotFoundInGateway = Self(level: .warning, code: "IST0132", name: "VirtualServiceHostNotFoundInGateway")
    public static let schemaWarning = Self(level: .warning, code: "IST0133", name: "SchemaWarning")
    public static let destinationRuleSubsetNotSelectPods = Self(level: .error, code: "IST0173", name: "DestinationRuleSubsetNotSelectPods")
    /// meshctl's own: Istio has no analyzer for PeerAuthentications that compete (it silently applies the oldest).
    public static let conflictingPeerAuthentications = Self(level: .warning, code: "MSH0001", name: "ConflictingPeerAuthentications")
}
