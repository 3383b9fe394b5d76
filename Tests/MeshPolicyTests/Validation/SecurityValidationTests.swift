import MeshPolicy
import Testing

/// AuthorizationPolicy, PeerAuthentication and RequestAuthentication rules, with Istio's messages.
@Suite struct SecurityValidationTests {
    typealias V = ValidationCase
    static func policy(_ spec: String, annotations: String = "") -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: foo\(annotations.isEmpty ? "" : ", annotations: {\(annotations)}")}
        spec: \(spec)
        """
    }
    static func security(_ kind: String, _ spec: String) -> String { V.doc(kind, spec, group: "security.istio.io") }

    static let rows: [ValidationCase] = [
        V(name: "valid policy", yaml: policy("{selector: {matchLabels: {app: a}}, rules: [{from: [{source: {principals: [cluster.local/ns/a/sa/b]}}], to: [{operation: {methods: [GET], paths: [\"/api/{*}\"]}}], when: [{key: \"request.auth.claims[groups]\", values: [admin]}]}]}")),
        V(name: "unknown action", yaml: policy("{action: PERMIT, rules: [{}]}"), path: "spec.action", message: "unsupported action \"PERMIT\""),
        V(name: "CUSTOM needs a provider", yaml: policy("{action: CUSTOM, rules: [{}]}"), path: "spec.provider.name", message: "`provider.name` must not be empty"),
        V(name: "CUSTOM without rules", yaml: policy("{action: CUSTOM, provider: {name: opa}}"), path: "spec.rules", message: "CUSTOM action without `rules` is meaningless"),
        V(name: "provider only with CUSTOM", yaml: policy("{action: DENY, provider: {name: opa}, rules: [{}]}"), path: "spec.provider", message: "`provider` must not be with non CUSTOM action, found DENY"),
        V(name: "DENY without rules", yaml: policy("{action: DENY}"), path: "spec.rules", message: "DENY action without `rules` is meaningless"),
        V(name: "CUSTOM with principals", yaml: policy("{action: CUSTOM, provider: {name: opa}, rules: [{from: [{source: {principals: [a]}}]}]}"), path: "spec.rules[0].from[0].source", message: "From.Principals is currently not supported with CUSTOM action"),
        V(name: "empty from", yaml: policy("{rules: [{from: []}]}"), path: "spec.rules[0].from", message: "`from` must not be empty, found at rule 0"),
        V(name: "empty source", yaml: policy("{rules: [{from: [{source: {}}]}]}"), path: "spec.rules[0].from[0].source", message: "`from.source` must not be empty, found at rule 0"),
        V(name: "bad CIDR", yaml: policy("{rules: [{from: [{source: {ipBlocks: [10.0.0.0/33]}}]}]}"), path: "spec.rules[0].from[0].source.ipBlocks", message: "bad CIDR range (10.0.0.0/33)"),
        V(name: "bad IP", yaml: policy("{rules: [{from: [{source: {remoteIpBlocks: [10.0.0.256]}}]}]}"), path: "spec.rules[0].from[0].source.remoteIpBlocks", message: "bad IP address (10.0.0.256)"),
        V(name: "empty value", yaml: policy("{rules: [{from: [{source: {namespaces: [\"\"]}}]}]}"), path: "spec.rules[0].from[0].source", message: "empty value not allowed, found in Namespaces"),
        V(name: "service accounts with namespaces", yaml: policy("{rules: [{from: [{source: {serviceAccounts: [a], namespaces: [b]}}]}]}"), path: "spec.rules[0].from[0].source", message: "Cannot set serviceAccounts with namespaces or principals"),
        V(name: "empty operation", yaml: policy("{rules: [{to: [{operation: {}}]}]}"), path: "spec.rules[0].to[0].operation", message: "`to.operation` must not be empty, found at rule 0"),
        V(name: "bad port", yaml: policy("{rules: [{to: [{operation: {ports: [\"http\"]}}]}]}"), path: "spec.rules[0].to[0].operation", message: "bad port (http)"),
        V(name: "unsupported path template", yaml: policy("{rules: [{to: [{operation: {paths: [\"/{*}/foo/{bar}\"]}}]}]}"), path: "spec.rules[0].to[0].operation", message: "invalid or unsupported path template, found in Paths"),
        V(name: "when needs values", yaml: policy("{rules: [{when: [{key: source.ip}]}]}"), path: "spec.rules[0].when[0]", message: "at least one of `values` or `notValues` must be set for key source.ip"),
        V(name: "unknown when key", yaml: policy("{rules: [{when: [{key: source.color, values: [red]}]}]}"), path: "spec.rules[0].when[0].values", message: "invalid `value` for `key` source.color: unknown attribute: source.color"),
        V(name: "malformed header key", yaml: policy("{rules: [{when: [{key: \"request.headers[]\", values: [x]}]}]}"), path: "spec.rules[0].when[0].values", message: "bad key (request.headers[]): should have format a[b]"),
        V(name: "destination.labels is replaced by the selector", yaml: policy("{rules: [{when: [{key: \"destination.labels[app]\", values: [x]}]}]}"), path: "spec.rules[0].when[0].values", message: "is replaced by the workload selector"),
        V(name: "selector and targetRef together", yaml: policy("{selector: {matchLabels: {app: a}}, targetRef: {kind: Service, group: \"\", name: a}, rules: [{}]}"), path: "spec", message: "only one of targetRefs or workloadSelector can be set"),
        V(name: "wildcard in selector", yaml: policy("{selector: {matchLabels: {app: \"a*\"}}, rules: [{}]}"), path: "spec.selector.matchLabels", message: "wildcard is not supported in selector: \"app=a*\""),
        V(name: "targetRef to a Deployment", yaml: policy("{targetRef: {kind: Deployment, group: apps, name: a}, rules: [{}]}"), path: "spec.targetRef", message: "targetRef must be to one of"),
        V(name: "dry-run on AUDIT", yaml: policy("{action: AUDIT, rules: [{}]}", annotations: "\"istio.io/dry-run\": \"true\""), path: "metadata.annotations", message: "currently only supports action ALLOW/DENY"),
        V(name: "DENY with only HTTP fields warns about TCP", yaml: policy("{action: DENY, rules: [{to: [{operation: {methods: [GET]}}]}]}"), path: "spec.rules[0]", message: "will deny all traffic to TCP ports", severity: .warning),
        V(name: "valid peer authentication", yaml: security("PeerAuthentication", "{selector: {matchLabels: {app: a}}, mtls: {mode: STRICT}, portLevelMtls: {\"8080\": {mode: DISABLE}}}")),
        V(name: "namespace-wide port level mTLS", yaml: security("PeerAuthentication", "{mtls: {mode: STRICT}, portLevelMtls: {\"8080\": {mode: DISABLE}}}"), path: "spec.portLevelMtls", message: "mesh/namespace peer authentication cannot have port level mTLS"),
        V(name: "port level mTLS port 0", yaml: security("PeerAuthentication", "{selector: {matchLabels: {app: a}}, portLevelMtls: {\"0\": {mode: DISABLE}}}"), path: "spec.portLevelMtls.0", message: "port must be in range 1..65535"),
        V(name: "bad mTLS mode", yaml: security("PeerAuthentication", "{mtls: {mode: STRICTER}}"), path: "spec.mtls.mode", message: "unsupported mode \"STRICTER\""),
        V(name: "valid request authentication", yaml: security("RequestAuthentication", "{jwtRules: [{issuer: https://idp.example.com, jwksUri: https://idp.example.com/jwks.json}]}")),
        V(name: "JWT issuer required", yaml: security("RequestAuthentication", "{jwtRules: [{jwksUri: https://idp.example.com/jwks.json}]}"), path: "spec.jwtRules[0].issuer", message: "issuer must be set"),
        V(name: "JWKS URI scheme", yaml: security("RequestAuthentication", "{jwtRules: [{issuer: a, jwksUri: \"ftp://idp/jwks\"}]}"), path: "spec.jwtRules[0].jwksUri", message: "URI scheme \"ftp\" is not supported"),
        V(name: "inline JWKS must parse", yaml: security("RequestAuthentication", "{jwtRules: [{issuer: a, jwks: \"not json\"}]}"), path: "spec.jwtRules[0].jwks", message: "jwks parse error"),
        V(name: "empty audience", yaml: security("RequestAuthentication", "{jwtRules: [{issuer: a, audiences: [\"\"]}]}"), path: "spec.jwtRules[0].audiences", message: "audience must be non-empty string"),
        V(name: "claim to header names", yaml: security("RequestAuthentication", "{jwtRules: [{issuer: a, outputClaimToHeaders: [{header: \"x y\", claim: sub}]}]}"), path: "spec.jwtRules[0].outputClaimToHeaders[0].header", message: "header name x y is not a valid header name"),
    ]

    @Test(arguments: rows) func row(_ row: ValidationCase) throws {
        try ValidationCase.check(row)
    }
}
