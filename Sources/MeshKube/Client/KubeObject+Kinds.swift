import Foundation
import MeshCore

/// A container of a pod: what meshctl reads to tell sidecars and versions apart.
public struct ContainerInfo: Sendable, Equatable {
    /// The container's name (`istio-proxy`).
    public var name: String
    /// Its image reference.
    public var image: String
    /// From `status.containerStatuses` (or `initContainerStatuses`), when reported.
    public var ready: Bool?
    /// Restarts so far, from the container's status.
    public var restartCount: Int?
}

extension KubeObject {
    // MARK: Pod

    /// `spec.nodeName`.
    public var nodeName: String? { value["spec"]?["nodeName"]?.stringValue }
    /// `status.phase` (`Running`, `Pending`, …).
    public var phase: String? { value["status"]?["phase"]?.stringValue }
    /// `status.podIP`.
    public var podIP: String? { value["status"]?["podIP"]?.stringValue }
    /// `status.hostIP`.
    public var hostIP: String? { value["status"]?["hostIP"]?.stringValue }
    /// `spec.serviceAccountName`.
    public var serviceAccountName: String? { value["spec"]?["serviceAccountName"]?.stringValue }
    /// `spec.containers` with their status.
    public var containers: [ContainerInfo] { containerList("containers", status: "containerStatuses") }
    /// `spec.initContainers` with their status (native sidecars live here).
    public var initContainers: [ContainerInfo] { containerList("initContainers", status: "initContainerStatuses") }

    private func containerList(_ key: String, status: String) -> [ContainerInfo] {
        let statuses = value["status"]?[status]?.arrayValue ?? []
        return (value["spec"]?[key]?.arrayValue ?? []).map { container in
            let name = container["name"]?.stringValue ?? ""
            let state = statuses.first { $0["name"]?.stringValue == name }
            return ContainerInfo(name: name, image: container["image"]?.stringValue ?? "",
                                 ready: state?["ready"]?.boolValue, restartCount: state?["restartCount"]?.intValue)
        }
    }

    // MARK: Node

    /// `status.addresses` as (type, address): `InternalIP`, `Hostname`, ….
    public var addresses: [(type: String, address: String)] {
        (value["status"]?["addresses"]?.arrayValue ?? []).compactMap { entry in
            guard let type = entry["type"]?.stringValue, let address = entry["address"]?.stringValue else { return nil }
            return (type, address)
        }
    }
    /// `status.nodeInfo.kubeletVersion`.
    public var kubeletVersion: String? { value["status"]?["nodeInfo"]?["kubeletVersion"]?.stringValue }
    /// `status.allocatable` (`cpu`, `memory`, `pods`).
    public var allocatable: [String: String] { Self.strings(value["status"]?["allocatable"]) }

    // MARK: Service

    /// `spec.type` (`ClusterIP`, `LoadBalancer`, …).
    public var serviceType: String? { value["spec"]?["type"]?.stringValue }
    /// `spec.clusterIP`.
    public var clusterIP: String? { value["spec"]?["clusterIP"]?.stringValue }
    /// `spec.selector`.
    public var selector: [String: String] { Self.strings(value["spec"]?["selector"]) }
    /// `spec.ports` as (name, port, protocol).
    public var ports: [(name: String?, port: Int, protocol: String)] {
        (value["spec"]?["ports"]?.arrayValue ?? []).compactMap { entry in
            guard let port = entry["port"]?.intValue else { return nil }
            return (entry["name"]?.stringValue, port, entry["protocol"]?.stringValue ?? "TCP")
        }
    }

    // MARK: Secret and ConfigMap

    /// A Secret's `data`, base64-decoded (entries that do not decode are left out), merged with `stringData`.
    public var secretData: [String: Data] {
        var result: [String: Data] = [:]
        for (key, text) in Self.strings(value["data"]) {
            if let data = Data(base64Encoded: text) { result[key] = data }
        }
        for (key, text) in Self.strings(value["stringData"]) { result[key] = Data(text.utf8) }
        return result
    }
    /// A ConfigMap's `data`.
    public var configData: [String: String] { Self.strings(value["data"]) }
}
