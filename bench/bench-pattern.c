/* bench-pattern.c: issue 17's aims, measured before the storage redesign. Every figure is a
 * ratio against a raw peer measured in the same process run, alternating or interleaved with
 * the library so that the shared machine's noise hits both; nothing is asserted.
 *
 *   single        one order per transaction, synchronous NORMAL: library / raw SQLite
 *   batch         batches of 1000 orders per transaction, NORMAL: library / raw SQLite
 *   fill          filling one session to 1M orders in batches of 1000, the two interleaved
 *                 window by window: the rate at 1M (best of the last 5 windows of 10k) over
 *                 the rate at 10k (best of fresh first windows), for each
 *   close         pss_session_start_closing + pss_session_close at the end of that fill, and
 *                 of a few sessions after it in the same file
 *   memory        the in-memory store, batches of 1000: orders/s against copying the same
 *                 bytes into a hash map and against the store's own put of pre-encoded records
 *   memory-bytes  the in-memory store's heap growth per stored order at 1M orders, each store
 *                 in a fresh process
 *   breakdown     the library's storage calls per order (counts, bytes, time in the store) by
 *                 record kind, from a counting shim around the pss_storage table
 *
 * The raw SQLite peer is a plain file with the library's pragmas (WAL, the same synchronous,
 * SQLite's default page size, as the library leaves it) and one table keyed the way a
 * straightforward app keys it, `orders (id TEXT PRIMARY KEY, payload TEXT)`. It inserts the
 * library's own order records (captured from the library at start: what it stores for each
 * order), with the same ids and the same transactions (BEGIN IMMEDIATE ... COMMIT).
 *
 * Ids are random UUIDv4 (libuuid's uuid_generate_random, what tills make) and time-ordered
 * UUIDv7 (RFC 9562: 48-bit unix milliseconds, version 7, the rest random), made here.
 *
 *   bench-pattern [--quick | --full] [--dir DIR] [--runs N] [--ids v4|v7|both] [case ...]
 *
 * --full (the default) takes about 4 minutes, --quick (tiny sizes, 1 run) about a second;
 * runs defaults to 5; without cases, all run. bench/README.md explains each figure.
 */
#define _GNU_SOURCE /* mallinfo2 */
#include <malloc.h>
#include <possession.h>
#include <possession/sqlite.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "bench_order.h"

#define CONFIG_ID "be4c0000-0000-4000-8000-000000000001"
#define BATCH 1000
#define SAMPLES 1000 /* order records captured for the raw peers, used in turn */

static const pss_actor CASHIER = {PSS_ACTOR_VERSION, "bench", PSS_ROLE_MANAGER, "till"};

static int quick;
static int runs = 5;
static const char *dir = ".";
static const char *self_path;

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    return p;
}

static void die(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, ctx ? pss_ctx_errmsg(ctx) : "");
    exit(1);
}

static void die_sql(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench: raw SQLite %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void db_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void remove_db(const char *path)
{
    char aux[1200];
    remove(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    remove(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    remove(aux);
}

/* ------------------------------------------------------------------------------------------
 * Ids. */

typedef char id_text[PSS_ID_SIZE];
typedef enum id_kind { ID_V4, ID_V7 } id_kind;
static const char *const ID_NAMES[] = {"random UUIDv4", "time-ordered UUIDv7"};
static const char *const ID_SHORT[] = {"v4", "v7"};

static void make_ids(id_kind kind, id_text *out, long n)
{
    for (long i = 0; i < n; i++) {
        uuid_t raw;
        uuid_generate_random(raw);
        if (kind == ID_V7) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            uint64_t ms = (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
            for (int b = 0; b < 6; b++)
                raw[b] = (unsigned char)(ms >> (40 - 8 * b));
            raw[6] = (unsigned char)(0x70 | (raw[6] & 0x0f));
            raw[8] = (unsigned char)(0x80 | (raw[8] & 0x3f));
        }
        uuid_unparse_lower(raw, out[i]);
    }
}

/* ------------------------------------------------------------------------------------------
 * The library's orders, as in bench-session: 3 lines with a 10% included tax, 1 payment (two
 * thirds cash, one third card). */

static void save_config(pss_ctx *ctx)
{
    if (bench_save_config(ctx, CONFIG_ID, &CASHIER))
        die(ctx, "config");
}

typedef bench_order order_buf;

static void make_order(order_buf *o, const char *id, long n)
{
    bench_order_fill(o, id, n);
}

/* ------------------------------------------------------------------------------------------
 * The counting shim: a pss_storage table whose callbacks count (and, when timing, time) each
 * call by record kind, then call the wrapped store's. */

enum { OP_BEGIN, OP_COMMIT, OP_ROLLBACK, OP_GET, OP_PUT, OP_SCAN, OP_CLAIM, OP_RELEASE,
       OP_LOOKUP, OP_APPEND, OP_AUDIT_SCAN, OP_SCAN_LAST, OP_PREFETCH, OP_CHECK,
       OP_CHECK_LAST, OP_COUNT };
static const char *const OP_NAMES[] = {"begin", "commit", "rollback", "get", "put", "scan",
                                       "claim", "release", "lookup", "append", "audit_scan",
                                       "scan_last", "prefetch", "check",
                                       "check_last"};

/* A callback the shim does not forward would look absent to the library, which then takes
 * another path: every version of the table this header has must be forwarded. */
_Static_assert(PSS_STORAGE_VERSION <= 4, "the counting shim forwards the storage callbacks of "
                                         "versions 1 to 4 only: forward the new ones");

#define MAX_KINDS 16

/* The reads of one kind by one callback: calls, rows and bytes passed, seconds in the store
 * without the library's callbacks. */
typedef struct read_count {
    uint64_t calls, rows, bytes;
    double s;
} read_count;

enum { READ_GET, READ_SCAN, READ_LAST, READ_KINDS }; /* READ_LAST: scan_last (version 2) */
static const char *const READ_NAMES[READ_KINDS] = {"get", "scan", "scan_last"};

typedef struct kind_count {
    char kind[40];
    read_count reads[READ_KINDS];
    uint64_t creates, updates, put_bytes;
    double put_s;
} kind_count;

typedef struct shim {
    pss_storage vt; /* handed to the library; userdata points back here */
    pss_storage *inner;
    int timing;
    uint64_t calls[OP_COUNT];
    double secs[OP_COUNT];
    double max_commit; /* the slowest commit, in seconds (when timing) */
    uint64_t append_bytes;
    kind_count kinds[MAX_KINDS];
    int n_kinds;
    /* when capturing: copies of the first order records put */
    char **cap;
    size_t *cap_len;
    int cap_max, n_cap;
} shim;

static double shim_now(const shim *s)
{
    return s->timing ? seconds() : 0;
}

static kind_count *kind_of(shim *s, const char *kind)
{
    for (int i = 0; i < s->n_kinds; i++)
        if (strcmp(s->kinds[i].kind, kind) == 0)
            return &s->kinds[i];
    if (s->n_kinds == MAX_KINDS)
        return &s->kinds[MAX_KINDS - 1];
    kind_count *k = &s->kinds[s->n_kinds++];
    memset(k, 0, sizeof *k);
    snprintf(k->kind, sizeof k->kind, "%s", kind);
    return k;
}

typedef struct read_wrap {
    shim *s;
    pss_record_fn fn;
    void *arg;
    uint64_t rows, bytes;
    double cb_s;
} read_wrap;

static int wrap_row(const pss_record *r, void *arg)
{
    read_wrap *w = arg;
    w->rows++;
    w->bytes += r->payload_len;
    double t0 = shim_now(w->s);
    int rc = w->fn(r, w->arg);
    w->cb_s += shim_now(w->s) - t0;
    return rc;
}

static int sh_begin(void *u, unsigned flags)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->begin(s->inner->userdata, flags);
    s->calls[OP_BEGIN]++;
    s->secs[OP_BEGIN] += shim_now(s) - t0;
    return rc;
}

static int sh_commit(void *u)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->commit(s->inner->userdata);
    double t = shim_now(s) - t0;
    s->calls[OP_COMMIT]++;
    s->secs[OP_COMMIT] += t;
    s->max_commit = t > s->max_commit ? t : s->max_commit;
    return rc;
}

static int sh_rollback(void *u)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->rollback(s->inner->userdata);
    s->calls[OP_ROLLBACK]++;
    s->secs[OP_ROLLBACK] += shim_now(s) - t0;
    return rc;
}

