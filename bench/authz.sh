#!/usr/bin/env bash
# Authorization figures: 1,000 AuthorizationPolicies × 100,000 requests, decisions per second of the compiled
# engine the proxy uses (and of the explaining evaluator behind `meshctl authz check`), release build.
#   "mesh":          policies spread over 20 namespaces and 50 workload selectors (each proxy sees its own few)
#   "one-namespace": all 1,000 policies apply to every workload (the worst case: every policy is scanned)
# Prints the figures; asserts nothing about time.
#   bash bench/authz.sh                 # release build
#   CONFIG=debug bash bench/authz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-release}
extra=()
[ "$config" = release ] && extra=(-c release -Xswiftc -enable-testing)
MESHPOLICY_BENCH=1 swift test "${extra[@]}" --filter AuthzBenchmarks 2>&1 | grep '^BENCH' || {
    echo "bench: no figures printed" >&2
    exit 1
}
