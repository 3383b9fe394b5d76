import Foundation
import MeshPolicy
import NIOHTTP1
import Testing
@testable import MeshProxy

/// Istio's metadata exchange encoding: a protobuf `google.protobuf.Struct`, base64, in `x-envoy-peer-metadata`.
/// A peer's header is untrusted input: anything malformed is ignored, never a crash.
@Suite("Peer metadata exchange encoding")
struct PeerMetadataTests {
    static let reviews = PeerMetadata(
        instanceName: "reviews-v2-7d4f9", namespace: "bookinfo", workloadName: "reviews-v2",
        labels: ["app": "reviews", "version": "v2", "service.istio.io/canonical-name": "reviews"], clusterID: "east",
        meshID: "cluster.local", serviceAccount: "bookinfo-reviews")

    @Test("a Struct of every value kind survives encode and decode")
    func structRoundTrip() {
        let fields: [String: ProtobufValue] = [
            "s": .string("text ✓"), "n": .number(-2.5), "b": .bool(true), "z": .null, "empty": .string(""),
            "nested": .structure(["list": .list([.number(1), .string("x"), .structure([:]), .list([])])]),
        ]
        #expect(ProtobufStruct.decode(ProtobufStruct.encode(fields)) == fields)
        #expect(ProtobufStruct.decode([]) == [:])
    }

    @Test("the wire form is protobuf's: map entries of key 1 and Value 2, keys in order")
    func wireForm() {
        #expect(ProtobufStruct.encode(["A": .string("b")]) == [0x0A, 0x08, 0x0A, 0x01, 0x41, 0x12, 0x03, 0x1A, 0x01, 0x62])
        #expect(ProtobufStruct.encode(["b": .bool(true), "a": .null]) == ProtobufStruct.encode(["a": .null, "b": .bool(true)]))
        #expect(Array(ProtobufStruct.encode(["b": .null, "a": .null]).prefix(5)) == [0x0A, 0x07, 0x0A, 0x01, 0x61])
    }

    @Test("a workload's metadata round-trips through the header value, under Istio's keys")
    func headerRoundTrip() {
        let headers = PeerMetadataHeaders(own: Self.reviews, role: "sidecar", address: "10.0.0.7")
        #expect(headers.id == "sidecar~10.0.0.7~reviews-v2-7d4f9.bookinfo~bookinfo.svc.cluster.local")
        #expect(PeerMetadataHeaders.decode(headers.value) == Self.reviews)
        var unpadded = headers.value
        while unpadded.hasSuffix("=") { unpadded.removeLast() }
        #expect(PeerMetadataHeaders.decode(unpadded) == Self.reviews, "Envoy decodes without padding too")
        let fields = ProtobufStruct.decode([UInt8](Data(base64Encoded: headers.value)!))!
        #expect(fields["WORKLOAD_NAME"] == .string("reviews-v2"))
        #expect(fields["NAMESPACE"] == .string("bookinfo"))
        #expect(fields["CLUSTER_ID"] == .string("east"))
        #expect(fields["SERVICE_ACCOUNT"] == .string("bookinfo-reviews"))
        guard case .structure(let labels)? = fields["LABELS"] else {
            Issue.record("LABELS is not a Struct")
            return
        }
        #expect(labels["version"] == .string("v2"))
    }

    @Test("our own metadata gets Istio's canonical service labels from app and version, else the workload and latest")
    func ownMetadata() {
        var node = NodeMetadata()
        node.serviceAccount = "reviews"
        let own = PeerMetadata(
            own: Workload(namespace: "bookinfo", labels: ["app": "reviews", "version": "v3"], name: "reviews-v3"), node: node,
            trustDomain: "example.org")
        #expect(own.canonicalService == "reviews")
        #expect(own.canonicalRevision == "v3")
        #expect(own.instanceName == "reviews-v3")
        #expect(own.meshID == "example.org")
        #expect(own.clusterID == "Kubernetes")
        let bare = PeerMetadata(own: Workload(namespace: "ops", name: "cron"), node: NodeMetadata(), trustDomain: "cluster.local")
        #expect(bare.canonicalService == "cron")
        #expect(bare.canonicalRevision == "latest")
    }

    @Test("fields of an unexpected kind and unknown fields are ignored")
    func lenientFields() {
        let fields: [String: ProtobufValue] = [
            "WORKLOAD_NAME": .number(3), "NAMESPACE": .string("ns"), "LABELS": .structure(["app": .string("a"), "n": .bool(true)]),
            "OTHER": .list([.null]),
        ]
        var bytes = ProtobufStruct.encode(fields)
        bytes += [0x18, 0x05, 0x25, 1, 2, 3, 4]  // unknown varint field 3 and fixed32 field 4
        let metadata = PeerMetadata(fields: ProtobufStruct.decode(bytes)!)
        #expect(metadata.workloadName == nil)
        #expect(metadata.namespace == "ns")
        #expect(metadata.labels == ["app": "a"])
    }

    @Test(
        "malformed input is refused without a crash",
        arguments: [
            [0x0A],  // a tag without its length
            [0x0A, 0x05, 0x0A],  // a length past the end
            [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // a 64-bit length
            [0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // a varint over 10 bytes
            [0x0B],  // a group (wire type 3)
            [0x00, 0x00],  // field number 0
            [0x0A, 0x04, 0x12, 0x02, 0x11, 0x00],  // a number cut short
        ] as [[UInt8]])
    func malformed(_ bytes: [UInt8]) {
        #expect(ProtobufStruct.decode(bytes) == nil)
    }

    @Test("nesting past the depth limit is refused; random bytes never crash the decoder")
    func depthAndNoise() {
        var value = ProtobufValue.string("deep")
        for _ in 0..<40 { value = .structure(["k": value]) }
        #expect(ProtobufStruct.decode(ProtobufStruct.encode(["k": value])) == nil)
        var generator = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            let bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = ProtobufStruct.decode(bytes)
            _ = PeerMetadataHeaders.decode(Data(bytes).base64EncodedString())
        }
    }

    @Test("bad header values decode to nothing", arguments: ["", "not base64!", "AAA*", "Cg=="])
    func badHeaderValues(_ value: String) {
        #expect(PeerMetadataHeaders.decode(value) == nil)
    }

    @Test("a header value over the size limit is not decoded, even when valid")
    func oversize() {
        let labels = Dictionary(uniqueKeysWithValues: (0..<400).map { ("label-\($0)", ProtobufValue.string(String(repeating: "v", count: 40))) })
        let value = Data(ProtobufStruct.encode(["LABELS": .structure(labels)])).base64EncodedString()
        #expect(value.utf8.count > PeerMetadataHeaders.maxValueBytes)
        #expect(ProtobufStruct.decode([UInt8](Data(base64Encoded: value)!)) != nil)
        #expect(PeerMetadataHeaders.decode(value) == nil)
    }
}
