/* bench-pg.c: figures for doc/postgres-store.md, printed, never asserted. Orders recorded per
 * second on the PostgreSQL store (one order per transaction, and batches of 1000), beside
 * raw INSERTs of rows of the same size into PostgreSQL by libpq in the same run (the peer
 * the store is measured against), and the SQLite store (synchronous NORMAL) on the same
 * machine, best of three runs each; then 1, 2, 4 and 8 tills at once (processes, each its
 * own connection and config), one order per transaction and in batches, against as many raw
 * writers; then the close of a
 * session of 1k and 100k orders (1M with --full) against the same totals as one GROUP BY on
 * the server over the stored orders.
 *
 *   bench-pg [--quick|--full] DIRECTORY   (PSS_PG_CONNINFO names the server: run it through
 *                                   tests/support/pg-server.sh; the SQLite file goes to
 *                                   DIRECTORY)
 */
#include <libpq-fe.h>
#include <possession.h>
#include <possession/pg.h>
#include <possession/sqlite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "bench_order.h"

#define CONFIG_ID "be4c0000-0000-4000-8000-0000000000b9"
#define BATCH 1000
#define RUNS 3

static const pss_actor CASHIER = {PSS_ACTOR_VERSION, "bench", PSS_ROLE_MANAGER, "till"};
static char conninfo[1024], sqlite_path[1024];

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench-pg: %s: %s\n", what, ctx ? pss_ctx_errmsg(ctx) : "");
    exit(1);
}

/* A fresh database (pg) or file (sqlite) holding the config and an open session. */
typedef struct bench {
    pss_ctx *ctx;
    pss_storage *store;
    pss_session *session;
} bench;

static void admin(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("PSS_PG_CONNINFO"));
    PGresult *r = PQexec(c, "SET client_min_messages = warning");
    PQclear(r);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "bench-pg: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static void fresh_pg(void)
{
    admin("DROP DATABASE IF EXISTS pss_bench WITH (FORCE)");
    admin("CREATE DATABASE pss_bench");
}

/* A fresh database, or a fresh SQLite file. */
static void fresh_or_file(int pg)
{
    if (pg) {
        fresh_pg();
        return;
    }
    char aux[1100];
    remove(sqlite_path);
    snprintf(aux, sizeof aux, "%s-wal", sqlite_path);
    remove(aux);
    snprintf(aux, sizeof aux, "%s-shm", sqlite_path);
    remove(aux);
}

static void open_bench_as(bench *b, int pg, const char *config_id);

static void open_bench(bench *b, int pg)
{
    fresh_or_file(pg);
    open_bench_as(b, pg, CONFIG_ID);
}

static void open_bench_as(bench *b, int pg, const char *config_id)
{
    if (pss_ctx_new(&b->ctx, NULL))
        exit(1);
    int rc;
    if (pg) {
        rc = pss_pg_open(b->ctx, conninfo, NULL, &b->store);
    } else {
        pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
        o.sync = PSS_SQLITE_SYNC_NORMAL;
        rc = pss_sqlite_open(b->ctx, sqlite_path, &o, &b->store);
    }
    if (rc || pss_ctx_set_storage(b->ctx, b->store))
        die(b->ctx, "store");
    if (bench_save_config(b->ctx, config_id, &CASHIER))
        die(b->ctx, "config");
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    if (pss_session_create(b->ctx, config_id, &CASHIER, NULL, &b->session) ||
        pss_session_open(b->session, &CASHIER, &open))
        die(b->ctx, "session");
}

static void close_bench(bench *b)
{
    pss_session_free(b->session);
    pss_ctx_free(b->ctx);
    pss_storage_free(b->store);
}

/* A random UUIDv4, as tills make them (n only keeps the callers' shape). */
static void order_id(char *id, long n)
{
    (void)n;
    uuid_t raw;
    uuid_generate_random(raw);
    uuid_unparse_lower(raw, id);
}

