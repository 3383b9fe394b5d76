import Foundation

/// The stand-in API server (Fixtures/kube_server.py) on 127.0.0.1, stopped when the value goes away.
final class TestServer: @unchecked Sendable {
    let port: Int
    let scheme: String
    private let process: Process

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Starts another fixture script that prints "PORT n" when ready (the CONNECT proxy).
    convenience init(script: String, arguments: [String]) throws {
        try self.init(launch: [TestTools.fixtures.appendingPathComponent(script).path, "--lifetime", "120"] + arguments, scheme: "http")
    }

    /// Starts the server; `tls` serves HTTPS with the given certificate, `clientCA` asks for client certificates.
    convenience init(tls: (cert: URL, key: URL)?, clientCA: URL? = nil, arguments: [String] = []) throws {
        var args = [TestTools.fixtures.appendingPathComponent("kube_server.py").path, "--lifetime", "120"] + arguments
        if let tls { args += ["--cert", tls.cert.path, "--key", tls.key.path] }
        if let clientCA { args += ["--client-ca", clientCA.path] }
        try self.init(launch: args, scheme: tls == nil ? "http" : "https")
    }

    private init(launch args: [String], scheme: String) throws {
        guard let python = TestTools.python3 else { throw TestTools.Failure(description: "python3 is missing") }
        self.scheme = scheme
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = args
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read the "PORT n" line, bounded in time.
        let reader = output.fileHandleForReading
        let box = LineBox()
        let thread = Thread { box.set(reader.readLine()) }
        thread.start()
        let deadline = Date().addingTimeInterval(20)
        while box.get() == nil && Date() < deadline && process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        guard let line = box.get(), line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            TestTools.stop(process)
            throw TestTools.Failure(description: "the test API server did not start")
        }
        self.port = port
    }

    deinit {
        TestTools.stop(process)
    }

    /// Starts an HTTPS server with the shared test PKI.
    static func https(clientCerts: Bool = false, named: Bool = false, arguments: [String] = []) throws -> (TestServer, TestPKI) {
        let pki = try TestPKI.shared.get()
        let tls = named ? (pki.namedServerCert, pki.namedServerKey) : (pki.serverCert, pki.serverKey)
        let server = try TestServer(tls: tls, clientCA: clientCerts ? pki.caCert : nil, arguments: arguments)
        return (server, pki)
    }
}

private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var line: String?
    func set(_ value: String?) { lock.withLock { line = value ?? "" } }
    func get() -> String? { lock.withLock { line } }
}

extension FileHandle {
    /// Reads up to and without the next newline; `nil` at end of file.
    func readLine() -> String? {
        var bytes = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte[byte.startIndex] == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
