#!/usr/bin/env python3
"""A small stand-in Kubernetes API server for MeshKube's tests (Python 3 stdlib only).

Listens on 127.0.0.1 on an ephemeral port, prints "PORT <n>" on stdout once ready, and exits by itself after
--lifetime seconds so a crashed test never leaves it behind.

Authentication: a verified client certificate (CN = user), `Authorization: Bearer <t>` where t is in --tokens or
starts with "ok-", or Basic with --basic user:pass. Without --anonymous, anything else is 401.

Endpoints (besides a generic object store under /api and /apis, which supports GET/list/POST/PUT/PATCH/DELETE):
  /_requests                  the log of requests so far (method, path, headers, user, body) as JSON
  /_stats                     {"connections": n}
  /version, /api, /apis, /api/v1, /apis/<g>/<v>   discovery
  /api/v1/namespaces/<ns>/pods                     5 pods, limit/continue pagination, labelSelector app=X
  /api/v1/namespaces/<ns>/pods/forbidden           403 Status
  /api/v1/namespaces/<ns>/pods/plain404            404 without a Status body
  /retry/<n>                  503 with Retry-After: 0 the first n times, then 200
  /api/v1/namespaces/<ns>/configmaps?watch=1       chunked watch; ns "drop" drops the first connection after two
                                                   events; ns "gone" answers resourceVersion=1 with a 410 ERROR event
"""
import argparse
import base64
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
REQUESTS = []
STATS = {"connections": 0, "retry": {}, "drop": 0}
STORE = {}
PODS = {}
ARGS = None


def status_body(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(sub, exp):
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": sub, "exp": int(exp), "iss": "test"}).encode())
    return "%s.%s.sig" % (header, payload)


def jwt_claims(token):
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except Exception:
        return None


def pod(i, ns):
    p = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "pod-%d" % i, "namespace": ns, "resourceVersion": str(100 + i),
                         "labels": {"app": "web" if i % 2 == 0 else "db"}},
            "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "nginx"}]}}
    if ARGS.pod_padding:
        p["metadata"]["annotations"] = {"padding": "x" * ARGS.pod_padding}
    return p


def configmap(i, ns):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cm-%d" % i, "namespace": ns, "resourceVersion": str(i)},
            "data": {"n": str(i)}}


with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "discovery.json")) as f:
    _DISCOVERY = json.load(f)
