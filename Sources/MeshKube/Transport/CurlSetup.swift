import CCurl
import Foundation

/// Applies options to an easy handle and remembers the first failure, so setup reads as a list.
struct CurlSetup {
    let curl: UnsafePointer<ccurl_api>
    let handle: UnsafeMutableRawPointer
    var code: UInt32 = CURLE_OK.rawValue

    init(curl: UnsafePointer<ccurl_api>, handle: UnsafeMutableRawPointer) {
        self.curl = curl
        self.handle = handle
    }

    private mutating func record(_ result: CURLcode) {
        if code == CURLE_OK.rawValue { code = result.rawValue }
    }

    mutating func long(_ option: CURLoption, _ value: Int) {
        record(ccurl_setopt_long(curl, handle, option, value))
    }

    mutating func string(_ option: CURLoption, _ value: String) {
        record(value.withCString { ccurl_setopt_string(curl, handle, option, $0) })  // libcurl copies strings
    }

    mutating func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) {
        record(ccurl_setopt_pointer(curl, handle, option, value))
    }

    mutating func slist(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) {
        record(ccurl_setopt_slist(curl, handle, option, value))
    }

    mutating func blob(_ option: CURLoption, _ value: Data) {
        record(value.withUnsafeBytes { ccurl_setopt_blob(curl, handle, option, $0.baseAddress, $0.count) })
    }
}
