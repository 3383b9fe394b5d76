/// The receive side of one HTTP/2 flow-control window (RFC 9113 §5.2): bytes the peer sent count against the
/// window until they are consumed; consumed bytes are given back in WINDOW_UPDATE frames once half the window
/// is owed, so a steady sender needs few updates. Bytes that arrive while the receiver can't take more are held
/// (not given back) until it can: the window then closes and the sender stops. Pure.
struct HTTP2InboundWindow: Equatable {
    /// The window the peer was told (initial window size, or the size topped up to).
    let size: Int
    /// Consumed bytes not given back yet.
    private(set) var owed = 0
    /// Received bytes not consumed yet.
    private(set) var held = 0

    init(size: Int) {
        self.size = size
    }

    /// `bytes` (flow-controlled length: data and padding) arrived; with `consume` they count as consumed at
    /// once. Returns the increment to send, if one is due.
    mutating func received(_ bytes: Int, consume: Bool) -> Int? {
        if consume { return consumed(bytes) }
        held += bytes
        return nil
    }

    /// The receiver can take more: what was held counts as consumed. Returns the increment to send, if due.
    mutating func release() -> Int? {
        guard held > 0 else { return nil }
        let bytes = held
        held = 0
        return consumed(bytes)
    }

    private mutating func consumed(_ bytes: Int) -> Int? {
        owed += bytes
        guard owed >= size / 2 else { return nil }
        defer { owed = 0 }
        return owed
    }
}