/* Submits n orders (ids from `first` on), one at a time or in batches. */
static void submit_orders(bench *b, long first, long n, int batch)
{
    static bench_order orders[BATCH];
    static const pss_order_input *ptrs[BATCH];
    static pss_submit_result results[BATCH];
    for (long done = 0; done < n;) {
        long k = batch ? (n - done < BATCH ? n - done : BATCH) : 1;
        for (long i = 0; i < k; i++) {
            char id[PSS_ID_SIZE];
            order_id(id, first + done + i);
            bench_order_fill(&orders[i], id, first + done + i);
            ptrs[i] = &orders[i].in;
            results[i] = (pss_submit_result)PSS_SUBMIT_RESULT_INIT;
        }
        size_t accepted = 0;
        int rc = batch ? pss_session_submit_batch(b->session, &CASHIER, ptrs, (size_t)k, results,
                                                  &accepted)
                       : pss_session_submit(b->session, &CASHIER, ptrs[0], NULL);
        if (rc || (batch && accepted != (size_t)k))
            die(b->ctx, "submit");
        done += k;
    }
}

static double library_rate(int pg, long n, int batch)
{
    bench b;
    open_bench(&b, pg);
    double t0 = seconds();
    submit_orders(&b, 1, n, batch);
    double t = seconds() - t0;
    close_bench(&b);
    return (double)n / t;
}

/* The peer: what recording the same rows costs without the library, one INSERT per order of
 * an id and a payload as long as the store's order record, k to a transaction. */
static void create_raw_table(void)
{
    PGconn *c = PQconnectdb(conninfo);
    PGresult *r = PQexec(c, "CREATE TABLE raw_order (seq bigint GENERATED ALWAYS AS IDENTITY,"
                            " id text PRIMARY KEY, parent text NOT NULL, payload text NOT NULL);"
                            "CREATE INDEX ON raw_order (parent, seq)");
    PQclear(r);
    PQfinish(c);
}

/* Inserts n rows (ids from `first` on) under parent, k to a transaction. */
static void insert_rows(long first, long n, int batch, const char *parent)
{
    PGconn *c = PQconnectdb(conninfo);
    PGresult *r;
    char payload[400];
    memset(payload, 'x', sizeof payload - 1);
    payload[sizeof payload - 1] = '\0';
    for (long done = 0; done < n;) {
        long k = batch ? (n - done < BATCH ? n - done : BATCH) : 1;
        PQclear(PQexec(c, "BEGIN"));
        for (long i = 0; i < k; i++) {
            char id[PSS_ID_SIZE];
            order_id(id, first + done + i);
            const char *params[] = {id, parent, payload};
            r = PQexecParams(c, "INSERT INTO raw_order (id, parent, payload) VALUES ($1, $2, $3)",
                             3, NULL, params, NULL, NULL, 0);
            PQclear(r);
        }
        PQclear(PQexec(c, "COMMIT"));
        done += k;
    }
    PQfinish(c);
}

static double raw_rate(long n, int batch)
{
    fresh_pg();
    create_raw_table();
    double t0 = seconds();
    insert_rows(1, n, batch, "s1");
    return (double)n / (seconds() - t0);
}

/* ---- several tills at once ---- */

/* One till of `tills`: its own config and session (set up before the clock starts), then
 * its share of the orders in batches once the parent closes the pipe. */
static void till_child(int raw, int till, long n, int batch, const int go[2])
{
    bench b;
    char config_id[PSS_ID_SIZE], parent[16];
    snprintf(config_id, sizeof config_id, "be4c0000-0000-4000-8000-%012d", till + 100);
    snprintf(parent, sizeof parent, "s%d", till);
    if (!raw)
        open_bench_as(&b, 1, config_id);
    close(go[1]);
    char c;
    (void)!read(go[0], &c, 1);
    if (raw)
        insert_rows((long)till * 10000000L + 1, n, batch, parent);
    else {
        submit_orders(&b, (long)till * 10000000L + 1, n, batch);
        close_bench(&b);
    }
    _exit(0);
}

static double tills_rate(int raw, int tills, long per_till, int batch)
{
    fresh_pg();
    if (raw)
        create_raw_table();
    int go[2];
    if (pipe(go))
        exit(1);
    pid_t pids[8];
    fflush(stdout);
    for (int i = 0; i < tills; i++)
        if ((pids[i] = fork()) == 0)
            till_child(raw, i, per_till, batch, go);
    sleep(raw ? 0 : 2); /* the tills' configs and sessions first */
    double t0 = seconds();
    close(go[0]);
    close(go[1]);
    for (int i = 0; i < tills; i++)
        waitpid(pids[i], NULL, 0);
    return (double)(tills * per_till) / (seconds() - t0);
}

