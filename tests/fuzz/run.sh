#!/usr/bin/env bash
# tests/fuzz/run.sh: the short fuzz run of the test command. Builds the libFuzzer harnesses
# with clang, ASan and UBSan in build-fuzz/ (its own build dir), then fuzzes each harness for
# SECONDS with its corpus, dictionary and regressions, two at a time. A crash, leak, sanitizer
# report or finding of a harness (tests/fuzz/README.md) fails the run; its reproducing file
# is named in the report. Ends with "fuzz: N passed, N failed".
#
# usage: bash tests/fuzz/run.sh [--seconds N] [--jobs N] [HARNESS...]
#   --seconds  fuzzing time per harness (default 20)
#   --jobs     harnesses at a time (default 2)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=tests/fuzz/fuzz-lib.sh
source tests/fuzz/fuzz-lib.sh

seconds=20
jobs=2
names=()
while (($#)); do
    case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) names+=("$1"); shift ;;
    esac
done
((${#names[@]})) || names=("${FUZZ_HARNESSES[@]}")

main() {
    local start=$SECONDS out
    fuzz_need_clang
    fuzz_log "fuzz: build $FUZZ_BUILD"
    fuzz_configure
    fuzz_build "${names[@]}"
    out=$FUZZ_BUILD/fuzz-runs/short-$(date +%Y%m%d-%H%M%S)
    mkdir -p "$out"
    fuzz_env
    fuzz_log "fuzz: ${#names[@]} harnesses, ${seconds}s each, $jobs at a time (logs in $out)"
    fuzz_parallel "$jobs" "$seconds" "$out" "${names[@]}"
    fuzz_log "fuzz: summary ($((SECONDS - start))s)"
    local failed=0
    fuzz_report "$out" "${names[@]}" || failed=$?
    echo "fuzz: $((${#names[@]} - failed)) passed, $failed failed"
    ((failed == 0))
}

main
