/// A change a writer has decided and queued for the next transaction (group commit).
struct PendingChange {
    var resource: String
    var namespace: String
    var name: String
    /// The resourceVersion it gets.
    var version: Int
    /// The object before the change.
    var previous: StoredObject?
    /// The object after a put (`nil` for a deletion).
    var stored: StoredObject?
    /// The last state a deletion reports.
    var last: StoredObject?
    let ticket = CommitTicket()
}

/// Whether a queued change is durable yet, and how its transaction ended. Used only under the store's lock.
final class CommitTicket {
    private(set) var done = false
    private(set) var error: APIError?

    func finish(_ error: APIError?) {
        done = true
        self.error = error
    }
}