/* Counts a read that began at t0 and passed what w saw. */
static void count_read(shim *s, const char *kind, int read, int op, const read_wrap *w,
                       double t0)
{
    double t = shim_now(s) - t0 - w->cb_s;
    read_count *r = &kind_of(s, kind)->reads[read];
    r->calls++;
    r->rows += w->rows;
    r->bytes += w->bytes;
    r->s += t;
    s->calls[op]++;
    s->secs[op] += t;
}

static int sh_get(void *u, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    shim *s = u;
    read_wrap w = {s, fn, arg, 0, 0, 0};
    double t0 = shim_now(s);
    int rc = s->inner->get(s->inner->userdata, kind, id, wrap_row, &w);
    count_read(s, kind, READ_GET, OP_GET, &w, t0);
    return rc;
}

static int sh_put(void *u, const pss_record *r, uint64_t expected, uint64_t *new_rev)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->put(s->inner->userdata, r, expected, new_rev);
    double t = shim_now(s) - t0;
    kind_count *k = kind_of(s, r->kind);
    if (expected)
        k->updates++;
    else
        k->creates++;
    k->put_bytes += r->payload_len;
    k->put_s += t;
    s->calls[OP_PUT]++;
    s->secs[OP_PUT] += t;
    if (s->n_cap < s->cap_max && strcmp(r->kind, "order") == 0) {
        s->cap[s->n_cap] = xmalloc(r->payload_len + 1);
        memcpy(s->cap[s->n_cap], r->payload, r->payload_len + 1);
        s->cap_len[s->n_cap++] = r->payload_len;
    }
    return rc;
}

static int sh_scan(void *u, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    shim *s = u;
    read_wrap w = {s, fn, arg, 0, 0, 0};
    double t0 = shim_now(s);
    int rc = s->inner->scan(s->inner->userdata, kind, parent, wrap_row, &w);
    count_read(s, kind, READ_SCAN, OP_SCAN, &w, t0);
    return rc;
}

#if PSS_STORAGE_VERSION >= 2
static int sh_scan_last(void *u, const char *kind, const char *parent, size_t n,
                        pss_record_fn fn, void *arg)
{
    shim *s = u;
    read_wrap w = {s, fn, arg, 0, 0, 0};
    double t0 = shim_now(s);
    int rc = s->inner->scan_last(s->inner->userdata, kind, parent, n, wrap_row, &w);
    count_read(s, kind, READ_LAST, OP_SCAN_LAST, &w, t0);
    return rc;
}
#endif

#if PSS_STORAGE_VERSION >= 3
static int sh_prefetch(void *u, const char *kind, const char *key, size_t last)
{
    shim *s = u;
    s->calls[OP_PREFETCH]++;
    return s->inner->prefetch(s->inner->userdata, kind, key, last);
}

static int sh_check(void *u, const char *kind, const char *id, uint64_t rev)
{
    shim *s = u;
    s->calls[OP_CHECK]++;
    return s->inner->check(s->inner->userdata, kind, id, rev);
}

static int sh_check_last(void *u, const char *kind, const char *parent, const char *id)
{
    shim *s = u;
    s->calls[OP_CHECK_LAST]++;
    return s->inner->check_last(s->inner->userdata, kind, parent, id);
}
#endif

static int sh_claim(void *u, const char *key, const char *owner, char *holder, size_t size)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->claim(s->inner->userdata, key, owner, holder, size);
    s->calls[OP_CLAIM]++;
    s->secs[OP_CLAIM] += shim_now(s) - t0;
    return rc;
}

static int sh_release(void *u, const char *key, const char *owner)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->release(s->inner->userdata, key, owner);
    s->calls[OP_RELEASE]++;
    s->secs[OP_RELEASE] += shim_now(s) - t0;
    return rc;
}

static int sh_lookup(void *u, const char *key, char *holder, size_t size)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->lookup(s->inner->userdata, key, holder, size);
    s->calls[OP_LOOKUP]++;
    s->secs[OP_LOOKUP] += shim_now(s) - t0;
    return rc;
}

static int sh_append(void *u, const char *subject, const char *payload, size_t len, uint64_t *seq)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->append(s->inner->userdata, subject, payload, len, seq);
    s->calls[OP_APPEND]++;
    s->secs[OP_APPEND] += shim_now(s) - t0;
    s->append_bytes += len;
    return rc;
}

static int sh_audit_scan(void *u, const char *subject, uint64_t after, pss_audit_fn fn, void *arg)
{
    shim *s = u;
    double t0 = shim_now(s);
    int rc = s->inner->audit_scan(s->inner->userdata, subject, after, fn, arg);
    s->calls[OP_AUDIT_SCAN]++;
    s->secs[OP_AUDIT_SCAN] += shim_now(s) - t0;
    return rc;
}

static const char *sh_errmsg(void *u)
{
    shim *s = u;
    return s->inner->errmsg ? s->inner->errmsg(s->inner->userdata) : NULL;
}

