import Testing

@testable import MeshCore

@Suite struct JSONEmitTests {
    @Test func compactLikeGoMarshal() {
        let value: Value = ["b": [1, "x", nil, true], "a": [:], "c": []]
        #expect(JSON.emit(value) == #"{"b":[1,"x",null,true],"a":{},"c":[]}"#)
    }

    @Test func indentedLikeKubectl() {
        let value: Value = ["kind": "List", "items": [["a": 1], []], "metadata": [:]]
        let expected = """
            {
                "kind": "List",
                "items": [
                    {
                        "a": 1
                    },
                    []
                ],
                "metadata": {}
            }
            """
        #expect(JSON.emit(value, indent: 4) == expected)
    }

    @Test func sortsKeysByBytes() {
        let value: Value = ["b": 1, "B": 2, "a": 3, "_": 4, "é": 5, "a1": 6]
        #expect(JSON.emit(value, sortKeys: true) == #"{"B":2,"_":4,"a":3,"a1":6,"b":1,"é":5}"#)
    }

    @Test(arguments: [
        ("<a href=\"x\">&</a>", #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e""#),
        ("line\nfeed\ttab\rcr", #""line\nfeed\ttab\rcr""#),
        ("\u{8}\u{C}\u{0}\u{1F}\u{7F}", "\"\\b\\f\\u0000\\u001f\u{7F}\""),
        ("back\\slash /", #""back\\slash /""#),
        ("sep\u{2028}par\u{2029}", #""sep\u2028par\u2029""#),
        ("ünïcødé 😀 €", #""ünïcødé 😀 €""#),
        ("", #""""#),
    ])
    func escapesLikeGo(input: String, expected: String) {
        #expect(JSON.emit(.string(input)) == expected)
    }

    @Test(arguments: [
        (1.0, "1"),
        (-1.0, "-1"),
        (1.5, "1.5"),
        (0.0, "0"),
        (-0.0, "-0"),
        (100.0, "100"),
        (0.1, "0.1"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e300, "1.5e+300"),
        (0.000001, "0.000001"),
        (0.0000001, "1e-7"),
        (1.25e-10, "1.25e-10"),
        (123456789.125, "123456789.125"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (1e16, "10000000000000000"),
    ])
    func formatsDoublesLikeGo(value: Double, expected: String) {
        #expect(JSON.emit(.double(value)) == expected)
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSON.emit([.double(.nan), .double(.infinity)]) == "[null,null]")
    }

    @Test func integersPrintInFull() {
        #expect(JSON.emit([.int(Int.max), .int(Int.min)]) == "[9223372036854775807,-9223372036854775808]")
    }

    @Test func roundTripsThroughText() throws {
        let value: Value = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "web-0", "labels": ["app": "web"], "annotations": ["note": "<b>&\"quoted\"\n"]],
            "spec": ["containers": [["name": "app", "ports": [["containerPort": 8080]], "cpu": 0.25]]],
            "empty": [:], "none": nil, "flags": [true, false], "big": 1e300, "tiny": -1e-300,
        ]
        for indent in [0, 2, 4] {
            let text = JSON.emit(value, indent: indent)
            #expect(try JSON.parse(text) == value)
        }
    }
}
