#!/usr/bin/env bash
# Cluster mode on a throwaway PostgreSQL 15 (never the system cluster): cluster-wide archive
# commits per second with three writers on one database (one article per commit, then batches
# of 50), and one full polling cycle of 6,000 loopback feeds that answer slowly, with one node
# and then with three nodes at once (`feedwatch once` in cluster mode, release build).
# Usage: scripts/bench-cluster.sh [feeds, default 6000] [delay ms, default 250]
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-6000}
delay=${2:-250}
echo "== building feedwatch and feedwatch-bench (release)"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch 2>&1 | tail -n 1
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -n 1
bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)
"$bin/feedwatch-bench" cluster --feeds "$feeds" --delay-ms "$delay" --feedwatch "$bin/feedwatch"
