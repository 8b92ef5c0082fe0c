#!/usr/bin/env bash
# Style kept by a tool: swift-format (shipped with the toolchain) with the committed .swift-format: lines of
# 120, 4-space indentation. Rules turned off, and why: IdentifiersMustBeASCII (the care types and household
# flags are the official Korean names), ReplaceForEachWithForLoop (CSVRecordStream.forEach is a throwing
# event loop, not a Sequence), OnlyOneTrailingClosureArgument (ParallelMap.map's per-worker setUp closure
# reads best labelled, before the trailing transform). Fails on any finding. To fix what it reports:
#   swift format format --in-place --recursive --parallel Sources Tests Package.swift
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
swift format lint --strict --recursive --parallel Sources Tests Package.swift
echo "swift-format: no findings"
