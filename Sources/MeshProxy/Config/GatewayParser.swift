import MeshPolicy

/// Istio `Gateway` resources on a proxy of role `gateway`: each server port becomes a listener (servers on the
/// same port share it), with TLS from the server's settings, and hosts that the VirtualServices bound to the
/// Gateway are narrowed to.
enum GatewayParser {
    /// Adds the listeners of the Gateways that select this workload (all of them when the bootstrap gives no
    /// workload labels). Called after VirtualServices are parsed (TCP servers take their cluster from them).
    static func apply(_ gateways: [IstioResource<GatewaySpec>], to config: inout ProxyConfig) throws(ProxyError) {
        var byPort: [Int: (listener: ListenerConfig, owner: String, kind: ServerKind)] = [:]
        var order: [Int] = []
        let labels = config.security.workload.labels
        for gateway in gateways {
            let selector = gateway.spec.selector ?? [:]
            if !labels.isEmpty && !selector.allSatisfy({ labels[$0.key] == $0.value }) { continue }
            let gatewayName = "\(gateway.namespace)/\(gateway.name)"
            let servers = gateway.spec.servers ?? []
            guard !servers.isEmpty else { throw gateway.field.at("servers").fail("at least one server is required") }
            for (index, server) in servers.enumerated() {
                let field = gateway.field.at("servers")[index]
                let parsed = try parseServer(server, field: field, gatewayNamespace: gateway.namespace, config: config)
                if var existing = byPort[parsed.number] {
                    guard existing.kind == parsed.kind, existing.listener.tls == parsed.tls else {
                        throw field.at("port").fail(
                            "port \(parsed.number) is already served by Gateway \(existing.owner) with another protocol or certificate (choosing a certificate by SNI is not supported)")
                    }
                    existing.listener.gateway!.gateways.insert(gatewayName)
                    existing.listener.gateway!.hosts += parsed.hosts
                    byPort[parsed.number] = existing
                } else {
                    let address = HostPort(host: config.gateway.bindHost, port: config.gateway.portMap[parsed.number] ?? parsed.number)
                    var listener = ListenerConfig(
                        name: "gateway-\(parsed.number)", address: address, protocol: parsed.kind == .http ? .http : .tcp,
                        tls: parsed.tls, targetPort: parsed.number)
                    listener.gateway = GatewayBinding(gateways: [gatewayName], hosts: parsed.hosts)
                    byPort[parsed.number] = (listener, gatewayName, parsed.kind)
                    order.append(parsed.number)
                }
            }
        }
        for number in order {
            guard let served = byPort[number] else { continue }
            var listener = served.listener
            let binding = listener.gateway!
            switch served.kind {
            case .http: break
            case .passthrough:
                let table = SNIRouteTable(routes: config.tlsRoutes, port: number, binding: binding)
                guard !table.entries.isEmpty else {
                    throw ProxyError(
                        .invalidConfig,
                        "Gateway \(binding.gateways.sorted().joined(separator: ", ")): the TLS PASSTHROUGH server on port \(number) has no VirtualService tls route bound to its hosts")
                }
                listener.sniRoutes = table
            case .tcp:
                guard let route = config.tcpRoutes.first(where: { route in
                    !route.gateways.isDisjoint(with: binding.gateways) && (route.ports.isEmpty || route.ports.contains(number))
                }) else {
                    throw ProxyError(
                        .invalidConfig,
                        "Gateway \(binding.gateways.sorted().joined(separator: ", ")): the TCP server on port \(number) has no VirtualService tcp route bound to it")
                }
                listener.defaultCluster = route.cluster
            }
            config.listeners.append(listener)
        }
    }

    /// What a server carries: HTTP (plain or HTTPS), TCP (plain or TLS-terminated), or TLS routed by SNI
    /// without terminating it (PASSTHROUGH).
    enum ServerKind: Equatable {
        case http
        case tcp
        case passthrough
    }

    private struct Server {
        let number: Int
        let kind: ServerKind
        let tls: ServerTLSConfig?
        let hosts: [ServerHost]
    }

