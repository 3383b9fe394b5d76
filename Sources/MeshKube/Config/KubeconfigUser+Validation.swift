extension KubeconfigUser {
    /// Checks what kubectl checks before using a user: one way to get a bearer token, a whole client
    /// certificate, an exec plugin it can talk to. Unused users are never checked, as with kubectl.
    func validate(name: String) throws(KubeError) {
        func fail(_ problem: String) -> KubeError { KubeError.kubeconfig(origin, "user \"\(name)\": \(problem)") }
        var methods: [String] = []
        if token != nil || tokenFile != nil { methods.append("token") }
        if username != nil || password != nil { methods.append("basic auth") }
        if exec != nil { methods.append("exec") }
        if authProvider != nil { methods.append("auth-provider") }
        if methods.count > 1 {
            throw fail("more than one authentication method (\(methods.joined(separator: ", "))); keep only one")
        }
        let hasCert = clientCertificate != nil || clientCertificateData != nil
        let hasKey = clientKey != nil || clientKeyData != nil
        if hasCert && !hasKey { throw fail("client-certificate is set but client-key(-data) is missing") }
        if hasKey && !hasCert { throw fail("client-key is set but client-certificate(-data) is missing") }
        if let exec {
            let known = ExecCredentialVersion.allCases.map(\.rawValue).joined(separator: ", ")
            guard let version = ExecCredentialVersion(rawValue: exec.apiVersion) else {
                throw fail(exec.apiVersion.isEmpty
                    ? "exec.apiVersion is missing (use one of \(known))"
                    : "exec.apiVersion \"\(exec.apiVersion)\" is not supported (use one of \(known))")
            }
            if let mode = exec.interactiveMode, !["Never", "IfAvailable", "Always"].contains(mode) {
                throw fail("exec.interactiveMode \"\(mode)\" is not one of Never, IfAvailable, Always")
            }
            if version == .v1 && exec.interactiveMode == nil {
                throw fail("exec.interactiveMode is required by \(exec.apiVersion) (Never, IfAvailable or Always)")
            }
        }
        if let provider = authProvider, provider.name != "oidc" {
            throw fail("auth-provider \"\(provider.name)\" is not supported (only oidc); use an exec plugin instead")
        }
    }
}
