import MeshCore

/// The error type of MeshManifest: a template that does not parse or execute, an injection config that is wrong,
/// a manifest that cannot be injected.
///
/// All of them are problems with input data, so they end the process with exit code 65.
public struct MeshManifestError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// A Go template failed to parse.
        case templateParse
        /// A Go template failed while executing (bad function argument, wrong type, missing template).
        case templateExecution
        /// The injection configuration (templates, values, mesh config) is unusable.
        case invalidConfig
        /// A document could not be injected (invalid annotation, bad rendered overlay).
        case invalidManifest
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The template the failure happened in, for template errors.
    public var template: String?
    /// The 1-based line within the template or input.
    public var line: Int?
    /// The document (`Deployment "ns/name"`) the failure belongs to, when known.
    public var document: String?
    /// The field (an annotation name or a path) at fault, when known.
    public var field: String?
    /// The error this one wraps, if any (a YAML error of a rendered template, say).
    public var underlying: MeshCoreError?

    public init(
        _ code: Code, _ message: String, template: String? = nil, line: Int? = nil, document: String? = nil,
        field: String? = nil, underlying: MeshCoreError? = nil
    ) {
        self.code = code
        self.message = message
        self.template = template
        self.line = line
        self.document = document
        self.field = field
        self.underlying = underlying
    }

    public var description: String {
        var text = ""
        if let template {
            text += "template: \(template)"
            if let line { text += ":\(line)" }
            text += ": "
        }
        if let document { text += "\(document): " }
        text += message
        if let field, !message.contains(field) { text += " (field \(field))" }
        return text
    }

    public var exitCode: ExitCode { .dataError }
}
