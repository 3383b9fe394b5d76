import MeshCore
import MeshPolicy
import Testing
@testable import MeshProxy

@Suite("ConfigLoader")
struct ConfigLoaderTests {
    let shorthand = ProxyShorthand(listen: HostPort(host: "127.0.0.1", port: 8080), upstream: HostPort(host: "127.0.0.1", port: 9080))

    @Test("a bootstrap with a ServiceEntry, subsets and routes becomes listeners, clusters and routes")
    func bootstrap() throws {
        let documents = try YAML.parseDocuments("""
            kind: ProxyBootstrap
            metadata: {name: sidecar}
            spec:
              role: sidecar
              admin: 127.0.0.1:15000
              listeners:
              - {name: outbound, address: 127.0.0.1:15001, protocol: http}
              - {name: db, address: 127.0.0.1:9042, protocol: tcp, upstream: 10.0.0.5:9042}
            ---
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              ports: [{number: 9080, name: http}]
              endpoints: [{address: 127.0.0.1, labels: {version: v1}}, {address: 127.0.0.2, labels: {version: v2}}]
            ---
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}
              subsets: [{name: v2, labels: {version: v2}, trafficPolicy: {connectionPool: {tcp: {maxConnections: 3}}}}]
            ---
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http: [{route: [{destination: {host: reviews, subset: v2}}], timeout: 1.5s, retries: {attempts: 2, retryOn: "gateway-error,503"}}]
            """)
        let config = try ConfigLoader.load(documents: documents)
        #expect(config.listeners.map(\.name) == ["outbound", "db"])
        #expect(config.security.jwksFetch == JWKSFetchConfig(), "Envoy's defaults: refresh every 10 min, system roots")
        #expect(config.security.jwksFetch.refreshInterval == .seconds(600))
        #expect(config.admin == HostPort(host: "127.0.0.1", port: 15000))
        let v2 = try #require(config.clusters["reviews.default.svc.cluster.local|v2"])
        #expect(v2.endpoints.map(\.address.host) == ["127.0.0.2"])
        #expect(v2.loadBalancer == .leastRequest)
        #expect(v2.connectionPool.maxConnections == 3)
        let rule = try #require(config.routes.virtualHost(for: "reviews:9080")?.routes.first)
        #expect(rule.timeout == .milliseconds(1500))
        #expect(rule.retries.attempts == 2)
        #expect(rule.retries.retryOn.contains(.gatewayError))
        #expect(rule.retries.retriableStatusCodes == [503])
    }

