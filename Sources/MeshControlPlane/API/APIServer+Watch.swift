import MeshCore

extension APIServer {
    /// A watch request becomes a stream the network layer drives.
    func watch(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let filter = try ObjectFilter(namespace: target.type.namespaced ? target.namespace : nil, query: request.query)
        var from: Int?
        if let text = request.query["resourceVersion"], !text.isEmpty, text != "0" {
            guard let version = Int(text), version >= 0 else {
                throw APIError.badRequest("invalid resourceVersion \"\(text)\"")
            }
            from = version
        }
        let sendInitial = request.query["sendInitialEvents"] == "true"
        if sendInitial { from = nil }
        let timeout = request.query["timeoutSeconds"].flatMap { Int($0) }
        return .watch(WatchStream(
            store: store, type: target.type, filter: filter, from: from, table: request.wantsTable,
            includeObject: request.query["includeObject"], bookmarks: request.query["allowWatchBookmarks"] == "true",
            timeoutSeconds: timeout.map { max(1, $0) }, initialEventsEnd: sendInitial && request.query["allowWatchBookmarks"] == "true"))
    }
}
