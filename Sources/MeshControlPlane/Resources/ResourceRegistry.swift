import MeshCore
import NIOConcurrencyHelpers

/// Every resource the server serves right now: the built-in ones and those defined by stored CRDs.
///
/// Updated whenever a CustomResourceDefinition is written, so discovery and routing follow CRDs immediately.
public final class ResourceRegistry: @unchecked Sendable {
    private let lock = NIOLock()
    private var byCRD: [String: [ResourceType]] = [:]
    private var table: [String: ResourceType] = [:]

    public init() {
        rebuild()
    }

    private static func key(_ group: String, _ version: String, _ name: String) -> String {
        "\(group)/\(version)/\(name)"
    }

    private func rebuild() {
        var table: [String: ResourceType] = [:]
        for type in BuiltinResources.all + byCRD.values.flatMap({ $0 }) {
            table[Self.key(type.group, type.version, type.name)] = type
        }
        self.table = table
    }

    /// The resource `name` served at `group`/`version`.
    public func lookup(group: String, version: String, name: String) -> ResourceType? {
        lock.withLock { table[Self.key(group, version, name)] }
    }

    /// All served resource types.
    public var all: [ResourceType] {
        lock.withLock { Array(table.values) }
    }

    /// The resource of `kind` in `apiVersion` (`apps/v1`, `Deployment`).
    public func lookup(apiVersion: String, kind: String) -> ResourceType? {
        let (group, version) = Self.split(apiVersion)
        return lock.withLock { table.values.first { $0.group == group && $0.version == version && $0.kind == kind } }
    }

    static func split(_ apiVersion: String) -> (String, String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    /// The groups with their versions, preferred version first; core (`""`) first, then built-in, then CRD groups.
    public func groups() -> [(name: String, versions: [String])] {
        let types = all
        var versions: [String: Set<String>] = [:]
        for type in types { versions[type.group, default: []].insert(type.version) }
        let builtinOrder = ["", "apps", "coordination.k8s.io", "apiextensions.k8s.io"]
        let names = builtinOrder.filter { versions[$0] != nil } + versions.keys.filter { !builtinOrder.contains($0) }.sorted()
        return names.map { ($0, versions[$0]!.sorted(by: Self.versionPriority)) }
    }

    /// Kubernetes version ordering: GA before beta before alpha, higher numbers first.
    static func versionPriority(_ a: String, _ b: String) -> Bool {
        func rank(_ v: String) -> (Int, Int, Int) {
            guard v.hasPrefix("v") else { return (0, 0, 0) }
            let rest = v.dropFirst()
            let major = Int(rest.prefix { $0.isNumber }) ?? 0
            let tail = rest.drop { $0.isNumber }
            if tail.isEmpty { return (3, major, 0) }
            if tail.hasPrefix("beta") { return (2, major, Int(tail.dropFirst(4)) ?? 0) }
            if tail.hasPrefix("alpha") { return (1, major, Int(tail.dropFirst(5)) ?? 0) }
            return (0, major, 0)
        }
        let (x, y) = (rank(a), rank(b))
        return x != y ? x > y : a < b
    }

    /// Registers (or replaces) the resources a CRD defines; `nil` unregisters.
    public func apply(crdName: String, definition: Value?) {
        lock.withLock {
            byCRD[crdName] = definition.map(Self.types(of:))
            rebuild()
        }
    }

    /// The served versions of a CRD as resource types.
    static func types(of crd: Value) -> [ResourceType] {
        let spec = crd["spec"] ?? .null
        let names = spec["names"] ?? .null
        guard let group = spec["group"]?.stringValue, let plural = names["plural"]?.stringValue,
              let kind = names["kind"]?.stringValue else { return [] }
        let strings: (Value?) -> [String] = { $0?.arrayValue?.compactMap(\.stringValue) ?? [] }
        return (spec["versions"]?.arrayValue ?? []).compactMap { version -> ResourceType? in
            guard let name = version["name"]?.stringValue, version["served"]?.boolValue ?? true else { return nil }
            let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column -> PrinterColumn? in
                guard let title = column["name"]?.stringValue, let path = column["jsonPath"]?.stringValue else { return nil }
                return PrinterColumn(title, column["type"]?.stringValue ?? "string", path,
                                     priority: column["priority"]?.intValue ?? 0, format: column["format"]?.stringValue ?? "")
            }
            var type = ResourceType(
                group: group, version: name, name: plural, singular: names["singular"]?.stringValue ?? kind.lowercased(),
                kind: kind, namespaced: spec["scope"]?.stringValue != "Cluster", shortNames: strings(names["shortNames"]),
                categories: strings(names["categories"]), hasStatus: version["subresources"]?["status"] != nil,
                columns: columns, schema: version["schema"]?["openAPIV3Schema"])
            if let listKind = names["listKind"]?.stringValue { type.listKind = listKind }
            return type
        }
    }
}
