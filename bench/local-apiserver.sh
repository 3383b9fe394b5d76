#!/usr/bin/env bash
# Local control plane figures (meshctl local serve on 127.0.0.1, HTTPS with the admin client certificate):
#   - durable creates per second (every create committed with fsync before it is answered), 8 client threads
#   - a list of 10,000 pods: time to first byte and total
#   - watch event latency (create -> event received), median and p99
#   - resident memory of the server holding 10,000 pods
# Prints the figures; asserts nothing about time.
#   bash bench/local-apiserver.sh                 # debug build
#   CONFIG=release bash bench/local-apiserver.sh  # release build (what users run)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-debug}
swift build -c "$config" --product meshctl >/dev/null
binary="$(swift build -c "$config" --show-bin-path)/meshctl"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MESHCTL_ISTIO_CRDS= "$binary" local serve --data-dir "$data" --port "$port" >"$data/bench.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do [ -f "$data/server.json" ] && break; sleep 0.1; done
echo "BENCH build=$config server pid=$server port=$port data=$data"
python3 bench/local_apiserver_load.py "$port" "$data" "$server"
