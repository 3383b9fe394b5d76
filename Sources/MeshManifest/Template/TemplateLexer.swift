import MeshCore

/// One token inside a `{{ … }}` action.
struct TemplateToken: Equatable {
    enum Kind: Equatable {
        /// `.` on its own.
        case dot
        /// `.Name`: a field (or key, or method) of whatever precedes it, or of dot.
        case field(String)
        /// `$name`, or `$` alone (the template's data).
        case variable(String)
        /// A function name.
        case identifier(String)
        /// `if`, `else`, `end`, `range`, `with`, `define`, `template`, `block`, `break`, `continue`.
        case keyword(String)
        /// A string, number, boolean or `nil` constant.
        case constant(Value)
        case leftParen, rightParen, pipe, declare, assign, comma
    }

    var kind: Kind
    /// Whether white space separates this token from the previous one (`$x.Name` vs `$x .Name`).
    var spaceBefore: Bool
}

/// A template source cut into text and actions, with `{{-`/`-}}` trimming already applied.
enum TemplateItem {
    case text(String)
    case action([TemplateToken], line: Int)
}

/// Cuts Go `text/template` source into text and action tokens.
///
/// Follows Go's lexer: `{{- ` trims white space before the action, ` -}}` after it, `{{/* */}}` is a comment, and
/// strings in actions may hold `}}`.
struct TemplateLexer {
    private let bytes: [UInt8]
    private let name: String
    private var position = 0
    private var line = 1

    init(_ source: String, name: String) {
        self.bytes = Array(source.utf8)
        self.name = name
    }

    private static let keywords: Set<String> = [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    ]

