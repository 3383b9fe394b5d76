import NIOHTTP1

/// Istio's HTTP metadata exchange (`PeerMetadataHeaders`) on the request path: an inbound sidecar learns its
/// caller from the request and answers with its own metadata; an outbound sidecar or a gateway sends its
/// metadata to meshed upstreams and learns the destination from the response. The headers are removed wherever
/// they arrive, so no application or client sees them.
extension HTTPProxyHandler {
    /// A downstream request: on an inbound sidecar listener the caller's metadata fills the `source_*` labels.
    func takePeerMetadata(from head: inout HTTPRequestHead) {
        guard let value = head.headers.first(name: PeerMetadataHeaders.metadataName) else {
            head.headers.remove(name: PeerMetadataHeaders.idName)
            return
        }
        PeerMetadataHeaders.remove(from: &head.headers)
        guard metricLabels.reporter == "destination" else { return }
        peerAsked = true
        if let peer = decodePeer(value) { metricLabels.source.set(peer) }
    }

    /// The request as it goes upstream: meshed upstreams get our metadata.
    func offerPeerMetadata(in head: inout HTTPRequestHead, to cluster: ClusterRuntime) {
        guard metricLabels.reporter == "source", cluster.isMeshed else { return }
        runtime.peerHeaders.set(in: &head.headers)
    }

    /// The upstream's response head: an outbound sidecar or gateway reads the destination's metadata into the
    /// `destination_*` labels; an inbound sidecar answers a caller that sent its metadata with ours.
    func exchangePeerMetadata(in head: inout HTTPResponseHead) {
        if let value = head.headers.first(name: PeerMetadataHeaders.metadataName) {
            if metricLabels.reporter == "source", let peer = decodePeer(value) { metricLabels.destination.set(peer) }
            PeerMetadataHeaders.remove(from: &head.headers)
        } else {
            head.headers.remove(name: PeerMetadataHeaders.idName)
        }
        if peerAsked { runtime.peerHeaders.set(in: &head.headers) }
    }

    /// Decodes a metadata header, reusing the last result while the peer on this connection sends the same value.
    private func decodePeer(_ value: String) -> PeerMetadata? {
        if let cached = peerCache, cached.value == value { return cached.metadata }
        let metadata = PeerMetadataHeaders.decode(value)
        peerCache = (value, metadata)
        return metadata
    }
}
