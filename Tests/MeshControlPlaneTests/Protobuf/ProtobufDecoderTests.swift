import Foundation
import MeshCore
import Testing

@testable import MeshControlPlane

/// A minimal protobuf writer for building test bodies.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 { bytes.append(UInt8(value & 0x7f) | 0x80); value >>= 7 }
        bytes.append(UInt8(value))
    }

    mutating func field(_ number: Int, _ data: [UInt8]) {
        varint(UInt64(number << 3 | 2))
        varint(UInt64(data.count))
        bytes += data
    }

    mutating func field(_ number: Int, _ text: String) { field(number, Array(text.utf8)) }

    mutating func field(_ number: Int, int value: UInt64) {
        varint(UInt64(number << 3))
        varint(value)
    }

    static func message(_ build: (inout ProtoWriter) -> Void) -> [UInt8] {
        var writer = ProtoWriter()
        build(&writer)
        return writer.bytes
    }
}

struct ProtobufDecoderTests {
    func envelope(apiVersion: String, kind: String, raw: [UInt8]) -> [UInt8] {
        ProtobufDecoder.magic + ProtoWriter.message { unknown in
            unknown.field(1, ProtoWriter.message { $0.field(1, apiVersion); $0.field(2, kind) })
            unknown.field(2, raw)
        }
    }

    @Test func decodesASecretWithMapsBytesAndTimes() throws {
        let metadata = ProtoWriter.message { meta in
            meta.field(1, "creds")
            meta.field(3, "demo")
            meta.field(11, ProtoWriter.message { $0.field(1, "app"); $0.field(2, "web") })
            meta.field(8, ProtoWriter.message { $0.field(1, int: 1_700_000_000) })
        }
        let secret = ProtoWriter.message { s in
            s.field(1, metadata)
            s.field(2, ProtoWriter.message { $0.field(1, "password"); $0.field(2, [0x00, 0xff, 0x41]) })
            s.field(3, "Opaque")
            s.field(5, int: 1)
        }
        let value = try ProtobufDecoder().decodeEnvelope(envelope(apiVersion: "v1", kind: "Secret", raw: secret))
        #expect(value["kind"] == "Secret")
        #expect(value["metadata"]?["name"] == "creds")
        #expect(value["metadata"]?["labels"]?["app"] == "web")
        #expect(value["metadata"]?["creationTimestamp"] == "2023-11-14T22:13:20Z")
        #expect(value["data"]?["password"] == .string(Data([0x00, 0xff, 0x41]).base64EncodedString()))
        #expect(value["type"] == "Opaque")
        #expect(value["immutable"] == true)
    }

    @Test func decodesADeploymentWithNestedMessagesAndIntOrString() throws {
        let container = ProtoWriter.message { c in
            c.field(1, "web")
            c.field(2, "nginx")
            c.field(6, ProtoWriter.message { $0.field(3, int: 80) })
        }
        let strategy = ProtoWriter.message { s in
            s.field(1, "RollingUpdate")
            s.field(2, ProtoWriter.message { $0.field(1, ProtoWriter.message { $0.field(1, int: 1); $0.field(3, "25%") }) })
        }
        let spec = ProtoWriter.message { spec in
            spec.field(1, int: 3)
            spec.field(3, ProtoWriter.message { $0.field(2, ProtoWriter.message { $0.field(2, container) }) })
            spec.field(4, strategy)
        }
        let deployment = ProtoWriter.message { d in
            d.field(1, ProtoWriter.message { $0.field(1, "web") })
            d.field(2, spec)
        }
        let value = try ProtobufDecoder().decodeEnvelope(envelope(apiVersion: "apps/v1", kind: "Deployment", raw: deployment))
        #expect(value["spec"]?["replicas"] == 3)
        #expect(value["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"] == "nginx")
        #expect(value["spec"]?["template"]?["spec"]?["containers"]?[0]?["ports"]?[0]?["containerPort"] == 80)
        #expect(value["spec"]?["strategy"]?["rollingUpdate"]?["maxUnavailable"] == "25%")
    }

    @Test(arguments: [
        [UInt8](), Array("k8s".utf8), Array("k8s\u{0}".utf8) + [0x0a, 0x05, 0x01], Array("{}".utf8),
        Array("k8s\u{0}".utf8) + [0x0a, 0x04, 0x0a, 0x02, 0x76, 0x31],
    ])
    func malformedBodiesThrow(_ body: [UInt8]) {
        #expect(throws: ProtobufError.self) { _ = try ProtobufDecoder().decodeEnvelope(body) }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<64, using: &generator)
            let raw = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? ProtobufDecoder().decodeEnvelope(envelope(apiVersion: "v1", kind: "Pod", raw: raw))
        }
    }
}
