/// Reads the server name (SNI, RFC 6066 §3) a TLS client asks for from the first bytes of its connection,
/// without terminating TLS: what a gateway PASSTHROUGH server routes by. The ClientHello may arrive in pieces
/// and span several TLS records (RFC 8446 §5.1); anything that isn't a well-formed ClientHello is refused.
enum ClientHelloSNI {
    /// What the first bytes say.
    enum Outcome: Equatable {
        /// The ClientHello is not complete yet.
        case needMoreBytes
        /// The `host_name` the client sent, lowercased.
        case serverName(String)
        /// A well-formed ClientHello without a server name.
        case noServerName
        /// Not TLS, or a broken ClientHello.
        case malformed
        /// A ClientHello larger than `maxHelloBytes`.
        case tooLarge
    }

    /// The largest ClientHello accepted (Envoy's TLS inspector default).
    static let maxHelloBytes = 64 * 1024
    private static let recordHeaderBytes = 5
    private static let maxRecordBytes = 1 << 14

    /// Classifies the bytes received so far.
    static func parse(_ bytes: [UInt8]) -> Outcome {
        var handshake: [UInt8] = []
        var offset = 0
        while true {
            let header = bytes[offset..<min(bytes.count, offset + recordHeaderBytes)]
            // Content type 22 (handshake), protocol major version 3: refuse anything else from its first byte.
            if let type = header.first, type != 22 { return .malformed }
            if header.count > 1, header[offset + 1] != 3 { return .malformed }
            guard header.count == recordHeaderBytes else { return .needMoreBytes }
            let length = Int(header[offset + 3]) << 8 | Int(header[offset + 4])
            guard (1...maxRecordBytes).contains(length) else { return .malformed }
            let start = offset + recordHeaderBytes
            let end = min(bytes.count, start + length)
            handshake += bytes[start..<end]
            if handshake.count >= 4 {
                guard handshake[0] == 1 else { return .malformed }  // handshake type 1: ClientHello
                let messageLength = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
                guard messageLength <= maxHelloBytes else { return .tooLarge }
                if handshake.count >= 4 + messageLength {
                    return serverName(inClientHello: handshake[4..<(4 + messageLength)])
                }
            }
            guard end == start + length else { return .needMoreBytes }
            offset = end
        }
    }

    /// The server name in a complete ClientHello body (RFC 8446 §4.1.2).
    private static func serverName(inClientHello body: ArraySlice<UInt8>) -> Outcome {
        var reader = ByteReader(body)
        guard reader.skip(2 + 32),  // legacy_version, random
            let sessionID = reader.uint8(), sessionID <= 32, reader.skip(sessionID),
            let cipherSuites = reader.uint16(), cipherSuites >= 2, cipherSuites % 2 == 0, reader.skip(cipherSuites),
            let compression = reader.uint8(), compression >= 1, reader.skip(compression)
        else { return .malformed }
        if reader.isAtEnd { return .noServerName }
        guard let extensionsLength = reader.uint16(), extensionsLength == reader.remaining else { return .malformed }
        var name: String?
        var seen: Set<Int> = []
        while !reader.isAtEnd {
            guard let type = reader.uint16(), seen.insert(type).inserted, let length = reader.uint16(),
                let data = reader.take(length)
            else { return .malformed }
            if type == 0 {
                guard let hostName = hostName(inServerNameExtension: data) else { return .malformed }
                name = hostName
            }
        }
        return name.map(Outcome.serverName) ?? .noServerName
    }

    /// The `host_name` entry of a `server_name` extension (RFC 6066 §3); nil when the extension is broken.
    private static func hostName(inServerNameExtension data: ArraySlice<UInt8>) -> String? {
        var reader = ByteReader(data)
        guard let listLength = reader.uint16(), listLength == reader.remaining, listLength > 0 else { return nil }
        var hostName: String?
        while !reader.isAtEnd {
            guard let nameType = reader.uint8(), let length = reader.uint16(), let name = reader.take(length) else { return nil }
            guard nameType == 0 else { continue }
            guard hostName == nil, (1...255).contains(name.count), name.allSatisfy(isHostNameByte) else { return nil }
            hostName = String(decoding: name, as: UTF8.self).lowercased()
        }
        return hostName
    }

    /// Letters, digits, `-`, `.` and `_`: what DNS names carry.
    private static func isHostNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"): true
        default: false
        }
    }
}

/// Big-endian fields read off a byte slice; every read fails (nil/false) rather than run past the end.
private struct ByteReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }
    var remaining: Int { bytes.count }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count <= bytes.count else { return nil }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    mutating func skip(_ count: Int) -> Bool { take(count) != nil }

    mutating func uint8() -> Int? { take(1).map { Int($0.first!) } }

    mutating func uint16() -> Int? { take(2).map { Int($0.first!) << 8 | Int($0.last!) } }
}
