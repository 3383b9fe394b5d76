import MeshCore
import MeshPolicy
import Testing
@testable import MeshProxy

@Suite("ExtensionProviderParser")
struct ExtensionProviderParserTests {
    static func load(_ providers: String, extra: String = "") throws -> SecurityConfig {
        let documents = try YAML.parseDocuments("""
            kind: ProxyBootstrap
            metadata: {name: sidecar}
            spec:
              workload: {namespace: shop}
              meshConfig:
                extensionProviders:
            \(providers)
              listeners: [{name: inbound, address: 127.0.0.1:15006, protocol: http, upstream: 127.0.0.1:8080}]
            \(extra)
            """)
        return try ConfigLoader.load(documents: documents).security
    }

    @Test("envoyExtAuthzHttp and envoyExtAuthzGrpc entries are read with Istio's defaults; other provider kinds are skipped")
    func providers() throws {
        let security = try Self.load("""
                - name: http
                  envoyExtAuthzHttp:
                    service: authz.example.com
                    port: 8000
                    timeout: 250ms
                    pathPrefix: /check
                    failOpen: true
                    statusOnError: "503"
                    includeRequestHeadersInCheck: [X-Ext-Authz, "x-b3-*"]
                    includeAdditionalHeadersInCheck: {x-b: "2", x-a: "1"}
                    headersToUpstreamOnAllow: ["*-user"]
                    includeRequestBodyInCheck: {maxRequestBytes: 1024, allowPartialMessage: true}
                - name: grpc
                  envoyExtAuthzGrpc: {service: 10.0.0.7, port: 9000}
                - name: zipkin
                  zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
            """)
        #expect(security.extensionProviders.keys.sorted() == ["grpc", "http"])
        let http = try #require(security.extensionProviders["http"])
        #expect(http.api == .http)
        #expect(http.timeout == .milliseconds(250))
        #expect(http.pathPrefix == "/check")
        #expect(http.failOpen)
        #expect(http.statusOnError == 503)
        #expect(http.includeRequestHeaders == [.exact("x-ext-authz"), .prefix("x-b3-")], "header names are matched without case")
        #expect(http.additionalHeaders.map(\.0) == ["x-a", "x-b"])
        #expect(http.headersToUpstreamOnAllow == [.suffix("-user")])
        #expect(http.requestBody == ExtAuthzProvider.RequestBody(maxRequestBytes: 1024, allowPartialMessage: true))
        #expect(http.endpoints == [HostPort(host: "authz.example.com", port: 8000)], "no cluster of that name: service:port itself")
        let grpc = try #require(security.extensionProviders["grpc"])
        #expect(grpc.api == .grpc)
        #expect(grpc.timeout == .seconds(600))
        #expect(!grpc.failOpen)
        #expect(grpc.statusOnError == 403)
        #expect(grpc.endpoints == [HostPort(host: "10.0.0.7", port: 9000)])
    }

    @Test("a provider's service resolves to the endpoints of the ServiceEntry host it names, short or with a namespace")
    func serviceEntry() throws {
        let entry = """
            ---
            kind: ServiceEntry
            metadata: {name: authz, namespace: shop}
            spec:
              hosts: [authz.shop.svc.cluster.local]
              ports: [{number: 8000, name: http}]
              endpoints: [{address: 127.0.0.5}, {address: 127.0.0.6, ports: {http: 8001}}]
            """
        for service in ["authz.shop.svc.cluster.local", "authz", "shop/authz"] {
            let security = try Self.load("    - {name: a, envoyExtAuthzHttp: {service: \(service), port: 8000}}", extra: entry)
            #expect(
                security.extensionProviders["a"]?.endpoints == [HostPort(host: "127.0.0.5", port: 8000), HostPort(host: "127.0.0.6", port: 8001)],
                "\(service)")
        }
    }
}
