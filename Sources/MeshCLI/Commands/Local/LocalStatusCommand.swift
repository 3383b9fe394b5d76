import Foundation
import MeshControlPlane
import MeshCore
import MeshKube

/// `meshctl local status`: whether the control plane runs, where, and what it holds.
enum LocalStatusCommand {
    static let output = OutputFormat.option([.table, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "status",
        abstract: "Show whether the local control plane is running, and what it holds",
        discussion: """
            Show the local control plane's pid, endpoint, data directory, store size, object counts, uptime and
            mesh CA: self-signed (secret istio-ca-secret) or plugged in (secret cacerts, as `meshctl pki plug-ca
            --context meshctl-local` writes it), the root's SHA-256 fingerprint, and why a cacerts secret was
            rejected when it was. Exits 1 when it is not running.
            """,
        examples: [.init("For scripts", "meshctl local status -o json")],
        options: [LocalCommand.dataDir, output],
        run: { invocation, context in
            let directory = LocalCommand.directory(invocation, context)
            let server = LocalServer(directory: directory)
            let report = status(server)
            let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table
            switch format {
            case .json, .yaml: context.standardOutput.write(ObjectPrinter.render(report, format: format))
            default: context.standardOutput.write(text(report))
            }
            return report["running"]?.boolValue == true ? .ok : .failure
        }
    )

    static func status(_ server: LocalServer) -> Value {
        let directory = server.directory
        var report: Value = ["running": false, "dataDir": .string(directory.path)]
        var counts = Value.Object()
        for (resource, count) in ObjectStore.counts(path: directory.database).sorted(by: { $0.key < $1.key }) {
            let (group, name) = resource.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init).pair
            counts[group.isEmpty ? name : "\(name).\(group)"] = .int(count)
        }
        report["storeBytes"] = .int(ObjectStore.sizeOnDisk(path: directory.database))
        report["objects"] = .object(counts)
        guard let pid = server.runningPID, let info = server.info else { return report }
        report["running"] = true
        report["pid"] = .int(Int(pid))
        report["endpoint"] = .string(info.endpoint)
        report["uptimeSeconds"] = .int(max(0, Int(Date().timeIntervalSince1970 - info.startedAt)))
        report["ready"] = .bool(server.isReady(endpoint: info.endpoint))
        if let meshCA = meshCA(directory) { report["meshCA"] = meshCA.value }
        return report
    }

    /// The mesh CA in use, as the control plane last recorded it in the data directory.
    static func meshCA(_ directory: DataDirectory) -> MeshCAStatus? {
        guard let data = FileManager.default.contents(atPath: directory.meshCAFile),
              let value = try? JSON.parse(String(decoding: data, as: UTF8.self)) else { return nil }
        return MeshCAStatus(value: value)
    }

    static func text(_ report: Value) -> String {
        guard report["running"]?.boolValue == true else {
            return "The local control plane is not running (data directory \(report["dataDir"]?.stringValue ?? "")).\n"
        }
        var rows: [[String]] = [
            ["Endpoint:", report["endpoint"]?.stringValue ?? ""],
            ["PID:", String(report["pid"]?.intValue ?? 0)],
            ["Ready:", report["ready"]?.boolValue == true ? "yes" : "no"],
            ["Uptime:", GoDuration.seconds(Int64(report["uptimeSeconds"]?.intValue ?? 0)).description],
            ["Data directory:", report["dataDir"]?.stringValue ?? ""],
            ["Store size:", "\((report["storeBytes"]?.intValue ?? 0) / 1024) KiB"],
            ["Mesh CA:", report["meshCA"].flatMap(MeshCAStatus.init(value:))?.summary ?? "unknown"],
            ["Root fingerprint:", report["meshCA"]?["rootFingerprintSHA256"]?.stringValue ?? "unknown"],
        ]
        if let rejected = report["meshCA"]?["rejected"]?.stringValue {
            rows.append(["Rejected cacerts:", rejected])
        }
        let objects = (report["objects"]?.objectValue ?? [:]).map { "\($0.key)=\($0.value.intValue ?? 0)" }
        rows.append(["Objects:", objects.joined(separator: " ")])
        return TableWriter.render(header: ["", ""], rows: rows).split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().joined(separator: "\n")
    }
}

extension Array where Element == String {
    /// The first two elements (the second empty when missing).
    var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
