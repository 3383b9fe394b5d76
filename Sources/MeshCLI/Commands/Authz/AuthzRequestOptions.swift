import MeshCore
import MeshPolicy

/// The options of `authz check` that describe the request, and how they become an `AuthzRequest`.
enum AuthzRequestOptions {
    static let request = OptionSpec(long: "request", valueName: "'METHOD PATH'", help: "The HTTP request, e.g. 'GET /api/v1/users'")
    static let tcp = OptionSpec(long: "tcp", kind: .flag, help: "Check a plain TCP connection instead of an HTTP request")
    static let host = OptionSpec(long: "host", valueName: "HOST", help: "The Host/:authority header (default: none)")
    static let port = OptionSpec(long: "port", valueName: "N", help: "The destination port", valueType: .integer)
    static let principal = OptionSpec(long: "principal", valueName: "SPIFFE_ID", help: "The mTLS identity of the caller, e.g. cluster.local/ns/foo/sa/sleep (default: plain text)")
    static let sourceNamespace = OptionSpec(long: "source-namespace", valueName: "NS", help: "The caller's namespace; without --principal assumes cluster.local/ns/NS/sa/default")
    static let ip = OptionSpec(long: "ip", valueName: "ADDR", help: "The caller's IP address (source.ip)")
    static let remoteIP = OptionSpec(long: "remote-ip", valueName: "ADDR", help: "The original client IP address (remote.ip; default: --ip)")
    static let requestPrincipal = OptionSpec(long: "request-principal", valueName: "ISS/SUB", help: "The JWT principal, issuer/subject")
    static let claims = OptionSpec(long: "claims", valueName: "JSON", help: "The JWT payload as a JSON object, e.g. '{\"groups\":[\"admin\"]}'")
    static let header = OptionSpec(long: "header", kind: .repeatable, valueName: "NAME=VALUE", help: "A request header; repeatable")
    static let sni = OptionSpec(long: "sni", valueName: "NAME", help: "The TLS server name (connection.sni)")

    static let all = [request, tcp, host, port, principal, sourceNamespace, ip, remoteIP, requestPrincipal, claims, header, sni]

    /// The request the options describe; notes (assumptions made) go to `notes`.
    static func build(_ invocation: Invocation, notes: inout [String]) throws -> AuthzRequest {
        let options = invocation.options
        var request = AuthzRequest()
        if options.bool(tcp) {
            if options.isSet(self.request) { throw UsageError("--request and --tcp cannot be used together", at: invocation.path) }
        } else {
            guard let line = options.string(self.request) else {
                throw UsageError("--request 'METHOD PATH' is required (or --tcp for a TCP connection)", at: invocation.path)
            }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[1].hasPrefix("/") else {
                throw UsageError("--request must be 'METHOD PATH' with a path starting with /, got \"\(line)\"", at: invocation.path)
            }
            request.method = String(parts[0])
            request.path = String(parts[1])
        }
        request.host = options.string(host)
        if let text = options.string(port) {
            guard let number = Int(text), (0...65535).contains(number) else { throw UsageError("--port must be 0..65535, got \(text)", at: invocation.path) }
            request.port = number
        }
        request.sourcePrincipal = options.string(principal)
        if let namespace = options.string(sourceNamespace) {
            if let given = request.sourcePrincipal {
                if AuthzRequest(sourcePrincipal: given).sourceNamespace != namespace {
                    throw UsageError("--source-namespace \(namespace) contradicts --principal \(given)", at: invocation.path)
                }
            } else {
                request.sourcePrincipal = "cluster.local/ns/\(namespace)/sa/default"
                notes.append("assumed principal cluster.local/ns/\(namespace)/sa/default (Istio reads the source namespace from the mTLS identity)")
            }
        }
        for (option, keyPath) in [(ip, \AuthzRequest.sourceIP), (remoteIP, \AuthzRequest.remoteIP)] {
            if let text = options.string(option) {
                guard IPAddress(text) != nil else { throw UsageError("--\(option.long) is not an IP address: \(text)", at: invocation.path) }
                request[keyPath: keyPath] = text
            }
        }
        request.requestPrincipal = options.string(requestPrincipal)
        if let text = options.string(claims) {
            let value: Value
            do { value = try JSON.parse(text) } catch { throw UsageError("--claims is not JSON: \(error)", at: invocation.path) }
            guard case .object = value else { throw UsageError("--claims must be a JSON object", at: invocation.path) }
            request.claims = value
        }
        for entry in options.strings(header) {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw UsageError("--header must be NAME=VALUE, got \"\(entry)\"", at: invocation.path)
            }
            request.headers[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        request.sni = options.string(sni)
        return request
    }

    /// `k=v,k2=v2` as labels.
    static func labels(_ text: String, at path: CommandPath, flag: String = "--labels") throws -> [String: String] {
        var labels: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw UsageError("\(flag) must be key=value[,key=value…], got \"\(pair)\"", at: path) }
            labels[String(parts[0])] = String(parts[1])
        }
        return labels
    }
}
