import MeshCore

/// Finds the words a user probably meant: the candidates within a small edit distance or starting with the typo.
enum NearMatch {
    /// Candidates close to `word`, best first; at most `limit`.
    static func suggestions(for word: String, among candidates: [String], limit: Int = 3) -> [String] {
        guard !word.isEmpty else { return [] }
        let lowered = word.lowercased()
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let distance = editDistance(lowered, candidate.lowercased())
            let threshold = max(1, min(2, candidate.count / 3))
            if distance <= threshold { return (candidate, distance) }
            if lowered.count >= 2, candidate.lowercased().hasPrefix(lowered) { return (candidate, threshold + 1) }
            return nil
        }
        var seen = Set<String>()
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .map(\.0)
            .filter { seen.insert($0).inserted }
            .prefix(limit)
            .map { $0 }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// ` — did you mean "a"?` or ` — did you mean "a" or "b"?`, or nothing.
    static func phrase(for word: String, among candidates: [String], prefix: String = "") -> String {
        let found = suggestions(for: word, among: candidates)
        guard !found.isEmpty else { return "" }
        let quoted = found.map { "\"\(prefix)\($0)\"" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return " — did you mean \(list)?"
    }
}
