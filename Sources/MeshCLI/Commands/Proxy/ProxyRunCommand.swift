import Foundation
import MeshCore
import MeshProxy

/// `meshctl proxy run`: starts the proxy in the foreground until SIGTERM/SIGINT.
enum ProxyRunCommand {
    static let filename = OptionSpec(
        long: "filename", short: "f", kind: .repeatable, valueName: "FILE",
        help: "Bootstrap and Istio resources (YAML, several documents); repeatable",
        completion: .file(extensions: ["yaml", "yml"]))
    static let listen = OptionSpec(long: "listen", valueName: "HOST:PORT", help: "Listen here (shorthand for a one-listener bootstrap)")
    static let upstream = OptionSpec(long: "upstream", valueName: "HOST:PORT", help: "Forward to this upstream (with --listen)")
    static let protocolOption = OptionSpec(
        long: "protocol", valueName: "PROTOCOL", help: "What --listen speaks", defaultValue: "http",
        allowedValues: ["http", "tcp"])
    static let threads = OptionSpec(
        long: "threads", valueName: "N", help: "Worker threads, one event loop each", defaultValue: "1", valueType: .integer)
    static let tlsCert = OptionSpec(
        long: "tls-cert", valueName: "FILE", help: "Terminate TLS on --listen with this PEM certificate chain",
        completion: .file(extensions: ["pem", "crt"]))
    static let tlsKey = OptionSpec(
        long: "tls-key", valueName: "FILE", help: "The PEM private key of --tls-cert", completion: .file(extensions: ["pem", "key"]))
    static let tlsClientCA = OptionSpec(
        long: "tls-client-ca", valueName: "FILE", help: "Require client certificates issued by this CA on --listen (mTLS)",
        completion: .file(extensions: ["pem", "crt"]))
    static let upstreamCA = OptionSpec(
        long: "upstream-ca", valueName: "FILE", help: "Originate TLS to --upstream, trusting this CA",
        completion: .file(extensions: ["pem", "crt"]))
    static let upstreamCert = OptionSpec(
        long: "upstream-cert", valueName: "FILE", help: "Client certificate for mTLS to --upstream",
        completion: .file(extensions: ["pem", "crt"]))
    static let upstreamKey = OptionSpec(
        long: "upstream-key", valueName: "FILE", help: "The PEM private key of --upstream-cert", completion: .file(extensions: ["pem", "key"]))
    static let upstreamSNI = OptionSpec(
        long: "upstream-sni", valueName: "NAME", help: "SNI sent to --upstream; the server certificate must be valid for it")
    static let upstreamSAN = OptionSpec(
        long: "upstream-san", kind: .repeatable, valueName: "SAN",
        help: "Accept the upstream only if its certificate carries this URI or DNS SAN (e.g. a SPIFFE id); repeatable")
    static let admin = OptionSpec(long: "admin", valueName: "HOST:PORT", help: "Admin listener (/ready, /stats, /config_dump, /clusters)")
    static let accessLog = OptionSpec(long: "access-log", kind: .flag, help: "Write one JSON access log line per request to standard error")
    static let accessLogFile = OptionSpec(
        long: "access-log-file", valueName: "FILE",
        help: "Append the JSON access log to FILE (/dev/stdout as Istio's accessLogFile) instead of standard error",
        completion: .file(extensions: []))

