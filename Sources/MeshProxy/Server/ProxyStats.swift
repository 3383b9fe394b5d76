import Synchronization

/// Process-wide counters, named after Envoy's `http.*`/`listener.*` stats.
final class ProxyStats: Sendable {
    let downstreamCxTotal = Atomic<Int>(0)
    let downstreamCxActive = Atomic<Int>(0)
    let downstreamRqTotal = Atomic<Int>(0)
    let downstreamRqActive = Atomic<Int>(0)
    let downstreamRq2xx = Atomic<Int>(0)
    let downstreamRq3xx = Atomic<Int>(0)
    let downstreamRq4xx = Atomic<Int>(0)
    let downstreamRq5xx = Atomic<Int>(0)
    let downstreamRqBadRequest = Atomic<Int>(0)
    let downstreamRqTimeMicrosTotal = Atomic<Int>(0)
    let downstreamCxRxBytes = Atomic<Int>(0)
    let downstreamCxTxBytes = Atomic<Int>(0)
    let faultAborts = Atomic<Int>(0)
    let faultDelays = Atomic<Int>(0)
    /// Access log lines dropped because the file couldn't keep up.
    let accessLogDropped = Atomic<Int>(0)
    let noRoute = Atomic<Int>(0)
    let tcpConnections = Atomic<Int>(0)
    let websocketUpgrades = Atomic<Int>(0)
    /// Requests and connections AuthorizationPolicy let through / refused (Envoy's RBAC filter stats).
    let rbacAllowed = Atomic<Int>(0)
    let rbacDenied = Atomic<Int>(0)
    /// Checks of CUSTOM policies' ext-authz provider: allowed, denied, failed, and failed but let through
    /// (`failOpen`) — Envoy's ext_authz filter stats.
    let extAuthzOK = Atomic<Int>(0)
    let extAuthzDenied = Atomic<Int>(0)
    let extAuthzError = Atomic<Int>(0)
    let extAuthzFailureModeAllowed = Atomic<Int>(0)
    /// Requests RequestAuthentication let through with a valid token / refused with 401 (Envoy's jwt_authn).
    let jwtAllowed = Atomic<Int>(0)
    let jwtDenied = Atomic<Int>(0)
    /// JWKS fetches of `jwksUri` rules that brought usable keys / failed (Envoy's jwt_authn.jwks_fetch_*).
    let jwksFetchSuccess = Atomic<Int>(0)
    let jwksFetchFailed = Atomic<Int>(0)
    /// ClientHellos of gateway PASSTHROUGH connections, by outcome (Envoy's `tls_inspector.*`), and the
    /// connections whose SNI no route serves (Envoy's `no_filter_chain_match`); all but the first are closed.
    let tlsInspectorSNIFound = Atomic<Int>(0)
    let tlsInspectorSNINotFound = Atomic<Int>(0)
    let tlsInspectorNotTLS = Atomic<Int>(0)
    let tlsInspectorTooLarge = Atomic<Int>(0)
    let noFilterChainMatch = Atomic<Int>(0)
    /// Istio's TCP metadata exchange (its `metadata_exchange.*` stats): connections that negotiated it, and
    /// peer frames refused (the connection closed) for a bad magic (or none within the header timeout), a body
    /// that is no Any of a Struct, or a length over the limit.
    let peerExchangeFound = Atomic<Int>(0)
    let peerExchangeBadMagic = Atomic<Int>(0)
    let peerExchangeMalformed = Atomic<Int>(0)
    let peerExchangeTooLarge = Atomic<Int>(0)
    /// Config reloads applied and refused (Envoy's `update_success`/`update_rejected` of a config source).
    let configReloadSuccess = Atomic<Int>(0)
    let configReloadRejected = Atomic<Int>(0)
    /// Istio's standard metrics, by label set.
    let istio = IstioMetrics()
    /// Request duration histogram bucket counts (upper bounds in `durationBucketsMillis`).
    let durationBuckets: [Counter]

    /// Upper bounds of the duration histogram, in milliseconds (Envoy's default buckets, trimmed).
    static let durationBucketsMillis: [Double] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

    init() {
        durationBuckets = Self.durationBucketsMillis.map { _ in Counter() }
    }

