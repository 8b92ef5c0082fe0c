#!/usr/bin/env bash
# Builds dolbom as a release binary with the Swift standard library and Foundation linked in, so that it runs on a
# server without the Swift toolchain, and installs it as $DESTDIR$PREFIX/bin/dolbom: by default
# /usr/local/bin/dolbom, the path the README's cron line runs.
#
#   sudo scripts/install.sh                      # /usr/local/bin/dolbom
#   PREFIX=/opt/dolbom scripts/install.sh        # /opt/dolbom/bin/dolbom
#   DESTDIR=/tmp/pkg scripts/install.sh          # /tmp/pkg/usr/local/bin/dolbom (for packaging)
#
# The binary still uses three Debian libraries at run time, installed with their -dev packages by
# scripts/setup.sh: libcsv3, libsqlite3-0 and libproj25 (on a server without a build,
# `apt-get install libcsv3 libsqlite3-0 libproj25`).
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"

bash scripts/setup.sh
swift build -c release --static-swift-stdlib --product dolbom
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/dolbom"

# The check that it needs no toolchain: no Swift runtime library among its shared libraries, and it starts with an
# empty environment (no PATH, no LD_LIBRARY_PATH pointing into the toolchain).
if ldd "$bin" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_FoundationICU'; then
  echo "install: $bin still needs the Swift runtime libraries above; not installed" >&2
  exit 1
fi
if ! version="$(env -i "$bin" --version)"; then
  echo "install: $bin does not start without the toolchain's environment; not installed" >&2
  exit 1
fi

target="$DESTDIR$PREFIX/bin"
install -d "$target"
install -m 0755 "$bin" "$target/dolbom"
echo "install: dolbom $version -> $target/dolbom" >&2
