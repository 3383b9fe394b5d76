import NIOCore
import NIOEmbedded
import NIOSSL
import Testing
@testable import MeshProxy

/// The SNI reader of gateway PASSTHROUGH servers, on real ClientHellos (from swift-nio-ssl's client) cut in
/// pieces, spread over records, truncated and broken.
@Suite("ClientHello SNI")
struct ClientHelloSNITests {
    /// The first flight of a TLS client: one record holding its ClientHello.
    static func clientHello(serverName: String?) throws -> [UInt8] {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: serverName))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        var bytes: [UInt8] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readBytes(length: buffer.readableBytes)! }
        _ = try? channel.finish()
        return bytes
    }

    /// The same handshake bytes as records of at most `size` bytes each.
    static func split(_ hello: [UInt8], records size: Int) -> [UInt8] {
        let handshake = hello[5...]
        var result: [UInt8] = []
        var offset = handshake.startIndex
        while offset < handshake.endIndex {
            let end = min(offset + size, handshake.endIndex)
            result += [22, 3, 1, UInt8((end - offset) >> 8), UInt8((end - offset) & 0xff)] + handshake[offset..<end]
            offset = end
        }
        return result
    }

    @Test("the server name of a whole ClientHello, lowercased; none when the client sends none")
    func whole() throws {
        #expect(ClientHelloSNI.parse(try Self.clientHello(serverName: "API.Mesh.Test")) == .serverName("api.mesh.test"))
        #expect(ClientHelloSNI.parse(try Self.clientHello(serverName: nil)) == .noServerName)
    }

    @Test("every proper prefix needs more bytes; spread over small records it still reads")
    func fragments() throws {
        let hello = try Self.clientHello(serverName: "shop.example.com")
        for length in 0..<hello.count {
            #expect(ClientHelloSNI.parse(Array(hello[..<length])) == .needMoreBytes, "prefix of \(length) bytes")
        }
        for size in [1, 7, 100] {
            let records = Self.split(hello, records: size)
            #expect(ClientHelloSNI.parse(records) == .serverName("shop.example.com"), "records of \(size) bytes")
            #expect(ClientHelloSNI.parse(Array(records.dropLast())) == .needMoreBytes)
        }
    }

    @Test(
        "anything but a well-formed ClientHello is refused",
        arguments: [
            ("plain HTTP", Array("GET / HTTP/1.1\r\n".utf8)),
            ("an alert record", [21, 3, 3, 0, 2, 2, 40]),
            ("SSL 2 version", [22, 2, 0, 0, 4]),
            ("an empty record", [22, 3, 1, 0, 0]),
            ("a record over 16 KiB", [22, 3, 1, 0x40, 0x01]),
            ("a ServerHello", [22, 3, 3, 0, 4, 2, 0, 0, 0]),
            ("a ClientHello too short for its fields", [22, 3, 3, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0]),
        ] as [(String, [UInt8])])
    func garbage(_ name: String, _ bytes: [UInt8]) {
        #expect(ClientHelloSNI.parse(bytes) == .malformed, "\(name)")
    }

    @Test("broken extensions, or a server name that isn't a host name, are refused")
    func brokenExtensions() throws {
        let hello = try Self.clientHello(serverName: "abcdefgh.test")
        let name = Array("abcdefgh.test".utf8)
        let at = try #require((0..<hello.count).first { Array(hello[$0..<min($0 + name.count, hello.count)]) == name })
        var badName = hello
        badName[at + 3] = UInt8(ascii: "/")
        #expect(ClientHelloSNI.parse(badName) == .malformed)
        var badLength = hello
        badLength[at - 1] &+= 1  // the name's length runs past its extension
        #expect(ClientHelloSNI.parse(badLength) == .malformed)
    }

    @Test("a ClientHello that declares more than 64 KiB is refused before it arrives")
    func tooLarge() {
        #expect(ClientHelloSNI.parse([22, 3, 1, 0, 4, 1, 0x01, 0x00, 0x01]) == .tooLarge)
        #expect(ClientHelloSNI.parse([22, 3, 1, 0, 4, 1, 0x01, 0x00, 0x00]) == .needMoreBytes)
    }
}
