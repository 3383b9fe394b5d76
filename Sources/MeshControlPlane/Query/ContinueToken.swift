import Foundation

/// The opaque `continue` of a paginated list: the resourceVersion of the list's first page (the snapshot the
/// later pages are read at) and the last key sent. Version -1 continues at the latest state instead (the token
/// a 410 for an expired snapshot carries).
struct ContinueToken: Equatable {
    var version: Int
    var lastKey: String

    init(version: Int, lastKey: String) {
        self.version = version
        self.lastKey = lastKey
    }

    init(parsing text: String) throws(APIError) {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8),
              let bar = decoded.firstIndex(of: "|"), let version = Int(decoded[..<bar]), version >= -1 else {
            throw APIError.badRequest("invalid continue token \"\(text)\"")
        }
        self.version = version
        lastKey = String(decoded[decoded.index(after: bar)...])
    }

    var encoded: String { Data("\(version)|\(lastKey)".utf8).base64EncodedString() }
}
