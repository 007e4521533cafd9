#!/usr/bin/env bash
# full_text at scale: 2,000 teaser entries in 50 feeds, one per loopback host, each entry linking
# to a page on its feed's host (the extraction dev pages in turn). `feedwatch once` (release
# build) fetches every feed and every page, extracts and archives; a second cycle gets the feeds
# again in full and must fetch no page. Prints requests, wall and CPU time, and peak RSS.
# Usage: scripts/bench-full-text.sh [entries, default 2000] [hosts, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building feedwatch and feedwatch-bench (release)"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch 2>&1 | tail -n 1
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -n 1
bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)
"$bin/feedwatch-bench" full-text --entries "${1:-2000}" --hosts "${2:-50}"
