import FoundationEssentials
import NIOHTTP1

/// Istio's HTTP metadata exchange: a proxy sends its node id in `x-envoy-peer-metadata-id` and its metadata,
/// base64 of a protobuf `google.protobuf.Struct`, in `x-envoy-peer-metadata` — the client side on requests to
/// meshed upstreams, the server side on the responses to requests that carried them. The receiver removes both,
/// so applications and clients never see them.
struct PeerMetadataHeaders: Sendable {
    static let idName = "x-envoy-peer-metadata-id"
    static let metadataName = "x-envoy-peer-metadata"
    /// Longer values are ignored unread (a workload's metadata is well under 1 KiB).
    static let maxValueBytes = 16 * 1024

    /// This proxy's id and encoded metadata.
    let id: String
    let value: String

    /// `role` is the proxy's (`gateway` reads as Envoy's `router`); `address` is its IP. The id has Envoy's
    /// node id form, `sidecar~10.0.0.1~reviews-v1-7d4f.default~default.svc.cluster.local`.
    init(own metadata: PeerMetadata, role: String, address: String) {
        let namespace = metadata.namespace ?? "default"
        let instance = metadata.instanceName ?? "unknown"
        id = "\(role == "gateway" ? "router" : "sidecar")~\(address)~\(instance).\(namespace)~\(namespace).svc.cluster.local"
        value = Data(ProtobufStruct.encode(metadata.fields)).base64EncodedString()
    }

    /// The metadata a header value carries; `nil` for anything malformed (bad base64 with or without padding,
    /// not a Struct, too long): a peer's bad header never fails a request.
    static func decode(_ value: String) -> PeerMetadata? {
        guard !value.isEmpty, value.utf8.count <= maxValueBytes else { return nil }
        var padded = value
        while padded.utf8.count % 4 != 0 { padded.append("=") }
        guard let bytes = Data(base64Encoded: padded), let fields = ProtobufStruct.decode([UInt8](bytes)) else { return nil }
        return PeerMetadata(fields: fields)
    }

    /// Removes both headers.
    static func remove(from headers: inout HTTPHeaders) {
        headers.remove(name: idName)
        headers.remove(name: metadataName)
    }

    /// Sets both headers to this proxy's (replacing any the application sent).
    func set(in headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: Self.idName, value: id)
        headers.replaceOrAdd(name: Self.metadataName, value: value)
    }
}
