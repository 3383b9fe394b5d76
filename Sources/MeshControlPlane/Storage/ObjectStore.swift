import Foundation
import MeshCore

/// The durable object store: every object in SQLite (WAL, `synchronous=FULL`) and in memory, one monotonically
/// increasing resourceVersion, and a window of recent changes for watches.
///
/// A write returns only after its transaction is committed and fsynced; watchers hear about it in commit order.
public final class ObjectStore: @unchecked Sendable {
    /// Receives events in commit order; called with the store's lock held, so it must only enqueue.
    public typealias Sink = @Sendable (StoreEvent) -> Void

    /// Guards everything below; writers wait on it for their transaction.
    private let lock = NSCondition()
    private let database: SQLiteDatabase
    private let upsert: SQLiteStatement
    private let remove: SQLiteStatement
    private let saveVersion: SQLiteStatement
    private var objects: [String: [String: StoredObject]] = [:]
    private var version: Int
    private var history: ChangeHistory
    private var owners = OwnerIndex()
    private var watchers: [Int: (resource: String, sink: Sink)] = [:]
    /// The last resourceVersion given to a change (committed or queued).
    private var assigned: Int
    /// Changes decided but not yet committed, in order, and the newest queued state per object.
    private var queue: [PendingChange] = []
    private var pending: [String: (object: StoredObject?, ticket: CommitTicket)] = [:]
    /// Whether a writer is running a transaction now.
    private var committing = false
    /// Transactions committed since the store opened (fewer than changes when writers share them).
    private(set) var transactions = 0
    private var nextWatcher = 0
    /// Where the database lives.
    public let path: String

