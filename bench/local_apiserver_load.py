"""Load for bench/local-apiserver.sh: talks HTTPS with the admin client certificate, prints BENCH lines."""
import http.client, json, ssl, statistics, sys, threading, time

port, data, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
context = ssl.create_default_context(cafile=f"{data}/ca.crt")
context.load_cert_chain(f"{data}/admin.crt", f"{data}/admin.key")
context.check_hostname = False


def connect():
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=60)


def create(conn, path, body):
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status != 201:
        raise SystemExit(f"create failed: {response.status}")


def pod(i):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"pod-{i}", "labels": {"app": f"app-{i % 50}"}},
            "spec": {"nodeName": "bench", "containers": [{"name": "app", "image": "app:1", "ports": [{"containerPort": 8080}],
                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}},
                     {"name": "istio-proxy", "image": "proxyv2:1.24.0"}]}}


def label(conn, i):
    conn.request("PATCH", f"/api/v1/namespaces/default/pods/pod-{i}", json.dumps({"metadata": {"labels": {"rev": "2"}}}),
                 {"Content-Type": "application/merge-patch+json"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"patch failed: {response.status}")


def resident_mb():
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) / 1024


def parallel(start, count, request, threads=8):
    def work(offset):
        conn = connect()
        for i in range(start + offset, start + count, threads):
            request(conn, i)
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    began = time.perf_counter()
    for w in workers: w.start()
    for w in workers: w.join()
    return time.perf_counter() - began


def parallel_creates(start, count):
    return parallel(start, count, lambda conn, i: create(conn, "/api/v1/namespaces/default/pods", pod(i)))


print(f"BENCH server resident memory when started: {resident_mb():.0f} MB")
elapsed = parallel_creates(0, 2000)
print(f"BENCH durable creates: 2000 pods in {elapsed:.2f} s = {2000 / elapsed:.0f} creates/s (8 client threads, fsync per commit)")
parallel_creates(2000, 8000)

conn = connect()
timings = []
for _ in range(5):
    began = time.perf_counter()
    conn.request("GET", "/api/v1/pods", headers={"Accept": "application/json"})
    response = conn.getresponse()
    first = time.perf_counter() - began
    body = response.read()
    total = time.perf_counter() - began
    timings.append((first, total, len(body)))
items = len(json.loads(body)["items"])
first, total, size = sorted(timings, key=lambda t: t[1])[len(timings) // 2]
print(f"BENCH list of {items} pods: first byte {first * 1000:.0f} ms, total {total * 1000:.0f} ms, {size / 1e6:.1f} MB (median of 5)")

print(f"BENCH server resident memory with {items} pods: {resident_mb():.0f} MB")

watch = connect()
watch.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + json.loads(body)["metadata"]["resourceVersion"])
stream = watch.getresponse()
writer = connect()
latencies = []
for i in range(100):
    began = time.perf_counter()
    create(writer, "/api/v1/namespaces/default/configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"w-{i}"}})
    acknowledged = time.perf_counter()
    line = stream.readline()
    while line.strip() in (b"", b"0") or not line.strip().startswith(b"{"):
        line = stream.readline()
    latencies.append(time.perf_counter() - began)
latencies.sort()
print(f"BENCH watch latency (create sent -> event read): median {statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[98] * 1000:.1f} ms")

elapsed = parallel(0, 10000, label)
print(f"BENCH server resident memory after patching every pod once (history holds both states): {resident_mb():.0f} MB"
      f" ({10000 / elapsed:.0f} patches/s)")
