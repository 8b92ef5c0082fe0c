#!/usr/bin/env bash
# End-to-end benchmark: `dolbom run` on generated exports of N rows, against a plain libcsv pass over the
# same files measured in the same invocation. Reports wall time, rows/s, peak RSS and the ratio. Each size is
# run on two inputs, side by side: one Google Forms file (`gen_bulk.py`), and the three files a city sends
# (`gen_city_exports.py`: Google-style UTF-8, Excel CP949, a wide one-row-per-family file, with
# resubmissions within and across them). BENCH_CITIES=0 leaves the second out (its generator takes about
# 4 minutes of CPU per million rows, cached in the bench folder).
#   scripts/bench.sh [--state] [ROWS ...]        default: 100000 300000
# With --state, each size is also run as the nightly cron job's first run (a fresh state file: every
# submission is stored), on its own row of the table.
# BENCH_RUNS=N (default 3) runs the libcsv pass and dolbom N times each, alternating, and reports the median
# of each and the largest peak RSS: a virtual machine's speed drifts by 20% within minutes, and one run of
# each can land on either side of a drift.
# The system-time column is dolbom's median kernel CPU: on a virtual machine that returns freed memory to its
# host, fresh pages cost several times what they cost elsewhere (docs/performance.md, "The machine"), and this
# column shows it apart from the computing.
# Results go to stdout as a Markdown table (copy into docs/performance.md with the date and machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }

work="${DOLBOM_BENCH_DIR:-.build-bench}"
mkdir -p "$work"
gcc -O2 -o "$work/csvcount" scripts/bench/csvcount.c -lcsv
log="$(mktemp)"
swift build -c release >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
bin="$(swift build -c release --show-bin-path)/dolbom"

with_state=0
if [ "${1:-}" = "--state" ]; then with_state=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 300000)

# measure LABEL CMD... → prints "seconds max_rss_kb system_seconds"
measure() {
  local t="$work/time.txt"
  /usr/bin/time -f "%e %M %S" -o "$t" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  cat "$t"
}

# BENCH_RUNS runs (default 3) of dolbom on INPUT into OUT, each after a libcsv pass over FILES: fills bases,
# runs_s and sys_s (seconds of each run) and rss_max (the largest peak RSS, KB).
alternate() {  # OUT INPUT FILES...
  local out="$1" input="$2" s rss sy k
  shift 2
  bases=(); runs_s=(); sys_s=(); rss_max=0
  for ((k = 0; k < ${BENCH_RUNS:-3}; k++)); do
    read -r s _ < <(measure "$work/csvcount" "$@")
    bases+=("$s")
    read -r s rss sy < <(measure "$bin" run -q --as-of 2024-07-15 --out "$out" "$input" || true)
    runs_s+=("$s"); sys_s+=("$sy")
    [ -n "$rss" ] && [ "$rss" -gt "$rss_max" ] && rss_max="$rss"
  done
}

echo "| rows | file MB | libcsv pass s | dolbom run s | rows/s | ratio to libcsv | peak RSS MB | dolbom system s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  csv="$work/bulk_$n.csv"
  [ -f "$csv" ] || python3 scripts/gen_bulk.py "$n" "$csv" --seed 7 >/dev/null
  mb=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1e6:.1f}')" "$csv")
  # warm the page cache so both sides read from memory
  cat "$csv" >/dev/null
  alternate "$work/out_$n" "$csv" "$csv"
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  base_s=$(median "${bases[@]}")
  report() {
    python3 - "$@" <<'PY'
import sys
label, n, mb, base, run, rss, system = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
ratio = run / base if base > 0 else float("inf")
print(f"| {n:,}{label} | {mb} | {base:.2f} | {run:.2f} | {n/run:,.0f} | {ratio:.1f}x | {rss/1024:.0f} | {system:.2f} |")
PY
  }
  report "" "$n" "$mb" "$base_s" "$(median "${runs_s[@]}")" "$rss_max" "$(median "${sys_s[@]}")"
  if [ "${BENCH_CITIES:-1}" = 1 ]; then
    city="$work/cities_$n"
    [ -f "$city/exports/dreamstart_family_form.csv" ] || python3 scripts/gen_city_exports.py "$n" "$city" --seed 7 2>/dev/null
    files=("$city"/exports/*.csv)
    rows=$(( $(cat "${files[@]}" | python3 -c "import sys; print(sum(1 for _ in sys.stdin.buffer))") ))
    city_mb=$(python3 -c "import os,sys; print(f'{sum(os.path.getsize(f) for f in sys.argv[1:])/1e6:.1f}')" "${files[@]}")
    cat "${files[@]}" >/dev/null
    alternate "$work/out_city_$n" "$city/exports" "${files[@]}"
    # rows: physical lines (a quoted cell's line break counts); the generator's count is within a percent.
    report " (city exports, 3 files, ${rows} lines)" "$n" "$city_mb" "$(median "${bases[@]}")" "$(median "${runs_s[@]}")" \
      "$rss_max" "$(median "${sys_s[@]}")"
  fi
  if [ "$with_state" = 1 ]; then
    rm -f "$work/state_$n.db" "$work/state_$n.db-wal" "$work/state_$n.db-shm"
    read -r run_s rss_kb run_sys < <(measure "$bin" run -q --as-of 2024-07-15 --state "$work/state_$n.db" --out "$work/out_state_$n" "$csv" || true)
    report " (first run with --state)" "$n" "$mb" "$base_s" "$run_s" "$rss_kb" "$run_sys"
  fi
done
