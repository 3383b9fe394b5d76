/// A path template of an authorization policy: `{*}` matches within one path segment, `{**}` matches the
/// rest of the path across segments (`/api/{*}/items`, `/static/{**}`).
struct PathTemplate: Sendable, Hashable {
    /// Literal pieces and operators in order.
    enum Piece: Sendable, Hashable {
        case literal([UInt8])
        case oneSegment
        case anySegments
    }

    let pieces: [Piece]
    let text: String

    /// Whether `path` contains a template operator.
    static func isTemplate(_ path: String) -> Bool {
        path.contains("{*}") || path.contains("{**}")
    }

    init(_ template: String) {
        text = template
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var rest = Substring(template)
        while !rest.isEmpty {
            if rest.hasPrefix("{**}") {
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
                pieces.append(.anySegments)
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("{*}") {
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
                pieces.append(.oneSegment)
                rest = rest.dropFirst(3)
            } else {
                literal += rest.first!.utf8
                rest = rest.dropFirst()
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    func matches(_ path: String) -> Bool {
        Self.match(pieces[...], Array(path.utf8)[...])
    }

    private static func match(_ pieces: ArraySlice<Piece>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pieces.first else { return text.isEmpty }
        let rest = pieces.dropFirst()
        switch first {
        case .literal(let bytes):
            guard text.starts(with: bytes) else { return false }
            return match(rest, text.dropFirst(bytes.count))
        case .oneSegment:
            // One or more characters, none of them '/'.
            var index = text.startIndex
            while index < text.endIndex, text[index] != UInt8(ascii: "/") {
                index += 1
                if match(rest, text[index...]) { return true }
            }
            return false
        case .anySegments:
            var index = text.startIndex
            while true {
                if match(rest, text[index...]) { return true }
                if index == text.endIndex { return false }
                index += 1
            }
        }
    }
}
