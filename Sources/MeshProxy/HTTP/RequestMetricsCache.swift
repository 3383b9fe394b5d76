/// The Istio labels and metric series of a downstream connection's last request. The next request reuses them
/// while its host, protocol and listener stay the same (no host parsing, no lock, no hashing). One per
/// connection, touched only on its event loop: the streams of an HTTP/2 connection share it, as each stream has
/// a handler of its own.
final class RequestMetricsCache {
    /// The labels of the last request's host and protocol on `listener`.
    var labels: (host: String, grpc: Bool, listener: ListenerRuntime, labels: IstioMetrics.Labels)?
    /// The series of the last request (its labels include the response code and flags).
    var series: IstioMetrics.RequestSeries?
}
