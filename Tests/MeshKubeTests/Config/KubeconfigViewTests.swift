import Foundation
import MeshCore
import Testing

@testable import MeshKube

struct KubeconfigViewTests {
    static let text = """
        current-context: a
        clusters:
        - name: a
          cluster: {server: "https://a", certificate-authority-data: Q0E=}
        - name: b
          cluster: {server: "https://b"}
        users:
        - name: u
          user: {token: secret, client-key-data: S0VZ, client-certificate-data: Q0VSVA==}
        - name: v
          user: {username: x, password: pw}
        contexts:
        - name: a
          context: {cluster: a, user: u, namespace: ns}
        - name: b
          context: {cluster: b, user: v}
        """

    func config() throws -> Kubeconfig {
        try KubeconfigLoader.parse(Data(Self.text.utf8), file: "/tmp/config")
    }

    @Test func secretsAreRedactedUnlessRaw() throws {
        let view = try config().value()
        let user = view["users"]?[0]?["user"]
        #expect(user?["token"]?.stringValue == "REDACTED")
        #expect(user?["client-key-data"]?.stringValue == "DATA+OMITTED")
        #expect(view["users"]?[1]?["user"]?["password"]?.stringValue == "REDACTED")
        #expect(view["clusters"]?[0]?["cluster"]?["certificate-authority-data"]?.stringValue == "DATA+OMITTED")
        let raw = try config().value(raw: true)
        #expect(raw["users"]?[0]?["user"]?["token"]?.stringValue == "secret")
        #expect(raw["users"]?[0]?["user"]?["client-key-data"]?.stringValue == "S0VZ")
    }

    @Test func aViewReadsBackAsTheSameConfiguration() throws {
        let original = try config()
        let text = YAML.emit(original.value(raw: true))
        let reread = try KubeconfigLoader.parse(Data(text.utf8), file: "/tmp/config")
        #expect(reread == original)
    }

    @Test func minifyKeepsOnlyTheSelectedContext() throws {
        let minified = try config().minified()
        #expect(Array(minified.contexts.keys) == ["a"])
        #expect(Array(minified.clusters.keys) == ["a"])
        #expect(Array(minified.users.keys) == ["u"])
        #expect(try config().minified(context: "b").users.keys.first == "v")
        #expect(throws: KubeError.self) { try config().minified(context: "zzz") }
    }
}

struct KubeObjectTests {
    @Test func podFieldsAreReadTyped() throws {
        let pod = KubeObject(try JSON.parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","labels":{"app":"web"},
             "ownerReferences":[{"kind":"ReplicaSet","name":"web-abc"}]},
             "spec":{"nodeName":"n1","containers":[{"name":"app","image":"nginx:1"},{"name":"istio-proxy","image":"proxyv2:1.24"}]},
             "status":{"phase":"Running","podIP":"10.0.0.5","containerStatuses":[{"name":"istio-proxy","ready":true,"restartCount":2}]}}
            """))
        #expect(pod.name == "web-1" && pod.namespace == "shop" && pod.labels == ["app": "web"])
        #expect(pod.owners.first?.kind == "ReplicaSet")
        #expect(pod.nodeName == "n1" && pod.phase == "Running" && pod.podIP == "10.0.0.5")
        #expect(pod.containers.map(\.name) == ["app", "istio-proxy"])
        #expect(pod.containers[1].ready == true && pod.containers[1].restartCount == 2)
        #expect(pod.containers[0].ready == nil)
    }

    @Test func secretDataIsDecoded() throws {
        let secret = KubeObject(["data": ["ca-cert.pem": "UEVN", "bad": "%%%"], "stringData": ["x": "y"]])
        #expect(secret.secretData == ["ca-cert.pem": Data("PEM".utf8), "x": Data("y".utf8)])
    }
}
