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
