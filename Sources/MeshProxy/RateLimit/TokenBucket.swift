import Synchronization

/// A token bucket shared by every event loop (Envoy's local rate limit is per process): it starts full, and
/// every `fillInterval` since the last fill adds `tokensPerFill`, up to `maxTokens`. Fills are computed when a
/// token is taken, so an idle bucket costs nothing.
final class TokenBucket: Sendable {
    struct Outcome: Equatable {
        let allowed: Bool
        /// Tokens left after this request.
        let remaining: Int
        /// Whole seconds until the next fill adds tokens (0 when the bucket is full).
        let resetSeconds: Int
    }

    let maxTokens: Int
    let tokensPerFill: Int
    let fillNanoseconds: Int64
    private let state: Mutex<(tokens: Int, lastFill: Int64)>

    init(maxTokens: Int, tokensPerFill: Int, fillInterval: Duration, now: Int64) {
        self.maxTokens = maxTokens
        self.tokensPerFill = tokensPerFill
        let (seconds, attoseconds) = fillInterval.components
        self.fillNanoseconds = max(1, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.state = Mutex((maxTokens, now))
    }

    /// Takes one token at `now` (monotonic nanoseconds).
    func take(now: Int64) -> Outcome {
        state.withLock { state in
            let fills = (now - state.lastFill) / fillNanoseconds
            if fills > 0 {
                state.tokens = Int(min(Int64(maxTokens), Int64(state.tokens) + fills * Int64(tokensPerFill)))
                state.lastFill += fills * fillNanoseconds
            }
            let allowed = state.tokens > 0
            if allowed { state.tokens -= 1 }
            let untilFill = state.lastFill + fillNanoseconds - now
            let reset = state.tokens >= maxTokens ? 0 : Int((untilFill + 999_999_999) / 1_000_000_000)
            return Outcome(allowed: allowed, remaining: state.tokens, resetSeconds: reset)
        }
    }
}
