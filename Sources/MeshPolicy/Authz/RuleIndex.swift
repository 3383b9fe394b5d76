/// The rules of an engine filed by what an HTTP request must have for them to match: its method, destination
/// port and the first bytes of its path.
///
/// Each rule is filed under the exact methods, ports and path prefixes that every one of its operations (or one
/// of its conditions) requires, or under "any" for a dimension it does not pin down. A request then checks only
/// the rules filed under its own method, port and path bytes or "any", in engine order, so the verdict is the
/// one a full scan gives. Keys are hashes: a collision only adds a candidate, it never hides one. TCP traffic is
/// not indexed (HTTP-only fields are ignored there), the engine scans for it.
struct RuleIndex: Sendable {
    private struct Key: Hashable {
        var method: UInt64
        var port: UInt64
        var path: UInt64
    }

    /// A run of `members`.
    private struct Span {
        var start: Int32
        var end: Int32
        static let empty = Span(start: 0, end: 0)
    }

    /// One slot of the open-addressing table from keys to spans (`span.start < 0`: empty).
    private struct Slot {
        var key: Key
        var span: Span
    }


    /// "Any value": a key no hash takes (hashes have the top bit clear, ports are below 65536).
    private static let any = UInt64.max
    /// At most this many keys per rule; past it, the widest dimension is filed as "any".
    private static let maxKeys = 512

    /// The indexed rules in engine order, with the position of their policy in the engine and its action.
    private let rules: [CompiledRule]
    private let policyOf: [Int32]
    private let actions: [AuthorizationAction]
    /// Keys to spans, a power-of-two table with linear probing (no hashing or reference counting per probe).
    private let table: [Slot]
    /// Entry positions, bucket after bucket, ascending within a bucket.
    private let members: [Int32]
    /// How many leading path bytes the path key covers (0: paths are not indexed).
    private let pathLength: Int
    private let indexesMethods: Bool
    private let indexesPorts: Bool
    /// Which of the eight key shapes (each dimension a value or "any") some rule is filed under: others are not probed.
    private let shapes: UInt8

    init(_ policies: [CompiledPolicy]) {
        var rules: [CompiledRule] = []
        var policyOf: [Int32] = []
        var actions: [AuthorizationAction] = []
        var needs: [(methods: [UInt64]?, ports: [UInt64]?, paths: [String]?)] = []
        for (policy, compiled) in policies.enumerated() {
            for rule in compiled.rules where rule.disabled == nil {
                rules.append(rule)
                policyOf.append(Int32(policy))
                actions.append(compiled.reference.action)
                needs.append((
                    Self.required(rule, .method) { if case .header(.exact(let method)) = $0 { Self.hash(method.utf8) } else { nil } },
                    Self.required(rule, .port) { if case .port(let port) = $0 { UInt64(port) } else { nil } },
                    Self.required(rule, .path) { value -> String? in
                        switch value {
                        case .string(.exact(let path)), .string(.prefix(let path)): path
                        default: nil
                        }
                    }))
            }
        }
        // The path key covers as many bytes as 90% of the path literals have.
        let lengths = needs.flatMap { $0.paths ?? [] }.map(\.utf8.count).sorted()
        let pathLength = lengths.isEmpty ? 0 : max(1, lengths[lengths.count / 10])
        var lists: [Key: [Int32]] = [:]
        for (position, need) in needs.enumerated() {
            var methods = need.methods.map { Array(Set($0)) } ?? [Self.any]
            var ports = need.ports.map { Array(Set($0)) } ?? [Self.any]
            var paths = [Self.any]
            if pathLength > 0, let literals = need.paths, literals.allSatisfy({ $0.utf8.count >= pathLength }) {
                paths = Array(Set(literals.map { Self.hash($0.utf8.prefix(pathLength)) }))
            }
            while methods.count * ports.count * paths.count > Self.maxKeys {
                if methods.count >= ports.count && methods.count >= paths.count { methods = [Self.any] } else if ports.count >= paths.count { ports = [Self.any] } else { paths = [Self.any] }
            }
            for method in methods {
                for port in ports {
                    for path in paths { lists[Key(method: method, port: port, path: path), default: []].append(Int32(position)) }
                }
            }
        }
        var members: [Int32] = []
        var size = 16
        while size < lists.count * 2 { size *= 2 }
        var table = [Slot](repeating: Slot(key: Key(method: 0, port: 0, path: 0), span: Span(start: -1, end: -1)), count: size)
        for (key, list) in lists {
            var slot = Self.slot(key, size - 1)
            while table[slot].span.start >= 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Slot(key: key, span: Span(start: Int32(members.count), end: Int32(members.count + list.count)))
            members += list
        }
        self.rules = rules
        self.policyOf = policyOf
        self.actions = actions
        self.table = table
        self.members = members
        self.pathLength = pathLength
        shapes = lists.keys.reduce(0) { $0 | 1 << Self.shape($1) }
        indexesMethods = lists.keys.contains { $0.method != Self.any }
        indexesPorts = lists.keys.contains { $0.port != Self.any }
    }

