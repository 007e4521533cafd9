#!/usr/bin/env bash
# Article extraction: feedwatch (one release process over all dev pages) against the Python
# peers (trafilatura, readability-lxml, resiliparse) scored by the same metric in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-/work/shared/corpus/extraction}"
EVAL="${EVAL:-/work/shared/tools/extract_eval.py}"
PEERS="${PEERS:-$(dirname "$EVAL")/extract_eval-peers.txt}"
OUT=bench-out
mkdir -p "$OUT"

swift build -c release --scratch-path .build-release --product feedwatch-bench 2>&1 | grep -E "error|warning: |Compiling|Build" | tail -3
# Our bench reads decompressed pages: the checked-in fixtures are exactly the dev set.
.build-release/release/feedwatch-bench extract --data Tests/Fixtures/extraction --rounds 5 \
    --predictions "$OUT/feedwatch-extract.json"

if [ ! -x .venv-peers/bin/python ]; then
    python3 -m venv .venv-peers
fi
# Install one by one: a peer that fails to install is skipped, the others still run.
grep -v '^#' "$PEERS" | while read -r req; do
    [ -n "$req" ] || continue
    .venv-peers/bin/pip install -q "$req" >/dev/null 2>&1 || echo "# could not install $req; continuing" >&2
done

.venv-peers/bin/python "$EVAL" --data "$DATA" --bootstrap 200 \
    --pred-json "$OUT/feedwatch-extract.json" \
    --peer trafilatura --peer readability-htmltext --peer resiliparse \
    --json "$OUT/extract-eval.json"
# Throughput ratio: ours is measured in-process above; the peers' docs/s are in the table.
.venv-peers/bin/python - "$OUT/extract-eval.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if "f1" in r]
ours = next(r for r in rows if r["tool"] == "feedwatch-extract")
for r in rows:
    if r is not ours:
        print(f"feedwatch vs {r['tool']}: F1 {ours['f1']:.3f} vs {r['f1']:.3f}; peer {r.get('docs_per_s', 0):.1f} docs/s")
PY
