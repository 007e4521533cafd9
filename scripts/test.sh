#!/usr/bin/env bash
# The README's test command: build with warnings as errors, then run every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
