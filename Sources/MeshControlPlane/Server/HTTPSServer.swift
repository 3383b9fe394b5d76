import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The listening HTTPS socket of the API server: TLS with an optional client certificate checked against the
/// cluster CA, HTTP/1.1, one `APIChannelHandler` per connection.
public final class HTTPSServer: Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool

    /// The port actually bound (useful with port 0).
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `host:port` and starts serving `api`.
    public init(host: String, port: Int, tls: TLSConfiguration, api: APIServer,
                authenticate: @escaping @Sendable (_ commonName: String?, _ authorization: String?) -> String?) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        // Request threads mostly wait for fsyncs; more of them let more writers share one transaction.
        let threadPool = NIOThreadPool(numberOfThreads: 16)
        threadPool.start()
        let sslContext = try NIOSSLContext(configuration: tls)
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(
                            APIChannelHandler(api: api, threadPool: threadPool, authenticate: authenticate))
                    }
                }
                .bind(host: host, port: port).wait()
        } catch {
            try? threadPool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.threadPool = threadPool
    }

    /// The TLS configuration: the serving chain and key, client certificates optional but verified when sent.
    public static func tlsConfiguration(certificatePEM: String, keyPEM: String, clientCAPEM: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCAPEM.utf8)))
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }

    /// Blocks until the listening socket closes.
    public func wait() throws {
        try channel.closeFuture.wait()
    }

    /// Stops listening, closes connections and the thread pool.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        try? threadPool.syncShutdownGracefully()
    }
}
