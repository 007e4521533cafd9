#!/usr/bin/env bash
# Behaviour check for refactors: `feedwatch parse` of two builds over every fixture and corpus
# file must be byte-identical (only `fetched_at`, the clock, is masked). Each file is parsed
# alone with --format auto; the extraction pages also with --format html, as a user would.
# Usage: scripts/check-parse-identical.sh OLD_FEEDWATCH [NEW_FEEDWATCH] [DIR…]
#   default NEW: this checkout's debug build; default DIRs: Tests/Fixtures, seeds, ../shared/corpus
# Exit 0 when identical; otherwise prints the differing files (and a diff of the first few).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: $0 OLD_FEEDWATCH [NEW_FEEDWATCH] [DIR...]}
new=${2:-$(swift build --show-bin-path)/feedwatch}
shift $(( $# >= 2 ? 2 : 1 ))
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || { dirs=(Tests/Fixtures seeds); [ -d ../shared/corpus ] && dirs+=(../shared/corpus); }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mask() { sed -E 's/"fetched_at":"[^"]*"/"fetched_at":"-"/g'; }
run() { # binary, format, file → stdout + exit status, stderr dropped (it names the binary's path)
    local status=0
    "$1" parse --format "$2" "$3" </dev/null 2>/dev/null | mask || status=$?
    echo "exit=$status"
}

files=0
differ=()
while IFS= read -r -d '' file; do
    formats=(auto)
    [[ "$file" == *.html ]] && formats+=(html)
    for format in "${formats[@]}"; do
        files=$((files + 1))
        run "$old" "$format" "$file" >"$out/old"
        run "$new" "$format" "$file" >"$out/new"
        if ! cmp -s "$out/old" "$out/new"; then
            differ+=("$format $file")
            if [ ${#differ[@]} -le 3 ]; then
                echo "== $format $file"
                diff <(tr ',' '\n' <"$out/old") <(tr ',' '\n' <"$out/new") | head -n 20 || true
            fi
        fi
    done
done < <(find "${dirs[@]}" -type f ! -name '*.md' ! -name 'LICENSE*' -print0 | sort -z)

echo "parse runs compared: $files; differing: ${#differ[@]}"
for d in "${differ[@]}"; do echo "  differs: $d"; done
[ ${#differ[@]} -eq 0 ]
