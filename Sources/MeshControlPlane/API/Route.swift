/// What a request path names.
enum Route: Equatable {
    case root
    case health(String)
    case version
    case openAPIv2
    case openAPIv3(String?)
    case coreVersions
    case groups
    case group(String)
    case resourceList(group: String, version: String)
    /// A resource collection or object: `namespace` is set for namespaced paths, `name` for one object.
    case resource(group: String, version: String, resource: String, namespace: String?, name: String?,
                  subresource: String?, watchPath: Bool)
    case unknown

    /// Parses a request path; `isNamespaced` tells whether `group/version/resource` is namespaced, which decides
    /// what `/namespaces/X/Y` means.
    init(path: String, isNamespaced: (String, String, String) -> Bool?) {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case nil: self = .root; return
        case "healthz", "livez", "readyz": self = .health(segments[0]); return
        case "version" where segments.count == 1: self = .version; return
        case "openapi":
            if segments.count == 2, segments[1] == "v2" { self = .openAPIv2; return }
            if segments.count >= 2, segments[1] == "v3" {
                self = .openAPIv3(segments.count > 2 ? segments.dropFirst(2).joined(separator: "/") : nil)
                return
            }
            self = .unknown; return
        case "api":
            if segments.count == 1 { self = .coreVersions; return }
            if segments.count == 2 { self = segments[1] == "v1" ? .resourceList(group: "", version: "v1") : .unknown; return }
            self = Self.resource(group: "", version: segments[1], Array(segments.dropFirst(2)), isNamespaced)
        case "apis":
            if segments.count == 1 { self = .groups; return }
            if segments.count == 2 { self = .group(segments[1]); return }
            if segments.count == 3 { self = .resourceList(group: segments[1], version: segments[2]); return }
            self = Self.resource(group: segments[1], version: segments[2], Array(segments.dropFirst(3)), isNamespaced)
        default:
            self = .unknown
        }
    }

    private static func resource(group: String, version: String, _ rest: [String],
                                 _ isNamespaced: (String, String, String) -> Bool?) -> Route {
        var rest = rest
        var watchPath = false
        if rest.first == "watch" { watchPath = true; rest.removeFirst() }
        guard !rest.isEmpty, rest.count <= 5 else { return .unknown }
        if rest[0] == "namespaces", rest.count >= 3, isNamespaced(group, version, rest[2]) == true {
            return .resource(group: group, version: version, resource: rest[2], namespace: rest[1],
                             name: rest.count > 3 ? rest[3] : nil, subresource: rest.count > 4 ? rest[4] : nil,
                             watchPath: watchPath)
        }
        guard rest.count <= 3 else { return .unknown }
        return .resource(group: group, version: version, resource: rest[0], namespace: nil,
                         name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil,
                         watchPath: watchPath)
    }
}
