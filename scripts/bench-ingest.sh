#!/usr/bin/env bash
# End-to-end ingest benchmark (release build): files renamed into the inbox of a running
# `feedwatch run`, each timed until it is durable, i.e. until the daemon moves it to processed/
# (only after the fdatasync of its records): throughput for a burst of files dropped at once,
# rename → durable latency for files dropped at a steady rate (default 2,000/s), and the
# restart time and memory with a large archive.
# No peer runs here: none of the tools feedwatch is compared with (Miniflux, newsboat,
# rss2email, urlwatch) has a drop-folder ingest to time against.
# Usage: scripts/bench-ingest.sh [--files N] [--paced N] [--rate N] [--records N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch 2>&1 | tail -1
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -1
.build-release/release/feedwatch-bench ingest --feedwatch .build-release/release/feedwatch "$@"
