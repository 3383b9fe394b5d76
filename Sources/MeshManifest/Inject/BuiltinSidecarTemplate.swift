/// meshctl's own sidecar template: a Go template that renders the pod overlay of a current Istio release's
/// sidecar (init container or CNI validation, the `istio-proxy` container as a native or classic sidecar,
/// volumes, labels and annotations) from the same data Istio's injector passes.
///
/// Written for meshctl; it covers the annotations and values users set on plain workloads (resources, log
/// levels, interception mode, traffic capture lists, status port, image overrides, CNI, hold-application).
enum BuiltinSidecarTemplate {
    static var source: String { podAndInit + proxyAndVolumes }

    /// Labels, annotations and the iptables init container.
    static let podAndInit = #"""
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
"""#
}