    /// Records a finished downstream request.
    @inline(__always)
    func recordResponse(status: Int, micros: Int) {
        switch status {
        case 200..<300: downstreamRq2xx.add(1, ordering: .relaxed)
        case 300..<400: downstreamRq3xx.add(1, ordering: .relaxed)
        case 400..<500: downstreamRq4xx.add(1, ordering: .relaxed)
        default: downstreamRq5xx.add(1, ordering: .relaxed)
        }
        downstreamRqTimeMicrosTotal.add(micros, ordering: .relaxed)
        let millis = Double(micros) / 1000
        for (index, bound) in Self.durationBucketsMillis.enumerated() where millis <= bound {
            durationBuckets[index].value.add(1, ordering: .relaxed)
            return
        }
    }

    /// Name/value pairs in Envoy's spelling, for `/stats`.
    var values: [(String, Int)] {
        [
            ("downstream_cx_total", downstreamCxTotal.load(ordering: .relaxed)),
            ("downstream_cx_active", downstreamCxActive.load(ordering: .relaxed)),
            ("downstream_cx_rx_bytes_total", downstreamCxRxBytes.load(ordering: .relaxed)),
            ("downstream_cx_tx_bytes_total", downstreamCxTxBytes.load(ordering: .relaxed)),
            ("downstream_rq_total", downstreamRqTotal.load(ordering: .relaxed)),
            ("downstream_rq_active", downstreamRqActive.load(ordering: .relaxed)),
            ("downstream_rq_2xx", downstreamRq2xx.load(ordering: .relaxed)),
            ("downstream_rq_3xx", downstreamRq3xx.load(ordering: .relaxed)),
            ("downstream_rq_4xx", downstreamRq4xx.load(ordering: .relaxed)),
            ("downstream_rq_5xx", downstreamRq5xx.load(ordering: .relaxed)),
            ("downstream_rq_bad_request", downstreamRqBadRequest.load(ordering: .relaxed)),
            ("downstream_rq_time_us_total", downstreamRqTimeMicrosTotal.load(ordering: .relaxed)),
            ("config_reload.update_success", configReloadSuccess.load(ordering: .relaxed)),
            ("config_reload.update_rejected", configReloadRejected.load(ordering: .relaxed)),
            ("fault.aborts_injected", faultAborts.load(ordering: .relaxed)),
            ("fault.delays_injected", faultDelays.load(ordering: .relaxed)),
            ("access_log.lines_dropped", accessLogDropped.load(ordering: .relaxed)),
            ("metadata_exchange.alpn_protocol_found", peerExchangeFound.load(ordering: .relaxed)),
            ("metadata_exchange.initial_header_not_found", peerExchangeBadMagic.load(ordering: .relaxed)),
            ("metadata_exchange.header_not_found", peerExchangeMalformed.load(ordering: .relaxed)),
            ("metadata_exchange.header_too_large", peerExchangeTooLarge.load(ordering: .relaxed)),
            ("no_route", noRoute.load(ordering: .relaxed)),
            ("rbac.allowed", rbacAllowed.load(ordering: .relaxed)),
            ("rbac.denied", rbacDenied.load(ordering: .relaxed)),
            ("ext_authz.ok", extAuthzOK.load(ordering: .relaxed)),
            ("ext_authz.denied", extAuthzDenied.load(ordering: .relaxed)),
            ("ext_authz.error", extAuthzError.load(ordering: .relaxed)),
            ("ext_authz.failure_mode_allowed", extAuthzFailureModeAllowed.load(ordering: .relaxed)),
            ("jwt_authn.allowed", jwtAllowed.load(ordering: .relaxed)),
            ("jwt_authn.denied", jwtDenied.load(ordering: .relaxed)),
            ("jwt_authn.jwks_fetch_success", jwksFetchSuccess.load(ordering: .relaxed)),
            ("jwt_authn.jwks_fetch_failed", jwksFetchFailed.load(ordering: .relaxed)),
            ("tcp.downstream_cx_total", tcpConnections.load(ordering: .relaxed)),
            ("tls_inspector.sni_found", tlsInspectorSNIFound.load(ordering: .relaxed)),
            ("tls_inspector.sni_not_found", tlsInspectorSNINotFound.load(ordering: .relaxed)),
            ("tls_inspector.tls_not_found", tlsInspectorNotTLS.load(ordering: .relaxed)),
            ("tls_inspector.client_hello_too_large", tlsInspectorTooLarge.load(ordering: .relaxed)),
            ("no_filter_chain_match", noFilterChainMatch.load(ordering: .relaxed)),
            ("websocket_upgrades_total", websocketUpgrades.load(ordering: .relaxed)),
        ]
    }
}

/// One atomic counter as a reference, so counters can live in arrays (`Atomic` itself can't be copied).
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
