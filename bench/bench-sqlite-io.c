/* bench-sqlite-io.c: what the SQLite store writes, for bench/README.md ("Bytes per order")
 * and doc/sqlite-store.md: bytes appended to the WAL and written into the database file per
 * order, fsyncs, file growth and the pages of each b-tree, with till-made random UUIDv4
 * order ids, one order per transaction or batches; and, over many shifts, whether a
 * session's close (or any submit) waits on a WAL checkpoint. Every byte is counted by a VFS
 * that wraps SQLite's default one, so the library's own connections are measured as they
 * are; figures are printed, never asserted.
 *
 *   bench-sqlite-io orders DIR N BATCH [normal|full]   N orders, BATCH per transaction (1..1000)
 *   bench-sqlite-io shifts DIR SESSIONS ORDERS [normal|full]
 *                                                      closes after ORDERS single submits each
 *   bench-sqlite-io --quick DIR                         a smoke run of both (the test suite's) */
#include <possession.h>
#include <possession/sqlite.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "bench_order.h"

#define CONFIG_ID "be4c0000-0000-4000-8000-0000000000a1"
#define BATCH_MAX 1000

static const pss_actor CASHIER = {PSS_ACTOR_VERSION, "bench", PSS_ROLE_MANAGER, "till"};

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- a counting VFS over the default one ---- */

/* db_bytes and db_syncs count every thread's (a checkpointer's too); the caller_ ones only
 * the program's own thread's, the one calling the library: what a caller waited on. */
typedef struct io_count {
    long long wal_bytes, db_bytes, wal_syncs, db_syncs, caller_db_bytes, caller_db_syncs,
        caller_wal_syncs;
} io_count;

static pthread_t main_thread;

static long long wal_end; /* the furthest byte ever written to a WAL: how large it grew */

static io_count io; /* the whole process: every connection, every thread (atomics below) */
static sqlite3_vfs *base_vfs;

typedef struct count_file {
    sqlite3_file base;    /* first: SQLite sees this */
    sqlite3_file *real;   /* the default VFS's file, allocated after this struct */
    long long *bytes, *syncs;
} count_file;

#define REAL(f) (((count_file *)(f))->real)

static int c_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int c_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
/* With BENCH_PAGES set, the page number of every page written to the WAL is kept, to tell
 * which b-tree it belongs to (print_frames). A frame's 24-byte header, written on its own,
 * names its page; SQLite writes a page again into its frame when a transaction changes it
 * after a spill, and rewrites the headers after it then (their checksums): so pages are
 * counted by their data writes, and named by the header last written at that frame. */
static uint32_t *frames, *slot_page;
static size_t n_frames, cap_frames, n_slots;
static int keep_frames;
static long long wal_page_size;

