#!/usr/bin/env bash
# Renders report.html to A4 PDF and PNG with headless Chromium, as it prints, and fails when the page logs a
# console error, asks for anything (it must be self-contained) or needs more than two A4 pages.
#   scripts/render-report.sh [OUTDIR]    default: out/demo (run scripts/demo.sh first)
# Writes OUTDIR/report-rendered/report.pdf, report-1.png, report-2.png (one per page) and report-console.log.
# Installs Debian's chromium, fonts-noto-cjk and poppler-utils when missing (apt-get, as scripts/setup.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo}"
page="$out/report.html"
[ -f "$page" ] || { echo "no $page; run scripts/demo.sh (or dolbom run) first" >&2; exit 66; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)  # no -q: an early exit fails the pipe
if [ ${#need[@]} -gt 0 ]; then
  echo "render-report: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

dest="$out/report-rendered"
mkdir -p "$dest"
rm -f "$dest"/report*.png "$dest/report.pdf"
log="$dest/report-console.log"
url="file://$(realpath "$page")"
# The page is opened offline-only in spirit: any request it made would show up in the log below.
chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer --enable-logging=stderr --v=0 \
  --print-to-pdf="$dest/report.pdf" "$url" 2>"$log" >/dev/null || true
[ -s "$dest/report.pdf" ] || { echo "render-report: chromium wrote no PDF (see $log)" >&2; exit 1; }
pdftoppm -png -r 90 "$dest/report.pdf" "$dest/report"
pages=$(pdfinfo "$dest/report.pdf" | awk '/^Pages:/ {print $2}')
size=$(pdfinfo "$dest/report.pdf" | awk -F': *' '/^Page size:/ {print $2}')
echo "report: $pages page(s), $size → $dest/report.pdf, $(ls "$dest"/report-*.png | tr '\n' ' ')"

fail=0
# A file:// page fails to load a missing picture without a console line: references are checked in the text.
if grep -Eio '(src|href)=|url\(|@import|https?:' "$page" | sort -u >&2; then
  echo "render-report: the page refers to something outside itself (above)" >&2
  fail=1
fi
# Console messages (script errors, failed loads) are logged as CONSOLE lines; a blocked or failed request as net errors.
if grep -E "CONSOLE|Uncaught|Failed to load|net::ERR_" "$log" >&2; then
  echo "render-report: the page logged console errors or requests (above; $log)" >&2
  fail=1
fi
if [ "$pages" -gt 2 ]; then
  echo "render-report: $pages pages; the report must fit on two A4 pages" >&2
  fail=1
fi
exit $fail
