#!/usr/bin/env bash
# Parser throughput: feedwatch (release build, Swift runtime linked in as the README installs it:
# --static-swift-stdlib) against Python's feedparser 6.0.14 on the same real-world XML feeds, both reading bytes from memory in one process. Prints both figures and
# the ratios (wall clock, and CPU time: the steadier one on a loaded machine).
# Then the whole process: `feedwatch parse` over the same feeds ten times over (one process, JSON
# lines to a pipe) beside a Python process that parses them with feedparser and prints one JSON line
# per entry; CPU time of each child process (start-up included).
# Usage: scripts/bench-parse.sh [seconds per set, default 3] [whole-process rounds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
rounds=${2:-10}
corpus=Tests/Fixtures/realworld

echo "== building feedwatch-bench (release)"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -n 1

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

echo "== whole process: the binary over the same XML feeds, ${rounds:=10} times over, JSON lines to a pipe"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch 2>&1 | tail -n 1
whole=$(.venv-bench/bin/python - "$corpus" "$rounds" .build-release/release/feedwatch <<'PY'
import os, resource, subprocess, sys, time
corpus, rounds, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = sorted(n for n in os.listdir(corpus)
               if not n.endswith(".expected.json") and not n.endswith(".md") and not n.endswith(".json"))
paths = [os.path.join(corpus, n) for n in names]
size = sum(os.path.getsize(p) for p in paths) * rounds
# feedparser's whole process: interpreter start, import, parse, one JSON line per entry to stdout.
peer = r"""
import json, sys, feedparser
rounds, paths = int(sys.argv[1]), sys.argv[2:]
out = sys.stdout
for _ in range(rounds):
    for p in paths:
        d = feedparser.parse(p)
        title = d.feed.get("title")
        for e in d.entries:
            out.write(json.dumps({"title": e.get("title", ""), "summary": e.get("summary"),
                "content": [c.get("value") for c in e.get("content", [])], "url": e.get("link"),
                "guid": e.get("id"), "author": e.get("author"), "published": e.get("published"),
                "updated": e.get("updated"), "tags": [t.get("term") for t in e.get("tags", [])],
                "source": {"title": title}}, ensure_ascii=False) + "\n")
"""
def run(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = 0
    for chunk in iter(lambda: p.stdout.read(1 << 16), b""):
        lines += chunk.count(b"\n")
    p.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, lines, after.ru_maxrss
ours = run([binary, "parse"] + paths * rounds)
theirs = run([sys.executable, "-c", peer, str(rounds)] + paths)
for name, (cpu, wall, lines, _) in (("feedwatch parse", ours), ("feedparser 6.0.14", theirs)):
    print(f"{name}: {len(paths)} files x {rounds}, {size / 1e6:.1f} MB, {lines} JSON lines: "
          f"{cpu:.2f} CPU s ({size / 1e6 / cpu:.1f} MB per CPU second), {wall:.2f} s wall")
print(f"whole_ours_cpu={ours[0]:.4f}")
print(f"whole_theirs_cpu={theirs[0]:.4f}")
PY
)
echo "$whole"
whole_ours=$(sed -n 's/^whole_ours_cpu=//p' <<<"$whole")
whole_theirs=$(sed -n 's/^whole_theirs_cpu=//p' <<<"$whole")

echo "== ratio"
python3 -c "print(f'whole process: feedparser {float(\"$whole_theirs\"):.2f} CPU s / feedwatch {float(\"$whole_ours\"):.2f} CPU s = {float(\"$whole_theirs\") / float(\"$whole_ours\"):.1f}x (same files, same run, output to a pipe)')"
python3 -c "print(f'feedwatch {float(\"$ours_mbps\"):.1f} MB/s / feedparser {float(\"$theirs_mbps\"):.2f} MB/s = {float(\"$ours_mbps\") / float(\"$theirs_mbps\"):.1f}x on the same XML feeds (wall clock)')"
python3 -c "print(f'feedwatch {float(\"$ours_cpu\"):.1f} MB/s / feedparser {float(\"$theirs_cpu\"):.2f} MB/s = {float(\"$ours_cpu\") / float(\"$theirs_cpu\"):.1f}x per CPU second')"
