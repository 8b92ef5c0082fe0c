#!/usr/bin/env bash
# Facility matching benchmark: 10,000 households × 2,000 facilities (aim: under one second), release build.
#   scripts/bench-facilities.sh [households] [facilities]      DEBUG=1: the debug build (a busy machine)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
config=release; [ "${DEBUG:-}" = 1 ] && config=debug
log="$(mktemp)"
swift build -c "$config" --product facility-bench >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -f "$log"
echo "build: $config"
"$(swift build -c "$config" --show-bin-path)/facility-bench" "$@"
