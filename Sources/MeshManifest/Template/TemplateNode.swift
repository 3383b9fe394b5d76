import MeshCore

/// The parse tree of a Go template.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{ pipeline }}`: prints the result unless the pipeline declares or assigns variables.
    case action(TemplatePipeline, line: Int)
    case ifNode(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode], line: Int)
    case rangeNode(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode], line: Int)
    case withNode(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode], line: Int)
    /// `{{ template "name" pipeline }}`.
    case templateCall(String, TemplatePipeline?, line: Int)
    case breakNode(line: Int)
    case continueNode(line: Int)
}

/// `$x := a | b arg | c`: optional variable declarations and a chain of commands.
struct TemplatePipeline: Sendable {
    /// Declared or assigned variable names (`$x`), at most two (range's `$i, $v`).
    var variables: [String]
    /// Whether the variables are assigned (`=`) rather than declared (`:=`).
    var isAssignment: Bool
    var commands: [TemplateCommand]
}

/// One command of a pipeline: a function call, a method/field chain or a constant, with arguments.
struct TemplateCommand: Sendable {
    var operands: [TemplateOperand]
}

/// An argument or the head of a command.
indirect enum TemplateOperand: Sendable {
    case dot
    case constant(Value)
    /// A function name.
    case function(String)
    case variable(String)
    /// `.A.B`: a chain of fields starting at dot.
    case fields([String])
    /// A chain of fields on another operand (`$x.Name`, `(pipeline).Name`).
    case chain(TemplateOperand, [String])
    case pipeline(TemplatePipeline)
}
