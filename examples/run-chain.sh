#!/usr/bin/env bash
# examples/run-chain.sh: four registers of one shop at once on one PostgreSQL database.
# Starts a throwaway server (tests/support/pg-server.sh: initdb in a temporary directory, a
# Unix socket, no TCP, removed at the end), runs examples/chain_register for registers 1 to 4
# in parallel, each its own process, connection and config, then prints each register's
# closing report.
#
#   examples/run-chain.sh [CHAIN_REGISTER_BINARY] [ORDERS]
#     default binary: build/examples/chain_register (built here when missing); ORDERS per
#     register, default 40. With PSS_PG_CONNINFO set, that server is used instead.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
inside=0
if [[ ${1:-} == --inside ]]; then # run again by the server wrapper, with the server up
    inside=1
    shift
fi
bin=${1:-}
orders=${2:-40}
if [[ -z $bin ]]; then
    # shellcheck source=tests/setup-debian.sh
    source "$repo/tests/setup-debian.sh"
    install_missing
    if [[ -f $repo/build/meson-private/coredata.dat ]]; then
        meson setup --reconfigure "$repo/build" -Dpostgres=enabled >/dev/null
    else
        meson setup "$repo/build" "$repo" -Dpostgres=enabled >/dev/null
    fi
    ninja -C "$repo/build" examples/chain_register >/dev/null
    bin=$repo/build/examples/chain_register
fi

# Runs inside the server wrapper: PSS_PG_CONNINFO names the server.
chain() {
    local out pids=() status=0
    out=$(mktemp -d)
    psql -X -q "$PSS_PG_CONNINFO" -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS shop_centrum WITH (FORCE)" -c "CREATE DATABASE shop_centrum"
    local db="$PSS_PG_CONNINFO dbname=shop_centrum application_name=chain"
    for n in 1 2 3 4; do
        "$bin" "$db" "$n" "$orders" >"$out/register-$n.txt" 2>&1 &
        pids+=($!)
    done
    for n in 1 2 3 4; do
        wait "${pids[n - 1]}" || { echo "register $n failed" >&2; status=1; }
    done
    for n in 1 2 3 4; do
        echo "===== register $n"
        cat "$out/register-$n.txt"
    done
    local summary
    summary=$(psql -X -q "$db" -At -c "SELECT count(*) || ' sessions, ' ||
        sum((payload::jsonb->'totals'->>'orders')::int) || ' orders, all closed: ' ||
        bool_and(payload::jsonb->>'state' = 'closed') FROM pss_record WHERE kind = 'session'")
    echo "$summary"
    rm -rf "$out"
    [[ $summary == "4 sessions, $((4 * orders)) orders, all closed: true" ]] || status=1
    return "$status"
}

if (( inside )); then
    chain
else
    exec bash "$repo/tests/support/pg-server.sh" run bash "$0" --inside "$bin" "$orders"
fi
