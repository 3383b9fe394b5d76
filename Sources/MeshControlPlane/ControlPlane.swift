import CSQLite
import Foundation
import MeshCore
import MeshPKI
import NIOSSL

/// A running local control plane: the store, the resource registry, the API, the mesh CA and the HTTPS server.
public final class ControlPlane: Sendable {
    /// The user internal controllers act as.
    public static let systemUser = "system:meshctl"
    /// The user of the administrator client certificate written into the kubeconfig.
    public static let adminUser = "meshctl-admin"

    public let options: ControlPlaneOptions
    public let store: ObjectStore
    public let registry: ResourceRegistry
    public let api: APIServer
    let meshCA: MeshCAController
    private let server: HTTPSServer

    /// The port the server listens on.
    public var port: Int { server.port }

    /// Opens the store in the data directory, seeds it, starts the mesh CA and begins listening.
    /// Tunes malloc for a process that serves the control plane for long: big list buffers are returned to the
    /// system when freed and request threads share few arenas (10,000 pods: 222 -> 179 MB resident in the bench).
    public static func tuneProcessMemory() {
        csqlite_tune_process_malloc()
    }

    public init(options: ControlPlaneOptions, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.options = options
        let files = DataDirectory(options.dataDirectory)
        try files.create()
        let clusterCA = try LocalCA.loadOrCreate(files)
        store = try ObjectStore(path: files.database, historyCapacity: options.historyCapacity)
        let registry = ResourceRegistry()
        for crd in store.list("apiextensions.k8s.io/customresourcedefinitions").items {
            registry.apply(crdName: crd.name, definition: crd.value)
        }
        self.registry = registry
        let holder = MeshCAHolder()
        api = APIServer(store: store, registry: registry, serverAddress: "\(options.host):\(options.port)",
                        bookmarkInterval: options.bookmarkInterval) { type, object, previous in
            if type.group == "apiextensions.k8s.io", type.name == "customresourcedefinitions" {
                let name = object?.name ?? previous?.name ?? ""
                registry.apply(crdName: name, definition: object?.value)
            }
            holder.controller?.afterWrite(type, object, previous)
        }
        Seeder(api: api, dataDirectory: options.dataDirectory, crdFile: options.istioCRDFile, log: log)
            .run(meshNamespace: options.meshNamespace)
        meshCA = MeshCAController(api: api, meshNamespace: options.meshNamespace, statusFile: files.meshCAFile, log: log)
        holder.controller = meshCA
        meshCA.start()

        var ips = ["127.0.0.1"]
        if options.host != "127.0.0.1", IPAddressText.bytes(options.host) != nil { ips.append(options.host) }
        let serving = try TLSLeafIssuer(ca: clusterCA).issue(
            commonName: "meshctl-apiserver", dnsNames: ["localhost", "kubernetes", "kubernetes.default.svc"],
            ipAddresses: ips, purpose: .server)
        let tls = try HTTPSServer.tlsConfiguration(
            certificatePEM: PEMText.certificates([serving.certificate]), keyPEM: PrivateKeyPEM.encode(serving.privateKey),
            clientCAPEM: PEMText.certificates([clusterCA.certificate]))
        let store = self.store
        server = try HTTPSServer(host: options.host, port: options.port, tls: tls, api: api) { commonName, authorization in
            if let commonName { return commonName }
            guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
            return Self.serviceAccount(forToken: String(authorization.dropFirst(7)), store: store)
        }
    }

    /// The service account whose token secret holds `token`.
    static func serviceAccount(forToken token: String, store: ObjectStore) -> String? {
        guard !token.isEmpty else { return nil }
        let encoded = Data(token.utf8).base64EncodedString()
        for secret in store.list("/secrets").items {
            let value = secret.value  // decoded once: the store keeps only the JSON
            if value["type"]?.stringValue == "kubernetes.io/service-account-token", value["data"]?["token"]?.stringValue == encoded {
                let account = value["metadata"]?["annotations"]?["kubernetes.io/service-account.name"]?.stringValue ?? secret.name
                return "system:serviceaccount:\(secret.namespace):\(account)"
            }
        }
        return nil
    }

    /// Which CA signs mesh certificates now; nil for the moment after start while a plugged bundle is checked.
    public var meshCAStatus: MeshCAStatus? { meshCA.current?.status }

    /// A workload certificate for `identity` from the mesh CA in use (self-signed or plugged), as istiod's CA
    /// issues it: the chain ends at the root published in `istio-ca-root-cert`.
    public func issueWorkloadCertificate(for identity: SPIFFEID, ttl: TimeInterval = 86_400) throws(PKIError) -> IssuedWorkload {
        guard let signer = meshCA.current?.signer else {
            throw PKIError(.io, "the mesh CA is not ready yet")
        }
        return try WorkloadIssuer(ca: signer).issue(for: identity, ttl: ttl)
    }

    /// Blocks until the server stops.
    public func wait() throws {
        try server.wait()
    }

    /// Stops serving.
    public func shutdown() {
        server.shutdown()
    }
}

/// Lets the API's write hook reach the mesh CA controller, which is created after the API.
private final class MeshCAHolder: @unchecked Sendable {
    var controller: MeshCAController?
}
