import MeshPolicy
import Testing

/// TCP traffic: HTTP-only fields make an ALLOW rule ignored and are dropped from DENY rules; values Istio cannot
/// translate shrink ALLOW policies and widen DENY policies.
@Suite struct AuthzTCPTests {
    typealias T = AuthzTable

    static let rows: [AuthzCase] = [
        AuthzCase(name: "TCP: ALLOW on ports", policies: [T.allow("[{to: [{operation: {ports: [\"9000\"]}}]}]")], request: T.tcp(port: 9000), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "TCP: ALLOW rule with HTTP-only fields is ignored", policies: [T.allow("[{to: [{operation: {methods: [GET], ports: [\"9000\"]}}]}]")], request: T.tcp(port: 9000), expected: .deny),
        AuthzCase(name: "TCP: DENY with only HTTP fields denies all TCP", policies: [T.deny("[{to: [{operation: {methods: [GET]}}]}]")], request: T.tcp(), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "TCP: DENY keeps its TCP fields", policies: [T.deny("[{to: [{operation: {ports: [\"9001\"], paths: [/x]}}]}]")], request: T.tcp(port: 9000), expected: .allow),
        AuthzCase(name: "TCP: principals work on TCP", policies: [T.allow("[{from: [{source: {principals: [cluster.local/ns/foo/sa/sleep]}}]}]")], request: T.tcp(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "ALLOW rule with a bad CIDR is dropped", policies: [T.allow("[{from: [{source: {ipBlocks: [10.0.0.0/33, 10.0.0.0/8]}}]}]")], request: T.get(), expected: .deny),
        AuthzCase(name: "DENY keeps its good values when one is bad", policies: [T.deny("[{from: [{source: {ipBlocks: [not-an-ip, 10.0.0.0/8]}}]}]")], request: T.get(), expected: .deny, policy: "foo/deny", rule: 0),
    ]

    @Test(arguments: rows) func row(_ row: AuthzCase) throws {
        try AuthzTable.check(row)
    }

    @Test func everyTableHasAtLeastSixtyRowsInAll() {
        let total = AuthzOrderTests.rows.count + AuthzSourceTests.rows.count + AuthzOperationTests.rows.count
            + AuthzConditionTests.rows.count + AuthzTCPTests.rows.count
        #expect(total >= 60)
    }
}
