import Foundation

/// How to run a local control plane.
public struct ControlPlaneOptions: Sendable {
    /// Where the store, certificates, pid and log files live.
    public var dataDirectory: String
    /// The address to listen on (loopback by default).
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// The Istio CRD file to seed from; `nil` seeds none (they can be applied later).
    public var istioCRDFile: String?
    /// Seconds between watch bookmarks.
    public var bookmarkInterval: Double
    /// The mesh (Istio) namespace.
    public var meshNamespace: String
    /// How many recent changes watches can resume from; older versions get 410 Gone.
    public var historyCapacity: Int = 20_000

    public init(dataDirectory: String, host: String = "127.0.0.1", port: Int = 6443,
                istioCRDFile: String? = ControlPlaneOptions.defaultIstioCRDFile(),
                bookmarkInterval: Double = 5, meshNamespace: String = "istio-system") {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.istioCRDFile = istioCRDFile
        self.bookmarkInterval = bookmarkInterval
        self.meshNamespace = meshNamespace
    }

    /// The Istio CRDs: `$MESHCTL_ISTIO_CRDS` when set, else `<package>/../shared/istio/manifests/charts/base/files/
    /// crd-all.gen.yaml` next to the source checkout when it exists; `nil` on a machine without either (the
    /// CRDs are not shipped inside meshctl).
    public static func defaultIstioCRDFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["MESHCTL_ISTIO_CRDS"] {
            return explicit.isEmpty ? nil : explicit
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = package.deletingLastPathComponent()
            .appendingPathComponent("shared/istio/manifests/charts/base/files/crd-all.gen.yaml").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}
