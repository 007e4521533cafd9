#!/usr/bin/env bash
# The README's test command: build (failing on any warning in our own code), then run every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
    echo "error: the build has warnings (above); fix them" >&2
    exit 1
fi
swift test --skip-build
