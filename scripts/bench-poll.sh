#!/usr/bin/env bash
# One polling cycle over 2,000 feed URLs (copies of the real-world feeds, served by 50 loopback
# servers), then a second cycle that must be answered 304 throughout: `feedwatch once` (release
# build) against the same two cycles run by feedparser 6.0.14 (rss2email's fetch-and-parse
# engine) with 16 threads and its own ETag/Last-Modified bookkeeping. feedwatch also archives
# (dedup, fsync, state file); the peer only fetches and parses. Prints both and the ratio.
# Usage: scripts/bench-poll.sh [feeds, default 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-2000}

echo "== building feedwatch and feedwatch-bench (release)"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch 2>&1 | tail -n 1
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -n 1
bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)

peer=""
if python3 -m venv --help >/dev/null 2>&1; then
    if [ ! -x .venv-poll/bin/python ]; then python3 -m venv .venv-poll; fi
    .venv-poll/bin/python -c 'import feedparser, sys; sys.exit(feedparser.__version__ != "6.0.14")' 2>/dev/null \
        || .venv-poll/bin/pip install --quiet feedparser==6.0.14 || true
    if .venv-poll/bin/python -c 'import feedparser' 2>/dev/null; then
        script=$(mktemp --suffix=.py)
        state=$(mktemp -u --suffix=.json)
        trap 'rm -f "$script" "$state"' EXIT
        cat >"$script" <<'PY'
import json, os, sys
from concurrent.futures import ThreadPoolExecutor
import feedparser
state_path, urls_path = sys.argv[1], sys.argv[2]
urls = open(urls_path).read().split()
state = json.load(open(state_path)) if os.path.exists(state_path) else {}
def poll(url):
    s = state.get(url, {})
    d = feedparser.parse(url, etag=s.get("etag"), modified=s.get("modified"), agent="feedparser-peer/6.0.14")
    return url, d.get("etag", s.get("etag")), d.get("modified", s.get("modified")), len(d.entries)
entries = 0
with ThreadPoolExecutor(16) as pool:
    for url, etag, modified, n in pool.map(poll, urls):
        state[url] = {"etag": etag, "modified": modified}
        entries += n
json.dump(state, open(state_path, "w"))
print(f"peer: {entries} entries", file=sys.stderr)
PY
        peer="$PWD/.venv-poll/bin/python $script $state"
    fi
fi
[ -n "$peer" ] || echo "(feedparser not available: feedwatch only)"

echo "== poll bench"
if [ -n "$peer" ]; then
    "$bin/feedwatch-bench" poll --feeds "$feeds" --feedwatch "$bin/feedwatch" --peer "$peer"
else
    "$bin/feedwatch-bench" poll --feeds "$feeds" --feedwatch "$bin/feedwatch"
fi
