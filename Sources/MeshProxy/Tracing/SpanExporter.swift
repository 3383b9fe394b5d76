import MeshCore
import NIOCore
import Synchronization

/// Sends finished spans to the collectors in batches: every second, or sooner once 100 are waiting; at most
/// 10,000 wait (more are dropped and counted). Each batch is one HTTP/1.1 POST per collector (Zipkin v2 JSON,
/// OTLP/HTTP JSON); a failed POST drops its batch (counted), as Envoy's tracers do.
final class SpanExporter: Sendable {
    static let batchSize = 100
    static let maxPending = 10_000

    let config: TracingConfig
    private let pending = Mutex<[Span]>([])
    private let timer = Mutex<RepeatedTask?>(nil)
    private let eventLoop: any EventLoop
    /// Envoy's `tracing.<tracer>.{spans_sent,reports_sent,reports_dropped,reports_failed}`.
    let spansSent = Atomic<Int>(0)
    let reportsSent = Atomic<Int>(0)
    let reportsFailed = Atomic<Int>(0)
    let spansDropped = Atomic<Int>(0)

    init(config: TracingConfig, eventLoop: any EventLoop) {
        self.config = config
        self.eventLoop = eventLoop
    }

    /// Starts the flush timer.
    func start() {
        let task = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in flush() }
        timer.withLock { $0 = task }
    }

    /// Stops the timer and sends what is waiting; completes when the POSTs are done.
    func stop() -> EventLoopFuture<Void> {
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
        return flush()
    }

    func add(_ span: Span) {
        let full = pending.withLock { spans -> Bool in
            guard spans.count < Self.maxPending else {
                spansDropped.add(1, ordering: .relaxed)
                return false
            }
            spans.append(span)
            return spans.count >= Self.batchSize
        }
        if full { eventLoop.execute { [self] in _ = flush() } }
    }

    @discardableResult
    func flush() -> EventLoopFuture<Void> {
        let batch = pending.withLock { spans in
            defer { spans.removeAll(keepingCapacity: true) }
            return spans
        }
        guard !batch.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
        var posts: [EventLoopFuture<Void>] = []
        if let zipkin = config.zipkin {
            posts.append(post(JSON.emit(.array(batch.map(\.zipkin))), to: zipkin, path: config.zipkinPath, spans: batch.count))
        }
        if let otlp = config.otlp {
            posts.append(post(JSON.emit(Span.otlp(batch)), to: otlp, path: config.otlpPath, spans: batch.count))
        }
        return EventLoopFuture.andAllComplete(posts, on: eventLoop)
    }

    private func post(_ body: String, to collector: HostPort, path: String, spans: Int) -> EventLoopFuture<Void> {
        let request = HTTPOneShot.Request(
            method: .POST, target: collector, path: path, headers: [("content-type", "application/json")], body: Array(body.utf8),
            maxResponseBytes: 64 << 10)
        return HTTPOneShot.send(request, on: eventLoop).map { response in
            if (200..<300).contains(response.status) {
                self.reportsSent.add(1, ordering: .relaxed)
                self.spansSent.add(spans, ordering: .relaxed)
            } else {
                self.reportsFailed.add(1, ordering: .relaxed)
            }
        }.recover { _ in
            self.reportsFailed.add(1, ordering: .relaxed)
        }
    }

    var values: [(String, Int)] {
        [
            ("tracing.spans_sent", spansSent.load(ordering: .relaxed)),
            ("tracing.reports_sent", reportsSent.load(ordering: .relaxed)),
            ("tracing.reports_failed", reportsFailed.load(ordering: .relaxed)),
            ("tracing.spans_dropped", spansDropped.load(ordering: .relaxed)),
        ]
    }
}
