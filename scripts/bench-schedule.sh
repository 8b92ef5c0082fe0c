#!/usr/bin/env bash
# Planning benchmark: 10,000 households, 20 counselors, 10 working days (aim: under one second), release build.
#   scripts/bench-schedule.sh [households] [counselors] [days]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
log="$(mktemp)"
swift build -c release --product schedule-bench >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
"$(swift build -c release --show-bin-path)/schedule-bench" "$@"
