import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOCore
import NIOPosix
import Testing

/// PeerAuthentication and AuthorizationPolicy on the inbound listener, over real mTLS on 127.0.0.1: curl with
/// client certificates and a client-side proxy originating mTLS with a SPIFFE identity.
@Suite("Peer authentication and authorization end to end", .serialized)
struct PeerAuthenticationTests {
    /// The backend's sidecar: identity `backend`, workload `default/backend`, one inbound listener (HTTP to the
    /// first upstream, or TCP to `tcpUpstream`), with `limits` if given, plus the given Istio resources.
    static func inboundYAML(
        _ pki: some WorkloadIdentities, resources: String, tcpUpstream: Int? = nil, targetPort: Int? = nil,
        workload: String = "{namespace: default, labels: {app: backend}}", limits: String? = nil
    ) -> String {
        let listener = tcpUpstream.map { "{name: main, address: 127.0.0.1:0, protocol: tcp, upstream: 127.0.0.1:\($0)\(targetPort.map { ", targetPort: \($0)" } ?? "")}" }
            ?? "{name: main, address: 127.0.0.1:0, protocol: http, upstream: 127.0.0.1:UPSTREAM_0}"
        return """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: backend-sidecar}
            spec:
              workload: \(workload)
              identity: \(pki.identity("backend").yaml)\(limits.map { "\n  limits: \($0)" } ?? "")
              listeners:
              - \(listener)
            ---
            \(resources)
            """
    }

    /// The frontend's sidecar: identity `identity`, `workload` as given, an outbound listener `main` routing every
    /// host to the `backend` ServiceEntry (or, `tcp`, splicing to it), whose one endpoint is `backendPort` with
    /// `labels` and `serviceAccount`.
    static func outboundYAML(
        _ pki: some WorkloadIdentities, identity: String = "frontend", workload: String, backendPort: Int, labels: String,
        serviceAccount: String, tcp: Bool = false
    ) -> String {
        let listener = tcp ? "protocol: tcp, cluster: backend.default.svc.cluster.local" : "protocol: http"
        let port = tcp ? "{number: 9042, name: cql, protocol: TCP}" : "{number: 80, name: http, protocol: HTTP}"
        return """
        apiVersion: meshctl.dev/v1alpha1
        kind: ProxyBootstrap
        metadata: {name: frontend-sidecar}
        spec:
          workload: \(workload)
          identity: \(pki.identity(identity).yaml)
          listeners:
          - {name: main, address: 127.0.0.1:0, \(listener), direction: outbound}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: backend, namespace: default}
        spec:
          hosts: [backend.default.svc.cluster.local]
          ports: [\(port)]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {\(tcp ? "cql" : "http"): \(backendPort)}, labels: \(labels), serviceAccount: \(serviceAccount)}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: backend, namespace: default}
        spec:
          hosts: ["*"]
          http: [{route: [{destination: {host: backend}}]}]

        """
    }

