#!/usr/bin/env bash
# tests/abi/abi-check.sh: the 'abidiff' test, and the one place that says how an ABI dump is
# made (update-baseline.sh calls 'dump' too, so baseline and check always use the same flags).
#
#   abi-check.sh dump  LIBRARY HEADERS_DIR OUT       write LIBRARY's ABI (abidw XML) to OUT
#   abi-check.sh check LIBRARY HEADERS_DIR BASELINE  compare LIBRARY against BASELINE
#
# check passes when the ABI is unchanged or only grew (added functions, variables, enumerators).
# It fails when abidiff calls a change incompatible (exit bit 8) or reports any removed or
# changed function or variable, and prints abidiff's report. It exits 77 (meson's "skipped")
# when libabigail is not installed or the library has no debug info to read types from.
set -euo pipefail

SKIP=77
work=
here=$(cd "$(dirname "$0")" && pwd)

usage() {
    sed -n '4,6p' "$0" >&2
    exit 2
}

need_tools() {
    local tool
    for tool in abidw abidiff readelf; do
        if ! command -v "$tool" >/dev/null; then
            echo "SKIP: $tool not installed (Debian: apt-get install abigail-tools binutils)"
            exit "$SKIP"
        fi
    done
}

# Only the public types matter: everything not declared under HEADERS_DIR is private and left
# out, as are build paths, so a baseline made on another machine compares cleanly.
dump() {
    local library=$1 headers=$2 out=$3 sections
    # Not "readelf | grep -q": grep quitting early makes readelf die of SIGPIPE under pipefail.
    sections=$(readelf -S "$library")
    if [[ $sections != *.debug_info* ]]; then
        echo "SKIP: $library has no debug info (configure with buildtype debug or debugoptimized)"
        exit "$SKIP"
    fi
    abidw --headers-dir "$headers" --drop-private-types --exported-interfaces-only \
        --no-corpus-path --no-comp-dir-path --short-locs --out-file "$out" "$library"
}

# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change, 8 incompatible.
check() {
    local library=$1 headers=$2 baseline=$3
    [[ -f $baseline ]] || { echo "FAIL: no baseline $baseline (run tests/abi/update-baseline.sh)"; exit 1; }

    local status=0 report
    work=$(mktemp -d "${TMPDIR:-/tmp}/possession-abi.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    dump "$library" "$headers" "$work/current.abi"
    report=$(abidiff --suppressions "$here/versioned-structs.suppr" "$baseline" \
        "$work/current.abi" 2>&1) || status=$?

    if (( status == 0 )); then
        echo "ok: $(basename "$library") has the ABI of $(basename "$baseline")"
        return 0
    fi
    printf '%s\n' "$report"
    if (( status & 3 )); then
        echo "FAIL: abidiff could not compare (exit status $status)"
        exit 1
    fi
    if (( status & 8 )); then
        echo "FAIL: abidiff reports an incompatible ABI change against $baseline"
        exit 1
    fi
    # Bit 4 alone: tolerate pure additions, refuse anything removed or changed.
    if grep -Eq '(^|[^0-9])[1-9][0-9]* (Removed|Changed)' <<<"$report"; then
        echo "FAIL: a public function or variable was removed or changed against $baseline"
        exit 1
    fi
    echo "ok: only additions against $(basename "$baseline") (regenerate it with tests/abi/update-baseline.sh when the API is final)"
}

main() {
    (( $# == 4 )) || usage
    need_tools
    case $1 in
        dump) dump "$2" "$3" "$4" ;;
        check) check "$2" "$3" "$4" ;;
        *) usage ;;
    esac
}

main "$@"
