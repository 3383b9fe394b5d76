import MeshCore

/// Rewrites application probes and lifecycle hooks to the Istio agent's status port, and records the original
/// ones for the agent in `ISTIO_KUBE_APP_PROBERS` (Istio's `DumpAppProbers` / `patchRewriteProbe`).
enum ProbeRewriter {
    static let probes = [("readinessProbe", "/app-health/%@/readyz"), ("livenessProbe", "/app-health/%@/livez"),
        ("startupProbe", "/app-health/%@/startupz")]
    static let hooks = [("preStop", "/app-lifecycle/%@/prestopz"), ("postStart", "/app-lifecycle/%@/poststartz")]

    static func url(_ pattern: String, _ container: String) -> String {
        SprigFunctions.replace(pattern, "%@", with: container)
    }

    /// The probers map: URL → original prober (`httpGet`/`tcpSocket`/`grpc`, `timeoutSeconds`), named ports
    /// resolved; probes already pointing at the status port are left out.
    static func appProbers(_ pod: Value, statusPort: Int) -> Value.Object {
        var out = Value.Object()
        for container in appContainers(pod) {
            guard let name = container.string("name"), name != PodInjector.proxyName else { continue }
            var ports: [String: Value] = [:]
            for port in container["ports"]?.arrayValue ?? [] {
                if let portName = port.string("name"), !portName.isEmpty, let number = port["containerPort"] {
                    ports[portName] = number
                }
            }
            for (field, pattern) in probes {
                if let prober = prober(container[field], ports: ports, statusPort: statusPort) {
                    out[url(pattern, name)] = prober
                }
            }
            for (hook, pattern) in hooks {
                if let prober = prober(container["lifecycle"]?[hook], ports: ports, statusPort: statusPort) {
                    out[url(pattern, name)] = prober
                }
            }
        }
        return out
    }

    /// Containers whose probes the agent takes over: app containers and native sidecars (init containers with
    /// `restartPolicy: Always`).
    static func appContainers(_ pod: Value) -> [Value] {
        (pod["spec"]?["containers"]?.arrayValue ?? [])
            + (pod["spec"]?["initContainers"]?.arrayValue ?? []).filter { $0.string("restartPolicy") == "Always" }
    }

    private static func prober(_ probe: Value?, ports: [String: Value], statusPort: Int) -> Value? {
        guard let probe, probe.objectValue != nil else { return nil }
        var result = Value.Object()
        if let grpc = probe["grpc"] {
            result["grpc"] = grpc
        } else {
            let key = probe["httpGet"] != nil ? "httpGet" : probe["tcpSocket"] != nil ? "tcpSocket" : nil
            guard let key, var action = probe[key] else { return nil }
            switch action["port"] {
            case .string(let name)?:
                if let number = Int(name) {
                    action["port"] = .int(number)
                } else {
                    guard let number = ports[name] else { return nil }
                    action["port"] = number
                }
            case let port? where port.intValue == statusPort:
                return nil
            default: break
            }
            result[key] = action
        }
        if let timeout = probe["timeoutSeconds"], timeout.intValue != 0 { result["timeoutSeconds"] = timeout }
        return .object(result)
    }

    /// Points the containers' HTTP, TCP and gRPC probes and hooks at the agent's status port.
    static func rewrite(_ pod: inout Value, statusPort: Int) {
        for field in ["containers", "initContainers"] {
            guard var containers = pod["spec"]?[field]?.arrayValue else { continue }
            rewrite(&containers, statusPort: statusPort, nativeOnly: field == "initContainers")
            pod.set(["spec", field], to: .array(containers))
        }
    }

    private static func rewrite(_ containers: inout [Value], statusPort: Int, nativeOnly: Bool) {
        for index in containers.indices {
            if nativeOnly && containers[index].string("restartPolicy") != "Always" { continue }
            guard let name = containers[index].string("name"), name != PodInjector.proxyName else { continue }
            for (field, pattern) in probes {
                if let probe = containers[index][field], let converted = convert(probe, url(pattern, name), statusPort) {
                    containers[index][field] = converted
                }
            }
            guard var lifecycle = containers[index]["lifecycle"], lifecycle.objectValue != nil else { continue }
            for (hook, pattern) in hooks {
                if let handler = lifecycle[hook], let converted = convert(handler, url(pattern, name), statusPort) {
                    lifecycle[hook] = converted
                }
            }
            containers[index]["lifecycle"] = lifecycle
        }
    }

    private static func convert(_ probe: Value, _ url: String, _ statusPort: Int) -> Value? {
        guard probe.objectValue != nil else { return nil }
        var result = probe
        if var http = probe["httpGet"], http.objectValue != nil {
            http["port"] = .int(statusPort)
            http["path"] = .string(url)
            if http.string("scheme") == "HTTPS" { http["scheme"] = "HTTP" }
            result["httpGet"] = http
            return result
        }
        if probe["tcpSocket"] != nil || probe["grpc"] != nil {
            result["tcpSocket"] = nil
            result["grpc"] = nil
            result["httpGet"] = ["path": .string(url), "port": .int(statusPort)]
            return result
        }
        return nil
    }
}
