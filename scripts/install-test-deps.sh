#!/bin/sh
# Installs what the daemon's tests need from Debian's packages, when missing: chromium, in which
# Tests/WaymarkServerTests/BoardPageBrowserTests.swift loads the task board (`GET /`) headless.
# Idempotent: does nothing when it is already installed. Uses sudo only when not root.
set -eu

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

echo "install-test-deps: installing chromium" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
