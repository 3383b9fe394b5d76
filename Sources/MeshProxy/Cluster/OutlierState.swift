/// One endpoint's ejection state under Envoy's outlier detection, as a pure value driven with explicit times
/// (uptime nanoseconds).
///
/// An ejection lasts `baseEjectionTime × multiplier`, capped by the maximum ejection time; each ejection raises
/// the multiplier while that product is below the cap. Hosts come back only at an analysis sweep (one each
/// `interval`) after their time is up, and every sweep that finds a host in service lowers its multiplier by
/// one, so a host that stays healthy is soon ejected for `baseEjectionTime` again.
struct OutlierState: Sendable, Equatable {
    /// The ejection time multiplier (Envoy's eject time backoff).
    private(set) var multiplier = 0
    /// When the current ejection ends; `nil` while the endpoint is in service.
    private(set) var ejectedUntil: Int64?

    var isEjected: Bool { ejectedUntil != nil }

    /// Takes the endpoint out of service at `now`.
    mutating func eject(now: Int64, policy: OutlierDetectionConfig) {
        let base = policy.baseEjectionTime.nanoseconds
        let cap = policy.maxEjectionTime.nanoseconds
        let (current, overflow) = base.multipliedReportingOverflow(by: Int64(multiplier))
        if !overflow, current < cap { multiplier += 1 }
        let (product, overflows) = base.multipliedReportingOverflow(by: Int64(multiplier))
        ejectedUntil = now &+ (overflows ? cap : min(product, cap))
    }

    /// Applies `sweeps` analysis sweeps that ran up to `now`; returns whether the endpoint came back into service.
    mutating func sweep(now: Int64, sweeps: Int) -> Bool {
        guard sweeps > 0 else { return false }
        var decrements = sweeps
        var returned = false
        if let until = ejectedUntil {
            guard now >= until else { return false }
            ejectedUntil = nil
            returned = true
            decrements -= 1
        }
        multiplier = max(0, multiplier - decrements)
        return returned
    }
}
