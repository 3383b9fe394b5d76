import Testing

@testable import MeshCore

@Suite struct YAMLParseTests {
    @Test(arguments: [
        ("~", Value.null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        ("true", .bool(true)), ("True", .bool(true)), ("yes", .bool(true)), ("on", .bool(true)), ("Y", .bool(true)),
        ("y", .bool(true)), ("false", .bool(false)), ("no", .bool(false)), ("OFF", .bool(false)), ("n", .bool(false)),
        ("0", .int(0)), ("42", .int(42)), ("-17", .int(-17)), ("+12", .int(12)), ("1_000", .int(1000)),
        ("0x1F", .int(31)), ("0o17", .int(15)), ("0755", .int(493)), ("-0755", .int(-493)), ("0b101", .int(5)),
        ("-0b11", .int(-3)), ("9223372036854775807", .int(Int.max)), ("18446744073709551615", .double(18446744073709551615.0)),
        ("1.5", .double(1.5)), ("-.5", .double(-0.5)), (".5", .double(0.5)), ("1.0", .double(1)), ("08", .double(8)),
        ("1e+3", .double(1000)), ("2.5E-2", .double(0.025)), (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)),
        ("1e3", .string("1e3")), ("1.", .string("1.")), ("0x", .string("0x")), ("1e+400", .string("1e+400")),
        ("yes please", .string("yes please")), ("nope", .string("nope")), ("2024-01-01", .string("2024-01-01")),
        ("1:20", .string("1:20")), ("0.0.1", .string("0.0.1")), ("-x", .string("-x")), ("<<x", .string("<<x")),
        ("héllo", .string("héllo")), ("True1", .string("True1")),
    ])
    func resolvesPlainScalarsLikeGoYAMLv2(text: String, expected: Value) throws {
        #expect(try YAML.parse("v: \(text)") == ["v": expected])
    }

    @Test func nanResolvesToNaN() throws {
        let value = try YAML.parse(".nan")
        #expect(value.doubleValue?.isNaN == true)
    }

    @Test func quotedScalarsAreStrings() throws {
        let value = try YAML.parse(#"[ "true", 'yes', "1", '', "~", "null", "0755" ]"#)
        #expect(value == ["true", "yes", "1", "", "~", "null", "0755"])
    }

    @Test func blockScalars() throws {
        let text = "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n"
        #expect(try YAML.parse(text) == ["a": "line 1\nline 2\n", "b": "folded text", "c": "keep\n\n", "d": "x"])
    }

    @Test func tagsAreHonoured() throws {
        let text = "a: !!str 123\nb: !!int \"42\"\nc: !!float 3\nd: !!bool 'yes'\ne: !!null ''\nf: !custom 7\ng: ! true\n"
        #expect(try YAML.parse(text) == ["a": "123", "b": 42, "c": .double(3), "d": true, "e": nil, "f": "7", "g": "true"])
    }

    @Test func mismatchedTagIsAnError() {
        #expect {
            try YAML.parse("a: !!int abc")
        } throws: { error in
            let error = error as? MeshCoreError
            return error?.message == "cannot decode !!str `abc` as a !!int" && error?.line == 1 && error?.column == 4
        }
    }

    @Test func anchorsAndAliases() throws {
        let text = "base: &b\n  image: nginx\n  tag: &t \"1.25\"\nother: *b\ntag: *t\nlist: &l [1, 2]\ncopy: *l\n"
        let value = try YAML.parse(text)
        #expect(value["other"] == ["image": "nginx", "tag": "1.25"])
        #expect(value["tag"] == "1.25")
        #expect(value["copy"] == [1, 2])
    }

    @Test func mergeKeysLetExplicitKeysWin() throws {
        let text = """
            defaults: &d {cpu: 100m, memory: 128Mi, replicas: 1}
            extra: &e {memory: 1Gi, debug: true}
            a:
              replicas: 3
              <<: *d
            b:
              <<: [*e, *d]
              cpu: 2
            """
        let value = try YAML.parse(text)
        #expect(value["a"] == ["replicas": 3, "cpu": "100m", "memory": "128Mi"])
        #expect(value["a"]?.objectValue?.keys == ["replicas", "cpu", "memory"])
        #expect(value["b"] == ["memory": "1Gi", "debug": true, "cpu": 2, "replicas": 1])
    }

    @Test func mergeOfAScalarIsAnError() {
        #expect(throws: MeshCoreError.self) { try YAML.parse("a: &s x\nb:\n  <<: *s\n") }
    }

    @Test func nonStringKeysBecomeStrings() throws {
        let value = try YAML.parse("1: a\nyes: b\n1.5: c\n~: d\n0x10: e\n")
        #expect(value.objectValue?.keys == ["1", "true", "1.5", "null", "16"])
        #expect(value["true"] == "b")
        #expect(throws: MeshCoreError.self) { try YAML.parse("true: a\n'true': b\n") }
    }

