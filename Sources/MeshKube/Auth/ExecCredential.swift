import Foundation
import MeshCore

/// What an exec credential plugin printed: a bearer token and/or a client certificate, and until when it holds.
public struct ExecCredential: Sendable, Equatable {
    /// `status.token`.
    public var token: String?
    /// `status.clientCertificateData` (PEM).
    public var clientCertificateData: Data?
    /// `status.clientKeyData` (PEM).
    public var clientKeyData: Data?
    /// `status.expirationTimestamp`; `nil` means until the server refuses it.
    public var expiration: Date?

    /// Makes a credential.
    public init(token: String? = nil, clientCertificateData: Data? = nil, clientKeyData: Data? = nil, expiration: Date? = nil) {
        self.token = token
        self.clientCertificateData = clientCertificateData
        self.clientKeyData = clientKeyData
        self.expiration = expiration
    }

    /// Reads a plugin's output, checking it answers in the `apiVersion` that was asked for.
    static func parse(_ output: Data, expectedVersion: String, command: String) throws(KubeError) -> ExecCredential {
        func fail(_ problem: String) -> KubeError {
            KubeError(.credentials, "the exec plugin \(command) printed an invalid ExecCredential: \(problem)")
        }
        let value: Value
        do { value = try JSON.parse(bytes: output) } catch { throw fail("\(error)") }
        guard value["kind"]?.stringValue == "ExecCredential" else { throw fail("kind is not ExecCredential") }
        let version = value["apiVersion"]?.stringValue ?? ""
        guard version == expectedVersion else {
            throw fail("apiVersion is \"\(version)\", but \(expectedVersion) was asked for")
        }
        guard let status = value["status"], status.objectValue != nil else { throw fail("status is missing") }
        var credential = ExecCredential()
        credential.token = status["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        credential.clientCertificateData = status["clientCertificateData"]?.stringValue.map { Data($0.utf8) }
        credential.clientKeyData = status["clientKeyData"]?.stringValue.map { Data($0.utf8) }
        if (credential.clientCertificateData == nil) != (credential.clientKeyData == nil) {
            throw fail("clientCertificateData and clientKeyData must come together")
        }
        if credential.token == nil && credential.clientCertificateData == nil {
            throw fail("status has neither a token nor a client certificate")
        }
        if let stamp = status["expirationTimestamp"]?.stringValue {
            guard let date = Self.parseTimestamp(stamp) else { throw fail("expirationTimestamp \"\(stamp)\" is not RFC 3339") }
            credential.expiration = date
        }
        return credential
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
