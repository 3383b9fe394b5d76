@testable import MeshCLI
import Testing

@Suite struct NearMatchTests {
    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("ab", "ba", 1), ("injet", "inject", 1)])
    func editDistance(lhs: String, rhs: String, distance: Int) {
        #expect(NearMatch.editDistance(lhs, rhs) == distance)
    }

    @Test func suggestsCloseWordsAndPrefixesBestFirst() {
        #expect(NearMatch.suggestions(for: "verison", among: ["version", "completion", "help"]) == ["version"])
        #expect(NearMatch.suggestions(for: "comp", among: ["version", "completion", "help"]) == ["completion"])
        #expect(NearMatch.suggestions(for: "xyz", among: ["version", "completion", "help"]).isEmpty)
    }

    @Test func phrasesOneOrSeveralSuggestions() {
        #expect(NearMatch.phrase(for: "hlp", among: ["help"]) == " — did you mean \"help\"?")
        #expect(NearMatch.phrase(for: "pod", among: ["pods", "node", "pod2"]) == " — did you mean \"pod2\" or \"pods\"?")
    }
}
