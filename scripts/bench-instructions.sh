#!/usr/bin/env bash
# Instructions executed by a whole `dolbom run` (valgrind's callgrind), the release build of BASE against the
# working tree's, on the first ROWS rows of a generated export. Instruction counts repeat to a few parts in
# ten thousand whatever else the machine is doing, so a CPU change of 1% can be seen on a virtual machine
# whose wall times drift by 20% within an hour. They count work, not time on two cores: the wall-time
# ratio against a libcsv pass comes from scripts/bench.sh.
#   scripts/bench-instructions.sh [ROWS] [BASE]     defaults: 20000 rows, BASE = merge-base with main
# Prints total and per-stage instructions for both builds, their ratio, and whether the outputs are identical.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
command -v valgrind >/dev/null 2>&1 || apt-get install -y -qq valgrind >/dev/null
rows="${1:-20000}"
base="$(git rev-parse "${2:-$(git merge-base HEAD main)}")"
work="${DOLBOM_INSN_DIR:-.build-insn}"
mkdir -p "$work"

source_csv=".build-bench/bulk_100000.csv"
if [ ! -f "$source_csv" ]; then
  mkdir -p .build-bench
  python3 scripts/gen_bulk.py 100000 "$source_csv" --seed 7 >/dev/null
fi
head -n "$((rows + 1))" "$source_csv" >"$work/input.csv"

# The base build lives in a worktree of its own under $work (reused between invocations).
if [ ! -d "$work/base-src" ]; then git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1; fi
git -C "$work/base-src" checkout -q --detach "$base"
log="$work/build.log"
(cd "$work/base-src" && swift build -c release --scratch-path ../base-build >"../build.log" 2>&1) || { cat "$log" >&2; exit 1; }
swift build -c release >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
# Valgrind cannot read the debug information this toolchain writes; function names are enough.
strip --strip-debug -o "$work/dolbom-base" "$work/base-build/release/dolbom"
strip --strip-debug -o "$work/dolbom-new" "$(swift build -c release --show-bin-path)/dolbom"

for side in base new; do
  rm -rf "$work/out-$side"
  valgrind --tool=callgrind --callgrind-out-file="$work/$side.callgrind" "$work/dolbom-$side" \
    run -q --as-of 2024-07-15 --out "$work/out-$side" "$work/input.csv" >/dev/null 2>"$work/$side.valgrind.txt"
  callgrind_annotate --inclusive=yes --threshold=100 "$work/$side.callgrind" >"$work/$side.inclusive.txt"
done
same=$(diff -r -q "$work/out-base" "$work/out-new" >/dev/null && echo yes || echo NO)

python3 - "$work" "$rows" "$base" "$same" <<'PY'
import re, sys
work, rows, base, same = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
# Functions that hold a stage's work, each run whole on one thread per call, so their inclusive counts
# (over every call on every thread) do not overlap: the reading thread, each row's normalization, each
# pair compared, each household merged, each line of the big files. What is not listed (blocking, ids,
# planning, the state) is in the whole-run total.
stages = [
    ("read (libcsv + cells)", r"CSVRecordStreamV7forEach"),
    ("normalize a row", r"SubmissionBuilderV5build_"),
    ("compare a pair", r"PairScorerV7compare"),
    ("merge a household", r"HouseholdResolverV5merge"),
    ("applicants.jsonl line", r"ApplicantJSONO5write_"),
    ("call-list.csv", r"OutputWriterV16writeCallListCSV"),
    ("duplicates.csv", r"OutputWriterV18writeDuplicatesCSV"),
]
def load(side):
    text = open(f"{work}/{side}.inclusive.txt").read()
    total = int(re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    counts = {}
    for label, pattern in stages:
        best = 0
        for m in re.finditer(r"^\s*([\d,]+) \([ \d.]+%\)\s+\S*" + pattern, text, re.M):
            best = max(best, int(m.group(1).replace(",", "")))
        counts[label] = best
    return total, counts
bt, bc = load("base"); nt, nc = load("new")
print(f"{rows:,} rows; base {base[:10]} vs working tree; outputs identical: {same}")
print("| | base instructions | new instructions | base/new |")
print("|---|---:|---:|---:|")
print(f"| whole run | {bt:,} | {nt:,} | {bt / nt:.3f}x |")
for label, _ in stages:
    b, n = bc[label], nc[label]
    print(f"| {label} | {b:,} | {n:,} | {(b / n if n else float('nan')):.3f}x |")
PY
