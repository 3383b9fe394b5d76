import MeshCore

/// A parsed Go `text/template`, ready to render `Value` data.
///
/// Semantics follow Go's package: `{{-`/`-}}` trimming, `if`/`else if`/`range`/`with`/`define`/`template`/`block`,
/// variables with block scope, pipelines passing the previous result as the last argument, Go's truthiness,
/// `eq`/`and`/`or` rules, and `<no value>` for a missing map entry. Field names are looked up as written
/// (`.Values.global`) and, failing that, as their JSON spelling (`.ObjectMeta.Annotations` →
/// `annotations`), so Kubernetes objects work as Go structs do.
public struct Template: Sendable {
    /// The name used in error messages.
    public let name: String
    let root: [TemplateNode]
    let definitions: [String: [TemplateNode]]
    let functions: TemplateFunctions

    /// Parses `source`; unknown functions are parse errors, as in Go.
    ///
    /// - Throws: `MeshManifestError` with code `.templateParse`, the template name and the line.
    public init(name: String, source: String, functions: TemplateFunctions = .standard) throws(MeshManifestError) {
        var lexer = TemplateLexer(source, name: name)
        let items = try lexer.items()
        var parser = TemplateParser(items: items, name: name, functions: functions.names)
        self.root = try parser.parse()
        self.definitions = parser.definitions
        self.name = name
        self.functions = functions
    }

    /// Names of the templates this one defines with `define` or `block`.
    public var definedTemplateNames: [String] {
        definitions.keys.sorted()
    }

    /// Renders the template with `data` as dot.
    ///
    /// - Throws: `MeshManifestError` with code `.templateExecution`, the template name and the line.
    public func render(_ data: Value) throws(MeshManifestError) -> String {
        var evaluator = TemplateEvaluator(template: self, data: data)
        return try evaluator.run()
    }
}

/// An error a template function reports; the evaluator adds the template name, line and function.
public struct TemplateFunctionError: Error, Sendable {
    /// What went wrong.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// A function callable from templates: takes evaluated arguments, returns a value.
public typealias TemplateFunction = @Sendable ([Value]) throws(TemplateFunctionError) -> Value

/// The functions a template may call, by name.
///
/// Go's built-ins (`and`, `or`, `not`, `len`, `index`, `print*`, comparisons) are always present; `standard` adds
/// the Sprig functions Istio's injection templates use. Callers add their own (`env`, `otelResourceAttributes`).
public struct TemplateFunctions: Sendable {
    var table: [String: TemplateFunction]

    /// Go's built-in names, evaluated by the engine itself.
    static let builtinNames: Set<String> = [
        "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
        "slice", "html", "js", "urlquery", "call",
    ]

    /// Only Go's built-ins.
    public static let builtins = TemplateFunctions(table: [:])

    /// Go's built-ins and the Sprig subset.
    public static let standard = TemplateFunctions(table: SprigFunctions.table)

    init(table: [String: TemplateFunction]) {
        self.table = table
    }

    /// Every callable name.
    var names: Set<String> {
        Self.builtinNames.union(table.keys)
    }

    /// Adds or replaces a function.
    public mutating func register(_ name: String, _ function: @escaping TemplateFunction) {
        table[name] = function
    }

    /// A copy with `other`'s functions added (replacing same-named ones).
    public func merging(_ other: [String: TemplateFunction]) -> TemplateFunctions {
        var copy = self
        for (name, function) in other { copy.table[name] = function }
        return copy
    }
}
