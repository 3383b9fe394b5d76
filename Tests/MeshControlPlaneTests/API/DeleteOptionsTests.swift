import MeshCore
import Testing

@testable import MeshControlPlane

struct DeleteOptionsTests {
    @Test func bodyAndQueryGiveThePolicy() throws {
        #expect(try DeleteOptions(body: nil, query: [:]).propagation == .background)
        #expect(try DeleteOptions(body: ["propagationPolicy": "Foreground"], query: [:]).propagation == .foreground)
        #expect(try DeleteOptions(body: nil, query: ["propagationPolicy": "Orphan"]).propagation == .orphan)
        #expect(try DeleteOptions(body: ["orphanDependents": true], query: [:]).propagation == .orphan)
        let options = try DeleteOptions(body: ["gracePeriodSeconds": 7, "preconditions": ["uid": "u", "resourceVersion": "9"]], query: [:])
        #expect(options.gracePeriodSeconds == 7 && options.uid == "u" && options.resourceVersion == "9")
        #expect(options.dryRun == false)
        #expect(try DeleteOptions(body: ["dryRun": ["All"]], query: [:]).dryRun)
        #expect(try DeleteOptions(body: nil, query: ["dryRun": "All"]).dryRun)
    }

    static let bad: [(Value, Int)] = [
        (["propagationPolicy": "Sideways"], 422),
        (["propagationPolicy": "Orphan", "orphanDependents": true], 422),
        (["gracePeriodSeconds": -1], 422),
        ("text", 400),
    ]

    @Test(arguments: bad)
    func badOptionsAreRefused(_ body: Value, _ code: Int) {
        #expect(throws: APIError.self) { _ = try DeleteOptions(body: body, query: [:]) }
        do { _ = try DeleteOptions(body: body, query: [:]) } catch { #expect(error.code == code) }
    }

    @Test func aDeletionMarksWhileFinalizersRemain() {
        let plain: Value = ["metadata": ["name": "a", "generation": 2]]
        guard case .delete = APIServer.deletion(of: plain, at: "T", gracePeriod: nil, waitForDependents: false) else {
            Issue.record("an object without finalizers is not removed at once"); return
        }
        guard case .put(let marked) = APIServer.deletion(of: plain, at: "T", gracePeriod: 5, waitForDependents: true) else {
            Issue.record("a foreground deletion with dependents does not wait"); return
        }
        #expect(marked["metadata"]?["finalizers"] == ["foregroundDeletion"])
        #expect(marked["metadata"]?["deletionTimestamp"] == "T")
        #expect(marked["metadata"]?["deletionGracePeriodSeconds"] == 5)
        #expect(marked["metadata"]?["generation"] == 3)
        guard case .unchanged = APIServer.deletion(of: marked, at: "U", gracePeriod: nil, waitForDependents: false) else {
            Issue.record("a second deletion changed a marked object"); return
        }
    }
}
