import NIOCore
import NIOHTTP1

/// One request/response passing through an `HTTPProxyHandler`: what was asked, where it goes, what has been
/// sent each way; its decisions (retry, answer, reuse) are `machine`'s. A class: the handler reads and updates it
/// many times per request, and a struct this size was copied (with a retain of every reference in it) at each of
/// those.
final class Exchange {
    /// The request as it goes upstream (rewritten, hop-by-hop fields removed).
    var head: HTTPRequestHead
    let start: NIODeadline
    /// Whether the downstream connection stays open after the response (HTTP/1).
    var keepAlive: Bool
    let cluster: ClusterRuntime
    let rule: HTTPRouteRule?
    /// Consistent-hash input, when the cluster balances by hash.
    let hashKey: UInt64?
    var machine: ExchangeStateMachine

    var endpoint: EndpointRuntime?
    var upstream: UpstreamConnection?
    /// Body chunks not yet written upstream, or (while the machine is retaining) every chunk, kept for a retry.
    var buffered: [ByteBuffer] = []
    var bufferedBytes = 0
    /// Request body bytes received from downstream so far.
    var receivedBodyBytes = 0
    var trailers: HTTPHeaders?
    /// Headers added to the response (the rate limit's `x-ratelimit-*`).
    var extraResponseHeaders: [(String, String)] = []
    /// The affinity cookie the proxy generated for a consistent-hash cookie policy, added to the response.
    var setCookie: String?
    /// Whether it waits in the loop's queue for a connection slot (counted as pending).
    var waiting = false
    var timeout: Scheduled<Void>?
    var perTryTimeout: Scheduled<Void>?
    /// When the upstream's response head arrived.
    var responseHeadAt: NIODeadline?
    /// Milliseconds from the request's start to the upstream's response head: Envoy's
    /// `x-envoy-upstream-service-time`, which Istio's access log prints as `upstream_service_time`.
    var upstreamServiceMillis: Int? {
        responseHeadAt.map { Int(($0 - start).nanoseconds / 1_000_000) }
    }
    /// Counted in `upstream_rq_active` and the endpoint's active requests.
    var countedActive = false
    /// Holds one of the cluster's retries (`maxRetries`): from the decision to retry until that try's outcome.
    private(set) var holdsRetry = false

    var retry: RetryPolicy { machine.retry }

    /// Takes one of the cluster's retries for the next try.
    func holdRetry() {
        cluster.stats.upstreamRqRetryActive.add(1, ordering: .relaxed)
        holdsRetry = true
    }

    /// Gives back the retry it holds in the cluster's budget (its try has an outcome, or the exchange ended).
    func releaseRetry() {
        guard holdsRetry else { return }
        holdsRetry = false
        cluster.stats.upstreamRqRetryActive.subtract(1, ordering: .relaxed)
    }

    init(
        head: HTTPRequestHead, start: NIODeadline, keepAlive: Bool, cluster: ClusterRuntime, rule: HTTPRouteRule?,
        retry: RetryPolicy, hashKey: UInt64?, isUpgrade: Bool
    ) {
        self.head = head
        self.start = start
        self.keepAlive = keepAlive
        self.cluster = cluster
        self.rule = rule
        self.hashKey = hashKey
        self.machine = ExchangeStateMachine(retry: retry, isUpgrade: isUpgrade)
    }
}
