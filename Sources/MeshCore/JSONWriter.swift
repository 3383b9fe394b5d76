/// Serializes a `Value` into JSON bytes in Go's `encoding/json` style; `JSON.emit` is its public face.
struct JSONWriter {
    private(set) var out: [UInt8] = []
    let indent: Int
    let sortKeys: Bool

    init(indent: Int, sortKeys: Bool) {
        self.indent = indent
        self.sortKeys = sortKeys
        out.reserveCapacity(1024)
    }

    mutating func write(_ value: Value, level: Int) {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .int(let int): append(String(int))
        case .double(let double): append(double.isFinite ? GoFloatFormat.json(double) : "null")
        case .string(let string): writeString(string)
        case .array(let items):
            if items.isEmpty {
                append("[]")
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(item, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                append("{}")
                return
            }
            out.append(UInt8(ascii: "{"))
            var keys = object.keys
            if sortKeys { keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(key)
                out.append(UInt8(ascii: ":"))
                if indent > 0 { out.append(UInt8(ascii: " ")) }
                write(object[key] ?? .null, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(_ level: Int) {
        guard indent > 0 else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    private mutating func append(_ text: String) {
        out.append(contentsOf: text.utf8)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Quotes a string with Go's escapes: short forms for `\b \f \n \r \t \" \\`, `\u00XX` for other control
    /// characters and for `< > &`, and `\u2028`/`\u2029` for the JavaScript line separators.
    mutating func writeString(_ string: String) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var escape: (UInt8, UInt8?)? = nil  // (short letter, or hex code)
                var width = 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = (byte, nil)
                case 0x08: escape = (UInt8(ascii: "b"), nil)
                case 0x0C: escape = (UInt8(ascii: "f"), nil)
                case 0x0A: escape = (UInt8(ascii: "n"), nil)
                case 0x0D: escape = (UInt8(ascii: "r"), nil)
                case 0x09: escape = (UInt8(ascii: "t"), nil)
                case ..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): escape = (0, byte)
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    width = 3
                    escape = (0, bytes[index + 2])
                default: break
                }
                guard let (letter, code) = escape else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                out.append(UInt8(ascii: "\\"))
                if let code {
                    if width == 3 {
                        out.append(contentsOf: "u202".utf8)
                        out.append(code == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    } else {
                        out.append(contentsOf: "u00".utf8)
                        out.append(Self.hexDigits[Int(code >> 4)])
                        out.append(Self.hexDigits[Int(code & 0x0F)])
                    }
                } else {
                    out.append(letter)
                }
                index += width
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
