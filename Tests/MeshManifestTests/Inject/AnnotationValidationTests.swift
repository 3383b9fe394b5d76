import MeshCore
import Testing

@testable import MeshManifest

@Suite struct AnnotationValidationTests {
    @Test(arguments: [
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/8,fd00::/8"),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "*"),
        ("traffic.sidecar.istio.io/excludeInboundPorts", "1,2, 3"),
        ("sidecar.istio.io/interceptionMode", "TPROXY"),
        ("proxy.istio.io/config", "holdApplicationUntilProxyStarts: true"),
    ])
    func validValuesPass(name: String, value: String) throws {
        try AnnotationValidation.validate([name: .string(value)], document: "Pod \"p\"")
    }

    @Test(arguments: [
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "bad"),
        ("traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.0.0.0/33"),
        ("traffic.sidecar.istio.io/includeInboundPorts", "70000"),
        ("traffic.sidecar.istio.io/excludeOutboundPorts", "x"),
        ("sidecar.istio.io/interceptionMode", "MAGIC"),
        ("prometheus.istio.io/merge-metrics", "maybe"),
        ("proxy.istio.io/config", "[1, 2"),
        ("readiness.status.sidecar.istio.io/periodSeconds", "-1"),
    ])
    func invalidValuesFailNamingDocumentAndField(name: String, value: String) {
        do throws(MeshManifestError) {
            try AnnotationValidation.validate([name: .string(value)], document: "Pod \"p\"")
            Issue.record("expected \(name)=\(value) to fail")
        } catch {
            #expect(error.exitCode == .dataError)
            #expect(error.description.contains("Pod \"p\""))
            #expect(error.description.contains(name))
        }
    }
}
