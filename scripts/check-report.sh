#!/usr/bin/env bash
# CI: runs dolbom on samples/ (the debug build scripts/test.sh made) and renders its report.html in headless
# Chromium with scripts/render-report.sh, failing on console errors, outside references or more than two A4
# pages. Skips cleanly (exit 0, one line) when Chromium is neither installed nor installable with apt here.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
if ! command -v chromium >/dev/null 2>&1; then
  if ! command -v apt-cache >/dev/null 2>&1 \
    || ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    echo "check-report: skipped (chromium is not installed and apt cannot install it here)"
    exit 0
  fi
fi
bin="$(swift build --show-bin-path)/dolbom"
[ -x "$bin" ] || swift build --product dolbom >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" run --quiet --config samples/dolbom.yaml --as-of 2024-07-15 --out "$work/run" samples/exports
bash scripts/render-report.sh "$work/run"
echo "check-report: ok"