/* The shim owns nothing: its table has no free callback, the wrapped store is freed apart. */
static void shim_init(shim *s, pss_storage *inner, int timing)
{
    memset(s, 0, sizeof *s);
    pss_storage vt = PSS_STORAGE_INIT;
    vt.userdata = s;
    vt.begin = sh_begin;
    vt.commit = sh_commit;
    vt.rollback = sh_rollback;
    vt.get = sh_get;
    vt.put = sh_put;
    vt.scan = sh_scan;
    vt.claim = sh_claim;
    vt.release = sh_release;
    vt.lookup = sh_lookup;
    vt.append = sh_append;
    vt.audit_scan = sh_audit_scan;
    vt.errmsg = sh_errmsg;
#if PSS_STORAGE_VERSION >= 2
    if (inner->version >= 2 && inner->scan_last) /* absent stays absent */
        vt.scan_last = sh_scan_last;
#endif
#if PSS_STORAGE_VERSION >= 3
    if (inner->version >= 3 && inner->prefetch)
        vt.prefetch = sh_prefetch;
    if (inner->version >= 4 && inner->check && inner->check_last) {
        vt.check = sh_check;
        vt.check_last = sh_check_last;
    }
#endif
    s->vt = vt;
    s->inner = inner;
    s->timing = timing;
}

static void shim_reset(shim *s)
{
    memset(s->calls, 0, sizeof s->calls);
    memset(s->secs, 0, sizeof s->secs);
    s->max_commit = 0;
    s->append_bytes = 0;
    s->n_kinds = 0;
}

/* ------------------------------------------------------------------------------------------
 * The library's side: a context, a store (memory when path is NULL), an open session. */

typedef struct lib_run {
    pss_ctx *ctx;
    pss_storage *store;
    pss_session *session;
} lib_run;

/* With a shim, the library talks to the shim, which talks to the store. */
static void lib_open(lib_run *l, const char *path, pss_sqlite_sync sync, shim *sh)
{
    if (pss_ctx_new(&l->ctx, NULL))
        exit(1);
    int rc;
    if (path) {
        remove_db(path);
        pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
        o.sync = sync;
        rc = pss_sqlite_open(l->ctx, path, &o, &l->store);
    } else {
        rc = pss_memstore_new(&l->store);
    }
    if (rc)
        die(l->ctx, "store");
    if (sh)
        shim_init(sh, l->store, sh->timing);
    if (pss_ctx_set_storage(l->ctx, sh ? &sh->vt : l->store))
        die(l->ctx, "set storage");
    save_config(l->ctx);
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    if (pss_session_create(l->ctx, CONFIG_ID, &CASHIER, NULL, &l->session) ||
        pss_session_open(l->session, &CASHIER, &open))
        die(l->ctx, "session");
}

static void lib_free(lib_run *l)
{
    pss_session_free(l->session);
    pss_ctx_free(l->ctx);
    pss_storage_free(l->store);
}

static order_buf batch_orders[BATCH];
static const pss_order_input *batch_ptrs[BATCH];
static pss_submit_result batch_results[BATCH];

/* Builds orders seq.. from ids (untimed) and submits them in one call: its seconds. */
static double lib_batch(lib_run *l, const id_text *ids, long seq, long n)
{
    for (long i = 0; i < n; i++) {
        make_order(&batch_orders[i], ids[i], seq + i);
        batch_ptrs[i] = &batch_orders[i].in;
        batch_results[i] = (pss_submit_result)PSS_SUBMIT_RESULT_INIT;
    }
    size_t accepted = 0;
    double t0 = seconds();
    if (pss_session_submit_batch(l->session, &CASHIER, batch_ptrs, (size_t)n, batch_results,
                                 &accepted) ||
        accepted != (size_t)n)
        die(l->ctx, "batch");
    return seconds() - t0;
}

/* One pss_session_submit per order (one transaction each): the seconds of the calls. */
static double lib_singles(lib_run *l, const id_text *ids, long seq, long n)
{
    double t = 0;
    for (long i = 0; i < n; i++) {
        make_order(&batch_orders[0], ids[i], seq + i);
        double t0 = seconds();
        if (pss_session_submit(l->session, &CASHIER, &batch_orders[0].in, NULL))
            die(l->ctx, "submit");
        t += seconds() - t0;
    }
    return t;
}

/* ------------------------------------------------------------------------------------------
 * The raw peers' payloads: the library's own order records, captured at start. */

static char *sample[SAMPLES];
static size_t sample_len[SAMPLES];
static int n_samples;
static double sample_mean;

static void capture_samples(void)
{
    shim sh;
    sh.timing = 0;
    lib_run l;
    lib_open(&l, NULL, PSS_SQLITE_SYNC_NORMAL, &sh);
    sh.cap = sample;
    sh.cap_len = sample_len;
    sh.cap_max = SAMPLES;
    id_text *ids = xmalloc(SAMPLES * sizeof *ids);
    make_ids(ID_V4, ids, SAMPLES);
    lib_batch(&l, ids, 1, SAMPLES);
    free(ids);
    lib_free(&l);
    n_samples = sh.n_cap;
    double sum = 0;
    for (int i = 0; i < n_samples; i++)
        sum += (double)sample_len[i];
    sample_mean = n_samples ? sum / n_samples : 0;
    if (n_samples < 1)
        die(NULL, "no order record captured");
}

/* ------------------------------------------------------------------------------------------
 * The raw SQLite peer. */

typedef struct raw_db {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *insert;
} raw_db;

static void raw_exec(raw_db *r, const char *sql)
{
    if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die_sql(r->db, sql);
}

static void raw_prepare(raw_db *r, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        die_sql(r->db, sql);
}

static void raw_open(raw_db *r, const char *path, pss_sqlite_sync sync)
{
    remove_db(path);
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        die_sql(r->db, "open");
    raw_exec(r, "PRAGMA journal_mode = WAL");
    raw_exec(r, sync == PSS_SQLITE_SYNC_NORMAL ? "PRAGMA synchronous = NORMAL"
                                               : "PRAGMA synchronous = FULL");
    raw_exec(r, "CREATE TABLE orders (id TEXT PRIMARY KEY, payload TEXT NOT NULL)");
    raw_prepare(r, "BEGIN IMMEDIATE", &r->begin);
    raw_prepare(r, "COMMIT", &r->commit);
    raw_prepare(r, "INSERT INTO orders (id, payload) VALUES (?1, ?2)", &r->insert);
}

static void raw_step(raw_db *r, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die_sql(r->db, "step");
    sqlite3_reset(st);
}

