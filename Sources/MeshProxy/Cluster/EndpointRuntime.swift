import NIOCore
import Synchronization

/// One upstream endpoint while the proxy runs: its resolved address and the counters that load balancing and
/// outlier detection read. Shared by all event loops; every mutable field is atomic.
final class EndpointRuntime: Sendable {
    /// Unique across the process; keys the per-loop connection pools.
    let id: Int
    let config: EndpointConfig
    let socketAddress: SocketAddress
    /// Requests in flight to this endpoint (least-request balancing).
    let activeRequests = Atomic<Int>(0)
    /// Consecutive 5xx responses (outlier detection).
    let consecutive5xx = Atomic<Int>(0)
    /// Consecutive gateway errors: 502, 503, 504, connect failures (outlier detection).
    let consecutiveGatewayErrors = Atomic<Int>(0)
    /// Ejection state (outlier detection).
    let outlier = Mutex(OutlierState())

    init(id: Int, config: EndpointConfig, socketAddress: SocketAddress) {
        self.id = id
        self.config = config
        self.socketAddress = socketAddress
    }

    /// Whether outlier detection has the endpoint out of service.
    var isEjected: Bool { outlier.withLock { $0.isEjected } }
}