static void *grown(void *p, size_t *cap, size_t need, size_t size)
{
    if (need < *cap)
        return p;
    size_t n = *cap ? *cap : 1 << 16;
    while (n <= need)
        n *= 2;
    p = realloc(p, n * size);
    if (!p)
        exit(1);
    memset((char *)p + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return p;
}

static void keep_wal_write(const unsigned char *b, int n, sqlite3_int64 o)
{
    if (o == 0 && n >= 32) /* the WAL header: its page size */
        wal_page_size = (long long)b[8] << 24 | b[9] << 16 | b[10] << 8 | b[11];
    if (!wal_page_size || o < 32)
        return;
    size_t slot = (size_t)((o - 32) / (wal_page_size + 24));
    if (n == 24) {
        slot_page = grown(slot_page, &n_slots, slot, sizeof *slot_page);
        slot_page[slot] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    } else if (n == wal_page_size && slot < n_slots) {
        frames = grown(frames, &cap_frames, n_frames, sizeof *frames);
        frames[n_frames++] = slot_page[slot];
    }
}

static int c_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    count_file *c = (count_file *)f;
    if (c->bytes)
        __atomic_add_fetch(c->bytes, n, __ATOMIC_RELAXED);
    if (c->bytes == &io.db_bytes && pthread_equal(pthread_self(), main_thread))
        __atomic_add_fetch(&io.caller_db_bytes, n, __ATOMIC_RELAXED);
    if (keep_frames && c->bytes == &io.wal_bytes)
        keep_wal_write(b, n, o);
    if (c->bytes == &io.wal_bytes && o + n > __atomic_load_n(&wal_end, __ATOMIC_RELAXED))
        __atomic_store_n(&wal_end, o + n, __ATOMIC_RELAXED); /* one writer per WAL at a time */
    return c->real->pMethods->xWrite(c->real, b, n, o);
}
static int c_truncate(sqlite3_file *f, sqlite3_int64 s) { return REAL(f)->pMethods->xTruncate(REAL(f), s); }
static int c_sync(sqlite3_file *f, int flags)
{
    count_file *c = (count_file *)f;
    if (c->syncs)
        __atomic_add_fetch(c->syncs, 1, __ATOMIC_RELAXED);
    if (c->syncs && pthread_equal(pthread_self(), main_thread))
        __atomic_add_fetch(c->syncs == &io.db_syncs ? &io.caller_db_syncs : &io.caller_wal_syncs,
                           1, __ATOMIC_RELAXED);
    return c->real->pMethods->xSync(c->real, flags);
}
static int c_size(sqlite3_file *f, sqlite3_int64 *s) { return REAL(f)->pMethods->xFileSize(REAL(f), s); }
static int c_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int c_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int c_check(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int c_fcntl(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int c_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int c_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int c_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p);
}
static int c_shmlock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void c_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int c_shmunmap(sqlite3_file *f, int d) { return REAL(f)->pMethods->xShmUnmap(REAL(f), d); }
static int c_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p) { return REAL(f)->pMethods->xFetch(REAL(f), o, n, p); }
static int c_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static const sqlite3_io_methods count_methods = {
    3, c_close, c_read, c_write, c_truncate, c_sync, c_size, c_lock, c_unlock, c_check,
    c_fcntl, c_sector, c_dev, c_shmmap, c_shmlock, c_shmbarrier, c_shmunmap, c_fetch, c_unfetch};

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    count_file *c = (count_file *)f;
    c->real = (sqlite3_file *)(c + 1);
    c->bytes = flags & SQLITE_OPEN_WAL ? &io.wal_bytes : flags & SQLITE_OPEN_MAIN_DB ? &io.db_bytes : NULL;
    c->syncs = flags & SQLITE_OPEN_WAL ? &io.wal_syncs : flags & SQLITE_OPEN_MAIN_DB ? &io.db_syncs : NULL;
    int rc = base_vfs->xOpen(base_vfs, name, c->real, flags, out);
    f->pMethods = rc == SQLITE_OK && c->real->pMethods ? &count_methods : NULL;
    return rc;
}

static sqlite3_vfs count_vfs;

/* Every vfs call but xOpen goes to the default VFS as it is. */
static void install_counting_vfs(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    count_vfs = *base_vfs;
    count_vfs.zName = "bench-count";
    count_vfs.szOsFile = (int)sizeof(count_file) + base_vfs->szOsFile;
    count_vfs.xOpen = c_open;
    count_vfs.pAppData = NULL;
    sqlite3_vfs_register(&count_vfs, 1);
}

static io_count io_now(void)
{
    io_count c;
    c.wal_bytes = __atomic_load_n(&io.wal_bytes, __ATOMIC_RELAXED);
    c.db_bytes = __atomic_load_n(&io.db_bytes, __ATOMIC_RELAXED);
    c.wal_syncs = __atomic_load_n(&io.wal_syncs, __ATOMIC_RELAXED);
    c.db_syncs = __atomic_load_n(&io.db_syncs, __ATOMIC_RELAXED);
    c.caller_db_bytes = __atomic_load_n(&io.caller_db_bytes, __ATOMIC_RELAXED);
    c.caller_db_syncs = __atomic_load_n(&io.caller_db_syncs, __ATOMIC_RELAXED);
    c.caller_wal_syncs = __atomic_load_n(&io.caller_wal_syncs, __ATOMIC_RELAXED);
    return c;
}

static io_count io_since(io_count a)
{
    io_count b = io_now();
    return (io_count){b.wal_bytes - a.wal_bytes, b.db_bytes - a.db_bytes,
                      b.wal_syncs - a.wal_syncs, b.db_syncs - a.db_syncs,
                      b.caller_db_bytes - a.caller_db_bytes, b.caller_db_syncs - a.caller_db_syncs,
                      b.caller_wal_syncs - a.caller_wal_syncs};
}

/* ---- orders with random UUIDv4 ids ---- */

static uint64_t rng_state = 0x5eed5eed12345678u;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int time_ordered; /* BENCH_IDS=v7: time-ordered ids, as pss_id_generate makes */

/* A version 4 (random) UUID, as a till makes it; or with BENCH_IDS=v7 a version 7 one, whose
 * first 48 bits are a millisecond clock (here a counter, a thousand orders a second). */
