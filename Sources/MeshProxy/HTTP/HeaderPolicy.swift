import NIOHTTP1

/// Header rules of a forwarding proxy (RFC 9110 §7.6.1 hop-by-hop fields; Envoy's x-forwarded-* behaviour and
/// its x-request-id format). Pure functions over `HTTPHeaders`.
enum HeaderPolicy {
    /// Fields that describe one connection and are never forwarded.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    @inline(__always)
    static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2, 7, 10, 16, 17, 18, 19: hopByHop.contains(name.lowercased())
        default: false
        }
    }

    /// Removes hop-by-hop fields and those named by `Connection`. With `keepUpgrade`, `Connection: upgrade`
    /// and `Upgrade` stay (websocket pass-through).
    static func stripHopByHop(_ headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        var found = false
        for (name, _) in headers where isHopByHop(name) {
            found = true
            break
        }
        guard found else { return }
        // `TE: trailers` is end to end in effect (gRPC needs it to reach the server), as Envoy keeps it.
        let trailers = headers[canonicalForm: "te"].contains { $0.lowercased() == "trailers" }
        var named: [String] = []
        for value in headers[canonicalForm: "connection"] {
            let token = value.lowercased()
            if keepUpgrade && token == "upgrade" { continue }
            if token != "close" && token != "keep-alive" { named.append(String(token)) }
        }
        for name in hopByHop where !(keepUpgrade && name == "upgrade") {
            headers.remove(name: name)
        }
        for name in named { headers.remove(name: name) }
        if trailers { headers.add(name: "te", value: "trailers") }
        if keepUpgrade { headers.replaceOrAdd(name: "connection", value: "upgrade") }
    }

    /// Sets the forwarding headers as Envoy does under `policy`: the client address is appended to
    /// `x-forwarded-for` only with `use_remote_address` (gateways); `x-forwarded-proto` is the downstream
    /// connection's scheme unless proxies in front are trusted (`xff_num_trusted_hops` > 0) and sent one;
    /// `x-forwarded-client-cert` follows `forward_client_cert_details`, `peer` being the mTLS client's certificate.
    static func addForwardingHeaders(
        _ headers: inout HTTPHeaders, policy: ForwardingPolicy, clientAddress: String, secure: Bool, peer: PeerCertificate?
    ) {
        if policy.appendsForwardedFor {
            let existing = headers["x-forwarded-for"]
            headers.replaceOrAdd(name: "x-forwarded-for", value: (existing + [clientAddress]).joined(separator: ", "))
        }
        if policy.trustedHops == 0 || !headers.contains(name: "x-forwarded-proto") {
            headers.replaceOrAdd(name: "x-forwarded-proto", value: secure ? "https" : "http")
        }
        let element = peer.map { $0.xfccElement(by: policy.localURIs, includingCert: policy.includesCert) }
        switch (policy.clientCert, element) {
        case (.appendForward, let element?):
            let existing = headers["x-forwarded-client-cert"]
            headers.replaceOrAdd(name: "x-forwarded-client-cert", value: (existing + [element]).joined(separator: ","))
        case (.sanitizeSet, let element?):
            headers.replaceOrAdd(name: "x-forwarded-client-cert", value: element)
        default:
            headers.remove(name: "x-forwarded-client-cert")
        }
    }

    /// A version 4 UUID string from two random words.
    static func uuid(_ high: UInt64, _ low: UInt64) -> String {
        let hex: StaticString = "0123456789abcdef"
        var high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        var low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            hex.withUTF8Buffer { digits in
                var index = 35
                func emit(_ word: inout UInt64, _ count: Int) {
                    for _ in 0..<count {
                        if index == 8 || index == 13 || index == 18 || index == 23 {
                            buffer[index] = UInt8(ascii: "-")
                            index -= 1
                        }
                        buffer[index] = digits[Int(word & 0xF)]
                        word >>= 4
                        index -= 1
                    }
                }
                emit(&low, 16)
                emit(&high, 16)
            }
            return 36
        }
    }
}
