#!/usr/bin/env bash
# Installs the C libraries feedwatch builds against, when missing (Debian/Ubuntu).
set -euo pipefail
need=()
for pkg in libcurl4-openssl-dev libxml2-dev libidn2-dev pkg-config systemd; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# The cluster tests start a throwaway PostgreSQL 15 (never the system cluster on 5432).
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need[@]}"
fi
