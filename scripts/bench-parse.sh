#!/usr/bin/env bash
# Parser throughput: feedwatch (release build) against Python's feedparser 6.0.14 on the same
# real-world XML feeds, both reading bytes from memory in one process. Prints both figures and
# the ratios (wall clock, and CPU time: the steadier one on a loaded machine).
# Usage: scripts/bench-parse.sh [seconds per set, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
corpus=Tests/Fixtures/realworld

echo "== building feedwatch-bench (release)"
swift build -c release --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -n 1

echo "== feedwatch"
ours=$(.build-release/release/feedwatch-bench parse --corpus "$corpus" --seconds "$seconds")
echo "$ours"
ours_mbps=$(sed -n 's/^xml_mb_per_s=//p' <<<"$ours")
ours_cpu=$(sed -n 's/^xml_cpu_mb_per_s=//p' <<<"$ours")

echo "== feedparser 6.0.14"
if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
fi
.venv-bench/bin/python -c 'import feedparser, sys; sys.exit(feedparser.__version__ != "6.0.14")' 2>/dev/null \
    || .venv-bench/bin/pip install --quiet feedparser==6.0.14
theirs=$(.venv-bench/bin/python - "$corpus" "$seconds" <<'PY'
import os, sys, time
import feedparser
corpus, seconds = sys.argv[1], float(sys.argv[2])
names = sorted(n for n in os.listdir(corpus)
               if not n.endswith(".expected.json") and not n.endswith(".md") and not n.endswith(".json"))
data = [open(os.path.join(corpus, n), "rb").read() for n in names]
size = sum(map(len, data))
rounds = entries = 0
start = time.perf_counter()
cpu_start = time.process_time()
while rounds < 1 or time.perf_counter() - start < seconds:
    for d in data:
        entries += len(feedparser.parse(d).entries)
    rounds += 1
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
print(f"real-world XML feeds ({len(data)} files): {size / 1e6:.2f} MB, {entries // rounds} entries per round, "
      f"{rounds} rounds in {elapsed:.2f} s → {size * rounds / 1e6 / elapsed:.1f} MB/s, {entries / elapsed:.0f} entries/s; "
      f"{size * rounds / 1e6 / cpu:.2f} MB/s per CPU second")
print(f"xml_mb_per_s={size * rounds / 1e6 / elapsed:.2f}")
print(f"xml_cpu_mb_per_s={size * rounds / 1e6 / cpu:.2f}")
PY
)
echo "$theirs"
theirs_mbps=$(sed -n 's/^xml_mb_per_s=//p' <<<"$theirs")
theirs_cpu=$(sed -n 's/^xml_cpu_mb_per_s=//p' <<<"$theirs")

echo "== ratio"
python3 -c "print(f'feedwatch {float(\"$ours_mbps\"):.1f} MB/s / feedparser {float(\"$theirs_mbps\"):.2f} MB/s = {float(\"$ours_mbps\") / float(\"$theirs_mbps\"):.1f}x on the same XML feeds (wall clock)')"
python3 -c "print(f'feedwatch {float(\"$ours_cpu\"):.1f} MB/s / feedparser {float(\"$theirs_cpu\"):.2f} MB/s = {float(\"$ours_cpu\") / float(\"$theirs_cpu\"):.1f}x per CPU second')"
