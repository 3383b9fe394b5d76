import Foundation
import MeshCore
import MeshPKI
import X509

/// Prints what the `pki` commands made or found: certificates (role, subject, validity, key, fingerprint) and
/// files written, as text or as `-o json|yaml`.
struct PKIPrinter {
    /// A certificate with the role it plays (`root`, `intermediate`, `workload`, `certificate 2`).
    struct Item {
        var role: String
        var summary: CertificateSummary
    }

    var items: [Item] = []
    var files: [String] = []
    /// Extra top-level fields for `-o json|yaml`.
    var extra: Value.Object = [:]

    mutating func add(_ role: String, _ certificate: Certificate, now: Date) {
        items.append(Item(role: role, summary: CertificateSummary(certificate, now: now)))
    }

    /// The short form: one block per certificate with the facts a person checks first.
    func briefText() -> String {
        var lines = files.map { "Wrote \($0)" + ($0.hasSuffix("key.pem") ? " (mode 0600)" : "") }
        for item in items {
            if !lines.isEmpty { lines.append("") }
            lines.append("\(item.role.prefix(1).uppercased() + item.role.dropFirst()): \(item.summary.subject)")
            if !item.summary.subjectAlternativeNames.isEmpty {
                lines.append("  SANs:     \(item.summary.subjectAlternativeNames.joined(separator: ", "))")
            }
            lines.append("  Issuer:   \(item.summary.issuer)")
            lines.append("  Valid:    \(Timestamps.text(item.summary.notBefore)) to \(Timestamps.text(item.summary.notAfter)) (\(item.summary.timeLeft))")
            lines.append("  Key:      \(item.summary.keyAlgorithm) \(item.summary.keyBits)")
            lines.append("  SHA-256:  \(item.summary.sha256Fingerprint)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The long form of `pki inspect`: every fact of every certificate.
    func fullText() -> String {
        items.enumerated().map { index, item in
            "Certificate \(index + 1) (\(item.role)):\n" + item.summary.lines.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    /// `{files: [...], certificates: [{role, ...summary}], ...extra}`.
    var value: Value {
        var object = extra
        if !files.isEmpty { object["files"] = .array(files.map(Value.string)) }
        object["certificates"] = .array(items.map { item in
            var fields: Value.Object = ["role": .string(item.role)]
            for (key, value) in item.summary.value.objectValue ?? [:] { fields[key] = value }
            return .object(fields)
        })
        return .object(object)
    }

    /// Writes the result: `-o` format when given, else `text`.
    func print(_ format: OutputFormat?, text: String, to context: CommandContext) {
        if let format {
            context.standardOutput.write(ObjectPrinter.render(value, format: format))
        } else {
            context.standardOutput.write(text)
        }
    }
}
