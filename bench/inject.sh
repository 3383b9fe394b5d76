#!/usr/bin/env bash
# Benchmark: `meshctl inject` (built-in default) over 1,000 Deployments with a Service and a ConfigMap between
# each, against a plain parse-and-emit round trip of the same stream with PyYAML's C (libyaml) loader and dumper.
# Prints wall time and peak memory (/usr/bin/time -v) of both, measured one after the other in the same run, and
# the ratio of the wall times. A benchmark, not a test: nothing is asserted.
#
# Usage: bench/inject.sh [COUNT]   (builds meshctl in release mode first; set MESHCTL=path to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -z "${MESHCTL:-}" ]]; then
  swift build -c release --product meshctl >/dev/null
  MESHCTL="$(swift build -c release --show-bin-path)/meshctl"
fi
if ! python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then
  python3 -m pip install --quiet pyyaml
fi
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

python3 - "$count" > "$work/stream.yaml" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: ns-{i % 17}
  labels: {{app: app-{i}, version: v{i % 3}}}
spec:
  replicas: {1 + i % 5}
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}, version: v{i % 3}}}
      annotations: {{sidecar.istio.io/proxyCPU: 50m}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:{i}
        ports: [{{name: http, containerPort: 8080}}, {{name: grpc, containerPort: 9090}}]
        env: [{{name: MODE, value: production}}, {{name: INDEX, value: "{i}"}}]
        readinessProbe: {{httpGet: {{path: /ready, port: http}}, periodSeconds: 5}}
        livenessProbe: {{tcpSocket: {{port: 8080}}}}
        resources: {{requests: {{cpu: 100m, memory: 64Mi}}, limits: {{memory: 256Mi}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: ns-{i % 17}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{name: http, port: 80, targetPort: 8080}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: app-{i}-config, namespace: ns-{i % 17}}}
data: {{settings.yaml: "level: info\\nworkers: {i % 8}\\n"}}
---""")
PY

cat > "$work/roundtrip.py" <<'PY'
import sys, yaml
with open(sys.argv[1]) as f:
    docs = [d for d in yaml.load_all(f, Loader=yaml.CSafeLoader) if d is not None]
with open(sys.argv[2], "w") as out:
    yaml.dump_all(docs, out, Dumper=yaml.CSafeDumper, default_flow_style=False)
PY

seconds() {  # m:ss.ss or h:mm:ss → seconds
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$1"
}

measure() {  # label, command... ; sets $last_seconds
  local label="$1"; shift
  /usr/bin/time -v "$@" 2> "$work/time.txt" >/dev/null
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
  last_seconds="$(seconds "$wall")"
  printf '%-34s wall %-9s peak RSS %6.1f MB\n' "$label" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

docs=$(grep -c '^kind:' "$work/stream.yaml")
echo "stream: $count Deployments + Services + ConfigMaps ($docs documents, $(du -k "$work/stream.yaml" | cut -f1) KB)"
"$MESHCTL" inject -f "$work/stream.yaml" -o "$work/injected.yaml"   # warm the page cache
measure "meshctl inject (built-in default)" "$MESHCTL" inject -f "$work/stream.yaml" -o "$work/injected.yaml"
meshctl_seconds="$last_seconds"
measure "PyYAML C load+dump round trip" python3 "$work/roundtrip.py" "$work/stream.yaml" "$work/roundtrip.yaml"
pyyaml_seconds="$last_seconds"
printf 'ratio: meshctl / PyYAML wall time = %.2f (target <= 1)\n' "$(echo "$meshctl_seconds / $pyyaml_seconds" | bc -l)"
echo "output: meshctl $(du -k "$work/injected.yaml" | cut -f1) KB, PyYAML $(du -k "$work/roundtrip.yaml" | cut -f1) KB"
