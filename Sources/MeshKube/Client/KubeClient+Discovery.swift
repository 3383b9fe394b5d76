import MeshCore

extension KubeClient {
    /// The server's version (`GET /version`).
    public func serverVersion() throws(KubeError) -> ServerVersion {
        ServerVersion(try sendValue("GET", path: "/version"))
    }

    /// Every resource the server serves, in the preferred version of each group; asked once per client.
    public func apiResources() throws(KubeError) -> [APIResource] {
        if let cached = discoveryCache { return cached.resources }
        var groupVersions: [(group: String, version: String)] = []
        let core = try sendValue("GET", path: "/api")
        for version in core["versions"]?.arrayValue ?? [] {
            if let version = version.stringValue { groupVersions.append(("", version)) }
        }
        let groups = try sendValue("GET", path: "/apis")
        for group in groups["groups"]?.arrayValue ?? [] {
            guard let name = group["name"]?.stringValue else { continue }
            let preferred = group["preferredVersion"]?["version"]?.stringValue
                ?? group["versions"]?[0]?["version"]?.stringValue
            if let preferred { groupVersions.append((name, preferred)) }
        }
        var resources: [APIResource] = []
        for (group, version) in groupVersions {
            let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let list: Value
            do {
                list = try sendValue("GET", path: path)
            } catch where error.code == .api && (error.httpStatus == 503 || error.httpStatus == 404) {
                continue  // an aggregated API that is down must not break everything else, as with kubectl
            }
            for item in list["resources"]?.arrayValue ?? [] {
                guard let name = item["name"]?.stringValue, !name.contains("/"), let kind = item["kind"]?.stringValue
                else { continue }
                resources.append(APIResource(
                    group: group, version: version, name: name, kind: kind,
                    namespaced: item["namespaced"]?.boolValue ?? false,
                    shortNames: item["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    singularName: item["singularName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                    verbs: item["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []))
            }
        }
        discoveryCache = DiscoveryCache(resources: resources)
        return resources
    }

    /// Finds the resource a user means by a kind, plural, singular or short name, optionally qualified by group
    /// (`po`, `pods`, `Pod`, `vs`, `virtualservices.networking.istio.io`, `deployments.apps`, `deploy.v1.apps`).
    ///
    /// Throws `.unknownResource` when the server serves nothing by that name.
    public func resolveResource(_ text: String) throws(KubeError) -> APIResource {
        let resources = try apiResources()
        if let found = Self.match(text, in: resources) { return found }
        throw KubeError(.unknownResource, "the server doesn't have a resource type \"\(text)\"")
    }

    static func match(_ text: String, in resources: [APIResource]) -> APIResource? {
        let lowered = text.lowercased()
        var candidates: [(name: String, version: String?, group: String?)] = [(lowered, nil, nil)]
        let parts = lowered.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            candidates.append((parts[0], nil, parts[1]))
            let rest = parts[1].split(separator: ".", maxSplits: 1).map(String.init)
            if rest.count == 2 { candidates.append((parts[0], rest[0], rest[1])) }
        }
        for candidate in candidates {
            let found = resources.first { resource in
                if let group = candidate.group, resource.group != group { return false }
                if let version = candidate.version, resource.version != version { return false }
                return resource.name == candidate.name || resource.singularName == candidate.name
                    || resource.kind.lowercased() == candidate.name || resource.shortNames.contains(candidate.name)
            }
            if let found { return found }
        }
        return nil
    }
}
