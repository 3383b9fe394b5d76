import MeshCore

/// Kubernetes resource quantities, as far as describing requests needs: CPU in millicores, memory in bytes.
enum Quantity {
    /// `100m` → 100, `2` → 2000, `0.5` → 500.
    static func millicores(_ text: String?) -> Int {
        guard let text, !text.isEmpty else { return 0 }
        if text.hasSuffix("m") { return Int(text.dropLast()) ?? 0 }
        return Int(((Double(text) ?? 0) * 1000).rounded())
    }

    /// `128Mi`, `1Gi`, `500M`, `1e3`, plain bytes.
    static func bytes(_ text: String?) -> Int {
        guard let text, !text.isEmpty else { return 0 }
        let units: [(String, Double)] = [("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
                                         ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Int((Double(text.dropLast(suffix.count)) ?? 0) * factor)
        }
        return Int(Double(text) ?? 0)
    }

    static func formatCPU(_ millicores: Int) -> String { "\(millicores)m" }

    static func formatMemory(_ bytes: Int) -> String { "\(bytes / 1_048_576)Mi" }
}
