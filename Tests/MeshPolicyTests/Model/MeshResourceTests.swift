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
