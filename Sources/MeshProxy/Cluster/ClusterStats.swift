import Synchronization

/// Counters of one cluster, named after Envoy's `cluster.<name>.*` stats.
final class ClusterStats: Sendable {
    let upstreamCxTotal = Atomic<Int>(0)
    let upstreamCxActive = Atomic<Int>(0)
    let upstreamCxConnectFail = Atomic<Int>(0)
    /// Connections not opened because `maxConnections` was reached (HTTP/2 clusters, which don't queue).
    let upstreamCxOverflow = Atomic<Int>(0)
    let upstreamRqTotal = Atomic<Int>(0)
    let upstreamRqActive = Atomic<Int>(0)
    let upstreamRqPendingActive = Atomic<Int>(0)
    let upstreamRqPendingOverflow = Atomic<Int>(0)
    let upstreamRqRetry = Atomic<Int>(0)
    let upstreamRqRetryOverflow = Atomic<Int>(0)
    let upstreamRqTimeout = Atomic<Int>(0)
    let upstreamRq2xx = Atomic<Int>(0)
    let upstreamRq3xx = Atomic<Int>(0)
    let upstreamRq4xx = Atomic<Int>(0)
    let upstreamRq5xx = Atomic<Int>(0)
    let upstreamCxRxBytes = Atomic<Int>(0)
    let upstreamCxTxBytes = Atomic<Int>(0)
    let outlierEjectionsTotal = Atomic<Int>(0)
    let outlierEjectionsActive = Atomic<Int>(0)
    let upstreamRqRetryActive = Atomic<Int>(0)

    /// Counts a response by status class.
    @inline(__always)
    func countStatus(_ status: Int) {
        switch status {
        case 200..<300: upstreamRq2xx.add(1, ordering: .relaxed)
        case 300..<400: upstreamRq3xx.add(1, ordering: .relaxed)
        case 400..<500: upstreamRq4xx.add(1, ordering: .relaxed)
        case 500..<600: upstreamRq5xx.add(1, ordering: .relaxed)
        default: break
        }
    }

    /// Name/value pairs in Envoy's spelling, for `/stats`.
    var values: [(String, Int)] {
        [
            ("upstream_cx_total", upstreamCxTotal.load(ordering: .relaxed)),
            ("upstream_cx_active", upstreamCxActive.load(ordering: .relaxed)),
            ("upstream_cx_connect_fail", upstreamCxConnectFail.load(ordering: .relaxed)),
            ("upstream_cx_overflow", upstreamCxOverflow.load(ordering: .relaxed)),
            ("upstream_cx_rx_bytes_total", upstreamCxRxBytes.load(ordering: .relaxed)),
            ("upstream_cx_tx_bytes_total", upstreamCxTxBytes.load(ordering: .relaxed)),
            ("upstream_rq_total", upstreamRqTotal.load(ordering: .relaxed)),
            ("upstream_rq_active", upstreamRqActive.load(ordering: .relaxed)),
            ("upstream_rq_pending_active", upstreamRqPendingActive.load(ordering: .relaxed)),
            ("upstream_rq_pending_overflow", upstreamRqPendingOverflow.load(ordering: .relaxed)),
            ("upstream_rq_retry", upstreamRqRetry.load(ordering: .relaxed)),
            ("upstream_rq_retry_overflow", upstreamRqRetryOverflow.load(ordering: .relaxed)),
            ("upstream_rq_timeout", upstreamRqTimeout.load(ordering: .relaxed)),
            ("upstream_rq_2xx", upstreamRq2xx.load(ordering: .relaxed)),
            ("upstream_rq_3xx", upstreamRq3xx.load(ordering: .relaxed)),
            ("upstream_rq_4xx", upstreamRq4xx.load(ordering: .relaxed)),
            ("upstream_rq_5xx", upstreamRq5xx.load(ordering: .relaxed)),
            ("outlier_detection.ejections_total", outlierEjectionsTotal.load(ordering: .relaxed)),
            ("outlier_detection.ejections_active", outlierEjectionsActive.load(ordering: .relaxed)),
        ]
    }
}
