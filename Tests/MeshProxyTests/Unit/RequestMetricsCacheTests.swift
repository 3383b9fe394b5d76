import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("RequestMetricsCache")
struct RequestMetricsCacheTests {
    @Test("handlers sharing a connection's cache (HTTP/2 streams) reuse its labels and series; other hosts replace them")
    func streamsShareLabelsAndSeries() throws {
        let loop = EmbeddedEventLoop()
        let runtime = try ProxyRuntime.answering("hi", on: loop)
        let cache = RequestMetricsCache()
        func request(host: String) throws {
            let handler = HTTPProxyHandler(
                runtime: runtime, listener: runtime.listeners[0], loop: runtime.loopState(for: loop), isHTTP2: true,
                metricsCache: cache)
            let stream = EmbeddedChannel(handler: handler, loop: loop)
            try stream.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http2, method: .GET, uri: "/", headers: ["host": host])))
            try stream.writeInbound(HTTPServerRequestPart.end(nil))
            _ = try stream.finish(acceptAlreadyClosed: true)
        }

        try request(host: "reviews.default.svc.cluster.local")
        let first = try #require(cache.series)
        #expect(cache.labels?.host == "reviews.default.svc.cluster.local")
        #expect(first.labels.destinationServiceName == "reviews")

        try request(host: "reviews.default.svc.cluster.local")
        #expect(cache.series === first)
        #expect(first.count.load(ordering: .relaxed) == 2)

        try request(host: "ratings.default.svc.cluster.local")
        #expect(cache.labels?.host == "ratings.default.svc.cluster.local")
        #expect(cache.series !== first)
    }
}