    static let spec: CommandSpec = CommandSpec(
        name: "run",
        abstract: "Run the proxy in the foreground",
        discussion: """
            Run the proxy until SIGTERM or SIGINT, then stop accepting, let in-flight requests finish (up to 5
            seconds) and exit 0.

            Either give a bootstrap with -f (a ProxyBootstrap document plus Istio ServiceEntry, DestinationRule
            and VirtualService resources; see the README), or describe one listener with --listen and --upstream.
            The two combine: with --listen, -f files may hold only Istio resources, which then apply to that
            listener; a destination host that names no ServiceEntry goes to --upstream.
            Invalid configuration fails with exit code 65, naming the resource and the field.

            The -f files, and the certificate, key and CA files the configuration names, are watched: when one
            changes, the proxy loads them again and switches to the new configuration without dropping connections (a connection moves over between requests; TCP
            connections keep their configuration until they close). A configuration that fails to load is
            reported on standard error and the running one stays. The admin address is fixed at start.
            """,
        examples: [
            .init("HTTP/1.1 and h2c on port 8080 to an app on 9080", "meshctl proxy run --listen 127.0.0.1:8080 --upstream 127.0.0.1:9080"),
            .init("Raw TCP with two worker threads", "meshctl proxy run --listen 127.0.0.1:9042 --upstream 10.0.0.5:9042 --protocol tcp --threads 2"),
            .init(
                "mTLS to the upstream, checking its SPIFFE identity",
                "meshctl proxy run --listen 127.0.0.1:8080 --upstream 127.0.0.1:8443 --upstream-ca ca.pem --upstream-cert me.pem --upstream-key me.key --upstream-san spiffe://cluster.local/ns/default/sa/api"),
            .init("Try a VirtualService against one upstream", "meshctl proxy run --listen 127.0.0.1:8080 --upstream 127.0.0.1:9080 -f policy.yaml"),
        ],
        options: [
            filename, listen, upstream, protocolOption, threads, tlsCert, tlsKey, tlsClientCA, upstreamCA, upstreamCert,
            upstreamKey, upstreamSNI, upstreamSAN, admin, accessLog, accessLogFile,
        ],
        run: { invocation, context in
            let config = try resolve(invocation)
            let threadCount = invocation.options.int(threads) ?? 1
            guard threadCount >= 1 && threadCount <= 256 else {
                throw UsageError("--threads must be between 1 and 256", at: invocation.path)
            }
            let server = try ProxyServer(config: config, threads: threadCount)
            let files = invocation.options.strings(filename)
            let nothingToWatch = files.isEmpty && config.referencedFiles.isEmpty
            let watcher = nothingToWatch ? nil : ConfigWatcher(paths: files) { try resolve(invocation) }
            try await server.runUntilSignalled(watching: watcher) {
                let ports = server.ports.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                context.printError("meshctl proxy: listening (\(ports.joined(separator: " "))), \(threadCount) thread(s)")
            }
            return .ok
        }
    )

    /// The config from -f files and shorthand flags.
    static func resolve(_ invocation: Invocation) throws -> ProxyConfig {
        let options = invocation.options
        var shorthand: ProxyShorthand?
        if options.isSet(listen) || options.isSet(upstream) {
            guard let listenText = options.string(listen), let listenAddress = HostPort(parsing: listenText) else {
                throw UsageError("--listen needs HOST:PORT", at: invocation.path)
            }
            guard let upstreamText = options.string(upstream), let upstreamAddress = HostPort(parsing: upstreamText) else {
                throw UsageError("--upstream needs HOST:PORT", at: invocation.path)
            }
            var value = ProxyShorthand(
                listen: listenAddress, upstream: upstreamAddress,
                protocol: options.string(protocolOption) == "tcp" ? .tcp : .http)
            if options.isSet(tlsCert) || options.isSet(tlsKey) {
                guard let cert = options.string(tlsCert), let key = options.string(tlsKey) else {
                    throw UsageError("--tls-cert and --tls-key go together", at: invocation.path)
                }
                value.tls = ServerTLSConfig(certificateFile: cert, keyFile: key, clientCAFile: options.string(tlsClientCA))
            }
            if options.isSet(upstreamCA) || options.isSet(upstreamCert) || options.isSet(upstreamSNI) || options.isSet(upstreamSAN) {
                if options.isSet(upstreamCert) != options.isSet(upstreamKey) {
                    throw UsageError("--upstream-cert and --upstream-key go together", at: invocation.path)
                }
                value.upstreamTLS = UpstreamTLSConfig(
                    caFile: options.string(upstreamCA), certificateFile: options.string(upstreamCert),
                    keyFile: options.string(upstreamKey), sni: options.string(upstreamSNI),
                    subjectAltNames: options.strings(upstreamSAN))
            }
            shorthand = value
        } else if options.strings(filename).isEmpty {
            throw UsageError("give -f CONFIG, or --listen and --upstream", at: invocation.path)
        }
        var documents: [Value] = []
        for path in options.strings(filename) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ProxyError(.io, "\(path): cannot read the file (\(error.localizedDescription))")
            }
            do {
                documents += try YAML.parseDocuments(text)
            } catch {
                throw MeshCoreError(error.code, "\(path): \(error.message)", line: error.line, column: error.column)
            }
        }
        var config = try ConfigLoader.load(documents: documents, shorthand: shorthand)
        if let adminText = options.string(admin) {
            guard let address = HostPort(parsing: adminText) else { throw UsageError("--admin needs HOST:PORT", at: invocation.path) }
            config.admin = address
        }
        if let path = options.string(accessLogFile) {
            config.accessLog = AccessLogConfig(path: path, source: "--access-log-file")
        } else if options.bool(accessLog) {
            config.accessLog = AccessLogConfig()
        }
        return config
    }
}
