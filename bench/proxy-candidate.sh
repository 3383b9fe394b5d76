#!/usr/bin/env bash
# The candidate command for ../shared/bench/proxy-vs-envoy.sh: writes a ProxyBootstrap serving every mode
# (h1/h2c, tcp, tls/tls-h2, mtls) from the harness's PROXY_* variables, then execs meshctl proxy run.
set -euo pipefail
CONFIG="$PROXY_WORKDIR/meshctl-proxy.yaml"
cat > "$CONFIG" <<YAML
apiVersion: meshctl.dev/v1alpha1
kind: ProxyBootstrap
metadata: {name: bench}
spec:
  role: sidecar
  admin: 127.0.0.1:${PROXY_ADMIN_PORT}
  clusters:
  - name: backend
    endpoints: [{address: "${PROXY_BACKEND_HOST}:${PROXY_BACKEND_PORT}"}]
  - name: backend-mtls
    endpoints: [{address: "127.0.0.1:${PROXY_BACKEND_MTLS_PORT}"}]
    tls: {ca: "${PROXY_CA}", certificate: "${PROXY_CLIENT_CERT}", key: "${PROXY_CLIENT_KEY}", sni: "${PROXY_BACKEND_SNI}"}
  listeners:
  - {name: http, address: "127.0.0.1:${PROXY_LISTEN_PORT}", protocol: http, cluster: backend}
  - {name: tcp, address: "127.0.0.1:${PROXY_TCP_PORT}", protocol: tcp, cluster: backend}
  - name: tls
    address: "127.0.0.1:${PROXY_TLS_PORT}"
    protocol: http
    cluster: backend
    tls: {certificate: "${PROXY_TLS_CERT}", key: "${PROXY_TLS_KEY}"}
  - {name: mtls, address: "127.0.0.1:${PROXY_MTLS_PORT}", protocol: http, cluster: backend-mtls}
YAML
exec "${MESHCTL_BIN:?}" proxy run -f "$CONFIG" --threads "${PROXY_CONCURRENCY:-1}"
