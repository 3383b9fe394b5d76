import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("ExtAuthzGRPCCheck and the protobuf wire format")
struct ExtAuthzGRPCCheckTests {
    @Test("varints, strings and nested messages are written as the wire format specifies; proto3 defaults are left out")
    func writer() {
        var writer = ProtobufWriter(omittingDefaults: true)
        writer.varint(1, 300)
        writer.string(2, "hi")
        writer.varint(3, 0)
        writer.string(4, "")
        writer.message(5) { $0.varint(1, 1) }
        writer.varint(6, UInt64(bitPattern: -1))
        #expect(writer.bytes == [0x08, 0xAC, 0x02, 0x12, 0x02, 0x68, 0x69, 0x2A, 0x02, 0x08, 0x01, 0x30] + Array(repeating: 0xFF, count: 9) + [0x01])
        // Without omittingDefaults (oneof members: a Struct value's kind) defaults are written too.
        var every = ProtobufWriter()
        every.varint(3, 0)
        every.string(4, "")
        every.message(5) { $0.varint(1, 0) }
        #expect(every.bytes == [0x18, 0x00, 0x22, 0x00, 0x2A, 0x02, 0x08, 0x00])
    }

    @Test("fields are read back in order, unknown wire types skipped, truncated input refused")
    func reader() throws {
        let fields = try ProtobufReader.fields([0x08, 0xAC, 0x02, 0x15, 1, 2, 3, 4, 0x12, 0x02, 0x68, 0x69][...])
        #expect(fields.map(\.field) == [1, 2, 2])
        #expect(fields[0].value.integer == 300)
        #expect(fields[2].value.string == "hi")
        #expect(throws: ProtobufReader.Malformed.self) { try ProtobufReader.fields([0x12, 0x05, 0x68][...]) }
        #expect(throws: ProtobufReader.Malformed.self) { try ProtobufReader.fields([0x08, 0xAC][...]) }
    }

    @Test("a CheckResponse with a non-OK status denies with denied_response's status and body; OK allows with ok_response's headers")
    func decisions() throws {
        // status {code: 7}, denied_response {status {code: 401}, body: "no"}
        guard case .deny(let status, let headers, let body) = try ExtAuthzGRPCCheck.decision(
            [0x0A, 0x02, 0x08, 0x07, 0x12, 0x09, 0x0A, 0x03, 0x08, 0x91, 0x03, 0x1A, 0x02, 0x6E, 0x6F])
        else {
            Issue.record("no deny")
            return
        }
        #expect(status == 401)
        #expect(headers.isEmpty)
        #expect(body == "no")
        // status {code: 16}, no denied_response: Envoy's 403.
        guard case .deny(403, _, _) = try ExtAuthzGRPCCheck.decision([0x0A, 0x02, 0x08, 0x10]) else {
            Issue.record("no 403")
            return
        }
        // ok_response {headers: [{header: {key: "a", value: "b"}}]}
        guard case .allow(let upstream, let downstream, _) = try ExtAuthzGRPCCheck.decision(
            [0x1A, 0x0A, 0x12, 0x08, 0x0A, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0x62])
        else {
            Issue.record("no allow")
            return
        }
        #expect(upstream.map { "\($0.0)=\($0.1)" } == ["a=b"])
        #expect(downstream.isEmpty)
        #expect(throws: ProtobufReader.Malformed.self) { try ExtAuthzGRPCCheck.decision([0x1A, 0x0A, 0x12]) }
    }

    @Test("a CheckRequest carries the peers and the HTTP request: method, path, host, scheme, headers (with pseudo-headers), body")
    func request() throws {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/orders?id=1")
        head.headers.add(name: "Host", value: "shop")
        head.headers.add(name: "X-Tag", value: "a")
        head.headers.add(name: "x-tag", value: "b")
        let connection = ConnectionInfo(clientAddress: "10.0.0.1", localAddress: "10.0.0.2", port: 8080, principal: "spiffe://cluster.local/ns/a/sa/b")
        let input = ExtAuthzClient.Input(head: head, body: Array("data".utf8), connection: connection, scheme: "http")
        let message = ExtAuthzGRPCCheck.request(for: input, packAsBytes: false)
        let check = try GRPCExtAuthzServer.check(path: "", request: message)
        #expect(check.path == "/orders?id=1")
        #expect(check.body == "data")
        #expect(check.headers["x-tag"] == "a,b")
        #expect(check.headers[":authority"] == "shop")
        #expect(check.headers[":method"] == "POST")
        #expect(check.headers["x-envoy-auth-partial-body"] == "false")

        let attributes = try ProtobufReader.fields(message[...])[0].value.bytes
        let peers = try ProtobufReader.fields(attributes)
        let source = try ProtobufReader.fields(peers.first { $0.field == 1 }!.value.bytes)
        #expect(source.first { $0.field == 4 }?.value.string == "spiffe://cluster.local/ns/a/sa/b")
        let socket = try ProtobufReader.fields(ProtobufReader.fields(ProtobufReader.fields(peers.first { $0.field == 2 }!.value.bytes)[0].value.bytes)[0].value.bytes)
        #expect(socket.map(\.field) == [2, 3])
        #expect(socket[0].value.string == "10.0.0.2")
        #expect(socket[1].value.integer == 8080)

        let packed = ExtAuthzGRPCCheck.request(for: input, packAsBytes: true)
        #expect(packed.count == message.count, "raw_body (12) instead of body (11), same length")
        #expect(try GRPCExtAuthzServer.check(path: "", request: packed).body.isEmpty)
    }
}
