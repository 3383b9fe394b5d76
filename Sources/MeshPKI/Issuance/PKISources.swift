import Foundation
import X509

/// Where issuance gets the current time, serial numbers and keys; injected so tests are deterministic.
public struct PKISources: Sendable {
    /// The current time.
    public var now: @Sendable () -> Date
    /// A new serial number for each certificate.
    public var serial: @Sendable () -> Certificate.SerialNumber
    /// New private keys.
    public var keys: KeyFactory

    public init(
        now: @escaping @Sendable () -> Date,
        serial: @escaping @Sendable () -> Certificate.SerialNumber,
        keys: KeyFactory
    ) {
        self.now = now
        self.serial = serial
        self.keys = keys
    }

    /// The real clock, random 128-bit serials (as Istio's CA uses) and fresh keys.
    public static let system = PKISources(
        now: { Date() },
        serial: { randomSerial() },
        keys: .system)

    /// The current time truncated to whole seconds: certificates hold whole seconds, and a time rounded up would
    /// make a fresh certificate "not yet valid" for the rest of the second.
    public func currentTime() -> Date {
        Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
    }

    /// A random positive serial number below 2^128, like Istio's CA draws them (never zero).
    public static func randomSerial() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        if bytes.allSatisfy({ $0 == 0 }) { bytes[15] = 1 }
        return Certificate.SerialNumber(bytes: bytes)
    }
}