static void random_uuid(char out[PSS_ID_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    static uint64_t ms = 1795248000000u, n;
    uint8_t b[16];
    uint64_t hi = splitmix64(), lo = splitmix64();
    memcpy(b, &hi, 8);
    memcpy(b + 8, &lo, 8);
    if (time_ordered) {
        uint64_t t = ms + n++ / 1000;
        for (int i = 0; i < 6; i++)
            b[i] = (uint8_t)(t >> (40 - 8 * i));
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | (time_ordered ? 0x70 : 0x40));
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

typedef bench_order order_buf;

/* The same order as bench-session's (bench_order.h), under a random id. */
static void make_order(order_buf *o, long n)
{
    random_uuid(o->id);
    bench_order_fill(o, o->id, n);
}

/* ---- the store ---- */

typedef struct bench {
    pss_ctx *ctx;
    pss_storage *store;
    pss_session *session;
    const char *path;
    long next; /* the next order's number */
} bench;

static void die(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench-sqlite-io: %s: %s\n", what, ctx ? pss_ctx_errmsg(ctx) : "");
    exit(1);
}

static void save_config(pss_ctx *ctx)
{
    if (bench_save_config(ctx, CONFIG_ID, &CASHIER))
        die(ctx, "config");
}

static void open_session(bench *b)
{
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    if (pss_session_create(b->ctx, CONFIG_ID, &CASHIER, NULL, &b->session) ||
        pss_session_open(b->session, &CASHIER, &open))
        die(b->ctx, "session");
}

static void remove_files(const char *path)
{
    char aux[1200];
    remove(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    remove(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    remove(aux);
}

static void open_bench(bench *b, const char *path, pss_sqlite_sync sync)
{
    remove_files(path);
    memset(b, 0, sizeof *b);
    wal_end = 0;
    b->path = path;
    b->next = 1;
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    o.sync = sync;
    if (pss_ctx_new(&b->ctx, NULL) || pss_sqlite_open(b->ctx, path, &o, &b->store) ||
        pss_ctx_set_storage(b->ctx, b->store))
        die(b->ctx, "store");
    save_config(b->ctx);
    open_session(b);
}

static void close_bench(bench *b)
{
    pss_session_free(b->session);
    pss_ctx_free(b->ctx);
    pss_storage_free(b->store);
}

/* With it set, each call's time is kept here (the shifts), and the calls that wrote the
 * database file from the caller's thread (that ran a checkpoint) are counted. */
static double *call_times;
static long n_calls, checkpointing_calls;
static long pace_us; /* BENCH_PACE_US: a pause after each call, not timed (a till's pace) */

/* Submits n orders, batch at a time; the slowest call's time goes to *worst. */
static void submit(bench *b, long n, long batch, double *worst)
{
    static order_buf orders[BATCH_MAX];
    static const pss_order_input *ptrs[BATCH_MAX];
    static pss_submit_result results[BATCH_MAX];
    for (long done = 0; done < n;) {
        long k = n - done < batch ? n - done : batch;
        for (long i = 0; i < k; i++) {
            make_order(&orders[i], b->next++);
            ptrs[i] = &orders[i].in;
            results[i] = (pss_submit_result)PSS_SUBMIT_RESULT_INIT;
        }
        double t0 = seconds();
        io_count c0 = io_now();
        size_t accepted = 0;
        int rc = k == 1 ? pss_session_submit(b->session, &CASHIER, ptrs[0], NULL)
                        : pss_session_submit_batch(b->session, &CASHIER, ptrs, (size_t)k,
                                                   results, &accepted);
        if (rc || (k > 1 && accepted != (size_t)k))
            die(b->ctx, "submit");
        double t = seconds() - t0;
        if (worst && t > *worst)
            *worst = t;
        if (call_times)
            call_times[n_calls++] = t;
        checkpointing_calls += io_since(c0).caller_db_bytes > 0;
        if (pace_us) {
            struct timespec pause = {pace_us / 1000000, pace_us % 1000000 * 1000};
            nanosleep(&pause, NULL);
        }
        done += k;
    }
}

/* ---- what the file holds ---- */

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Pages of each table and index (dbstat, when SQLite has it), and the file's size. */
static void print_pages(const char *path, long orders)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    long long pages = query_int(db, "PRAGMA page_count"), size = query_int(db, "PRAGMA page_size");
    printf("  file: %lld pages of %lld, %.0f bytes/order", pages, size,
           (double)(pages * size) / (double)orders);
    if (sqlite3_prepare_v2(db, "SELECT name, count(*), sum(pgsize - unused) FROM dbstat"
                           " GROUP BY name ORDER BY 2 DESC", -1, &st, NULL) == SQLITE_OK) {
        printf("; b-trees:");
        while (sqlite3_step(st) == SQLITE_ROW)
            printf(" %s %lld (%.0f B/order)", (const char *)sqlite3_column_text(st, 0),
                   (long long)sqlite3_column_int64(st, 1),
                   (double)sqlite3_column_int64(st, 2) / (double)orders);
    }
    printf("\n");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Frames per order of each b-tree (page numbers mapped by dbstat at the end of the run:
 * pages never move without auto-vacuum). Slot 0 counts page 1, the last slot free pages. */
#define MAX_TREES 32

static void print_frames(const char *path, long orders)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (!keep_frames || sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    long long pages = query_int(db, "PRAGMA page_count");
    unsigned char *tree = calloc((size_t)pages + 1, 1);
    char names[MAX_TREES][64] = {"page 1"};
    long count[MAX_TREES] = {0};
    int n_names = 1;
    if (tree && sqlite3_prepare_v2(db, "SELECT pageno, name FROM dbstat ORDER BY name", -1, &st,
                                   NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            long long pg = sqlite3_column_int64(st, 0);
            const char *name = (const char *)sqlite3_column_text(st, 1);
            if (strcmp(names[n_names - 1], name) != 0 && n_names < MAX_TREES - 1)
                snprintf(names[n_names++], sizeof names[0], "%s", name);
            if (pg > 1 && pg <= pages)
                tree[pg] = (unsigned char)(n_names - 1);
        }
    snprintf(names[MAX_TREES - 1], sizeof names[0], "free");
    for (size_t i = 0; tree && i < n_frames; i++) {
        uint32_t pg = frames[i];
        count[pg == 1 ? 0 : pg <= pages && tree[pg] ? tree[pg] : MAX_TREES - 1]++;
    }
    printf("  WAL page writes per order by b-tree:");
    for (int i = 0; i < MAX_TREES; i++)
        if (count[i])
            printf(" %s %.3f", names[i], (double)count[i] / (double)orders);
    printf("\n");
    free(tree);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void print_io(const char *label, io_count c, long orders, double t)
{
    double n = (double)orders;
    printf("  %-22s %7.0f orders/s, per order: WAL %7.0f B, db %7.0f B (%.0f B by the caller's"
           " thread), WAL fsyncs %.3f (%.3f), db fsyncs %.4f (%.4f)\n", label, n / t,
           (double)c.wal_bytes / n, (double)c.db_bytes / n, (double)c.caller_db_bytes / n,
           (double)c.wal_syncs / n, (double)c.caller_wal_syncs / n, (double)c.db_syncs / n,
           (double)c.caller_db_syncs / n);
}

/* N orders, batch per transaction; the whole run and its last tenth (the cost at size N). */
static void run_orders(const char *path, long n, long batch, pss_sqlite_sync sync)
{
    bench b;
    open_bench(&b, path, sync);
    long head = n - n / 10;
    printf("%ld orders, %ld per transaction, %s ids, synchronous %s, schema %d\n", n, batch,
           time_ordered ? "time-ordered UUIDv7" : "random UUIDv4",
           sync == PSS_SQLITE_SYNC_FULL ? "FULL" : "NORMAL", pss_sqlite_schema_version());
    fflush(stdout);
    io_count c0 = io_now();
    double t0 = seconds(), worst = 0;
    submit(&b, head, batch, NULL);
    io_count c1 = io_now();
    double t1 = seconds();
    submit(&b, n - head, batch, &worst);
    double t2 = seconds();
    io_count all = io_since(c0), last = io_since(c1);
    print_io("whole run", all, n, t2 - t0);
    print_io("last tenth", last, n - head, t2 - t1);
    printf("  slowest call of the last tenth: %.1f ms; the WAL grew to %.1f MiB\n", worst * 1000,
           (double)wal_end / 1048576);
    close_bench(&b);
    print_pages(path, n);
    print_frames(path, n);
}

/* ---- shifts: does a close wait on a checkpoint? ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct close_stats {
    double *times;
    long with_db_writes, db_syncs;
} close_stats;

static void close_one(bench *b, close_stats *cs, long i)
{
    io_count c0 = io_now();
    double t0 = seconds();
    if (pss_session_start_closing(b->session, &CASHIER) ||
        pss_session_close(b->session, &CASHIER, NULL))
        die(b->ctx, "close");
    cs->times[i] = seconds() - t0;
    io_count c = io_since(c0);
    cs->with_db_writes += c.caller_db_bytes > 0;
    cs->db_syncs += c.caller_db_syncs;
    pss_session_free(b->session);
    b->session = NULL;
}

static void print_closes(close_stats *cs, long sessions)
{
    qsort(cs->times, (size_t)sessions, sizeof *cs->times, cmp_double);
    printf("  closes: median %.2f ms, 90th %.2f ms, slowest %.2f ms; %ld of %ld wrote the"
           " database file (a checkpoint), %ld db fsyncs in closes\n",
           cs->times[sessions / 2] * 1000, cs->times[sessions * 9 / 10] * 1000,
           cs->times[sessions - 1] * 1000, cs->with_db_writes, sessions, cs->db_syncs);
}

static void print_submits(void)
{
    qsort(call_times, (size_t)n_calls, sizeof *call_times, cmp_double);
    printf("  submits: median %.3f ms, 99th %.3f ms, 99.9th %.3f ms, slowest %.2f ms; %ld of %ld"
           " wrote the database file (a checkpoint)\n", call_times[n_calls / 2] * 1000,
           call_times[n_calls * 99 / 100] * 1000, call_times[n_calls * 999 / 1000] * 1000,
           call_times[n_calls - 1] * 1000, checkpointing_calls, n_calls);
}

static void run_shifts(const char *path, long sessions, long orders, pss_sqlite_sync sync)
{
    bench b;
    open_bench(&b, path, sync);
    call_times = calloc((size_t)(sessions * orders), sizeof *call_times);
    n_calls = checkpointing_calls = 0;
    close_stats cs = {calloc((size_t)sessions, sizeof(double)), 0, 0};
    double t0 = seconds();
    io_count c0 = io_now();
    printf("%ld shifts of %ld orders, one per transaction, %s, synchronous %s, schema %d\n",
           sessions, orders, pace_us ? "paced" : "flat out",
           sync == PSS_SQLITE_SYNC_FULL ? "FULL" : "NORMAL", pss_sqlite_schema_version());
    if (pace_us)
        printf("  a pause of %ld us after each submit\n", pace_us);
    fflush(stdout);
    for (long i = 0; i < sessions; i++) {
        if (i)
            open_session(&b);
        submit(&b, orders, 1, NULL);
        close_one(&b, &cs, i);
    }
    print_io("all shifts", io_since(c0), sessions * orders, seconds() - t0);
    print_submits();
    print_closes(&cs, sessions);
    printf("  the WAL grew to %.1f MiB\n", (double)wal_end / 1048576);
    free(cs.times);
    free(call_times);
    call_times = NULL;
    close_bench(&b);
}

/* ---- main ---- */

static pss_sqlite_sync sync_arg(int argc, char **argv, int i)
{
    return i < argc && strcmp(argv[i], "full") == 0 ? PSS_SQLITE_SYNC_FULL : PSS_SQLITE_SYNC_NORMAL;
}

int main(int argc, char **argv)
{
    main_thread = pthread_self();
    install_counting_vfs();
    keep_frames = getenv("BENCH_PAGES") != NULL;
    pace_us = getenv("BENCH_PACE_US") ? atol(getenv("BENCH_PACE_US")) : 0;
    time_ordered = getenv("BENCH_IDS") && strcmp(getenv("BENCH_IDS"), "v7") == 0;
    char path[1024];
    if (argc >= 5 && (strcmp(argv[1], "orders") == 0 || strcmp(argv[1], "shifts") == 0)) {
        snprintf(path, sizeof path, "%s/bench-io.db", argv[2]);
        long a = atol(argv[3]), b = atol(argv[4]);
        if (argv[1][0] == 'o' && a > 0 && b >= 1 && b <= BATCH_MAX)
            run_orders(path, a, b, sync_arg(argc, argv, 5));
        else if (argv[1][0] == 's' && a > 0 && b > 0)
            run_shifts(path, a, b, sync_arg(argc, argv, 5));
        else
            return 2;
    } else if (argc == 3 && strcmp(argv[1], "--quick") == 0) {
        snprintf(path, sizeof path, "%s/bench-io.db", argv[2]);
        run_orders(path, 300, 1, PSS_SQLITE_SYNC_NORMAL);
        run_orders(path, 3000, 1000, PSS_SQLITE_SYNC_NORMAL);
        run_shifts(path, 4, 50, PSS_SQLITE_SYNC_NORMAL);
    } else {
        fprintf(stderr, "usage: %s orders DIR N BATCH [normal|full] | shifts DIR SESSIONS ORDERS"
                        " [normal|full] | --quick DIR\n", argv[0]);
        return 2;
    }
    if (!getenv("BENCH_KEEP")) /* kept for a look with sqlite3 */
        remove_files(path);
    return 0;
}
