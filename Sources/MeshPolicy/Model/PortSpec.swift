/// A port of a Gateway server, ServiceEntry or Sidecar listener: number, protocol and name.
public struct PortSpec: Codable, Sendable, Hashable {
    public var number: Int?
    public var `protocol`: String?
    public var name: String?
    /// Deprecated; Istio warns it has no effect on gateways and sidecars.
    public var targetPort: Int?

    public init(number: Int? = nil, protocol: String? = nil, name: String? = nil, targetPort: Int? = nil) {
        self.number = number
        self.protocol = `protocol`
        self.name = name
        self.targetPort = targetPort
    }
}
