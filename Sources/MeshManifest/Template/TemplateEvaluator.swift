import MeshCore

/// Executes a template tree over `Value` data with Go's rules.
struct TemplateEvaluator {
    let template: Template
    private var variables: [(name: String, value: Value)]
    private var output = ""
    private var line = 1
    private var depth = 0

    /// How deeply `template` calls may nest (Go's limit is 100,000; ours guards the stack).
    static let maxDepth = 1_000

    private enum Flow { case normal, breakLoop, continueLoop }

    init(template: Template, data: Value) {
        self.template = template
        self.variables = [("$", data)]
    }

    mutating func run() throws(MeshManifestError) -> String {
        _ = try execute(template.root, dot: variables[0].value)
        return output
    }

    func error(_ message: String) -> MeshManifestError {
        MeshManifestError(.templateExecution, message, template: template.name, line: line)
    }

    private mutating func execute(_ nodes: [TemplateNode], dot: Value) throws(MeshManifestError) -> Flow {
        for node in nodes {
            let flow = try execute(node, dot: dot)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func scoped(
        _ nodes: [TemplateNode], dot: Value
    ) throws(MeshManifestError) -> Flow {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        return try execute(nodes, dot: dot)
    }

    private mutating func execute(_ node: TemplateNode, dot: Value) throws(MeshManifestError) -> Flow {
        switch node {
        case .text(let text):
            output += text
        case .action(let pipeline, let line):
            self.line = line
            let value = try evaluate(pipeline, dot: dot)
            if pipeline.variables.isEmpty { output += GoFormat.print(value) }
        case .ifNode(let pipeline, let then, let otherwise, let line):
            self.line = line
            let mark = variables.count
            defer { variables.removeSubrange(mark...) }
            let value = try evaluate(pipeline, dot: dot)
            return try scoped(GoTruth.isTrue(value) ? then : otherwise, dot: dot)
        case .withNode(let pipeline, let body, let otherwise, let line):
            self.line = line
            let mark = variables.count
            defer { variables.removeSubrange(mark...) }
            let value = try evaluate(pipeline, dot: dot)
            return GoTruth.isTrue(value) ? try scoped(body, dot: value) : try scoped(otherwise, dot: dot)
        case .rangeNode(let pipeline, let body, let otherwise, let line):
            self.line = line
            return try executeRange(pipeline, body: body, otherwise: otherwise, dot: dot)
        case .templateCall(let name, let pipeline, let line):
            self.line = line
            guard let body = template.definitions[name] else { throw error("no such template \"\(name)\"") }
            let value = try pipeline.map { pipeline throws(MeshManifestError) in try evaluate(pipeline, dot: dot) } ?? .null
            guard depth < Self.maxDepth else { throw error("exceeded maximum template depth (\(Self.maxDepth))") }
            let saved = variables
            variables = [("$", value)]
            depth += 1
            defer {
                depth -= 1
                variables = saved
            }
            _ = try execute(body, dot: value)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    private mutating func executeRange(
        _ pipeline: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode], dot: Value
    ) throws(MeshManifestError) -> Flow {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        // The pipeline's own declarations are bound per element, not to the collection.
        let collection = try evaluate(
            TemplatePipeline(variables: [], isAssignment: false, commands: pipeline.commands), dot: dot)
        var elements: [(key: Value, value: Value)] = []
        switch collection {
        case .array(let items): elements = items.enumerated().map { (.int($0.offset), $0.element) }
        case .object(let object):
            elements = object.keys.sorted(by: GoFormat.goLess).map { (.string($0), object[$0] ?? .null) }
        case .int(let count): elements = (0..<max(0, count)).map { (.int($0), .int($0)) }
        case .null: break
        default: throw error("range can't iterate over \(GoFormat.print(collection))")
        }
        if elements.isEmpty { return try scoped(otherwise, dot: dot) }
        for element in elements {
            let inner = variables.count
            if pipeline.variables.count == 1 {
                variables.append((pipeline.variables[0], element.value))
            } else if pipeline.variables.count == 2 {
                variables.append((pipeline.variables[0], element.key))
                variables.append((pipeline.variables[1], element.value))
            }
            let flow = try scoped(body, dot: element.value)
            variables.removeSubrange(inner...)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    // MARK: Pipelines

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: Value) throws(MeshManifestError) -> Value {
        var value: Value? = nil
        for command in pipeline.commands {
            value = try evaluate(command, dot: dot, final: value)
        }
        let result = value ?? .null
        if pipeline.isAssignment {
            guard let name = pipeline.variables.first else { return result }
            guard let index = variables.lastIndex(where: { $0.name == name }) else {
                throw error("undefined variable: \(name)")
            }
            variables[index].value = result
        } else {
            for name in pipeline.variables { variables.append((name, result)) }
        }
        return result
    }

    private mutating func evaluate(
        _ command: TemplateCommand, dot: Value, final: Value?
    ) throws(MeshManifestError) -> Value {
        guard let head = command.operands.first else { return .null }
        if case .function(let name) = head {
            return try call(name, arguments: Array(command.operands.dropFirst()), dot: dot, final: final)
        }
        guard command.operands.count == 1, final == nil else {
            throw error("can't give argument to non-function \(describe(head))")
        }
        return try evaluate(head, dot: dot)
    }

    mutating func evaluate(_ operand: TemplateOperand, dot: Value) throws(MeshManifestError) -> Value {
        switch operand {
        case .dot: return dot
        case .constant(let value): return value
        case .function(let name): return try call(name, arguments: [], dot: dot, final: nil)
        case .variable(let name):
            guard let entry = variables.last(where: { $0.name == name }) else {
                throw error("undefined variable: \(name)")
            }
            return entry.value
        case .fields(let names): return try resolve(names, on: dot)
        case .chain(let base, let names): return try resolve(names, on: try evaluate(base, dot: dot))
        case .pipeline(let pipeline):
            let mark = variables.count
            defer { variables.removeSubrange(mark...) }
            return try evaluate(pipeline, dot: dot)
        }
    }

    private func describe(_ operand: TemplateOperand) -> String {
        switch operand {
        case .dot: "."
        case .constant(let value): GoFormat.print(value)
        case .function(let name): name
        case .variable(let name): name
        case .fields(let names): "." + names.joined(separator: ".")
        case .chain(_, let names): "." + names.joined(separator: ".")
        case .pipeline: "(pipeline)"
        }
    }

    private func resolve(_ names: [String], on base: Value) throws(MeshManifestError) -> Value {
        var value = base
        for name in names {
            value = try field(name, of: value)
        }
        return value
    }

    /// A field, key or Go accessor method of `value`.
    private func field(_ name: String, of value: Value) throws(MeshManifestError) -> Value {
        switch value {
        case .object(let object):
            if let found = object[name] { return found }
            let json = GoFieldName.jsonName(name)
            if let found = object[json] { return found }
            if name == "String" || name == "GetValue" { return value }
            if name.hasPrefix("Get"), name.count > 3 {
                let stripped = String(name.dropFirst(3))
                return object[stripped] ?? object[GoFieldName.jsonName(stripped)] ?? .null
            }
            return .null
        case .null:
            // Go fails on a nil pointer here; Istio's templates guard such chains, so nil stays nil.
            return .null
        default:
            if name == "String" || name == "GetValue" { return value }
            throw error("can't evaluate field \(name) in type \(value.kindName)")
        }
    }
}
