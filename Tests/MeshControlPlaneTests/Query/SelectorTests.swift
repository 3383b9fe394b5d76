import MeshCore
import Testing

@testable import MeshControlPlane

struct SelectorTests {
    @Test(arguments: [
        ("app=web", ["app": "web"], true),
        ("app==web,tier!=db", ["app": "web", "tier": "fe"], true),
        ("app in (web, api)", ["app": "api"], true),
        ("app notin (web)", ["app": "web"], false),
        ("!legacy", ["legacy": "x"], false),
        ("release", [:], false),
        ("", [:], true),
    ])
    func labelSelectors(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(labels) == expected)
    }

    @Test(arguments: ["app in (web", "a b c", "=x", "app=(x)"])
    func malformedLabelSelectorsAre400(_ text: String) {
        #expect(throws: APIError.self) { _ = try LabelSelector(parsing: text) }
    }

    @Test func fieldSelectorsReadAnyPath() throws {
        let pod: Value = ["metadata": ["name": "p"], "spec": ["nodeName": "n1"], "status": ["phase": "Running"]]
        #expect(try FieldSelector(parsing: "spec.nodeName=n1,status.phase!=Pending").matches(pod))
        #expect(try !FieldSelector(parsing: "metadata.name=q").matches(pod))
        #expect(throws: APIError.self) { _ = try FieldSelector(parsing: "justakey") }
    }
}
