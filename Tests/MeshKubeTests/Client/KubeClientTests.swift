import Foundation
import MeshCore
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct KubeClientTests {
    @Test func statusBodiesBecomeKubectlLikeMessages() throws {
        let cluster = try TestCluster.start(arguments: ["--tokens", "t"])
        let client = try cluster.client(.token("t"))
        let missing = #expect(throws: KubeError.self) { try client.get(.secrets, name: "cacerts", namespace: "istio-system") }
        #expect(missing?.message == "secrets \"cacerts\" not found")
        #expect(missing?.isNotFound == true)
        #expect(missing?.reason == "NotFound")
        #expect(missing?.exitCode == .failure)

        let forbidden = #expect(throws: KubeError.self) { try client.get(.pods, name: "forbidden") }
        #expect(forbidden?.message == "pods \"forbidden\" is forbidden: User \"t\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"")
        #expect(forbidden?.isForbidden == true)

        let plain = #expect(throws: KubeError.self) { try client.get(.pods, name: "plain404") }
        #expect(plain?.message == "the server could not find the requested resource (GET /api/v1/namespaces/default/pods/plain404): 404 page not found")
    }

    @Test func listsFollowContinueTokensAndSendSelectors() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous", "--pods", "7"])
        let client = try cluster.client()
        let all = try client.list(.pods, options: ListOptions(pageSize: 3))
        #expect(all.items.count == 7)
        #expect(all.pages == 3)
        #expect(all.items.map { $0["metadata"]?["name"]?.stringValue } == (0..<7).map { "pod-\($0)" })
        #expect(all.resourceVersion == "200")

        let web = try client.list(.pods, namespace: "mesh", options: ListOptions(labelSelector: "app=web", fieldSelector: "spec.nodeName=node-1"))
        #expect(web.items.count == 4)
        let last = try cluster.requests().last
        let query = last?["query"] as? [String: String]
        #expect(query?["labelSelector"] == "app=web")
        #expect(query?["fieldSelector"] == "spec.nodeName=node-1")
        #expect(query?["limit"] == "500")
        #expect(last?["path"] as? String == "/api/v1/namespaces/mesh/pods")
        #expect(client.connectionsOpened == 1)
    }

    @Test func createReplacePatchAndDeleteAnObject() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let client = try cluster.client()
        let secret: Value = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "cacerts", "namespace": "istio-system"],
                             "data": ["a": "Yg=="]]
        let created = try client.create(.secrets, secret)
        #expect(created["metadata"]?["resourceVersion"]?.stringValue == "1")
        #expect(try cluster.requests().last?["path"] as? String == "/api/v1/namespaces/istio-system/secrets")

        let again = #expect(throws: KubeError.self) { try client.create(.secrets, secret) }
        #expect(again?.isConflict == true)
        #expect(again?.message == "secrets \"cacerts\" already exists")

        var stale = secret
        stale["metadata"]?["resourceVersion"] = "0"
        let conflict = #expect(throws: KubeError.self) { try client.replace(.secrets, stale) }
        #expect(conflict?.isConflict == true)
        #expect(conflict?.message.contains("the object has been modified") == true)

        var current = created
        current["data"] = ["a": "Yw=="]
        #expect(try client.replace(.secrets, current)["metadata"]?["resourceVersion"]?.stringValue == "2")

        for type in PatchType.allCases {
            _ = try client.patch(.secrets, name: "cacerts", namespace: "istio-system", patch: ["metadata": ["labels": ["t": .string(type.rawValue)]]],
                                 type: type, fieldManager: "meshctl", force: type == .apply)
            let last = try #require(try cluster.requests().last)
            #expect((last["headers"] as? [String: String])?["Content-Type"] == type.rawValue)
            #expect((last["query"] as? [String: String])?["fieldManager"] == "meshctl")
            #expect((last["query"] as? [String: String])?["force"] == (type == .apply ? "true" : nil))
        }
        let applyWithoutManager = #expect(throws: KubeError.self) {
            try client.patch(.secrets, name: "cacerts", namespace: "istio-system", patch: [:], type: .apply)
        }
        #expect(applyWithoutManager?.message.contains("field manager") == true)

        try client.delete(.secrets, name: "cacerts", namespace: "istio-system", propagationPolicy: .foreground)
        let body = try JSON.parse(try #require(try cluster.requests().last?["body"] as? String))
        #expect(body["propagationPolicy"]?.stringValue == "Foreground")
        #expect(body["kind"]?.stringValue == "DeleteOptions")
        #expect(throws: KubeError.self) { try client.get(.secrets, name: "cacerts", namespace: "istio-system") }
    }

    @Test func subresourcesAndProxyUseTheirPaths() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let client = try cluster.client()
        _ = try client.create(.deployments, ["metadata": ["name": "web"], "spec": ["replicas": 1]])
        _ = try? client.scale(.deployments, name: "web", replicas: 3)
        var log = try cluster.requests()
        #expect(log.last?["path"] as? String == "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(log.last?["method"] as? String == "PATCH")
        _ = try? client.getSubresource(.pods, name: "p", subresource: "status", namespace: "ns")
        log = try cluster.requests()
        #expect(log.last?["path"] as? String == "/api/v1/namespaces/ns/pods/p/status")
        _ = try? client.proxy(name: "istiod-1", port: 15014, namespace: "istio-system", path: "/debug/syncz", query: [("a", "b c")])
        log = try cluster.requests()
        #expect(log.last?["path"] as? String == "/api/v1/namespaces/istio-system/pods/istiod-1:15014/proxy/debug/syncz")
        #expect((log.last?["query"] as? [String: String])?["a"] == "b c")
    }

    @Test func discoveryResolvesKindsAndShortNamesIncludingIstioOnce() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let client = try cluster.client()
        let cases: [(String, String, String, Bool)] = [
            ("po", "", "pods", true), ("Pod", "", "pods", true), ("pods", "", "pods", true), ("no", "", "nodes", false),
            ("vs", "networking.istio.io", "virtualservices", true), ("dr", "networking.istio.io", "destinationrules", true),
            ("ap", "security.istio.io", "authorizationpolicies", true),
            ("virtualservices.networking.istio.io", "networking.istio.io", "virtualservices", true),
            ("deploy.v1.apps", "apps", "deployments", true), ("deployment.apps", "apps", "deployments", true),
        ]
        for (text, group, name, namespaced) in cases {
            let resource = try client.resolveResource(text)
            #expect(resource.group == group && resource.name == name && resource.namespaced == namespaced, "\(text)")
        }
        #expect(try client.resolveResource("vs").version == "v1")  // the preferred version
        let requests = try cluster.requests().count
        #expect(requests == 6)  // /api, /apis and four group versions, once
        let unknown = #expect(throws: KubeError.self) { try client.resolveResource("frobs") }
        #expect(unknown?.message == "the server doesn't have a resource type \"frobs\"")
        #expect(try client.serverVersion().gitVersion == "v1.31.0-test")
    }

    @Test func aKubeconfigOnDiskDrivesTheClient() throws {
        let cluster = try TestCluster.start(clientCerts: true)
        let files = try KubeconfigFiles()
        for (name, url) in [("ca.crt", cluster.pki.caCert), ("alice.crt", cluster.pki.clientCert), ("alice.key", cluster.pki.clientKey)] {
            try FileManager.default.copyItem(at: url, to: files.directory.appendingPathComponent("pki/\(name)").creatingParent())
        }
        let file = try files.write("config", """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster: {server: "\(cluster.server.url)", certificate-authority: pki/ca.crt}
            users:
            - name: alice
              user: {client-certificate: pki/alice.crt, client-key: pki/alice.key}
            contexts:
            - name: test
              context: {cluster: test, user: alice, namespace: mesh}
            """)
        let client = try KubeClient(loader: KubeconfigLoader(explicitPath: file, environment: [:]))
        #expect(client.config.namespace == "mesh")
        #expect(try client.serverVersion().raw["user"]?.stringValue == "cert:alice")
    }
}

extension URL {
    func creatingParent() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
