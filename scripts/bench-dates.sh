#!/usr/bin/env bash
# Date parsing: feedwatch's DateParser vs Python feedparser's _parse_date on the same strings.
# Builds release, creates .venv-dates with feedparser, prints both rates and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! build_log=$(swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1); then
    echo "$build_log" | grep -E "error" >&2 || echo "$build_log" | tail -20 >&2
    exit 1
fi
if [ ! -x .venv-dates/bin/python ]; then
    python3 -m venv .venv-dates
    .venv-dates/bin/pip install --quiet feedparser
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A feed-like mix: the fixture rows plus RFC 822 and RFC 3339 dates in common zone forms.
.venv-dates/bin/python - "$work/dates.txt" <<'PY'
import json, random, sys
random.seed(7)
rows = [json.loads(l)["input"] for l in open("Tests/Fixtures/dates/dates.jsonl", encoding="utf-8")]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
zones = ["GMT", "+0000", "-0500", "EST", "PDT", "+01:00", "Z", "UT"]
out = list(rows)
for _ in range(20000):
    y, m, d = random.randint(1998, 2026), random.randint(1, 12), random.randint(1, 28)
    h, mi, s = random.randint(0, 23), random.randint(0, 59), random.randint(0, 59)
    if random.random() < 0.5:
        out.append(f"{random.choice(days)}, {d:02d} {months[m-1]} {y} {h:02d}:{mi:02d}:{s:02d} {random.choice(zones)}")
    else:
        z = random.choice(["Z", "+02:00", "-08:00", ".123Z"])
        out.append(f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{z}")
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
ours=$("$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)/feedwatch-bench" dates "$work/dates.txt" --rounds 20)
echo "$ours"
theirs=$(.venv-dates/bin/python - "$work/dates.txt" <<'PY'
import sys, time, warnings
warnings.simplefilter("ignore")
from feedparser.datetimes import _parse_date
dates = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
t = time.perf_counter(); ok = 0
for _ in range(2):
    for d in dates:
        if _parse_date(d) is not None: ok += 1
el = time.perf_counter() - t
print(f"feedparser: {len(dates)*2} dates in {el:.3f} s, {len(dates)*2/el:.0f} dates/s, {ok//2} of {len(dates)} parsed")
PY
)
echo "$theirs"
r1=$(echo "$ours" | sed -E 's/.* ([0-9]+) dates\/s.*/\1/')
r2=$(echo "$theirs" | sed -E 's/.* ([0-9]+) dates\/s.*/\1/')
python3 -c "print(f'ratio: feedwatch is {$r1/$r2:.1f}x faster than feedparser')"
