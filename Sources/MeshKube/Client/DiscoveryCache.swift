/// What discovery found, kept for the life of one client (one command).
struct DiscoveryCache: Sendable {
    /// Every served resource (preferred version of each group; core first, then in the server's group order).
    var resources: [APIResource]
}
