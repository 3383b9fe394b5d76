/// One `--route PATH=SERVICE:PORT` of `gateway create`: requests whose path starts with `pathPrefix` go to
/// `service` on `port`.
public struct GatewayRoute: Sendable, Hashable {
    public var pathPrefix: String
    public var service: String
    public var port: Int

    public init(pathPrefix: String, service: String, port: Int) {
        self.pathPrefix = pathPrefix
        self.service = service
        self.port = port
    }

    /// Reads `PATH=SERVICE:PORT`, or `SERVICE:PORT` for the prefix `/`; the error names what is wrong.
    public static func parse(_ text: String) throws(PolicyError) -> GatewayRoute {
        var path = "/", target = Substring(text)
        if let equals = text.firstIndex(of: "=") {
            path = String(text[..<equals])
            target = text[text.index(after: equals)...]
        }
        guard path.hasPrefix("/") else {
            throw PolicyError("route \"\(text)\": the path must start with /, as in /api=api:8080")
        }
        guard let colon = target.lastIndex(of: ":"), !target[..<colon].isEmpty else {
            throw PolicyError("route \"\(text)\": expected PATH=SERVICE:PORT, as in /api=api:8080")
        }
        let service = String(target[..<colon])
        guard let port = Int(target[target.index(after: colon)...]), (1...65535).contains(port) else {
            throw PolicyError("route \"\(text)\": the port must be a number from 1 to 65535")
        }
        return GatewayRoute(pathPrefix: path, service: service, port: port)
    }

    /// `/api → api:8080`.
    public var description: String { "\(pathPrefix) → \(service):\(port)" }
}
