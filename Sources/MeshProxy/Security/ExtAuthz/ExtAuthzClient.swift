import NIOCore
import NIOHTTP1
import Synchronization

/// Asks one ext-authz provider about a request, over HTTP or gRPC, on the caller's event loop (endpoints in
/// turn, one connection per check), and counts the outcomes in Envoy's `ext_authz.*` stats.
final class ExtAuthzClient: Sendable {
    let provider: ExtAuthzProvider
    private let stats: ProxyStats
    private let nextEndpoint = Atomic<Int>(0)

    /// What the authorizer is told about a request (or, without a head, a TCP connection).
    struct Input {
        var head: HTTPRequestHead?
        /// The buffered client body, when the provider includes it; `partial` when it was cut.
        var body: [UInt8]?
        var partial = false
        var connection: ConnectionInfo
        /// `http` or `https`, as the listener serves.
        var scheme: String
    }

    init(provider: ExtAuthzProvider, stats: ProxyStats) {
        self.provider = provider
        self.stats = stats
    }

    /// The decision, with errors already resolved by `failOpen`/`statusOnError`; never fails.
    func check(_ input: Input, on eventLoop: any EventLoop) -> EventLoopFuture<ExtAuthzDecision> {
        let provider = self.provider, stats = self.stats
        let index = nextEndpoint.wrappingAdd(1, ordering: .relaxed).oldValue
        let asked = provider.endpoints.isEmpty
            ? eventLoop.makeSucceededFuture(.error("provider \(provider.name) has no endpoint"))
            : ask(input, at: provider.endpoints[index % provider.endpoints.count], on: eventLoop)
        return asked.recover { .error("\($0)") }.map { decision in
            switch decision {
            case .allow: stats.extAuthzOK.add(1, ordering: .relaxed)
            case .deny: stats.extAuthzDenied.add(1, ordering: .relaxed)
            case .error:
                stats.extAuthzError.add(1, ordering: .relaxed)
                if provider.failOpen { stats.extAuthzFailureModeAllowed.add(1, ordering: .relaxed) }
            }
            return decision.resolvingError(for: provider)
        }
    }

    /// The authorizer's answer at `endpoint`, over the provider's API.
    private func ask(_ input: Input, at endpoint: HostPort, on eventLoop: any EventLoop) -> EventLoopFuture<ExtAuthzDecision> {
        let provider = self.provider
        switch provider.api {
        case .http:
            guard let head = input.head else {
                return eventLoop.makeSucceededFuture(.error("an HTTP provider checks HTTP requests, not TCP connections"))
            }
            let check = ExtAuthzHTTPCheck.request(for: head, body: input.body, partial: input.partial, provider: provider)
            let request = HTTPOneShot.Request(
                method: check.method, target: endpoint, path: check.path, headers: check.headers, body: check.body,
                timeout: provider.timeout.timeAmount)
            return HTTPOneShot.send(request, on: eventLoop).map { response in
                ExtAuthzHTTPCheck.decision(status: response.status, headers: response.headers, body: response.body, provider: provider)
            }
        case .grpc:
            let message = ExtAuthzGRPCCheck.request(for: input, packAsBytes: provider.requestBody?.packAsBytes ?? false)
            return GRPCOneShot.call(
                ExtAuthzGRPCCheck.path, message: message, target: endpoint, authority: "\(provider.service):\(provider.port)",
                timeout: provider.timeout.timeAmount, on: eventLoop
            ).flatMapThrowing { reply in try ExtAuthzGRPCCheck.decision(reply) }
        }
    }
}
