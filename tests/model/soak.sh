#!/usr/bin/env bash
# soak.sh: runs the model-based tester over a range of seeds in chunks on every core, prints
# the totals (steps, calls, refusals, trial closes, failures) and, for each failing seed, its
# shortest failing prefix (a binary search on --prefix) and the command that reproduces it.
#
# usage: bash tests/model/soak.sh --store memory|sqlite --seeds A-B --steps N
#            [--hledger] [--jobs J] [--chunk C] [--bin PATH] [--keep DIR]
#   The binary defaults to $MODEL_BIN, else build-model/tests/model/model, else
#   build/tests/model/model (relative to the checkout). --keep copies every chunk's report
#   (each failure in full) to DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

store=memory seeds=1-100 steps=200 hledger= jobs=$(nproc 2>/dev/null || echo 2) chunk=25
bin=${MODEL_BIN:-} keep=
while (( $# )); do
    case $1 in
        --store) store=$2; shift 2 ;;
        --seeds) seeds=$2; shift 2 ;;
        --steps) steps=$2; shift 2 ;;
        --hledger) hledger=--hledger; shift ;;
        --jobs) jobs=$2; shift 2 ;;
        --chunk) chunk=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [[ -z $bin ]]; then
    for b in build-model/tests/model/model build/tests/model/model; do
        [[ -x $b ]] && { bin=$b; break; }
    done
fi
[[ -x ${bin:-} ]] || { echo "soak.sh: no model binary (build it, or pass --bin)" >&2; exit 2; }
[[ $seeds =~ ^([0-9]+)-([0-9]+)$ ]] || { echo "soak.sh: --seeds A-B" >&2; exit 2; }
from=${BASH_REMATCH[1]} to=${BASH_REMATCH[2]}

out=$(mktemp -d "${TMPDIR:-/tmp}/model-soak.XXXXXX")
trap 'rm -rf "$out"' EXIT
start=$SECONDS

# One chunk of seeds; its report goes to $out/chunk-A.txt.
run_chunk() {
    local a=$1 b=$2
    "$bin" --store "$store" --seeds "$a-$b" --steps "$steps" $hledger --dir "$out" \
        < /dev/null > "$out/chunk-$a.txt" 2>&1 || true
}

running=0
for (( a = from; a <= to; a += chunk )); do
    b=$(( a + chunk - 1 > to ? to : a + chunk - 1 ))
    run_chunk "$a" "$b" &
    running=$(( running + 1 ))
    if (( running >= jobs )); then
        wait -n
        running=$(( running - 1 ))
    fi
done
wait

total() {
    sed -n "s/^seeds .* $1 \([0-9]*\).*/\1/p" "$out"/chunk-*.txt | awk '{s += $1} END {print s + 0}'
}
steps_run=$(total steps) calls=$(total calls) refusals=$(total refusals)
trials=$(total trials) failures=$(total failures)
echo "soak: seeds $from-$to ($store), steps $steps_run, calls $calls, refusals $refusals," \
     "trial closes $trials, failures $failures in $(( SECONDS - start ))s"

# A chunk without its summary line crashed or never ran: say so, and fail.
broken=0
for f in "$out"/chunk-*.txt; do
    if ! grep -q '^seeds .* failures ' "$f"; then
        broken=$(( broken + 1 ))
        echo "soak: chunk ${f##*/chunk-} gave no summary (crash, or the binary did not run):"
        tail -n 5 "$f" | sed 's/^/  /'
    fi
done
(( broken == 0 )) || failures=$(( failures + broken ))
if [[ -n $keep ]]; then
    mkdir -p "$keep"
    cp "$out"/chunk-*.txt "$keep"/
fi

# The smallest prefix of `seed` that still fails (the failure is found at step `hi`).
shortest_prefix() {
    local seed=$1 lo=1 hi=$2 mid
    while (( lo < hi )); do
        mid=$(( (lo + hi) / 2 ))
        if "$bin" --store "$store" --seeds "$seed-$seed" --steps "$steps" --prefix "$mid" \
                $hledger --dir "$out" < /dev/null > /dev/null 2>&1; then
            lo=$(( mid + 1 ))
        else
            hi=$mid
        fi
    done
    echo "$lo"
}

# (no failing seed: grep finds nothing, which under pipefail would end a clean soak with 1)
{ grep -h '^FAIL seed' "$out"/chunk-*.txt || true; } | sort -t' ' -k3,3n | while read -r _ _ seed rest; do
    if [[ $rest =~ step\ ([0-9]+) ]]; then
        at=${BASH_REMATCH[1]}
        (( at > steps )) && at=$steps
        prefix=$(shortest_prefix "$seed" "$at")
        why=$(awk -v s="FAIL seed $seed " 'index($0, s) == 1 { on = 1; next }
                  on && /^FAIL seed / { exit }
                  on && !/^    / && !/reproduce:/ { print; if (++n == 3) exit }' \
              "$out"/chunk-*.txt | cut -c1-200)
        echo "FAIL seed $seed: shortest failing prefix $prefix"
        echo "$why"
        echo "  reproduce: $bin --store $store --seeds $seed-$seed --steps $steps --prefix $prefix $hledger"
    fi
done
(( failures == 0 ))
