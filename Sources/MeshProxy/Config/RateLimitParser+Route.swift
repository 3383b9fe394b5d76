extension RateLimitParser {
    /// An HTTP_ROUTE patch of Istio's "local rate limit on a route": MERGE the route's `rate_limits`
    /// (`request_headers` actions) and the filter's `typed_per_filter_config` (its own bucket and `descriptors`)
    /// into the routes of `match.routeConfiguration.vhost` — all of them (`route.action: ANY`) or the one named.
    static func routeLimit(_ patch: FieldReader, scope: LocalRateLimitConfig.Scope) throws(ProxyError) -> LocalRateLimitConfig {
        guard let body = try patch.child("patch") else { throw patch.fail("patch", "required") }
        let operation = try body.string("operation") ?? ""
        guard operation == "MERGE" else { throw body.fail("operation", "HTTP_ROUTE patches must MERGE, not \(operation)") }
        guard let value = try body.child("value") else { throw body.fail("value", "required") }
        try only(["route", "typed_per_filter_config"], in: value)
        guard let perFilter = try value.child("typed_per_filter_config") else { throw value.fail("typed_per_filter_config", "required") }
        try only([filterName], in: perFilter)
        guard let typed = try perFilter.child(filterName) else { throw perFilter.fail(filterName, "required") }
        var limit = try localRateLimit(unwrapped(typed))
        limit.scope = scope
        if let route = try value.child("route") {
            try only(["rate_limits"], in: route)
            limit.rateLimitActions = try route.children("rate_limits").map { (item) throws(ProxyError) in
                try only(["actions"], in: item)
                return try item.children("actions").map(requestHeadersAction)
            }
        }
        if !limit.descriptors.isEmpty && limit.rateLimitActions.isEmpty {
            throw value.fail("route.rate_limits", "required with descriptors (the actions that produce them)")
        }
        guard let match = try patch.child("match") else { return limit }
        try only(["context", "routeConfiguration"], in: match)
        guard let routes = try match.child("routeConfiguration") else { return limit }
        try only(["vhost"], in: routes)
        guard let vhost = try routes.child("vhost") else { return limit }
        try only(["name", "route"], in: vhost)
        if let name = try vhost.string("name") {
            let prefix = "inbound|http|"
            guard scope == .inbound, name.hasPrefix(prefix), let port = Int(name.dropFirst(prefix.count)) else {
                throw vhost.fail("name", "expected inbound|http|<port> under context SIDECAR_INBOUND, not \(name)")
            }
            limit.scope = .inboundPort(port)
        }
        if let route = try vhost.child("route") {
            try only(["name", "action"], in: route)
            if let action = try route.string("action"), action != "ANY" {
                throw route.fail("action", "only ANY is supported (or name a VirtualService http route with name:)")
            }
            limit.route = try route.string("name")
        }
        return limit
    }

    /// One `rate_limits` action: only `request_headers`.
    private static func requestHeadersAction(_ action: FieldReader) throws(ProxyError) -> RequestHeadersAction {
        try only(["request_headers"], in: action)
        guard let headers = try action.child("request_headers") else { throw action.fail("request_headers", "required") }
        try only(["header_name", "descriptor_key", "skip_if_absent"], in: headers)
        return RequestHeadersAction(
            header: try headers.requiredString("header_name").lowercased(), descriptorKey: try headers.requiredString("descriptor_key"),
            skipIfAbsent: try headers.bool("skip_if_absent") ?? false)
    }

    /// Refuses any field of `reader` but `allowed`, naming it.
    private static func only(_ allowed: Set<String>, in reader: FieldReader) throws(ProxyError) {
        for key in reader.object.keys where !allowed.contains(key) {
            throw reader.fail(key, "not supported here (supported: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
