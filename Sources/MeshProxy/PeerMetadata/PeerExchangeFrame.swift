/// Istio's TCP metadata exchange frame (istio/proxy `metadata_exchange` network filter), sent by each side of a
/// connection whose TLS handshake negotiated ALPN `istio-peer-exchange`, before any application byte: a 4-byte
/// magic `0x3D230467` and a 4-byte length, both big-endian, then that many bytes of a protobuf
/// `google.protobuf.Any` (type URL `type.googleapis.com/google.protobuf.Struct`) whose Struct holds the node
/// metadata under `x-envoy-peer-metadata` and the node id under `x-envoy-peer-metadata-id`.
enum PeerExchangeFrame {
    /// The ALPN protocol that turns the exchange on.
    static let protocolName = "istio-peer-exchange"
    static let magic: UInt32 = 0x3D23_0467
    static let structTypeURL = "type.googleapis.com/google.protobuf.Struct"
    static let headerBytes = 8
    /// Longer frames are refused as soon as their header is read (a workload's metadata is well under 1 KiB).
    static let maxDataBytes = 64 * 1024

    /// Why a peer's frame was refused.
    enum Failure: Equatable, Sendable {
        /// The first four bytes are not the magic: the peer is not running the exchange.
        case badMagic
        /// The length is over `maxDataBytes`.
        case tooLarge
        /// The data is not an `Any` of a `Struct`.
        case malformed
    }

    /// What the bytes read so far hold.
    enum Parse: Equatable, Sendable {
        /// Not a whole frame yet.
        case needMoreBytes
        /// A frame of `length` bytes (header included) with the peer's metadata, `nil` when it carries none.
        case frame(PeerMetadata?, length: Int)
        case refused(Failure)
    }

    /// The frame carrying `metadata` and the node `id`.
    static func encode(_ metadata: PeerMetadata, id: String) -> [UInt8] {
        let data = ProtobufStruct.encode([
            PeerMetadataHeaders.metadataName: .structure(metadata.fields), PeerMetadataHeaders.idName: .string(id),
        ])
        var any = ProtobufWriter()
        any.string(1, structTypeURL)
        any.lengthDelimited(2, data)
        return bigEndian(magic) + bigEndian(UInt32(any.bytes.count)) + any.bytes
    }

    /// Reads a frame from the start of `bytes` (the bytes a peer sent so far; more may follow the frame).
    static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Parse {
        let header = Array(bytes.prefix(headerBytes))
        guard header.count == headerBytes else {
            // A header still coming in is refused as soon as it departs from the magic.
            return header.prefix(4).elementsEqual(bigEndian(magic).prefix(header.count)) ? .needMoreBytes : .refused(.badMagic)
        }
        guard uint32(header[0..<4]) == magic else { return .refused(.badMagic) }
        let length = Int(uint32(header[4..<8]))
        guard length <= maxDataBytes else { return .refused(.tooLarge) }
        guard bytes.count >= headerBytes + length else { return .needMoreBytes }
        let data = Array(bytes.dropFirst(headerBytes).prefix(length))
        guard let fields = structFields(ofAny: data) else { return .refused(.malformed) }
        guard case .structure(let metadata)? = fields[PeerMetadataHeaders.metadataName] else {
            return .frame(nil, length: headerBytes + length)
        }
        return .frame(PeerMetadata(fields: metadata), length: headerBytes + length)
    }

    /// The Struct an `Any` (type URL 1, value 2) holds; `nil` if it is malformed or holds another type.
    private static func structFields(ofAny bytes: [UInt8]) -> [String: ProtobufValue]? {
        var reader = ProtobufReader(bytes[...])
        guard let (typeURL, value) = reader.lengthDelimitedPair(),
            typeURL.map({ String(decoding: $0, as: UTF8.self) }) == structTypeURL
        else { return nil }
        return ProtobufStruct.decode(Array(value ?? []))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * $0)) }
    }

    private static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
