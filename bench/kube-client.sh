#!/usr/bin/env bash
# Kubernetes client figures against the stand-in API server on 127.0.0.1 (HTTPS):
#   - a list of 10,000 pods (~30 MB JSON) fetched, decoded and iterated: time and peak memory above baseline
#   - 100 sequential GETs over one TLS connection: time and the number of connections opened
# Prints the figures; asserts nothing about time.
#   bash bench/kube-client.sh            # debug build (what the tests use)
#   CONFIG=release bash bench/kube-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
config=${CONFIG:-debug}
extra=()
[ "$config" = release ] && extra=(-c release -Xswiftc -enable-testing)
MESHKUBE_BENCH=1 swift test "${extra[@]}" --filter ClientBenchmarks 2>&1 | grep '^BENCH' || {
    echo "bench: no figures printed (is python3/openssl installed?)" >&2
    exit 1
}
