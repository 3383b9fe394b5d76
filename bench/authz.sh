#!/usr/bin/env bash
# Authorization figures: 1,000 AuthorizationPolicies × 100,000 requests, decisions per second of the compiled
# engine the proxy uses (and of the explaining evaluator behind `meshctl authz check`), release build.
#   "mesh":          policies spread over 20 namespaces and 50 workload selectors (each proxy sees its own few)
#   "one-namespace": all 1,000 policies apply to every workload (the worst case for a linear scan)
# The "allowed" count is the number of requests allowed: equal counts across versions mean equal verdicts.
# Prints the figures; asserts nothing about time.
#   bash bench/authz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product authz-bench >/dev/null
.build/release/authz-bench | sed 's/^/BENCH /'
