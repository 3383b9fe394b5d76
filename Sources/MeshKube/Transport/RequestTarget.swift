import Foundation

/// Where a request really goes: the URL libcurl is given, and how `tls-server-name` bends it.
///
/// libcurl sends SNI and verifies the certificate against the URL's host. To use another name (kubeconfig
/// `tls-server-name`), the URL carries that name, `CURLOPT_CONNECT_TO` sends the connection to the real host,
/// and the `Host` header keeps the real address, as kubectl does.
struct RequestTarget: Equatable {
    var effectiveURL: String
    var connectTo: String?
    var hostHeader: String?

    init(url: String, serverName: String?) throws(KubeError) {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw KubeError(.unsupportedURL, "malformed URL \"\(url)\"")
        }
        guard scheme == "http" || scheme == "https" else {
            throw KubeError(.unsupportedURL, "unsupported URL scheme \"\(scheme)\" in \(url): only http and https are allowed")
        }
        guard let host = components.host, !host.isEmpty else {
            throw KubeError(.unsupportedURL, "URL \(url) has no host")
        }
        effectiveURL = url
        guard scheme == "https", let serverName, !serverName.isEmpty, serverName != host else { return }
        let port = components.port ?? 443
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let connectHost = bare.contains(":") ? "[\(bare)]" : bare
        components.host = serverName
        guard let rewritten = components.string else {
            throw KubeError(.unsupportedURL, "cannot use tls-server-name \"\(serverName)\" with \(url)")
        }
        effectiveURL = rewritten
        connectTo = "\(serverName):\(port):\(connectHost):\(port)"
        hostHeader = components.port.map { "\(connectHost):\($0)" } ?? connectHost
    }
}
