import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import Testing

/// Paginated lists over real HTTPS: later pages show the snapshot of the first, an expired snapshot is 410 with a
/// token that goes on at the latest state, and a malformed token is 400.
@Suite(.serialized) struct ListPaginationTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster(historyCapacity: 50)
        client = try cluster.client()
    }

    func configMap(_ name: String, _ data: String = "v") -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": ["set": "paged"]], "data": ["k": .string(data)]]
    }

    /// One page of the `set=paged` config maps.
    func page(limit: Int, continue token: String? = nil) throws(KubeError) -> Value {
        var query = [("labelSelector", "set=paged"), ("limit", String(limit))]
        if let token { query.append(("continue", token)) }
        return try client.sendValue("GET", path: APIResource.configMaps.path(namespace: "default"), query: query)
    }

    func names(_ list: Value) -> [String] {
        (list["items"]?.arrayValue ?? []).compactMap { $0["metadata"]?["name"]?.stringValue }
    }

    @Test func laterPagesShowTheFirstPagesSnapshot() throws {
        for index in 0..<6 { _ = try client.create(.configMaps, configMap("item-\(index)"), namespace: "default") }
        let first = try page(limit: 2)
        #expect(names(first) == ["item-0", "item-1"])
        #expect(first["metadata"]?["remainingItemCount"] == 4)
        let token = try #require(first["metadata"]?["continue"]?.stringValue)

        // Changes after the first page: none of them shows in the rest of this list.
        try client.delete(.configMaps, name: "item-4", namespace: "default")
        _ = try client.patch(.configMaps, name: "item-3", namespace: "default", patch: ["data": ["k": "changed"]], type: .merge)
        _ = try client.create(.configMaps, configMap("item-2b"), namespace: "default")
        try client.delete(.configMaps, name: "item-0", namespace: "default")

        let second = try page(limit: 2, continue: token)
        #expect(names(second) == ["item-2", "item-3"])
        #expect(second["items"]?[1]?["data"]?["k"] == "v")
        #expect(second["metadata"]?["resourceVersion"] == first["metadata"]?["resourceVersion"])
        let third = try page(limit: 2, continue: try #require(second["metadata"]?["continue"]?.stringValue))
        #expect(names(third) == ["item-4", "item-5"])
        #expect(third["metadata"]?["continue"] == nil)

        // A new list sees the present.
        #expect(try names(page(limit: 10)) == ["item-1", "item-2", "item-2b", "item-3", "item-5"])
    }

    @Test func anExpiredSnapshotIsGoneWithATokenForTheRest() throws {
        for index in 0..<4 { _ = try client.create(.configMaps, configMap("old-\(index)"), namespace: "default") }
        let first = try page(limit: 2)
        let token = try #require(first["metadata"]?["continue"]?.stringValue)
        // The history holds 50 changes: after 60 more, the first page's version has left it.
        for index in 0..<60 { _ = try client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("filler-\(index)")]], namespace: "default") }
        _ = try client.create(.configMaps, configMap("old-9"), namespace: "default")
        do {
            _ = try page(limit: 2, continue: token)
            Issue.record("an expired continue token was accepted")
        } catch {
            #expect(error.httpStatus == 410)
            #expect(error.reason == "Expired")
        }
        // The Status carries a token that goes on from the same key at the latest state.
        let response = cluster.plane.api.handle(APIRequest(
            method: "GET", path: "/api/v1/namespaces/default/configmaps",
            query: ["labelSelector": "set=paged", "limit": "2", "continue": token], user: "admin"))
        #expect(response.status == 410)
        let status = try JSON.parse(bytes: response.bytes)
        #expect(status["code"] == 410)
        let inconsistent = try #require(status["metadata"]?["continue"]?.stringValue)
        let rest = try page(limit: 10, continue: inconsistent)
        #expect(names(rest) == ["old-2", "old-3", "old-9"])
    }

    @Test(arguments: ["not-base64!", Data("x|key".utf8).base64EncodedString(), Data("no-bar".utf8).base64EncodedString()])
    func aMalformedTokenIsABadRequest(_ token: String) throws {
        do {
            _ = try page(limit: 2, continue: token)
            Issue.record("a malformed continue token was accepted")
        } catch { #expect(error.httpStatus == 400) }
    }
}
