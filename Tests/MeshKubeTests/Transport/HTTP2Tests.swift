import Foundation
import Testing

@testable import MeshKube

/// HTTP/2 is negotiated through ALPN when the server offers it (nghttpd from Debian's nghttp2-server).
@Suite(.enabled(if: TestTools.available && TestTools.find("nghttpd") != nil,
                "nghttpd (apt-get install nghttp2-server) is needed to check HTTP/2"))
struct HTTP2Tests {
    @Test func http2IsUsedWhenTheServerOffersIt() throws {
        let pki = try TestPKI.shared.get()
        let root = try TestTools.temporaryDirectory()
        try Data(#"{"gitVersion":"v1.31.0-h2"}"#.utf8).write(to: root.appendingPathComponent("version"))
        let transport = try CurlTransport(options: TransportOptions(tls: TLSSettings(caData: try pki.data(pki.caCert)),
                                                                    requestTimeout: .seconds(5)))
        for _ in 0..<5 {  // an ephemeral port that may be taken: try a few
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(TestTools.find("nghttpd")))
            process.arguments = ["--address=127.0.0.1", "-d", root.path, String(port), pki.serverKey.path, pki.serverCert.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { TestTools.stop(process) }
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline {
                if let response = try? transport.perform(HTTPRequest(url: "https://127.0.0.1:\(port)/version")) {
                    #expect(response.status == 200)
                    #expect(response.httpVersion == "2")
                    #expect(String(decoding: response.body, as: UTF8.self).contains("v1.31.0-h2"))
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        Issue.record("nghttpd did not start")
    }
}
