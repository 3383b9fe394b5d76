import Testing
@testable import MeshPolicy

@Suite("analyze --suppress patterns")
struct AnalysisSuppressionTests {
    static let message = AnalysisMessage(
        .referencedResourceNotFound, origin: .init(kind: "VirtualService", namespace: "shop", name: "web"), "Referenced gateway not found")

    @Test(
        "code or name, and a glob on the printed resource",
        arguments: [
            ("IST0101=VirtualService shop/web", true), ("ReferencedResourceNotFound=VirtualService shop/web", true),
            ("IST0101=VirtualService shop/*", true), ("IST0101=* */web", true), ("IST*=*", true),
            ("IST0132=VirtualService shop/web", false), ("IST0101=VirtualService other/*", false),
            ("IST0101=Gateway shop/web", false), ("IST0101=VirtualService shop/we", false),
        ])
    func matching(_ text: String, _ suppressed: Bool) throws {
        let suppression = try #require(AnalysisSuppression(text))
        #expect(suppression.suppresses(Self.message) == suppressed)
    }

    @Test("a pattern needs both sides of =", arguments: ["IST0101", "=x", "IST0101=", " = "])
    func invalid(_ text: String) {
        #expect(AnalysisSuppression(text) == nil)
    }
}
