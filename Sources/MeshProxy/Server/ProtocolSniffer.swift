import NIOCore

/// Tells HTTP/2 with prior knowledge (the client sent the preface `PRI * HTTP/2.0`) from HTTP/1.1 on a
/// plaintext HTTP connection.
enum ProtocolSniffer {
    /// The HTTP/2 connection preface (RFC 9113 §3.4).
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// What the bytes say.
    enum Verdict: Equatable {
        case http1
        case http2
        case needMoreBytes
    }

    /// Classifies the first bytes of a connection.
    static func classify(_ bytes: ByteBufferView) -> Verdict {
        let count = min(bytes.count, preface.count)
        var index = bytes.startIndex
        for position in 0..<count {
            if bytes[index] != preface[position] { return .http1 }
            index = bytes.index(after: index)
        }
        return count == preface.count ? .http2 : .needMoreBytes
    }

    /// The first handler of the connection; `configure` adds the chosen protocol's handlers after it.
    static func handler(configure: @escaping (ChannelHandlerContext, Verdict) throws -> Void) -> FirstBytesRouter<Verdict> {
        FirstBytesRouter(classify: { bytes in
            let verdict = classify(bytes)
            return verdict == .needMoreBytes ? nil : verdict
        }, configure: configure)
    }
}
