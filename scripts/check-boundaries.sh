#!/usr/bin/env bash
# The house rule (docs: ../shared/GUIDE.md, "one room for the machinery"): raw pointers, unchecked
# sendability, exclusivity escapes, bit casts and prefetching live in Sources/DolbomRuntime behind safe
# APIs, and only DolbomRuntime imports the C shims (CLibCSV, CDolbomSystem). Fails when a banned word
# appears in the domain code: DolbomNormalize, DolbomSchedule, DolbomGeo, DolbomFacility, and DolbomCore's Model, Normalize,
# Pipeline, Resolve, Plan, Write and State folders.
#
# Domain code reads bytes through the runtime's safe views (`Span`s from String.withUTF8Span and ByteText,
# OutputSpan writers), asks for array elements ahead by index (ReadAhead), and hands arrays to C through
# CArrays; no domain file holds any of the words below.
#
# PROJ (CProj) is a system library of the domain, not one of our shims: its projection maths belong to the
# geo module, so DolbomRuntime (which every module and fuzz target links) does not pull in libproj. It is
# imported in one file, Sources/DolbomGeo/UTMKProjection.swift, which hands its coordinate arrays to
# proj_trans_generic through DolbomRuntime's CArrays.
#
#   scripts/check-boundaries.sh            check (exit 1 on a violation)
#   scripts/check-boundaries.sh --count    the uses by module and folder, for every module (no check)
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='Unsafe|@exclusivity|@unchecked Sendable|nonisolated\(unsafe\)|unsafeBitCast|[Pp]refetch'
domain=(Sources/DolbomNormalize Sources/DolbomSchedule Sources/DolbomGeo Sources/DolbomFacility
        Sources/DolbomCore/Model Sources/DolbomCore/Normalize Sources/DolbomCore/Pipeline Sources/DolbomCore/Resolve
        Sources/DolbomCore/Plan Sources/DolbomCore/Write Sources/DolbomCore/State)
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
found=$({ grep -rnE "$pattern" "${domain[@]}" --include='*.swift' 2>/dev/null || true; } | sort)
if [ -n "$found" ]; then
  echo "raw pointers, unchecked sendability, exclusivity escapes or prefetch in the domain code;" \
       "move the mechanism into DolbomRuntime behind a safe API:" >&2
  echo "$found" | head -20 | sed 's/^/    /' >&2
  status=1
fi
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
[ "$status" = 0 ] && echo "boundaries: ok"
exit "$status"
