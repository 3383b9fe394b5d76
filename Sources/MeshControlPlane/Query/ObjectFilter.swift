import MeshCore

/// Which objects a list or watch returns: namespace, label and field selectors.
public struct ObjectFilter: Sendable {
    public var namespace: String?
    public var labels: LabelSelector?
    public var fields: FieldSelector?

    public init(namespace: String? = nil, labels: LabelSelector? = nil, fields: FieldSelector? = nil) {
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
    }

    /// From the request's `labelSelector` and `fieldSelector` parameters.
    init(namespace: String?, query: [String: String]) throws(APIError) {
        self.namespace = namespace
        if let text = query["labelSelector"], !text.isEmpty { labels = try LabelSelector(parsing: text) }
        if let text = query["fieldSelector"], !text.isEmpty { fields = try FieldSelector(parsing: text) }
    }

    public func matches(_ object: StoredObject) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        if let labels, !labels.matches(object.summary.labels) { return false }
        guard let fields else { return true }
        var decoded: Value?  // only for a path the summary does not keep, and then once
        return fields.matches { path in
            if let text = object.summary.field(path) { return text }
            if decoded == nil { decoded = object.value }
            return FieldSelector.text(at: path, in: decoded!)
        }
    }

    /// What a watch with this filter sends for a committed change, as the Kubernetes watch cache does: a change
    /// that makes an object match is ADDED, one that makes it stop matching is DELETED (carrying the last state
    /// that matched, stamped with the change's resourceVersion), and a change outside the selection is not sent.
    public func watchEvent(for event: StoreEvent) -> StoreEvent? {
        guard event.kind == .modified, let previous = event.previous else {
            return matches(event.object) ? event : nil
        }
        switch (matches(previous), matches(event.object)) {
        case (true, true):
            return event
        case (false, true):
            return StoreEvent(kind: .added, resource: event.resource, object: event.object, previous: previous)
        case (true, false):
            return StoreEvent(kind: .deleted, resource: event.resource, object: previous.stamped(event.object.resourceVersion),
                              previous: previous)
        case (false, false):
            return nil
        }
    }
}
