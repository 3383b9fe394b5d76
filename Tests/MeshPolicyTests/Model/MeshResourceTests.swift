import MeshCore
import MeshPolicy
import Testing

/// Reading, writing and rejecting documents.
@Suite struct MeshResourceTests {
    static let gateway = """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata:
          name: bookinfo-gateway
          namespace: bookinfo
          resourceVersion: "42"
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [bookinfo.example.com]
            tls: {mode: SIMPLE, credentialName: bookinfo-cert}
            futureField: {enabled: true}
          futureTopLevel: 1
        status: {conditions: []}
        """

    @Test func unknownFieldsSurviveARoundTripAndAreReported() throws {
        let value = try YAML.parse(Self.gateway)
        guard case .gateway(var resource)? = try MeshResource.decode(value) else {
            Issue.record("not a gateway")
            return
        }
        #expect(resource.value == value)
        #expect(resource.unknownFields == ["spec.servers[0].futureField", "spec.futureTopLevel"])
        #expect(resource.apiVersion == "networking.istio.io/v1beta1")
        resource.spec.servers?[0].hosts = ["reviews.example.com"]
        let edited = resource.value
        #expect(edited["spec"]?["servers"]?[0]?["hosts"] == ["reviews.example.com"])
        #expect(edited["spec"]?["servers"]?[0]?["futureField"] == ["enabled": true])
        #expect(edited["status"] == ["conditions": []])
        #expect(edited["metadata"]?["resourceVersion"] == "42")
    }

    @Test func routeActionsAndTrafficPoliciesAreTyped() throws {
        let service = try YAML.parse("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx"}
                fault: {delay: {fixedDelay: 1s, percentage: {value: 12.5}}, abort: {httpStatus: 503}}
                headers: {request: {set: {x-a: "1"}, remove: [x-b]}}
                route: [{destination: {host: reviews}, headers: {response: {add: {x-c: "2"}}}}]
              - redirect: {uri: /v2, redirectCode: 308}
              - directResponse: {status: 418, body: {string: teapot}}
            """)
        guard case .virtualService(let routes)? = try MeshResource.decode(service), let http = routes.spec.http else {
            Issue.record("not a virtual service")
            return
        }
        #expect(http[0].retries == HTTPRetry(attempts: 3, perTryTimeout: "2s", retryOn: "5xx"))
        #expect(http[0].fault?.delay?.percentage == Percent(value: 12.5))
        #expect(http[0].fault?.abort?.httpStatus == 503)
        #expect(http[0].headers?.request?.set == ["x-a": "1"])
        #expect(http[0].route?[0].headers?.response?.add == ["x-c": "2"])
        #expect(http[1].redirect == HTTPRedirect(uri: "/v2", redirectCode: 308))
        #expect(http[2].directResponse == HTTPDirectResponse(status: 418, body: HTTPBody(string: "teapot")))
        #expect(routes.unknownFields.isEmpty)

        let rule = try YAML.parse("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s}}}
                connectionPool: {tcp: {maxConnections: 10}, http: {h2UpgradePolicy: UPGRADE}}
                outlierDetection: {consecutive5xxErrors: 2, interval: 5s}
                tls: {mode: ISTIO_MUTUAL, sni: reviews.local}
              subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {simple: RANDOM}}}]
            """)
        guard case .destinationRule(let destination)? = try MeshResource.decode(rule), let policy = destination.spec.trafficPolicy else {
            Issue.record("not a destination rule")
            return
        }
        #expect(policy.loadBalancer?.consistentHash?.httpCookie?.name == "user")
        #expect(policy.connectionPool?.tcp?.maxConnections == 10)
        #expect(policy.connectionPool?.http?.h2UpgradePolicy == "UPGRADE")
        #expect(policy.outlierDetection?.consecutive5xxErrors == 2)
        #expect(policy.tls?.sni == "reviews.local")
        #expect(destination.spec.subsets?[0].trafficPolicy?.loadBalancer == LoadBalancerSettings(simple: "RANDOM"))
        #expect(destination.value == rule, "a typed round trip loses nothing")
    }

    @Test(arguments: ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"])
    func everyServedNetworkingVersionReads(_ apiVersion: String) throws {
        let value: Value = ["apiVersion": .string(apiVersion), "kind": "VirtualService", "metadata": ["name": "r"], "spec": ["hosts": ["r"]]]
        #expect(try MeshResource.decode(value)?.kind == .virtualService)
    }

    @Test func anUnservedVersionIsAnError() throws {
        let value: Value = ["apiVersion": "security.istio.io/v1alpha1", "kind": "AuthorizationPolicy", "metadata": ["name": "p"]]
        #expect(throws: PolicyError.self) { try MeshResource.decode(value) }
    }

    @Test func otherKindsAreNotOurs() throws {
        #expect(try MeshResource.decode(["apiVersion": "apps/v1", "kind": "Deployment"]) == nil)
        #expect(try MeshResource.decode(["apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway"]) == nil)
    }

    @Test func aFieldOfTheWrongTypeNamesItsPath() throws {
        let value = try YAML.parse("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: p}
            spec: {rules: [{from: [{source: {principals: "not-a-list"}}]}]}
            """)
        do {
            _ = try MeshResource.decode(value)
            Issue.record("decoded")
        } catch {
            #expect(error.path == "spec.rules[0].from[0].source.principals")
        }
    }

    @Test func notAMappingIsAnError() {
        #expect(throws: PolicyError.self) { try MeshResource.decode(["a", "b"]) }
    }

    @Test func objectsBuiltInCodeUseThePreferredVersion() {
        let resource = Resource(kind: .authorizationPolicy, metadata: ObjectMeta(name: "p", namespace: "foo"), spec: AuthorizationPolicySpec(action: "DENY"))
        #expect(resource.value["apiVersion"] == "security.istio.io/v1")
        #expect(resource.value["spec"] == ["action": "DENY"])
    }
}
