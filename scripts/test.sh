#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test (Swift Testing) with visible results.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
swift test "$@"
