#!/usr/bin/env bash
# Micro-benchmark of the field normalizers: the distinct timestamp/phone/address/name/age/window cells
# of a bulk export, normalized by the DolbomNormalize of BASE (default: merge-base with main) and of
# the working tree, runs alternating, in one invocation. Prints median ms per field, the old/new ratio,
# and whether every result (value + issues, fingerprinted) is the same.
#   scripts/bench-normalize.sh [CSV] [BASE] [ROUNDS]
# Each side is built as a small package of its own (DolbomNormalize + scripts/normalize-bench), so
# nothing else is built or resolved.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
csv="${1:-.build-bench/bulk_100000.csv}"   # scripts/bench.sh makes these
base="${2:-$(git merge-base HEAD main)}"
rounds="${3:-5}"
work="${DOLBOM_NORMBENCH_DIR:-.build-normbench}"
mkdir -p "$work"

# make_pkg DIR: a package of DIR/Sources/DolbomNormalize (with DolbomRuntime and its C shims, where that side
# has them) and the bench, built with the main package's settings for those modules.
make_pkg() {
  mkdir -p "$1/Sources/normalize-bench"
  cp scripts/normalize-bench/main.swift "$1/Sources/normalize-bench/main.swift"
  local runtime=""
  if [ -d "$1/Sources/DolbomRuntime" ]; then
    runtime='
    .systemLibrary(name: "CLibCSV", path: "Sources/CLibCSV"),
    .target(name: "CDolbomSystem"),
    .target(name: "DolbomRuntime", dependencies: ["CLibCSV", "CDolbomSystem"],
            swiftSettings: [.enableExperimentalFeature("Lifetimes"),
                            .unsafeFlags(["-enforce-exclusivity=unchecked"])]),'
  fi
  cat >"$1/Package.swift" <<PKG
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "normbench", targets: [$runtime
    .target(name: "DolbomNormalize", dependencies: [$([ -n "$runtime" ] && echo '"DolbomRuntime"')],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    .executableTarget(name: "normalize-bench", dependencies: ["DolbomNormalize"]),
])
PKG
}
rm -rf "$work/base/Sources" "$work/new/Sources"
mkdir -p "$work/base" "$work/new/Sources"
modules=(Sources/DolbomNormalize Sources/DolbomRuntime Sources/CLibCSV Sources/CDolbomSystem)
for m in "${modules[@]}"; do
  git cat-file -e "$base:$m" 2>/dev/null && git archive "$base" "$m" | tar -x -C "$work/base"
  [ -d "$m" ] && cp -R "$m" "$work/new/Sources/"
done
make_pkg "$work/base"
make_pkg "$work/new"
for side in base new; do
  (cd "$work/$side" && swift build -c release >build.log 2>&1) || { cat "$work/$side/build.log" >&2; exit 1; }
done
export SWIFT_DETERMINISTIC_HASHING=1
for r in $(seq 1 "$rounds"); do
  "$work/base/.build/release/normalize-bench" "$csv" 3 >"$work/base.$r.tsv"
  "$work/new/.build/release/normalize-bench" "$csv" 3 >"$work/new.$r.tsv"
done
python3 - "$work" "$rounds" "$base" <<'PY'
import sys, statistics
work, rounds, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(side):
    runs = []
    for r in range(1, rounds + 1):
        rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/{side}.{r}.tsv")][1:]
        runs.append({f: (int(c), float(ms), fp) for f, c, ms, fp, _ in rows})
    return runs
b, n = load("base"), load("new")
print(f"base {base[:10]} vs working tree, {rounds} alternating rounds (median of each round's median ms)")
print("| field | cells | base ms | new ms | base/new | same results |")
print("|---|---:|---:|---:|---:|---|")
for f in b[0]:
    bm = statistics.median(x[f][1] for x in b); nm = statistics.median(x[f][1] for x in n)
    same = b[0][f][2] == n[0][f][2]
    print(f"| {f} | {b[0][f][0]} | {bm:.1f} | {nm:.1f} | {bm/nm:.2f}x | {'yes' if same else 'NO'} |")
PY
