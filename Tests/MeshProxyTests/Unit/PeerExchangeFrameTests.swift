import Testing
@testable import MeshProxy

/// Istio's TCP metadata exchange frame: magic and length in network byte order, then a protobuf Any of a Struct.
/// A peer's frame is untrusted input: garbage, truncation and oversize are refused, never a crash.
@Suite("Peer metadata exchange frame")
struct PeerExchangeFrameTests {
    static let id = "sidecar~10.0.0.7~reviews-v2-7d4f9.bookinfo~bookinfo.svc.cluster.local"
    static let frame = PeerExchangeFrame.encode(PeerMetadataTests.reviews, id: id)

    @Test("a frame survives encode and parse, and bytes after it are left for the application")
    func roundTrip() {
        #expect(PeerExchangeFrame.parse(Self.frame) == .frame(PeerMetadataTests.reviews, length: Self.frame.count))
        #expect(PeerExchangeFrame.parse(Self.frame + Array("app data".utf8)) == .frame(PeerMetadataTests.reviews, length: Self.frame.count))
    }

    @Test("the wire form is Istio's: magic 0x3D230467 and the data length big-endian, then an Any naming the Struct type")
    func wireForm() {
        #expect(Array(Self.frame.prefix(4)) == [0x3D, 0x23, 0x04, 0x67])
        let length = Self.frame[4..<8].reduce(0) { $0 << 8 | Int($1) }
        #expect(length == Self.frame.count - 8)
        // Any: field 1 the type URL, field 2 the Struct.
        var any = ProtobufReader(Self.frame[8...])
        #expect(any.tag()?.field == 1)
        #expect(any.lengthDelimited().map { String(decoding: $0, as: UTF8.self) } == "type.googleapis.com/google.protobuf.Struct")
        #expect(any.tag()?.field == 2)
        let fields = any.lengthDelimited().flatMap { ProtobufStruct.decode(Array($0)) }
        #expect(any.isAtEnd)
        #expect(fields?["x-envoy-peer-metadata-id"] == .string(Self.id))
        #expect(fields?["x-envoy-peer-metadata"] == .structure(PeerMetadataTests.reviews.fields))
    }

    @Test("every proper prefix of a frame asks for more bytes")
    func partialReads() {
        for count in 0..<Self.frame.count {
            #expect(PeerExchangeFrame.parse(Self.frame.prefix(count)) == .needMoreBytes, "prefix of \(count) bytes")
        }
    }

    @Test(
        "garbage is refused as soon as it departs from the magic",
        arguments: [Array("GET / HTTP/1.1\r\n\r\n".utf8), [0x3D, 0x23, 0x04, 0x68, 0, 0, 0, 0], [0x3D, 0x00], [0x00]])
    func garbage(_ bytes: [UInt8]) {
        #expect(PeerExchangeFrame.parse(bytes) == .refused(.badMagic))
    }

    @Test("a length over the limit is refused from the header alone")
    func oversize() {
        #expect(PeerExchangeFrame.parse([0x3D, 0x23, 0x04, 0x67, 0xFF, 0xFF, 0xFF, 0xFF]) == .refused(.tooLarge))
        let limit = PeerExchangeFrame.maxDataBytes + 1
        let header: [UInt8] = [0x3D, 0x23, 0x04, 0x67] + (0..<4).map { UInt8(truncatingIfNeeded: limit >> (24 - 8 * $0)) }
        #expect(PeerExchangeFrame.parse(header) == .refused(.tooLarge))
    }

    @Test("a body that is not an Any of a Struct is refused; a Struct without metadata names no peer")
    func malformedBody() {
        func framed(_ body: [UInt8]) -> [UInt8] { [0x3D, 0x23, 0x04, 0x67, 0, 0, 0, UInt8(body.count)] + body }
        func any(typeURL: String, value: [UInt8]) -> [UInt8] {
            var writer = ProtobufWriter()
            writer.string(1, typeURL)
            writer.lengthDelimited(2, value)
            return writer.bytes
        }
        #expect(PeerExchangeFrame.parse(framed([0x0A, 0x7F, 0x01])) == .refused(.malformed))
        #expect(PeerExchangeFrame.parse(framed(any(typeURL: "type.googleapis.com/google.protobuf.Value", value: []))) == .refused(.malformed))
        #expect(PeerExchangeFrame.parse(framed(any(typeURL: PeerExchangeFrame.structTypeURL, value: [0x0A, 0x05]))) == .refused(.malformed))
        let empty = framed(any(typeURL: PeerExchangeFrame.structTypeURL, value: []))
        #expect(PeerExchangeFrame.parse(empty) == .frame(nil, length: empty.count))
    }
}
