/// A strict RFC 8259 parser over a contiguous UTF-8 buffer; `JSON.parse` is its public face.
///
/// Recursive descent with a nesting limit. Strings are built straight from byte slices, and line and column are
/// only computed when an error is thrown, so the hot loop touches each byte once.
struct JSONParser {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0
    private var depth = 0
    private let maxDepth: Int

    init(_ input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    /// Parses exactly one value, surrounded by optional whitespace.
    mutating func parseDocument() throws(MeshCoreError) -> Value {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position < input.count {
            throw error("unexpected \(describe(input[position])) after the top-level value")
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(MeshCoreError) -> Value {
        guard position < input.count else { throw error("unexpected end of input, expected a value") }
        switch input[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte: throw error("unexpected \(describe(byte)), expected a value")
        }
    }

    private mutating func enterContainer() throws(MeshCoreError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
    }

    private mutating func parseObject() throws(MeshCoreError) -> Value {
        try enterContainer()
        var object = Value.Object()
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            guard position < input.count else { throw error("unexpected end of input inside an object") }
            guard input[position] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describe(input[position])), expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input inside an object") }
            guard input[position] == UInt8(ascii: ":") else {
                throw error("unexpected \(describe(input[position])) after object key, expected ':'")
            }
            position += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input inside an object") }
            let byte = input[position]
            if byte == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if byte == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return .object(object)
            } else {
                throw error("unexpected \(describe(byte)) in object, expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(MeshCoreError) -> Value {
        try enterContainer()
        var items: [Value] = []
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input inside an array") }
            let byte = input[position]
            if byte == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if byte == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .array(items)
            } else {
                throw error("unexpected \(describe(byte)) in array, expected ',' or ']'")
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(MeshCoreError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count {
            guard start + offset < input.count else {
                position = input.count
                throw error("unexpected end of input in literal '\(literal)'")
            }
            if input[start + offset] != expected[offset] {
                position = start + offset
                throw error("unexpected \(describe(input[position])) in literal '\(literal)'")
            }
        }
        position = start + count
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(MeshCoreError) -> Value {
        let start = position
        var negative = false
        if input[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < input.count, isDigit(input[position]) else {
            throw error(position < input.count ? "invalid number: expected a digit after '-'" : "unexpected end of input in number")
        }
        var magnitude: UInt64 = 0
        var overflow = false
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < input.count, isDigit(input[position]) {
                throw error("invalid number: leading zeros are not allowed")
            }
        } else {
            while position < input.count, isDigit(input[position]) {
                let digit = UInt64(input[position] &- UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                magnitude = sum
                position += 1
            }
        }
        var integral = true
        if position < input.count, input[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            try expectDigits("after the decimal point")
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
                position += 1
            }
            try expectDigits("in the exponent")
        }
        if integral && !overflow {
            if !negative, magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
            if negative, magnitude <= UInt64(Int.max) + 1 { return .int(Int(truncatingIfNeeded: 0 &- magnitude)) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            position = start
            throw error("number \(text) is out of range")
        }
        return .double(double)
    }

    private mutating func expectDigits(_ place: String) throws(MeshCoreError) {
        guard position < input.count, isDigit(input[position]) else {
            throw error(position < input.count ? "invalid number: expected a digit \(place)" : "unexpected end of input in number")
        }
        while position < input.count, isDigit(input[position]) { position += 1 }
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Whitespace and errors

    @inline(__always) private mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(byte < 0x10 ? "0" : "")\(hex)"
    }

    /// An error at the current position, with a 1-based line and a 1-based column counted in characters.
    func error(_ message: String) -> MeshCoreError {
        var line = 1
        var column = 1
        for index in 0..<min(position, input.count) {
            let byte = input[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return MeshCoreError(.malformedJSON, message, line: line, column: column)
    }
}
