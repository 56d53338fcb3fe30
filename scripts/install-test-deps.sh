#!/bin/sh
# Installs what the daemon's tests and benchmarks need from Debian's packages, when missing:
# chromium (the web page test loads GET / in a real headless browser) and wrk (the HTTP load
# generator of Benchmarks/Server). Idempotent: does nothing when both are already installed.
set -eu

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"

if [ -z "$missing" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

echo "install-test-deps: installing$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
