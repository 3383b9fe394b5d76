/// The state of one side of a TCP splice, as a value: it decides when reads are passed on (only while the
/// partner can take more), and when half-closes turn into a full close. The handler performs its actions.
struct SpliceState: Sendable, Equatable {
    private(set) var paired = false
    private(set) var readPending = false
    private(set) var inputClosed = false
    private(set) var outputClosed = false

    /// What the handler does after an event.
    enum Action: Equatable {
        case none
        /// Pass a read on to the channel.
        case read
        /// Shut the partner's output (our peer sent FIN).
        case shutdownPartnerOutput
        /// Close this channel: both directions are done.
        case close
    }

    /// The channel asked to read: allowed only when paired and the partner is writable.
    mutating func readRequested(partnerWritable: Bool) -> Action {
        if paired && partnerWritable && !inputClosed { return .read }
        readPending = true
        return .none
    }

    /// The partner connected. If our peer already sent FIN (before there was anyone to pass it to), the
    /// partner's output is shut now, after the bytes read before pairing were handed over.
    mutating func pairedWithPartner() -> Action {
        paired = true
        if inputClosed { return .shutdownPartnerOutput }
        return takePendingRead()
    }

    /// The partner drained its write buffer.
    mutating func partnerBecameWritable() -> Action {
        takePendingRead()
    }

    private mutating func takePendingRead() -> Action {
        guard readPending, paired, !inputClosed else { return .none }
        readPending = false
        return .read
    }

    /// Our peer half-closed its side (FIN received). Before pairing it is remembered for `pairedWithPartner`.
    mutating func peerClosedInput() -> Action {
        guard !inputClosed else { return .none }
        inputClosed = true
        return paired ? .shutdownPartnerOutput : .none
    }

    /// Our output was shut because the partner's peer sent FIN.
    mutating func outputShut() -> Action {
        outputClosed = true
        return inputClosed ? .close : .none
    }

    /// After our input closed, whether the channel is now done both ways.
    var isDone: Bool { inputClosed && outputClosed }
}
