#!/usr/bin/env bash
# PKI benchmark (release build), run side by side in one run:
#  1. RSA-4096 root + intermediate with meshctl vs the equivalent openssl commands of Istio's tools/certs
#     Makefile (root-ca + <cluster>-cacerts), RUNS times each, interleaved; prints means and the ratio
#     meshctl/openssl (target <= 1.0).
#  2. Workload issuance rate (ECDSA P-256 keys), in-process, with an RSA-4096 and an ECDSA P-256 CA.
#   bash bench/pki.sh            # RUNS=10, COUNT=2000
#   RUNS=20 COUNT=5000 bash bench/pki.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
count=${COUNT:-2000}
command -v openssl >/dev/null || { echo "bench: openssl not found (apt-get install openssl)" >&2; exit 1; }

swift build -c release --product meshctl >/dev/null
swift build -c release --product pki-bench >/dev/null
meshctl=$PWD/.build/release/meshctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The openssl side: the commands Istio's Makefile runs (common.mk / Makefile.selfsigned.mk), same parameters.
# Both configurations share the [ req ] section; they differ in extensions and subject.
req_conf() {  # req_conf FILE EXTENSIONS DN
    printf '%s\n' "[ req ]" "encrypt_key = no" "prompt = no" "utf8 = yes" "default_md = sha256" "default_bits = 4096" \
        "req_extensions = req_ext" "x509_extensions = req_ext" "distinguished_name = req_dn" > "$1"
    printf '%s\n' "[ req_ext ]" "subjectKeyIdentifier = hash" "$2" "[ req_dn ]" "$3" >> "$1"
}
ca_usage="keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign"
req_conf "$work/root-ca.conf" "basicConstraints = critical, CA:true
$ca_usage" "O = Istio
CN = Root CA"
req_conf "$work/intermediate.conf" "basicConstraints = critical, CA:true, pathlen:0
$ca_usage
subjectAltName = @san
[ san ]
DNS.1 = istiod.istio-system.svc" "O = Istio
CN = Intermediate CA
L = cluster1"

openssl_once() {
    local d=$1
    mkdir -p "$d/cluster1"
    openssl genrsa -out "$d/root-key.pem" 4096 2>/dev/null
    openssl req -sha256 -new -key "$d/root-key.pem" -config "$work/root-ca.conf" -out "$d/root-cert.csr" 2>/dev/null
    openssl x509 -req -sha256 -days 3650 -signkey "$d/root-key.pem" -extensions req_ext -extfile "$work/root-ca.conf" \
        -in "$d/root-cert.csr" -out "$d/root-cert.pem" 2>/dev/null
    openssl genrsa -out "$d/cluster1/ca-key.pem" 4096 2>/dev/null
    openssl req -sha256 -new -config "$work/intermediate.conf" -key "$d/cluster1/ca-key.pem" -out "$d/cluster1/cluster-ca.csr" 2>/dev/null
    openssl x509 -req -sha256 -days 730 -CA "$d/root-cert.pem" -CAkey "$d/root-key.pem" -CAcreateserial \
        -extensions req_ext -extfile "$work/intermediate.conf" -in "$d/cluster1/cluster-ca.csr" -out "$d/cluster1/ca-cert.pem" 2>/dev/null
    cat "$d/cluster1/ca-cert.pem" "$d/root-cert.pem" > "$d/cluster1/cert-chain.pem"
    cp "$d/root-cert.pem" "$d/cluster1/root-cert.pem"
}

meshctl_once() {
    local d=$1
    "$meshctl" pki root-ca --out "$d" >/dev/null
    "$meshctl" pki intermediate-ca --root "$d" --cluster cluster1 --out "$d/cluster1" >/dev/null
}

now_ns() { date +%s%N; }
total_openssl=0
total_meshctl=0
for i in $(seq 1 "$runs"); do
    start=$(now_ns); openssl_once "$work/o$i"; end=$(now_ns); total_openssl=$(( total_openssl + end - start ))
    start=$(now_ns); meshctl_once "$work/m$i"; end=$(now_ns); total_meshctl=$(( total_meshctl + end - start ))
done
# Both produce bundles that verify.
openssl verify -CAfile "$work/o1/root-cert.pem" -untrusted "$work/o1/cluster1/cert-chain.pem" "$work/o1/cluster1/ca-cert.pem" >/dev/null
openssl verify -CAfile "$work/m1/root-cert.pem" -untrusted "$work/m1/cluster1/cert-chain.pem" "$work/m1/cluster1/ca-cert.pem" >/dev/null

echo "RSA-4096 root + intermediate, $runs runs each, interleaved ($(openssl version | cut -d' ' -f1-2))"
awk -v o="$total_openssl" -v m="$total_meshctl" -v n="$runs" 'BEGIN {
    printf "  openssl (Istio Makefile commands) %8.1f ms\n", o / n / 1e6
    printf "  meshctl pki root-ca + intermediate-ca %4.1f ms\n", m / n / 1e6
    printf "  ratio meshctl/openssl: %.2f (target <= 1.0; RSA key generation dominates and varies run to run)\n", m / o
}'
.build/release/pki-bench "$count"
