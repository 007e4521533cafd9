#!/usr/bin/env bash
# The README's test command: build (failing on any warning in our own code), then run every
# suite, then check the systemd unit and conditional GET against a stock nginx.
#
# The suites run in two passes. The parser suites are CPU-bound and synchronous; run beside
# the process, socket and timer tests they occupy every thread of the cooperative pool (two
# on a 2-core machine) and starve those tests' waits. Each pass has a hard time limit, so a
# hung test fails the run in minutes instead of holding CI for its full budget.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
    echo "error: the build has warnings (above); fix them" >&2
    exit 1
fi
python3 scripts/check-architecture.py
# MetricsTests lint the metrics textfile with promtool (Debian's prometheus package).
if ! command -v promtool >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null
fi
cpu_bound='^(FeedParserTests|FeedModelTests)\.'
# The cluster suite runs three daemons and a PostgreSQL at a time: its own pass too, so that its
# load does not stretch the other suites' timing assertions (nor theirs its own).
cluster='^FeedWatchCLITests\.ClusterTests'
timeout --kill-after=30 900 swift test --skip-build --filter "$cpu_bound"
timeout --kill-after=30 900 swift test --skip-build --skip "$cpu_bound" --skip "$cluster"
timeout --kill-after=30 600 swift test --skip-build --filter "$cluster"
scripts/check-systemd.sh
timeout --kill-after=10 300 scripts/check-nginx.sh "$(swift build --show-bin-path)/feedwatch"
