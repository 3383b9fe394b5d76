/// The window of recent committed changes that watches replay and continued lists undo, oldest first.
///
/// Bounded by a number of changes and by the bytes of JSON the changes hold (their object and previous state),
/// so a burst of large objects cannot grow it without limit. A resourceVersion older than what was dropped can no
/// longer be served (`410 Gone`).
struct ChangeHistory {
    /// Dropped slots are `nil` until the array is compacted.
    private var events: [StoreEvent?] = []
    private var start = 0
    private let capacity: Int
    private let byteLimit: Int
    /// The bytes of JSON the kept changes hold (shared buffers counted once per change that holds them).
    private(set) var bytes = 0
    /// The resourceVersion through which changes were dropped: a version older than this is gone.
    private(set) var compactedThrough: Int

    init(capacity: Int, byteLimit: Int, startingAt version: Int) {
        self.capacity = max(capacity, 1)
        self.byteLimit = byteLimit
        compactedThrough = version
    }

    var count: Int { events.count - start }

    /// Adds a change, dropping the oldest while over either bound (the newest change always stays).
    mutating func append(_ event: StoreEvent) {
        events.append(event)
        bytes += Self.size(event)
        while count > capacity || (bytes > byteLimit && count > 1) {
            let dropped = events[start]!
            events[start] = nil
            start += 1
            bytes -= Self.size(dropped)
            compactedThrough = dropped.object.resourceVersion
        }
        if start >= 64, start * 2 >= events.count {
            events.removeFirst(start)
            start = 0
        }
    }

    /// The kept changes, oldest first.
    var oldestFirst: some Sequence<StoreEvent> { events[start...].lazy.map { $0! } }

    /// The kept changes, newest first.
    var newestFirst: some Sequence<StoreEvent> { events[start...].reversed().lazy.map { $0! } }

    private static func size(_ event: StoreEvent) -> Int {
        event.object.json.count + (event.previous?.json.count ?? 0)
    }
}
