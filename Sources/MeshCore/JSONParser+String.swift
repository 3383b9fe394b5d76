extension JSONParser {
    /// Parses a string starting at its opening quote.
    ///
    /// The fast path scans to the closing quote and makes the String from the byte slice in one go; only strings
    /// with escapes are copied byte by byte. UTF-8 is validated here so errors point at the bad byte.
    mutating func parseString() throws(MeshCoreError) -> String {
        position += 1
        let start = position
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: input[start..<position])
                position += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character \(describe(byte)) must be escaped in a string") }
            if byte < 0x80 {
                position += 1
            } else {
                position += try validateUTF8Sequence()
            }
        }
        guard position < input.count else { throw error("unexpected end of input inside a string") }
        return try parseEscapedString(from: start)
    }

    /// The slow path: copies the string into a buffer, decoding escapes.
    private mutating func parseEscapedString(from start: Int) throws(MeshCoreError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - start + 32)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<position]))
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try decodeEscape(into: &buffer)
            case ..<0x20:
                throw error("control character \(describe(byte)) must be escaped in a string")
            case ..<0x80:
                buffer.append(byte)
                position += 1
            default:
                let length = try validateUTF8Sequence()
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[position..<position + length]))
                position += length
            }
        }
        throw error("unexpected end of input inside a string")
    }

    /// Decodes one escape sequence at the backslash under `position`.
    private mutating func decodeEscape(into buffer: inout [UInt8]) throws(MeshCoreError) {
        position += 1
        guard position < input.count else { throw error("unexpected end of input inside a string") }
        let byte = input[position]
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            position += 1
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate; a lone half becomes U+FFFD
                // (as Go's encoding/json does) and whatever follows is read on its own.
                if position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                    input[position + 1] == UInt8(ascii: "u")
                {
                    let saved = position
                    position += 2
                    let low = try readHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = saved
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(scalar) {
                scalar = 0xFFFD
            }
            appendUTF8(scalar, to: &buffer)
            return
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(byte)))' in string")
        }
        position += 1
    }

    private mutating func readHex4() throws(MeshCoreError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < input.count else { throw error("unexpected end of input in \\u escape") }
            let byte = input[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \(describe(byte)) in \\u escape, expected a hex digit")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            buffer.append(UInt8(scalar))
        case ..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks the multi-byte UTF-8 sequence at `position` (RFC 3629: no overlongs, no surrogates, at most
    /// U+10FFFF) and returns its length; the error points at the first offending byte.
    mutating func validateUTF8Sequence() throws(MeshCoreError) -> Int {
        let lead = input[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8: unexpected \(describe(lead))")
        }
        for offset in 1..<length {
            let index = position + offset
            guard index < input.count else {
                position = index
                throw error("invalid UTF-8: truncated sequence")
            }
            let byte = input[index]
            let range: ClosedRange<UInt8> = offset == 1 ? secondRange : 0x80...0xBF
            if !range.contains(byte) {
                position = index
                throw error("invalid UTF-8: unexpected \(describe(byte))")
            }
        }
        return length
    }
}
