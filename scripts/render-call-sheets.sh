#!/usr/bin/env bash
# Renders call sheets (HTML) to A4 PDF and PNG with headless Chromium, to check how they print.
#   scripts/render-call-sheets.sh [OUTDIR]    default: out/demo (run scripts/demo.sh first)
# Writes OUTDIR/call-sheets-rendered/<sheet>.pdf and <sheet>-1.png (first page) for the first two sheets, and,
# when the run kept a state file with visits booked, OUTDIR/visits-rendered/ for the first visit page (VISITS=n for more).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo}"
sheets="$out/call-sheets"
[ -d "$sheets" ] || { echo "no $sheets; run scripts/demo.sh (or dolbom run with a roster) first" >&2; exit 66; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)  # no -q: an early exit fails the pipe
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

dest="$out/call-sheets-rendered"
mkdir -p "$dest"
count=0
for html in $(ls "$sheets"/*.html | grep -v '/index.html$' | head -n "${SHEETS:-2}"); do
  name="$(basename "$html" .html)"
  chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$dest/$name.pdf" "file://$(realpath "$html")" >/dev/null 2>&1
  pdftoppm -png -r 80 -f 1 -l 1 "$dest/$name.pdf" "$dest/$name"
  pages=$(pdfinfo "$dest/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$dest/$name.pdf" 2>/dev/null | awk -F': *' '/^Page size:/ {print $2}')
  echo "$name: $pages page(s), $size → $dest/$name.pdf, $(ls "$dest/$name"-*1.png)"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "no call sheets in $sheets" >&2; exit 66; }

# One page per facility per day of visits (visits/, written with a state file).
if [ -d "$out/visits" ]; then
  vdest="$out/visits-rendered"
  mkdir -p "$vdest"
  for html in $(ls "$out/visits"/*.html | grep -v '/index.html$' | head -n "${VISITS:-1}"); do
    name="$(basename "$html" .html)"
    chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
      --print-to-pdf="$vdest/$name.pdf" "file://$(realpath "$html")" >/dev/null 2>&1
    pdftoppm -png -r 80 -f 1 -l 1 "$vdest/$name.pdf" "$vdest/$name"
    pages=$(pdfinfo "$vdest/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    echo "$name: $pages page(s) → $vdest/$name.pdf, $(ls "$vdest/$name"-*1.png)"
  done
fi
