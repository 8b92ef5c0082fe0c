#!/usr/bin/env bash
# libFuzzer targets (docs/fuzzing.md): builds one target (or all) with -sanitize=fuzzer,address, compiling the
# module sources it needs directly with swiftc (nothing of the normal `swift build` is touched; binaries and
# corpora are cached in .build-fuzz/), and runs it for SECONDS on its corpus (seeded from samples/ and fuzz/seeds/).
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]     one target
#   scripts/fuzz.sh all SECONDS [libFuzzer flags...]        every target in turn, SECONDS each
#   scripts/fuzz.sh list                                    the targets
# Exits non-zero when a target crashes, fails a check or times out (the input is kept in
# .build-fuzz/artifacts/TARGET/); the last line per target is "fuzz: TARGET SECONDS s, N executions, ...".
# FUZZ_TIMEOUT (default 60) is libFuzzer's -timeout per input, in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swiftc >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swiftc ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

targets=(csv-reader address phone name child-age timestamp consent contact-window care-type flags language)
work=.build-fuzz
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
[ $# -ge 1 ] || usage
if [ "$1" = list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[ $# -ge 2 ] || usage
target="$1" seconds="$2"
shift 2
if [ "$target" != all ] && [[ ! " ${targets[*]} " =~ " $target " ]]; then
  echo "fuzz: unknown target '$target' (scripts/fuzz.sh list)" >&2; exit 64
fi
[ -f /usr/include/csv.h ] || bash scripts/setup.sh

mkdir -p "$work/lib" "$work/bin" "$work/obj"
# -O: the checks (precondition) stay on; -g for readable stack traces.
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
runtime_sources=$(find Sources/DolbomRuntime -name '*.swift' | sort)
normalize_sources=$(find Sources/DolbomNormalize -name '*.swift' | sort)
# The C shims as modules: libcsv's module map, and one for the system shim (SwiftPM makes it for `swift build`).
shims=(-I Sources/CLibCSV -I "$work/cshim")
read_sources=(Sources/DolbomCore/Read/{CSVRecordStream,HeaderSearch,ExportReader,FileProbe,SourceEncoding,RawRecord,HeaderMapping}.swift
              Sources/DolbomCore/Diagnostics/Diagnostic.swift fuzz/stubs/DolbomConfiguration.swift)

# quiet CMD...: runs a build command, its output (gold's many "cannot export local symbol" warnings about
# the sanitizer's helpers) shown only when it fails.
quiet() { "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; return 1; }; }

# stale OUTPUT INPUTS...: whether OUTPUT is missing or older than any input (or than this script).
stale() {
  local out="$1"; shift
  [ -f "$out" ] || return 0
  for f in "$@" "$0"; do [ "$f" -nt "$out" ] && return 0; done
  return 1
}

build_libraries() {
  # DolbomRuntime (with the system shim) and DolbomNormalize, instrumented, as static libraries with their
  # modules; the checksum stand-in (fuzz/stubs).
  # shellcheck disable=SC2086
  if stale "$work/lib/libDolbomRuntime.a" $runtime_sources Sources/CDolbomSystem/dolbom_system.c; then
    echo "fuzz: building DolbomRuntime (instrumented)…" >&2
    mkdir -p "$work/cshim"
    printf 'module CDolbomSystem {\n  header "%s"\n  export *\n}\n' "$PWD/Sources/CDolbomSystem/include/dolbom_system.h" \
      >"$work/cshim/module.modulemap"
    quiet clang -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CDolbomSystem/include \
      -c Sources/CDolbomSystem/dolbom_system.c -o "$work/obj/dolbom_system.o"
    rm -f "$work/lib/libCDolbomSystem.a"
    quiet ar rcs "$work/lib/libCDolbomSystem.a" "$work/obj/dolbom_system.o"
    # shellcheck disable=SC2086
    # The runtime declares borrowed views (`@_lifetime`), as Package.swift builds it.
    quiet swiftc "${flags[@]}" "${shims[@]}" -enable-experimental-feature Lifetimes \
      -module-name DolbomRuntime -emit-library -static -emit-module \
      -emit-module-path "$work/lib/DolbomRuntime.swiftmodule" -o "$work/lib/libDolbomRuntime.a" $runtime_sources
  fi
  # shellcheck disable=SC2086
  if stale "$work/lib/libDolbomNormalize.a" $normalize_sources "$work/lib/libDolbomRuntime.a"; then
    echo "fuzz: building DolbomNormalize (instrumented)…" >&2
    # shellcheck disable=SC2086
    quiet swiftc "${flags[@]}" "${shims[@]}" -I "$work/lib" -module-name DolbomNormalize -emit-library -static -emit-module \
      -emit-module-path "$work/lib/DolbomNormalize.swiftmodule" -o "$work/lib/libDolbomNormalize.a" $normalize_sources
  fi
  if stale "$work/lib/libCrypto.a" fuzz/stubs/Crypto.swift; then
    quiet swiftc "${flags[@]}" -module-name Crypto -emit-library -static -emit-module \
      -emit-module-path "$work/lib/Crypto.swiftmodule" -o "$work/lib/libCrypto.a" fuzz/stubs/Crypto.swift
  fi
}

build() {
  local t="$1" bin="$work/bin/$1"
  build_libraries
  # shellcheck disable=SC2086
  if [ "$t" = csv-reader ]; then
    if stale "$bin" fuzz/targets/csv-reader.swift "${read_sources[@]}" "$work/lib/libDolbomNormalize.a" "$work/lib/libDolbomRuntime.a"; then
      echo "fuzz: building $t…" >&2
      quiet swiftc "${flags[@]}" "${shims[@]}" -module-name FuzzCSVReader -I "$work/lib" -L "$work/lib" \
        fuzz/targets/csv-reader.swift "${read_sources[@]}" -lDolbomNormalize -lDolbomRuntime -lCDolbomSystem -lCrypto -lcsv \
        -o "$bin"
    fi
  else
    local define
    define="FUZZ_$(echo "$t" | tr 'a-z-' 'A-Z_')"
    if stale "$bin" fuzz/targets/normalizer.swift "$work/lib/libDolbomNormalize.a" "$work/lib/libDolbomRuntime.a"; then
      echo "fuzz: building $t…" >&2
      quiet swiftc "${flags[@]}" "${shims[@]}" -D "$define" -module-name "Fuzz_$(echo "$t" | tr '-' '_')" -I "$work/lib" \
        -L "$work/lib" fuzz/targets/normalizer.swift -lDolbomNormalize -lDolbomRuntime -lCDolbomSystem -lcsv -o "$bin"
    fi
  fi
}

run() {
  local t="$1" secs="$2"; shift 2
  build "$t"
  local corpus="$work/corpus/$t" seeds="$work/seeds/$t" artifacts="$work/artifacts/$t" log="$work/$t.log"
  mkdir -p "$corpus" "$artifacts"
  [ -d "$seeds" ] && [ "$seeds" -nt scripts/fuzz_seeds.py ] || python3 scripts/fuzz_seeds.py "$work/seeds"
  local extra=()
  [ -d "fuzz/seeds/$t" ] && extra+=("fuzz/seeds/$t")
  echo "fuzz: $t for $secs s (corpus $corpus)" >&2
  local status=0
  # New inputs go to the first folder (the cached corpus); the seed folders are only read.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=2}" "$work/bin/$t" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-60}" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$corpus" "$seeds" "${extra[@]}" >"$log" 2>&1 || status=$?
  local execs cov slowest
  execs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -1)
  slowest=$(awk '/stat::slowest_unit_time_sec:/ {print $2}' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t FAILED (exit $status) after ${execs:-?} executions; input in $artifacts/, log $log" >&2
    return "$status"
  fi
  echo "fuzz: $t $secs s, ${execs:-?} executions, coverage ${cov:-?} edges, slowest input ${slowest:-?} s, corpus $(find "$corpus" -type f | wc -l) files, no crash"
}

if [ "$target" = all ]; then
  failed=()
  for t in "${targets[@]}"; do run "$t" "$seconds" "$@" || failed+=("$t"); done
  if [ ${#failed[@]} -gt 0 ]; then echo "fuzz: failed: ${failed[*]}" >&2; exit 1; fi
else
  run "$target" "$seconds" "$@"
fi