/* Orders seq.. with ids in one transaction: its seconds. */
static double raw_txn(raw_db *r, const id_text *ids, long seq, long n)
{
    double t0 = seconds();
    raw_step(r, r->begin);
    for (long i = 0; i < n; i++) {
        int k = (int)((seq + i) % n_samples);
        sqlite3_bind_text(r->insert, 1, ids[i], PSS_ID_SIZE - 1, SQLITE_STATIC);
        sqlite3_bind_text(r->insert, 2, sample[k], (int)sample_len[k], SQLITE_STATIC);
        raw_step(r, r->insert);
    }
    raw_step(r, r->commit);
    return seconds() - t0;
}

static double raw_singles(raw_db *r, const id_text *ids, long seq, long n)
{
    double t = 0;
    for (long i = 0; i < n; i++)
        t += raw_txn(r, ids + i, seq + i, 1);
    return t;
}

static void raw_close(raw_db *r)
{
    sqlite3_finalize(r->begin);
    sqlite3_finalize(r->commit);
    sqlite3_finalize(r->insert);
    sqlite3_close(r->db);
}

/* page size and journal mode of a file, read from a connection of its own */
static void file_pragmas(const char *path, int *page, char *mode, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    *page = 0;
    snprintf(mode, size, "?");
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *page = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(mode, size, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

/* ------------------------------------------------------------------------------------------
 * The raw memory peer: a hash map (open addressing) of malloc'd copies of id and payload. */

typedef struct map_entry {
    size_t payload_len;
    char data[]; /* id NUL payload NUL */
} map_entry;

typedef struct map_slot {
    uint64_t hash;
    map_entry *e;
} map_slot;

typedef struct raw_map {
    map_slot *slots;
    size_t mask, count;
} raw_map;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

static void map_grow(raw_map *m)
{
    size_t cap = m->slots ? (m->mask + 1) * 2 : 1024;
    map_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        die(NULL, "out of memory");
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].e) {
            size_t j = m->slots[i].hash & (cap - 1);
            while (slots[j].e)
                j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
    free(m->slots);
    m->slots = slots;
    m->mask = cap - 1;
}

/* Copies id and payload in; an id already there is replaced. */
static void map_put(raw_map *m, const char *id, const char *payload, size_t len)
{
    if (!m->slots || m->count + 1 > (m->mask + 1) / 4 * 3)
        map_grow(m);
    size_t idlen = strlen(id);
    uint64_t h = fnv1a(id, idlen);
    map_entry *e = xmalloc(sizeof *e + idlen + 1 + len + 1);
    e->payload_len = len;
    memcpy(e->data, id, idlen + 1);
    memcpy(e->data + idlen + 1, payload, len + 1);
    size_t i = h & m->mask;
    for (; m->slots[i].e; i = (i + 1) & m->mask)
        if (m->slots[i].hash == h && strcmp(m->slots[i].e->data, id) == 0) {
            free(m->slots[i].e);
            m->slots[i].e = e;
            return;
        }
    m->slots[i].hash = h;
    m->slots[i].e = e;
    m->count++;
}

static void map_free(raw_map *m)
{
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        free(m->slots[i].e);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static double map_batch(raw_map *m, const id_text *ids, long seq, long n)
{
    double t0 = seconds();
    for (long i = 0; i < n; i++) {
        int k = (int)((seq + i) % n_samples);
        map_put(m, ids[i], sample[k], sample_len[k]);
    }
    return seconds() - t0;
}

/* The in-memory store's own put of the pre-encoded order records, 1000 per transaction,
 * under one session id as parent (what the library's order records have). */
static double put_batch(pss_storage *st, const char *parent, const id_text *ids, long seq, long n)
{
    double t0 = seconds();
    if (st->begin(st->userdata, PSS_TXN_WRITE))
        die(NULL, "memstore begin");
    for (long i = 0; i < n; i++) {
        int k = (int)((seq + i) % n_samples);
        pss_record r = {"order", ids[i], parent, 0, sample[k], sample_len[k]};
        uint64_t rev;
        if (st->put(st->userdata, &r, 0, &rev))
            die(NULL, "memstore put");
    }
    if (st->commit(st->userdata))
        die(NULL, "memstore commit");
    return seconds() - t0;
}

#define PUT_PARENT "be4c0000-0000-4000-8000-0000000000aa"

/* ------------------------------------------------------------------------------------------
 * The summary of aims, printed at the end. */

#define MAX_AIMS 32
static struct aim_line {
    char what[96], measured[96], aim[32];
    int met;
} aims[MAX_AIMS];
static int n_aims;

static void add_aim(const char *what, const char *measured, const char *aim, int met)
{
    if (n_aims == MAX_AIMS)
        return;
    struct aim_line *a = &aims[n_aims++];
    snprintf(a->what, sizeof a->what, "%s", what);
    snprintf(a->measured, sizeof a->measured, "%s", measured);
    snprintf(a->aim, sizeof a->aim, "%s", aim);
    a->met = met;
}

/* ------------------------------------------------------------------------------------------
 * single, batch: the library and raw SQLite alternately, each run on fresh files, best of
 * `runs`; the ratio of the bests and the range of the ratios of each pair of runs. */

static void case_rate(int batched, id_kind kind)
{
    long n = batched ? (quick ? 2000 : 200000) : (quick ? 200 : 20000);
    const char *title = batched ? "batches of 1000, NORMAL" : "one order per transaction, NORMAL";
    char lib_path[1100], raw_path[1100];
    db_path(lib_path, sizeof lib_path, "pattern-lib.db");
    db_path(raw_path, sizeof raw_path, "pattern-raw.db");
    id_text *ids = xmalloc((size_t)n * sizeof *ids);
    make_ids(kind, ids, n);
    double best_lib = 0, best_raw = 0, lo = 0, hi = 0;
    for (int r = 0; r < runs; r++) {
        double lib_rate = 0, raw_rate = 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0) == (r % 2 == 0)) {
                lib_run l;
                lib_open(&l, lib_path, PSS_SQLITE_SYNC_NORMAL, NULL);
                double t = 0;
                if (batched)
                    for (long i = 0; i < n; i += BATCH)
                        t += lib_batch(&l, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
                else
                    t = lib_singles(&l, ids, 1, n);
                lib_free(&l);
                lib_rate = (double)n / t;
            } else {
                raw_db rd;
                raw_open(&rd, raw_path, PSS_SQLITE_SYNC_NORMAL);
                double t = 0;
                if (batched)
                    for (long i = 0; i < n; i += BATCH)
                        t += raw_txn(&rd, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
                else
                    t = raw_singles(&rd, ids, 1, n);
                raw_close(&rd);
                raw_rate = (double)n / t;
            }
        }
        double ratio = lib_rate / raw_rate;
        lo = r == 0 || ratio < lo ? ratio : lo;
        hi = r == 0 || ratio > hi ? ratio : hi;
        best_lib = lib_rate > best_lib ? lib_rate : best_lib;
        best_raw = raw_rate > best_raw ? raw_rate : best_raw;
    }
    double aim = batched ? 0.8 : 0.6;
    printf("%-34s %-19s %7ld orders: library %7.0f/s, raw %7.0f/s, ratio %.2f "
           "(pairs %.2f-%.2f), aim >= %.1f\n",
           title, ID_NAMES[kind], n, best_lib, best_raw, best_lib / best_raw, lo, hi, aim);
    fflush(stdout);
    char what[96], measured[96], aim_text[32];
    snprintf(what, sizeof what, "%s, %s", batched ? "batches of 1000" : "one per transaction",
             ID_SHORT[kind]);
    snprintf(measured, sizeof measured, "%.2f (%.0f / %.0f orders/s)", best_lib / best_raw,
             best_lib, best_raw);
    snprintf(aim_text, sizeof aim_text, ">= %.1f", aim);
    add_aim(what, measured, aim_text, best_lib / best_raw >= aim);
    free(ids);
    remove_db(lib_path);
    remove_db(raw_path);
}

/* ------------------------------------------------------------------------------------------
 * fill and close: one library session and one raw table filled to N orders in batches of
 * 1000, interleaved window by window (W orders of the one, then of the other, the first
 * alternating), with the same ids. */

static void print_close_calls(const shim *s)
{
    printf("    the store's calls in close (shim timing):");
    for (int op = 0; op < OP_COUNT; op++)
        if (s->calls[op])
            printf(" %s %llu (%.3f ms)", OP_NAMES[op], (unsigned long long)s->calls[op],
                   s->secs[op] * 1000);
    printf("; slowest commit %.3f ms\n", s->max_commit * 1000);
}

/* The rate of the first w orders into fresh files, library and raw alternately, best of
 * `runs`: "the rate at 10k" with the noise of one sample taken out. */
static void fresh_window(id_kind kind, long w, double *lib_best, double *raw_best)
{
    char lib_path[1100], raw_path[1100];
    db_path(lib_path, sizeof lib_path, "pattern-lib-w.db");
    db_path(raw_path, sizeof raw_path, "pattern-raw-w.db");
    id_text *ids = xmalloc((size_t)w * sizeof *ids);
    make_ids(kind, ids, w);
    for (int r = 0; r < runs; r++)
        for (int side = 0; side < 2; side++) {
            double t = 0;
            if ((side == 0) == (r % 2 == 0)) {
                lib_run l;
                lib_open(&l, lib_path, PSS_SQLITE_SYNC_NORMAL, NULL);
                for (long i = 0; i < w; i += BATCH)
                    t += lib_batch(&l, ids + i, i + 1, BATCH);
                lib_free(&l);
                *lib_best = (double)w / t > *lib_best ? (double)w / t : *lib_best;
            } else {
                raw_db rd;
                raw_open(&rd, raw_path, PSS_SQLITE_SYNC_NORMAL);
                for (long i = 0; i < w; i += BATCH)
                    t += raw_txn(&rd, ids + i, i + 1, BATCH);
                raw_close(&rd);
                *raw_best = (double)w / t > *raw_best ? (double)w / t : *raw_best;
            }
        }
    free(ids);
    remove_db(lib_path);
    remove_db(raw_path);
}

/* start_closing + close of l's session through the timing shim: its seconds. */
static double timed_close(lib_run *l, shim *fs, double *start_s)
{
    shim_reset(fs);
    double t0 = seconds();
    if (pss_session_start_closing(l->session, &CASHIER))
        die(l->ctx, "start closing");
    double t1 = seconds();
    if (pss_session_close(l->session, &CASHIER, NULL))
        die(l->ctx, "close");
    double t2 = seconds();
    if (start_s)
        *start_s = t1 - t0;
    return t2 - t0;
}

#define TAIL 5 /* windows at the end of the fill whose best gives "the rate at N" */

static void case_fill(id_kind kind, int show_fill, int show_close)
{
    long n = quick ? 20000 : 1000000, w = quick ? 1000 : 10000;
    char lib_path[1100], raw_path[1100];
    db_path(lib_path, sizeof lib_path, "pattern-lib.db");
    db_path(raw_path, sizeof raw_path, "pattern-raw.db");
    double fresh_lib = 0, fresh_raw = 0;
    if (show_fill)
        fresh_window(kind, w, &fresh_lib, &fresh_raw);
    lib_run l;
    raw_db rd;
    lib_open(&l, lib_path, PSS_SQLITE_SYNC_NORMAL, NULL);
    raw_open(&rd, raw_path, PSS_SQLITE_SYNC_NORMAL);
    id_text *ids = xmalloc((size_t)w * sizeof *ids);
    long marks[] = {w, n / 100, n / 10, n / 4, n / 2, n * 3 / 4, n};
    size_t next_mark = 0;
    long printed = 0, n_windows = n / w;
    double first_lib = 0, first_raw = 0, last_lib = 0, last_raw = 0, tail_lib = 0, tail_raw = 0;
    double fill_start = seconds();
    if (show_fill)
        printf("fill, %s ids, batches of 1000, NORMAL, the library and raw SQLite interleaved "
               "by windows of %ld orders: orders/s of the window ending at\n",
               ID_NAMES[kind], w);
    shim fs; /* the last window's commits and then the close go through it, timed */
    for (long done = 0, k = 0; done < n; done += w, k++) {
        make_ids(kind, ids, w);
        if (k == n_windows - 1) {
            shim_init(&fs, l.store, 1);
            if (pss_ctx_set_storage(l.ctx, &fs.vt))
                die(l.ctx, "set storage");
        }
        double tl = 0, tr = 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0) == (k % 2 == 0))
                for (long i = 0; i < w; i += BATCH)
                    tl += lib_batch(&l, ids + i, done + i + 1, BATCH);
            else
                for (long i = 0; i < w; i += BATCH)
                    tr += raw_txn(&rd, ids + i, done + i + 1, BATCH);
        }
        double lr = (double)w / tl, rr = (double)w / tr;
        if (k == 0)
            first_lib = lr, first_raw = rr;
        last_lib = lr, last_raw = rr;
        if (k >= n_windows - TAIL) {
            tail_lib = lr > tail_lib ? lr : tail_lib;
            tail_raw = rr > tail_raw ? rr : tail_raw;
        }
        while (next_mark < sizeof marks / sizeof marks[0] && marks[next_mark] <= done + w) {
            if (show_fill && marks[next_mark] == done + w && printed != done + w) {
                printf("  %8ld orders: library %7.0f/s, raw %7.0f/s, library/raw %.2f\n",
                       done + w, lr, rr, lr / rr);
                printed = done + w;
            }
            next_mark++;
        }
        fflush(stdout);
    }
    double fill_time = seconds() - fill_start;
    free(ids);
    if (show_fill) {
        fresh_lib = first_lib > fresh_lib ? first_lib : fresh_lib;
        fresh_raw = first_raw > fresh_raw ? first_raw : fresh_raw;
        printf("  one window each (the fill's last over its first): library %.2f, raw %.2f; "
               "library/raw at %ld orders %.2f; both filled in %.1f s\n",
               last_lib / first_lib, last_raw / first_raw, n, last_lib / last_raw, fill_time);
        printf("  best of %d fresh first windows and of the last %d windows: library %.0f/s -> "
               "%.0f/s (%.2f, aim >= 0.8), raw %.0f/s -> %.0f/s (%.2f); library/raw at %ld "
               "orders %.2f, at %ld %.2f\n",
               runs + 1, TAIL, fresh_lib, tail_lib, tail_lib / fresh_lib, fresh_raw, tail_raw,
               tail_raw / fresh_raw, n, tail_lib / tail_raw, w, fresh_lib / fresh_raw);
        char what[96], measured[96];
        snprintf(what, sizeof what, "fill rate at %ld / at %ld, %s", n, w, ID_SHORT[kind]);
        snprintf(measured, sizeof measured, "%.2f (raw %.2f; library/raw at %ld %.2f)",
                 tail_lib / fresh_lib, tail_raw / fresh_raw, n, tail_lib / tail_raw);
        add_aim(what, measured, ">= 0.8", tail_lib / fresh_lib >= 0.8);
    }
    if (show_close) {
        /* SQLite checkpoints in the commit that takes the WAL past 1000 pages: whether one
         * lands in close's commits is chance. What such a commit costs at this size shows in
         * the fill's last window, which went through the shim. */
        printf("close at %ld orders, %s ids: the fill's last %ld orders made %llu commits, "
               "%.3f ms each on average, the slowest %.3f ms\n",
               n, ID_NAMES[kind], w, (unsigned long long)fs.calls[OP_COMMIT],
               fs.secs[OP_COMMIT] * 1000 / (double)fs.calls[OP_COMMIT], fs.max_commit * 1000);
        double fill_commit_max = fs.max_commit, start_s = 0;
        double t = timed_close(&l, &fs, &start_s);
        printf("close at %ld orders, %s ids, SQLite NORMAL: %.3f ms (start_closing %.3f, "
               "close %.3f), aim < 1 ms: %.2f times the aim\n",
               n, ID_NAMES[kind], t * 1000, start_s * 1000, (t - start_s) * 1000, t * 1000);
        print_close_calls(&fs);
        /* One close is one sample: sessions after it in the same file, 1000 orders each, give
         * more of them (their close reads what a 1M session's does: no order). */
        double best = 0, worst = 0;
        int with_checkpoint = 0;
        id_text *more = xmalloc(BATCH * sizeof *more);
        for (int r = 0; r < runs; r++) {
            pss_session_free(l.session);
            pss_opening_input open = PSS_OPENING_INPUT_INIT;
            if (pss_session_create(l.ctx, CONFIG_ID, &CASHIER, NULL, &l.session) ||
                pss_session_open(l.session, &CASHIER, &open))
                die(l.ctx, "next session");
            make_ids(kind, more, BATCH);
            lib_batch(&l, more, n + 1 + (long)r * BATCH, BATCH);
            double c = timed_close(&l, &fs, NULL);
            best = r == 0 || c < best ? c : best;
            worst = r == 0 || c > worst ? c : worst;
            with_checkpoint += fs.max_commit > 1e-3;
        }
        free(more);
        printf("    %d later sessions in the same file (1000 orders each): close best %.3f ms, "
               "worst %.3f ms; %d of them had a commit over 1 ms\n",
               runs, best * 1000, worst * 1000, with_checkpoint);
        char what[96], measured[96];
        snprintf(what, sizeof what, "close at %ld orders, %s", n, ID_SHORT[kind]);
        snprintf(measured, sizeof measured,
                 "%.3f ms (later closes %.3f-%.3f; fill commits up to %.0f ms)",
                 t * 1000, best * 1000, worst * 1000, fill_commit_max * 1000);
        add_aim(what, measured, "< 1 ms", t * 1000 < 1);
    }
    fflush(stdout);
    /* closed last: its final checkpoint writes the whole file, which must not be in flight
     * while the library closes */
    raw_close(&rd);
    lib_free(&l);
    remove_db(lib_path);
    remove_db(raw_path);
}

