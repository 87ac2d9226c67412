# tests/fuzz/fuzz-lib.sh: what run.sh and soak.sh share (sourced, not run): the clang build
# of the harnesses in build-fuzz/, running libFuzzer on one harness with its corpus,
# dictionary and regressions, and reading a run's log back as one summary line.

readonly FUZZ_SRC=tests/fuzz
readonly FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
readonly FUZZ_HARNESSES=(order session total movement entry tally config_json config_state audit
    money meta)

fuzz_log() { printf '\n=== %s\n' "$*"; }

fuzz_need_clang() {
    if ! command -v clang >/dev/null ||
        [[ ! -e $(clang -print-file-name=libclang_rt.fuzzer-x86_64.a) ]]; then
        echo "fuzz: needs clang and libFuzzer (apt-get install clang libclang-rt-14-dev)" >&2
        return 1
    fi
}

# build-fuzz/: clang, ASan + UBSan (every report fatal), libFuzzer instrumentation. Its own
# directory: the other build dirs are never touched.
fuzz_configure() {
    [[ -f $FUZZ_BUILD/meson-private/coredata.dat ]] && return 0
    CC=clang meson setup "$FUZZ_BUILD" -Dwerror=true -Db_sanitize=address,undefined \
        -Db_lundef=false \
        -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
        -Dsqlite=disabled -Ddocs=disabled -Dpython=disabled -Dlua=disabled -Dexamples=false \
        -Dbench=false -Dtests=true >"$FUZZ_BUILD.setup.log" 2>&1 ||
        { cat "$FUZZ_BUILD.setup.log" >&2; return 1; }
}

# Builds only the harnesses (nothing else of the project is compiled for them but lib/).
fuzz_build() {
    local targets=() name
    for name in "$@"; do
        targets+=("tests/fuzz/fuzz-$name")
    done
    ninja -C "$FUZZ_BUILD" "${targets[@]}"
}

