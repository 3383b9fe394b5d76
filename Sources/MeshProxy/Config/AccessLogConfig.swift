import MeshCore

/// Where JSON access log lines go (Istio's `accessLogFile` with `accessLogEncoding: JSON`).
public struct AccessLogConfig: Sendable, Equatable {
    /// A file the lines are appended to (`/dev/stdout` too); `nil`: standard error.
    public var path: String?
    /// What set `path`, named when it can't be opened (`ProxyBootstrap x: spec.accessLog.path`, `--access-log-file`).
    public var source: String

    public init(path: String? = nil, source: String = "access log") {
        self.path = path
        self.source = source
    }

    /// The bootstrap's `accessLog`: `true` (standard error), `false`/absent (off), or `{path: FILE}`.
    static func parse(_ spec: FieldReader) throws(ProxyError) -> AccessLogConfig? {
        if let object = spec.object["accessLog"], object.objectValue != nil {
            guard let log = try spec.child("accessLog") else { return nil }
            for key in log.object.keys where key != "path" {
                throw log.fail(key, "unknown field (accessLog takes path)")
            }
            let field = spec.path.isEmpty ? "accessLog.path" : "\(spec.path).accessLog.path"
            return AccessLogConfig(path: try log.requiredString("path"), source: "\(spec.resource): \(field)")
        }
        return try spec.bool("accessLog") == true ? AccessLogConfig() : nil
    }
}
