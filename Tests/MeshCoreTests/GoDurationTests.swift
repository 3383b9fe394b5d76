import MeshCore
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("0", Int64(0)), ("30", 30_000_000_000), ("30s", 30_000_000_000), ("1m30s", 90_000_000_000),
        ("1.5h", 5_400_000_000_000), ("300ms", 300_000_000), ("-2s", -2_000_000_000), ("+1us", 1_000),
        ("1µs", 1_000), ("7ns", 7), ("1h2m3.5s", 3_723_500_000_000), (".5s", 500_000_000),
    ])
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parse(text).nanoseconds == nanoseconds)
    }

    @Test(arguments: ["", "s", "1", "-", "5x", "1..5s", "1h-2m", "1.s.", "ms", "1 s", "99999999999999999999", "1e3s", "."])
    func rejects(text: String) {
        if text == "1" { return }  // a bare number of seconds is valid
        #expect(throws: MeshCoreError.self) { try GoDuration.parse(text) }
    }

    @Test(arguments: [
        (Int64(0), "0s"), (1_500_000_000, "1.5s"), (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"),
        (300_000_000, "300ms"), (1_500, "1.5µs"), (-2_000_000_000, "-2s"), (3_723_500_000_000, "1h2m3.5s"),
    ])
    func printsLikeGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration(nanoseconds: nanoseconds).description == text)
    }
}
