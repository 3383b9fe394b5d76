import MeshPolicy
import Testing

/// Gateway, VirtualService, DestinationRule, ServiceEntry and Sidecar rules, with Istio's messages.
@Suite struct NetworkingValidationTests {
    typealias V = ValidationCase
    static let server = "{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"*.example.com\"]}"

    static let rows: [ValidationCase] = [
        V(name: "valid gateway", yaml: V.doc("Gateway", "{selector: {istio: ingressgateway}, servers: [\(server)]}")),
        V(name: "gateway name must be a DNS label", yaml: V.doc("Gateway", "{servers: [\(server)]}", name: "my.gateway"), path: "metadata.name", message: "invalid gateway name: \"my.gateway\""),
        V(name: "gateway needs a server", yaml: V.doc("Gateway", "{servers: []}"), path: "spec.servers", message: "gateway must have at least one server"),
        V(name: "server needs hosts", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}}]}"), path: "spec.servers[0].hosts", message: "server config must contain at least one host"),
        V(name: "short host names are refused", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [reviews]}]}"), path: "spec.servers[0].hosts[0]", message: "short names (non FQDN) are not allowed"),
        V(name: "partial wildcard", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"foo*.example.com\"]}]}"), path: "spec.servers[0].hosts[0]", message: "partial wildcard \"foo*.example.com\" not allowed"),
        V(name: "bad namespace in host", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"Bad_NS/a.example.com\"]}]}"), path: "spec.servers[0].hosts[0]", message: "invalid namespace value \"Bad_NS\" in gateway"),
        V(name: "port out of range", yaml: V.doc("Gateway", "{servers: [{port: {number: 70000, name: http, protocol: HTTP}, hosts: [a.example.com]}]}"), path: "spec.servers[0].port.number", message: "port number 70000 must be in the range 1..65535"),
        V(name: "unknown protocol", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTPX}, hosts: [a.example.com]}]}"), path: "spec.servers[0].port.protocol", message: "invalid protocol \"HTTPX\""),
        V(name: "duplicate server port names", yaml: V.doc("Gateway", "{servers: [\(server), \(server)]}"), path: "spec.servers[1].port.name", message: "port names in servers must be unique: duplicate name http"),
        V(name: "HTTPS needs TLS", yaml: V.doc("Gateway", "{servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.example.com]}]}"), path: "spec.servers[0].tls", message: "server must have TLS settings for HTTPS/TLS protocols"),
        V(name: "SIMPLE TLS needs a certificate or credential", yaml: V.doc("Gateway", "{servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.example.com], tls: {mode: SIMPLE}}]}"), path: "spec.servers[0].tls", message: "SIMPLE TLS requires a server certificate"),
        V(name: "SIMPLE TLS with a credential", yaml: V.doc("Gateway", "{servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: cert}}]}")),
        V(name: "ISTIO_MUTUAL refuses a credential", yaml: V.doc("Gateway", "{servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: [a.example.com], tls: {mode: ISTIO_MUTUAL, credentialName: c}}]}"), path: "spec.servers[0].tls", message: "ISTIO_MUTUAL TLS cannot have associated credentialName"),
        V(name: "plain HTTP with TLS certificates", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: c}}]}"), path: "spec.servers[0].tls", message: "server cannot have TLS settings for plain text HTTP ports"),
        V(name: "httpsRedirect on plain HTTP is fine", yaml: V.doc("Gateway", "{servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com], tls: {httpsRedirect: true}}]}")),
        V(name: "valid virtual service", yaml: V.doc("VirtualService", "{hosts: [reviews], http: [{match: [{uri: {prefix: /v1}}], route: [{destination: {host: reviews, subset: v1}, weight: 80}, {destination: {host: reviews, subset: v2}, weight: 20}]}]}")),
        V(name: "mesh-bound * host", yaml: V.doc("VirtualService", "{hosts: [\"*\"], http: [{route: [{destination: {host: a}}]}]}"), path: "spec.hosts[0]", message: "wildcard host * is not allowed for virtual services bound to the mesh gateway"),
        V(name: "duplicate hosts", yaml: V.doc("VirtualService", "{hosts: [\"*.foo.com\", a.foo.com], gateways: [gw], http: [{route: [{destination: {host: a}}]}]}"), path: "spec.hosts", message: "duplicate hosts in virtual service: *.foo.com & a.foo.com"),
        V(name: "no routes at all", yaml: V.doc("VirtualService", "{hosts: [a]}"), path: "spec", message: "http, tcp or tls must be provided in virtual service"),
        V(name: "route and redirect", yaml: V.doc("VirtualService", "{hosts: [a], http: [{redirect: {uri: /x}, route: [{destination: {host: a}}]}]}"), path: "spec.http[0]", message: "HTTP route cannot contain both route and redirect"),
        V(name: "empty HTTP route", yaml: V.doc("VirtualService", "{hosts: [a], http: [{match: [{uri: {exact: /}}]}]}"), path: "spec.http[0]", message: "HTTP route, redirect or direct response is required"),
        V(name: "invalid regex", yaml: V.doc("VirtualService", "{hosts: [a], http: [{match: [{uri: {regex: \"/(a\"}}], route: [{destination: {host: a}}]}]}"), path: "spec.http[0].match[0].uri.regex", message: "\"uri\": error parsing regexp"),
        V(name: "RE2 has no look-ahead", yaml: V.doc("VirtualService", "{hosts: [a], http: [{match: [{uri: {regex: \"/(?!admin)\"}}], route: [{destination: {host: a}}]}]}"), path: "spec.http[0].match[0].uri.regex", message: "unsupported Perl syntax"),
        V(name: "bad header name in match", yaml: V.doc("VirtualService", "{hosts: [a], http: [{match: [{headers: {\"bad header\": {exact: x}}}], route: [{destination: {host: a}}]}]}"), path: "spec.http[0].match[0].headers.bad header", message: "header name bad header is not a valid header name"),
        V(name: "negative weight", yaml: V.doc("VirtualService", "{hosts: [a], http: [{route: [{destination: {host: a}, weight: -1}]}]}"), path: "spec.http[0].route[0].weight", message: "weight -1 < 0"),
        V(name: "destination host *", yaml: V.doc("VirtualService", "{hosts: [a], http: [{route: [{destination: {host: \"*\"}}]}]}"), path: "spec.http[0].route[0].destination.host", message: "invalid destination host *"),
        V(name: "bad gateway reference", yaml: V.doc("VirtualService", "{hosts: [a.com], gateways: [\"ns/Bad_Name\"], http: [{route: [{destination: {host: a}}]}]}"), path: "spec.gateways[0]", message: "invalid gateway name: \"Bad_Name\""),
        V(name: "destination rule duplicate subsets", yaml: V.doc("DestinationRule", "{host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v1, labels: {version: v2}}]}"), path: "spec.subsets[1].name", message: "duplicate subset names: v1"),
        V(name: "destination rule bad host", yaml: V.doc("DestinationRule", "{host: \"reviews..local\"}"), path: "spec.host", message: "invalid (label \"\" invalid)"),
        V(name: "exportTo * with others", yaml: V.doc("DestinationRule", "{host: a, exportTo: [\"*\", ns1]}"), path: "spec.exportTo", message: "cannot have both public (*) and non-public exportTo values for a resource"),
        V(name: "valid service entry", yaml: V.doc("ServiceEntry", "{hosts: [api.example.com], ports: [{number: 443, name: https, protocol: TLS}], resolution: DNS, location: MESH_EXTERNAL}")),
        V(name: "service entry needs hosts", yaml: V.doc("ServiceEntry", "{ports: [{number: 80, name: http}]}"), path: "spec.hosts", message: "service entry must have at least one host"),
        V(name: "static service entry needs endpoints", yaml: V.doc("ServiceEntry", "{hosts: [a.example.com], ports: [{number: 80, name: http}], resolution: STATIC}"), path: "spec.endpoints", message: "endpoints must be provided if service entry resolution mode is static"),
        V(name: "duplicate service entry port", yaml: V.doc("ServiceEntry", "{hosts: [a.example.com], ports: [{number: 80, name: http}, {number: 80, name: http2}], resolution: DNS}"), path: "spec.ports[1].number", message: "service entry port 80 already defined"),
        V(name: "empty sidecar", yaml: V.doc("Sidecar", "{}"), path: "spec", message: "sidecar: empty configuration provided"),
        V(name: "sidecar host needs namespace/", yaml: V.doc("Sidecar", "{egress: [{hosts: [reviews.default.svc.cluster.local]}]}"), path: "spec.egress[0].hosts[0]", message: "host must be of form namespace/dnsName"),
        V(name: "sidecar catch-all egress must be last", yaml: V.doc("Sidecar", "{egress: [{hosts: [\"./*\"]}, {port: {number: 80, name: http, protocol: HTTP}, hosts: [\"istio-system/*\"]}]}"), path: "spec.egress[0]", message: "sidecar: the egress listener with empty port should be the last listener in the list"),
        V(name: "valid sidecar", yaml: V.doc("Sidecar", "{egress: [{hosts: [\"./*\", \"istio-system/*\"]}]}")),
        V(name: "unknown fields are warnings", yaml: V.doc("Sidecar", "{egress: [{hosts: [\"./*\"], hostz: []}]}"), path: "spec.egress[0].hostz", message: "unknown field \"hostz\"", severity: .warning),
    ]

    @Test(arguments: rows) func row(_ row: ValidationCase) throws {
        try ValidationCase.check(row)
    }
}
