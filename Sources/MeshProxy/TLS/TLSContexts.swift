import NIOCore
import NIOSSL

/// Builds the NIOSSL contexts of listeners (termination) and clusters (origination) from config, once at
/// start-up. File and PEM problems become `ProxyError`s naming the file.
enum TLSContexts {
    /// A server context: the listener's certificate and key, ALPN `h2` + `http/1.1` for HTTP listeners, and
    /// client certificates required when a client CA is configured.
    static func server(_ tls: ServerTLSConfig, alpn: [String]) throws -> NIOSSLContext {
        let chain = try certificates(tls.certificateFile)
        let key = try privateKey(tls.keyFile)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = alpn
        if let ca = tls.clientCAFile {
            configuration.trustRoots = .certificates(try certificates(ca))
            configuration.certificateVerification = .noHostnameVerification
        }
        return try context(configuration, what: "listener TLS (\(tls.certificateFile))")
    }

    /// A client context: trust the configured CA (or the system roots), present a client certificate for
    /// mutual TLS, and verify the server name when SNI is set and no SAN list replaces that check.
    static func client(_ tls: UpstreamTLSConfig, alpn: [String] = ["http/1.1"]) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let ca = tls.caFile {
            configuration.trustRoots = .certificates(try certificates(ca))
        }
        if let certificate = tls.certificateFile {
            guard let keyFile = tls.keyFile else {
                throw ProxyError(.invalidConfig, "upstream TLS: a client certificate needs its key (--upstream-key)")
            }
            configuration.certificateChain = try certificates(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try privateKey(keyFile))
        }
        configuration.certificateVerification =
            tls.subjectAltNames.isEmpty && tls.sni != nil ? .fullVerification : .noHostnameVerification
        configuration.applicationProtocols = alpn
        return try context(configuration, what: "upstream TLS")
    }

    /// The client context of JWKS fetches: the server's certificate verified, hostname included, against `caFile`
    /// or the system's trust roots.
    static func jwksClient(caFile: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .certificates(try certificates(caFile)) }
        configuration.certificateVerification = .fullVerification
        configuration.applicationProtocols = ["http/1.1"]
        return try context(configuration, what: "JWKS fetch TLS")
    }

    private static func certificates(_ path: String) throws -> [NIOSSLCertificate] {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(path)
            guard !chain.isEmpty else { throw ProxyError(.invalidConfig, "\(path): no PEM certificate in the file") }
            return chain
        } catch let error as ProxyError {
            throw error
        } catch {
            throw ProxyError(.invalidConfig, "\(path): cannot read a PEM certificate (\(error))")
        }
    }

    private static func privateKey(_ path: String) throws -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw ProxyError(.invalidConfig, "\(path): cannot read a PEM private key (\(error))")
        }
    }

    private static func context(_ configuration: TLSConfiguration, what: String) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ProxyError(.invalidConfig, "\(what): \(error)")
        }
    }
}
