import NIOCore

/// Tells a TLS handshake from plain text on a PERMISSIVE inbound connection: a TLS record starts with content
/// type 22 and version major 3 (as Envoy's tls_inspector checks).
enum TLSDetector {
    /// What the first bytes say.
    enum Verdict: Equatable {
        case tls
        case plaintext
        case needMoreBytes
    }

    /// Classifies the first bytes of a connection.
    static func classify(_ bytes: ByteBufferView) -> Verdict {
        guard let first = bytes.first else { return .needMoreBytes }
        guard first == 0x16 else { return .plaintext }
        guard bytes.count >= 2 else { return .needMoreBytes }
        return bytes[bytes.index(after: bytes.startIndex)] == 0x03 ? .tls : .plaintext
    }

    /// The first handler of the connection; `configure(context, isTLS)` sets up mTLS or plain text after it.
    static func handler(configure: @escaping (ChannelHandlerContext, Bool) throws -> Void) -> FirstBytesRouter<Bool> {
        FirstBytesRouter(
            classify: { bytes in
                switch classify(bytes) {
                case .tls: true
                case .plaintext: false
                case .needMoreBytes: nil
                }
            },
            configure: configure)
    }
}
