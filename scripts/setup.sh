#!/usr/bin/env bash
# Installs what dolbom needs on a fresh Debian/Ubuntu machine: libcsv (libcsv-dev), SQLite (libsqlite3-dev) and
# PROJ (libproj-dev: UTM-K to WGS84 for the official address file; proj-bin's cs2cs makes the geo test fixture).
# Swift itself is expected on PATH (swift.org toolchain). Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
if [ ! -f /usr/include/csv.h ]; then need+=(libcsv-dev); fi
if [ ! -f /usr/include/sqlite3.h ]; then need+=(libsqlite3-dev); fi
if [ ! -f /usr/include/proj.h ]; then need+=(libproj-dev); fi
if ! command -v cs2cs >/dev/null 2>&1; then need+=(proj-bin); fi

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: add /opt/swift/usr/bin to PATH" >&2
  else
    echo "setup: Swift 6 toolchain not found on PATH (https://swift.org/install)" >&2
  fi
  exit 1
fi
