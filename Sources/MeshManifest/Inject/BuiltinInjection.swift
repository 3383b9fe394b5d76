import MeshCore

/// The injection settings meshctl uses when no config is given and no cluster is asked: its own sidecar
/// template and values for the Istio release it targets, never touching the network.
public enum BuiltinInjection {
    /// The Istio release whose sidecar the built-in default produces.
    public static let istioVersion = "1.28.0"

    /// The built-in Helm-style values (the subset the template reads).
    public static let values: Value = [
        "global": [
            "hub": "docker.io/istio", "tag": .string(istioVersion), "variant": "", "imagePullPolicy": "",
            "imagePullSecrets": [], "istioNamespace": "istio-system", "pilotCertProvider": "istiod",
            "caAddress": "", "caName": "", "meshID": "", "network": "", "logAsJson": false,
            "logging": ["level": "default:info"], "mountMtlsCerts": false, "nativeNftables": false,
            "multiCluster": ["clusterName": ""], "sds": ["token": ["aud": "istio-ca"]], "sts": ["servicePort": 0],
            "proxy": [
                "image": "proxyv2", "clusterDomain": "cluster.local", "logLevel": "warning",
                "componentLogLevel": "misc:error", "privileged": false, "statusPort": 15020,
                "includeIPRanges": "*", "excludeIPRanges": "", "includeInboundPorts": "*", "excludeInboundPorts": "",
                "includeOutboundPorts": "", "excludeOutboundPorts": "", "outlierLogPath": "",
                "readinessInitialDelaySeconds": 0, "readinessPeriodSeconds": 15, "readinessFailureThreshold": 4,
                "startupProbe": ["enabled": true, "failureThreshold": 600], "seccompProfile": [:],
                "resources": [
                    "requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "2000m", "memory": "1024Mi"],
                ],
            ],
            "proxy_init": ["image": "proxyv2", "forceApplyIptables": false],
        ],
        "pilot": ["cni": ["enabled": false, "provider": "default"], "env": [:]],
        "revision": "",
        "sidecarInjectorWebhook": ["rewriteAppHTTPProbe": true, "defaultTemplates": [], "injectedAnnotations": [:]],
    ]

    /// The built-in mesh config (Istio's defaults plus the discovery address of an `istio-system` install).
    public static let mesh: Value = mesh(meshNamespace: "istio-system")

    /// The built-in mesh config for a control plane installed in `meshNamespace`.
    public static func mesh(meshNamespace: String) -> Value {
        [
            "defaultConfig": ["discoveryAddress": .string("istiod.\(meshNamespace).svc:15012")],
            "defaultProviders": ["metrics": ["prometheus"]],
            "enablePrometheusMerge": true,
            "rootNamespace": .string(meshNamespace),
            "trustDomain": "cluster.local",
        ]
    }

    /// The built-in injector config: the `sidecar` template, used by default.
    public static var config: Value {
        ["policy": "enabled", "defaultTemplates": ["sidecar"], "templates": ["sidecar": .string(BuiltinSidecarTemplate.source)]]
    }

    /// Settings from the built-in config, values and mesh config.
    public static func settings(
        revision: String = "", nativeSidecars: Bool = true, environment: [String: String] = [:]
    ) throws(MeshManifestError) -> InjectionSettings {
        try InjectionSettings(
            config: config, values: values, mesh: mesh, revision: revision, nativeSidecars: nativeSidecars,
            environment: environment)
    }
}
