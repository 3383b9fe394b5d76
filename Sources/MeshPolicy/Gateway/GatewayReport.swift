import MeshCore

/// What `gateway list` and `gateway describe` show of one Gateway: its servers, the VirtualServices bound to it
/// and their routes, the gateway pods its selector picks, and what is wrong.
public struct GatewayReport: Sendable {
    /// One server: port, hosts and TLS.
    public struct Server: Sendable, Hashable {
        public var port: Int?
        public var `protocol`: String?
        public var portName: String?
        public var hosts: [String]
        public var tlsMode: String?
        public var credentialName: String?

        /// `443/HTTPS`.
        public var portText: String { "\(port.map(String.init) ?? "?")/\(self.protocol ?? "?")" }
        /// `SIMPLE (shop-cert)`, `PASSTHROUGH`, or `-`.
        public var tlsText: String { tlsMode.map { mode in credentialName.map { "\(mode) (\($0))" } ?? mode } ?? "-" }
    }

    /// A VirtualService bound to the gateway, with its routes in words (`/api → api:8080`).
    public struct Binding: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var hosts: [String]
        public var routes: [String]
    }

    public var namespace: String
    public var name: String
    public var selector: [String: String]
    public var servers: [Server]
    public var bindings: [Binding]
    /// The pods the selector picks (any namespace); `nil` when pods are unknown.
    public var pods: [Workload]?
    /// Problems in words: no pods, a missing certificate secret, hosts nothing routes, bound hosts the gateway lacks.
    public var problems: [String]

    public init(_ gateway: Resource<GatewaySpec>, in snapshot: MeshSnapshot) {
        namespace = gateway.namespace ?? ""
        name = gateway.name
        selector = gateway.spec.selector ?? [:]
        servers = (gateway.spec.servers ?? []).map { server in
            Server(port: server.port?.number, protocol: server.port?.protocol, portName: server.port?.name, hosts: server.hosts ?? [],
                   tlsMode: server.tls?.mode, credentialName: server.tls?.credentialName)
        }
        let bound = snapshot.virtualServices.filter { vs in
            (vs.spec.gateways ?? []).contains { HostNames.qualified($0, in: vs.namespace ?? "") == (gateway.namespace ?? "", gateway.name) }
        }.sorted { ($0.namespace ?? "", $0.name) < ($1.namespace ?? "", $1.name) }
        bindings = bound.map { Binding(namespace: $0.namespace ?? "", name: $0.name, hosts: $0.spec.hosts ?? [], routes: Self.routes($0.spec)) }
        pods = selector.isEmpty ? nil : snapshot.pods(selectedBy: selector)?.sorted { ($0.namespace, $0.name ?? "") < ($1.namespace, $1.name ?? "") }

        var own = snapshot
        own.resources = [.gateway(gateway)]
        problems = (MeshAnalyzer.gatewayWorkloads(own) + MeshAnalyzer.gatewaySecrets(own)).map { "[\($0.code)] \($0.message)" }
        for vs in bound {
            for host in vs.spec.hosts ?? [] where !gateway.serves(host, forNamespace: vs.namespace ?? "") {
                problems.append("VirtualService \(vs.namespace ?? "")/\(vs.name) binds host \(host), which no server of the gateway has")
            }
        }
        for server in gateway.spec.servers ?? [] {
            for entry in server.hosts ?? [] {
                let host = HostNames.gatewayHost(entry, gatewayNamespace: namespace).host
                if !bound.contains(where: { vs in (vs.spec.hosts ?? []).contains { HostNames.overlap($0, host) } }) {
                    problems.append("host \(host) is bound by no VirtualService: requests for it find no route (404)")
                }
            }
        }
    }

    /// Routes in words: `/api → api:8080`, `sni db.example.com → db:5432`, `tcp → db:5432`.
    static func routes(_ spec: VirtualServiceSpec) -> [String] {
        func targets(_ routes: [RouteDestination]?) -> String {
            (routes ?? []).map { route in
                guard let d = route.destination else { return "?" }
                var text = (d.host ?? "?") + (d.port?.number.map { ":\($0)" } ?? "")
                if let subset = d.subset { text += " (\(subset))" }
                if let weight = route.weight, (routes ?? []).count > 1 { text += " \(weight)%" }
                return text
            }.joined(separator: ", ")
        }
        func condition(_ match: HTTPMatchRequest?) -> String {
            guard let uri = match?.uri else { return match == nil ? "*" : "(headers…)" }
            return uri.prefix ?? uri.exact.map { "=\($0)" } ?? uri.regex.map { "~\($0)" } ?? "*"
        }
        var lines: [String] = []
        for route in spec.http ?? [] {
            let matches = (route.match ?? []).map(condition)
            let target = route.redirect != nil ? "redirect" : route.directResponse != nil ? "direct response" : targets(route.route)
            lines.append("\(matches.isEmpty ? "*" : matches.joined(separator: " | ")) → \(target)")
        }
        for route in spec.tls ?? [] {
            let sni = (route.match ?? []).flatMap { $0.sniHosts ?? [] }
            lines.append("sni \(sni.joined(separator: ",")) → \(targets(route.route))")
        }
        for route in spec.tcp ?? [] { lines.append("tcp → \(targets(route.route))") }
        return lines
    }

    /// The report as a document (for `-o json|yaml`).
    public var value: Value {
        var object: Value.Object = ["namespace": .string(namespace), "name": .string(name)]
        object["selector"] = .object(Value.Object(selector.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
        object["servers"] = .array(servers.map { server in
            var item: Value.Object = ["port": server.port.map(Value.int) ?? .null, "protocol": server.protocol.map(Value.string) ?? .null]
            item["hosts"] = .array(server.hosts.map(Value.string))
            item["tls"] = server.tlsMode.map { mode in ["mode": .string(mode), "credentialName": server.credentialName.map(Value.string) ?? .null] } ?? .null
            return .object(item)
        })
        object["virtualServices"] = .array(bindings.map { binding in
            ["namespace": .string(binding.namespace), "name": .string(binding.name), "hosts": .array(binding.hosts.map(Value.string)),
             "routes": .array(binding.routes.map(Value.string))]
        })
        object["pods"] = pods.map { .array($0.map { .string("\($0.namespace)/\($0.name ?? "")") }) } ?? .null
        object["problems"] = .array(problems.map(Value.string))
        return .object(object)
    }
}
