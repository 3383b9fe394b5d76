import NIOCore
import NIOEmbedded
import Testing
@testable import MeshProxy

/// What a reload does with listening sockets, decided without binding anything.
@Suite("Listener plan of a reload")
struct ListenerPlanTests {
    static func socket(_ name: String, _ configured: String, bound port: Int) throws -> ListeningSocket {
        let channel = EmbeddedChannel()
        channel.localAddress = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        return ListeningSocket(address: HostPort(parsing: configured)!, channel: channel, name: NameBox(name))
    }

    static func listener(_ name: String, _ address: String) -> ListenerConfig {
        ListenerConfig(name: name, address: HostPort(parsing: address)!, protocol: .http, defaultCluster: "c")
    }

    @Test("an unchanged listener keeps its socket; a new one is bound; a dropped one is closed; admin is left alone")
    func keepBindClose() throws {
        let old = [
            "web": try Self.socket("web", "127.0.0.1:8080", bound: 8080),
            "gone": try Self.socket("gone", "127.0.0.1:9000", bound: 9000),
            "admin": try Self.socket("admin", "127.0.0.1:15000", bound: 15000),
        ]
        let plan = ListenerPlan(old: old, new: [Self.listener("web", "127.0.0.1:8080"), Self.listener("api", "127.0.0.1:8081")])
        #expect(plan.toBind.map(\.name) == ["api"])
        #expect(plan.renamed.isEmpty)
        #expect(plan.toClose == ["gone"])
        #expect(plan.closing.count == 1)
    }

    @Test("a listener on an old socket's fixed or system-chosen port takes the socket over instead of binding")
    func takeOver() throws {
        let old = [
            "a": try Self.socket("a", "127.0.0.1:8080", bound: 8080),
            "b": try Self.socket("b", "127.0.0.1:0", bound: 41234),
        ]
        // a and b trade ports: neither needs a bind, so neither clashes with the other's still-open socket.
        let plan = ListenerPlan(old: old, new: [Self.listener("a", "127.0.0.1:41234"), Self.listener("b", "127.0.0.1:8080")])
        #expect(plan.toBind.isEmpty)
        #expect(plan.renamed.map { "\($0.from)->\($0.to)" }.sorted() == ["a->b", "b->a"])
        #expect(plan.toClose.isEmpty)
    }

    @Test("port 0 listeners with a new name are bound anew; the same name keeps its ephemeral socket")
    func ephemeralPorts() throws {
        let old = ["main": try Self.socket("main", "127.0.0.1:0", bound: 40000)]
        let same = ListenerPlan(old: old, new: [Self.listener("main", "127.0.0.1:0")])
        #expect(same.toBind.isEmpty && same.toClose.isEmpty && same.renamed.isEmpty)
        let spelledOut = ListenerPlan(old: old, new: [Self.listener("main", "127.0.0.1:40000")])
        #expect(spelledOut.toBind.isEmpty && spelledOut.toClose.isEmpty)
        let other = ListenerPlan(old: old, new: [Self.listener("second", "127.0.0.1:0")])
        #expect(other.toBind.map(\.name) == ["second"])
        #expect(other.toClose == ["main"])
    }
}
