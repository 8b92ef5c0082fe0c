#!/usr/bin/env bash
# The demo command: installs what is missing, builds a release binary, and runs dolbom on samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
bash scripts/setup.sh
echo "demo: building (release)…" >&2
log="$(mktemp)"
if ! swift build -c release >"$log" 2>&1; then cat "$log" >&2; exit 1; fi
rm -f "$log"
bin="$(swift build -c release --show-bin-path)/dolbom"
out="${DOLBOM_DEMO_OUT:-out/demo}"
echo "demo: $bin run --config samples/dolbom.yaml --as-of 2024-07-15 --out $out samples/exports" >&2
"$bin" run --config samples/dolbom.yaml --as-of 2024-07-15 --out "$out" samples/exports
echo
echo "Outputs in $out/:"
ls -l "$out"
echo
# show_csv FILE COLUMNS: the header and first five rows, phone numbers masked (the demo prints to a terminal).
show_csv() {
  python3 - "$1" "$2" <<'PY' || head -n 6 "$1"
import csv, re, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for i, row in enumerate(csv.reader(f)):
        if i > 5: break
        print(" | ".join(re.sub(r"(\d{2,3})-(\d{3,4})-(\d{4})", r"\1-****-\3", c) for c in row[:int(sys.argv[2])]))
PY
}
echo "Call list (top 5, phone numbers masked here):"
show_csv "$out/call-list.csv" 8
echo
echo "Schedule (first 5 appointments; phone numbers masked here):"
show_csv "$out/schedule.csv" 10
echo
if [ -f "$out/facility-matches.csv" ]; then
  echo "Facility suggestions (facility-matches.csv: household, order, facility, type, distance, 빈자리; first 5 rows):"
  python3 - "$out/facility-matches.csv" <<'PY' || head -n 6 "$out/facility-matches.csv"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for i, row in enumerate(csv.reader(f)):
        if i > 5: break
        print(" | ".join([row[0], row[3], row[5], row[6], row[9], row[11]]))
PY
  echo "  (also on every call sheet, in call-list.csv's last columns, applicants.jsonl 'suggestions'; rows set aside: facility-rejects.csv)"
  echo
fi
echo "Call sheets: $(ls "$out/call-sheets" | grep -vc index.html) pages in $out/call-sheets/ (open index.html, or print to PDF/PNG with scripts/render-call-sheets.sh $out)"
echo "Report:      $out/report.html (one page for the team lead; to PDF/PNG with scripts/render-report.sh $out)"
echo "Calendars:   $(ls "$out/calendars" | tr '\n' ' ')in $out/calendars/"
