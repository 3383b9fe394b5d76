import Testing

@testable import MeshCore

/// `YAMLBlockWriter` must write byte for byte what libyaml's emitter (`YAMLWriter`) writes, or decline.
@Suite struct YAMLBlockWriterTests {
    /// Awkward scalars: indicators, quotes, spaces and breaks in every position, YAML 1.1 look-alikes.
    static let strings: [String] = [
        "", " ", "a", "web", "a b", " a", "a ", "a  b", "-", "--", "---", "---a", "...", "..a", "- a", "-a", "?", "? a",
        "?a", ":", ": a", ":a", "a:", "a: b", "a:b", "a :b", "#", "a #b", "a#b", "#a", ",a", "a,b", "[a]", "a[0]",
        "{a}", "a{b}", "&a", "*a", "!a", "|a", ">a", "'a", "a'b", "\"a", "a\"b", "%a", "@a", "`a", "a\\b", "~",
        "true", "yes", "on", "null", "1", "1.0", "0755", "1:20", "1e5", "2024-05-01", "<<", "=", "a=b", "$x", "a\tb",
        "é", "日本", "a\n", "a\nb", "a\nb\n", "\na", " a\nb", "a \nb", "a\n b", "a\n\nb\n", "a\n\n", "\n", "a\nb ",
        "line one\n  indented\nlast", "{\"json\": true}\n", "a\r\nb", "\u{85}", "a\u{2028}b",
        String(repeating: "k", count: 128), String(repeating: "k", count: 129),
    ]

    @Test func scalarsInEveryPositionMatchLibyaml() throws {
        for text in Self.strings {
            let shapes: [Value] = [
                ["key": .string(text)],
                [text: "value"],
                [.string(text)],
                ["list": [.string(text), "x"], "map": ["inner": .string(text)]],
                [["a": .string(text), "b": [.string(text)]], [[.string(text)]]],
                ["k": [["n": .string(text)]], "z": [[.string(text), "y"]]],
            ]
            for value in shapes { try expectSame(value) }
            if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }), text.utf8.count <= 128 {
                #expect(YAMLBlockWriter.document(shapes[1], sortKeys: true) != nil, "key \(text)")
            }
        }
    }

    @Test func containersAndNonStringScalarsMatchLibyaml() throws {
        let values: [Value] = [
            ["a": .null, "b": true, "c": 3, "d": 1.5, "e": [], "f": [:], "g": -0.0, "h": 1e21],
            [[], [:], [[]], [[:]], [["a": [:]]], .null],
            ["spec": ["containers": [["name": "app", "ports": [["containerPort": 80]], "env": []]]], "status": [:]],
            ["item10": 1, "item2": 2, "Item": 3, "a1b": 4, "a01b": 5, "_x": 6, "z": 7, "10": 8, "9": 9],
            [["a": [["b": [["c": "d"]]]]]],
        ]
        for value in values { try expectSame(value) }
    }

    @Test func declinesWhatOnlyLibyamlDoes() {
        #expect(YAMLBlockWriter.document("plain", sortKeys: true) == nil)
        #expect(YAMLBlockWriter.document([:], sortKeys: true) == nil)
        #expect(YAMLBlockWriter.document(["k": "é"], sortKeys: true) == nil)
        let longKey = String(repeating: "k", count: 129)
        #expect(YAMLBlockWriter.document(.object([longKey: 1]), sortKeys: true) == nil)
    }

    @Test func randomDocumentsMatchLibyaml() throws {
        var generator = SplitMix(seed: 42)
        var written = 0
        for _ in 0..<300 {
            let value = randomValue(&generator, depth: 0)
            try expectSame(value)
            if YAMLBlockWriter.document(value, sortKeys: true) != nil { written += 1 }
        }
        // Most documents are within what it writes itself; the comparison is not vacuous.
        #expect(written > 25)
    }

    @Test func asciiKeyOrderIsTheUnicodeKeyOrder() {
        var generator = SplitMix(seed: 7)
        let alphabet = Array("aZb0019-_.:/A".utf8)
        func key() -> [UInt8] { (0..<Int(generator.next() % 6)).map { _ in alphabet[Int(generator.next() % 13)] } }
        for _ in 0..<5_000 {
            let (a, b) = (key(), key())
            let scalars = { (bytes: [UInt8]) in bytes.map { Unicode.Scalar($0) } }
            #expect(YAMLKeyOrder.less(a, b) == YAMLKeyOrder.less(scalars(a), scalars(b)), "\(a) \(b)")
        }
    }

    private func expectSame(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for sortKeys in [true, false] {
            let libyaml = try #require(YAMLWriter(sortKeys: sortKeys)?.document(value))
            if let ours = YAMLBlockWriter.document(value, sortKeys: sortKeys) {
                #expect(ours == libyaml, "\(value)", sourceLocation: sourceLocation)
            }
        }
    }

    private func randomValue(_ generator: inout SplitMix, depth: Int) -> Value {
        let pick = Int(generator.next() % (depth > 3 ? 5 : 8))
        switch pick {
        case 0: return .null
        case 1: return .int(Int(generator.next() % 2000) - 1000)
        case 2, 3, 4: return .string(Self.strings[Int(generator.next() % UInt64(Self.strings.count))])
        case 5:
            return .array((0..<Int(generator.next() % 4)).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            var object = Value.Object()
            for _ in 0..<Int(generator.next() % 5) {
                let key = Self.strings[Int(generator.next() % UInt64(Self.strings.count))]
                object[key] = randomValue(&generator, depth: depth + 1)
            }
            return .object(object)
        }
    }
}

/// A small deterministic random number generator, so a failure reproduces.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
