#!/usr/bin/env bash
# Archive benchmark (release build): feedwatch's append-only JSON-lines archive against SQLite, the
# store newsboat and similar readers keep their items in, on the same articles with the same
# durability (one fsync'd commit per batch; SQLite: synchronous=FULL, INSERT OR IGNORE on the id).
# Then feedwatch's restart figures for a large archive (default 1,000,000 records).
# Usage: scripts/bench-archive.sh [--records N] [--appends N] [--directory DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --scratch-path .build-release --product feedwatch-bench 2>&1 | tail -1
ours=$(mktemp)
.build-release/release/feedwatch-bench archive "$@" | tee "$ours"

appends=4000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [[ "${args[$i]}" == "--appends" ]] && appends="${args[$((i + 1))]}"
done
echo
echo "peer: SQLite (python3 sqlite3, synchronous=FULL, one transaction per batch):"
python3 - "$appends" "$ours" <<'PY'
import hashlib, os, re, sqlite3, sys, tempfile, time
appends, ours_path = int(sys.argv[1]), sys.argv[2]
ours = {int(m.group(1)): float(m.group(2))
        for m in re.finditer(r"batch\s+(\d+): (\d+) articles/s", open(ours_path).read())}
para = ("The council met on Tuesday to discuss the budget for the coming year, "
        "including road repairs, the library's opening hours and a new bus line to the hospital. ")
with tempfile.TemporaryDirectory() as tmp:
    for batch in (1, 16, 256):
        db = sqlite3.connect(os.path.join(tmp, f"peer-{batch}.db"), isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, guid TEXT, body TEXT)")
        rows = []
        for k in range(appends):
            title, text = f"Article {k} — p{batch}", para * 7 + f"Item {k}."
            rows.append(("sha256:" + hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest(),
                         f"urn:p{batch}:{k}", text))
        start = time.perf_counter()
        for i in range(0, appends, batch):
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO articles (id, guid, body) VALUES (?, ?, ?)", rows[i:i + batch])
            db.execute("COMMIT")
        rate = appends / (time.perf_counter() - start)
        db.close()
        ratio = f"  feedwatch/SQLite = {ours[batch] / rate:.2f}x" if batch in ours else ""
        print(f"  batch {batch:3d}: {int(rate)} articles/s{ratio}")
PY
rm -f "$ours"
