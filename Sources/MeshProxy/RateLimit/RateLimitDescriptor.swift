import NIOHTTP1

/// A descriptor of Envoy's local rate limit: the entries a route's `rate_limits` actions must produce for a
/// request to take its tokens from this bucket instead of the route's default one.
public struct RateLimitDescriptor: Sendable, Equatable {
    public var entries: [Entry]
    public var maxTokens: Int
    public var tokensPerFill: Int
    public var fillInterval: Duration

    /// One `key`/`value` pair of a descriptor.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
    }
}

/// A route `rate_limits` action of the `request_headers` kind: the value of `header` becomes the entry
/// `descriptorKey`.
public struct RequestHeadersAction: Sendable, Equatable {
    /// Lower case; `:path`, `:method` and `:authority` name the request line and host.
    public var header: String
    public var descriptorKey: String
    /// Without the header, the entry is left out (`true`) or the whole descriptor is not produced (`false`, Envoy's
    /// default).
    public var skipIfAbsent = false

    /// The descriptors a request produces: one per `rate_limits` item (a list of actions), as Envoy builds them.
    static func descriptors(of head: HTTPRequestHead, rateLimits: [[RequestHeadersAction]]) -> [[RateLimitDescriptor.Entry]] {
        rateLimits.compactMap { actions in
            var entries: [RateLimitDescriptor.Entry] = []
            for action in actions {
                guard let value = action.value(in: head) else {
                    if action.skipIfAbsent { continue }
                    return nil
                }
                entries.append(RateLimitDescriptor.Entry(key: action.descriptorKey, value: value))
            }
            return entries.isEmpty ? nil : entries
        }
    }

    private func value(in head: HTTPRequestHead) -> String? {
        switch header {
        case ":path": head.uri
        case ":method": head.method.rawValue
        case ":authority": head.headers.first(name: "host")
        default: head.headers.first(name: header)
        }
    }
}
