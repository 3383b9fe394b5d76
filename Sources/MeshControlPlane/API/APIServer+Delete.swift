import MeshCore

extension APIServer {
    /// DELETE of one object: preconditions, finalizers (the object stays, marked with `deletionTimestamp`, until
    /// they are removed), dependents by propagation policy, and a namespace takes its objects with it.
    func delete(_ request: APIRequest, _ target: ResourceTarget, name: String) throws(APIError) -> APIResponse {
        let body: Value? = request.body.isEmpty ? nil : try BodyDecoder.object(request)
        let options = try DeleteOptions(body: body, query: request.query)
        if options.dryRun {
            guard let current = store.get(target.type.storageKey, namespace: target.storageNamespace, name: name) else {
                throw APIError.notFound(target.type, name: name)
            }
            return .jsonBytes(Self.encoded(current, as: target.type))
        }
        let outcome = try remove(target.type, namespace: target.storageNamespace, name: name, options: options)
        if outcome.removed, target.type.kind == "Namespace", target.type.group.isEmpty {
            deleteContents(ofNamespace: name)
        }
        return .jsonBytes(Self.encoded(outcome.object, as: target.type))
    }

    /// DELETE of a collection, with selectors; each object as a single DELETE with the request's options.
    func deleteCollection(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let filter = try ObjectFilter(namespace: target.type.namespaced ? target.namespace : nil, query: request.query)
        let body: Value? = request.body.isEmpty ? nil : try BodyDecoder.object(request)
        var options = try DeleteOptions(body: body, query: request.query)
        options.resourceVersion = nil
        options.uid = nil
        let (items, _) = store.list(target.type.storageKey, namespace: filter.namespace)
        var deleted: [Value] = []
        for item in items where filter.matches(item) {
            if options.dryRun {
                deleted.append(Self.presented(item, as: target.type))
            } else if let outcome = try? remove(target.type, namespace: item.namespace, name: item.name, options: options) {
                deleted.append(Self.presented(outcome.object, as: target.type))
            }
        }
        return .json(["kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion),
                      "metadata": ["resourceVersion": .string(String(store.resourceVersion))], "items": .array(deleted)])
    }

    /// Deletes one object the way a DELETE does. Returns its last state and whether it is gone (`false`: it
    /// waits for finalizers, marked with `deletionTimestamp`).
    @discardableResult
    func remove(_ type: ResourceType, namespace: String, name: String,
                options: DeleteOptions) throws(APIError) -> (object: StoredObject, removed: Bool) {
        guard let before = store.get(type.storageKey, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        try Self.check(options, before, type)
        let uid = before.summary.uid ?? ""
        if options.propagation == .orphan { orphanDependents(of: uid) }
        let waitForDependents = options.propagation == .foreground && !store.dependents(of: uid).isEmpty
        let now = Timestamp.now()
        let result = try store.write(type.storageKey, namespace: namespace, name: name) { current throws(APIError) in
            guard let current else { throw APIError.notFound(type, name: name) }
            try Self.check(options, current, type)
            return Self.deletion(of: current.value, at: now, gracePeriod: options.gracePeriodSeconds, waitForDependents: waitForDependents)
        }
        guard let previous = result.previous else { throw APIError.notFound(type, name: name) }
        guard let marked = result.object else {
            afterWrite(type, nil, previous)
            finishedDeletion(of: previous)
            return (previous.stamped(result.version), true)
        }
        if marked.resourceVersion != previous.resourceVersion { afterWrite(type, marked, previous) }
        if waitForDependents {
            deleteDependents(of: uid, options: options)
            if let settled = settleForegroundDeletion(type, namespace: namespace, name: name) { return settled }
        }
        guard let waiting = store.get(type.storageKey, namespace: namespace, name: name) else { return (marked, true) }
        return (waiting, false)
    }

    /// What a DELETE does to the stored value: remove it, or mark it (deletion time, grace period, a generation
    /// bump, and `foregroundDeletion` when it waits for its dependents) while finalizers remain. An object
    /// already marked stays as it is.
    static func deletion(of value: Value, at now: String, gracePeriod: Int?, waitForDependents: Bool) -> StoreWrite {
        if value["metadata"]?["deletionTimestamp"] != nil { return .unchanged }
        var finalizers = Self.finalizers(of: value)
        if waitForDependents, !finalizers.contains(Self.foregroundFinalizer) { finalizers.append(Self.foregroundFinalizer) }
        guard !finalizers.isEmpty else { return .delete }
        var marked = value
        marked["metadata"]?["finalizers"] = .array(finalizers.map(Value.string))
        marked["metadata"]?["deletionTimestamp"] = .string(now)
        marked["metadata"]?["deletionGracePeriodSeconds"] = .int(gracePeriod ?? 0)
        marked["metadata"]?["generation"] = .int((value["metadata"]?["generation"]?.intValue ?? 0) + 1)
        return .put(marked)
    }

    static let foregroundFinalizer = "foregroundDeletion"

    static func finalizers(of value: Value) -> [String] {
        (value["metadata"]?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    private static func check(_ options: DeleteOptions, _ current: StoredObject, _ type: ResourceType) throws(APIError) {
        if let version = options.resourceVersion, version != String(current.resourceVersion) {
            throw APIError.conflict(type, name: current.name)
        }
        if let uid = options.uid, uid != current.summary.uid {
            throw APIError.conflict(type, name: current.name)
        }
    }

    /// A namespace's objects go with it, finalizers or not (the namespace controller of a real cluster waits for
    /// them; here nothing else would ever remove them).
    private func deleteContents(ofNamespace namespace: String) {
        for type in registry.all where type.namespaced {
            for item in store.list(type.storageKey, namespace: namespace).items {
                if let result = try? store.write(type.storageKey, namespace: namespace, name: item.name, { _ in .delete }),
                   let previous = result.previous {
                    afterWrite(type, nil, previous)
                }
            }
        }
    }
}
