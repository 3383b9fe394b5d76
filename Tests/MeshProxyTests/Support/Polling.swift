/// Calls `check` every 10 ms until it returns a value or `timeout` passes (then `nil`).
func poll<T>(timeout: Duration, _ check: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try await check() { return value }
        try await Task.sleep(for: .milliseconds(10))
    }
    return nil
}
