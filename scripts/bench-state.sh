#!/usr/bin/env bash
# The nightly cron path against the stateless run, for BASE's release build and the working tree's, in one
# invocation (a VM's speed drifts by 20% within an hour; runs that alternate see the same drift).
#   scripts/bench-state.sh [ROWS] [BASE] [ROUNDS]     defaults: 1000000 rows, BASE = main, 2 rounds
# Each round runs, for each build in turn, on a cumulative export `responses.csv` (gen_bulk.py, seed 11):
#   stateless  ROWS rows, no state file
#   first      ROWS rows, a fresh state file (every submission is stored)
#   second     the same ROWS rows again with that state (nothing new)
#   plus10     the export grown by 10% (the first ROWS rows unchanged, ROWS/10 new ones) with that state
# and prints each run's wall seconds and peak RSS, the medians, the ratios stateful/stateless per build and
# the ratios working tree/BASE per kind of run; then whether every output file and what `dolbom status`
# prints and the state's table row counts are the same for both builds.
# BASE_BIN=… / NEW_BIN=… use release binaries already built instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
command -v sqlite3 >/dev/null 2>&1 || apt-get install -y -qq sqlite3 >/dev/null
rows="${1:-1000000}"
base_ref="${2:-main}"
rounds="${3:-2}"
work="${DOLBOM_BENCH_DIR:-.build-bench}/state"
mkdir -p "$work"

# Inputs: one generated export of ROWS + ROWS/10 rows; its first ROWS rows are yesterday's export.
grown=$((rows + rows / 10))
if [ ! -f "$work/grown-$rows/responses.csv" ]; then
  mkdir -p "$work/grown-$rows" "$work/today-$rows"
  python3 scripts/gen_bulk.py "$grown" "$work/grown-$rows/responses.csv" --seed 11 >/dev/null
  python3 - "$work/grown-$rows/responses.csv" "$work/today-$rows/responses.csv" "$rows" <<'PY'
import csv, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as o:
    w = csv.writer(o, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for i, row in enumerate(csv.reader(f)):
        if i > n:
            break
        w.writerow(row)
PY
fi
today="$work/today-$rows/responses.csv"
grown_csv="$work/grown-$rows/responses.csv"

if [ -z "${BASE_BIN:-}" ]; then
  base="$(git rev-parse "$base_ref")"
  if [ ! -d "$work/base-src" ]; then git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1; fi
  git -C "$work/base-src" checkout -q --detach "$base"
  (cd "$work/base-src" && swift build -c release --product dolbom --scratch-path ../base-build >../build.log 2>&1) \
    || { cat "$work/build.log" >&2; exit 1; }
  BASE_BIN="$work/base-build/release/dolbom"
fi
if [ -z "${NEW_BIN:-}" ]; then
  swift build -c release --product dolbom >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  NEW_BIN="$(swift build -c release --show-bin-path)/dolbom"
fi

# run SIDE KIND → appends "seconds rss_kb" to $work/SIDE-KIND.times; outputs in $work/out-SIDE-KIND
run() {
  local side="$1" kind="$2" bin input state=()
  bin=$([ "$side" = base ] && echo "$BASE_BIN" || echo "$NEW_BIN")
  input=$([ "$kind" = plus10 ] && echo "$grown_csv" || echo "$today")
  [ "$kind" = first ] && rm -f "$work/$side.db" "$work/$side.db-wal" "$work/$side.db-shm" "$work/$side.db.lock"
  [ "$kind" = stateless ] || state=(--state "$work/$side.db")
  rm -rf "$work/out-$side-$kind"
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" run -q --as-of 2024-07-15 "${state[@]}" \
    --out "$work/out-$side-$kind" "$input" >/dev/null 2>"$work/err-$side-$kind" || true
  cat "$work/t" >>"$work/$side-$kind.times"
  read -r s m <"$work/t"
  printf '%-4s %-9s %7s s %6d MB\n' "$side" "$kind" "$s" "$((m / 1024))"
}
# dump SIDE → what `status` prints (without the file name and run times), the state's row counts and a
# digest of the stored submissions and households (run numbers and times left out)
dump() {
  "$([ "$1" = base ] && echo "$BASE_BIN" || echo "$NEW_BIN")" status --as-of 2024-07-15 --state "$work/$1.db" 2>&1 \
    | sed 1d | grep -v '^    #' || true
  for t in submission household run_input appointment issued_id call_outcome; do
    echo "$t: $(sqlite3 "$work/$1.db" "SELECT COUNT(*) FROM $t" 2>/dev/null || echo -)"
  done
  sqlite3 "$work/$1.db" "SELECT fingerprint, content_hash, applicant_id, payload, file, row FROM submission ORDER BY 1" | sha256sum
  sqlite3 "$work/$1.db" "SELECT applicant_id, first_submitted_at, status, attempts FROM household ORDER BY 1" | sha256sum
}

kinds=(stateless first second plus10)
rm -f "$work"/*.times
same=yes
for r in $(seq "$rounds"); do
  echo "round $r"
  for side in base new; do
    for kind in "${kinds[@]}"; do run "$side" "$kind"; done
  done
  for kind in "${kinds[@]}"; do
    diff -r -q "$work/out-base-$kind" "$work/out-new-$kind" >/dev/null || { same=no; echo "outputs differ: $kind"; }
  done
  [ "$(dump base)" = "$(dump new)" ] || { same=no; echo "state differs"; diff <(dump base) <(dump new) || true; }
done

median() { awk '{print $'"$2"'}' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "$rows rows ($grown in plus10), $rounds rounds, medians; base $base_ref, new = working tree"
echo "| run | base s | base MB | new s | new MB | new/base |"
echo "|---|---:|---:|---:|---:|---:|"
for kind in "${kinds[@]}"; do
  bs=$(median "$work/base-$kind.times" 1) bm=$(median "$work/base-$kind.times" 2)
  ns=$(median "$work/new-$kind.times" 1) nm=$(median "$work/new-$kind.times" 2)
  echo "| $kind | $bs | $((bm / 1024)) | $ns | $((nm / 1024)) | $(awk "BEGIN {printf \"%.2f\", $ns / $bs}") |"
done
echo
echo "| ratio to the stateless run | base | new |"
echo "|---|---:|---:|"
for kind in first second plus10; do
  b=$(awk "BEGIN {printf \"%.2f\", $(median "$work/base-$kind.times" 1) / $(median "$work/base-stateless.times" 1)}")
  n=$(awk "BEGIN {printf \"%.2f\", $(median "$work/new-$kind.times" 1) / $(median "$work/new-stateless.times" 1)}")
  echo "| $kind | $b | $n |"
done
echo
echo "outputs, status and row counts identical between the builds: $same"
