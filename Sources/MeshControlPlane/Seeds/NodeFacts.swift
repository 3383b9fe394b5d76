import Foundation
import MeshCore
#if canImport(Glibc)
import Glibc
#endif

/// This machine as a Kubernetes Node: name, addresses, capacity and system info from the OS.
struct NodeFacts {
    var hostname: String
    var internalIP: String
    var cpus: Int
    var memoryKiB: Int
    var storageKiB: Int
    var osImage: String
    var kernelVersion: String
    var architecture: String
    var machineID: String

    /// Reads the facts of this machine; `dataDirectory` decides which filesystem's size is reported.
    static func current(dataDirectory: String) -> NodeFacts {
        var uts = utsname()
        uname(&uts)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var fs = statvfs()
        let storage = statvfs(dataDirectory, &fs) == 0 ? Int(fs.f_blocks) * Int(fs.f_frsize) / 1024 : 0
        let osRelease = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let pretty = osRelease.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { String($0.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let machine = field(uts.machine)
        return NodeFacts(
            hostname: ProcessInfo.processInfo.hostName.lowercased().split(separator: ".").first.map(String.init) ?? "localhost",
            internalIP: firstIPv4() ?? "127.0.0.1",
            cpus: ProcessInfo.processInfo.activeProcessorCount,
            memoryKiB: Int(ProcessInfo.processInfo.physicalMemory / 1024),
            storageKiB: storage,
            osImage: pretty ?? "Linux",
            kernelVersion: field(uts.release),
            architecture: machine == "x86_64" ? "amd64" : (machine == "aarch64" ? "arm64" : machine),
            machineID: ((try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The first non-loopback IPv4 address of an interface that is up.
    static func firstIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var pointer: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = pointer {
            defer { pointer = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK) == 0, entry.pointee.ifa_flags & UInt32(IFF_UP) != 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return nil
    }

    /// The Node object.
    func node(now: String) -> Value {
        let condition: (String, String, String, String) -> Value = { type, status, reason, message in
            ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
             "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now)]
        }
        let capacity: Value = ["cpu": .string(String(cpus)), "memory": .string("\(memoryKiB)Ki"),
                               "ephemeral-storage": .string("\(storageKiB)Ki"), "pods": "110"]
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(hostname), "labels": [
                "kubernetes.io/hostname": .string(hostname), "kubernetes.io/os": "linux",
                "kubernetes.io/arch": .string(architecture), "node-role.kubernetes.io/control-plane": "",
                "meshctl.io/local": "true",
            ]],
            "spec": ["podCIDR": "10.244.0.0/24"],
            "status": [
                "capacity": capacity, "allocatable": capacity,
                "addresses": [["type": "InternalIP", "address": .string(internalIP)], ["type": "Hostname", "address": .string(hostname)]],
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "meshctl local control plane is running"),
                ],
                "nodeInfo": [
                    "machineID": .string(machineID), "systemUUID": .string(machineID), "bootID": "",
                    "kernelVersion": .string(kernelVersion), "osImage": .string(osImage),
                    "containerRuntimeVersion": "meshctl://local", "kubeletVersion": .string("v1.\(Discovery.kubernetesMinor).0-meshctl"),
                    "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": .string(architecture),
                ],
            ],
        ]
    }
}
