import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// The proxy process: an event loop group (one loop per thread), the listeners of a `ProxyConfig`, the admin
/// listener, config reloads, and graceful shutdown (stop accepting, drain in-flight requests within a bound,
/// close).
public final class ProxyServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    private let current: Mutex<ProxyRuntime>
    /// The listening sockets by listener name (`admin` for the admin listener).
    private let sockets = Mutex<[String: ListeningSocket]>([:])
    /// Reloads run one at a time.
    private let reloading = Mutex(false)

    /// Prepares the proxy: resolves endpoints, loads certificates and keys. Throws `ProxyError` on bad config.
    public init(config: ProxyConfig, threads: Int = 1) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.group = group
        do {
            self.current = Mutex(try ProxyRuntime(config: config, group: group))
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// The runtime new connections and requests use.
    var runtime: ProxyRuntime { current.withLock { $0 } }

    /// The configuration it runs (the newest one after reloads).
    public var config: ProxyConfig { runtime.config }

    /// Binds every listener (and the admin listener). Ports of 0 are chosen by the system: see `ports`.
    public func start() async throws {
        let runtime = self.runtime
        runtime.startFetching()
        for listener in runtime.listeners {
            let socket = try await bind(listener.config)
            sockets.withLock { $0[listener.config.name] = socket }
        }
        if let admin = runtime.config.admin {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(AdminHandler(server: self))
                    }
                }
                .bind(host: admin.host, port: admin.port).get()
            sockets.withLock { $0["admin"] = ListeningSocket(address: admin, channel: channel, name: NameBox("admin")) }
        }
    }

    /// The bound port of each listener by name (`admin` for the admin listener).
    public var ports: [String: Int] {
        sockets.withLock { sockets in sockets.compactMapValues { $0.channel.localAddress?.port } }
    }

    /// Replaces the running config by `config` without dropping connections: new connections and requests
    /// use it at once; a connection moves over between requests (TCP connections keep the config they began
    /// with until they close). Listeners whose address is unchanged keep their socket; new ones are bound and
    /// removed ones closed. When anything fails (invalid config, a port that can't be bound) the old config
    /// keeps running and the error is thrown.
    public func reload(_ config: ProxyConfig) async throws {
        let claimed = reloading.withLock { busy in
            defer { busy = true }
            return !busy
        }
        guard claimed else { throw ProxyError(.startup, "a reload is already in progress") }
        defer { reloading.withLock { $0 = false } }
        let old = runtime
        let next: ProxyRuntime
        do {
            next = try ProxyRuntime(config: config, group: group, previous: old)
        } catch {
            old.stats.configReloadRejected.add(1, ordering: .relaxed)
            throw error
        }
        let plan = ListenerPlan(old: sockets.withLock { $0 }, new: next.listeners.map(\.config))
        var bound: [String: ListeningSocket] = [:]
        do {
            for listener in plan.toBind { bound[listener.name] = try await bind(listener) }
        } catch {
            for socket in bound.values { try? await socket.channel.close().get() }
            if let log = next.accessLog, log !== old.accessLog { log.close() }
            old.stats.configReloadRejected.add(1, ordering: .relaxed)
            throw error
        }
        // Renames and the switch happen under the runtime's lock, so a connection accepted meanwhile finds its
        // listener under the name its socket has in the config it gets.
        current.withLock { runtime in
            sockets.withLock { sockets in
                let moving = plan.renamed.compactMap { move in sockets.removeValue(forKey: move.from).map { ($0, move.to) } }
                for name in plan.toClose { sockets[name] = nil }
                for (socket, name) in moving {
                    socket.name.set(name)
                    sockets[name] = socket
                }
                for (name, socket) in bound { sockets[name] = socket }
            }
            runtime = next
        }
        next.startFetching()
        old.supersede(by: next)
        next.stats.configReloadSuccess.add(1, ordering: .relaxed)
        if let log = old.accessLog, log !== next.accessLog { log.close() }
        for socket in plan.closing { try? await socket.channel.close().get() }
    }

    private func bind(_ listener: ListenerConfig) async throws -> ListeningSocket {
        let name = NameBox(listener.name)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    // The listener of the newest config: a reload may have changed it since the bind.
                    let (runtime, listenerName) = self.current.withLock { ($0, name.get()) }
                    guard let listener = runtime.listener(named: listenerName) else {
                        throw ProxyError(.startup, "listener \(listenerName) was removed")
                    }
                    try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: listener.config.protocol == .tcp)
                    try PipelineSetup.downstream(channel, runtime: runtime, listener: listener)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: listener.address.host, port: listener.address.port).get()
            return ListeningSocket(address: listener.address, channel: channel, name: name)
        } catch {
            throw ProxyError(.startup, "listener \(listener.name): cannot listen on \(listener.address): \(error)")
        }
    }

    /// Stops accepting, lets in-flight requests finish (up to `drainTimeout`), then closes everything. The loops
    /// drain before the listeners close, so once connections are refused every response says `Connection: close`.
    public func shutdown(drainTimeout: Duration? = nil) async {
        let runtime = self.runtime
        let drain = drainTimeout ?? config.limits.drainTimeout
        for loop in runtime.allLoops {
            try? await loop.eventLoop.submit { loop.drain(drainTime: drain) }.get()
        }
        let listening = sockets.withLock { sockets in
            defer { sockets.removeAll() }
            return sockets.values
        }
        for socket in listening { try? await socket.channel.close().get() }
        let deadline = ContinuousClock.now + drain
        while runtime.activeRequests > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? await runtime.tracer?.exporter?.stop().get()
        runtime.accessLog?.close()
        runtime.stopFetching()
        try? await group.shutdownGracefully()
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully; with a `watcher`, reloads the config
    /// whenever its files change.
    public func runUntilSignalled(watching watcher: ConfigWatcher? = nil, onReady: @Sendable () -> Void = {}) async throws {
        try await start()
        onReady()
        let watching = watcher.map { watcher in
            Task { await watcher.run(server: self) { self.runtime.log.write("config", .warning, $0) } }
        }
        await Self.waitForTerminationSignal()
        watching?.cancel()
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
