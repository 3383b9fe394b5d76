import MeshCore
import Testing

@testable import MeshManifest

@Suite struct TemplateTests {
    func render(
        _ source: String, _ data: Value = .null, functions: TemplateFunctions = .standard
    ) throws(MeshManifestError) -> String {
        try Template(name: "t", source: source, functions: functions).render(data)
    }

    @Test func trimMarkersRemoveSurroundingWhiteSpace() throws {
        #expect(try render("a  {{- \"b\" -}}  \n c") == "abc")
        #expect(try render("a {{ \"b\" }} c") == "a b c")
        #expect(try render("x\n  {{- /* comment */ -}}\n  y") == "xy")
    }

    @Test func missingMapKeyPrintsNoValue() throws {
        #expect(try render("{{ .a }}", ["b": 1]) == "<no value>")
        #expect(try render("{{ .a.b }}", ["a": ["b": "x"]]) == "x")
    }

    @Test func fieldsFallBackToJSONNames() throws {
        let data: Value = ["ObjectMeta": ["annotations": ["k": "v"]], "TypeMeta": ["apiVersion": "apps/v1"]]
        #expect(try render("{{ index .ObjectMeta.Annotations \"k\" }} {{ .TypeMeta.APIVersion }}", data) == "v apps/v1")
    }

    @Test func ifElseIfChains() throws {
        let source = "{{ if eq .x 1 }}one{{ else if eq .x 2 }}two{{ else }}many{{ end }}"
        #expect(try render(source, ["x": 1]) == "one")
        #expect(try render(source, ["x": 2]) == "two")
        #expect(try render(source, ["x": 3]) == "many")
    }

    @Test func rangeOverMapsIsSortedAndBindsKeyAndValue() throws {
        let source = "{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}"
        #expect(try render(source, ["b": 2, "a": 1]) == "a=1;b=2;")
        #expect(try render("{{ range . }}{{ . }}{{ else }}empty{{ end }}", []) == "empty")
    }

    @Test func variablesAreScopedAndAssignable() throws {
        let source = "{{ $x := 1 }}{{ range .items }}{{ $x = . }}{{ end }}{{ $x }}"
        #expect(try render(source, ["items": [5, 6]]) == "6")
    }

    @Test func withSetsDotAndFallsBack() throws {
        #expect(try render("{{ with .a }}[{{ . }}]{{ else }}none{{ end }}", ["a": "x"]) == "[x]")
        #expect(try render("{{ with .a }}[{{ . }}]{{ else }}none{{ end }}", ["a": ""]) == "none")
    }

    @Test func defineAndTemplate() throws {
        let source = "{{ define \"greet\" }}hi {{ . }}{{ end }}{{ template \"greet\" .name }}"
        #expect(try render(source, ["name": "bob"]) == "hi bob")
        #expect(try render("{{ block \"b\" . }}[{{ . }}]{{ end }}", "z") == "[z]")
    }

    @Test func andOrShortCircuitAndReturnOperands() throws {
        #expect(try render("{{ or .a \"fallback\" }}", ["a": ""]) == "fallback")
        #expect(try render("{{ and 1 0 }}") == "0")
        #expect(try render("{{ and .missing (index .missing 3) }}", [:]) == "<no value>")
    }

    @Test func pipelinesPassTheLastArgument() throws {
        #expect(try render("{{ .a | default \"d\" | quote }}", ["a": ""]) == "\"d\"")
        #expect(try render("{{ \"a,b\" | splitList \",\" | join \"+\" }}") == "a+b")
    }

    @Test func floatsPrintLikeGo() throws {
        #expect(try render("{{ . }}", .double(15020)) == "15020")
        #expect(try render("{{ . }}", .double(1_000_000)) == "1e+06")
        #expect(try render("{{ . }}", .double(0.5)) == "0.5")
        #expect(try render("{{ . }}", .double(0.00001)) == "1e-05")
    }

    @Test func printfFormatsGoVerbs() throws {
        #expect(try render("{{ printf \"%s-%d-%t-%q-%v\" \"a\" 3 true \"q\" 1.5 }}") == "a-3-true-\"q\"-1.5")
        #expect(try render("{{ printf \"%05.1f|%-3s|\" 3.14159 \"x\" }}") == "003.1|x  |")
        #expect(try render("{{ printf \"%d\" \"x\" }}") == "%!d(string=x)")
    }

    @Test func comparisonsFollowGo() throws {
        #expect(try render("{{ eq 1 1.0 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ ge 2 2 }}") == "true true true true")
        #expect(try render("{{ eq .missing \"\" }}", [:]) == "true")
        #expect(throws: MeshManifestError.self) { try render("{{ eq 1 \"a\" }}") }
    }

    @Test func unknownFunctionIsAParseErrorWithLine() {
        do throws(MeshManifestError) {
            _ = try Template(name: "tpl", source: "a\n\n{{ nope 1 }}")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .templateParse)
            #expect(error.line == 3)
            #expect(error.description.contains("template: tpl:3"))
            #expect(error.description.contains("function \"nope\" not defined"))
        }
    }

    @Test(arguments: ["{{ if 1 }}", "{{ end }}", "{{ \"unterminated }}", "{{ .a ", "{{ else }}", "{{ (1 }}"])
    func malformedTemplatesFailToParse(source: String) {
        #expect(throws: MeshManifestError.self) { try Template(name: "bad", source: source) }
    }

    @Test func executionErrorsNameTheFunctionAndLine() {
        do throws(MeshManifestError) {
            _ = try render("x\n{{ index .a 5 }}", ["a": [1]])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .templateExecution)
            #expect(error.line == 2)
            #expect(error.message.contains("error calling index"))
        }
    }

    @Test func parenthesizedPipelineFieldChain() throws {
        #expect(try render("{{ (.a).b }}", ["a": ["b": "c"]]) == "c")
        #expect(try render("{{ $x := .a }}{{ $x.b }}", ["a": ["b": "d"]]) == "d")
    }

    @Test func breakAndContinueInRange() throws {
        let source = "{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}"
        #expect(try render(source, [1, 2, 3, 4, 5]) == "13")
    }
}