DISCOVERY = _DISCOVERY["groups"]      # /api and /apis
RESOURCES = _DISCOVERY["resources"]   # APIResourceList per group version


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except Exception:
            pass
        with LOCK:
            STATS["connections"] += 1

    # --- plumbing -------------------------------------------------------------------------------------------
    def identity(self):
        try:
            cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        except Exception:
            cert = None
        if cert:
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        return "cert:" + value
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[7:]
            if token in ARGS.tokens or token.startswith("ok-"):
                return "token:" + token
            claims = jwt_claims(token)
            if claims and claims.get("exp", 0) > time.time():
                return "oidc:" + claims.get("sub", "")
        if auth.startswith("Basic ") and ARGS.basic:
            try:
                if base64.b64decode(auth[6:]).decode() == ARGS.basic:
                    return "basic:" + ARGS.basic.split(":")[0]
            except Exception:
                pass
        return "anonymous" if ARGS.anonymous else None

    def send_json(self, code, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        user = self.identity()
        with LOCK:
            REQUESTS.append({"method": self.command, "path": url.path, "query": query,
                             "headers": {k: v for k, v in self.headers.items()}, "user": user,
                             "body": body.decode("utf-8", "replace")})
        if url.path == "/_requests":
            with LOCK:
                REQUESTS.pop()  # the log does not list its own reads
                return self.send_json(200, list(REQUESTS))
        if url.path == "/.well-known/openid-configuration":
            base = "https://127.0.0.1:%d" % self.server.server_address[1]
            return self.send_json(200, {"issuer": base, "token_endpoint": base + "/oidc/token"})
        if url.path == "/oidc/token" and self.command == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != "refresh-1" \
                    or form.get("client_id") != "meshctl":
                return self.send_json(400, {"error": "invalid_grant"})
            return self.send_json(200, {"id_token": make_jwt("alice", time.time() + 3600), "refresh_token": "refresh-2",
                                        "token_type": "Bearer"})
        if url.path == "/_stats":
            with LOCK:
                return self.send_json(200, {"connections": STATS["connections"]})
        if user is None:
            return self.send_json(401, status_body(401, "Unauthorized", "Unauthorized"))
        self.route(url.path, query, body, user)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    # --- routes ---------------------------------------------------------------------------------------------
    def route(self, path, query, body, user):
        parts = [p for p in path.split("/") if p]
        if path == "/version":
            return self.send_json(200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0-test",
                                        "platform": "linux/amd64", "user": user})
        if path in DISCOVERY:
            return self.send_json(200, DISCOVERY[path])
        if path in RESOURCES:
            gv = path[5:] if path.startswith("/api/") else path[6:]
            return self.send_json(200, {"kind": "APIResourceList", "groupVersion": gv, "resources": RESOURCES[path]})
        if parts and parts[0] == "slow":
            time.sleep(float(parts[1]))
            return self.send_json(200, {"slept": parts[1]})
        if parts and parts[0] == "retry":
            n = int(parts[1])
            with LOCK:
                seen = STATS["retry"].get(path, 0)
                STATS["retry"][path] = seen + 1
            if seen < n:
                return self.send_json(503, status_body(503, "ServiceUnavailable", "try again"),
                                      [("Retry-After", "0")])
            return self.send_json(200, {"attempts": seen + 1})
        if len(parts) >= 5 and parts[:3] == ["api", "v1", "namespaces"]:
            ns, res = parts[3], parts[4]
            name = parts[5] if len(parts) > 5 else None
            if res == "pods" and name == "forbidden":
                who = user.split(":", 1)[-1]
                return self.send_json(403, status_body(403, "Forbidden",
                    'pods "forbidden" is forbidden: User "%s" cannot get resource "pods" in API group "" in the namespace "%s"' % (who, ns),
                    {"name": "forbidden", "kind": "pods"}))
            if res == "pods" and name == "plain404":
                data = b"404 page not found\n"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return self.wfile.write(data)
            if res == "pods" and name is None and self.command == "GET":
                return self.list_pods(ns, query)
            if res == "configmaps" and name is None and self.command == "GET":
                if query.get("watch") in ("1", "true"):
                    return self.watch_configmaps(ns, query)
                return self.list_configmaps(ns)
        return self.store(parts, query, body)

    def list_pods(self, ns, query):
        pods = PODS.get(ns) or [pod(i, ns) for i in range(ARGS.pods)]
        PODS[ns] = pods
        selector = query.get("labelSelector")
        if selector and "=" in selector:
            key, value = selector.split("=", 1)
            pods = [p for p in pods if p["metadata"]["labels"].get(key) == value]
        start = int(query.get("continue") or 0)
        limit = int(query.get("limit") or 0) or len(pods)
        page = pods[start:start + limit]
        meta = {"resourceVersion": "200"}
        if start + limit < len(pods):
            meta["continue"] = str(start + limit)
        self.send_json(200, {"apiVersion": "v1", "kind": "PodList", "metadata": meta, "items": page})

    def list_configmaps(self, ns):
        count = 3
        self.send_json(200, {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {"resourceVersion": "10"},
                             "items": [configmap(i, ns) for i in range(1, count + 1)]})

    def watch_configmaps(self, ns, query):
        rv = int(query.get("resourceVersion") or 0)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if ns == "gone" and rv < 10:
            event = {"type": "ERROR", "object": status_body(410, "Expired", "too old resource version: %d (10)" % rv)}
            self.chunk(json.dumps(event).encode() + b"\n")
            self.chunk(b"")
            return
        events = [{"type": "ADDED", "object": configmap(i, ns)} for i in range(rv + 1, rv + 5)]
        events.insert(2, {"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1",
                                                         "metadata": {"resourceVersion": str(rv + 2)}}})
        stream = b"".join(json.dumps(e).encode() + b"\n" for e in events)
        drop = False
        if ns == "drop":
            with LOCK:
                drop = STATS["drop"] == 0
                STATS["drop"] += 1
        if drop:
            cut = stream.index(b"\n", stream.index(b"\n") + 1) + 1  # after two events
            for piece in (stream[:7], stream[7:cut]):
                self.chunk(piece)
                time.sleep(0.02)
            self.close_connection = True
            self.connection.shutdown(2) if hasattr(self.connection, "shutdown") else None
            return
        step = 13  # chunks cut across event boundaries on purpose
        for i in range(0, len(stream), step):
            self.chunk(stream[i:i + step])
        self.chunk(b"")

    def store(self, parts, query, body):
        key = "/".join(parts)
        if self.command == "POST":
            try:
                obj = json.loads(body)
            except Exception:
                return self.send_json(400, status_body(400, "BadRequest", "invalid JSON body"))
            name = obj.get("metadata", {}).get("name", "")
            key = key + "/" + name
            if key in STORE:
                return self.send_json(409, status_body(409, "AlreadyExists", '%s "%s" already exists' % (parts[-1], name)))
            obj.setdefault("metadata", {})["resourceVersion"] = "1"
            STORE[key] = obj
            return self.send_json(201, obj)
        plural = parts[-2] if len(parts) >= 2 else ""
        name = parts[-1] if parts else ""
        if key not in STORE and self.command != "PATCH":
            return self.send_json(404, status_body(404, "NotFound", '%s "%s" not found' % (plural, name),
                                                   {"name": name, "kind": plural}))
        if self.command == "GET":
            return self.send_json(200, STORE[key])
        if self.command == "DELETE":
            obj = STORE.pop(key)
            return self.send_json(200, obj)
        if self.command == "PUT":
            obj = json.loads(body)
            current = STORE[key]["metadata"]["resourceVersion"]
            if obj.get("metadata", {}).get("resourceVersion") not in (None, current):
                return self.send_json(409, status_body(409, "Conflict",
                    'Operation cannot be fulfilled on %s "%s": the object has been modified; please apply your changes to the latest version and try again' % (plural, name)))
            obj["metadata"]["resourceVersion"] = str(int(current) + 1)
            STORE[key] = obj
            return self.send_json(200, obj)
        if self.command == "PATCH":
            patch = json.loads(body)
            if key not in STORE:
                if self.headers.get("Content-Type") != "application/apply-patch+yaml":
                    return self.send_json(404, status_body(404, "NotFound", '%s "%s" not found' % (plural, name)))
                STORE[key] = {"metadata": {"name": name, "resourceVersion": "0"}}
            if isinstance(patch, dict):
                merge(STORE[key], patch)
            return self.send_json(200, STORE[key])


def merge(target, patch):
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        elif isinstance(v, dict) and isinstance(target.get(k), dict):
            merge(target[k], v)
        else:
            target[k] = v


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # failed handshakes (wrong CA, no client cert) are part of the tests


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--tokens", default="")
    parser.add_argument("--basic")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--pods", type=int, default=5)
    parser.add_argument("--pod-padding", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=120)
    ARGS = parser.parse_args()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])  # the test runner may block them
    ARGS.tokens = [t for t in ARGS.tokens.split(",") if t]
    server = Server(("127.0.0.1", 0), Handler)
    if ARGS.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ARGS.cert, ARGS.key)
        if ARGS.client_ca:
            context.load_verify_locations(ARGS.client_ca)
            context.verify_mode = ssl.CERT_OPTIONAL
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Timer(ARGS.lifetime, lambda: os._exit(0)).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
