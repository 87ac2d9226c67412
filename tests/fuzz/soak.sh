#!/usr/bin/env bash
# tests/fuzz/soak.sh: long fuzz runs. Builds the harnesses like run.sh, then spends MINUTES of
# wall-clock time over JOBS cores: each harness gets JOBS x MINUTES / (number of harnesses)
# minutes of one core. Prints per harness the executions, coverage, corpus size and CPU time,
# then every crash with its reproducing file and the first lines of its report. The corpus
# grows in build-fuzz/fuzz-corpus/ from soak to soak; logs and artifacts go to
# build-fuzz/fuzz-runs/soak-<time>/.
#
# usage: bash tests/fuzz/soak.sh --minutes M [--jobs N] [--keep-going] [HARNESS...]
#   --keep-going  do not stop at the first finding: libFuzzer's fork mode goes on after
#                 crashes (each is saved), and the harnesses report each kind of bound or
#                 consistency finding once (PSS_FUZZ_KEEP_GOING=1), its input saved in
#                 findings/ of the run directory
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=tests/fuzz/fuzz-lib.sh
source tests/fuzz/fuzz-lib.sh

minutes=60
jobs=2
keep_going=0
names=()
while (($#)); do
    case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) names+=("$1"); shift ;;
    esac
done
((${#names[@]})) || names=("${FUZZ_HARNESSES[@]}")

main() {
    local start=$SECONDS out secs extra=()
    fuzz_need_clang
    fuzz_log "fuzz soak: build $FUZZ_BUILD"
    fuzz_configure
    fuzz_build "${names[@]}"
    out=$FUZZ_BUILD/fuzz-runs/soak-$(date +%Y%m%d-%H%M%S)
    mkdir -p "$out/findings"
    fuzz_env
    secs=$((minutes * 60 * jobs / ${#names[@]}))
    if ((keep_going)); then
        export PSS_FUZZ_KEEP_GOING=1 PSS_FUZZ_FINDINGS=$PWD/$out/findings
        extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    fi
    fuzz_log "fuzz soak: ${#names[@]} harnesses, ${secs}s of one core each, $jobs at a time" \
        "(logs in $out)"
    fuzz_parallel "$jobs" "$secs" "$out" "${names[@]}" -- "${extra[@]}"
    fuzz_log "fuzz soak: summary ($((SECONDS - start))s)"
    local failed=0
    fuzz_report "$out" "${names[@]}" || failed=$?
    if ((keep_going)); then
        fuzz_log "findings reported by the harnesses (first of each kind)"
        grep -h 'FUZZ FINDING' "$out"/*.log | sort | uniq -c | sort -rn || true
    fi
    echo "fuzz soak: $((${#names[@]} - failed)) passed, $failed failed"
    ((failed == 0))
}

main