fuzz_env() {
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
    local symbolizer
    symbolizer=$(command -v llvm-symbolizer || true)
    [[ -n $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
    return 0
}

# fuzz_run NAME SECONDS OUTDIR [LIBFUZZER ARGS...]: one harness for SECONDS, new inputs kept
# in build-fuzz/fuzz-corpus/NAME (grows from run to run), crashes written to
# OUTDIR/artifacts/NAME/, the log to OUTDIR/NAME.log (with its CPU time), the exit code to
# OUTDIR/NAME.rc.
fuzz_run() {
    local name=$1 secs=$2 out=$3
    shift 3
    local work=$FUZZ_BUILD/fuzz-corpus/$name arts=$out/artifacts/$name
    mkdir -p "$work" "$arts"
    local args=(-max_total_time="$secs" -max_len=16384 -timeout=25 -rss_limit_mb=4096
        -print_final_stats=1 -dict="$FUZZ_SRC/dict/$name.dict" -artifact_prefix="$arts/" "$@"
        "$work" "$FUZZ_SRC/corpus/$name")
    [[ -d $FUZZ_SRC/regressions/$name ]] && args+=("$FUZZ_SRC/regressions/$name")
    local rc=0 TIMEFORMAT='cpu-seconds: user %U sys %S real %R'
    { time "$FUZZ_BUILD/tests/fuzz/fuzz-$name" "${args[@]}"; } >"$out/$name.log" 2>&1 || rc=$?
    echo "$rc" >"$out/$name.rc"
}

# fuzz_parallel JOBS SECONDS OUTDIR NAMES... [-- LIBFUZZER ARGS...]: runs the harnesses JOBS
# at a time.
fuzz_parallel() {
    local jobs=$1 secs=$2 out=$3 names=() extra=()
    shift 3
    while (($#)) && [[ $1 != -- ]]; do names+=("$1"); shift; done
    (($#)) && shift
    extra=("$@")
    local name running=0
    for name in "${names[@]}"; do
        if ((running >= jobs)); then
            wait -n || true
            running=$((running - 1))
        fi
        echo "fuzz: $name for ${secs}s"
        fuzz_run "$name" "$secs" "$out" "${extra[@]}" &
        running=$((running + 1))
    done
    wait || true
}

# The last "#N ... cov: C ft: F corp: K" status line of a log: executions, coverage, corpus.
fuzz_stats() {
    local log=$1 line
    line=$(grep -E '^#[0-9]+' "$log" | tail -n 1) || true
    local execs cov ft corp
    execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$line")
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$line")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$line")
    corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$line")
    local final
    final=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n 1) || true
    echo "execs=${final:-${execs:-0}} cov=${cov:-?} ft=${ft:-?} corpus=${corp:-?}"
}

fuzz_cpu() {
    sed -nE 's/^cpu-seconds: user ([0-9.]+) sys ([0-9.]+) real ([0-9.]+)/cpu=\1+\2s wall=\3s/p' \
        "$1" | tail -n 1
}

# One line per harness; then every crash with its reproducing file and the report's first
# lines. Returns the number of harnesses that failed.
fuzz_report() {
    local out=$1 name failed=0
    shift
    for name in "$@"; do
        local log=$out/$name.log rc
        rc=$(cat "$out/$name.rc" 2>/dev/null || echo 1)
        local crashes
        crashes=$(find "$out/artifacts/$name" -type f ! -name '*.txt' 2>/dev/null | wc -l) || true
        local verdict=ok
        if [[ $rc != 0 || $crashes != 0 ]]; then
            verdict=FAILED
            failed=$((failed + 1))
        fi
        printf '%-13s %-6s rc=%s %s %s crashes=%s\n' "$name" "$verdict" "$rc" \
            "$(fuzz_stats "$log")" "$(fuzz_cpu "$log")" "$crashes"
    done
    for name in "$@"; do
        fuzz_crashes "$out" "$name"
    done
    return "$failed"
}

# Every crash file of a harness, run again to read its report: crashes with the same first
# finding or sanitizer line and the same first frame of lib/ or tests/fuzz/ are listed once,
# with their count and the shortest file as the reproducer.
fuzz_crashes() {
    local out=$1 name=$2 file sig
    local -A count=() example=() size=()
    while IFS= read -r file; do
        [[ -n $file ]] || continue
        timeout 120 "$FUZZ_BUILD/tests/fuzz/fuzz-$name" "$file" >"$file.txt" 2>&1 || true
        sig=$(fuzz_signature "$file.txt")
        count[$sig]=$((${count[$sig]:-0} + 1))
        local bytes
        bytes=$(stat -c %s "$file")
        if [[ -z ${example[$sig]:-} ]] || ((bytes < ${size[$sig]})); then
            example[$sig]=$file
            size[$sig]=$bytes
        fi
    done < <(find "$out/artifacts/$name" -type f ! -name '*.txt' 2>/dev/null | sort || true)
    for sig in "${!count[@]}"; do
        echo
        echo "--- $name: ${count[$sig]} crash file(s): $sig"
        echo "    reproduce: $FUZZ_BUILD/tests/fuzz/fuzz-$name ${example[$sig]}"
        grep -hE 'FUZZ FINDING|ERROR: (Address|Leak)Sanitizer|runtime error|^    #[0-9]+ .*(lib|tests/fuzz)/' \
            "${example[$sig]}.txt" | head -n 12 | sed 's/^/    /' || true
    done
}

# What a crash report is: its first finding or error line (addresses and pids dropped) and
# its first frame in the project's code.
fuzz_signature() {
    local what frame
    what=$(grep -m1 -E 'FUZZ FINDING|runtime error|ERROR: (Address|Leak)Sanitizer|deadly signal' "$1" |
        sed -E 's/==[0-9]+==//; s/0x[0-9a-f]+//g; s/FUZZ FINDING \[[a-z_]+\]: //' | cut -c1-160) || true
    frame=$(grep -oE ' in [A-Za-z_0-9]+ [^ ]*(lib|tests/fuzz)/[a-z_0-9]+\.c:[0-9]+' "$1" |
        grep -vE ' in (fz_[a-z_]+|pss__malloc|pss__calloc|pss__strdup|pss__grow) ' | head -n 1 |
        sed -E 's#.* in ([^ ]+) .*/((lib|tests/fuzz)/[^ ]+)#\2 \1#') || true
    echo "${what:-does not reproduce alone} @ ${frame:-?}"
}
