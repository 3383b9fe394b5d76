import MeshCore

/// Where an object is stored: its resource's storage key, namespace and name.
public struct ObjectKey: Hashable, Sendable {
    public var resource: String
    public var namespace: String
    public var name: String
}

/// Objects by uid, and dependents by the uid in their `metadata.ownerReferences`, so the garbage collector finds
/// what an owner takes with it without scanning the store.
struct OwnerIndex {
    private var keys: [String: ObjectKey] = [:]
    private var uids: [ObjectKey: String] = [:]
    private var dependents: [String: Set<ObjectKey>] = [:]
    private var owners: [ObjectKey: [String]] = [:]

    /// Records the object (its summary) stored at `key`, created or replaced, or forgets the key when `nil`.
    mutating func update(_ key: ObjectKey, _ object: ObjectSummary?) {
        for owner in owners.removeValue(forKey: key) ?? [] {
            dependents[owner]?.remove(key)
            if dependents[owner]?.isEmpty == true { dependents[owner] = nil }
        }
        if let uid = uids.removeValue(forKey: key) { keys[uid] = nil }
        guard let object else { return }
        if let uid = object.uid {
            keys[uid] = key
            uids[key] = uid
        }
        let ownerUIDs = object.ownerUIDs
        if !ownerUIDs.isEmpty {
            owners[key] = ownerUIDs
            for owner in ownerUIDs { dependents[owner, default: []].insert(key) }
        }
    }

    /// Where the object with `uid` is stored.
    func key(uid: String) -> ObjectKey? { keys[uid] }

    /// The objects that name `uid` among their owners, in a stable order.
    func dependents(of uid: String) -> [ObjectKey] {
        (dependents[uid] ?? []).sorted { ($0.resource, $0.namespace, $0.name) < ($1.resource, $1.namespace, $1.name) }
    }

    /// The uids in an object's `metadata.ownerReferences`.
    static func ownerUIDs(of value: Value) -> [String] {
        (value["metadata"]?["ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }
}
