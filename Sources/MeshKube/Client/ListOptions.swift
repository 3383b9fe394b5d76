import MeshCore

/// How to select and page a list.
public struct ListOptions: Sendable, Equatable {
    /// `labelSelector` (`app=web,tier!=db`).
    public var labelSelector: String?
    /// `fieldSelector` (`spec.nodeName=node-1`).
    public var fieldSelector: String?
    /// Objects per page; the client follows `continue` until the list is complete.
    public var pageSize: Int
    /// List across all namespaces instead of the default one.
    public var allNamespaces: Bool

    /// Makes options; pages of 500 like kubectl.
    public init(labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500, allNamespaces: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.pageSize = pageSize
        self.allNamespaces = allNamespaces
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        return query
    }
}

/// A complete list: every page's items, and the list's resource version (to start a watch from).
public struct ObjectList: Sendable {
    /// The objects, in server order.
    public var items: [Value]
    /// `metadata.resourceVersion` of the list.
    public var resourceVersion: String?
    /// Pages fetched.
    public var pages: Int
}


/// How a patch body is to be read.
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 7386 JSON merge patch.
    case merge = "application/merge-patch+json"
    /// RFC 6902 JSON patch (a list of operations).
    case json = "application/json-patch+json"
    /// Kubernetes strategic merge patch (built-in kinds only).
    case strategic = "application/strategic-merge-patch+json"
    /// Server-side apply (needs a field manager).
    case apply = "application/apply-patch+yaml"
}

/// What happens to dependents when an object is deleted.
public enum PropagationPolicy: String, Sendable {
    /// Delete dependents in the background.
    case background = "Background"
    /// Delete dependents first.
    case foreground = "Foreground"
    /// Leave dependents.
    case orphan = "Orphan"
}
