#!/usr/bin/env bash
# tests/support/pg-server.sh: a throwaway PostgreSQL server for the tests and examples.
# initdb into a fresh temporary directory as an unprivileged user (the server refuses root:
# as root, Debian's `postgres` system user, which owns the directory), trust authentication,
# its Unix socket in that directory, no TCP listener (listen_addresses=''), a free port
# number (it only names the socket file).
#
#   pg-server.sh start          starts one; prints shell lines to eval: PSS_PG_CONNINFO
#                               (host=DIR port=N dbname=postgres user=postgres) and
#                               PSS_PG_SERVER_DIR
#   pg-server.sh stop DIR       stops the server started in DIR and removes DIR
#   pg-server.sh run CMD...     runs CMD with PSS_PG_CONNINFO set: the caller's when it is
#                               already set (tests/run.sh starts one server for the whole
#                               run), else a server of its own, stopped and removed when CMD
#                               ends, also when it fails or is interrupted. Exits as CMD.
#   pg-server.sh run-own CMD... the same, always with a server of its own (for a test that
#                               restarts its server: the shared one serves other tests)
#   pg-server.sh restart DIR [MODE]
#                               restarts the server of DIR (pg_ctl -m MODE, default fast;
#                               immediate is a crash: recovery replays the WAL)
#
# PG_BIN overrides where initdb, pg_ctl and postgres are found (default: the newest
# /usr/lib/postgresql/*/bin, else PATH). The server runs with fsync=off (the tests never
# power the machine off); PSS_PG_FSYNC=on gives a durable one for benchmarks.
set -euo pipefail

pg_bin() {
    if [[ -n ${PG_BIN:-} ]]; then
        echo "$PG_BIN"
        return
    fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $d && -x $d/initdb ]]; then
        echo "$d"
    else
        dirname "$(command -v initdb || echo /nonexistent/initdb)"
    fi
}

# Runs a command as the server's user: postgres when we are root, else ourselves.
as_server_user() {
    if (( EUID == 0 )); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_server() {
    local bin dir port tries
    bin=$(pg_bin)
    [[ -x $bin/initdb ]] || { echo "pg-server.sh: no initdb (install postgresql)" >&2; exit 1; }
    # short: a Unix socket path must stay under 108 bytes
    dir=$(mktemp -d /tmp/pss-pg.XXXXXX)
    if (( EUID == 0 )); then
        id postgres >/dev/null 2>&1 || { echo "pg-server.sh: running as root needs the postgres user" >&2; rm -rf "$dir"; exit 1; }
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    if ! as_server_user "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
        --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        exit 1
    fi
    for tries in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=$port -c fsync=${PSS_PG_FSYNC:-off}" \
            start >/dev/null 2>&1; then
            # root reaches the socket; others need the directory open to them
            chmod 711 "$dir"
            echo "export PSS_PG_CONNINFO='host=$dir port=$port dbname=postgres user=postgres'"
            echo "export PSS_PG_SERVER_DIR='$dir'"
            return 0
        fi
    done
    echo "pg-server.sh: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    exit 1
}

stop_server() {
    local dir=$1
    [[ -n $dir && -d $dir/data ]] || return 0
    as_server_user "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

restart_server() {
    local dir=$1 mode=${2:-fast}
    as_server_user "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m "$mode" -w -t 60 \
        restart >/dev/null
}

run_with_server() {
    if [[ -n ${PSS_PG_CONNINFO:-} ]]; then
        exec "$@"
    fi
    run_own_server "$@"
}

run_own_server() {
    eval "$(start_server)"
    # shellcheck disable=SC2064 # the directory is fixed now
    trap "stop_server '$PSS_PG_SERVER_DIR'" EXIT
    trap 'exit 130' INT TERM
    local status=0
    "$@" || status=$?
    exit "$status"
}

case ${1:-} in
    start) start_server ;;
    stop) stop_server "${2:?usage: pg-server.sh stop DIR}" ;;
    run) shift; run_with_server "$@" ;;
    run-own) shift; run_own_server "$@" ;;
    restart) restart_server "${2:?usage: pg-server.sh restart DIR [MODE]}" "${3:-fast}" ;;
    *) echo "usage: pg-server.sh start | stop DIR | run CMD... | run-own CMD... | restart DIR [MODE]" >&2; exit 2 ;;
esac
