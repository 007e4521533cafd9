#!/usr/bin/env bash
# Two builds side by side on the parser benchmarks (release): feeds (`parse`), pages
# (`extract`, one thread) and dates (`dates`), in the same run, alternating old and new ROUNDS
# times. Prints each run's per-CPU-second figure and the ratio of the best runs: CPU time is the
# steadier measure on a machine shared with other jobs. Then the whole-process comparison
# (scripts/compare-parse-cpu.py) for the two `feedwatch` binaries beside the benches.
# Usage: [BENCHES="parse extract dates"] scripts/bench-compare.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS, default 3]
#   each BIN_DIR holds a release feedwatch-bench and feedwatch
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: $0 OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]}
new=${2:?usage: $0 OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]}
rounds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The dates file of scripts/bench-dates.sh, without its Python peer: the fixture's inputs
# plus generated RFC 822 and ISO 8601 dates.
python3 - "$work/dates.txt" <<'PY'
import json, random, sys
random.seed(7)
rows = [json.loads(l)["input"] for l in open("Tests/Fixtures/dates/dates.jsonl", encoding="utf-8")]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
out = list(rows)
for _ in range(20000):
    y, m, d, h, mi = random.randint(1998, 2026), random.randint(1, 12), random.randint(1, 28), random.randint(0, 23), random.randint(0, 59)
    out.append(f"Mon, {d:02d} {months[m-1]} {y} {h:02d}:{mi:02d}:00 GMT" if random.random() < 0.5 else f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z")
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY

# One figure per bench: MB (or dates) per CPU second, from the bench's own output.
parse_figure() { "$1/feedwatch-bench" parse --seconds 2 --generated-mb 0 | sed -n 's/^xml_cpu_mb_per_s=//p'; }
extract_figure() {
    "$1/feedwatch-bench" extract --rounds 3 --threads 1 --large-mb 0 \
        | sed -n 's/.*1 thread:.* \([0-9.]*\) pages\/s, [0-9.]* MB\/s per CPU second.*/\1/p' | head -n 1
}
dates_figure() { # dates per CPU second of the whole bench process (the old bench prints wall figures only)
    python3 - "$1/feedwatch-bench" "$work/dates.txt" <<'PY'
import resource, subprocess, sys
lines = sum(1 for l in open(sys.argv[2], encoding="utf-8") if l.strip())
before = resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run([sys.argv[1], "dates", sys.argv[2], "--rounds", "200"], stdout=subprocess.DEVNULL, check=True)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{lines * 200 / (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime):.0f}")
PY
}

for bench in ${BENCHES:-parse extract dates}; do
    best_old=0
    best_new=0
    line="$bench:"
    for _ in $(seq "$rounds"); do
        a=$(${bench}_figure "$old")
        b=$(${bench}_figure "$new")
        line+=" old ${a:-?} new ${b:-?};"
        best_old=$(python3 -c "print(max($best_old, ${a:-0}))")
        best_new=$(python3 -c "print(max($best_new, ${b:-0}))")
    done
    echo "$line"
    python3 -c "print(f'  $bench best per CPU second: old {$best_old:.1f}, new {$best_new:.1f}, new/old {$best_new / $best_old:.3f}' if $best_old else '  $bench: no figure')"
done
python3 scripts/compare-parse-cpu.py "$old/feedwatch" "$new/feedwatch" 5
