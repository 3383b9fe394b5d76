import MeshCore
import MeshPolicy
import Testing

/// Mutated documents never crash reading, validation, compilation or evaluation: they decode or fail with an
/// error naming a path.
@Suite struct RobustnessTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    static let oddStrings: [Value] = ["", "*", "**", "::", ":::1", "10.0.0.0/99", "1.2.3.4/", "/{**}{*}", "{*}", "a[b][", "request.auth.claims[]",
                                      "request.headers[", "spiffe://", "ns/", "/", "é*", "*.", "-", "0", "65536", "ALLOW", "CUSTOM", .string(String(repeating: "a", count: 300))]

    static func mutate(_ value: Value, _ random: inout Generator, depth: Int = 0) -> Value {
        if depth > 0 && random.next(4) == 0 {
            switch random.next(6) {
            case 0: return oddStrings[random.next(oddStrings.count)]
            case 1: return .int(random.next(3) == 0 ? -1 : 70000)
            case 2: return .null
            case 3: return [oddStrings[random.next(oddStrings.count)], .null]
            case 4: return ["x": .bool(true)]
            default: return .double(1.5)
            }
        }
        switch value {
        case .object(let object):
            var copy = object
            for (key, child) in object where random.next(2) == 0 { copy[key] = mutate(child, &random, depth: depth + 1) }
            return .object(copy)
        case .array(let items):
            return .array(items.map { random.next(2) == 0 ? mutate($0, &random, depth: depth + 1) : $0 })
        default:
            return random.next(3) == 0 ? oddStrings[random.next(oddStrings.count)] : value
        }
    }

    static var seeds: [Value] {
        let rows = NetworkingValidationTests.rows + SecurityValidationTests.rows
        let tables = AuthzOrderTests.rows + AuthzSourceTests.rows + AuthzOperationTests.rows + AuthzConditionTests.rows
        let texts = rows.map(\.yaml) + tables.flatMap(\.policies)
        return texts.compactMap { try? YAML.parse($0) }
    }

    @Test func mutatedDocumentsNeverCrash() {
        var random = Generator(state: 2024)
        let seeds = Self.seeds
        let request = AuthzRequest(method: "GET", path: "/api/{*}", host: "A.example.com:80", port: 8000, headers: ["x": ""],
                                   sourcePrincipal: "spiffe://td/ns/foo/sa/bar", sourceIP: "::ffff:10.0.0.1", claims: ["groups": ["a", 1, .null]])
        var decoded = 0, rejected = 0
        for iteration in 0..<3_000 {
            let document = Self.mutate(seeds[iteration % seeds.count], &random)
            do throws(PolicyError) {
                guard let resource = try MeshResource.decode(document) else { continue }
                decoded += 1
                _ = Validator.validate(resource)
                _ = resource.value
                if case .authorizationPolicy(let policy) = resource, let compiled = try? CompiledPolicy(policy) {
                    let decision = AuthorizationEvaluator(policies: [compiled]).evaluate(request, for: Workload(namespace: "foo", labels: ["app": "httpbin"]))
                    _ = decision.value
                    _ = AuthorizationEngine(policies: [compiled], workload: Workload(namespace: "foo")).decide(request)
                }
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(decoded > 1_000)
        #expect(rejected > 0)
    }

    @Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8", "fe80::1%eth0"])
    func addressesParse(_ text: String) {
        #expect(IPAddress(text) != nil)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", ":1", "1.2.3.4/"])
    func malformedAddressesDoNot(_ text: String) {
        #expect(IPAddress(text) == nil || text.hasSuffix("/"))
        #expect(CIDR(text) == nil)
    }

    @Test func cidrBoundaries() throws {
        let v4 = try #require(CIDR("10.1.0.0/16"))
        #expect(v4.contains(try #require(IPAddress("10.1.255.255"))))
        #expect(!v4.contains(try #require(IPAddress("10.2.0.0"))))
        #expect(!v4.contains(try #require(IPAddress("::ffff:10.1.0.1"))))
        #expect(try #require(CIDR("0.0.0.0/0")).contains(try #require(IPAddress("8.8.8.8"))))
        let v6 = try #require(CIDR("2001:db8:abcd:12::/64"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:abcd:12:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8:abcd:13::1"))))
        #expect(try #require(CIDR("2001:db8::1/128")).contains(try #require(IPAddress("2001:db8::1"))))
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("::/129") == nil)
        #expect(CIDR("10.0.0.0/08") == nil)
    }
}
