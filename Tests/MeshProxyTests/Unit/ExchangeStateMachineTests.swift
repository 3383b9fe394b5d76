import Testing
@testable import MeshProxy

/// The exchange's decisions, driven directly: retries, local answers, tunnels and upstream reuse.
@Suite("Exchange state machine")
struct ExchangeStateMachineTests {
    typealias Machine = ExchangeStateMachine

    static let fiveXX = RetryPolicy(attempts: 2, retryOn: [.fiveXX])
    static let connectOnly = RetryPolicy(attempts: 1, retryOn: [.connectFailure])

    static func started(_ retry: RetryPolicy, isUpgrade: Bool = false) -> Machine {
        var machine = Machine(retry: retry, isUpgrade: isUpgrade)
        machine.tryStarted()
        return machine
    }

    @Test("a retriable status is retried while attempts last, then forwarded")
    func retriesStatusUntilAttemptsRunOut() {
        var machine = Self.started(Self.fiveXX)
        #expect(machine.responseHead(status: 503) == .retry)
        machine.tryStarted()
        #expect(machine.responseHead(status: 500) == .retry)
        machine.tryStarted()
        #expect(machine.attempts == 3)
        #expect(machine.responseHead(status: 503) == .forward)
        #expect(machine.state == .responding(status: 503))
        #expect(machine.responseStarted)
    }

    @Test("a status outside retryOn, or any status without retries, is forwarded")
    func forwardsWhatIsNotRetriable() {
        var gateway = Self.started(RetryPolicy(attempts: 3, retryOn: [.gatewayError]))
        #expect(gateway.responseHead(status: 500) == .forward)
        var none = Self.started(.none)
        #expect(none.responseHead(status: 503) == .forward)
        var ok = Self.started(Self.fiveXX)
        #expect(ok.responseHead(status: 200) == .forward)
        #expect(ok.status == 200)
    }

    @Test("a body that outgrew the retry buffer can't be retried: the failure is answered")
    func noRetryWithoutTheBody() {
        var machine = Self.started(Self.fiveXX)
        machine.stopRetaining()
        #expect(machine.responseHead(status: 503) == .forward)
        var closed = Self.started(Self.fiveXX)
        closed.stopRetaining()
        #expect(closed.failed(.upstreamClosed) == .respond(.init(
            status: 503, flags: "UC",
            body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination")))
    }

    @Test("connect failures retry under connect-failure; resets don't")
    func connectFailureVersusReset() {
        var machine = Self.started(Self.connectOnly)
        #expect(machine.failed(.connectFailed) == .retry)
        machine.tryStarted()
        #expect(machine.failed(.connectFailed) == .respond(.init(
            status: 503, flags: "UF",
            body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure")))
        var reset = Self.started(Self.connectOnly)
        guard case .respond(let answer) = reset.failed(.upstreamClosed) else {
            Issue.record("a reset must not be retried under connect-failure only")
            return
        }
        #expect(answer.flags == "UC")
    }

    @Test("timeouts: a per-try timeout retries under 5xx, the route timeout never does")
    func timeouts() {
        var perTry = Self.started(Self.fiveXX)
        #expect(perTry.failed(.perTryTimedOut) == .retry)
        var route = Self.started(Self.fiveXX)
        #expect(route.failed(.routeTimedOut) == .respond(.init(status: 504, flags: "UT", body: "upstream request timeout")))
        var late = Self.started(Self.fiveXX)
        #expect(late.responseHead(status: 200) == .forward)
        #expect(late.failed(.perTryTimedOut) == .ignore)
        #expect(late.failed(.routeTimedOut) == .reset)
    }

    @Test("after the head went downstream a failure can only cut the downstream off")
    func failureMidResponse() {
        var machine = Self.started(Self.fiveXX)
        #expect(machine.responseHead(status: 200) == .forward)
        #expect(machine.failed(.upstreamClosed) == .reset)
        #expect(machine.failed(.connectFailed) == .reset)
    }

    @Test("no healthy endpoint is 503 UH, never retried")
    func noHealthyUpstream() {
        var machine = Self.started(Self.fiveXX)
        #expect(machine.failed(.noHealthyUpstream) == .respond(.init(status: 503, flags: "UH", body: "no healthy upstream")))
    }

    @Test("informational heads are skipped; a 101 tunnels only an upgrade request")
    func informationalAndUpgrade() {
        var upgrade = Self.started(Self.fiveXX, isUpgrade: true)
        #expect(!upgrade.retaining)
        #expect(upgrade.responseHead(status: 100) == .ignore)
        #expect(upgrade.responseHead(status: 101) == .tunnel)
        #expect(upgrade.state == .upgrading)
        #expect(upgrade.status == 101)
        #expect(upgrade.failed(.upstreamClosed) == .reset)
        var plain = Self.started(Self.fiveXX)
        #expect(plain.responseHead(status: 101) == .ignore)
        #expect(!plain.responseStarted)
        var refused = Self.started(Self.fiveXX, isUpgrade: true)
        #expect(refused.failed(.upstreamClosed) != .retry)
    }

    @Test("the upstream is reused only after the whole request and a reusable response")
    func upstreamDisposition() {
        var whole = Self.started(.none)
        whole.requestDidEnd()
        _ = whole.responseHead(status: 200)
        #expect(whole.responseEnded(upstreamReusable: true) == .reuse)
        #expect(whole.state == .finished(status: 200))

        var early = Self.started(.none)
        _ = early.responseHead(status: 200)
        #expect(early.responseEnded(upstreamReusable: true) == .close)

        var notReusable = Self.started(.none)
        notReusable.requestDidEnd()
        _ = notReusable.responseHead(status: 200)
        #expect(notReusable.responseEnded(upstreamReusable: false) == .close)
    }

    @Test("a local answer finishes the exchange with its status")
    func localAnswer() {
        var machine = Self.started(Self.fiveXX)
        machine.answeredLocally(status: 413)
        #expect(machine.state == .finished(status: 413))
        #expect(machine.responseStarted)
        #expect(machine.failed(.upstreamClosed) == .ignore)
        #expect(machine.responseHead(status: 200) == .ignore)
    }

    @Test("over the retry budget a retriable status is passed on as an overflow, not answered locally")
    func retryBudgetOverflowForwardsTheResponse() {
        var machine = Self.started(Self.fiveXX)
        #expect(machine.responseHead(status: 503, retriesAvailable: false) == .forwardOverflow)
        #expect(machine.state == .responding(status: 503))
        var ok = Self.started(Self.fiveXX)
        #expect(ok.responseHead(status: 200, retriesAvailable: false) == .forward)
        var spent = Self.started(RetryPolicy(attempts: 1, retryOn: [.fiveXX]))
        #expect(spent.responseHead(status: 503) == .retry)
        spent.tryStarted()
        #expect(spent.responseHead(status: 503, retriesAvailable: false) == .forward, "attempts ran out first: no overflow")
    }

    @Test("over the retry budget a retriable reset is answered with its own flag and UO")
    func retryBudgetOverflowAnswersTheFailure() {
        var machine = Self.started(Self.fiveXX)
        #expect(machine.failed(.upstreamClosed, retriesAvailable: false) == .overflow(.init(
            status: 503, flags: "UC,UO",
            body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination")))
        var unretriable = Self.started(.none)
        #expect(unretriable.failed(.connectFailed, retriesAvailable: false) == .respond(.init(
            status: 503, flags: "UF",
            body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure")))
    }
}
