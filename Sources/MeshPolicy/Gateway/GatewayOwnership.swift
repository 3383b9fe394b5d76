/// How meshctl marks the objects `gateway create` writes, so `gateway delete` removes only its own routes.
public enum GatewayOwnership {
    /// `app.kubernetes.io/managed-by: meshctl` on everything meshctl creates.
    public static let managedByKey = "app.kubernetes.io/managed-by"
    public static let managedByValue = "meshctl"
    /// On a VirtualService: the name of the Gateway (same namespace) it was created for.
    public static let gatewayKey = "gateway.meshctl.io/name"

    /// The labels of a VirtualService created for `gateway`.
    public static func routeLabels(gateway: String) -> [String: String] {
        [managedByKey: managedByValue, gatewayKey: gateway]
    }

    /// The label selector that finds the VirtualServices created for `gateway`.
    public static func routeSelector(gateway: String) -> String {
        "\(managedByKey)=\(managedByValue),\(gatewayKey)=\(gateway)"
    }

    /// Whether `labels` mark a VirtualService as created by meshctl for `gateway`.
    public static func isRoute(_ labels: [String: String]?, of gateway: String) -> Bool {
        labels?[managedByKey] == managedByValue && labels?[gatewayKey] == gateway
    }
}