    /// Opens (or creates) the store at `path`, loading every object into memory. Watches can resume from the
    /// last `historyCapacity` changes, as long as those hold at most `historyBytes` of JSON.
    public init(path: String, historyCapacity: Int = 20_000, historyBytes: Int = 64 << 20) throws(StoreError) {
        self.path = path
        database = try SQLiteDatabase(path: path)
        try database.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS objects (
                resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                rv INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('rv', 0);
            """)
        upsert = try database.prepare("INSERT OR REPLACE INTO objects (resource, namespace, name, rv, body) VALUES (?, ?, ?, ?, ?)")
        remove = try database.prepare("DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
        saveVersion = try database.prepare("UPDATE meta SET value = ? WHERE key = 'rv'")
        let readVersion = try database.prepare("SELECT value FROM meta WHERE key = 'rv'")
        version = try readVersion.step() ? readVersion.int(0) : 0
        history = ChangeHistory(capacity: historyCapacity, byteLimit: historyBytes, startingAt: version)
        assigned = version
        let rows = try database.prepare("SELECT resource, rv, body FROM objects")
        while try rows.step() {
            let body = rows.blob(2)
            guard let value = try? JSON.parse(bytes: body) else { continue }
            let object = StoredObject(resourceVersion: rows.int(1), value: value, json: body)
            let resource = rows.text(0)
            objects[resource, default: [:]][Self.key(object.namespace, object.name)] = object
            owners.update(ObjectKey(resource: resource, namespace: object.namespace, name: object.name), object.summary)
        }
    }

    static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    /// The current resourceVersion (of the last committed change).
    public var resourceVersion: Int { lock.withLock { version } }

    /// One object.
    public func get(_ resource: String, namespace: String, name: String) -> StoredObject? {
        lock.withLock { objects[resource]?[Self.key(namespace, name)] }
    }

    /// The objects of a resource (in one namespace, or all when `nil`), sorted by namespace and name, and the
    /// resourceVersion the list is consistent with.
    public func list(_ resource: String, namespace: String? = nil) -> (items: [StoredObject], resourceVersion: Int) {
        let (all, current) = lock.withLock { (objects[resource] ?? [:], version) }
        var keys = Array(all.keys)
        if let namespace { keys = keys.filter { $0.hasPrefix(namespace + "/") } }
        keys.sort()
        return (keys.map { all[$0]! }, current)
    }

    /// The objects of a resource as they were at `version`: the current ones with every later change undone
    /// from the history of changes. `nil` when that history no longer reaches back to `version`.
    public func list(_ resource: String, namespace: String?, at version: Int) -> [StoredObject]? {
        let state = lock.withLock { () -> [String: StoredObject]? in
            guard version >= history.compactedThrough, version <= self.version else { return nil }
            var state = objects[resource] ?? [:]
            for event in history.newestFirst {
                guard event.object.resourceVersion > version else { break }
                if event.resource == resource { state[Self.key(event.object.namespace, event.object.name)] = event.previous }
            }
            return state
        }
        guard let state else { return nil }
        var keys = Array(state.keys)
        if let namespace { keys = keys.filter { $0.hasPrefix(namespace + "/") } }
        return keys.sorted().map { state[$0]! }
    }

    /// Where the object with `uid` is stored, and its current state.
    public func object(uid: String) -> (key: ObjectKey, object: StoredObject)? {
        lock.withLock {
            guard let key = owners.key(uid: uid), let object = objects[key.resource]?[Self.key(key.namespace, key.name)] else { return nil }
            return (key, object)
        }
    }

    /// The objects whose `metadata.ownerReferences` name `uid`.
    public func dependents(of uid: String) -> [ObjectKey] {
        lock.withLock { owners.dependents(of: uid) }
    }

    /// Counts of objects per storage key.
    public func counts() -> [String: Int] {
        lock.withLock { objects.mapValues(\.count) }
    }

    /// Reads the current object, lets `decide` choose the change, and commits it durably. Returns the stored
    /// result (`nil` after a delete or when nothing existed), the object before, and the store's version after.
    ///
    /// Group commit: writers that arrive while a transaction is being fsynced queue their changes (deciding
    /// against the queued state), and the next transaction commits them all with one fsync. Each caller returns
    /// only after the transaction holding its change is durable; readers see changes only once they are.
    @discardableResult
    public func write(
        _ resource: String, namespace: String, name: String,
        _ decide: (StoredObject?) throws(APIError) -> StoreWrite
    ) throws(APIError) -> (object: StoredObject?, previous: StoredObject?, version: Int) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.key(namespace, name)
        let slot = resource + "\u{0}" + key
        let queued = pending[slot]
        let current = queued.map(\.object) ?? objects[resource]?[key]
        let decision = try decide(current)
        var change = PendingChange(resource: resource, namespace: namespace, name: name, version: assigned + 1, previous: current)
        switch decision {
        case .unchanged:
            if let queued { try waitFor(queued.ticket) }
            return (current, current, version)
        case .put(var value):
            value["metadata"]?["resourceVersion"] = .string(String(change.version))
            change.stored = StoredObject(resourceVersion: change.version, value: value)
        case .delete, .deleteAfter:
            guard var last = current else {
                if let queued { try waitFor(queued.ticket) }
                return (nil, nil, version)
            }
            if case .deleteAfter(let value) = decision { last.value = value }
            change.last = last.stamped(change.version)
        }
        assigned = change.version
        queue.append(change)
        pending[slot] = (change.stored, change.ticket)
        try waitFor(change.ticket)
        return (change.stored, current, change.version)
    }

    /// Waits (the lock held, released while waiting) until `ticket`'s transaction is durable, leading the
    /// commit of the queue whenever no other writer does.
    private func waitFor(_ ticket: CommitTicket) throws(APIError) {
        while !ticket.done {
            if committing || queue.isEmpty {
                lock.wait()
                continue
            }
            committing = true
            let batch = queue
            queue = []
            lock.unlock()
            let failure = commit(batch)
            lock.lock()
            committing = false
            if let failure {
                // Queued changes were decided on top of the failed ones: they fail too.
                for change in batch + queue { change.ticket.finish(failure) }
                queue = []
                pending = [:]
                assigned = version
            } else {
                transactions += 1
                for change in batch { apply(change) }
            }
            lock.broadcast()
        }
        if let error = ticket.error { throw error }
    }

    /// One transaction for a batch of changes; `nil` once it is committed and fsynced.
    private func commit(_ batch: [PendingChange]) -> APIError? {
        do throws(StoreError) {
            try database.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                for change in batch {
                    if let stored = change.stored {
                        upsert.reset()
                        upsert.bind(1, change.resource); upsert.bind(2, change.namespace); upsert.bind(3, change.name)
                        upsert.bind(4, change.version); upsert.bind(5, stored.json)
                        try upsert.step()
                    } else {
                        remove.reset()
                        remove.bind(1, change.resource); remove.bind(2, change.namespace); remove.bind(3, change.name)
                        try remove.step()
                    }
                }
                saveVersion.reset(); saveVersion.bind(1, batch.last?.version ?? version)
                try saveVersion.step()
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
            return nil
        } catch {
            return APIError.internalError("storage: \(error.description)")
        }
    }

    /// Makes a durable change visible: memory, owner index, history and watchers, in commit order.
    private func apply(_ change: PendingChange) {
        let key = Self.key(change.namespace, change.name)
        let objectKey = ObjectKey(resource: change.resource, namespace: change.namespace, name: change.name)
        version = change.version
        if let stored = change.stored {
            objects[change.resource, default: [:]][key] = stored
            owners.update(objectKey, stored.summary)
            publish(StoreEvent(kind: change.previous == nil ? .added : .modified, resource: change.resource, object: stored,
                               previous: change.previous))
        } else if let last = change.last {
            objects[change.resource]?[key] = nil
            owners.update(objectKey, nil)
            publish(StoreEvent(kind: .deleted, resource: change.resource, object: last, previous: change.previous))
        }
        let slot = change.resource + "\u{0}" + key
        if pending[slot]?.ticket === change.ticket { pending[slot] = nil }
        change.ticket.finish(nil)
    }

    private func publish(_ event: StoreEvent) {
        history.append(event)
        for watcher in watchers.values where watcher.resource == event.resource {
            watcher.sink(event)
        }
    }

    /// Starts a watch of `resource`. With `from` (a resourceVersion), the changes after it are replayed first;
    /// without it, every current object arrives as ADDED. Too old a version is `410 Gone`.
    /// Returns an id for `stopWatching`.
    public func watch(_ resource: String, from: Int?, sink: @escaping Sink) throws(APIError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        do {
            if let from {
                guard from >= history.compactedThrough else {
                    throw APIError.gone("too old resource version: \(from) (\(history.compactedThrough + 1))")
                }
                for event in history.oldestFirst {
                    if event.resource == resource, event.object.resourceVersion > from { sink(event) }
                }
            } else {
                for key in (objects[resource] ?? [:]).keys.sorted() {
                    sink(StoreEvent(kind: .added, resource: resource, object: objects[resource]![key]!))
                }
            }
            nextWatcher += 1
            watchers[nextWatcher] = (resource, sink)
            return nextWatcher
        }
    }

    /// Ends a watch.
    public func stopWatching(_ id: Int) {
        lock.withLock { watchers[id] = nil }
    }
}
