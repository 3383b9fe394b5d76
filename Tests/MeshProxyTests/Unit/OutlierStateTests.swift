import Testing
@testable import MeshProxy

/// Envoy's ejection arithmetic, driven with explicit times: growth, the cap, return at a sweep, and decay.
@Suite("Outlier ejection state")
struct OutlierStateTests {
    static let second: Int64 = 1_000_000_000

    static func policy(base: Duration) -> OutlierDetectionConfig {
        var policy = OutlierDetectionConfig()
        policy.baseEjectionTime = base
        return policy
    }

    /// Ejects at `now` and sweeps once when the ejection ends; returns how long it lasted, in seconds.
    static func ejectAndReturn(_ state: inout OutlierState, now: Int64, policy: OutlierDetectionConfig) -> Int64 {
        state.eject(now: now, policy: policy)
        let end = state.ejectedUntil ?? now
        let returned = state.sweep(now: end, sweeps: 1)
        return returned ? (end - now) / second : -1
    }

    @Test("each ejection in a row lasts the base time times the ejection count, up to the 300 s maximum")
    func ejectionTimeGrowsToTheCap() {
        var state = OutlierState()
        let policy = Self.policy(base: .seconds(120))
        var now: Int64 = 0
        var durations: [Int64] = []
        for _ in 0..<5 {
            let seconds = Self.ejectAndReturn(&state, now: now, policy: policy)
            durations.append(seconds)
            now += seconds * Self.second
        }
        #expect(durations == [120, 240, 300, 300, 300])
        #expect(state.multiplier == 3)
    }

    @Test("a base time above 300 s is the maximum itself")
    func longBaseTimeIsTheMaximum() {
        var state = OutlierState()
        let policy = Self.policy(base: .seconds(400))
        #expect(Self.ejectAndReturn(&state, now: 0, policy: policy) == 400)
        #expect(Self.ejectAndReturn(&state, now: 400 * Self.second, policy: policy) == 400)
    }

    @Test("an ejected endpoint returns only at a sweep after its time is up")
    func returnsAtSweep() {
        var state = OutlierState()
        state.eject(now: 0, policy: Self.policy(base: .seconds(30)))
        let early = state.sweep(now: 29 * Self.second, sweeps: 1)
        #expect(!early && state.isEjected)
        let unswept = state.sweep(now: 31 * Self.second, sweeps: 0)
        #expect(!unswept && state.isEjected)
        let swept = state.sweep(now: 31 * Self.second, sweeps: 1)
        #expect(swept && !state.isEjected)
    }

    @Test("each sweep that finds the endpoint in service lowers the multiplier by one")
    func multiplierDecays() {
        var state = OutlierState()
        let policy = Self.policy(base: .seconds(10))
        let durations = (0..<3).map { Self.ejectAndReturn(&state, now: Int64($0) * 100 * Self.second, policy: policy) }
        #expect(durations == [10, 20, 30])
        _ = state.sweep(now: 400 * Self.second, sweeps: 2)
        #expect(state.multiplier == 1)
        #expect(Self.ejectAndReturn(&state, now: 400 * Self.second, policy: policy) == 20)
        _ = state.sweep(now: 500 * Self.second, sweeps: 5)
        #expect(state.multiplier == 0)
        #expect(Self.ejectAndReturn(&state, now: 500 * Self.second, policy: policy) == 10)
    }
}
