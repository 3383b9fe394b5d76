import MeshCore

/// Builds template trees from lexed items, collecting `define`d and `block` templates on the way.
struct TemplateParser {
    private let items: [TemplateItem]
    private let name: String
    private let functions: Set<String>
    private var index = 0
    private var lastLine = 1
    /// Templates defined with `define` or `block`, by name.
    private(set) var definitions: [String: [TemplateNode]] = [:]

    init(items: [TemplateItem], name: String, functions: Set<String>) {
        self.items = items
        self.name = name
        self.functions = functions
    }

    private func error(_ message: String, line: Int? = nil) -> MeshManifestError {
        MeshManifestError(.templateParse, message, template: name, line: line ?? lastLine)
    }

    /// Parses the whole source; `end`/`else` without an opening action is an error.
    mutating func parse() throws(MeshManifestError) -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        if let terminator {
            throw error("unexpected {{\(terminator.word)}}", line: terminator.line)
        }
        return nodes
    }

    private struct Terminator {
        var word: String
        var tokens: ArraySlice<TemplateToken>
        var line: Int
    }

    /// Parses nodes until `end` or `else` (returned) or the end of input (`nil`).
    private mutating func parseList() throws(MeshManifestError) -> ([TemplateNode], Terminator?) {
        var nodes: [TemplateNode] = []
        while index < items.count {
            let item = items[index]
            index += 1
            switch item {
            case .text(let text):
                nodes.append(.text(text))
            case .action(let tokens, let line):
                lastLine = line
                guard let first = tokens.first else { throw error("missing value for command", line: line) }
                if case .keyword(let word) = first.kind {
                    let rest = tokens.dropFirst()
                    switch word {
                    case "end", "else":
                        return (nodes, Terminator(word: word, tokens: rest, line: line))
                    case "if", "range", "with":
                        nodes.append(try parseControl(word, rest, line: line))
                    case "define":
                        try parseDefine(rest, line: line)
                    case "block":
                        let (blockName, pipeline) = try parseTemplateCall(rest, line: line, word: "block")
                        let (body, terminator) = try parseList()
                        guard terminator?.word == "end" else { throw error("unexpected EOF in block", line: line) }
                        definitions[blockName] = body
                        nodes.append(.templateCall(blockName, pipeline, line: line))
                    case "template":
                        let (calledName, pipeline) = try parseTemplateCall(rest, line: line, word: "template")
                        nodes.append(.templateCall(calledName, pipeline, line: line))
                    case "break": nodes.append(.breakNode(line: line))
                    case "continue": nodes.append(.continueNode(line: line))
                    default: throw error("unexpected keyword \(word)", line: line)
                    }
                } else {
                    var cursor = tokens[...]
                    let pipeline = try parsePipeline(&cursor, line: line, allowDeclarations: true)
                    guard cursor.isEmpty else { throw error("unexpected token in operand", line: line) }
                    nodes.append(.action(pipeline, line: line))
                }
            }
        }
        return (nodes, nil)
    }

    private mutating func parseControl(
        _ word: String, _ tokens: ArraySlice<TemplateToken>, line: Int
    ) throws(MeshManifestError) -> TemplateNode {
        var cursor = tokens
        let pipeline = try parsePipeline(&cursor, line: line, allowDeclarations: true)
        guard !cursor.isEmpty || !pipeline.commands.isEmpty else { throw error("missing value for \(word)", line: line) }
        guard cursor.isEmpty else { throw error("unexpected token in \(word)", line: line) }
        let (body, terminator) = try parseList()
        guard let terminator else { throw error("unexpected EOF", line: line) }
        var otherwise: [TemplateNode] = []
        if terminator.word == "else" {
            if let next = terminator.tokens.first, case .keyword(let chained) = next.kind,
                chained == "if" || chained == "with"
            {
                // `else if` / `else with`: a nested control whose `end` also closes this one.
                otherwise = [try parseControl(chained, terminator.tokens.dropFirst(), line: terminator.line)]
            } else {
                guard terminator.tokens.isEmpty else { throw error("unexpected token in else", line: terminator.line) }
                let (elseBody, elseTerminator) = try parseList()
                guard elseTerminator?.word == "end" else {
                    throw error("expected end; found \(elseTerminator?.word ?? "EOF")", line: terminator.line)
                }
                otherwise = elseBody
            }
        }
        switch word {
        case "if": return .ifNode(pipeline, then: body, otherwise: otherwise, line: line)
        case "range": return .rangeNode(pipeline, body: body, otherwise: otherwise, line: line)
        default: return .withNode(pipeline, body: body, otherwise: otherwise, line: line)
        }
    }

    private mutating func parseDefine(_ tokens: ArraySlice<TemplateToken>, line: Int) throws(MeshManifestError) {
        guard tokens.count == 1, case .constant(.string(let definedName)) = tokens.first?.kind else {
            throw error("define clause requires a quoted template name", line: line)
        }
        let (body, terminator) = try parseList()
        guard terminator?.word == "end" else { throw error("unexpected EOF in define", line: line) }
        definitions[definedName] = body
    }

    private mutating func parseTemplateCall(
        _ tokens: ArraySlice<TemplateToken>, line: Int, word: String
    ) throws(MeshManifestError) -> (String, TemplatePipeline?) {
        guard case .constant(.string(let calledName)) = tokens.first?.kind else {
            throw error("\(word) clause requires a quoted template name", line: line)
        }
        var cursor = tokens.dropFirst()
        if cursor.isEmpty { return (calledName, nil) }
        let pipeline = try parsePipeline(&cursor, line: line, allowDeclarations: false)
        guard cursor.isEmpty else { throw error("unexpected token in \(word) clause", line: line) }
        return (calledName, pipeline)
    }

    /// Parses a pipeline up to a closing parenthesis (not consumed) or the end of the tokens.
    private func parsePipeline(
        _ cursor: inout ArraySlice<TemplateToken>, line: Int, allowDeclarations: Bool
    ) throws(MeshManifestError) -> TemplatePipeline {
        var variables: [String] = []
        var isAssignment = false
        if allowDeclarations, case .variable(let first) = cursor.first?.kind {
            let rest = cursor.dropFirst()
            if let next = rest.first?.kind, next == .declare || next == .assign {
                variables = [first]
                isAssignment = next == .assign
                cursor = rest.dropFirst()
            } else if rest.first?.kind == .comma, case .variable(let second) = rest.dropFirst().first?.kind,
                let next = rest.dropFirst(2).first?.kind, next == .declare || next == .assign
            {
                variables = [first, second]
                isAssignment = next == .assign
                cursor = rest.dropFirst(3)
            }
        }
        var commands: [TemplateCommand] = []
        var operands: [TemplateOperand] = []
        while let token = cursor.first {
            if token.kind == .rightParen { break }
            if token.kind == .pipe {
                guard !operands.isEmpty else { throw error("missing command before |", line: line) }
                commands.append(TemplateCommand(operands: operands))
                operands = []
                cursor = cursor.dropFirst()
                continue
            }
            operands.append(try parseOperand(&cursor, line: line))
        }
        if !operands.isEmpty {
            commands.append(TemplateCommand(operands: operands))
        } else if !commands.isEmpty {
            throw error("missing command after |", line: line)
        }
        if commands.isEmpty && !variables.isEmpty { throw error("missing value for command", line: line) }
        return TemplatePipeline(variables: variables, isAssignment: isAssignment, commands: commands)
    }

    private func parseOperand(
        _ cursor: inout ArraySlice<TemplateToken>, line: Int
    ) throws(MeshManifestError) -> TemplateOperand {
        guard let token = cursor.first else { throw error("missing operand", line: line) }
        cursor = cursor.dropFirst()
        var operand: TemplateOperand
        switch token.kind {
        case .dot: operand = .dot
        case .constant(let value): operand = .constant(value)
        case .variable(let name): operand = .variable(name)
        case .identifier(let function):
            guard functions.contains(function) else {
                throw error("function \"\(function)\" not defined", line: line)
            }
            operand = .function(function)
        case .field(let field):
            var fields = [field]
            while case .field(let next) = cursor.first?.kind, cursor.first?.spaceBefore == false {
                fields.append(next)
                cursor = cursor.dropFirst()
            }
            return .fields(fields)
        case .leftParen:
            let inner = try parsePipeline(&cursor, line: line, allowDeclarations: false)
            guard cursor.first?.kind == .rightParen else { throw error("unclosed left paren", line: line) }
            cursor = cursor.dropFirst()
            operand = .pipeline(inner)
        case .keyword(let word): throw error("unexpected \(word) in operand", line: line)
        default: throw error("unexpected token in operand", line: line)
        }
        var chain: [String] = []
        while case .field(let next) = cursor.first?.kind, cursor.first?.spaceBefore == false {
            chain.append(next)
            cursor = cursor.dropFirst()
        }
        if !chain.isEmpty { operand = .chain(operand, chain) }
        return operand
    }
}
