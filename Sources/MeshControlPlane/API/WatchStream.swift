import MeshCore
import NIOConcurrencyHelpers

/// One watch: the store's events for a resource, filtered and encoded as newline-delimited watch events.
///
/// The network layer calls `start` with a sink for encoded lines, `bookmark` on a timer when bookmarks were
/// asked for, and `stop` when the client goes away or the timeout passes.
public final class WatchStream: Sendable {
    let store: ObjectStore
    let type: ResourceType
    let filter: ObjectFilter
    /// Replay the changes after this version; `nil` sends the current objects as ADDED first.
    let from: Int?
    let table: Bool
    let includeObject: String?
    /// Whether the client asked for bookmarks.
    public let bookmarks: Bool
    /// When the server ends the watch (`timeoutSeconds`).
    public let timeoutSeconds: Int?
    let initialEventsEnd: Bool
    private let state = NIOLockedValueBox((sentColumns: false, lastVersion: 0))

    init(store: ObjectStore, type: ResourceType, filter: ObjectFilter, from: Int?, table: Bool, includeObject: String?,
         bookmarks: Bool, timeoutSeconds: Int?, initialEventsEnd: Bool) {
        self.store = store
        self.type = type
        self.filter = filter
        self.from = from
        self.table = table
        self.includeObject = includeObject
        self.bookmarks = bookmarks
        self.timeoutSeconds = timeoutSeconds
        self.initialEventsEnd = initialEventsEnd
    }

    /// Subscribes; `emit` gets each encoded line in order. Returns the subscription, or `nil` after emitting an
    /// ERROR event (410 when `from` is too old).
    public func start(_ emit: @escaping @Sendable ([UInt8]) -> Void) -> Int? {
        let startVersion = store.resourceVersion
        state.withLockedValue { $0.lastVersion = from ?? startVersion }
        do {
            let id = try store.watch(type.storageKey, from: from) { [self] event in
                state.withLockedValue { $0.lastVersion = max($0.lastVersion, event.object.resourceVersion) }
                guard let event = filter.watchEvent(for: event) else { return }
                emit(encode(event))
            }
            if initialEventsEnd {
                emit(bookmarkLine(version: max(startVersion, state.withLockedValue { $0.lastVersion }), initialEnd: true))
            }
            return id
        } catch {
            emit(Self.line(type: "ERROR", object: Array(JSON.emit(error.status).utf8)))
            return nil
        }
    }

    public func stop(_ id: Int) {
        store.stopWatching(id)
    }

    /// A BOOKMARK line at the latest version this watch has seen.
    public func bookmark() -> [UInt8] {
        bookmarkLine(version: max(state.withLockedValue { $0.lastVersion }, 0), initialEnd: false)
    }

    private func bookmarkLine(version: Int, initialEnd: Bool) -> [UInt8] {
        var metadata: Value = ["resourceVersion": .string(String(version))]
        if initialEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: Value = ["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": metadata]
        return Self.line(type: "BOOKMARK", object: Array(JSON.emit(object).utf8))
    }

    private func encode(_ event: StoreEvent) -> [UInt8] {
        guard table else {
            return Self.line(type: event.kind.rawValue, object: APIServer.encoded(event.object, as: type))
        }
        var value = TableBuilder.table(type, objects: [event.object], listVersion: String(event.object.resourceVersion),
                                       includeObject: includeObject)
        let first = state.withLockedValue { state -> Bool in
            defer { state.sentColumns = true }
            return !state.sentColumns
        }
        if !first { value["columnDefinitions"] = [] }
        return Self.line(type: event.kind.rawValue, object: Array(JSON.emit(value).utf8))
    }

    static func line(type: String, object: [UInt8]) -> [UInt8] {
        Array("{\"type\":\"\(type)\",\"object\":".utf8) + object + Array("}\n".utf8)
    }
}
