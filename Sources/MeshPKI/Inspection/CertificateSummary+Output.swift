import MeshCore

extension CertificateSummary {
    /// The summary as a value for `-o json|yaml`; keys are stable, absent facts are left out.
    public var value: Value {
        var object: Value.Object = [
            "subject": .string(subject),
            "issuer": .string(issuer),
            "serialNumber": .string(serialNumber),
            "notBefore": .string(Timestamps.text(notBefore)),
            "notAfter": .string(Timestamps.text(notAfter)),
            "timeLeft": .string(timeLeft),
            "valid": .bool(isCurrentlyValid),
            "publicKey": ["algorithm": .string(keyAlgorithm), "bits": .int(keyBits)],
            "signatureAlgorithm": .string(signatureAlgorithm),
        ]
        if let isCA {
            var constraints: Value.Object = ["ca": .bool(isCA)]
            if let pathLength { constraints["pathLength"] = .int(pathLength) }
            object["basicConstraints"] = .object(constraints)
        }
        if !keyUsage.isEmpty { object["keyUsage"] = .array(keyUsage.map(Value.string)) }
        if !extendedKeyUsage.isEmpty { object["extendedKeyUsage"] = .array(extendedKeyUsage.map(Value.string)) }
        if !subjectAlternativeNames.isEmpty {
            object["subjectAlternativeNames"] = .array(subjectAlternativeNames.map(Value.string))
        }
        if !spiffeIDs.isEmpty { object["spiffeIDs"] = .array(spiffeIDs.map(Value.string)) }
        if let subjectKeyIdentifier { object["subjectKeyIdentifier"] = .string(subjectKeyIdentifier) }
        if let authorityKeyIdentifier { object["authorityKeyIdentifier"] = .string(authorityKeyIdentifier) }
        object["fingerprints"] = ["sha256": .string(sha256Fingerprint), "sha1": .string(sha1Fingerprint)]
        return .object(object)
    }

    /// Indented `Key: value` lines for people.
    public var lines: [String] {
        var lines = [
            "Subject:      \(subject)",
            "Issuer:       \(issuer)",
            "Serial:       \(serialNumber)",
            "Valid:        \(Timestamps.text(notBefore)) to \(Timestamps.text(notAfter)) (\(timeLeft))",
            "Public key:   \(keyAlgorithm) \(keyBits)",
            "Signature:    \(signatureAlgorithm)",
        ]
        switch isCA {
        case .some(true): lines.append("CA:           true" + (pathLength.map { ", path length \($0)" } ?? ""))
        case .some(false): lines.append("CA:           false")
        case .none: lines.append("CA:           (no basicConstraints)")
        }
        if !keyUsage.isEmpty { lines.append("Key usage:    \(keyUsage.joined(separator: ", "))") }
        if !extendedKeyUsage.isEmpty { lines.append("Ext. usage:   \(extendedKeyUsage.joined(separator: ", "))") }
        if !subjectAlternativeNames.isEmpty { lines.append("SANs:         \(subjectAlternativeNames.joined(separator: ", "))") }
        if let subjectKeyIdentifier { lines.append("Subject key:  \(subjectKeyIdentifier)") }
        if let authorityKeyIdentifier { lines.append("Authority key: \(authorityKeyIdentifier)") }
        lines.append("SHA-256:      \(sha256Fingerprint)")
        lines.append("SHA-1:        \(sha1Fingerprint)")
        return lines
    }
}