/* ------------------------------------------------------------------------------------------
 * memory: the in-memory store in batches of 1000, against the hash map and the store's own
 * put of the same bytes; the three in turn, best of `runs`. */

static void case_memory(id_kind kind)
{
    long n = quick ? 2000 : 200000;
    id_text *ids = xmalloc((size_t)n * sizeof *ids);
    make_ids(kind, ids, n);
    double best[3] = {0, 0, 0};
    for (int r = 0; r < runs; r++)
        for (int j = 0; j < 3; j++) {
            int which = (j + r) % 3;
            double t = 0;
            if (which == 0) {
                lib_run l;
                lib_open(&l, NULL, PSS_SQLITE_SYNC_NORMAL, NULL);
                for (long i = 0; i < n; i += BATCH)
                    t += lib_batch(&l, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
                lib_free(&l);
            } else if (which == 1) {
                raw_map m = {NULL, 0, 0};
                for (long i = 0; i < n; i += BATCH)
                    t += map_batch(&m, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
                map_free(&m);
            } else {
                pss_storage *st;
                if (pss_memstore_new(&st))
                    die(NULL, "memstore");
                for (long i = 0; i < n; i += BATCH)
                    t += put_batch(st, PUT_PARENT, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
                pss_storage_free(st);
            }
            double rate = (double)n / t;
            best[which] = rate > best[which] ? rate : best[which];
        }
    printf("memory store, batches of 1000, %-19s %7ld orders: library %8.0f/s (%.2f of the "
           "aim of 1,000,000/s); hash map copy %8.0f/s, ratio %.3f; memstore put of the "
           "records %8.0f/s, ratio %.2f\n",
           ID_NAMES[kind], n, best[0], best[0] / 1e6, best[1], best[0] / best[1], best[2],
           best[0] / best[2]);
    char what[96], measured[96];
    snprintf(what, sizeof what, "memory store, batches of 1000, %s", ID_SHORT[kind]);
    snprintf(measured, sizeof measured, "%.0f orders/s (%.2f of aim; /map %.3f, /put %.2f)",
             best[0], best[0] / 1e6, best[0] / best[1], best[0] / best[2]);
    add_aim(what, measured, ">= 1,000,000/s", best[0] >= 1e6);
    fflush(stdout);
    free(ids);
}

/* ------------------------------------------------------------------------------------------
 * memory-bytes: each store filled to N orders in a fresh process (so that neither the
 * others' freed memory nor their peak is counted); the child writes its figures to a pipe. */

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; /* arena chunks in use + mmapped chunks (big tables) */
}

static long status_kib(const char *field)
{
    char line[256], fmt[64];
    long kib = -1;
    snprintf(fmt, sizeof fmt, "%s: %%ld kB", field);
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, fmt, &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static void child_memory(const char *which, long n, id_kind kind)
{
    id_text ids[BATCH];
    lib_run l;
    raw_map m = {NULL, 0, 0};
    pss_storage *st = NULL;
    if (strcmp(which, "library") == 0)
        lib_open(&l, NULL, PSS_SQLITE_SYNC_NORMAL, NULL);
    else if (strcmp(which, "put") == 0 && pss_memstore_new(&st))
        die(NULL, "memstore");
    if (strcmp(which, "library") != 0)
        capture_samples();
    size_t heap0 = heap_in_use();
    long rss0 = status_kib("VmRSS");
    double t0 = seconds();
    for (long i = 0; i < n; i += BATCH) {
        make_ids(kind, ids, BATCH);
        if (strcmp(which, "library") == 0)
            lib_batch(&l, ids, i + 1, BATCH);
        else if (strcmp(which, "map") == 0)
            map_batch(&m, ids, i + 1, BATCH);
        else
            put_batch(st, PUT_PARENT, ids, i + 1, BATCH);
    }
    double t = seconds() - t0;
    size_t heap1 = heap_in_use();
    long rss1 = status_kib("VmRSS");
    printf("%.1f %.1f %ld %.2f\n", ((double)heap1 - (double)heap0) / (double)n,
           (double)(rss1 - rss0) * 1024.0 / (double)n, status_kib("VmHWM"), t);
    fflush(stdout);
    _exit(0); /* the figures are out: freeing a million records would only take time */
}

static int run_child(const char *which, long n, id_kind kind, double out[4])
{
    int fd[2];
    if (pipe(fd))
        return -1;
    char count[32], kind_arg[8];
    snprintf(count, sizeof count, "%ld", n);
    snprintf(kind_arg, sizeof kind_arg, "%s", ID_SHORT[kind]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        execl(self_path, self_path, "--child", which, count, kind_arg, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[256] = "";
    FILE *f = fdopen(fd[0], "r");
    int got = f && fgets(buf, sizeof buf, f) &&
              sscanf(buf, "%lf %lf %lf %lf", &out[0], &out[1], &out[2], &out[3]) == 4;
    if (f)
        fclose(f);
    int status;
    waitpid(pid, &status, 0);
    return got ? 0 : -1;
}

static void case_memory_bytes(id_kind kind)
{
    long n = quick ? 10000 : 1000000;
    static const char *const which[] = {"library", "map", "put"};
    static const char *const label[] = {"library (pss_session_submit_batch)",
                                        "hash map copy of the order records",
                                        "memstore put of the order records"};
    double fig[3][4];
    printf("memory store, bytes per stored order at %ld orders, %s ids (heap growth by "
           "mallinfo2, in use + mmapped; RSS growth; a fresh process each):\n",
           n, ID_NAMES[kind]);
    for (int i = 0; i < 3; i++) {
        if (run_child(which[i], n, kind, fig[i])) {
            printf("  %-36s failed\n", label[i]);
            return;
        }
        printf("  %-36s heap %7.1f bytes/order, RSS %7.1f bytes/order, peak RSS %8.0f KiB "
               "(filled in %.2f s)\n",
               label[i], fig[i][0], fig[i][1], fig[i][2], fig[i][3]);
    }
    if (fig[0][0] <= 0 || fig[1][0] <= 0 || fig[2][0] <= 0) { /* a sanitizer's allocator */
        printf("  the allocator gives no figures here: no bytes per order\n");
        return;
    }
    printf("  the order record alone is %.0f bytes; library / hash map %.2f, library / memstore "
           "put %.2f; aim <= 400 bytes/order: %.2f times the aim\n",
           sample_mean, fig[0][0] / fig[1][0], fig[0][0] / fig[2][0], fig[0][0] / 400);
    char what[96], measured[96];
    snprintf(what, sizeof what, "memory store, bytes per order at %ld, %s", n, ID_SHORT[kind]);
    snprintf(measured, sizeof measured, "%.0f bytes (map %.0f, put %.0f)", fig[0][0], fig[1][0],
             fig[2][0]);
    add_aim(what, measured, "<= 400", fig[0][0] <= 400);
    fflush(stdout);
}

/* ------------------------------------------------------------------------------------------
 * breakdown: the library's storage calls per order, through the shim, on SQLite NORMAL. */

/* One line of a breakdown: a kind's reads by one callback, per unit. */
static void print_read(const kind_count *k, int read, double per)
{
    const read_count *r = &k->reads[read];
    if (r->calls)
        printf("  %-10s %-14s %9.4f %11.1f %9.2f   (%.4f %s)\n", READ_NAMES[read], k->kind,
               (double)r->calls * per, (double)r->bytes * per, r->s * per * 1e6,
               (double)r->rows * per, read == READ_GET ? "found" : "rows");
}

static void print_breakdown(const char *title, const char *unit, const shim *s, long n,
                            double total_s)
{
    double per = 1.0 / (double)n, store_s = 0;
    printf("%s: per %s, %ld %ss (time in the store by the shim's clock, the library's "
           "record callbacks left out)\n", title, unit, n, unit);
    printf("  %-10s %-14s %9s %11s %9s\n", "call", "kind", "calls", "bytes", "us");
    for (int op = 0; op < OP_COUNT; op++) {
        store_s += s->secs[op];
        if (op == OP_GET || op == OP_PUT || op == OP_SCAN || op == OP_SCAN_LAST || !s->calls[op])
            continue;
        printf("  %-10s %-14s %9.4f %11.1f %9.2f\n", OP_NAMES[op], "",
               (double)s->calls[op] * per, op == OP_APPEND ? (double)s->append_bytes * per : 0.0,
               s->secs[op] * per * 1e6);
    }
    for (int i = 0; i < s->n_kinds; i++) {
        const kind_count *k = &s->kinds[i];
        print_read(k, READ_GET, per);
        if (k->creates)
            printf("  %-10s %-14s %9.4f %11s %9s\n", "put new", k->kind, (double)k->creates * per,
                   "", "");
        if (k->updates)
            printf("  %-10s %-14s %9.4f %11s %9s\n", "put update", k->kind,
                   (double)k->updates * per, "", "");
        if (k->creates || k->updates)
            printf("  %-10s %-14s %9.4f %11.1f %9.2f\n", "put, all", k->kind,
                   (double)(k->creates + k->updates) * per, (double)k->put_bytes * per,
                   k->put_s * per * 1e6);
        print_read(k, READ_SCAN, per);
        print_read(k, READ_LAST, per);
    }
    uint64_t puts = 0, bytes = 0;
    for (int i = 0; i < s->n_kinds; i++)
        puts += s->kinds[i].creates + s->kinds[i].updates, bytes += s->kinds[i].put_bytes;
    printf("  all puts: %.3f per %s, %.0f bytes per %s; %.2f us per %s in the store, "
           "%.2f us outside it (%.0f%% in the store)\n",
           (double)puts * per, unit, (double)bytes * per, unit, store_s * per * 1e6, unit,
           (total_s - store_s) * per * 1e6, 100 * store_s / total_s);
}

/* What one clock read of the shim costs: the store's times include two per call. */
static double clock_cost(void)
{
    double t0 = seconds();
    for (int i = 0; i < 100000; i++)
        (void)seconds(); /* clock_gettime cannot be left out */
    return (seconds() - t0) / 100000;
}

static void case_breakdown(void)
{
    char path[1100];
    db_path(path, sizeof path, "pattern-lib.db");
    printf("breakdown: a clock read costs %.0f ns here; the shim makes two per call (four per "
           "get or scan that finds a record)\n", clock_cost() * 1e9);
    static const char *const titles[] = {
        "breakdown, SQLite NORMAL, one order per transaction, random UUIDv4",
        "breakdown, SQLite NORMAL, batches of 1000, random UUIDv4",
        "breakdown, memory store, batches of 1000, random UUIDv4"};
    for (int mode = 0; mode < 3; mode++) {
        int batched = mode > 0;
        long n = batched ? (quick ? 2000 : 100000) : (quick ? 200 : 10000);
        id_text *ids = xmalloc((size_t)n * sizeof *ids);
        make_ids(ID_V4, ids, n);
        shim sh;
        sh.timing = 1;
        lib_run l;
        lib_open(&l, mode < 2 ? path : NULL, PSS_SQLITE_SYNC_NORMAL, &sh);
        shim_reset(&sh);
        double t = 0;
        if (batched)
            for (long i = 0; i < n; i += BATCH)
                t += lib_batch(&l, ids + i, i + 1, n - i < BATCH ? n - i : BATCH);
        else
            t = lib_singles(&l, ids, 1, n);
        print_breakdown(titles[mode], "order", &sh, n, t);
        if (mode == 1) {
            shim_reset(&sh);
            double t0 = seconds();
            if (pss_session_start_closing(l.session, &CASHIER) ||
                pss_session_close(l.session, &CASHIER, NULL))
                die(l.ctx, "close");
            char title[128];
            snprintf(title, sizeof title, "breakdown of closing that session (%ld orders), "
                     "start_closing + close", n);
            print_breakdown(title, "close", &sh, 1, seconds() - t0);
        }
        fflush(stdout);
        lib_free(&l);
        free(ids);
    }
    remove_db(path);
}

/* ------------------------------------------------------------------------------------------ */

static const char *const CASES[] = {"single", "batch", "fill", "close", "memory",
                                    "memory-bytes", "breakdown"};
#define N_CASES ((int)(sizeof CASES / sizeof CASES[0]))

static int usage(void)
{
    fprintf(stderr, "usage: bench-pattern [--quick | --full] [--dir DIR] [--runs N] "
                    "[--ids v4|v7|both] [case ...]\ncases:");
    for (int i = 0; i < N_CASES; i++)
        fprintf(stderr, " %s", CASES[i]);
    fprintf(stderr, "\n");
    return 2;
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 5 && strcmp(argv[1], "--child") == 0) {
        child_memory(argv[2], atol(argv[3]), strcmp(argv[4], "v7") == 0 ? ID_V7 : ID_V4);
        return 0;
    }
    int want[N_CASES] = {0}, any = 0, id_from = ID_V4, id_to = ID_V7, runs_set = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "--full") == 0) {
            quick = 0;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
            runs_set = 1;
            if (runs < 1)
                return usage();
        } else if (strcmp(argv[i], "--ids") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "v4") == 0)
                id_from = id_to = ID_V4;
            else if (strcmp(argv[i], "v7") == 0)
                id_from = id_to = ID_V7;
            else if (strcmp(argv[i], "both") != 0)
                return usage();
        } else {
            int found = 0;
            for (int c = 0; c < N_CASES; c++)
                if (strcmp(argv[i], CASES[c]) == 0)
                    want[c] = found = any = 1;
            if (!found)
                return usage();
        }
    }
    if (!any)
        for (int c = 0; c < N_CASES; c++)
            want[c] = 1;
    if (quick && !runs_set)
        runs = 1;
    capture_samples();
    printf("libpossession %s, SQLite %s; orders of 3 lines and 1 payment%s; best of %d runs\n",
           pss_version(), sqlite3_libversion(), quick ? " (quick run: tiny sizes)" : "", runs);
    {
        /* the pragmas both files end up with */
        char lp[1100], rp[1100], lm[16], rm[16];
        int lps, rps;
        db_path(lp, sizeof lp, "pattern-lib.db");
        db_path(rp, sizeof rp, "pattern-raw.db");
        lib_run l;
        raw_db rd;
        lib_open(&l, lp, PSS_SQLITE_SYNC_NORMAL, NULL);
        raw_open(&rd, rp, PSS_SQLITE_SYNC_NORMAL);
        file_pragmas(lp, &lps, lm, sizeof lm);
        file_pragmas(rp, &rps, rm, sizeof rm);
        lib_free(&l);
        raw_close(&rd);
        remove_db(lp);
        remove_db(rp);
        printf("raw SQLite peer: table orders (id TEXT PRIMARY KEY, payload TEXT), the "
               "library's order records (%d captured, %.0f bytes on average); page size "
               "library %d / raw %d, journal %s / %s\n\n",
               n_samples, sample_mean, lps, rps, lm, rm);
    }
    for (int k = id_from; k <= id_to; k++) {
        if (want[0])
            case_rate(0, (id_kind)k);
        if (want[1])
            case_rate(1, (id_kind)k);
    }
    for (int k = id_from; k <= id_to; k++)
        if (want[2] || want[3])
            case_fill((id_kind)k, want[2], want[3]);
    for (int k = id_from; k <= id_to; k++)
        if (want[4])
            case_memory((id_kind)k);
    for (int k = id_from; k <= id_to; k++)
        if (want[5])
            case_memory_bytes((id_kind)k);
    if (want[6])
        case_breakdown();
    printf("\nAims (ratios are library / raw peer, best of %d, measured in this run)\n", runs);
    for (int i = 0; i < n_aims; i++)
        printf("  %-44s %-52s aim %-15s %s\n", aims[i].what, aims[i].measured, aims[i].aim,
               aims[i].met ? "met" : "not met");
    for (int i = 0; i < n_samples; i++)
        free(sample[i]);
    return 0;
}
