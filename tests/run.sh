#!/usr/bin/env bash
# tests/run.sh: the one-command test run (the README's test command; .ci/run calls it). On a
# fresh Debian 12 machine, as root, it installs what is missing and runs three stages:
#   normal    build/ with -Dwerror=true, every test suite (C, docs, abi, bindings)
#   asan      build-asan/ with ASan+UBSan, the C test suites
#   valgrind  build/ again under `meson test --setup valgrind`, the C suites except 'slow'
#   fuzz      build-fuzz/ with clang and libFuzzer: every reader fuzzed for a few seconds
#             (tests/fuzz/run.sh; the corpus is replayed in the stages above too)
# One throwaway PostgreSQL server (tests/support/pg-server.sh) serves the PostgreSQL tests of
# every stage through PSS_PG_CONNINFO; it is stopped and removed when the run ends, however.
# and ends with one line "N passed, N failed" summed over the stages. Exits non-zero when a
# stage fails to configure or build, or any test fails.
#
# usage: bash tests/run.sh [MESON TEST ARGS...]
#   Extra arguments go to every `meson test` (e.g. `--suite core`, or test names).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tests/setup-debian.sh
source tests/setup-debian.sh

# Suites that inspect the build or run an interpreter: not meaningful under ASan or valgrind.
readonly NOT_C_SUITES=(--no-suite docs --no-suite abi --no-suite python --no-suite lua)
readonly JOBS=2

passed=0
failed=0
tests_result=
stage_report=()
extra_test_args=("$@")

# --- building and testing -------------------------------------------------------------------

# Reuses an existing build dir (keeping its compiled objects) with the options reapplied.
configure() {
    local builddir=$1; shift
    if [[ -f $builddir/meson-private/coredata.dat ]]; then
        meson setup --reconfigure "$builddir" "$@"
    else
        meson setup "$builddir" "$@"
    fi
}

# -k 0: build everything that can be built, so one broken target (say the docs) still lets
# the tests of everything else run and be counted.
build() {
    ninja -C "$1" -k 0
}

# Adds one failure for a stage that did not configure or build: the final line must never say
# "0 failed" for a run that exits non-zero.
stage_broken() {
    failed=$((failed + 1))
    stage_report+=("$1: $2 FAILED")
}

count_of() {
    local n
    n=$(sed -n "s/^$1: *\([0-9][0-9]*\).*/\1/p" "$2" | tail -n 1)
    echo "${n:-0}"
}

# Runs meson test (its output and summary go to the terminal) and adds its figures to the
# totals; leaves them in tests_result for the stage's line. Skipped tests count as neither
# passed nor failed.
run_tests() {
    local stage=$1 builddir=$2; shift 2
    local out=$builddir/meson-logs/run-sh-$stage.txt status=0 start=$SECONDS
    mkdir -p "$builddir/meson-logs"
    meson test -C "$builddir" --no-rebuild --num-processes "$JOBS" --print-errorlogs "$@" \
        "${extra_test_args[@]}" 2>&1 | tee "$out" || status=$?

    local ok xfail fail xpass timeout skipped
    ok=$(count_of 'Ok' "$out")
    xfail=$(count_of 'Expected Fail' "$out")
    fail=$(count_of 'Fail' "$out")
    xpass=$(count_of 'Unexpected Pass' "$out")
    timeout=$(count_of 'Timeout' "$out")
    skipped=$(count_of 'Skipped' "$out")
    local stage_passed=$((ok + xfail)) stage_failed=$((fail + xpass + timeout))
    # meson failed without a failing test to show for it (bad setup name, crash): count it.
    if (( status != 0 && stage_failed == 0 )); then
        stage_failed=1
    fi
    passed=$((passed + stage_passed))
    failed=$((failed + stage_failed))
    tests_result="$stage_passed passed, $stage_failed failed, $skipped skipped in $((SECONDS - start))s"
}

# One stage: configure, build, test, then one line for the summary.
stage() {
    local name=$1 builddir=$2 start=$SECONDS built=ok; shift 2
    local setup_args=() test_args=()
    while (( $# )) && [[ $1 != -- ]]; do setup_args+=("$1"); shift; done
    (( $# )) && shift
    test_args=("$@")

    log "stage $name: configure $builddir"
    if ! configure "$builddir" "${setup_args[@]}"; then
        stage_broken "$name" configure
        return 0
    fi
    log "stage $name: build"
    if ! build "$builddir"; then
        stage_broken "$name" build
        built=FAILED
    fi
    local build_secs=$((SECONDS - start))
    log "stage $name: test"
    run_tests "$name" "$builddir" "${test_args[@]}"
    stage_report+=("$name: build $built in ${build_secs}s; tests $tests_result")
}

# --- the stages -----------------------------------------------------------------------------

# Features are forced on (the packages are installed above) so nothing is silently skipped; a
# binding is forced on once its subproject exists.
normal_options() {
    local opts=(-Dwerror=true -Ddocs=enabled -Dsqlite=enabled -Dpostgres=enabled)
    [[ -f bindings/python/meson.build ]] && opts+=(-Dpython=enabled)
    [[ -f bindings/lua/meson.build ]] && opts+=(-Dlua=enabled)
    echo "${opts[@]}"
}

stage_normal() {
    # shellcheck disable=SC2046 # normal_options is a word list
    stage normal build $(normal_options) --
}

# Docs and bindings are off: their suites cannot run under ASan, and building them costs time.
stage_asan() {
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        stage asan build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true \
        -Dsqlite=enabled -Dpostgres=enabled -Ddocs=disabled -Dpython=disabled -Dlua=disabled \
        -- "${NOT_C_SUITES[@]}"
}

# Reuses the normal build: only the test wrapper differs (add_test_setup in meson.build).
stage_valgrind() {
    if [[ ! -f build/meson-private/coredata.dat ]]; then
        stage_broken valgrind "setup (no build/)"
        return 0
    fi
    log "stage valgrind: test"
    run_tests valgrind build --setup valgrind "${NOT_C_SUITES[@]}" --no-suite slow
    stage_report+=("valgrind: tests $tests_result")
}

# A short libFuzzer run of every reader; each harness counts as one test.
stage_fuzz() {
    local out=build-fuzz/run-sh.log start=$SECONDS status=0
    mkdir -p build-fuzz
    log "stage fuzz"
    bash tests/fuzz/run.sh --seconds "${FUZZ_SECONDS:-15}" 2>&1 | tee "$out" || status=$?
    local line ok bad
    line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    ok=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' <<<"$line")
    bad=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
    if [[ -z $line ]] || (( status != 0 && ${bad:-0} == 0 )); then
        stage_broken fuzz run
        return 0
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    stage_report+=("fuzz: $ok passed, $bad failed in $((SECONDS - start))s")
}

# The server every stage's PostgreSQL tests use; the EXIT trap stops it on any way out.
start_pg_server() {
    log "starting a throwaway PostgreSQL server"
    eval "$(bash tests/support/pg-server.sh start)"
    trap 'bash tests/support/pg-server.sh stop "$PSS_PG_SERVER_DIR"' EXIT
    echo "PSS_PG_CONNINFO=$PSS_PG_CONNINFO"
}

main() {
    local start=$SECONDS
    install_missing
    start_pg_server
    stage_normal
    stage_asan
    stage_valgrind
    stage_fuzz

    log "summary ($((SECONDS - start))s)"
    printf '%s\n' "${stage_report[@]}"
    echo "$passed passed, $failed failed"
    (( failed == 0 ))
}

main
