import MeshCore

/// The garbage collector's part of deletion, done synchronously by the API server: dependents (objects whose
/// `metadata.ownerReferences` name a uid) are deleted after their last owner goes (Background), before their
/// owner goes (Foreground), or keep living without the reference (Orphan).
extension APIServer {
    /// After an object is really gone: its dependents without another live owner are deleted, and owners that
    /// wait in foreground deletion for it may now go.
    func finishedDeletion(of object: StoredObject) {
        if let uid = object.summary.uid { collectDependents(of: uid) }
        for owner in object.summary.ownerUIDs {
            if let found = store.object(uid: owner), let type = type(storageKey: found.key.resource) {
                _ = settleForegroundDeletion(type, namespace: found.key.namespace, name: found.key.name)
            }
        }
    }

    /// Background propagation: each dependent of the vanished `uid` is deleted unless another owner of it still
    /// lives (then only the dangling references are dropped).
    func collectDependents(of uid: String) {
        for key in store.dependents(of: uid) {
            guard let dependent = store.get(key.resource, namespace: key.namespace, name: key.name),
                  let type = type(storageKey: key.resource) else { continue }
            let others = dependent.summary.ownerUIDs.filter { $0 != uid }
            let alive = others.filter { other in
                guard let owner = store.object(uid: other)?.object.value else { return false }
                return !(owner["metadata"]?["deletionTimestamp"] != nil && Self.finalizers(of: owner).contains(Self.foregroundFinalizer))
            }
            if alive.isEmpty {
                _ = try? remove(type, namespace: key.namespace, name: key.name, options: DeleteOptions())
            } else {
                let dangling = Set(others.filter { store.object(uid: $0) == nil } + [uid])
                dropOwnerReferences(dangling, from: key, type)
            }
        }
    }

    /// Orphan propagation: the dependents lose their reference to `uid` and stay.
    func orphanDependents(of uid: String) {
        for key in store.dependents(of: uid) {
            if let type = type(storageKey: key.resource) { dropOwnerReferences([uid], from: key, type) }
        }
    }

    /// Foreground propagation: each dependent is deleted (in the foreground itself, so grandchildren go first).
    func deleteDependents(of uid: String, options: DeleteOptions) {
        var foreground = DeleteOptions()
        foreground.propagation = .foreground
        foreground.gracePeriodSeconds = options.gracePeriodSeconds
        for key in store.dependents(of: uid) {
            if let type = type(storageKey: key.resource) {
                _ = try? remove(type, namespace: key.namespace, name: key.name, options: foreground)
            }
        }
    }

    /// An owner in foreground deletion whose dependents are all gone loses its `foregroundDeletion` finalizer,
    /// and is removed when no other finalizer remains. `nil` while it still waits (or is not waiting at all).
    func settleForegroundDeletion(_ type: ResourceType, namespace: String, name: String) -> (object: StoredObject, removed: Bool)? {
        guard let owner = store.get(type.storageKey, namespace: namespace, name: name) else { return nil }
        let ownerValue = owner.value
        guard ownerValue["metadata"]?["deletionTimestamp"] != nil,
              Self.finalizers(of: ownerValue).contains(Self.foregroundFinalizer),
              let uid = owner.summary.uid, store.dependents(of: uid).isEmpty else { return nil }
        guard let result = try? store.write(type.storageKey, namespace: namespace, name: name, { current throws(APIError) in
            guard var value = current?.value, current?.resourceVersion == owner.resourceVersion else { return .unchanged }
            let rest = Self.finalizers(of: value).filter { $0 != Self.foregroundFinalizer }
            value["metadata"]?["finalizers"] = rest.isEmpty ? Value?.none : .array(rest.map(Value.string))
            return rest.isEmpty ? .deleteAfter(value) : .put(value)
        }), let previous = result.previous, result.version != previous.resourceVersion else { return nil }
        guard let updated = result.object else {
            afterWrite(type, nil, previous)
            finishedDeletion(of: previous)
            var last = previous
            last.value["metadata"]?["finalizers"] = nil
            return (last.stamped(result.version), true)
        }
        afterWrite(type, updated, previous)
        return (updated, false)
    }

    private func dropOwnerReferences(_ uids: Set<String>, from key: ObjectKey, _ type: ResourceType) {
        let result = try? store.write(key.resource, namespace: key.namespace, name: key.name) { current throws(APIError) in
            guard var value = current?.value else { return .unchanged }
            let references = value["metadata"]?["ownerReferences"]?.arrayValue ?? []
            let kept = references.filter { !uids.contains($0["uid"]?.stringValue ?? "") }
            guard kept.count != references.count else { return .unchanged }
            value["metadata"]?["ownerReferences"] = kept.isEmpty ? Value?.none : .array(kept)
            return .put(value)
        }
        if let result, let updated = result.object, updated.resourceVersion != result.previous?.resourceVersion {
            afterWrite(type, updated, result.previous)
        }
    }

    private func type(storageKey: String) -> ResourceType? {
        registry.all.first { $0.storageKey == storageKey }
    }
}
