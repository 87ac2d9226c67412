#!/usr/bin/env bash
# tests/support/pg-failover.sh: a primary and a synchronous hot standby on this machine, for
# the failover test. Two throwaway servers of pg-server.sh (each its own directory and Unix
# socket, no TCP): the standby is made with pg_basebackup from the primary and streams from
# it; the primary waits for it at every commit (synchronous_standby_names = '*').
#
#   pg-failover.sh run CMD...   starts both, runs CMD with
#                                 PSS_PG_CONNINFO   host=PRIMARY,STANDBY port=P1,P2
#                                                   target_session_attrs=read-write ...
#                                 PSS_PG_FAILOVER   this script (for the two commands below)
#                                 PSS_PG_PRIMARY_DIR, PSS_PG_STANDBY_DIR
#                               and stops and removes both when CMD ends, however.
#   pg-failover.sh kill-primary    SIGKILL to the primary's postmaster (its backends end)
#   pg-failover.sh promote         promotes the standby (pg_ctl promote -w)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    echo "${PG_BIN:-$d}"
}

as_server_user() {
    if (( EUID == 0 )); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The socket directory and port of a pg-server.sh conninfo.
host_of() { sed -n "s/.*host=\([^ ]*\).*/\1/p" <<<"$1"; }
port_of() { sed -n "s/.*port=\([0-9]*\).*/\1/p" <<<"$1"; }

start_standby() {
    local primary_host=$1 primary_port=$2 dir port
    dir=$(mktemp -d /tmp/pss-pg.XXXXXX)
    (( EUID == 0 )) && chown postgres: "$dir"
    chmod 700 "$dir"
    as_server_user "$(pg_bin)/pg_basebackup" -D "$dir/data" -R -X stream -c fast \
        -h "$primary_host" -p "$primary_port" -U postgres >/dev/null
    port=$((20000 + RANDOM % 40000))
    as_server_user "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=$port -c fsync=off" \
        start >/dev/null
    chmod 711 "$dir"
    echo "$dir $port"
}

stop_dir() {
    [[ -n ${1:-} && -d $1/data ]] || return 0
    as_server_user "$(pg_bin)/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$1"
}

run() {
    unset PSS_PG_CONNINFO
    eval "$(bash "$here/pg-server.sh" start)"
    local primary=$PSS_PG_SERVER_DIR primary_info=$PSS_PG_CONNINFO standby=
    # shellcheck disable=SC2064 # fixed now; the standby's directory is added below
    trap "stop_dir '$primary'" EXIT
    local p_host p_port
    p_host=$(host_of "$primary_info")
    p_port=$(port_of "$primary_info")
    read -r standby s_port < <(start_standby "$p_host" "$p_port")
    # shellcheck disable=SC2064
    trap "stop_dir '$primary'; stop_dir '$standby'" EXIT
    psql -X -q "$primary_info" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" \
        -c "SELECT pg_reload_conf()" >/dev/null
    local sync='' tries
    for tries in $(seq 1 100); do
        sync=$(psql -X -At "$primary_info" -c "SELECT sync_state FROM pg_stat_replication")
        [[ $sync == sync ]] && break
        sleep 0.1
    done
    [[ $sync == sync ]] || { echo "pg-failover.sh: the standby is not synchronous ($sync)" >&2; exit 1; }
    export PSS_PG_CONNINFO="host=$p_host,$standby port=$p_port,$s_port dbname=postgres user=postgres target_session_attrs=read-write"
    export PSS_PG_FAILOVER="$here/pg-failover.sh" PSS_PG_PRIMARY_DIR=$primary PSS_PG_STANDBY_DIR=$standby
    local status=0
    "$@" || status=$?
    exit "$status"
}

kill_primary() {
    local pid
    pid=$(head -n 1 "$PSS_PG_PRIMARY_DIR/data/postmaster.pid")
    kill -KILL "$pid"
    # its backends notice the postmaster's death (they wait on it) and end at once
    sleep 1
}

promote() {
    as_server_user "$(pg_bin)/pg_ctl" -D "$PSS_PG_STANDBY_DIR/data" -w -t 60 promote >/dev/null
}

case ${1:-} in
    run) shift; run "$@" ;;
    kill-primary) kill_primary ;;
    promote) promote ;;
    *) echo "usage: pg-failover.sh run CMD... | kill-primary | promote" >&2; exit 2 ;;
esac
