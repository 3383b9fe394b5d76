import MeshCore

/// Table cells that kubectl's built-in printers compute rather than read from one field.
enum ComputedColumns {
    static func value(_ name: String, _ object: Value) -> Value {
        let status = object["status"] ?? .null
        switch name {
        case "{node.status}":
            let ready = status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
            var text = ready?["status"]?.stringValue == "True" ? "Ready" : (ready == nil ? "Unknown" : "NotReady")
            if object["spec"]?["unschedulable"]?.boolValue == true { text += ",SchedulingDisabled" }
            return .string(text)
        case "{node.roles}":
            let roles = (object["metadata"]?["labels"]?.objectValue ?? [:]).keys
                .filter { $0.hasPrefix("node-role.kubernetes.io/") }
                .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
            return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
        case "{pod.ready}":
            let total = object["spec"]?["containers"]?.arrayValue?.count ?? 0
            let ready = status["containerStatuses"]?.arrayValue?.filter { $0["ready"]?.boolValue == true }.count ?? 0
            return .string("\(ready)/\(total)")
        case "{pod.status}":
            if object["metadata"]?["deletionTimestamp"] != nil { return "Terminating" }
            for container in status["containerStatuses"]?.arrayValue ?? [] {
                if let reason = container["state"]?["waiting"]?["reason"]?.stringValue { return .string(reason) }
            }
            return .string(status["reason"]?.stringValue ?? status["phase"]?.stringValue ?? "Pending")
        case "{pod.restarts}":
            let restarts = status["containerStatuses"]?.arrayValue?.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) } ?? 0
            return .int(restarts)
        case "{service.ports}":
            let ports = (object["spec"]?["ports"]?.arrayValue ?? []).map { port -> String in
                let number = port["port"]?.intValue ?? 0
                let node = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                return "\(number)\(node)/\(port["protocol"]?.stringValue ?? "TCP")"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        case "{count.data}":
            return .int((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0))
        case "{workload.ready}":
            return .string("\(status["readyReplicas"]?.intValue ?? 0)/\(object["spec"]?["replicas"]?.intValue ?? 1)")
        case "{event.object}":
            let involved = object["involvedObject"] ?? .null
            return .string("\((involved["kind"]?.stringValue ?? "").lowercased())/\(involved["name"]?.stringValue ?? "")")
        default:
            return .null
        }
    }
}
