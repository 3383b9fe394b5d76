/// The decisions in the life of one proxied request, as a pure state machine: the handler reports what happened
/// (a try starts, the upstream failed, a response head or end arrived, the request body grew) and carries out the
/// action returned — retry, answer locally, pass the head on, tunnel, reset, reuse or close the upstream.
///
/// It knows Envoy's and Istio's rules: a try may be retried only while nothing has gone downstream, the whole
/// request body is still held, the retry policy has attempts left and its `retryOn` covers what happened; a retry
/// the cluster's retry budget (`maxRetries`) has no room for is an overflow, and the try's own outcome stands;
/// failures get Envoy's status, response flag and body; an upstream connection goes back to the pool only after a
/// whole request and a whole keep-alive response.
struct ExchangeStateMachine {
    enum State: Equatable {
        /// A try is being connected or sent; nothing has gone downstream.
        case trying
        /// The response head with `status` went downstream: no retry and no local answer any more.
        case responding(status: Int)
        /// The upstream accepted an upgrade (101 passed on); at the end of its head the connections become a tunnel.
        case upgrading
        /// Answered (by the upstream or locally) or abandoned.
        case finished(status: Int)
    }

    /// Something that ended the current try without a usable response head.
    enum Failure: Equatable {
        /// The connection to the upstream could not be made.
        case connectFailed
        /// The upstream closed (or reset) the connection before or during the response.
        case upstreamClosed
        /// No response head within the retry policy's per-try timeout.
        case perTryTimedOut
        /// The route's overall timeout passed.
        case routeTimedOut
        /// The cluster has no healthy endpoint to try.
        case noHealthyUpstream
    }

    enum FailureAction: Equatable {
        /// Start the next try.
        case retry
        /// Answer downstream with this local response (nothing was sent yet).
        case respond(LocalAnswer)
        /// The failure was retriable but the retry budget is spent: count the overflow and answer this.
        case overflow(LocalAnswer)
        /// The response already started: the downstream can only be cut off.
        case reset
        /// Nothing to do (a per-try timer firing after the head arrived).
        case ignore
    }

    enum HeadAction: Equatable {
        /// An informational (1xx) head: not passed on (Expect was answered by the proxy itself).
        case ignore
        /// The status is retriable under the policy: drop this try and start the next.
        case retry
        /// Pass the head downstream.
        case forward
        /// The status was retriable but the retry budget is spent: count the overflow and pass the head on.
        case forwardOverflow
        /// A 101 to an upgrade request: pass it on and tunnel.
        case tunnel
    }

    /// What becomes of the upstream connection when the response ends.
    enum UpstreamDisposition: Equatable { case reuse, close }

    /// A local answer: status, Envoy's response flag and body.
    struct LocalAnswer: Equatable {
        let status: Int
        let flags: String
        let body: String
    }

    private(set) var state: State = .trying
    /// Tries started so far (1 during the first).
    private(set) var attempts = 0
    let retry: RetryPolicy
    let isUpgrade: Bool
    /// Whether every body byte received so far is held, so that another try can resend it.
    private(set) var retaining: Bool
    /// Whether the downstream request ended (its end was received).
    private(set) var requestEnded = false

    init(retry: RetryPolicy, isUpgrade: Bool) {
        self.retry = retry
        self.isUpgrade = isUpgrade
        self.retaining = !isUpgrade
    }

    /// Whether the response head went downstream (nothing local can be answered any more).
    var responseStarted: Bool {
        switch state {
        case .trying: return false
        case .responding, .upgrading, .finished: return true
        }
    }

    /// The status the downstream got (or is getting), 0 before any.
    var status: Int {
        switch state {
        case .trying: return 0
        case .responding(let status), .finished(let status): return status
        case .upgrading: return 101
        }
    }

    // MARK: Events

    /// A new try starts.
    mutating func tryStarted() {
        attempts += 1
    }

    /// The body held for retries outgrew the retry buffer: from now on this request can't be retried.
    mutating func stopRetaining() { retaining = false }

    mutating func requestDidEnd() { requestEnded = true }

    /// The current try failed; `retriesAvailable` says whether the cluster's retry budget has room for one more.
    mutating func failed(_ failure: Failure, retriesAvailable: Bool = true) -> FailureAction {
        switch state {
        case .responding, .upgrading:
            if failure == .perTryTimedOut { return .ignore }
            return .reset
        case .finished:
            return .ignore
        case .trying:
            break
        }
        let answer: LocalAnswer
        let retriable: Bool
        switch failure {
        case .connectFailed:
            retriable = retry.retriesReset(connectFailure: true)
            answer = LocalAnswer(status: 503, flags: "UF", body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure")
        case .upstreamClosed:
            retriable = retry.retriesReset(connectFailure: false)
            answer = LocalAnswer(status: 503, flags: "UC", body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
        case .perTryTimedOut:
            retriable = retry.retriesReset(connectFailure: false)
            answer = LocalAnswer(status: 504, flags: "UT", body: "upstream request timeout")
        case .routeTimedOut:
            retriable = false
            answer = LocalAnswer(status: 504, flags: "UT", body: "upstream request timeout")
        case .noHealthyUpstream:
            retriable = false
            answer = LocalAnswer(status: 503, flags: "UH", body: "no healthy upstream")
        }
        guard mayRetry, retriable else { return .respond(answer) }
        if retriesAvailable { return .retry }
        // Envoy's flags print in a fixed order, UF/UC/UT before UO.
        return .overflow(LocalAnswer(status: answer.status, flags: answer.flags + ",UO", body: answer.body))
    }

    /// A response head of the current try arrived; `retriesAvailable` says whether the cluster's retry budget has
    /// room for one more.
    mutating func responseHead(status: Int, retriesAvailable: Bool = true) -> HeadAction {
        guard case .trying = state else { return .ignore }
        if status == 101, isUpgrade {
            state = .upgrading
            return .tunnel
        }
        if (100..<200).contains(status) { return .ignore }
        let retriable = retry.attempts > 0 && mayRetry && retry.retries(status: status)
        if retriable, retriesAvailable { return .retry }
        state = .responding(status: status)
        return retriable ? .forwardOverflow : .forward
    }

    /// The proxy answers locally with `status` (an error, an overflow, a too-large body).
    mutating func answeredLocally(status: Int) {
        state = .finished(status: status)
    }

    /// The response ended. `reusable` is the upstream's own view (still open, keep-alive, under its request
    /// limit, the proxy not draining); a connection whose request was not sent whole is mid-message and closes.
    mutating func responseEnded(upstreamReusable reusable: Bool) -> UpstreamDisposition {
        state = .finished(status: status)
        return reusable && requestEnded ? .reuse : .close
    }

    /// Whether another try is allowed at all: nothing sent downstream, the body held, attempts left.
    private var mayRetry: Bool {
        guard case .trying = state else { return false }
        return retaining && !isUpgrade && attempts <= retry.attempts
    }
}
