#!/usr/bin/env bash
# bench/proxy.sh - meshctl's embedded proxy next to Envoy, with the shared harness
# (../shared/bench/proxy-vs-envoy.sh; see its README for the knobs: ROUNDS, DURATION, MODES, ...).
#
#   bash bench/proxy.sh                         # every mode, 1 round
#   ROUNDS=2 bash bench/proxy.sh                # ABBA order, medians
#   MODES="h1 tcp" DURATION=5 bash bench/proxy.sh
#
# Uses .build/release/meshctl (built with --static-swift-stdlib when missing; MESHCTL_BIN overrides).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/bench/proxy-vs-envoy.sh}
export MESHCTL_BIN=${MESHCTL_BIN:-$ROOT/.build/release/meshctl}
if [ ! -x "$MESHCTL_BIN" ]; then
  (cd "$ROOT" && swift build -c release --static-swift-stdlib)
fi
export PROXY_NAME=${PROXY_NAME:-meshctl}
export PROXY_MODES=${PROXY_MODES:-"h1 h2c tcp tls tls-h2 mtls h1-rate"}
export PROXY_CMD="exec bash $ROOT/bench/proxy-candidate.sh"
exec bash "$HARNESS" "$@"
