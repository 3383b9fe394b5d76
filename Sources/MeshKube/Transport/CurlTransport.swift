import CCurl
import Foundation

/// An HTTP client over one libcurl easy handle, reused for every request of a command so connections are kept.
///
/// Not `Sendable`: a handle serves one thread at a time. A watch gets a transport of its own on its own thread.
public final class CurlTransport {
    /// The options every request uses.
    public let options: TransportOptions
    /// New connections libcurl opened so far (1 when every request reused the first one).
    public private(set) var connectionsOpened = 0
    /// The HTTP version of the last response (`1.1`, `2`).
    public private(set) var lastHTTPVersion = ""

    private let curl: UnsafePointer<ccurl_api>
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Waits between retries; tests may shorten it.
    let sleep: @Sendable (Duration) -> Void

    /// Makes a transport; fails only when libcurl cannot be loaded or cannot start.
    public convenience init(options: TransportOptions = TransportOptions()) throws(KubeError) {
        try self.init(options: options, sleep: { duration in Thread.sleep(forTimeInterval: duration.seconds) })
    }

    init(options: TransportOptions, sleep: @escaping @Sendable (Duration) -> Void) throws(KubeError) {
        let curl = try CurlLibrary.load().api
        guard let handle = ccurl_easy_init(curl) else {
            throw KubeError(.transport, "cannot initialise libcurl")
        }
        self.options = options
        self.curl = curl
        self.handle = handle
        self.sleep = sleep
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        ccurl_easy_cleanup(curl, handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` and returns the server's answer, whatever its status, repeating idempotent requests the
    /// server asked to retry (429, 503) as `options.retry` allows.
    ///
    /// Throws `KubeError` for every failure to get an answer (connection, TLS, timeout, bad URL).
    public func perform(_ request: HTTPRequest) throws(KubeError) -> HTTPResponse {
        var attempt = 1
        while true {
            let response = try performOnce(request, sink: nil, cancellation: nil, streaming: false)
            guard options.retry.shouldRetry(request, status: response.status, attempt: attempt) else { return response }
            sleep(options.retry.delay(retryAfter: response.header("Retry-After")))
            attempt += 1
        }
    }

    /// Sends `request` and hands each piece of a 2xx body to `onData` as it arrives, until the server ends the
    /// response, `onData` returns `false`, or `cancellation` is set. Blocks the calling thread.
    ///
    /// A non-2xx response is returned whole (its body collected), so the caller can decode the error.
    public func stream(
        _ request: HTTPRequest, cancellation: CancellationFlag? = nil, onData: @escaping (Data) -> Bool
    ) throws(KubeError) -> HTTPResponse {
        try performOnce(request, sink: onData, cancellation: cancellation, streaming: true)
    }

    private func performOnce(
        _ request: HTTPRequest, sink: ((Data) -> Bool)?, cancellation: CancellationFlag?, streaming: Bool
    ) throws(KubeError) -> HTTPResponse {
        let target = try RequestTarget(url: request.url, serverName: options.tls.serverName)
        let transfer = CurlTransfer(sink: sink, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var connectTo: UnsafeMutablePointer<curl_slist>?
        defer {
            ccurl_slist_free_all(curl, headerList)
            ccurl_slist_free_all(curl, connectTo)
        }
        ccurl_easy_reset(curl, handle)  // keeps live connections and TLS sessions
        errorBuffer[0] = 0
        var setup = CurlSetup(curl: curl, handle: handle)
        setup.long(CURLOPT_NOSIGNAL, 1)
        setup.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        setup.string(CURLOPT_URL, target.effectiveURL)
        setup.string(CURLOPT_PROTOCOLS_STR, "http,https")
        setup.long(CURLOPT_FOLLOWLOCATION, 0)
        setup.long(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        setup.string(CURLOPT_USERAGENT, options.userAgent)
        setup.string(CURLOPT_ACCEPT_ENCODING, "")
        setup.long(CURLOPT_TCP_KEEPALIVE, 1)
        setup.long(CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.milliseconds)
        if !streaming, let timeout = options.requestTimeout {
            setup.long(CURLOPT_TIMEOUT_MS, max(1, timeout.milliseconds))
        }
        if let proxy = options.proxyURL { setup.string(CURLOPT_PROXY, proxy) }
        applyTLS(&setup)
        if let connect = target.connectTo {
            connectTo = ccurl_slist_append(curl, nil, connect)
            setup.slist(CURLOPT_CONNECT_TO, connectTo)
        }

        var fields = request.headers.map { "\($0.name): \($0.value)" }
        if let host = target.hostHeader, request.header("Host") == nil { fields.append("Host: \(host)") }
        fields.append("Expect:")  // no 100-continue round trip
        for field in fields { headerList = ccurl_slist_append(curl, headerList, field) }
        setup.slist(CURLOPT_HTTPHEADER, headerList)

        let method = request.method.uppercased()
        if method == "HEAD" {
            setup.long(CURLOPT_NOBODY, 1)
        } else if let body = request.body ?? (["POST", "PUT", "PATCH"].contains(method) ? Data() : nil) {
            setup.long(CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBytes { bytes in
                let empty: StaticString = ""
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                setup.pointer(CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            }
        }
        if method != "GET" && method != "HEAD" && !(method == "POST" && request.body != nil) {
            setup.string(CURLOPT_CUSTOMREQUEST, method)
        }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        setup.code = max(setup.code, ccurl_setopt_write_function(curl, handle, CurlTransfer.writeCallback).rawValue)
        setup.pointer(CURLOPT_WRITEDATA, context)
        setup.code = max(setup.code, ccurl_setopt_header_function(curl, handle, CurlTransfer.headerCallback).rawValue)
        setup.pointer(CURLOPT_HEADERDATA, context)
        if cancellation != nil {
            setup.code = max(setup.code, ccurl_setopt_progress_function(curl, handle, CurlTransfer.progressCallback).rawValue)
            setup.pointer(CURLOPT_XFERINFODATA, context)
            setup.long(CURLOPT_NOPROGRESS, 0)
        }
        if setup.code != CURLE_OK.rawValue {
            throw KubeError(.transport, "libcurl rejected an option (\(setup.code)): it may be too old for meshctl",
                            curlCode: Int(setup.code))
        }

        let result = withExtendedLifetime(transfer) { ccurl_easy_perform(curl, handle) }
        var connects = 0
        _ = ccurl_getinfo_long(curl, handle, CURLINFO_NUM_CONNECTS, &connects)
        connectionsOpened += connects
        var version = 0
        _ = ccurl_getinfo_long(curl, handle, CURLINFO_HTTP_VERSION, &version)
        lastHTTPVersion = Self.versionName(version)

        if result != CURLE_OK {
            if transfer.stoppedBySink { return response(of: transfer) }
            if result == CURLE_ABORTED_BY_CALLBACK {
                throw KubeError(.cancelled, "the request to \(request.url) was cancelled")
            }
            throw transportError(result, request: request)
        }
        var status = 0
        _ = ccurl_getinfo_long(curl, handle, CURLINFO_RESPONSE_CODE, &status)
        if status != 0 { transfer.status = status }
        return response(of: transfer)
    }

    private func response(of transfer: CurlTransfer) -> HTTPResponse {
        HTTPResponse(status: transfer.status, headers: transfer.headers, body: transfer.body, httpVersion: lastHTTPVersion)
    }

    private func applyTLS(_ setup: inout CurlSetup) {
        let tls = options.tls
        if tls.insecureSkipVerify {
            setup.long(CURLOPT_SSL_VERIFYPEER, 0)
            setup.long(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            setup.long(CURLOPT_SSL_VERIFYPEER, 1)
            setup.long(CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let ca = tls.caData { setup.blob(CURLOPT_CAINFO_BLOB, ca) }
        if let cert = tls.clientCertificateData {
            setup.blob(CURLOPT_SSLCERT_BLOB, cert)
            setup.string(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = tls.clientKeyData {
            setup.blob(CURLOPT_SSLKEY_BLOB, key)
            setup.string(CURLOPT_SSLKEYTYPE, "PEM")
        }
    }

    static func versionName(_ version: Int) -> String {
        switch version {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_1_1: "1.1"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: ""
        }
    }

    /// The message libcurl left in the error buffer, or its generic text for `code`.
    func detail(for code: CURLcode) -> String {
        let buffered = String(cString: errorBuffer)
        return buffered.isEmpty ? String(cString: ccurl_easy_strerror(curl, code)) : buffered
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
