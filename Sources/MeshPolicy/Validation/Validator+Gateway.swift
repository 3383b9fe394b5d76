extension Validator {
    static func gateway(_ resource: Resource<GatewaySpec>, _ list: inout IssueList) {
        if !HostnameRules.isDNS1123Label(resource.name) && !resource.name.isEmpty {
            list.error("metadata.name", "invalid gateway name: \"\(resource.name)\"")
        }
        let servers = resource.spec.servers ?? []
        if servers.isEmpty { list.error("spec.servers", "gateway must have at least one server") }
        var portNames: Set<String> = []
        for (index, server) in servers.enumerated() {
            let path = "spec.servers[\(index)]"
            Self.server(server, path: path, &list)
            if let port = server.port {
                let name = port.name ?? ""
                if portNames.contains(name) { list.error("\(path).port.name", "port names in servers must be unique: duplicate name \(name)") }
                portNames.insert(name)
                if !ProtocolName.isHTTP(port.protocol) && server.tls?.httpsRedirect == true {
                    list.warning("\(path).tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers")
                }
            }
        }
    }

    private static func server(_ server: GatewayServer, path: String, _ list: inout IssueList) {
        let hosts = server.hosts ?? []
        if hosts.isEmpty { list.error("\(path).hosts", "server config must contain at least one host") }
        for (index, host) in hosts.enumerated() {
            for problem in HostnameRules.namespaceSlashHostname(host, isGateway: true) { list.error("\(path).hosts[\(index)]", problem) }
        }
        var portValid = false
        if let port = server.port {
            let before = list.issues.count
            if !ProtocolName.isSupported(port.protocol) {
                list.error("\(path).port.protocol", "invalid protocol \"\(port.protocol ?? "")\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP")
            }
            if (port.number ?? 0) > 0 || !(server.bind ?? "").hasPrefix("unix://") {
                list.check("\(path).port.number", HostnameRules.port(port.number ?? 0))
            }
            if (port.targetPort ?? 0) > 0 { list.error("\(path).port.targetPort", "targetPort has no impact on Gateways") }
            if (port.name ?? "").isEmpty { list.error("\(path).port.name", "port name must be set") }
            portValid = list.issues.count == before
        } else {
            list.error("\(path).port", "port is required")
        }
        if let bind = server.bind, !bind.isEmpty, !bind.hasPrefix("unix://"), !HostnameRules.isIPAddress(bind) {
            list.error("\(path).bind", "\(bind) is not a valid IP")
        }
        tls(server.tls, path: "\(path).tls", sidecar: false, &list)
        if portValid, let port = server.port {
            if ProtocolName.isTLS(port.protocol) && server.tls == nil {
                list.error("\(path).tls", "server must have TLS settings for HTTPS/TLS protocols")
            } else if !ProtocolName.isTLS(port.protocol), let tls = server.tls {
                if ProtocolName.isHTTP(port.protocol) {
                    let passthrough = ["PASSTHROUGH", "AUTO_PASSTHROUGH"].contains(tls.mode ?? "PASSTHROUGH")
                    if !passthrough || tls.caCertificates != nil || tls.privateKey != nil || tls.serverCertificate != nil {
                        list.error("\(path).tls", "server cannot have TLS settings for plain text HTTP ports")
                    }
                } else {
                    list.error("\(path).tls", "server cannot have TLS settings for non HTTPS/TLS ports")
                }
            }
        }
    }

    /// Server TLS settings (Gateway servers and Sidecar ingress listeners).
    static func tls(_ tls: ServerTLSSettings?, path: String, sidecar: Bool, _ list: inout IssueList) {
        guard let tls else { return }
        let mode = tls.mode ?? "PASSTHROUGH"
        let modes = ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"]
        guard modes.contains(mode) else {
            list.error("\(path).mode", "unsupported TLS mode \"\(mode)\", expected one of \(modes.joined(separator: ", "))")
            return
        }
        func set(_ value: String?) -> Bool { !(value ?? "").isEmpty }
        if mode == "ISTIO_MUTUAL" {
            if set(tls.serverCertificate) { list.error(path, "ISTIO_MUTUAL TLS cannot have associated server certificate") }
            if set(tls.privateKey) { list.error(path, "ISTIO_MUTUAL TLS cannot have associated private key") }
            if set(tls.caCertificates) { list.error(path, "ISTIO_MUTUAL TLS cannot have associated CA bundle") }
            if set(tls.credentialName) { list.error(path, "ISTIO_MUTUAL TLS cannot have associated credentialName") }
            return
        }
        if (mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH")
            && (set(tls.caCrl) || set(tls.serverCertificate) || set(tls.privateKey) || set(tls.caCertificates) || set(tls.credentialName)) {
            list.warning(path, "\(mode) mode does not use certificates, they will be ignored")
        }
        let credentials = set(tls.credentialName) || !(tls.credentialNames ?? []).isEmpty
        if ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].contains(mode) && credentials { return }
        if mode == "SIMPLE" {
            if !set(tls.serverCertificate) { list.error(path, "SIMPLE TLS requires a server certificate") }
            if !set(tls.privateKey) { list.error(path, "SIMPLE TLS requires a private key") }
        } else if mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL" {
            if !set(tls.serverCertificate) { list.error(path, "MUTUAL TLS requires a server certificate") }
            if !set(tls.privateKey) { list.error(path, "MUTUAL TLS requires a private key") }
            if !set(tls.caCertificates) { list.error(path, "MUTUAL TLS requires a client CA bundle") }
        }
        if set(tls.caCrl) && mode == "SIMPLE" { list.error(path, "CRL is not supported with SIMPLE TLS") }
    }
}
