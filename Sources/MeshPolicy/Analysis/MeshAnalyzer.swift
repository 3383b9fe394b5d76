/// `meshctl analyze`'s checks across resources, on a snapshot: pure, so files and a live cluster get the same
/// answers. Each check follows the istioctl analyzer of the same message code.
public enum MeshAnalyzer {
    /// Every finding, worst first, then by resource.
    public static func analyze(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        var messages = snapshot.unreadable
        messages += schema(snapshot)
        messages += gatewayReferences(snapshot)
        messages += destinationHosts(snapshot)
        messages += subsetPods(snapshot)
        messages += gatewayWorkloads(snapshot)
        messages += gatewaySecrets(snapshot)
        messages += peerAuthenticationConflicts(snapshot)
        return sorted(messages)
    }

    static func sorted(_ messages: [AnalysisMessage]) -> [AnalysisMessage] {
        Array(Set(messages)).sorted { a, b in
            if a.level != b.level { return a.level > b.level }
            if a.origin != b.origin { return a.origin < b.origin }
            return (a.code, a.message) < (b.code, b.message)
        }
    }

    /// IST0106 / IST0133: what Istio's validation rejects or warns about, per resource.
    static func schema(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        snapshot.resources.flatMap { resource in
            Validator.validate(resource).map { issue in
                let detail = issue.path.isEmpty ? issue.message : "\(issue.path): \(issue.message)"
                return issue.severity == .error
                    ? AnalysisMessage(.schemaValidationError, origin: resource.origin, "Schema validation error: \(detail)")
                    : AnalysisMessage(.schemaWarning, origin: resource.origin, "Schema validation warning: \(detail)")
            }
        }
    }

    /// Go's `%q` for the strings in messages.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// Go's `%v` of a string list: `[a b]`.
    static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}
