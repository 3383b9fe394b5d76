import CCurl

/// libcurl, opened and initialised on first use instead of linked, so that commands which never talk to a server
/// (`version`, `help`, `inject` with the built-in template, …) do not pay for loading libcurl's dependency tree.
///
/// The function table is written once, before the value is shared, and never changed or freed: safe to share.
struct CurlLibrary: @unchecked Sendable {
    /// libcurl's soname (its ABI has kept this name since 2006).
    static let soname = "libcurl.so.4"

    /// The process's libcurl, opened by the first transport.
    static let shared = Result { () throws(KubeError) in try CurlLibrary(opening: soname) }

    /// libcurl's functions.
    let api: UnsafePointer<ccurl_api>

    /// Opens `library` (a soname or a path), finds the functions meshctl calls and runs `curl_global_init`.
    ///
    /// Throws `KubeError` (`.transport`) saying what is missing when the library cannot be used.
    init(opening library: String) throws(KubeError) {
        let table = UnsafeMutablePointer<ccurl_api>.allocate(capacity: 1)
        table.initialize(to: ccurl_api())
        var detail: UnsafePointer<CChar>?
        let status = ccurl_load(library, table, &detail)
        let text = detail.map { String(cString: $0) } ?? ""
        switch status {
        case CCURL_LOADED:
            break
        case CCURL_MISSING_FUNCTION:
            table.deallocate()
            throw KubeError(.transport, "cannot use libcurl: \(library) has no function \(text)")
        default:
            table.deallocate()
            throw KubeError(.transport, "cannot load libcurl (\(text)); install it (Debian: apt-get install libcurl4)")
        }
        let initialised = ccurl_global_init(table, Int(CURL_GLOBAL_ALL))
        guard initialised == CURLE_OK else {
            table.deallocate()
            let code = Int(initialised.rawValue)
            throw KubeError(.transport, "cannot initialise libcurl (\(code))", curlCode: code)
        }
        api = UnsafePointer(table)
    }

    /// The process's libcurl, or why it cannot be used.
    static func load() throws(KubeError) -> CurlLibrary {
        try shared.get()
    }
}
