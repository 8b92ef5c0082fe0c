#!/usr/bin/env bash
# Hostile-input timing of the field normalizers: every case of scripts/hostile-bench (one cell of
# repeated `아산시`, `가`, digits, separators, `101동 1203호`, ...) at BYTES (default 1 MB) and at
# BYTES/8, with the DolbomNormalize of BASE (default: merge-base with main) and of the working tree
# (the latter capped as shipped, and with its length caps lifted). Each run is killed after TIMEOUT
# seconds. Prints a table: min CPU ms of REPS calls, and the big/small time ratio (linear ≈ 8).
# BASE `-` times the working tree only.
#   scripts/bench-hostile.sh [BYTES] [BASE] [TIMEOUT] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bytes="${1:-1048576}"
base="${2:-$(git merge-base HEAD main)}"
limit="${3:-30}"
reps="${4:-3}"
work="${DOLBOM_HOSTILEBENCH_DIR:-.build-hostilebench}"
small=$((bytes / 8))

make_pkg() {  # DIR FLAGS
  mkdir -p "$1/Sources/hostile-bench"
  cp scripts/hostile-bench/main.swift "$1/Sources/hostile-bench/main.swift"
  cat >"$1/Package.swift" <<PKG
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "hostilebench", targets: [
    .target(name: "DolbomNormalize"),
    .executableTarget(name: "hostile-bench", dependencies: ["DolbomNormalize"], swiftSettings: [$2]),
])
PKG
}
rm -rf "$work/base/Sources" "$work/new/Sources"
mkdir -p "$work/base" "$work/new/Sources"
[ "$base" = "-" ] || git archive "$base" Sources/DolbomNormalize | tar -x -C "$work/base"
cp -R Sources/DolbomNormalize "$work/new/Sources/"
make_pkg "$work/base" ""
make_pkg "$work/new" '.define("HOSTILE_CAPS")'
sides="base new"
[ "$base" = "-" ] && sides="new"
for side in $sides; do
  (cd "$work/$side" && swift build -c release >build.log 2>&1) || { cat "$work/$side/build.log" >&2; exit 1; }
done

# run SIDE CASE BYTES [--uncapped]: min ms, or ">LIMIT s" when killed.
run() {
  local out
  if [ "$1" = base ] && [ "$base" = "-" ]; then echo "-"; return; fi
  if out=$(timeout "$limit" "$work/$1/.build/release/hostile-bench" "$2" "$3" "$reps" ${4:-} 2>/dev/null); then
    echo "$out" | cut -f3
  else
    echo ">${limit}000"
  fi
}
ratio() { python3 -c "import sys; a,b=sys.argv[1],sys.argv[2]; print('-' if a[0] in '>-' or b[0] in '>-' else f'{float(b)/max(float(a),1e-3):.1f}')" "$1" "$2"; }
echo "base ${base:0:10} vs working tree; cells of $small and $bytes bytes; min CPU ms of $reps calls; killed after ${limit}s"
echo "| case | base ms | base ratio | new ms (capped) | new ms (uncapped) | new ratio (uncapped) | new issues (uncapped) |"
echo "|---|---:|---:|---:|---:|---:|---|"
for c in $("$work/new/.build/release/hostile-bench" list); do
  b1=$(run base "$c" "$small"); b8=$(run base "$c" "$bytes")
  nc=$(run new "$c" "$bytes")
  n1=$(run new "$c" "$small" --uncapped); n8=$(run new "$c" "$bytes" --uncapped)
  issues=$(timeout "$limit" "$work/new/.build/release/hostile-bench" "$c" "$bytes" 1 --uncapped 2>/dev/null | cut -f4 || true)
  echo "| $c | $b8 | $(ratio "$b1" "$b8") | $nc | $n8 | $(ratio "$n1" "$n8") | $issues |"
done
