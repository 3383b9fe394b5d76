import Foundation
import MeshCore
import MeshKube
import Testing

/// Bad requests get Kubernetes `Status` answers with the right codes; nothing half-written.
@Suite(.serialized) struct APIServerErrorTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster()
        client = try cluster.client()
    }

    func status(_ body: () throws -> Void) -> (Int?, String?) {
        do { try body(); return (200, nil) } catch let error as KubeError { return (error.httpStatus, error.reason) } catch { return (nil, "\(error)") }
    }

    @Test func unauthenticatedRequestsGet401ButHealthAnswers() throws {
        let anonymous = try cluster.client(authenticated: false)
        #expect(status { _ = try anonymous.list(.pods) }.0 == 401)
        #expect(try anonymous.send("GET", path: "/readyz", accept: "text/plain").status == 200)
    }

    @Test func serviceAccountTokensAuthenticate() throws {
        _ = try client.create(.secrets, ["apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                                         "metadata": ["name": "bot-token", "annotations": ["kubernetes.io/service-account.name": "bot"]],
                                         "data": ["token": .string(Data("s3cret".utf8).base64EncodedString())]], namespace: "default")
        let files = cluster.directory.appendingPathComponent("ca.crt").path
        let bot = try KubeClient(config: ClientConfig(server: cluster.endpoint, tls: TLSSettings(caData: FileManager.default.contents(atPath: files)),
                                                      credentials: .token("s3cret")))
        #expect(try bot.list(.namespaces).items.count >= 4)
        let wrong = try KubeClient(config: ClientConfig(server: cluster.endpoint, tls: TLSSettings(caData: FileManager.default.contents(atPath: files)),
                                                        credentials: .token("nope")))
        #expect(status { _ = try wrong.list(.namespaces) }.0 == 401)
    }

    @Test(arguments: [
        ("application/json", "{\"apiVersion\": \"v1\", \"kind\": ", 400),
        ("application/yaml", "kind: [unclosed", 400),
        ("application/json", "[1, 2]", 400),
        ("application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}", 400),
        ("application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}", 422),
        ("application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}", 422),
        ("application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}", 400),
        ("application/vnd.kubernetes.protobuf", "k8s\u{0}\u{0A}\u{FF}", 400),
        ("text/csv", "a,b", 415),
    ])
    func malformedBodies(_ contentType: String, _ body: String, _ expected: Int) throws {
        let before = try client.list(.configMaps, namespace: "default").items.count
        let code = status {
            _ = try client.send("POST", path: APIResource.configMaps.path(namespace: "default"), body: Data(body.utf8), contentType: contentType)
        }.0
        #expect(code == expected)
        #expect(try client.list(.configMaps, namespace: "default").items.count == before)
    }

    @Test func oversizedBodiesAreRefusedWith413() throws {
        let big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + String(repeating: "x", count: 4 * 1024 * 1024) + "\"}}"
        #expect(status { _ = try client.send("POST", path: APIResource.configMaps.path(namespace: "default"), body: Data(big.utf8), contentType: "application/json") }.0 == 413)
        #expect(status { _ = try client.get(.configMaps, name: "big", namespace: "default") }.0 == 404)
    }

    @Test func unknownPathsMethodsAndObjects() throws {
        #expect(status { _ = try client.send("GET", path: "/api/v1/nothings") } == (404, "NotFound"))
        #expect(status { _ = try client.get(.configMaps, name: "missing", namespace: "default") } == (404, "NotFound"))
        #expect(status { _ = try client.send("POST", path: APIResource.configMaps.path(namespace: "default", name: "x")) }.0 == 405)
        #expect(status { _ = try client.send("GET", path: "/apis/nope.example.com/v1") }.0 == 404)
    }

    @Test func theReturnedStatusNamesTheObject() throws {
        do {
            _ = try client.get(.configMaps, name: "missing", namespace: "default")
        } catch {
            #expect(error.message.contains("configmaps \"missing\" not found"))
        }
    }
}
