import MeshCore

/// Protobuf durations as Istio accepts them (`1.5s`, `100ms`, `2m`); Go's duration syntax.
enum GoDurationText {
    /// The duration in milliseconds, or `nil` when it does not parse.
    static func milliseconds(_ text: String) -> Double? {
        guard let duration = try? GoDuration.parse(text) else { return nil }
        return duration.seconds * 1000
    }
}
