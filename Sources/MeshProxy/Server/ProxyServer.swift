import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// The proxy process: an event loop group (one loop per thread), the listeners of a `ProxyConfig`, the admin
/// listener, and graceful shutdown (stop accepting, drain in-flight requests within a bound, close).
public final class ProxyServer: Sendable {
    /// The configuration it runs.
    public let config: ProxyConfig
    let group: MultiThreadedEventLoopGroup
    let runtime: ProxyRuntime
    private let channels = Mutex<[any Channel]>([])
    private let boundPorts = Mutex<[String: Int]>([:])

    /// Prepares the proxy: resolves endpoints, loads certificates and keys. Throws `ProxyError` on bad config.
    public init(config: ProxyConfig, threads: Int = 1) throws {
        self.config = config
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.group = group
        do {
            self.runtime = try ProxyRuntime(config: config, group: group)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Binds every listener (and the admin listener). Ports of 0 are chosen by the system: see `ports`.
    public func start() async throws {
        for listener in runtime.listeners {
            let channel = try await bind(listener)
            remember(channel, name: listener.config.name)
        }
        if let admin = config.admin {
            let runtime = self.runtime
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(AdminHandler(runtime: runtime))
                    }
                }
                .bind(host: admin.host, port: admin.port).get()
            remember(channel, name: "admin")
        }
    }

    /// The bound port of each listener by name (`admin` for the admin listener).
    public var ports: [String: Int] { boundPorts.withLock { $0 } }

    private func remember(_ channel: any Channel, name: String) {
        channels.withLock { $0.append(channel) }
        if let port = channel.localAddress?.port { boundPorts.withLock { $0[name] = port } }
    }

    private func bind(_ listener: ListenerRuntime) async throws -> any Channel {
        let runtime = self.runtime
        let isTCP = listener.config.protocol == .tcp
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: isTCP)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try PipelineSetup.downstream(channel, runtime: runtime, listener: listener)
                }
            }
        do {
            return try await bootstrap.bind(host: listener.config.address.host, port: listener.config.address.port).get()
        } catch {
            throw ProxyError(.startup, "listener \(listener.config.name): cannot listen on \(listener.config.address): \(error)")
        }
    }

    /// Stops accepting, lets in-flight requests finish (up to `drainTimeout`), then closes everything.
    public func shutdown(drainTimeout: Duration? = nil) async {
        let listening = channels.withLock { channels in
            defer { channels.removeAll() }
            return channels
        }
        for channel in listening { try? await channel.close().get() }
        for loop in runtime.allLoops {
            try? await loop.eventLoop.submit { loop.drain() }.get()
        }
        let deadline = ContinuousClock.now + (drainTimeout ?? config.limits.drainTimeout)
        while runtime.activeRequests > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? await group.shutdownGracefully()
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled(onReady: @Sendable () -> Void = {}) async throws {
        try await start()
        onReady()
        await Self.waitForTerminationSignal()
        await shutdown()
    }

    /// Suspends until the process receives SIGTERM or SIGINT.
    static func waitForTerminationSignal() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = Mutex(false)
            let queue = DispatchQueue(label: "meshctl.proxy.signals")
            var sources: [any DispatchSourceSignal] = []
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    let first = resumed.withLock { done in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps the signal sources alive for the life of the process (they are never cancelled).
private enum SignalSources {
    private final class Box: @unchecked Sendable {
        let lock = NIOLock()
        var sources: [any DispatchSourceSignal] = []
    }
    private static let box = Box()

    static func keep(_ sources: [any DispatchSourceSignal]) {
        box.lock.withLock { box.sources += sources }
    }
}
