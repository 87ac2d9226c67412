#!/usr/bin/env bash
# tests/abi/update-baseline.sh: regenerates the committed ABI baselines the 'abidiff' test
# compares against (tests/abi/libpossession.abi, tests/abi/libpossession-sqlite.abi,
# tests/abi/libpossession-pg.abi). Run it
# when a release fixes the ABI, then commit the .abi files.
#
# usage: bash tests/abi/update-baseline.sh [BUILDDIR]
#   BUILDDIR  an existing build with debug info to dump; without it a fresh debugoptimized
#             build of the library alone is made in a temporary directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
tmp=

cleanup() {
    [[ -z $tmp ]] || rm -rf "$tmp"
}
trap cleanup EXIT

# The baseline describes the library as the project ships it: debugoptimized, SQLite store on,
# the PostgreSQL store when libpq is there, nothing else built.
fresh_build() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/possession-baseline.XXXXXX")
    meson setup "$tmp/build" "$srcdir" --buildtype=debugoptimized -Dsqlite=enabled -Dpostgres=auto \
        -Dtests=false -Dexamples=false -Dbench=false -Ddocs=disabled -Dpython=disabled \
        -Dlua=disabled >/dev/null
    ninja -C "$tmp/build" >/dev/null
    echo "$tmp/build"
}

dump() {
    local library=$1 out=$2
    bash "$here/abi-check.sh" dump "$library" "$srcdir/include" "$out"
    echo "wrote $out from $library"
}

main() {
    local builddir=${1:-}
    if [[ -z $builddir ]]; then
        builddir=$(fresh_build)
    fi
    builddir=$(cd "$builddir" && pwd)
    [[ -f $builddir/lib/libpossession.so ]] || { echo "no lib/libpossession.so in $builddir" >&2; exit 1; }

    dump "$builddir/lib/libpossession.so" "$here/libpossession.abi"
    if [[ -f $builddir/lib/store-sqlite/libpossession-sqlite.so ]]; then
        dump "$builddir/lib/store-sqlite/libpossession-sqlite.so" "$here/libpossession-sqlite.abi"
    else
        echo "note: $builddir has no libpossession-sqlite; its baseline was left as it is" >&2
    fi
    if [[ -f $builddir/lib/store-pg/libpossession-pg.so ]]; then
        dump "$builddir/lib/store-pg/libpossession-pg.so" "$here/libpossession-pg.abi"
    else
        echo "note: $builddir has no libpossession-pg; its baseline was left as it is" >&2
    fi
}

main "$@"