    /// The engine's verdict for an HTTP request, checking only the candidate rules in engine order.
    func decide(_ request: PreparedRequest, _ engine: AuthorizationEngine) -> AuthorizationEngine.Verdict {
        let method = indexesMethods ? request.request.method.map { Self.hash($0.utf8) } : nil
        let port = indexesPorts ? request.request.port.map { UInt64($0) } : nil
        var path: UInt64?
        if pathLength > 0, let text = request.path, text.utf8.count >= pathLength { path = Self.hash(text.utf8.prefix(pathLength)) }
        var spans = Spans()
        // The request's own value and "any" in each dimension (only "any" when it has none).
        for m in 0..<(method == nil ? 1 : 2) {
            for p in 0..<(port == nil ? 1 : 2) {
                for h in 0..<(path == nil ? 1 : 2) {
                    let key = Key(method: m == 0 ? method ?? Self.any : Self.any, port: p == 0 ? port ?? Self.any : Self.any, path: h == 0 ? path ?? Self.any : Self.any)
                    if shapes & 1 << Self.shape(key) != 0, let span = find(key) { spans.append(span) }
                }
            }
        }
        var passed = -1  // a CUSTOM policy that matched and whose provider allowed
        while let position = spans.next(members) {
            let entry = Int(position)
            let policy = Int(policyOf[entry])
            guard policy != passed, rules[entry].matches(request, action: actions[entry]) else { continue }
            if let verdict = engine.verdict(matching: policy) { return verdict }
            passed = policy
        }
        return engine.noMatch
    }

    /// Up to eight spans of `members`, merged in ascending order; plain values, no allocation.
    private struct Spans {
        private var items: (Span, Span, Span, Span, Span, Span, Span, Span) = (.empty, .empty, .empty, .empty, .empty, .empty, .empty, .empty)
        private var count = 0

        mutating func append(_ span: Span) {
            withUnsafeMutableBytes(of: &items) { $0.bindMemory(to: Span.self)[count] = span }
            count += 1
        }

        /// The smallest member at the head of a span, taken from it; `nil` when all are used up.
        mutating func next(_ members: [Int32]) -> Int32? {
            let count = count
            return withUnsafeMutableBytes(of: &items) { raw in
                let spans = raw.bindMemory(to: Span.self)
                var best = -1, smallest = Int32.max
                for slot in 0..<count where spans[slot].start < spans[slot].end && members[Int(spans[slot].start)] < smallest {
                    best = slot
                    smallest = members[Int(spans[slot].start)]
                }
                guard best >= 0 else { return nil }
                spans[best].start += 1
                return smallest
            }
        }
    }

    /// The span filed under `key`, if any.
    @inline(__always)
    private func find(_ key: Key) -> Span? {
        let mask = table.count - 1
        var slot = Self.slot(key, mask)
        while table[slot].span.start >= 0 {
            if table[slot].key == key { return table[slot].span }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The shape of a key: which dimensions are "any".
    @inline(__always)
    private static func shape(_ key: Key) -> UInt8 {
        (key.method == any ? 4 : 0) | (key.port == any ? 2 : 0) | (key.path == any ? 1 : 0)
    }

    /// Where probing for `key` starts.
    @inline(__always)
    private static func slot(_ key: Key, _ mask: Int) -> Int {
        var mixed = key.method &* 0x9e37_79b9_7f4a_7c15
        mixed ^= key.port &* 0xc2b2_ae3d_27d4_eb4f
        mixed ^= key.path &* 0x1656_67b1_9e37_79f9
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed) & mask
    }

    /// The values of `attribute` a request must have for `rule` to match, from a matcher that pins it down
    /// (positive, every value giving a key), or `nil` when any value may match.
    private static func required<T>(_ rule: CompiledRule, _ attribute: Attribute, _ key: (AttributeMatcher.ValueMatcher) -> T?) -> [T]? {
        func pinned(_ matchers: [AttributeMatcher]) -> [T]? {
            for matcher in matchers where matcher.attribute == attribute && !matcher.negated && !matcher.values.isEmpty {
                let keys = matcher.values.compactMap(key)
                if keys.count == matcher.values.count { return keys }
            }
            return nil
        }
        if let keys = pinned(rule.conditions) { return keys }
        guard let operations = rule.operations, !operations.isEmpty else { return nil }
        var union: [T] = []
        for group in operations {
            guard let keys = pinned(group) else { return nil }
            union += keys
        }
        return union
    }

    /// FNV-1a over the bytes, top bit cleared.
    @inline(__always)
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash & ~(1 << 63)
    }
}
