#!/usr/bin/env bash
# Sets up, builds (release) and runs the daemon on the shipped config. No network needed:
# the shipped config has no URL sources; drop files into var/inbox/ and `tail -f var/archive/articles.jsonl`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --static-swift-stdlib --product feedwatch
exec .build/release/feedwatch run --config config/feedwatch.toml "$@"
