import MeshCore
import MeshPolicy
import Testing

/// Legacy RBAC → AuthorizationPolicy, case by case from Istio's documented migration rules.
@Suite struct RBACConverterTests {
    /// One conversion: input objects (YAML, `---`-separated), the policies expected as
    /// `namespace/name` → spec in flow YAML, and words every reported problem list must contain.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let expected: [(String, String)]
        var problems: [String] = []
        var testDescription: String { name }
    }

    static func role(_ name: String, _ rules: String, namespace: String = "foo") -> String {
        "apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata: {name: \(name), namespace: \(namespace)}\nspec: {rules: \(rules)}\n"
    }

    static func binding(_ name: String, role: String, _ subjects: String, namespace: String = "foo", extra: String = "") -> String {
        "apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRoleBinding\nmetadata: {name: \(name), namespace: \(namespace)}\nspec: {roleRef: {kind: ServiceRole, name: \(role)}, subjects: \(subjects)\(extra)}\n"
    }

    static func config(_ spec: String, kind: String = "ClusterRbacConfig") -> String {
        "apiVersion: rbac.istio.io/v1alpha1\nkind: \(kind)\nmetadata: {name: default}\nspec: \(spec)\n"
    }

    static let service = "apiVersion: v1\nkind: Service\nmetadata: {name: products, namespace: foo}\nspec: {selector: {app: products}, ports: [{port: 80}]}\n"
    static let reviews = "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: foo}\nspec: {selector: {app: reviews, tier: back}}\n"

    static func join(_ parts: String...) -> String { parts.joined(separator: "---\n") }

    static let cases: [Case] = [
        Case(name: "the documented products-viewer: service → selector, methods → to, label constraint → selector",
             input: join(service, role("products-viewer", "[{services: [products.foo.svc.cluster.local], methods: [GET, HEAD], constraints: [{key: \"destination.labels[version]\", values: [v1]}]}]"),
                         binding("viewer", role: "products-viewer", "[{user: \"cluster.local/ns/foo/sa/sleep\"}, {properties: {source.namespace: bar}}]")),
             expected: [("foo/products-viewer", "{selector: {matchLabels: {app: products, version: v1}}, rules: [{from: [{source: {principals: [cluster.local/ns/foo/sa/sleep]}}], to: [{operation: {methods: [GET, HEAD]}}]}, {from: [{source: {namespaces: [bar]}}], to: [{operation: {methods: [GET, HEAD]}}]}]}")]),
        Case(name: "services * and methods * and user * give an allow-all rule for every workload",
             input: join(role("all", "[{services: [\"*\"], methods: [\"*\"]}]"), binding("everyone", role: "all", "[{user: \"*\"}]")),
             expected: [("foo/all", "{rules: [{}]}")]),
        Case(name: "paths, hosts, ports and their not- forms become the operation",
             input: join(role("ops", "[{services: [\"*\"], paths: [\"/api/*\"], notPaths: [/api/admin], hosts: [a.example.com], notMethods: [DELETE], ports: [8080], notPorts: [9090]}]"), binding("b", role: "ops", "[{user: \"*\"}]")),
             expected: [("foo/ops", "{rules: [{to: [{operation: {paths: [\"/api/*\"], notPaths: [/api/admin], hosts: [a.example.com], notMethods: [DELETE], ports: [\"8080\"], notPorts: [\"9090\"]}}]}]}")]),
        Case(name: "group and groups become a request.auth.claims[groups] condition",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b", role: "r", "[{group: admin, notGroups: [banned]}]")),
             expected: [("foo/r", "{rules: [{to: [{operation: {methods: [GET]}}], when: [{key: \"request.auth.claims[groups]\", values: [admin], notValues: [banned]}]}]}")]),
        Case(name: "properties: source.ip, request.auth.principal to source; claims and headers to when",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b", role: "r", "[{properties: {source.ip: 10.0.0.0/8, request.auth.principal: \"https://idp/alice\", \"request.auth.claims[iss]\": \"https://idp\", \"request.headers[x-team]\": blue}}]")),
             expected: [("foo/r", "{rules: [{from: [{source: {ipBlocks: [10.0.0.0/8], requestPrincipals: [\"https://idp/alice\"]}}], to: [{operation: {methods: [GET]}}], when: [{key: \"request.auth.claims[iss]\", values: [\"https://idp\"]}, {key: \"request.headers[x-team]\", values: [blue]}]}]}")]),
        Case(name: "names, namespaces, ips and their not- forms become source fields",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b", role: "r", "[{names: [a], notNames: [b], namespaces: [n1], notNamespaces: [n2], ips: [1.2.3.4], notIps: [5.6.7.8]}]")),
             expected: [("foo/r", "{rules: [{from: [{source: {principals: [a], notPrincipals: [b], namespaces: [n1], notNamespaces: [n2], ipBlocks: [1.2.3.4], notIpBlocks: [5.6.7.8]}}], to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "constraints: destination.port to ports, request headers and destination.ip to when",
             input: join(role("r", "[{services: [\"*\"], methods: [GET], constraints: [{key: destination.port, values: [\"8080\"]}, {key: \"request.headers[version]\", values: [v1]}, {key: destination.ip, values: [10.1.0.0/16]}]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r", "{rules: [{to: [{operation: {methods: [GET], ports: [\"8080\"]}}], when: [{key: \"request.headers[version]\", values: [v1]}, {key: destination.ip, values: [10.1.0.0/16]}]}]}")]),
        Case(name: "two services give one policy each, named after the service",
             input: join(service, reviews, role("r", "[{services: [products, reviews.foo.svc.cluster.local], methods: [GET]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r-products", "{selector: {matchLabels: {app: products}}, rules: [{to: [{operation: {methods: [GET]}}]}]}"),
                        ("foo/r-reviews", "{selector: {matchLabels: {app: reviews, tier: back}}, rules: [{to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "a prefix service pattern uses the Services in the input",
             input: join(service, reviews, role("r", "[{services: [\"prod*\"], methods: [GET]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r", "{selector: {matchLabels: {app: products}}, rules: [{to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "a suffix covering the whole namespace means every workload",
             input: join(role("r", "[{services: [\"*.foo.svc.cluster.local\"], methods: [GET]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r", "{rules: [{to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "subjects of several bindings are alternatives (rules of one policy)",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b1", role: "r", "[{user: alice}]"), binding("b2", role: "r", "[{user: bob}]")),
             expected: [("foo/r", "{rules: [{from: [{source: {principals: [alice]}}], to: [{operation: {methods: [GET]}}]}, {from: [{source: {principals: [bob]}}], to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "a PERMISSIVE binding gives a dry-run policy of its own",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b", role: "r", "[{user: alice}]", extra: ", mode: PERMISSIVE")),
             expected: [("foo/r-permissive", "{rules: [{from: [{source: {principals: [alice]}}], to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "ClusterRbacConfig ON: allow-nothing in the root namespace",
             input: config("{mode: \"ON\"}"), expected: [("istio-system/global-deny-all", "{}")]),
        Case(name: "ClusterRbacConfig OFF: allow-all in the root namespace",
             input: config("{mode: \"OFF\"}"), expected: [("istio-system/global-allow-all", "{rules: [{}]}")]),
        Case(name: "ON_WITH_INCLUSION: allow-nothing per included namespace and service, allow-all where roles were off",
             input: join(service, config("{mode: ON_WITH_INCLUSION, inclusion: {namespaces: [bar], services: [products.foo.svc.cluster.local]}}"),
                         role("r", "[{services: [\"*\"], methods: [GET]}]", namespace: "baz"), binding("b", role: "r", "[{user: \"*\"}]", namespace: "baz")),
             expected: [("bar/bar-deny-all", "{}"), ("foo/products-deny-all", "{selector: {matchLabels: {app: products}}}"), ("baz/baz-allow-all", "{rules: [{}]}"),
                        ("baz/r", "{rules: [{to: [{operation: {methods: [GET]}}]}]}")]),
        Case(name: "ON_WITH_EXCLUSION (RbacConfig): allow-nothing mesh-wide, allow-all per excluded namespace",
             input: config("{mode: ON_WITH_EXCLUSION, exclusion: {namespaces: [kube-system]}}", kind: "RbacConfig"),
             expected: [("istio-system/global-deny-all", "{}"), ("kube-system/kube-system-allow-all", "{rules: [{}]}")]),
        Case(name: "a role without bindings is not converted",
             input: role("lonely", "[{services: [\"*\"], methods: [GET]}]"), expected: []),
        // What cannot be expressed: reported, and the ALLOW rule dropped (never widened).
        Case(name: "an unknown service has no known selector",
             input: join(role("r", "[{services: [ratings], methods: [GET]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [], problems: ["Service foo/ratings is not in the input"]),
        Case(name: "a service of another namespace never applied",
             input: join(role("r", "[{services: [ratings.bar.svc.cluster.local], methods: [GET]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [], problems: ["not in the role's namespace foo"]),
        Case(name: "a label constraint with two values cannot be a selector: that access rule is dropped",
             input: join(role("r", "[{services: [\"*\"], methods: [GET], constraints: [{key: \"destination.labels[version]\", values: [v1, v2]}]}, {services: [\"*\"], methods: [HEAD]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r", "{rules: [{to: [{operation: {methods: [HEAD]}}]}]}")], problems: ["destination.labels[version]", "access rule is dropped"]),
        Case(name: "destination.user has no equivalent",
             input: join(role("r", "[{services: [\"*\"], constraints: [{key: destination.user, values: [x]}]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [], problems: ["destination.user has no AuthorizationPolicy equivalent"]),
        Case(name: "an unknown property drops its subject only",
             input: join(role("r", "[{services: [\"*\"], methods: [GET]}]"), binding("b", role: "r", "[{properties: {source.service: x}}, {user: bob}]")),
             expected: [("foo/r", "{rules: [{from: [{source: {principals: [bob]}}], to: [{operation: {methods: [GET]}}]}]}")], problems: ["property source.service"]),
        Case(name: "a binding to a missing role",
             input: binding("b", role: "ghost", "[{user: \"*\"}]"), expected: [], problems: ["ServiceRole foo/ghost, which is not in the input"]),
        Case(name: "an unknown field is reported",
             input: join(role("r", "[{services: [\"*\"], methods: [GET], verbs: [get]}]"), binding("b", role: "r", "[{user: \"*\"}]")),
             expected: [("foo/r", "{rules: [{to: [{operation: {methods: [GET]}}]}]}")], problems: ["spec.rules[0].verbs"]),
        Case(name: "an unknown mode", input: config("{mode: SOMETIMES}"), expected: [], problems: ["unknown mode \"SOMETIMES\""]),
        Case(name: "an included service without its Service", input: config("{mode: ON_WITH_INCLUSION, inclusion: {services: [ratings.bar.svc.cluster.local]}}"),
             expected: [], problems: ["Service bar/ratings is not in the input"]),
    ]

    static func convert(_ text: String) throws -> RBACConversion {
        let documents = try YAML.parseDocuments(text).enumerated().map { RBACConverter.Document(value: $1, place: "input: document \($0)") }
        return try RBACConverter().convert(documents)
    }

    @Test(arguments: cases) func convert(_ row: Case) throws {
        let result = try Self.convert(row.input)
        #expect(result.policies.map { "\($0.namespace ?? "")/\($0.name)" } == row.expected.map(\.0), "\(result.problems)")
        for (policy, (_, spec)) in zip(result.policies, row.expected) {
            #expect(policy.value["spec"] == (try YAML.parse(spec)), "\(policy.name): \(JSON.emit(policy.value["spec"] ?? .null))")
            #expect(policy.apiVersion == "security.istio.io/v1beta1")
            #expect(!Validator.hasErrors(Validator.validate(.authorizationPolicy(policy))))
        }
        if row.problems.isEmpty {
            #expect(result.problems.isEmpty)
        }
        for words in row.problems {
            #expect(result.problems.contains { $0.contains(words) }, "\(result.problems)")
        }
    }

    @Test func permissiveBindingsAndConfigsAreDryRun() throws {
        let permissive = try Self.convert(Self.join(Self.role("r", "[{services: [\"*\"], methods: [GET]}]"), Self.binding("b", role: "r", "[{user: a}]", extra: ", mode: PERMISSIVE")))
        #expect(permissive.policies.first?.metadata.annotations?["istio.io/dry-run"] == "true")
        let config = try Self.convert(Self.config("{mode: \"ON\", enforcement_mode: PERMISSIVE}"))
        #expect(config.policies.first?.metadata.annotations?["istio.io/dry-run"] == "true")
        #expect(config.problems.isEmpty)
    }

    /// The converted policies decide like the legacy objects did: only the bound subject, only the granted method.
    @Test func convertedPoliciesDecideLikeTheLegacyRole() throws {
        let result = try Self.convert(Self.join(Self.service, Self.config("{mode: ON_WITH_INCLUSION, inclusion: {namespaces: [foo]}}"),
            Self.role("viewer", "[{services: [products], methods: [GET], paths: [\"/products*\"]}]"),
            Self.binding("b", role: "viewer", "[{user: \"cluster.local/ns/foo/sa/sleep\"}, {group: admins}]")))
        let evaluator = AuthorizationEvaluator(policies: try result.policies.map { try CompiledPolicy($0) })
        let products = Workload(namespace: "foo", labels: ["app": "products"])
        func allowed(_ request: AuthzRequest, _ workload: Workload = products) -> Bool { evaluator.evaluate(request, for: workload).isAllowed }
        #expect(allowed(AuthzRequest(method: "GET", path: "/products/1", sourcePrincipal: "cluster.local/ns/foo/sa/sleep")))
        #expect(!allowed(AuthzRequest(method: "POST", path: "/products/1", sourcePrincipal: "cluster.local/ns/foo/sa/sleep")))
        #expect(!allowed(AuthzRequest(method: "GET", path: "/products/1", sourcePrincipal: "cluster.local/ns/foo/sa/other")))
        #expect(allowed(AuthzRequest(method: "GET", path: "/products", requestPrincipal: "https://idp/bob", claims: ["groups": ["admins"]])))
        #expect(!allowed(AuthzRequest(method: "GET", path: "/products", sourcePrincipal: "cluster.local/ns/foo/sa/sleep"), Workload(namespace: "foo", labels: ["app": "reviews"])))
        #expect(allowed(AuthzRequest(method: "GET", path: "/"), Workload(namespace: "bar", labels: ["app": "x"])))
    }

    @Test func aSpecOfTheWrongShapeIsBadData() throws {
        #expect(throws: PolicyError.self) { try Self.convert(Self.role("r", "{services: oops}")) }
    }
}
