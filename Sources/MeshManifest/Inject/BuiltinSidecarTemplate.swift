/// meshctl's own sidecar template: a Go template that renders the pod overlay of a current Istio release's
/// sidecar (init container or CNI validation, the `istio-proxy` container as a native or classic sidecar,
/// volumes, labels and annotations) from the same data Istio's injector passes.
///
/// Written for meshctl; it covers the annotations and values users set on plain workloads (resources, log
/// levels, interception mode, traffic capture lists, status port, image overrides, CNI, hold-application).
enum BuiltinSidecarTemplate {
    static let source = #"""
{{- $meta := .ObjectMeta -}}
{{- $proxy := .Values.global.proxy -}}
{{- $mode := annotation $meta `sidecar.istio.io/interceptionMode` .ProxyConfig.InterceptionMode -}}
{{- $tproxy := eq $mode `TPROXY` -}}
{{- $native := ne (index $meta.Annotations `sidecar.istio.io/nativeSidecar` | default (printf "%t" .NativeSidecars)) "false" -}}
{{- $cni := .Values.pilot.cni.enabled -}}
{{- $statusPort := annotation $meta `status.sidecar.istio.io/port` $proxy.statusPort -}}
{{- $excludeIn := excludeInboundPort $statusPort (annotation $meta `traffic.sidecar.istio.io/excludeInboundPorts` $proxy.excludeInboundPorts) -}}
{{- $apps := list -}}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $apps = append $apps .Name }}{{ end }}{{ end -}}
{{- define "meshctl.resources" -}}
{{- $a := .ObjectMeta.Annotations -}}
{{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
      {{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) }}
      requests:
        {{- with index $a `sidecar.istio.io/proxyCPU` }}
        cpu: {{ quote . }}
        {{- end }}
        {{- with index $a `sidecar.istio.io/proxyMemory` }}
        memory: {{ quote . }}
        {{- end }}
      {{- end }}
      {{- if or (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
      limits:
        {{- with index $a `sidecar.istio.io/proxyCPULimit` }}
        cpu: {{ quote . }}
        {{- end }}
        {{- with index $a `sidecar.istio.io/proxyMemoryLimit` }}
        memory: {{ quote . }}
        {{- end }}
      {{- end }}
{{- else if .Values.global.proxy.resources }}
{{ toYaml (omitNil .Values.global.proxy.resources) | nindent 6 | trimPrefix "\n" }}
{{- end }}
{{- end }}
metadata:
  labels:
    security.istio.io/tlsMode: {{ index $meta.Labels `security.istio.io/tlsMode` | default "istio" | quote }}
    {{- if eq (index .ProxyConfig.ProxyMetadata "ISTIO_META_ENABLE_HBONE") "true" }}
    networking.istio.io/tunnel: {{ index $meta.Labels `networking.istio.io/tunnel` | default "http" | quote }}
    {{- end }}
    service.istio.io/canonical-name: {{ index $meta.Labels `service.istio.io/canonical-name` | default (index $meta.Labels `app.kubernetes.io/name`) | default (index $meta.Labels `app`) | default .DeploymentMeta.Name | trunc 63 | trimAll "-_." | quote }}
    service.istio.io/canonical-revision: {{ index $meta.Labels `service.istio.io/canonical-revision` | default (index $meta.Labels `app.kubernetes.io/version`) | default (index $meta.Labels `version`) | default "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
    {{- if $apps }}
    {{- if not (isset $meta.Annotations `kubectl.kubernetes.io/default-logs-container`) }}
    kubectl.kubernetes.io/default-logs-container: {{ first $apps | quote }}
    {{- end }}
    {{- if not (isset $meta.Annotations `kubectl.kubernetes.io/default-container`) }}
    kubectl.kubernetes.io/default-container: {{ first $apps | quote }}
    {{- end }}
    {{- end }}
    {{- if $cni }}
    {{- if eq .Values.pilot.cni.provider "multus" }}
    k8s.v1.cni.cncf.io/networks: {{ appendMultusNetwork (index $meta.Annotations `k8s.v1.cni.cncf.io/networks`) `default/istio-cni` | quote }}
    {{- end }}
    sidecar.istio.io/interceptionMode: {{ quote $mode }}
    {{- with annotation $meta `traffic.sidecar.istio.io/includeOutboundIPRanges` $proxy.includeIPRanges }}
    traffic.sidecar.istio.io/includeOutboundIPRanges: {{ quote . }}
    {{- end }}
    {{- with annotation $meta `traffic.sidecar.istio.io/excludeOutboundIPRanges` $proxy.excludeIPRanges }}
    traffic.sidecar.istio.io/excludeOutboundIPRanges: {{ quote . }}
    {{- end }}
    traffic.sidecar.istio.io/includeInboundPorts: {{ annotation $meta `traffic.sidecar.istio.io/includeInboundPorts` $proxy.includeInboundPorts | quote }}
    traffic.sidecar.istio.io/excludeInboundPorts: {{ quote $excludeIn }}
    {{- if or (isset $meta.Annotations `traffic.sidecar.istio.io/includeOutboundPorts`) (ne (valueOrDefault $proxy.includeOutboundPorts "") "") }}
    traffic.sidecar.istio.io/includeOutboundPorts: {{ annotation $meta `traffic.sidecar.istio.io/includeOutboundPorts` $proxy.includeOutboundPorts | quote }}
    {{- end }}
    {{- if or (isset $meta.Annotations `traffic.sidecar.istio.io/excludeOutboundPorts`) (ne (valueOrDefault $proxy.excludeOutboundPorts "") "") }}
    traffic.sidecar.istio.io/excludeOutboundPorts: {{ annotation $meta `traffic.sidecar.istio.io/excludeOutboundPorts` $proxy.excludeOutboundPorts | quote }}
    {{- end }}
    {{- end }}
spec:
  {{- if and (eq $mode "NONE") (not $native) }}
  initContainers: []
  {{- else }}
  initContainers:
  {{- if ne $mode "NONE" }}
  - name: {{ if $cni }}istio-validation{{ else }}istio-init{{ end }}
    image: {{ if contains "/" (annotation $meta `sidecar.istio.io/proxyImage` .Values.global.proxy_init.image) }}{{ annotation $meta `sidecar.istio.io/proxyImage` .Values.global.proxy_init.image | quote }}{{ else }}{{ quote .ProxyInitImage }}{{ end }}
    args: ["istio-iptables", "-p", {{ .MeshConfig.ProxyListenPort | default "15001" | quote }}, "-z", {{ .MeshConfig.ProxyInboundListenPort | default "15006" | quote }}, "-u", {{ if $tproxy }}"1337"{{ else }}{{ .ProxyUID | default "1337" | quote }}{{ end }}, "-m", {{ quote $mode }}, "-i", {{ annotation $meta `traffic.sidecar.istio.io/includeOutboundIPRanges` $proxy.includeIPRanges | quote }}, "-x", {{ annotation $meta `traffic.sidecar.istio.io/excludeOutboundIPRanges` $proxy.excludeIPRanges | quote }}, "-b", {{ annotation $meta `traffic.sidecar.istio.io/includeInboundPorts` $proxy.includeInboundPorts | quote }}, "-d", {{ if $excludeIn }}{{ printf "15090,15021,%s" $excludeIn | quote }}{{ else }}"15090,15021"{{ end }}
    {{- if or (isset $meta.Annotations `traffic.sidecar.istio.io/includeOutboundPorts`) (ne (valueOrDefault $proxy.includeOutboundPorts "") "") }}, "-q", {{ annotation $meta `traffic.sidecar.istio.io/includeOutboundPorts` $proxy.includeOutboundPorts | quote }}{{ end }}
    {{- if or (isset $meta.Annotations `traffic.sidecar.istio.io/excludeOutboundPorts`) (ne (valueOrDefault $proxy.excludeOutboundPorts "") "") }}, "-o", {{ annotation $meta `traffic.sidecar.istio.io/excludeOutboundPorts` $proxy.excludeOutboundPorts | quote }}{{ end }}
    {{- with index $meta.Annotations `istio.io/reroute-virtual-interfaces` | default (index $meta.Annotations `traffic.sidecar.istio.io/kubevirtInterfaces`) }}, "-k", {{ quote . }}{{ end }}
    {{- with index $meta.Annotations `traffic.sidecar.istio.io/excludeInterfaces` }}, "-c", {{ quote . }}{{ end }}
    , {{ printf "--log_output_level=%s" (annotation $meta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
    {{- if .Values.global.logAsJson }}, "--log_as_json"{{ end }}
    {{- if $cni }}, "--run-validation", "--skip-rule-apply"{{ else if .Values.global.proxy_init.forceApplyIptables }}, "--force-apply"{{ end }}
    {{- if .Values.global.nativeNftables }}, "--native-nftables"{{ end }}]
    {{- with .Values.global.imagePullPolicy }}
    imagePullPolicy: {{ quote . }}
    {{- end }}
    {{- if .ProxyConfig.ProxyMetadata }}
    env:
    {{- range $k, $v := .ProxyConfig.ProxyMetadata }}
    - name: {{ $k }}
      value: {{ quote $v }}
    {{- end }}
    {{- end }}
    resources:
{{ template "meshctl.resources" . }}
    securityContext:
      allowPrivilegeEscalation: {{ $proxy.privileged }}
      privileged: {{ $proxy.privileged }}
      capabilities:
        {{- if not $cni }}
        add: [NET_ADMIN, NET_RAW]
        {{- end }}
        drop: [ALL]
      {{- if $cni }}
      readOnlyRootFilesystem: true
      runAsGroup: {{ if $tproxy }}1337{{ else }}{{ .ProxyGID | default "1337" }}{{ end }}
      runAsUser: {{ if $tproxy }}1337{{ else }}{{ .ProxyUID | default "1337" }}{{ end }}
      runAsNonRoot: true
      {{- else }}
      readOnlyRootFilesystem: false
      runAsGroup: 0
      runAsNonRoot: false
      runAsUser: 0
      {{- end }}
      {{- with $proxy.seccompProfile }}
      seccompProfile: {{ toJson . }}
      {{- end }}
  {{- end }}
  {{- end }}
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
