import MeshCore

extension Validator {
    static func peerAuthentication(_ resource: Resource<PeerAuthenticationSpec>, _ list: inout IssueList) {
        let spec = resource.spec
        let emptySelector = (spec.selector?.matchLabels ?? [:]).isEmpty
        if emptySelector && !(spec.portLevelMtls ?? [:]).isEmpty {
            list.error("spec.portLevelMtls", "mesh/namespace peer authentication cannot have port level mTLS")
        }
        if let ports = spec.portLevelMtls, ports.isEmpty {
            list.error("spec.portLevelMtls", "port level mTLS, if defined, must have at least one element")
        }
        for key in (spec.portLevelMtls ?? [:]).keys.sorted() {
            if let port = Int(key), (1...65535).contains(port) { continue }
            list.error("spec.portLevelMtls.\(key)", "port must be in range 1..65535")
        }
        let modes = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"]
        let all = [("spec.mtls", spec.mtls)] + (spec.portLevelMtls ?? [:]).sorted { $0.key < $1.key }.map { ("spec.portLevelMtls.\($0.key)", Optional($0.value)) }
        for (path, mtls) in all {
            if let mode = mtls?.mode, !modes.contains(mode) { list.error("\(path).mode", "unsupported mode \"\(mode)\", expected one of \(modes.joined(separator: ", "))") }
        }
        selectorAndTargets(spec.selector, nil, nil, &list)
    }

    static func requestAuthentication(_ resource: Resource<RequestAuthenticationSpec>, _ list: inout IssueList) {
        let spec = resource.spec
        selectorAndTargets(spec.selector, spec.targetRef, spec.targetRefs, &list)
        for (index, rule) in (spec.jwtRules ?? []).enumerated() {
            guard let rule else { continue }
            let path = "spec.jwtRules[\(index)]"
            if (rule.issuer ?? "").isEmpty { list.error("\(path).issuer", "issuer must be set") }
            if (rule.audiences ?? []).contains("") { list.error("\(path).audiences", "audience must be non-empty string") }
            if let uri = rule.jwksUri ?? rule.jwks_uri, !uri.isEmpty {
                let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                if scheme != "http" && scheme != "https" || !uri.contains("://") {
                    list.error("\(path).jwksUri", "URI scheme \"\(uri.contains("://") ? scheme : "")\" is not supported")
                }
            }
            if let jwks = rule.jwks, !jwks.isEmpty, (try? JSON.parse(jwks))?["keys"]?.arrayValue == nil, (try? JSON.parse(jwks))?["kty"] == nil {
                list.error("\(path).jwks", "jwks parse error: not a JSON Web Key Set")
            }
            for (h, header) in (rule.fromHeaders ?? []).enumerated() {
                guard let header else { list.error("\(path).fromHeaders[\(h)]", "location header name must be non-null"); continue }
                if (header.name ?? "").isEmpty { list.error("\(path).fromHeaders[\(h)].name", "location header name must be non-empty string") }
            }
            if (rule.fromParams ?? []).contains("") { list.error("\(path).fromParams", "location query must be non-empty string") }
            if (rule.fromCookies ?? []).contains("") { list.error("\(path).fromCookies", "cookie name must be non-empty string") }
            for (c, claim) in (rule.outputClaimToHeaders ?? []).enumerated() {
                let claimPath = "\(path).outputClaimToHeaders[\(c)]"
                guard let claim else { list.error(claimPath, "outputClaimToHeaders must not be null"); continue }
                if (claim.claim ?? "").isEmpty || (claim.header ?? "").isEmpty {
                    list.error(claimPath, "outputClaimToHeaders header and claim value must be non-empty string")
                    continue
                }
                list.check("\(claimPath).header", headerName(claim.header!))
            }
            if let timeout = rule.timeout {
                if let ms = GoDurationText.milliseconds(timeout) {
                    if ms < 1 { list.error("\(path).timeout", "duration must be greater than 1ms") }
                } else {
                    list.error("\(path).timeout", "invalid duration \"\(timeout)\"")
                }
            }
        }
    }
}
