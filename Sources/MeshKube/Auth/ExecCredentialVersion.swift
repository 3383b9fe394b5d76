/// The `ExecCredential` API versions meshctl speaks with credential plugins.
public enum ExecCredentialVersion: String, Sendable, CaseIterable {
    /// `client.authentication.k8s.io/v1`: `interactiveMode` is required.
    case v1 = "client.authentication.k8s.io/v1"
    /// `client.authentication.k8s.io/v1beta1`.
    case v1beta1 = "client.authentication.k8s.io/v1beta1"
}
