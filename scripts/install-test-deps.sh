#!/bin/sh
# Installs and starts what the tests need from Debian's packages, when missing:
# - chromium, in which Tests/WaymarkServerTests/BoardPageBrowserTests.swift loads the task board
#   (`GET /`) headless;
# - a PostgreSQL server on 127.0.0.1:5432 with a login role `waymark` (password `waymark`, allowed to
#   create databases) and a database `waymark_test`, which Tests/WaymarkServerTests/Postgres*.swift
#   use to make a database of their own for each test. A server named by WAYMARK_TEST_POSTGRES
#   (a postgres:// URL of a role that may create databases) is used as it is instead.
# Idempotent: installs nothing already installed and starts only what is not running.
# Uses sudo only when not root.
set -eu

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -z "${WAYMARK_TEST_POSTGRES:-}" ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then
    missing="$missing postgresql"
fi
if [ -n "$missing" ]; then
    echo "install-test-deps: installing$missing" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

if [ -n "${WAYMARK_TEST_POSTGRES:-}" ]; then
    exit 0
fi

# The newest cluster Debian made when it installed the server (or one made now if there is none).
cluster=$(pg_lsclusters -h 2>/dev/null | sort -k1,1n | tail -n 1 || true)
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    $SUDO pg_createcluster "$version" main >/dev/null
    cluster=$(pg_lsclusters -h | sort -k1,1n | tail -n 1)
fi
version=$(echo "$cluster" | awk '{print $1}')
name=$(echo "$cluster" | awk '{print $2}')
port=$(echo "$cluster" | awk '{print $3}')
if [ "$port" != "5432" ]; then
    echo "install-test-deps: cluster $version/$name listens on $port, not 5432; set WAYMARK_TEST_POSTGRES" >&2
    exit 1
fi
if ! echo "$cluster" | grep -q online; then
    echo "install-test-deps: starting PostgreSQL $version/$name" >&2
    $SUDO pg_ctlcluster "$version" "$name" start
fi

psql_admin() {
    $SUDO runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"
}
psql_admin -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'waymark') THEN
        CREATE ROLE waymark LOGIN CREATEDB PASSWORD 'waymark';
    END IF;
END \$\$;"
if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = 'waymark_test'")" ]; then
    psql_admin -c "CREATE DATABASE waymark_test OWNER waymark"
fi