static void report(const char *label, long n, double (*fn)(int, long, int), int pg, int batch)
{
    double best = 0;
    for (int i = 0; i < RUNS; i++) {
        double v = fn(pg, n, batch);
        best = v > best ? v : best;
    }
    printf("%-50s %7ld orders %9.0f orders/s\n", label, n, best);
    fflush(stdout);
}

static double raw_adapter(int pg, long n, int batch)
{
    (void)pg;
    return raw_rate(n, batch);
}

/* ---- closing at size ---- */

/* What an ERP computing the close from the stored orders does: the payments per method. */
static double group_by_ms(const char *session_id)
{
    PGconn *c = PQconnectdb(conninfo);
    const char *params[] = {session_id};
    double t0 = seconds();
    PGresult *r = PQexecParams(c, "SELECT p->>0, sum((p->>2)::bigint) FROM pss_record o,"
                               " jsonb_array_elements(o.payload::jsonb->'payments') p"
                               " WHERE o.kind = 'order' AND o.parent = $1 GROUP BY 1",
                               1, NULL, params, NULL, NULL, 0);
    double t = seconds() - t0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 2)
        fprintf(stderr, "bench-pg: group by: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return t * 1000;
}

static void close_at(long n)
{
    bench b;
    open_bench(&b, 1);
    submit_orders(&b, 1, n, 1);
    char session_id[PSS_ID_SIZE];
    snprintf(session_id, sizeof session_id, "%s", pss_session_id(b.session));
    double t0 = seconds();
    if (pss_session_start_closing(b.session, &CASHIER) ||
        pss_session_close(b.session, &CASHIER, NULL))
        die(b.ctx, "close");
    double close_ms = (seconds() - t0) * 1000;
    close_bench(&b);
    printf("close of a session of %7ld orders: %8.1f ms; the GROUP BY on the server: %8.1f ms\n",
           n, close_ms, group_by_ms(session_id));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int arg = 1, quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int full = argc > 1 && strcmp(argv[1], "--full") == 0;
    arg += quick || full;
    const char *base = getenv("PSS_PG_CONNINFO");
    if (!base || arg >= argc) {
        fprintf(stderr, "usage: PSS_PG_CONNINFO=... bench-pg [--quick|--full] DIRECTORY\n");
        return 2;
    }
    snprintf(conninfo, sizeof conninfo, "%s dbname=pss_bench", base);
    snprintf(sqlite_path, sizeof sqlite_path, "%s/bench-pg.sqlite", argv[arg]);
    long one = quick ? 50 : 2000, many = quick ? 2000 : 50000;
    report("pg store, one order per transaction", one, library_rate, 1, 0);
    report("raw INSERT, one row per transaction", one, raw_adapter, 1, 0);
    report("sqlite store NORMAL, one order per transaction", one, library_rate, 0, 0);
    report("pg store, batches of 1000", many, library_rate, 1, 1);
    report("raw INSERT, 1000 rows per transaction", many, raw_adapter, 1, 1);
    report("sqlite store NORMAL, batches of 1000", many, library_rate, 0, 1);
    for (int batch = 0; batch <= 1; batch++) {
        long share = batch ? (quick ? 1000 : 20000) : (quick ? 50 : 1000);
        for (int tills = 1; tills <= 8; tills *= 2) {
            double lib = tills_rate(0, tills, share, batch);
            double raw = tills_rate(1, tills, share, batch);
            printf("%d till(s) at once, %-21s store %9.0f orders/s, raw %9.0f rows/s, "
                   "ratio %.2f\n", tills, batch ? "batches of 1000:" : "one per transaction:",
                   lib, raw, lib / raw);
            fflush(stdout);
        }
    }
    close_at(1000);
    if (!quick)
        close_at(100000);
    if (full)
        close_at(1000000);
    admin("DROP DATABASE IF EXISTS pss_bench WITH (FORCE)");
    return 0;
}
