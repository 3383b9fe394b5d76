import MeshCore

/// Istio's validation of injection annotations on a pod: the values it would reject at admission, with its
/// messages (`invalid value 'bad' for annotation 'traffic.sidecar.istio.io/includeOutboundIPRanges': …`).
enum AnnotationValidation {
    typealias Validator = @Sendable (String) -> String?

    static let validators: [String: Validator] = [
        "sidecar.istio.io/interceptionMode": { value in
            ["REDIRECT", "TPROXY", "NONE"].contains(value) ? nil : "invalid interception mode: \(value)"
        },
        "status.sidecar.istio.io/port": { value in
            guard let port = Int(value), port >= 0, port <= 65535 else {
                return "port number \(value) must be in the range 0..65535"
            }
            return nil
        },
        "readiness.status.sidecar.istio.io/initialDelaySeconds": validateUInt32,
        "readiness.status.sidecar.istio.io/periodSeconds": validateUInt32,
        "readiness.status.sidecar.istio.io/failureThreshold": validateUInt32,
        "traffic.sidecar.istio.io/includeOutboundIPRanges": { value in
            value == "*" ? nil : cidrList(value).map { "includeIPRanges invalid: \($0)" }
        },
        "traffic.sidecar.istio.io/excludeOutboundIPRanges": { value in
            cidrList(value).map { "excludeIPRanges invalid: \($0)" }
        },
        "traffic.sidecar.istio.io/includeInboundPorts": { value in
            value == "*" ? nil : portList(value).map { "includeInboundPorts invalid: \($0)" }
        },
        "traffic.sidecar.istio.io/excludeInboundPorts": { value in
            portList(value).map { "excludeInboundPorts invalid: \($0)" }
        },
        "traffic.sidecar.istio.io/includeOutboundPorts": { value in
            value == "*" ? nil : portList(value).map { "includeOutboundPorts invalid: \($0)" }
        },
        "traffic.sidecar.istio.io/excludeOutboundPorts": { value in
            portList(value).map { "excludeOutboundPorts invalid: \($0)" }
        },
        "prometheus.istio.io/merge-metrics": { value in
            GoBool.parse(value) == nil ? "strconv.ParseBool: parsing \"\(value)\": invalid syntax" : nil
        },
        "proxy.istio.io/config": { value in
            do throws(MeshCoreError) {
                let parsed = try YAML.parse(value)
                return parsed.isNull || parsed.objectValue != nil ? nil : "proxy config must be a mapping"
            } catch {
                return error.description
            }
        },
    ]

    /// The first invalid annotation (in name order) as an error naming `document` and the annotation.
    static func validate(_ annotations: Value.Object, document: String) throws(MeshManifestError) {
        for name in annotations.keys.sorted() {
            guard let validator = validators[name] else { continue }
            let value = SprigFunctions.string(annotations[name] ?? .null)
            if let problem = validator(value) {
                throw MeshManifestError(
                    .invalidManifest, "invalid value '\(value)' for annotation '\(name)': \(problem)",
                    document: document, field: "metadata.annotations[\(name)]")
            }
        }
    }

    static func validateUInt32(_ value: String) -> String? {
        guard let number = UInt64(value), number <= UInt64(UInt32.max) else {
            return "strconv.ParseUint: parsing \"\(value)\": invalid syntax"
        }
        return nil
    }

    /// A problem with a comma-separated list of ports (each 1–65535), or `nil`.
    static func portList(_ value: String) -> String? {
        for item in SprigFunctions.split(value, separator: ",") {
            let port = SprigFunctions.trim(item, cutset: " ")
            if port.isEmpty { continue }
            guard let number = Int(port) else { return "failed parsing port \"\(port)\"" }
            guard number > 0, number <= 65535 else { return "port number \(number) must be in the range 1..65535" }
        }
        return nil
    }

    /// A problem with a comma-separated list of CIDRs, or `nil`.
    static func cidrList(_ value: String) -> String? {
        for item in SprigFunctions.split(value, separator: ",") {
            let cidr = SprigFunctions.trim(item, cutset: " ")
            if cidr.isEmpty { continue }
            if !CIDR.isValid(cidr) { return "netip.ParsePrefix(\"\(cidr)\"): invalid prefix" }
        }
        return nil
    }
}

/// Go's `strconv.ParseBool`.
enum GoBool {
    static func parse(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

/// CIDR syntax (`10.0.0.0/8`, `fd00::/8`), as `netip.ParsePrefix` accepts it.
enum CIDR {
    static func isValid(_ text: String) -> Bool {
        let parts = SprigFunctions.split(text, separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), !parts[1].hasPrefix("+"), !parts[1].hasPrefix("-") else {
            return false
        }
        if isIPv4(parts[0]) { return bits >= 0 && bits <= 32 }
        if isIPv6(parts[0]) { return bits >= 0 && bits <= 128 }
        return false
    }

    static func isIPv4(_ text: String) -> Bool {
        let octets = SprigFunctions.split(text, separator: ".")
        return octets.count == 4 && octets.allSatisfy { octet in
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let number = Int(octet) else {
                return false
            }
            return number <= 255 && !(octet.count > 1 && octet.hasPrefix("0"))
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":") else { return false }
        let halves = SprigFunctions.split(text, separator: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for half in halves where !half.isEmpty {
            for group in SprigFunctions.split(half, separator: ":") {
                if group.contains(".") {
                    guard isIPv4(group) else { return false }
                    groups += 2
                    continue
                }
                guard !group.isEmpty, group.count <= 4, group.allSatisfy(\.isHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups < 8 : groups == 8
    }
}