    @Test(
        "invalid resources fail with exit 65, naming the resource and field",
        arguments: [
            ("kind: VirtualService\nmetadata: {name: vs}\nspec: {hosts: ['*'], http: [{timeout: soon, route: [{destination: {host: upstream}}]}]}",
             "VirtualService vs: spec.http[0].timeout"),
            ("kind: VirtualService\nmetadata: {name: vs}\nspec: {hosts: ['*'], http: [{route: [{destination: {host: upstream, subset: nope}}]}]}",
             "VirtualService vs: spec.http[0].route[0].destination.subset"),
            ("kind: DestinationRule\nmetadata: {name: dr}\nspec: {host: upstream, trafficPolicy: {outlierDetection: {maxEjectionPercent: 300}}}",
             "DestinationRule dr: spec.trafficPolicy.outlierDetection.maxEjectionPercent"),
            ("kind: VirtualService\nmetadata: {name: vs}\nspec: {hosts: ['*'], http: [{retries: {attempts: 1, retryOn: sometimes}, route: [{destination: {host: upstream}}]}]}",
             "VirtualService vs: spec.http[0].retries.retryOn"),
            ("kind: VirtualService\nmetadata: {name: vs}\nspec: {hosts: ['*'], http: [{retries: {attempts: many}, route: [{destination: {host: upstream}}]}]}",
             "VirtualService vs: spec.http[0].retries.attempts: expected an integer"),
            ("kind: DestinationRule\nmetadata: {name: dr}\nspec: {host: upstream, trafficPolicy: {connectionPool: {tcp: {maxConnections: [3]}}}}",
             "DestinationRule dr: spec.trafficPolicy.connectionPool.tcp.maxConnections: expected an integer"),
            ("kind: DestinationRule\nmetadata: {name: dr}\nspec: {host: upstream, subsets: [{labels: {version: v2}}]}",
             "DestinationRule dr: spec.subsets[0].name: required"),
            ("kind: ServiceEntry\nmetadata: {name: se}\nspec: {hosts: [a.test], ports: [{number: 80, name: http}], endpoints: [{address: 127.0.0.1, ports: {http: eighty}}]}",
             "ServiceEntry se: spec.endpoints[0].ports.http: expected an integer"),
            ("kind: ServiceEntry\nmetadata: {name: se}\nspec: {hosts: [a.test], endpoints: [{address: 127.0.0.1}]}",
             "ServiceEntry se: spec.endpoints[0].ports: no port"),
            ("kind: Deployment\nmetadata: {name: d}", "Deployment d: unsupported kind"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {limits: {maxHeaderBytes: 1000000}}",
             "ProxyBootstrap b: spec.limits.maxHeaderBytes"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {limits: {maxHeaderCount: 0}}",
             "ProxyBootstrap b: spec.limits.maxHeaderCount"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {limits: {maxRequestBodyBytes: -1}}",
             "ProxyBootstrap b: spec.limits.maxRequestBodyBytes"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {limits: {idleTimeout: forever}}",
             "ProxyBootstrap b: spec.limits.idleTimeout"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {jwksFetch: {refreshInterval: 10m, maxStaleness: 5m}}",
             "ProxyBootstrap b: spec.jwksFetch.maxStaleness"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {jwksFetch: {retryBase: 0s}}", "ProxyBootstrap b: spec.jwksFetch.retryBase"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {defaultConfig: {gatewayTopology: {numTrustedProxies: -1}}}}",
             "ProxyBootstrap b: spec.meshConfig.defaultConfig.gatewayTopology.numTrustedProxies"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {defaultConfig: {gatewayTopology: {numTrustedProxies: two}}}}",
             "ProxyBootstrap b: spec.meshConfig.defaultConfig.gatewayTopology.numTrustedProxies"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {port: 80}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.service: required"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzGrpc: {service: authz}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzGrpc.port: required"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 70000}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.port"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 80, timeout: soon}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.timeout: not a duration"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 80, statusOnError: \"9\"}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.statusOnError"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 80, pathPrefix: check}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.pathPrefix: must begin with /"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 80, headersToUpstreamOnAllow: ['*']}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.headersToUpstreamOnAllow"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: authz, port: 80, includeRequestBodyInCheck: {}}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.includeRequestBodyInCheck.maxRequestBytes"),
            ("kind: ProxyBootstrap\nmetadata: {name: b}\nspec: {meshConfig: {extensionProviders: [{name: x, envoyExtAuthzHttp: {service: a, port: 1}}, {name: x, envoyExtAuthzGrpc: {service: a, port: 1}}]}}",
             "ProxyBootstrap b: spec.meshConfig.extensionProviders[1].name: extension provider names must be unique"),
            ("kind: AuthorizationPolicy\nmetadata: {name: ap}\nspec: {action: MAYBE}", "AuthorizationPolicy ap: spec.action"),
            ("kind: PeerAuthentication\nmetadata: {name: pa}\nspec: {mtls: {mode: SOMETIMES}}", "PeerAuthentication pa: spec.mtls.mode"),
            ("kind: PeerAuthentication\nmetadata: {name: pa, namespace: istio-system}\nspec: {mtls: {mode: STRICT}}",
             "listener main: STRICT mTLS (from PeerAuthentication istio-system/pa) needs the workload identity"),
        ])
    func invalid(_ yaml: String, _ expected: String) throws {
        let documents = try YAML.parseDocuments(yaml)
        do {
            _ = try ConfigLoader.load(documents: documents, shorthand: shorthand)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix(expected), "\(error.message)")
            #expect(error.exitCode == .dataError)
        }
    }

    @Test("spec.jwksFetch sets the JWKS refresh, staleness bound, retry backoff and CA file")
    func jwksFetch() throws {
        let documents = try YAML.parseDocuments("""
            kind: ProxyBootstrap
            metadata: {name: sidecar}
            spec:
              jwksFetch: {refreshInterval: 5m, maxStaleness: 2h, retryBase: 500ms, retryMax: 30s, ca: /etc/mesh/idp-ca.pem}
              listeners: [{name: inbound, address: 127.0.0.1:15006, protocol: http, upstream: 127.0.0.1:8080}]
            """)
        let fetch = try ConfigLoader.load(documents: documents).security.jwksFetch
        #expect(fetch.refreshInterval == .seconds(300))
        #expect(fetch.maxStaleness == .seconds(7200))
        #expect(fetch.retryBase == .milliseconds(500))
        #expect(fetch.retryMax == .seconds(30))
        #expect(fetch.caFile == "/etc/mesh/idp-ca.pem")
    }

    @Test("spec.meshConfig.defaultConfig.gatewayTopology.numTrustedProxies sets the gateway's trusted hops")
    func gatewayTopology() throws {
        let documents = try YAML.parseDocuments("""
            kind: ProxyBootstrap
            metadata: {name: ingress}
            spec:
              role: gateway
              meshConfig: {defaultConfig: {gatewayTopology: {numTrustedProxies: 2}}}
              listeners: [{name: http, address: 127.0.0.1:8080, protocol: http, upstream: 127.0.0.1:9080}]
            """)
        #expect(try ConfigLoader.load(documents: documents).gateway.numTrustedProxies == 2)
    }

    @Test("PeerAuthentication and AuthorizationPolicy set the listener's mode and the compiled policies")
    func security() throws {
        let documents = try YAML.parseDocuments("""
            kind: ProxyBootstrap
            metadata: {name: sidecar}
            spec:
              workload: {namespace: shop, labels: {app: web}}
              identity: {certificate: c.pem, key: k.pem, ca: ca.pem}
              listeners:
              - {name: in, address: 127.0.0.1:15006, upstream: 127.0.0.1:8080, targetPort: 8080}
              - {name: out, address: 127.0.0.1:15001, direction: outbound}
            ---
            kind: PeerAuthentication
            metadata: {name: web, namespace: shop}
            spec: {selector: {matchLabels: {app: web}}, mtls: {mode: STRICT}, portLevelMtls: {"8080": {mode: DISABLE}}}
            ---
            kind: AuthorizationPolicy
            metadata: {name: deny-all, namespace: shop}
            spec: {action: DENY, rules: [{}]}
            """)
        let config = try ConfigLoader.load(documents: documents)
        #expect(config.listeners.map(\.direction) == [.inbound, .outbound])
        #expect(config.security.workload.labels == ["app": "web"])
        #expect(config.security.mtlsMode(port: 8080).mode == .disable)
        #expect(config.security.mtlsMode(port: 9090).mode == .strict)
        #expect(config.security.authorizationPolicies.map(\.reference.description) == ["shop/deny-all"])
    }

    @Test("without a bootstrap or shorthand there is nothing to run")
    func nothing() {
        #expect(throws: ProxyError.self) { try ConfigLoader.load(documents: []) }
    }
}
