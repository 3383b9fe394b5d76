import Testing
@testable import MeshProxy

@Suite("CustomProviderSetup")
struct CustomProviderSetupTests {
    static func setup(providers: String, policies: [(String, String)]) throws -> CustomProviderSetup {
        var yaml = ""
        for (name, provider) in policies {
            yaml += "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: \(name), namespace: shop}\n"
            yaml += "spec: {action: CUSTOM, provider: {name: \(provider)}, rules: [{}]}\n"
        }
        return CustomProviderSetup(security: try ExtensionProviderParserTests.load(providers, extra: yaml))
    }

    @Test("the workload's CUSTOM policies must name one configured provider, else matching requests fail closed")
    func setup() throws {
        let configured = "    - {name: opa, envoyExtAuthzHttp: {service: opa, port: 8181}}"
        let one = try Self.setup(providers: configured, policies: [("a", "opa"), ("b", "opa")])
        #expect(one.provider?.name == "opa")
        #expect(one.problem == nil)
        let unknown = try Self.setup(providers: configured, policies: [("a", "authz")])
        #expect(unknown.provider == nil)
        #expect(unknown.problem == "unknown ext-authz provider \"authz\" (configured: \"opa\")")
        let two = try Self.setup(
            providers: configured + "\n    - {name: other, envoyExtAuthzHttp: {service: o, port: 1}}", policies: [("a", "opa"), ("b", "other")])
        #expect(two.provider == nil)
        #expect(two.problem == "only 1 ext-authz provider can be used per workload, found \"opa\", \"other\"")
        let none = try Self.setup(providers: "      []", policies: [("a", "opa")])
        #expect(none.provider == nil)
        #expect(none.problem?.contains("not supported: no extension provider is configured") == true)
    }
}
