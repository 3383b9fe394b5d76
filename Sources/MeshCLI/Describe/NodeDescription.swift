import MeshCore

/// `describe node` as a pure presenter: node identity, addresses, conditions, capacity, and the mesh view of
/// the pods on it, from objects already fetched.
struct NodeDescription {
    var node: Value
    var pods: [PodMeshInfo]
    var events: [Value]

    init(node: Value, pods: [Value], events: [Value], meshNamespace: String) {
        self.node = node
        self.pods = pods.map { PodMeshInfo($0, meshNamespace: meshNamespace) }
            .sorted { ($0.role.rawValue, $0.namespace, $0.name) < ($1.role.rawValue, $1.namespace, $1.name) }
        self.events = Array(events.sorted {
            ($0["lastTimestamp"]?.stringValue ?? $0["eventTime"]?.stringValue ?? "") < ($1["lastTimestamp"]?.stringValue ?? $1["eventTime"]?.stringValue ?? "")
        }.suffix(10))
    }

    func count(_ role: PodMeshInfo.Role) -> Int { pods.filter { $0.role == role }.count }

    var value: Value {
        let status = node["status"] ?? .null
        let sidecarCPU = pods.reduce(0) { $0 + $1.sidecarCPU }, sidecarMemory = pods.reduce(0) { $0 + $1.sidecarMemory }
        let appCPU = pods.reduce(0) { $0 + $1.appCPU }, appMemory = pods.reduce(0) { $0 + $1.appMemory }
        return [
            "name": node["metadata"]?["name"] ?? "",
            "addresses": status["addresses"] ?? [],
            "conditions": .array((status["conditions"]?.arrayValue ?? []).map {
                ["type": $0["type"] ?? "", "status": $0["status"] ?? "", "reason": $0["reason"] ?? ""]
            }),
            "capacity": status["capacity"] ?? [:],
            "allocatable": status["allocatable"] ?? [:],
            "nodeInfo": status["nodeInfo"] ?? [:],
            "mesh": [
                "controlPlane": .int(count(.controlPlane)), "gateways": .int(count(.gateway)),
                "meshed": .int(count(.meshed)), "unmeshed": .int(count(.unmeshed)),
                "requests": [
                    "sidecars": ["cpu": .string(Quantity.formatCPU(sidecarCPU)), "memory": .string(Quantity.formatMemory(sidecarMemory))],
                    "applications": ["cpu": .string(Quantity.formatCPU(appCPU)), "memory": .string(Quantity.formatMemory(appMemory))],
                ],
            ],
            "pods": .array(pods.map(\.value)),
            "events": .array(events.map {
                ["type": $0["type"] ?? "", "reason": $0["reason"] ?? "", "message": $0["message"] ?? "",
                 "time": $0["lastTimestamp"] ?? $0["eventTime"] ?? .null]
            }),
        ]
    }

    var text: String {
        let v = value
        let text: (Value?) -> String = { JSONPathText.scalar($0) }
        var out = "Name:           \(text(v["name"]))\n"
        out += "Addresses:      " + (v["addresses"]?.arrayValue ?? []).map { "\(text($0["type"]))=\(text($0["address"]))" }.joined(separator: ", ") + "\n"
        let info = v["nodeInfo"] ?? .null
        out += "System:         \(text(info["osImage"])), kernel \(text(info["kernelVersion"])), \(text(info["architecture"])), kubelet \(text(info["kubeletVersion"]))\n"
        out += "Conditions:\n" + TableWriter.render(header: ["  TYPE", "STATUS", "REASON"], rows: (v["conditions"]?.arrayValue ?? []).map {
            ["  " + text($0["type"]), text($0["status"]), text($0["reason"])]
        })
        out += "Capacity:       " + Self.resources(v["capacity"]) + "\n"
        out += "Allocatable:    " + Self.resources(v["allocatable"]) + "\n"
        let mesh = v["mesh"] ?? .null
        out += "Mesh:           \(text(mesh["controlPlane"])) control plane, \(text(mesh["gateways"])) gateway, \(text(mesh["meshed"])) meshed, \(text(mesh["unmeshed"])) unmeshed\n"
        out += "Requests:       sidecars cpu \(text(mesh["requests"]?["sidecars"]?["cpu"])) memory \(text(mesh["requests"]?["sidecars"]?["memory"])); "
        out += "applications cpu \(text(mesh["requests"]?["applications"]?["cpu"])) memory \(text(mesh["requests"]?["applications"]?["memory"]))\n"
        out += "Pods:\n"
        if pods.isEmpty {
            out += "  <none>\n"
        } else {
            out += TableWriter.render(header: ["  NAMESPACE", "NAME", "ROLE", "PHASE", "SIDECAR", "PROXY VERSION", "REVISION"], rows: pods.map {
                ["  " + $0.namespace, $0.name, $0.role.rawValue, $0.phase, $0.sidecarMode ?? "-", $0.proxyVersion ?? "-", $0.revision ?? "-"]
            })
        }
        out += "Events:\n"
        if events.isEmpty {
            out += "  <none>\n"
        } else {
            out += TableWriter.render(header: ["  TYPE", "REASON", "MESSAGE"], rows: (v["events"]?.arrayValue ?? []).map {
                ["  " + text($0["type"]), text($0["reason"]), text($0["message"])]
            })
        }
        return out
    }

    private static func resources(_ value: Value?) -> String {
        (value?.objectValue ?? [:]).map { "\($0.key)=\(JSONPathText.scalar($0.value))" }.sorted().joined(separator: ", ")
    }
}

/// Scalars as text for human output.
enum JSONPathText {
    static func scalar(_ value: Value?) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        default: ""
        }
    }
}