    private static func parseServer(
        _ server: GatewayServer, field: FieldPath, gatewayNamespace: String, config: ProxyConfig
    ) throws(ProxyError) -> Server {
        guard let port = server.port else { throw field.at("port").fail("required") }
        guard let number = port.number, (1...65535).contains(number) else {
            throw field.at("port").at("number").fail("required, 1 to 65535")
        }
        guard let protocolName = port.protocol?.uppercased(), !protocolName.isEmpty else {
            throw field.at("port").at("protocol").fail("required")
        }
        let hostTexts = server.hosts ?? []
        guard !hostTexts.isEmpty else { throw field.at("hosts").fail("at least one host is required") }
        let tls = server.tls
        let hosts = hostTexts.map {
            ServerHost(parsing: $0, gatewayNamespace: gatewayNamespace, httpsRedirect: tls?.httpsRedirect ?? false)
        }
        if tls?.mode?.uppercased() == "PASSTHROUGH" {
            // Istio's own SNI passthrough task declares such servers HTTPS; both mean TLS that is not terminated.
            guard protocolName == "TLS" || protocolName == "HTTPS" else {
                throw field.at("port").at("protocol").fail("tls.mode PASSTHROUGH needs protocol TLS, got \(protocolName)")
            }
            return Server(number: number, kind: .passthrough, tls: nil, hosts: hosts)
        }
        switch protocolName {
        case "HTTP", "HTTP2", "GRPC", "GRPC-WEB":
            return Server(number: number, kind: .http, tls: nil, hosts: hosts)
        case "HTTPS":
            guard let tls else { throw field.at("tls").fail("an HTTPS server needs tls settings") }
            return Server(number: number, kind: .http, tls: try terminate(tls, field: field.at("tls"), config: config), hosts: hosts)
        case "TCP", "MONGO":
            return Server(number: number, kind: .tcp, tls: nil, hosts: hosts)
        case "TLS":
            guard let tls else { throw field.at("tls").fail("a TLS server needs tls settings") }
            return Server(number: number, kind: .tcp, tls: try terminate(tls, field: field.at("tls"), config: config), hosts: hosts)
        default:
            throw field.at("port").at("protocol").fail("expected HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS or MONGO")
        }
    }

    /// The certificate a server terminates TLS with: its file paths, its `credentialName` (from the bootstrap's
    /// `gateway.credentials`), or the workload identity for ISTIO_MUTUAL.
    private static func terminate(_ tls: ServerTLSSettings, field: FieldPath, config: ProxyConfig) throws(ProxyError) -> ServerTLSConfig {
        let mode = tls.mode?.uppercased() ?? "SIMPLE"
        let sans = tls.subjectAltNames ?? []
        switch mode {
        case "OPTIONAL_MUTUAL":
            throw field.at("mode").fail("OPTIONAL_MUTUAL is not supported; use MUTUAL or SIMPLE")
        case "SIMPLE", "MUTUAL":
            var result: ServerTLSConfig
            if let credential = tls.credentialName {
                guard let known = config.gateway.credentials[credential] else {
                    throw field.at("credentialName").fail("no credential \(credential) in the bootstrap's gateway.credentials")
                }
                result = known
            } else {
                guard let certificate = tls.serverCertificate, let key = tls.privateKey else {
                    throw field.at("serverCertificate").fail("set credentialName, or serverCertificate and privateKey")
                }
                result = ServerTLSConfig(certificateFile: certificate, keyFile: key)
            }
            if mode == "SIMPLE" {
                result.clientCAFile = nil
            } else {
                if let ca = tls.caCertificates { result.clientCAFile = ca }
                guard result.clientCAFile != nil else {
                    throw field.at("caCertificates").fail("MUTUAL needs the CA that client certificates chain to")
                }
            }
            result.allowedClientSANs = sans
            return result
        case "ISTIO_MUTUAL":
            guard let identity = config.security.identity, let certificate = identity.certificateFile, let key = identity.keyFile,
                let ca = identity.caFile
            else {
                throw field.at("mode").fail("ISTIO_MUTUAL needs the workload identity (ProxyBootstrap spec.identity)")
            }
            return ServerTLSConfig(certificateFile: certificate, keyFile: key, clientCAFile: ca, allowedClientSANs: sans)
        case "AUTO_PASSTHROUGH":
            throw field.at("mode").fail("AUTO_PASSTHROUGH (multi-cluster SNI routing) is not supported; use PASSTHROUGH with VirtualService tls routes")
        default:
            throw field.at("mode").fail("expected SIMPLE, MUTUAL, ISTIO_MUTUAL, PASSTHROUGH or AUTO_PASSTHROUGH")
        }
    }
}
