#!/usr/bin/env bash
# Benchmark of the official address file (geo.address_db): generates one 시도's file in the 위치정보요약DB layout
# (default 600,000 lines, CP949) and a form export of 100,000 households whose addresses come from it
# (scripts/gen_geo_bench.py), then runs `dolbom run` on the export with the file and without it, alternating,
# BENCH_RUNS times each (default 3). Reports the medians of wall time, the largest peak RSS, the ratio of the
# two runs, and, from the run with the file, the stages `--verbose` prints for it (loading the file, checking
# the addresses) and the outcome counts (found, corrected, not found).
#   scripts/bench-geo.sh [LINES [ROWS]]
# BENCH_CONFIGURATION=debug measures the debug build (for a quick look; figures to compare are release's).
# Results go to stdout as Markdown (copy into docs/performance.md with the date and machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }

lines="${1:-600000}"
rows="${2:-100000}"
work="${DOLBOM_BENCH_DIR:-.build-bench}/geo_${lines}_${rows}"
mkdir -p "$work"
log="$(mktemp)"
configuration="${BENCH_CONFIGURATION:-release}"
swift build -c "$configuration" --product dolbom >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
bin="$(swift build -c "$configuration" --show-bin-path)/dolbom"

[ -f "$work/export.csv" ] || python3 scripts/gen_geo_bench.py "$work" --lines "$lines" --rows "$rows" >/dev/null
printf 'geo:\n  address_db: %s\n' "$work/entrc_chungnam.txt" >"$work/with.yaml"
printf 'call_list_phones: full\n' >"$work/without.yaml"
cat "$work/entrc_chungnam.txt" "$work/export.csv" >/dev/null  # both sides read from the page cache

# measure CMD... → "seconds max_rss_kb"
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  cat "$work/time.txt"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

runs="${BENCH_RUNS:-3}"
with_s=(); without_s=(); with_rss=0; without_rss=0
for ((k = 0; k < runs; k++)); do
  read -r s rss < <(measure "$bin" run -q --config "$work/without.yaml" --as-of 2024-07-15 --out "$work/out_without" "$work/export.csv")
  without_s+=("$s"); [ "$rss" -gt "$without_rss" ] && without_rss="$rss"
  read -r s rss < <(measure "$bin" run -q --config "$work/with.yaml" --as-of 2024-07-15 --out "$work/out_with" "$work/export.csv")
  with_s+=("$s"); [ "$rss" -gt "$with_rss" ] && with_rss="$rss"
done
# One more run with the file, --verbose, for its stage lines.
"$bin" run -v --config "$work/with.yaml" --as-of 2024-07-15 --out "$work/out_with" "$work/export.csv" >/dev/null 2>"$work/verbose.txt" || true

python3 - "$lines" "$rows" "$(median "${without_s[@]}")" "$without_rss" "$(median "${with_s[@]}")" "$with_rss" \
  "$work/verbose.txt" "$work/out_with/applicants.jsonl" "$work/out_without/applicants.jsonl" <<'PY'
import json, re, sys
lines, rows, without_s, without_rss, with_s, with_rss = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), \
    int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
verbose = open(sys.argv[7], encoding='utf-8').read()
def stage(name):
    m = re.search(r'^\s*' + re.escape(name) + r'\s+([\d.]+) s .*peak (\d+) MB', verbose, re.M)
    return (float(m.group(1)), int(m.group(2))) if m else (float('nan'), 0)
counts = {'building': 0, 'eupmyeondong': 0, 'sigungu': 0, None: 0}
verified = found_issue = corrected = 0
for line in open(sys.argv[8], encoding='utf-8'):
    h = json.loads(line)
    a = h['address'] or {}
    counts[(a.get('location') or {}).get('precision')] += 1
    verified += bool(a.get('verified'))
    codes = [i['code'] for i in h['issues']]
    found_issue += 'address_not_found' in codes
    corrected += 'address_road_corrected' in codes
load_s, load_mb = stage('address file')
check_s, _ = stage('address check')
print(f'| address file lines | export rows | run without file s | peak MB | run with file s | peak MB | ratio | '
      f'load file s (peak MB after) | check addresses s |')
print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
print(f'| {lines:,} | {rows:,} | {without_s:.2f} | {without_rss/1024:.0f} | {with_s:.2f} | {with_rss/1024:.0f} | '
      f'{with_s/without_s:.2f}x | {load_s:.2f} ({load_mb}) | {check_s:.2f} |')
print()
print(f'households: verified {verified:,}; address_road_corrected {corrected:,}; address_not_found {found_issue:,}; '
      f'location precision building {counts["building"]:,}, eupmyeondong {counts["eupmyeondong"]:,}, '
      f'sigungu {counts["sigungu"]:,}, none {counts[None]:,}')
PY
