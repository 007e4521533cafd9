#!/usr/bin/env bash
# Article extraction on both dev sets: feedwatch (one release process over all pages of a set)
# against the Python peers (trafilatura, readability-lxml, resiliparse), scored by the same
# metric in the same run, for the whole set and for its two stable halves (`--half A|B` of
# extract_eval.py: tune on one, confirm on the other). Then Readability's expected titles and
# bylines, and speed and memory (including one 20 MB page).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED:-/work/shared}"
EVAL="${EVAL:-$SHARED/tools/extract_eval.py}"
PEERS="${PEERS:-$(dirname "$EVAL")/extract_eval-peers.txt}"
SETS="${SETS:-extraction extraction-readability}"
OUT=bench-out
mkdir -p "$OUT"

swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | grep -E "error|warning: |Compiling|Build" | tail -3
BENCH=.build-release/release/feedwatch-bench

if [ ! -x .venv-peers/bin/python ]; then
    python3 -m venv .venv-peers
fi
# Install one by one: a peer that fails to install is skipped, the others still run.
for req in $(grep -E '^(trafilatura|readability-lxml|lxml_html_clean|Resiliparse)==' "$PEERS"); do
    .venv-peers/bin/pip install -q "$req" >/dev/null 2>&1 || echo "# could not install $req; continuing" >&2
done

for set in $SETS; do
    echo "== $set"
    # Our bench reads the decompressed pages checked in as fixtures (the same pages and gold).
    "$BENCH" extract --data "Tests/Fixtures/$set" --rounds 5 --threads 1 \
        --large-mb "$([ "$set" = extraction ] && echo 20 || echo 0)" \
        --predictions "$OUT/feedwatch-$set.json" --metadata "$OUT/feedwatch-$set-metadata.json"
    .venv-peers/bin/python "$EVAL" --data "$SHARED/corpus/$set" --bootstrap 200 \
        --pred-json "$OUT/feedwatch-$set.json" --name feedwatch \
        --peer trafilatura --peer readability --peer resiliparse \
        --per-doc "$OUT/extract-$set.jsonl" --json "$OUT/extract-$set.json"
    .venv-peers/bin/python - "$OUT/extract-$set.jsonl" "Tests/Fixtures/$set" "$OUT/feedwatch-$set-metadata.json" <<'PY'
import collections, hashlib, json, os, re, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["tool"]].append(r)

def half(k):  # extract_eval.py's --half
    return "A" if int(hashlib.sha1(k.encode()).hexdigest(), 16) % 2 == 0 else "B"

def f1(rs):
    ps = [r["precision"] for r in rs if r["precision"] is not None]
    rc = [r["recall"] for r in rs if r["recall"] is not None]
    p, r = sum(ps) / max(len(ps), 1), sum(rc) / max(len(rc), 1)
    return 2 * p * r / (p + r) if p + r else 0.0

print(f"{'tool':14s} {'F1':>7s} {'half A':>7s} {'half B':>7s} {'empty':>6s}")
for tool, rs in rows.items():
    empty = sum(1 for r in rs if r["precision"] is None and r["recall"] is not None)
    print(f"{tool:14s} {f1(rs):7.4f} {f1([r for r in rs if half(r['id']) == 'A']):7.4f} "
          f"{f1([r for r in rs if half(r['id']) == 'B']):7.4f} {empty:6d}")
expected_path = os.path.join(sys.argv[2], "metadata.json")
if os.path.exists(expected_path):
    expected, got = json.load(open(expected_path)), json.load(open(sys.argv[3]))
    spaces = lambda s: re.sub(r"\s+", " ", s or "").strip()
    name = lambda s: re.sub(r"^(written by|by|par|von) ", "", spaces(s).lower())
    t = [spaces(e["title"]) == spaces(got.get(k, {}).get("title")) for k, e in expected.items() if e.get("title")]
    a = [name(e["byline"]) == name(got.get(k, {}).get("author")) for k, e in expected.items() if e.get("byline")]
    print(f"feedwatch metadata vs Readability's expected: titles {sum(t)}/{len(t)}, bylines {sum(a)}/{len(a)}")
PY
done
