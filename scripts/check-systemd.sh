#!/usr/bin/env bash
# Checks systemd/feedwatch.service the way SPEC §9 demands: `systemd-analyze verify` must
# print nothing (it exits 0 on warnings, so any output is a failure), and the offline
# security exposure must be at most 2.0.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# verify fails when ExecStart's binary does not exist: point it at a real executable.
fake="$tmp/feedwatch"
printf '#!/bin/sh\nexit 0\n' > "$fake"
chmod +x "$fake"
sed "s#/usr/local/bin/feedwatch#$fake#" systemd/feedwatch.service > "$tmp/feedwatch.service"
out=$(systemd-analyze verify --man=no "$tmp/feedwatch.service" 2>&1 || true)
if [ -n "$out" ]; then
    echo "systemd-analyze verify reported:" >&2
    echo "$out" >&2
    exit 1
fi
echo "verify: clean"
systemd-analyze security --offline=yes --threshold=20 --no-pager "$tmp/feedwatch.service" | tail -n 1
echo "security: exposure within the 2.0 threshold"
