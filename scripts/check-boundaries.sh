#!/usr/bin/env bash
# The house rule (docs: ../shared/GUIDE.md, "one room for the machinery"): raw pointers, unchecked
# sendability, exclusivity escapes, bit casts and prefetching live in Sources/DolbomRuntime behind safe
# APIs, and only DolbomRuntime imports the C shims (CLibCSV, CDolbomSystem). Fails when a banned word
# appears in the domain code: DolbomNormalize, DolbomSchedule, DolbomGeo, DolbomFacility, and DolbomCore's Model, Normalize,
# Resolve, Plan, Write and State folders.
#
# PROJ (CProj) is a system library of the domain, not one of our shims: its projection maths belong to the
# geo module, so DolbomRuntime (which every module and fuzz target links) does not pull in libproj. It is
# imported in one file, Sources/DolbomGeo/UTMKProjection.swift, whose buffer hand-over to proj_trans is
# listed in the pending file like any other use.
#
# scripts/boundaries-pending.txt lists the domain files that still hold such uses, each with the number
# it holds today: a listed file may go down, never up, and an unlisted file may hold none. The list only
# shrinks (remove a line once its file is clean; the check says when).
#
#   scripts/check-boundaries.sh            check (exit 1 on a violation)
#   scripts/check-boundaries.sh --count    the uses by module and folder, for every module (no check)
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='Unsafe|@exclusivity|@unchecked Sendable|nonisolated\(unsafe\)|unsafeBitCast|[Pp]refetch'
domain=(Sources/DolbomNormalize Sources/DolbomSchedule Sources/DolbomGeo Sources/DolbomFacility Sources/DolbomCore/Model Sources/DolbomCore/Normalize
        Sources/DolbomCore/Resolve Sources/DolbomCore/Plan Sources/DolbomCore/Write Sources/DolbomCore/State)
pending=scripts/boundaries-pending.txt

uses() { { grep -oE "$pattern" "$1" 2>/dev/null || true; } | wc -l | tr -d ' '; }
count() {  # PATTERN DIR → matches in the Swift files below DIR
  { grep -rohE "$1" "$2" --include='*.swift' 2>/dev/null || true; } | wc -l | tr -d ' '
}

if [ "${1:-}" = "--count" ]; then
  printf '| module or folder | files with uses | Unsafe | prefetch | other escapes |\n|---|---:|---:|---:|---:|\n'
  for dir in Sources/*/ Sources/DolbomCore/*/; do
    dir="${dir%/}"
    [ "$dir" = Sources/DolbomCore ] && continue
    files=$({ grep -rlE "$pattern" "$dir" --include='*.swift' 2>/dev/null || true; } | wc -l | tr -d ' ')
    unsafe=$(count 'Unsafe' "$dir")
    prefetch=$(count '[Pp]refetch' "$dir")
    other=$(count '@exclusivity|@unchecked Sendable|nonisolated\(unsafe\)|unsafeBitCast' "$dir")
    printf '| %s | %s | %s | %s | %s |\n' "${dir#Sources/}" "$files" "$unsafe" "$prefetch" "$other"
  done
  exit 0
fi

status=0
declare -A allowed=()
if [ -f "$pending" ]; then
  while read -r file count; do
    case "$file" in ''|'#'*) continue ;; esac
    allowed["$file"]="$count"
  done < "$pending"
fi
while IFS= read -r file; do
  n=$(uses "$file")
  limit="${allowed[$file]:-0}"
  if [ "$n" -gt "$limit" ]; then
    echo "$file: $n uses of raw pointers, unchecked sendability, exclusivity escapes or prefetch (allowed: $limit);" \
         "move the mechanism into DolbomRuntime behind a safe API" >&2
    grep -nE "$pattern" "$file" | head -5 | sed 's/^/    /' >&2
    status=1
  fi
done < <({ grep -rlE "$pattern" "${domain[@]}" --include='*.swift' 2>/dev/null || true; } | sort)
for file in "${!allowed[@]}"; do
  if [ ! -f "$file" ] || [ "$(uses "$file")" -lt "${allowed[$file]}" ]; then
    echo "$pending: $file now holds $( [ -f "$file" ] && uses "$file" || echo 0) (listed: ${allowed[$file]}); lower or remove its line" >&2
    status=1
  fi
done
shims=$(grep -rlE '^import (CLibCSV|CDolbomSystem)' Sources --include='*.swift' | grep -v '^Sources/DolbomRuntime/' || true)
if [ -n "$shims" ]; then
  echo "only DolbomRuntime imports the C shims; also imported in:" >&2
  echo "$shims" | sed 's/^/    /' >&2
  status=1
fi
proj=$(grep -rlE '^import CProj' Sources --include='*.swift' | grep -v '^Sources/DolbomGeo/UTMKProjection.swift$' || true)
if [ -n "$proj" ]; then
  echo "only Sources/DolbomGeo/UTMKProjection.swift imports CProj (PROJ); also imported in:" >&2
  echo "$proj" | sed 's/^/    /' >&2
  status=1
fi
[ "$status" = 0 ] && echo "boundaries: ok ($(grep -cvE '^(#|$)' "$pending" 2>/dev/null || echo 0) files still listed in $pending)"
exit "$status"
