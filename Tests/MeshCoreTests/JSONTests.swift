import Testing

@testable import MeshCore

@Suite struct JSONParseTests {
    @Test func parsesScalarsAndContainers() throws {
        let value = try JSON.parse(#" { "a": [1, -2, 3.5, true, false, null, "x"], "b": {} , "c": [] } "#)
        #expect(value == ["a": [1, -2, 3.5, true, false, nil, "x"], "b": [:], "c": []])
    }

    @Test func keepsKeyOrder() throws {
        let value = try JSON.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func repeatedKeyKeepsFirstPositionAndLastValue() throws {
        let value = try JSON.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test(arguments: [
        ("0", Value.int(0)),
        ("-0", .int(0)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
        ("9223372036854775808", .double(9223372036854775808.0)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ("1.5", .double(1.5)),
        ("1e3", .double(1000)),
        ("1E+3", .double(1000)),
        ("-2.5e-3", .double(-0.0025)),
        ("1.0", .double(1)),
    ])
    func numbers(text: String, expected: Value) throws {
        #expect(try JSON.parse(text) == expected)
    }

    @Test func integralNumbersAreIntsAndOthersDoubles() throws {
        #expect(try JSON.parse("42") == .int(42))
        #expect(try JSON.parse("42.0") == .double(42))
        #expect(try JSON.parse("42.0") != .int(42))
    }

    @Test func decodesEscapes() throws {
        let value = try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{C}\n\r\tAé€"))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSON.parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSON.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try JSON.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        #expect(try JSON.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func keepsRawUnicode() throws {
        #expect(try JSON.parse(#"{"名前": "ünïcødé 😀"}"#) == ["名前": "ünïcødé 😀"])
    }

    @Test func parsesFromBytes() throws {
        let bytes = Array(#"{"a": "é"}"#.utf8)
        #expect(try JSON.parse(bytes: bytes) == ["a": "é"])
        #expect(try JSON.parse(bytes: bytes[...]) == ["a": "é"])
        #expect(try JSON.parse(bytes: AnyCollection(bytes)) == ["a": "é"])
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSON.maxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try JSON.parse(text)
    }
}

@Suite struct JSONErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var input: [UInt8]
        var message: String
        var line: Int
        var column: Int
        var testDescription: String { message }

        init(_ text: String, _ message: String, _ line: Int, _ column: Int) {
            self.init(bytes: Array(text.utf8), message, line, column)
        }

        init(bytes: [UInt8], _ message: String, _ line: Int, _ column: Int) {
            self.input = bytes
            self.message = message
            self.line = line
            self.column = column
        }
    }

    static let cases: [Case] = [
        Case("", "unexpected end of input, expected a value", 1, 1),
        Case("   \n  ", "unexpected end of input, expected a value", 2, 3),
        Case("{", "unexpected end of input inside an object", 1, 2),
        Case(#"{"a": 1"#, "unexpected end of input inside an object", 1, 8),
        Case(#"{"a" 1}"#, "unexpected character '1' after object key, expected ':'", 1, 6),
        Case(#"{"a": 1,}"#, "unexpected character '}', expected a string key", 1, 9),
        Case(#"{a: 1}"#, "unexpected character 'a', expected a string key", 1, 2),
        Case("[1, 2", "unexpected end of input inside an array", 1, 6),
        Case("[1 2]", "unexpected character '2' in array, expected ',' or ']'", 1, 4),
        Case("[1,]", "unexpected character ']', expected a value", 1, 4),
        Case("\"abc", "unexpected end of input inside a string", 1, 5),
        Case("[\"a\\", "unexpected end of input inside a string", 1, 5),
        Case("\"a\\qb\"", "invalid escape '\\q' in string", 1, 4),
        Case("\"\\u12G4\"", "invalid character 'G' in \\u escape, expected a hex digit", 1, 6),
        Case("\"\\u12", "unexpected end of input in \\u escape", 1, 6),
        Case("\"a\nb\"", "control character byte 0x0A must be escaped in a string", 1, 3),
        Case("{\n  \"k\": tru\n}", "unexpected byte 0x0A in literal 'true'", 2, 11),
        Case("nul", "unexpected end of input in literal 'null'", 1, 4),
        Case("01", "invalid number: leading zeros are not allowed", 1, 2),
        Case("-", "unexpected end of input in number", 1, 2),
        Case("-a", "invalid number: expected a digit after '-'", 1, 2),
        Case("1.", "unexpected end of input in number", 1, 3),
        Case("1.e5", "invalid number: expected a digit after the decimal point", 1, 3),
        Case("1e+", "unexpected end of input in number", 1, 4),
        Case("+1", "unexpected character '+', expected a value", 1, 1),
        Case(".5", "unexpected character '.', expected a value", 1, 1),
        Case("1e400", "number 1e400 is out of range", 1, 1),
        Case("NaN", "unexpected character 'N', expected a value", 1, 1),
        Case("{} {}", "unexpected character '{' after the top-level value", 1, 4),
        Case("[1]]", "unexpected character ']' after the top-level value", 1, 4),
        Case("\u{FEFF}{}", "unexpected byte 0xEF, expected a value", 1, 1),
        Case("{\"é\": 1,\n \"ü\": x}", "unexpected character 'x', expected a value", 2, 7),
        Case(bytes: [0x22, 0x61, 0xFF, 0x22], "invalid UTF-8: unexpected byte 0xFF", 1, 3),
        Case(bytes: [0x22, 0xC3, 0x28, 0x22], "invalid UTF-8: unexpected character '('", 1, 3),
        Case(bytes: [0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8: unexpected byte 0xC0", 1, 2),
        Case(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8: unexpected byte 0xA0", 1, 3),
        Case(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8: unexpected byte 0x90", 1, 3),
        Case(bytes: [0x22, 0xE2, 0x82], "invalid UTF-8: truncated sequence", 1, 3),
        Case(bytes: [0x22, 0x5C, 0x6E, 0xE2, 0x22], "invalid UTF-8: unexpected character '\"'", 1, 5),
    ]

    @Test(arguments: cases)
    func reportsPosition(_ testCase: Case) {
        #expect {
            _ = try JSON.parse(bytes: testCase.input)
        } throws: { error in
            guard let error = error as? MeshCoreError else { return false }
            #expect(error.code == .malformedJSON)
            #expect(error.message == testCase.message)
            #expect(error.line == testCase.line)
            #expect(error.column == testCase.column)
            return true
        }
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let text = String(repeating: "[", count: JSON.maxDepth + 1) + String(repeating: "]", count: JSON.maxDepth + 1)
        #expect(throws: MeshCoreError.self) { try JSON.parse(text) }
    }

    @Test func depthBombFailsFastWithPosition() {
        let text = String(repeating: "{\"a\":", count: 100_000)
        do {
            _ = try JSON.parse(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "nesting deeper than 512 levels")
            #expect(error.column == 512 * 5 + 1)
        }
    }

    @Test func errorDescriptionNamesThePosition() {
        do {
            _ = try JSON.parse("[1,\n x]")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "unexpected character 'x', expected a value at line 2, column 2")
            #expect(error.exitCode == .dataError)
        }
    }
}