    @Test func complexKeysAreRejected() {
        #expect(throws: MeshCoreError.self) { try YAML.parse("? [a, b]\n: c\n") }
    }

    @Test func multiDocumentStreamsSkipEmptyDocuments() throws {
        let text = "---\n---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n---\nnull\n"
        #expect(try YAML.parseDocuments(text) == [["a": 1], ["b": 2]])
        #expect(try YAML.parseDocuments("") == [])
        #expect(try YAML.parseDocuments("# nothing\n") == [])
    }

    @Test func parseAcceptsExactlyOneDocument() throws {
        #expect(try YAML.parse("") == .null)
        #expect(try YAML.parse("---\nx: 1\n") == ["x": 1])
        #expect {
            try YAML.parse("a: 1\n---\nb: 2\n")
        } throws: { error in
            let error = error as? MeshCoreError
            return error?.message == "expected a single YAML document, found 2" && error?.line == 2
        }
    }

    @Test func keepsKeyOrderAndUnicode() throws {
        let value = try YAML.parse("zeta: 1\nalpha: ünïcødé 😀\nmid: 名前\n")
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(value["alpha"] == "ünïcødé 😀")
    }

    @Test func parsesJSONAsYAML() throws {
        let json = #"{"a": [1, 2.5, "x", true, null], "b": {"c": "d"}}"#
        #expect(try YAML.parse(json) == JSON.parse(json))
    }

    @Test func parsesFromBytes() throws {
        #expect(try YAML.parseDocuments(bytes: Array("a: é\n".utf8)) == [["a": "é"]])
    }
}

@Suite struct YAMLErrorTests {
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
            (self.input, self.message, self.line, self.column) = (bytes, message, line, column)
        }
    }

    static let cases: [Case] = [
        Case("a:\n\tb: 1\n", "found character that cannot start any token", 2, 1),
        Case("spec:\n  a: 1\n  a: 2\n", "mapping key \"a\" already defined at line 2", 3, 3),
        Case("a: 1\nb: 2\na: 3\n", "mapping key \"a\" already defined at line 1", 3, 1),
        Case("[1, 2", "did not find expected ',' or ']'", 2, 1),
        Case("{a: 1", "did not find expected ',' or '}'", 2, 1),
        Case("k: 'unterminated", "found unexpected end of stream", 1, 17),
        Case("k: \"bad \\q escape\"", "found unknown escape character", 1, 9),
        Case("a: *nope\n", "unknown anchor 'nope' referenced", 1, 4),
        Case("a: &x [*x]\n", "unknown anchor 'x' referenced", 1, 8),
        Case("a: b: c\n", "mapping values are not allowed in this context", 1, 5),
        Case("- a\nb: c\n", "did not find expected '-' indicator", 2, 1),
        Case("a:\n  - b\n  c: d\n", "did not find expected '-' indicator", 3, 3),
        Case(bytes: [0x61, 0x3A, 0x20, 0xFF, 0x0A], "invalid leading UTF-8 octet (byte 0xFF)", 1, 4),
        Case(bytes: [0x61, 0x0A, 0x62, 0x3A, 0x20, 0xC3, 0x28], "invalid trailing UTF-8 octet (byte 0x28)", 2, 5),
    ]

    @Test(arguments: cases)
    func reportsLibyamlProblemWithPosition(_ testCase: Case) {
        #expect {
            _ = try YAML.parseDocuments(bytes: testCase.input)
        } throws: { error in
            guard let error = error as? MeshCoreError else { return false }
            #expect(error.code == .malformedYAML)
            #expect(error.message == testCase.message)
            #expect(error.line == testCase.line)
            #expect(error.column == testCase.column)
            return true
        }
    }

    @Test func aliasBombIsStopped() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        #expect {
            try YAML.parse(text)
        } throws: { error in
            (error as? MeshCoreError)?.message.hasPrefix("document contains excessive aliasing") == true
        }
    }

    @Test func modestAliasingIsFine() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...3 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        #expect(try YAML.parse(text)["a3"]?.arrayValue?.count == 10)
    }

    @Test func depthBombIsStopped() {
        let text = String(repeating: "[", count: 100_000)
        #expect {
            try YAML.parse(text)
        } throws: { error in
            let error = error as? MeshCoreError
            return error?.message == "nesting deeper than 512 levels" && error?.column == 513
        }
    }

    @Test func deepBlockNestingWithinTheLimitParses() throws {
        var text = ""
        for level in 0..<100 { text += String(repeating: "  ", count: level) + "k\(level):\n" }
        _ = try YAML.parse(text)
    }
}
