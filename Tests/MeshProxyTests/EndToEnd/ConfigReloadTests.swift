import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOConcurrencyHelpers
import NIOPosix
import Testing

/// Config reloads: new requests follow the new config on the connections they arrive on, in-flight requests
/// finish under the old one, listeners come and go, and a bad config leaves the running one in place.
@Suite("Config reload", .serialized)
struct ConfigReloadTests {
    /// A config whose one listener `main` (an ephemeral port) forwards to `upstream`, with an admin listener.
    static func shorthand(to upstream: TestUpstream) throws -> ProxyConfig {
        var config = try ConfigLoader.load(
            documents: [],
            shorthand: ProxyShorthand(listen: HostPort(host: "127.0.0.1", port: 0), upstream: HostPort(host: "127.0.0.1", port: upstream.port)))
        config.admin = HostPort(host: "127.0.0.1", port: 0)
        return config
    }

    /// A bootstrap with the given listeners (`name: upstream port`), each on an ephemeral port.
    static func bootstrap(_ listeners: [(String, Int)], drainTimeout: String = "5s") throws -> ProxyConfig {
        let items = listeners.map { "  - {name: \($0.0), address: \"127.0.0.1:0\", protocol: http, upstream: \"127.0.0.1:\($0.1)\"}" }
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: reload-test}
            spec:
              admin: "127.0.0.1:0"
              limits: {drainTimeout: \(drainTimeout)}
              listeners:
            \(items.joined(separator: "\n"))
            """
        return try ConfigLoader.load(documents: YAML.parseDocuments(yaml))
    }

    @Test("after a reload, the next request on an open keep-alive connection follows the new config; the port stays")
    func keepAliveConnectionFollowsTheNewConfig() async throws {
        let upstreams = try await Upstreams.start(["old", "new"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let port = proxy.port
        let connection = try KeepAliveConnection(port: port)
        #expect(try connection.get("/").headers["x-upstream-id"] == "old")

        try await proxy.server.reload(Self.shorthand(to: upstreams[1]))
        let after = try connection.get("/")
        #expect(after.headers["x-upstream-id"] == "new")
        #expect(after.headers["connection"] == nil, "the connection was not kept open")
        #expect(proxy.port == port)
        #expect(try await TestClient.get(port: port, "/", group: proxy.clientGroup).headers.first(name: "x-upstream-id") == "new")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("config_reload.update_success: 1"))
        #expect(stats.contains("downstream_cx_active: 1"), "\(stats)")
    }

    @Test("a config that can't be built is refused: the old one keeps serving and the refusal is counted")
    func invalidConfigIsRefused() async throws {
        let upstreams = try await Upstreams.start(["old"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let connection = try KeepAliveConnection(port: proxy.port)
        #expect(try connection.get("/").headers["x-upstream-id"] == "old")

        var broken = try Self.shorthand(to: upstreams[0])
        broken.listeners[0].defaultCluster = "no-such-cluster"
        await #expect(throws: ProxyError.self) { try await proxy.server.reload(broken) }

        // A listener on a port that is taken can't be bound: refused as a whole, nothing half-applied.
        let blocker = try await ServerBootstrap(group: proxy.clientGroup).bind(host: "127.0.0.1", port: 0).get()
        defer { blocker.close(promise: nil) }
        var clash = try Self.shorthand(to: upstreams[0])
        clash.listeners.append(ListenerConfig(
            name: "clash", address: HostPort(host: "127.0.0.1", port: blocker.localAddress!.port!), protocol: .http,
            defaultCluster: clash.listeners[0].defaultCluster))
        await #expect(throws: ProxyError.self) { try await proxy.server.reload(clash) }
        #expect(proxy.server.ports["clash"] == nil)

        #expect(try connection.get("/").headers["x-upstream-id"] == "old")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("config_reload.update_rejected: 2"), "\(stats)")
        #expect(stats.contains("config_reload.update_success: 0"))
    }

    @Test("a request in flight during a reload finishes under the old config; the next one uses the new")
    func inFlightRequestFinishesOnTheOldConfig() async throws {
        let upstreams = try await Upstreams.start(["old", "new"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let port = proxy.port
        async let slow = TestClient.get(port: port, "/slow/700", group: proxy.clientGroup)
        // The upstream counts the request when it has read it, then answers 700 ms later.
        let arrived = try await poll(timeout: .seconds(10)) { upstreams[0].requests > 0 ? true : nil }
        try #require(arrived == true, "the request never reached the upstream")
        try await proxy.server.reload(Self.shorthand(to: upstreams[1]))
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.headers.first(name: "x-upstream-id") == "old")
        #expect(try await TestClient.get(port: port, "/", group: proxy.clientGroup).headers.first(name: "x-upstream-id") == "new")
    }

    @Test("listeners added by a reload are bound, removed ones closed along with their idle connections")
    func listenersComeAndGo() async throws {
        let upstreams = try await Upstreams.start(["a", "b"])
        let server = try ProxyServer(config: Self.bootstrap([("first", upstreams[0].port)]))
        try await server.start()
        defer { Task { await server.shutdown(drainTimeout: .milliseconds(100)); await upstreams.stop() } }
        let firstPort = try #require(server.ports["first"])
        let idle = try KeepAliveConnection(port: firstPort)
        #expect(try idle.get("/").headers["x-upstream-id"] == "a")

        try await server.reload(Self.bootstrap([("second", upstreams[1].port)]))
        let secondPort = try #require(server.ports["second"])
        #expect(server.ports["first"] == nil)
        #expect(server.ports["admin"] != nil, "the admin listener must stay")
        #expect(idle.closedByPeer(), "the idle connection of the removed listener stayed open")
        #expect(throws: (any Error).self) { _ = try KeepAliveConnection(port: firstPort) }
        #expect(try await TestClient.get(port: secondPort, "/", group: upstreams.group).headers.first(name: "x-upstream-id") == "b")
    }

    @Test("an HTTP/2 connection of a listener a reload removes is told to go away (GOAWAY) and closes")
    func http2ConnectionOfARemovedListenerGoesAway() async throws {
        let upstreams = try await Upstreams.start(["a", "b"])
        let server = try ProxyServer(config: Self.bootstrap([("first", upstreams[0].port)]))
        try await server.start()
        defer { Task { await server.shutdown(drainTimeout: .milliseconds(100)); await upstreams.stop() } }
        let port = try #require(server.ports["first"])
        let (channel, multiplexer) = try await HTTP2TestClient.connect(port: port, group: upstreams.group)
        defer { channel.close(promise: nil) }
        #expect(try await HTTP2TestClient.request(on: multiplexer, eventLoop: channel.eventLoop, port: port, path: "/").get().status == 200)

        try await server.reload(Self.bootstrap([("second", upstreams[1].port)]))
        let closed = try await poll(timeout: .seconds(10)) { channel.isActive ? nil : true }
        #expect(closed == true, "the HTTP/2 connection stayed open on a removed listener")
    }

    @Test(
        "HTTP/2 connections of a removed listener close as soon as their streams end: an idle one at once, a busy one after its response, long before the drain time")
    func http2ConnectionsCloseWhenTheirStreamsEnd() async throws {
        let upstreams = try await Upstreams.start(["a", "b"])
        let server = try ProxyServer(config: Self.bootstrap([("first", upstreams[0].port)], drainTimeout: "60s"))
        try await server.start()
        defer { Task { await server.shutdown(drainTimeout: .milliseconds(100)); await upstreams.stop() } }
        let port = try #require(server.ports["first"])
        let (idle, idleStreams) = try await HTTP2TestClient.connect(port: port, group: upstreams.group)
        defer { idle.close(promise: nil) }
        #expect(try await HTTP2TestClient.request(on: idleStreams, eventLoop: idle.eventLoop, port: port, path: "/").get().status == 200)
        let (busy, busyStreams) = try await HTTP2TestClient.connect(port: port, group: upstreams.group)
        defer { busy.close(promise: nil) }
        let slow = try await HTTP2TestClient.request(on: busyStreams, eventLoop: busy.eventLoop, port: port, path: "/slow/1500")
        try await Task.sleep(for: .milliseconds(300))  // the slow request is at the upstream

        try await server.reload(Self.bootstrap([("second", upstreams[1].port)], drainTimeout: "60s"))
        let idleClosed = try await poll(timeout: .seconds(10)) { idle.isActive ? nil : true }
        #expect(idleClosed == true, "the idle HTTP/2 connection waited for the drain time")
        #expect(try await slow.get().status == 200, "the in-flight stream must finish")
        let busyClosed = try await poll(timeout: .seconds(10)) { busy.isActive ? nil : true }
        #expect(busyClosed == true, "the HTTP/2 connection stayed open after its last stream ended")
    }

    @Test("meshctl proxy run reloads when its file changes, and keeps running on a broken edit", .timeLimit(.minutes(1)))
    func fileChangeReloadsTheRunningProxy() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProxyProcess.meshctl), "no meshctl next to the tests")
        let upstreams = try await Upstreams.start(["old", "new"])
        defer { Task { await upstreams.stop() } }
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("proxy.yaml")
        func write(upstream: Int, port: Int = 0) throws {
            try """
                apiVersion: meshctl.dev/v1alpha1
                kind: ProxyBootstrap
                metadata: {name: reload-test}
                spec:
                  listeners:
                  - {name: main, address: "127.0.0.1:\(port)", protocol: http, upstream: "127.0.0.1:\(upstream)"}
                """.write(to: file, atomically: true, encoding: .utf8)
        }
        try write(upstream: upstreams[0].port)

        let proxy = try ProxyProcess(file: file)
        defer { proxy.stop() }
        let port = try #require(try await proxy.mainPort(), "the proxy did not report its port: \(proxy.output)")
        let connection = try KeepAliveConnection(port: port)
        #expect(try connection.get("/").headers["x-upstream-id"] == "old")

        // The same port, written explicitly now that it is known, so the socket is kept across the reload.
        try write(upstream: upstreams[1].port, port: port)
        let reloaded = try await poll(timeout: .seconds(20)) { proxy.output.contains("config reloaded") ? true : nil }
        try #require(reloaded == true, "no reload reported: \(proxy.output)")
        #expect(try connection.get("/").headers["x-upstream-id"] == "new")

        try "kind: [broken".write(to: file, atomically: true, encoding: .utf8)
        let refused = try await poll(timeout: .seconds(20)) { proxy.output.contains("reload refused") ? true : nil }
        try #require(refused == true, "no refusal reported: \(proxy.output)")
        #expect(proxy.process.isRunning)
        #expect(try connection.get("/").headers["x-upstream-id"] == "new")
    }
}

/// Certificate rotation: replacing a listener's certificate files reloads the proxy; new connections are
/// served with the new certificate.
@Suite("Certificate reload", .serialized)
struct CertificateReloadTests {
    /// A self-signed certificate for 127.0.0.1 named `name`, written to `name.crt`/`name.key` in `directory`.
    static func selfSigned(_ name: String, in directory: URL) throws {
        let openssl = try #require(TestTools.openssl, "openssl is missing")
        _ = try TestTools.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", "\(name).key", "-out", "\(name).crt",
        ], in: directory)
    }

    @Test("a rotated listener certificate is picked up without a restart", .timeLimit(.minutes(1)))
    func rotation() async throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.selfSigned("first", in: directory)
        try Self.selfSigned("second", in: directory)
        let live = (cert: directory.appendingPathComponent("live.crt"), key: directory.appendingPathComponent("live.key"))
        func install(_ name: String) throws {
            // As cert-manager and kubelet do: write new files, then rename them over the live ones.
            for (suffix, target) in [("crt", live.cert), ("key", live.key)] {
                let staged = directory.appendingPathComponent("staged.\(suffix)")
                try? FileManager.default.removeItem(at: staged)
                try FileManager.default.copyItem(at: directory.appendingPathComponent("\(name).\(suffix)"), to: staged)
                guard rename(staged.path, target.path) == 0 else { throw KeepAliveConnection.Failure(description: "rename failed") }
            }
        }
        try FileManager.default.copyItem(at: directory.appendingPathComponent("first.crt"), to: live.cert)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("first.key"), to: live.key)

        let upstreams = try await Upstreams.start(["app"])
        defer { Task { await upstreams.stop() } }
        let load: @Sendable () throws -> ProxyConfig = {
            var config = try ConfigLoader.load(
                documents: [],
                shorthand: ProxyShorthand(
                    listen: HostPort(host: "127.0.0.1", port: 0), upstream: HostPort(host: "127.0.0.1", port: upstreams[0].port)))
            config.listeners[0].tls = ServerTLSConfig(certificateFile: live.cert.path, keyFile: live.key.path)
            return config
        }
        let server = try ProxyServer(config: load())
        try await server.start()
        #expect(server.config.referencedFiles == [live.cert.path, live.key.path])
        let watcher = ConfigWatcher(paths: [], interval: .milliseconds(100), load: load)
        let log = NIOLockedValueBox<[String]>([])
        let watching = Task { await watcher.run(server: server) { line in log.withLockedValue { $0.append(line) } } }
        defer { watching.cancel(); Task { await server.shutdown(drainTimeout: .milliseconds(100)) } }
        let port = try #require(server.ports["main"])
        func status(trusting name: String) throws -> String {
            try Subprocess.curl([
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", directory.appendingPathComponent("\(name).crt").path,
                "https://127.0.0.1:\(port)/",
            ]).standardOutput
        }
        #expect(try status(trusting: "first") == "200")
        #expect(try status(trusting: "second") != "200")

        try install("second")
        let rotated = try await poll(timeout: .seconds(20)) { try status(trusting: "second") == "200" ? true : nil }
        #expect(rotated == true, "the new certificate was not served: \(log.withLockedValue { $0 })")
        #expect(try status(trusting: "first") != "200")
        #expect(server.ports["main"] == port)
    }
}
