import MeshCore
import MeshPolicy
import Testing

/// Each analyzer on small YAML fixtures: the istioctl-style lines it reports, and the look-alikes it must not
/// report.
@Suite struct MeshAnalyzerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: main, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*.example.com", "shop/only.shop.io"]
        """
    static let ingressPod = "apiVersion: v1\nkind: Pod\nmetadata: {name: ingress-1, namespace: istio-system, labels: {istio: ingressgateway}}"

    static func vs(_ spec: String, name: String = "web", namespace: String = "shop") -> String {
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: \(name), namespace: \(namespace)}\nspec: \(spec)"
    }

    static func pa(_ name: String, _ namespace: String, _ spec: String) -> String {
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: \(name), namespace: \(namespace)}\nspec: \(spec)"
    }

    static let reviews = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: shop}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v4, labels: {version: v4}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec: {selector: {app: reviews}}
        """

    static func docs(_ parts: String...) -> String { parts.joined(separator: "\n---\n") }

    static let cases: [Case] = [
        Case(name: "a gateway that does not exist", yaml: vs("{hosts: [a.example.com], gateways: [missing], http: [{route: [{destination: {host: a}}]}]}"),
             expected: ["Error [IST0101] (VirtualService shop/web) Referenced gateway not found: \"missing\""]),
        Case(name: "a short gateway name is looked up in the VirtualService's namespace",
             yaml: docs(gateway, vs("{hosts: [a.example.com], gateways: [main], http: [{route: [{destination: {host: a}}]}]}")),
             expected: ["Error [IST0101] (VirtualService shop/web) Referenced gateway not found: \"main\""]),
        Case(name: "mesh and an existing gateway are fine; a wildcard server host covers the VirtualService host",
             yaml: docs(gateway, vs("{hosts: [a.example.com, only.shop.io], gateways: [mesh, istio-system/main], http: [{route: [{destination: {host: a}}]}]}")),
             expected: []),
        Case(name: "a host the gateway lacks (IST0132 lists all the VirtualService's hosts)",
             yaml: docs(gateway, vs("{hosts: [a.example.com, b.other.org], gateways: [istio-system/main], http: [{route: [{destination: {host: a}}]}]}")),
             expected: ["Warning [IST0132] (VirtualService shop/web) one or more host [a.example.com b.other.org] defined in VirtualService shop/web not found in Gateway istio-system/main."]),
        Case(name: "a server host reserved for another namespace",
             yaml: docs(gateway, vs("{hosts: [only.shop.io], gateways: [istio-system/main], http: [{route: [{destination: {host: a}}]}]}", namespace: "other")),
             expected: ["Warning [IST0132] (VirtualService other/web) one or more host [only.shop.io] defined in VirtualService other/web not found in Gateway istio-system/main."]),
        Case(name: "a subset that selects no pod of the service",
             yaml: docs(reviews, "apiVersion: v1\nkind: Pod\nmetadata: {name: reviews-v1, namespace: shop, labels: {app: reviews, version: v1}}"),
             expected: ["Error [IST0173] (DestinationRule shop/reviews) The Subset v4 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."]),
        Case(name: "a pod with the subset's labels outside the service does not count",
             yaml: docs(reviews, "apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: shop, labels: {app: ratings, version: v4}}",
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: shop}\nspec: {template: {metadata: {labels: {app: reviews, version: v1}}}}"),
             expected: ["Error [IST0173] (DestinationRule shop/reviews) The Subset v4 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."]),
        Case(name: "subsets are not judged when no pods are known", yaml: reviews, expected: []),
        Case(name: "a destination no Service or ServiceEntry provides",
             yaml: docs(reviews, vs("{hosts: [web], http: [{route: [{destination: {host: reviews}, weight: 50}, {destination: {host: ratings}, weight: 50}]}]}")),
             expected: ["Error [IST0101] (VirtualService shop/web) Referenced host not found: \"ratings\""]),
        Case(name: "ServiceEntry hosts, wildcards and full names resolve destinations",
             yaml: docs(reviews, vs("{hosts: [web], http: [{route: [{destination: {host: api.external.com}, weight: 30}, {destination: {host: en.wiki.org}, weight: 30}, {destination: {host: reviews.shop.svc.cluster.local}, weight: 40}]}]}"),
                        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: shop}\nspec: {hosts: [api.external.com, \"*.wiki.org\"], ports: [{number: 443, name: https, protocol: TLS}], resolution: DNS}"),
             expected: []),
        Case(name: "a short destination name resolves in the VirtualService's namespace, not elsewhere",
             yaml: docs(reviews, vs("{hosts: [web], http: [{route: [{destination: {host: reviews}}]}]}", namespace: "other")),
             expected: ["Error [IST0101] (VirtualService other/web) Referenced host not found: \"reviews\""]),
        Case(name: "destination hosts are not judged when no Services are known",
             yaml: vs("{hosts: [web], http: [{route: [{destination: {host: ratings}}]}]}"), expected: []),
        Case(name: "a subset no DestinationRule for the host defines",
             yaml: docs(reviews, vs("{hosts: [web], http: [{route: [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v9}, weight: 50}]}]}")),
             expected: ["Error [IST0101] (VirtualService shop/web) Referenced host+subset in destinationrule not found: \"reviews+v9\""]),
        Case(name: "a gateway whose selector picks no pod",
             yaml: docs(gateway, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: istio-system, labels: {istio: egressgateway}}"),
             expected: ["Error [IST0101] (Gateway istio-system/main) Referenced selector not found: \"istio=ingressgateway\""]),
        Case(name: "gateway pods in any namespace count; unknown pods are not judged",
             yaml: docs(gateway, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: edge, labels: {istio: ingressgateway}}"), expected: []),
        Case(name: "a certificate secret missing where the gateway pods run",
             yaml: docs(gateway.replacingHosts(tls: "main-cert"), ingressPod, "apiVersion: v1\nkind: Secret\nmetadata: {name: main-cert, namespace: shop}"),
             expected: ["Error [IST0101] (Gateway istio-system/main) Referenced credentialName not found: \"main-cert\""]),
        Case(name: "the certificate secret next to the gateway pods",
             yaml: docs(gateway.replacingHosts(tls: "main-cert"), ingressPod, "apiVersion: v1\nkind: Secret\nmetadata: {name: main-cert, namespace: istio-system}"),
             expected: []),
        Case(name: "two mesh-wide PeerAuthentications",
             yaml: docs(pa("default", "istio-system", "{mtls: {mode: STRICT}}"), pa("legacy", "istio-system", "{mtls: {mode: PERMISSIVE}}")),
             expected: [
                "Warning [MSH0001] (PeerAuthentication istio-system/default) The PeerAuthentications [default legacy] in namespace \"istio-system\" are all mesh-wide (no selector); Istio applies only the oldest.",
                "Warning [MSH0001] (PeerAuthentication istio-system/legacy) The PeerAuthentications [default legacy] in namespace \"istio-system\" are all mesh-wide (no selector); Istio applies only the oldest.",
             ]),
        Case(name: "two namespace-wide PeerAuthentications",
             yaml: docs(pa("a", "shop", "{mtls: {mode: STRICT}}"), pa("b", "shop", "{}")),
             expected: [
                "Warning [MSH0001] (PeerAuthentication shop/a) The PeerAuthentications [a b] in namespace \"shop\" are all namespace-wide (no selector); Istio applies only the oldest.",
                "Warning [MSH0001] (PeerAuthentication shop/b) The PeerAuthentications [a b] in namespace \"shop\" are all namespace-wide (no selector); Istio applies only the oldest.",
             ]),
        Case(name: "one policy per level, and the same selector in another namespace, are fine",
             yaml: docs(pa("default", "istio-system", "{mtls: {mode: STRICT}}"), pa("ns", "shop", "{mtls: {mode: STRICT}}"),
                        pa("w", "shop", "{selector: {matchLabels: {app: web}}}"), pa("w", "other", "{selector: {matchLabels: {app: web}}}")),
             expected: []),
        Case(name: "the same selector twice, pods unknown",
             yaml: docs(pa("a", "shop", "{selector: {matchLabels: {app: web}}}"), pa("b", "shop", "{selector: {matchLabels: {app: web}}}")),
             expected: [
                "Warning [MSH0001] (PeerAuthentication shop/a) The PeerAuthentications [a b] in namespace \"shop\" select the same workloads (app=web); Istio applies only the oldest.",
                "Warning [MSH0001] (PeerAuthentication shop/b) The PeerAuthentications [a b] in namespace \"shop\" select the same workloads (app=web); Istio applies only the oldest.",
             ]),
        Case(name: "different selectors that pick one pod",
             yaml: docs(pa("a", "shop", "{selector: {matchLabels: {app: web}}}"), pa("b", "shop", "{selector: {matchLabels: {version: v2}}}"),
                        pa("c", "shop", "{selector: {matchLabels: {app: db}}}"),
                        "apiVersion: v1\nkind: Pod\nmetadata: {name: web-2, namespace: shop, labels: {app: web, version: v2}}"),
             expected: [
                "Warning [MSH0001] (PeerAuthentication shop/a) The PeerAuthentications [a b] in namespace \"shop\" select the same workload pod \"web-2\"; Istio applies only the oldest.",
                "Warning [MSH0001] (PeerAuthentication shop/b) The PeerAuthentications [a b] in namespace \"shop\" select the same workload pod \"web-2\"; Istio applies only the oldest.",
             ]),
        Case(name: "what Istio's validation rejects is IST0106",
             yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: shop}\nspec: {servers: []}",
             expected: ["Error [IST0106] (Gateway shop/g) Schema validation error: spec.servers: gateway must have at least one server"]),
        Case(name: "a resource that cannot be read is IST0106",
             yaml: vs("{hosts: 5}"),
             expected: ["Error [IST0106] (VirtualService shop/web) Schema validation error: invalid VirtualService spec: expected a sequence, found integer 5 (at spec.hosts)"]),
        Case(name: "errors come before warnings",
             yaml: docs(gateway, pa("a", "shop", "{}"), pa("b", "shop", "{}"), vs("{hosts: [x.org], gateways: [istio-system/main, nope], http: [{route: [{destination: {host: a}}]}]}")),
             expected: [
                "Error [IST0101] (VirtualService shop/web) Referenced gateway not found: \"nope\"",
                "Warning [MSH0001] (PeerAuthentication shop/a) The PeerAuthentications [a b] in namespace \"shop\" are all namespace-wide (no selector); Istio applies only the oldest.",
                "Warning [MSH0001] (PeerAuthentication shop/b) The PeerAuthentications [a b] in namespace \"shop\" are all namespace-wide (no selector); Istio applies only the oldest.",
                "Warning [IST0132] (VirtualService shop/web) one or more host [x.org] defined in VirtualService shop/web not found in Gateway istio-system/main.",
             ]),
    ]

    @Test(arguments: cases)
    func reports(_ row: Case) throws {
        let snapshot = MeshSnapshot(documents: try YAML.parseDocuments(row.yaml), defaultNamespace: "default", complete: false)
        #expect(MeshAnalyzer.analyze(snapshot).map(\.description) == row.expected)
    }

    @Test func aClusterSnapshotKnowsThereAreNoPods() throws {
        let snapshot = MeshSnapshot(documents: try YAML.parseDocuments(Self.gateway), defaultNamespace: "default", complete: true)
        #expect(MeshAnalyzer.analyze(snapshot).map(\.code) == ["IST0101"])
    }

    @Test func objectsWithoutANamespaceAreInTheDefaultOne() throws {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: web}\nspec: {hosts: [a], gateways: [gone], http: [{route: [{destination: {host: a}}]}]}"
        let snapshot = MeshSnapshot(documents: try YAML.parseDocuments(yaml), defaultNamespace: "team", complete: false)
        #expect(MeshAnalyzer.analyze(snapshot).map(\.origin.description) == ["VirtualService team/web"])
    }
}

extension String {
    /// The fixture gateway with TLS from `credentialName` on its server.
    func replacingHosts(tls credentialName: String) -> String {
        self.replacing("protocol: HTTP}", with: "protocol: HTTPS}\n    tls: {mode: SIMPLE, credentialName: \(credentialName)}")
            .replacing("number: 80,", with: "number: 443,")
    }
}
