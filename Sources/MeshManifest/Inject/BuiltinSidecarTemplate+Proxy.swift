extension BuiltinSidecarTemplate {
    /// The `istio-proxy` container and the volumes it mounts.
    static let proxyAndVolumes = #"""
  {{- if not $native }}
  containers:
  {{- end }}
  - name: istio-proxy
    image: {{ if contains "/" (annotation $meta `sidecar.istio.io/proxyImage` $proxy.image) }}{{ annotation $meta `sidecar.istio.io/proxyImage` $proxy.image | quote }}{{ else }}{{ quote .ProxyImage }}{{ end }}
    {{- if $native }}
    restartPolicy: Always
    {{- end }}
    ports:
    - {name: http-envoy-prom, containerPort: 15090, protocol: TCP}
    args:
    - proxy
    - sidecar
    - --domain
    - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
    - {{ printf "--proxyLogLevel=%s" (annotation $meta `sidecar.istio.io/logLevel` $proxy.logLevel) | quote }}
    - {{ printf "--proxyComponentLogLevel=%s" (annotation $meta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel) | quote }}
    - {{ printf "--log_output_level=%s" (annotation $meta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
    {{- with .Values.global.sts.servicePort }}
    - --stsPort={{ . }}
    {{- end }}
    {{- if .Values.global.logAsJson }}
    - --log_as_json
    {{- end }}
    {{- with $proxy.outlierLogPath }}
    - --outlierLogPath={{ . }}
    {{- end }}
    {{- if $proxy.lifecycle }}
    lifecycle: {{ toJson $proxy.lifecycle }}
    {{- else if and (or .ProxyConfig.HoldApplicationUntilProxyStarts.GetValue $proxy.holdApplicationUntilProxyStarts) (not $native) }}
    lifecycle:
      postStart:
        exec:
          command: [pilot-agent, wait]
    {{- else if $native }}
    lifecycle:
      preStop:
        exec:
          command: [pilot-agent, request, {{ printf "--debug-port=%v" $statusPort | quote }}, POST, drain]
    {{- end }}
    env:
    {{- if eq .InboundTrafficPolicyMode "localhost" }}
    - {name: REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION, value: "true"}
    {{- end }}
    - {name: PILOT_CERT_PROVIDER, value: {{ quote .Values.global.pilotCertProvider }}}
    - name: CA_ADDR
      value: {{ if .Values.global.caAddress }}{{ quote .Values.global.caAddress }}{{ else }}{{ printf "istiod%s.%s.svc:15012" (ternary "" (printf "-%s" .Values.revision) (eq .Values.revision "")) .Values.global.istioNamespace | quote }}{{ end }}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: INSTANCE_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: SERVICE_ACCOUNT, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
    - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
    - {name: ISTIO_CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: "1"}}}
    - name: PROXY_CONFIG
      value: {{ printf "%s\n" (protoToJSON .ProxyConfig) | quote }}
    - name: ISTIO_META_POD_PORTS
      value: {{ $ports := list }}{{ range .Spec.Containers }}{{ range .Ports }}{{ with structToJSON . }}{{ $ports = append $ports (printf "    %s" .) }}{{ end }}{{ end }}{{ end }}{{ printf "[\n%s\n]" ($ports | join ",\n") | quote }}
    - {name: ISTIO_META_APP_CONTAINERS, value: {{ join "," $apps | quote }}}
    - {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: "1"}}}
    {{- with .CompliancePolicy }}
    - {name: COMPLIANCE_POLICY, value: {{ quote . }}}
    {{- if eq . "fips-140-3" }}
    - {name: GODEBUG, value: "fips140=only"}
    {{- end }}
    {{- end }}
    - {name: ISTIO_META_CLUSTER_ID, value: {{ valueOrDefault .Values.global.multiCluster.clusterName `Kubernetes` | quote }}}
    - {name: ISTIO_META_NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: ISTIO_META_INTERCEPTION_MODE, value: {{ or (index $meta.Annotations `sidecar.istio.io/interceptionMode`) .ProxyConfig.InterceptionMode.String | quote }}}
    {{- with .Values.global.network }}
    - {name: ISTIO_META_NETWORK, value: {{ quote . }}}
    {{- end }}
    {{- with index $meta.Labels `service.istio.io/workload-name` | default .DeploymentMeta.Name }}
    - {name: ISTIO_META_WORKLOAD_NAME, value: {{ quote . }}}
    {{- end }}
    {{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}
    - name: ISTIO_META_OWNER
      value: {{ printf "kubernetes://apis/%s/namespaces/%s/%ss/%s" .TypeMeta.APIVersion (valueOrDefault .DeploymentMeta.Namespace `default`) (toLower .TypeMeta.Kind) .DeploymentMeta.Name | quote }}
    {{- end }}
    {{- if isset $meta.Annotations `sidecar.istio.io/bootstrapOverride` }}
    - {name: ISTIO_BOOTSTRAP_OVERRIDE, value: /etc/istio/custom-bootstrap/custom_bootstrap.json}
    {{- end }}
    {{- with .Values.global.meshID | default (valueOrDefault .MeshConfig.TrustDomain .Values.global.trustDomain) }}
    - {name: ISTIO_META_MESH_ID, value: {{ quote . }}}
    {{- end }}
    {{- with valueOrDefault .MeshConfig.TrustDomain .Values.global.trustDomain }}
    - {name: TRUST_DOMAIN, value: {{ quote . }}}
    {{- end }}
    {{- with otelResourceAttributes .MeshConfig $meta.Annotations $meta.Labels .DeploymentMeta.Namespace .Spec.Containers }}
    - {name: OTEL_RESOURCE_ATTRIBUTES, value: {{ quote . }}}
    {{- end }}
    {{- range $k, $v := .ProxyConfig.ProxyMetadata }}
    - {name: {{ $k }}, value: {{ quote $v }}}
    {{- end }}
    {{- with .Values.global.imagePullPolicy }}
    imagePullPolicy: {{ quote . }}
    {{- end }}
    {{- if ne (printf "%v" $statusPort) "0" }}
    {{- if $proxy.startupProbe.enabled }}
    startupProbe:
      httpGet: {path: /healthz/ready, port: 15021}
      initialDelaySeconds: 0
      periodSeconds: 1
      timeoutSeconds: 3
      failureThreshold: {{ $proxy.startupProbe.failureThreshold }}
    {{- end }}
    readinessProbe:
      httpGet: {path: /healthz/ready, port: 15021}
      initialDelaySeconds: {{ annotation $meta `readiness.status.sidecar.istio.io/initialDelaySeconds` $proxy.readinessInitialDelaySeconds }}
      periodSeconds: {{ annotation $meta `readiness.status.sidecar.istio.io/periodSeconds` $proxy.readinessPeriodSeconds }}
      timeoutSeconds: 3
      failureThreshold: {{ annotation $meta `readiness.status.sidecar.istio.io/failureThreshold` $proxy.readinessFailureThreshold }}
    {{- end }}
    securityContext:
      allowPrivilegeEscalation: {{ $proxy.privileged }}
      privileged: {{ $proxy.privileged }}
      readOnlyRootFilesystem: true
      capabilities:
        {{- if $tproxy }}
        add: [NET_ADMIN]
        {{- end }}
        drop: [ALL]
      {{- if $tproxy }}
      runAsNonRoot: false
      runAsUser: 0
      runAsGroup: 1337
      {{- else }}
      runAsNonRoot: true
      runAsUser: {{ .ProxyUID | default "1337" }}
      runAsGroup: {{ .ProxyGID | default "1337" }}
      {{- end }}
      {{- with $proxy.seccompProfile }}
      seccompProfile: {{ toJson . }}
      {{- end }}
    resources:
{{ template "meshctl.resources" . }}
    volumeMounts:
    - {name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds}
    - {name: credential-socket, mountPath: /var/run/secrets/credential-uds}
    - {name: workload-certs, mountPath: /var/run/secrets/workload-spiffe-credentials}
    {{- if eq .Values.global.pilotCertProvider "istiod" }}
    - {name: istiod-ca-cert, mountPath: /var/run/secrets/istio}
    - {name: istio-ca-crl, mountPath: /var/run/secrets/istio/crl}
    {{- end }}
    - {name: istio-data, mountPath: /var/lib/istio/data}
    {{- if isset $meta.Annotations `sidecar.istio.io/bootstrapOverride` }}
    - {name: custom-bootstrap-volume, mountPath: /etc/istio/custom-bootstrap}
    {{- end }}
    - {name: istio-envoy, mountPath: /etc/istio/proxy}
    - {name: istio-token, mountPath: /var/run/secrets/tokens}
    {{- if .Values.global.mountMtlsCerts }}
    - {name: istio-certs, mountPath: /etc/certs/, readOnly: true}
    {{- end }}
    - {name: istio-podinfo, mountPath: /etc/istio/pod}
    {{- if isset $meta.Annotations `sidecar.istio.io/userVolumeMount` }}
    {{- range $name, $mount := fromJSON (index $meta.Annotations `sidecar.istio.io/userVolumeMount`) }}
    - {{ toJson (merge (dict "name" $name) $mount) }}
    {{- end }}
    {{- end }}
  volumes:
  - {name: workload-socket, emptyDir: null}
  - {name: credential-socket, emptyDir: null}
  - {name: workload-certs, emptyDir: null}
  {{- with index $meta.Annotations `sidecar.istio.io/bootstrapOverride` }}
  - {name: custom-bootstrap-volume, configMap: {name: {{ quote . }}}}
  {{- end }}
  - {name: istio-envoy, emptyDir: {medium: Memory}}
  - {name: istio-data, emptyDir: {}}
  - name: istio-podinfo
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
  - name: istio-token
    projected:
      sources:
      - serviceAccountToken: {path: istio-token, expirationSeconds: 43200, audience: {{ quote .Values.global.sds.token.aud }}}
  {{- if eq .Values.global.pilotCertProvider "istiod" }}
  - {name: istiod-ca-cert, configMap: {name: {{ .Values.global.trustBundleName | default "istio-ca-root-cert" | quote }}}}
  {{- end }}
  - {name: istio-ca-crl, configMap: {name: {{ .Values.pilot.crlConfigMapName | default "istio-ca-crl" | quote }}, optional: true}}
  {{- if .Values.global.mountMtlsCerts }}
  - {name: istio-certs, secret: {optional: true, secretName: {{ printf "istio.%s" (.Spec.ServiceAccountName | default "default") | quote }}}}
  {{- end }}
  {{- if isset $meta.Annotations `sidecar.istio.io/userVolume` }}
  {{- range $name, $volume := fromJSON (index $meta.Annotations `sidecar.istio.io/userVolume`) }}
  - {{ toJson (merge (dict "name" $name) $volume) }}
  {{- end }}
  {{- end }}
  {{- with .Values.global.imagePullSecrets }}
  imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
  {{- end }}
"""#
}
