/// An IPv4 or IPv6 address as two 64-bit halves (IPv4 in the low 32 bits), parsed without the C library.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Whether this is an IPv4 address.
    public let isIPv4: Bool
    let high: UInt64
    let low: UInt64

    /// Parses `10.1.2.3`, `::1`, `2001:db8::8a2e:370:7334` or `::ffff:10.0.0.1`; `nil` for anything else.
    public init?(_ text: String) {
        if !text.contains(":") {
            guard let v4 = Self.parseIPv4(Substring(text)) else { return nil }
            isIPv4 = true
            high = 0
            low = UInt64(v4)
            return
        }
        guard let groups = Self.parseIPv6(text) else { return nil }
        isIPv4 = false
        high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// The number of bits (32 or 128).
    public var bitWidth: Int { isIPv4 ? 32 : 128 }

    public var description: String {
        if isIPv4 {
            return [24, 16, 8, 0].map { String((low >> UInt64($0)) & 0xff) }.joined(separator: ".")
        }
        var groups: [String] = []
        for half in [high, low] {
            for index in 0..<4 {
                let shift = UInt64(48 - 16 * index)
                groups.append(String((half >> shift) & 0xffff, radix: 16))
            }
        }
        return groups.joined(separator: ":")
    }

    /// Whether the first `bits` bits equal those of `other` (same family only).
    func sharesPrefix(with other: IPAddress, bits: Int) -> Bool {
        guard isIPv4 == other.isIPv4 else { return false }
        if isIPv4 {
            guard bits > 0 else { return true }
            let mask: UInt64 = (0xffff_ffff << UInt64(32 - bits)) & 0xffff_ffff
            return low & mask == other.low & mask
        }
        if bits <= 0 { return true }
        if bits <= 64 {
            let mask: UInt64 = bits == 64 ? .max : ~(UInt64.max >> UInt64(bits))
            return high & mask == other.high & mask
        }
        let lowBits = bits - 64
        let mask: UInt64 = lowBits == 64 ? .max : ~(UInt64.max >> UInt64(lowBits))
        return high == other.high && low & mask == other.low & mask
    }

    private static func splitDoubleColon(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousColon = false
        for character in text {
            if character == ":" && previousColon {
                current.removeLast()
                parts.append(current)
                current = ""
                previousColon = false
                continue
            }
            current.append(character)
            previousColon = character == ":"
        }
        parts.append(current)
        return parts
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            // Go's netip rejects leading zeros; so do we.
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let byte = UInt32(part), byte <= 255
            else { return nil }
            result = result << 8 | byte
        }
        return result
    }

    private static func parseIPv6(_ text: String) -> [UInt16]? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone
        var tail: [UInt16] = []
        // An embedded IPv4 address at the end takes two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
            text = text[...lastColon]
            if text.hasSuffix("::") { } else { text = text.dropLast() }
        }
        let halves = Self.splitDoubleColon(String(text))
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 2 {
            guard let rest = groups(halves[1]) else { return nil }
            let missing = 8 - head.count - rest.count - tail.count
            guard missing >= 1 else { return nil }
            return head + Array(repeating: 0, count: missing) + rest + tail
        }
        guard head.count + tail.count == 8 else { return nil }
        return head + tail
    }
}

/// An address range such as `10.0.0.0/8`; a plain address is a range of one.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`, `x::y/n` or a single address; `nil` when malformed (Go's `netip` rules).
    public init?(_ text: String) {
        if let slash = text.firstIndex(of: "/") {
            let bits = text[text.index(after: slash)...]
            guard let address = IPAddress(String(text[..<slash])), !bits.isEmpty, bits.allSatisfy({ $0.isASCII && $0.isNumber }),
                bits == "0" || !bits.hasPrefix("0"), let length = Int(bits), length <= address.bitWidth
            else { return nil }
            self.address = address
            self.prefixLength = length
        } else {
            guard let address = IPAddress(text) else { return nil }
            self.address = address
            self.prefixLength = address.bitWidth
        }
    }

    /// Whether `candidate` lies in the range.
    public func contains(_ candidate: IPAddress) -> Bool {
        address.sharesPrefix(with: candidate, bits: prefixLength)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
