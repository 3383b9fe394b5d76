import FoundationEssentials

/// base64url without padding (RFC 7515 §2), as JWT parts and JWK numbers are written.
enum Base64URL {
    /// The bytes `text` encodes, or `nil` when it is not base64url.
    static func decode(_ text: Substring) -> [UInt8]? {
        var standard = String()
        standard.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            switch character {
            case "-": standard.append("+")
            case "_": standard.append("/")
            case "+", "/", "=": return nil  // base64, not base64url (padding is not allowed in JWS either)
            default: standard.unicodeScalars.append(character)
            }
        }
        while standard.utf8.count % 4 != 0 { standard.append("=") }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