    private func error(_ message: String, line: Int? = nil) -> MeshManifestError {
        MeshManifestError(.templateParse, message, template: name, line: line ?? self.line)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// All items of the source.
    mutating func items() throws(MeshManifestError) -> [TemplateItem] {
        var items: [TemplateItem] = []
        var trimNextText = false
        while position < bytes.count {
            let start = position
            var textEnd = bytes.count
            var index = position
            while index + 1 < bytes.count {
                if bytes[index] == UInt8(ascii: "{") && bytes[index + 1] == UInt8(ascii: "{") {
                    textEnd = index
                    break
                }
                index += 1
            }
            var textStart = start
            var actionIndex = textEnd
            let trimLeft =
                textEnd + 3 < bytes.count && bytes[textEnd + 2] == UInt8(ascii: "-")
                && Self.isSpace(bytes[textEnd + 3])
            if trimNextText {
                while textStart < textEnd && Self.isSpace(bytes[textStart]) { textStart += 1 }
            }
            var trimmedEnd = textEnd
            if textEnd < bytes.count && trimLeft {
                while trimmedEnd > textStart && Self.isSpace(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
            }
            if trimmedEnd > textStart {
                items.append(.text(String(decoding: bytes[textStart..<trimmedEnd], as: UTF8.self)))
            }
            countLines(from: start, to: textEnd)
            guard textEnd < bytes.count else {
                position = bytes.count
                break
            }
            actionIndex = textEnd + 2
            if trimLeft { actionIndex += 2 }
            position = actionIndex
            let actionLine = line
            let (tokens, trimRight) = try actionTokens(line: actionLine)
            trimNextText = trimRight
            if let tokens { items.append(.action(tokens, line: actionLine)) }
        }
        return items
    }

    private mutating func countLines(from start: Int, to end: Int) {
        var index = start
        while index < end {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
    }

    /// Whether the right delimiter (optionally with its trim marker) starts at `position`.
    private func rightDelimiter(at index: Int) -> (length: Int, trim: Bool)? {
        if index + 3 < bytes.count, Self.isSpace(bytes[index]), bytes[index + 1] == UInt8(ascii: "-"),
            bytes[index + 2] == UInt8(ascii: "}"), bytes[index + 3] == UInt8(ascii: "}")
        {
            return (4, true)
        }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "}"), bytes[index + 1] == UInt8(ascii: "}") {
            return (2, false)
        }
        return nil
    }

    /// Lexes one action from `position` (just after the left delimiter) through its right delimiter.
    /// Returns `nil` tokens for a comment.
    private mutating func actionTokens(line actionLine: Int) throws(MeshManifestError) -> ([TemplateToken]?, Bool) {
        // Comment: /* ... */ right after the delimiter.
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "/"), bytes[position + 1] == UInt8(ascii: "*") {
            var index = position + 2
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                index += 1
            }
            guard index + 1 < bytes.count else { throw error("unclosed comment", line: actionLine) }
            countLines(from: position, to: index)
            position = index + 2
            guard let delimiter = rightDelimiter(at: position) else {
                throw error("comment ends before closing delimiter", line: actionLine)
            }
            position += delimiter.length
            return (nil, delimiter.trim)
        }
        var tokens: [TemplateToken] = []
        var sawSpace = false
        while true {
            guard position < bytes.count else { throw error("unclosed action", line: actionLine) }
            if let delimiter = rightDelimiter(at: position) {
                position += delimiter.length
                return (tokens, delimiter.trim)
            }
            let byte = bytes[position]
            if Self.isSpace(byte) {
                if byte == 0x0A { line += 1 }
                position += 1
                sawSpace = true
                continue
            }
            let kind = try token()
            tokens.append(TemplateToken(kind: kind, spaceBefore: sawSpace || tokens.isEmpty))
            sawSpace = false
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private mutating func word() -> String {
        let start = position
        while position < bytes.count && Self.isAlphanumeric(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func token() throws(MeshManifestError) -> TemplateToken.Kind {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("): position += 1; return .leftParen
        case UInt8(ascii: ")"): position += 1; return .rightParen
        case UInt8(ascii: "|"): position += 1; return .pipe
        case UInt8(ascii: ","): position += 1; return .comma
        case UInt8(ascii: "="): position += 1; return .assign
        case UInt8(ascii: ":"):
            guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "=") else {
                throw error("expected :=")
            }
            position += 2
            return .declare
        case UInt8(ascii: "."):
            if position + 1 < bytes.count, bytes[position + 1] >= 0x30, bytes[position + 1] <= 0x39 {
                return try number()
            }
            position += 1
            let name = word()
            return name.isEmpty ? .dot : .field(name)
        case UInt8(ascii: "$"):
            position += 1
            return .variable("$" + word())
        case UInt8(ascii: "\""):
            return .constant(.string(try quotedString()))
        case UInt8(ascii: "`"):
            let start = position + 1
            var index = start
            while index < bytes.count && bytes[index] != UInt8(ascii: "`") { index += 1 }
            guard index < bytes.count else { throw error("unterminated raw quoted string") }
            countLines(from: start, to: index)
            position = index + 1
            return .constant(.string(String(decoding: bytes[start..<index], as: UTF8.self)))
        case UInt8(ascii: "'"):
            guard position + 2 < bytes.count, bytes[position + 2] == UInt8(ascii: "'") else {
                throw error("unsupported character constant")
            }
            let value = Int(bytes[position + 1])
            position += 3
            return .constant(.int(value))
        case UInt8(ascii: "-"), UInt8(ascii: "+"), 0x30...0x39:
            return try number()
        default:
            guard Self.isAlphanumeric(byte) else {
                throw error("unexpected \"\(String(decoding: [byte], as: UTF8.self))\" in command")
            }
            let name = word()
            switch name {
            case "true": return .constant(.bool(true))
            case "false": return .constant(.bool(false))
            case "nil": return .constant(.null)
            default: return Self.keywords.contains(name) ? .keyword(name) : .identifier(name)
            }
        }
    }

    private mutating func number() throws(MeshManifestError) -> TemplateToken.Kind {
        let start = position
        if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") { position += 1 }
        while position < bytes.count,
            Self.isAlphanumeric(bytes[position]) || bytes[position] == UInt8(ascii: ".")
                || ((bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+"))
                    && (bytes[position - 1] == UInt8(ascii: "e") || bytes[position - 1] == UInt8(ascii: "E")))
        {
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        let cleaned = String(text.filter { $0 != "_" })
        let negative = cleaned.hasPrefix("-")
        let unsigned = cleaned.hasPrefix("-") || cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned
        let lower = unsigned.lowercased()
        var integer: Int?
        if lower.hasPrefix("0x") {
            integer = Int(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0o") {
            integer = Int(lower.dropFirst(2), radix: 8)
        } else if lower.hasPrefix("0b") {
            integer = Int(lower.dropFirst(2), radix: 2)
        } else if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy({ $0.isNumber }) {
            integer = Int(lower.dropFirst(), radix: 8)
        } else {
            integer = Int(lower)
        }
        if let integer { return .constant(.int(negative ? -integer : integer)) }
        if let double = Double(lower), !lower.isEmpty { return .constant(.double(negative ? -double : double)) }
        throw error("bad number syntax: \"\(text)\"")
    }

    private mutating func quotedString() throws(MeshManifestError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                flush()
                return String(scalars)
            }
            if byte == 0x0A { throw error("unterminated quoted string") }
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.count {
                flush()
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "'"): scalars.append("'")
                case UInt8(ascii: "a"): scalars.append("\u{07}")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "v"): scalars.append("\u{0B}")
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let width = escaped == UInt8(ascii: "x") ? 2 : escaped == UInt8(ascii: "u") ? 4 : 8
                    guard position + width <= bytes.count,
                        let code = UInt32(String(decoding: bytes[position..<position + width], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("invalid escape in quoted string") }
                    scalars.append(scalar)
                    position += width
                default: throw error("invalid escape in quoted string")
                }
                continue
            }
            raw.append(byte)
            position += 1
        }
        throw error("unterminated quoted string")
    }
}