    /// An ALLOW policy admitting only the `frontend` identity.
    static let frontendOnly = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: frontend-only, namespace: default}
        spec:
          rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/frontend]}}]}]
        """

    static func peerAuthentication(_ mode: String, namespace: String = "istio-system") -> String {
        """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: \(namespace)}
        spec: {mtls: {mode: \(mode)}}
        """
    }

    /// curl to the inbound proxy: plain text, or TLS with the named client identity (`nil`: no client cert).
    static func curl(_ pki: SpiffePKI, port: Int, path: String = "/", tls: Bool, client: String? = nil) throws -> (code: String, body: String) {
        var args = ["-s", "-m", "5", "-w", "\n%{http_code}"]
        if tls {
            args += ["--cacert", pki.file("ca.crt"), "--resolve", "backend.local:\(port):127.0.0.1"]
            if let client { args += ["--cert", pki.file("\(client).crt"), "--key", pki.file("\(client).key")] }
            args.append("https://backend.local:\(port)\(path)")
        } else {
            args.append("http://127.0.0.1:\(port)\(path)")
        }
        let output = try Subprocess.curl(args).standardOutput
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test("STRICT refuses plain text and clients without a certificate, and serves mutual TLS")
    func strict() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let proxy = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("STRICT")), upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try Self.curl(pki, port: proxy.port, tls: false).code == "000")
        #expect(try Self.curl(pki, port: proxy.port, tls: true).code == "000")
        let mutual = try Self.curl(pki, port: proxy.port, path: "/echo", tls: true, client: "frontend")
        #expect(mutual.code == "200")
        #expect(upstreams[0].requests == 1)
    }

    @Test("PERMISSIVE accepts plain text and mutual TLS on the same port; DISABLE serves plain text only")
    func permissiveAndDisable() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let permissive = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("PERMISSIVE", namespace: "default")),
            upstreams: upstreams.servers, shorthand: false)
        #expect(try Self.curl(pki, port: permissive.port, tls: false).code == "200")
        #expect(try Self.curl(pki, port: permissive.port, tls: true, client: "frontend").code == "200")
        await permissive.stop()
        let disabled = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("DISABLE")), upstreams: upstreams.servers, shorthand: false)
        #expect(try Self.curl(pki, port: disabled.port, tls: false).code == "200")
        #expect(try Self.curl(pki, port: disabled.port, tls: true, client: "frontend").code == "000")
        await disabled.stop()
        await upstreams.stop()
    }

    @Test("an ALLOW policy on a principal lets one SPIFFE identity through and denies another with 403")
    func allowByPrincipal() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend", "intruder"])
        let upstreams = try await Upstreams.start(["backend"])
        let policy = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: frontend-only, namespace: default}
            spec:
              selector: {matchLabels: {app: backend}}
              action: ALLOW
              rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/frontend]}}]}]
            """
        let proxy = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("STRICT") + "\n---\n" + policy),
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try Self.curl(pki, port: proxy.port, tls: true, client: "frontend").code == "200")
        let denied = try Self.curl(pki, port: proxy.port, tls: true, client: "intruder")
        #expect(denied.code == "403")
        #expect(denied.body == "RBAC: access denied")

        // A client sidecar originating mTLS with the frontend identity (ISTIO_MUTUAL's settings, spelled out).
        let client = try await ProxyHarness.start(upstreams: upstreams.servers, admin: false) { config in
            config.listeners[0].direction = .outbound
            config.clusters["upstream"]!.endpoints = [EndpointConfig(address: HostPort(host: "127.0.0.1", port: proxy.port))]
            config.clusters["upstream"]!.tls = UpstreamTLSConfig(
                caFile: pki.file("ca.crt"), certificateFile: pki.file("frontend.crt"), keyFile: pki.file("frontend.key"),
                sni: "backend.local", subjectAltNames: ["spiffe://cluster.local/ns/default/sa/backend"])
        }
        let viaSidecar = try await client.get("/echo")
        await client.stop()
        #expect(viaSidecar.status == 200)
        #expect(upstreams[0].requests == 2)
        let stats = try await proxy.admin("/stats")
        #expect(stats.body.contains("http.meshctl.rbac.allowed: 2"))
        #expect(stats.body.contains("http.meshctl.rbac.denied: 1"))
    }

    @Test("a DENY on a path wins over an ALLOW; source.namespace comes from the peer identity")
    func denyWinsOverAllow() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let policies = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: same-namespace, namespace: default}
            spec:
              rules: [{from: [{source: {namespaces: [default]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-admin, namespace: istio-system}
            spec:
              action: DENY
              rules: [{to: [{operation: {paths: [/admin/*], methods: [GET, POST]}}]}]
            """
        let proxy = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("PERMISSIVE") + "\n---\n" + policies),
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try Self.curl(pki, port: proxy.port, path: "/ok", tls: true, client: "frontend").code == "200")
        let admin = try Self.curl(pki, port: proxy.port, path: "/admin/users", tls: true, client: "frontend")
        #expect(admin.code == "403")
        #expect(admin.body == "RBAC: access denied")
        // Plain text carries no identity, so no namespace: the ALLOW policy does not match.
        #expect(try Self.curl(pki, port: proxy.port, path: "/ok", tls: false).code == "403")
        #expect(upstreams[0].requests == 1)
    }

    @Test("CUSTOM policies answer 403 and say the provider is not supported")
    func custom() async throws {
        let pki = try SpiffePKI.make(clients: [])
        let upstreams = try await Upstreams.start(["backend"])
        let policy = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext, namespace: default}
            spec:
              action: CUSTOM
              provider: {name: opa}
              rules: [{to: [{operation: {paths: [/ext]}}]}]
            """
        let proxy = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("PERMISSIVE") + "\n---\n" + policy),
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let refused = try await proxy.get("/ext")
        #expect(refused.status == 403)
        #expect(refused.body.contains("CUSTOM policy default/ext"))
        #expect(refused.body.contains("not support"))
        #expect(try await proxy.get("/other").status == 200)
    }

    @Test("TCP: a DENY on the port closes the connection; an ALLOW on a principal admits only that mTLS peer")
    func tcp() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend", "intruder"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        let echoPort = echo.localAddress!.port!
        let deny = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-cassandra, namespace: default}
            spec:
              action: DENY
              rules: [{to: [{operation: {ports: ["9042"]}}]}]
            """
        let denied = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("DISABLE") + "\n---\n" + deny, tcpUpstream: echoPort, targetPort: 9042),
            upstreams: [], shorthand: false)
        /// What a TCP client gets back: the echo, or "" when the proxy closed the connection (a write or the
        /// half-close may then fail).
        func exchange(_ port: Int) async -> String {
            (try? await EchoServer.halfCloseClient(port: port, send: "hello", group: group)) ?? ""
        }
        let refused = await exchange(denied.port)
        #expect(refused == "")
        #expect(try await denied.admin("/stats").body.contains("http.meshctl.rbac.denied: 1"))
        await denied.stop()

        let inbound = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("STRICT") + "\n---\n" + Self.frontendOnly, tcpUpstream: echoPort),
            upstreams: [], shorthand: false)
        func clientSidecar(_ identity: String) throws -> ProxyServer {
            var config = ProxyConfig()
            config.clusters["backend"] = ClusterConfig(
                name: "backend", endpoints: [EndpointConfig(address: HostPort(host: "127.0.0.1", port: inbound.port))],
                tls: UpstreamTLSConfig(
                    caFile: pki.file("ca.crt"), certificateFile: pki.file("\(identity).crt"), keyFile: pki.file("\(identity).key"),
                    sni: "backend.local", subjectAltNames: ["spiffe://cluster.local/ns/default/sa/backend"]))
            config.listeners = [ListenerConfig(
                name: "tcp", address: HostPort(host: "127.0.0.1", port: 0), protocol: .tcp, defaultCluster: "backend", direction: .outbound)]
            return try ProxyServer(config: config)
        }
        let good = try clientSidecar("frontend")
        try await good.start()
        let reply = await exchange(good.ports["tcp"]!)
        await good.shutdown(drainTimeout: .milliseconds(100))
        // The client's FIN crosses the mTLS hop as close_notify and reaches the echo as a FIN; its "|bye" after
        // that comes back over the half-open connection.
        #expect(reply == "hello|bye")
        let bad = try clientSidecar("intruder")
        try await bad.start()
        let badReply = await exchange(bad.ports["tcp"]!)
        await bad.shutdown(drainTimeout: .milliseconds(100))
        #expect(badReply == "")
        // Plain text to a STRICT TCP listener is refused (at most a TLS alert comes back, never the echo).
        #expect(!(await exchange(inbound.port)).contains("hello"))
        #expect(try await inbound.admin("/stats").body.contains("http.meshctl.rbac.denied: 1"))
        await inbound.stop()
        try? await echo.close().get()
        try? await group.shutdownGracefully()
    }

    @Test(
        "auto mTLS: a meshed endpoint gets the workload identity and must prove its service account; unmeshed or DISABLE stay plain",
        arguments: ["meshed", "unmeshed", "disabled by DestinationRule", "another service account"])
    func autoMTLS(_ variant: String) async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let inbound = try await ProxyHarness.start(
            yaml: Self.inboundYAML(pki, resources: Self.peerAuthentication("STRICT") + "\n---\n" + Self.frontendOnly),
            upstreams: upstreams.servers, shorthand: false)
        let labels = variant == "unmeshed" ? "{}" : "{security.istio.io/tlsMode: istio}"
        let destinationRule = variant == "disabled by DestinationRule"
            ? "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: backend, namespace: default}\nspec: {host: backend, trafficPolicy: {tls: {mode: DISABLE}}}\n"
            : ""
        let outbound = try await ProxyHarness.start(
            yaml: Self.outboundYAML(
                pki, workload: "{namespace: default, labels: {app: frontend}}", backendPort: inbound.port, labels: labels,
                serviceAccount: variant == "another service account" ? "payments" : "backend") + destinationRule,
            upstreams: upstreams.servers, shorthand: false, admin: false)
        defer { Task { await outbound.stop(); await inbound.stop(); await upstreams.stop() } }
        let status = try await outbound.get("/").status
        if variant == "meshed" {
            #expect(status == 200, "auto mTLS should have carried the frontend identity")
            #expect(upstreams[0].requests == 1)
        } else {
            #expect(status == 503, "plain text is refused by the STRICT backend; a peer with another identity by us")
            #expect(upstreams[0].requests == 0)
        }
    }

    @Test("dry-run policies are not enforced; their shadow verdicts are counted (Istio's shadow RBAC stats)")
    func dryRunShadow() async throws {
        let upstreams = try await Upstreams.start(["backend"])
        let policies = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: would-deny-admin, namespace: default, annotations: {istio.io/dry-run: "true"}}
            spec:
              action: DENY
              rules: [{to: [{operation: {paths: [/admin/*]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: would-allow-get, namespace: default, annotations: {istio.io/dry-run: "true"}}
            spec:
              rules: [{to: [{operation: {methods: [GET]}}]}]
            """
        let proxy = try await ProxyHarness.start(yaml: policies, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try await proxy.get("/admin/users").status == 200, "a dry-run DENY must not deny")
        #expect(try await proxy.get("/data", method: .POST, body: "x").status == 200, "a dry-run ALLOW must not deny others")
        #expect(try await proxy.get("/data").status == 200)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.rbac.istio_dry_run_deny_shadow_denied: 1"), "\(stats)")
        #expect(stats.contains("http.meshctl.rbac.istio_dry_run_deny_shadow_allowed: 2"))
        #expect(stats.contains("http.meshctl.rbac.istio_dry_run_allow_shadow_allowed: 2"))
        #expect(stats.contains("http.meshctl.rbac.istio_dry_run_allow_shadow_denied: 1"))
        #expect(stats.contains("http.meshctl.rbac.denied: 0"))
    }
}
