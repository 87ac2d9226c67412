/* sqlite-checkpoints.c: the SQLite store's WAL checkpoints run where no caller waits on them.
 * A VFS wrapped around SQLite's default one notes which thread writes the database file
 * (only a checkpoint does, in WAL mode) and how large the WAL grows. Thousands of commits at
 * a till's pace, one order-sized record each and then in batches, never write the database
 * file from the caller's thread; a writer with no pause keeps the WAL within its bound; and
 * everything committed is in the file after the store is freed (its last connection
 * checkpoints on the way out).
 * Usage: sqlite-checkpoints DIR (created if missing; its files are replaced). */
#include <possession.h>
#include <possession/sqlite.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* ---- a VFS that watches the database file's writers ---- */

static sqlite3_vfs *base;
static pthread_t caller;
static int caller_db_writes, other_db_writes, watching;
static long long wal_end;

typedef struct watch_file {
    sqlite3_file base;
    sqlite3_file *real;
    int kind; /* 1 the database, 2 its WAL, 0 anything else */
} watch_file;

#define REAL(f) (((watch_file *)(f))->real)

static int w_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    watch_file *w = (watch_file *)f;
    if (w->kind == 1 && __atomic_load_n(&watching, __ATOMIC_RELAXED))
        __atomic_add_fetch(pthread_equal(pthread_self(), caller) ? &caller_db_writes
                                                                 : &other_db_writes, 1,
                           __ATOMIC_RELAXED);
    if (w->kind == 2 && o + n > __atomic_load_n(&wal_end, __ATOMIC_RELAXED))
        __atomic_store_n(&wal_end, o + n, __ATOMIC_RELAXED);
    return w->real->pMethods->xWrite(w->real, b, n, o);
}

static int w_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int w_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int w_truncate(sqlite3_file *f, sqlite3_int64 s)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), s);
}
static int w_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int w_size(sqlite3_file *f, sqlite3_int64 *s) { return REAL(f)->pMethods->xFileSize(REAL(f), s); }
static int w_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int w_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int w_check(sqlite3_file *f, int *r)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int w_fcntl(sqlite3_file *f, int op, void *a)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int w_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int w_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int w_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p);
}
static int w_shmlock(sqlite3_file *f, int o, int n, int fl)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void w_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int w_shmunmap(sqlite3_file *f, int d) { return REAL(f)->pMethods->xShmUnmap(REAL(f), d); }
static int w_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), o, n, p);
}
static int w_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static const sqlite3_io_methods watch_methods = {
    3, w_close, w_read, w_write, w_truncate, w_sync, w_size, w_lock, w_unlock, w_check,
    w_fcntl, w_sector, w_dev, w_shmmap, w_shmlock, w_shmbarrier, w_shmunmap, w_fetch, w_unfetch};

static int w_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    watch_file *w = (watch_file *)f;
    w->real = (sqlite3_file *)(w + 1);
    w->kind = flags & SQLITE_OPEN_MAIN_DB ? 1 : flags & SQLITE_OPEN_WAL ? 2 : 0;
    int rc = base->xOpen(base, name, w->real, flags, out);
    f->pMethods = rc == SQLITE_OK && w->real->pMethods ? &watch_methods : NULL;
    return rc;
}

static sqlite3_vfs watch_vfs;

static void install_vfs(void)
{
    base = sqlite3_vfs_find(NULL);
    watch_vfs = *base;
    watch_vfs.zName = "watch";
    watch_vfs.szOsFile = (int)sizeof(watch_file) + base->szOsFile;
    watch_vfs.xOpen = w_open;
    sqlite3_vfs_register(&watch_vfs, 1);
}

/* The checkpointer's thread writes while the test reads: every shared figure is atomic. */
static void watch(int on)
{
    __atomic_store_n(&watching, on, __ATOMIC_RELAXED);
}

static int seen(int *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static long long wal_end_seen(void)
{
    return __atomic_load_n(&wal_end, __ATOMIC_RELAXED);
}

/* ---- the store ---- */

static const char *fresh(const char *dir, const char *name)
{
    static char path[1024];
    char side[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return path;
}

/* An order-sized payload (about 1.2 KB, as the library writes). */
static const char *payload(int n)
{
    static char p[1400];
    int len = snprintf(p, sizeof p, "{\"n\":%d,\"lines\":\"", n);
    for (; len < 1200; len++)
        p[len] = (char)('a' + (n + len) % 26);
    snprintf(p + len, sizeof p - (size_t)len, "\"}");
    return p;
}

static int put_orders(pss_storage *st, int first, int count)
{
    int failures = 0;
    failures += st->begin(st->userdata, PSS_TXN_WRITE) != 0;
    for (int i = first; i < first + count; i++) {
        char id[40];
        snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", (unsigned)(i * 2654435761u), i);
        const char *body = payload(i);
        pss_record r = {"order", id, "5e55a000-0000-4000-8000-000000000001", 0, body,
                        strlen(body)};
        uint64_t rev;
        failures += st->put(st->userdata, &r, 0, &rev) != 0;
    }
    failures += st->commit(st->userdata) != 0;
    return failures;
}

static long long count_rows(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM records", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* The bound doc/sqlite-store.md gives: 8000 pages (of 4 KiB and their frame headers) and the
 * transaction that finds the WAL there (here at most a batch of 500, 700 pages). */
#define WAL_BOUND ((8000LL + 1000) * (4096 + 24))

static pss_storage *open_store(const char *path, pss_sqlite_sync sync)
{
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    o.sync = sync;
    pss_storage *st = NULL;
    CHECK_I64(pss_sqlite_open(NULL, path, &o, &st), 0);
    __atomic_store_n(&caller_db_writes, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&other_db_writes, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&wal_end, 0, __ATOMIC_RELAXED);
    return st;
}

/* After the store is freed every record is in the file, and the WAL is gone (the last
 * connection checkpointed it and removed it). */
static void check_freed(const char *path, long long records)
{
    char side[1100];
    CHECK_I64(count_rows(path), records);
    snprintf(side, sizeof side, "%s-wal", path);
    CHECK(access(side, F_OK) != 0);
}

/* A busy till's pace, a commit every half millisecond (an order, or a batch of 200): in
 * thousands of WAL pages, several times the threshold, no commit writes the database file. */
static void test_commits_never_checkpoint(const char *dir, pss_sqlite_sync sync, int singles)
{
    const char *path = fresh(dir, "paced.sqlite");
    pss_storage *st = open_store(path, sync);
    if (!st)
        return;
    struct timespec pause = {0, 500000};
    int failures = 0;
    watch(1);
    for (int i = 0; i < singles; i++, nanosleep(&pause, NULL))
        failures += put_orders(st, i, 1);
    for (int i = 0; i < 20; i++, nanosleep(&pause, NULL))
        failures += put_orders(st, singles + 200 * i, 200);
    watch(0);
    CHECK_I64(failures, 0);
    CHECK_I64(seen(&caller_db_writes), 0);
    CHECK(seen(&other_db_writes) > 1000); /* the checkpointer did copy the WAL into the file */
    printf("# %s at a busy till's pace: %d database writes by the checkpointer, %d by commits;"
           " the WAL grew to %lld KiB\n", sync == PSS_SQLITE_SYNC_FULL ? "FULL" : "NORMAL",
           seen(&other_db_writes), seen(&caller_db_writes), wal_end_seen() / 1024);
    CHECK(wal_end_seen() < WAL_BOUND);
    pss_storage_free(st);
    check_freed(path, singles + 4000);
}

/* A writer with no pause at all outruns any disk in NORMAL mode: the WAL still stays within
 * its bound. */
static void test_wal_bounded(const char *dir)
{
    const char *path = fresh(dir, "flat-out.sqlite");
    pss_storage *st = open_store(path, PSS_SQLITE_SYNC_NORMAL);
    if (!st)
        return;
    int failures = 0;
    watch(1);
    for (int i = 0; i < 6000; i++)
        failures += put_orders(st, i, 1);
    for (int i = 0; i < 30; i++)
        failures += put_orders(st, 6000 + 500 * i, 500);
    watch(0);
    CHECK_I64(failures, 0);
    printf("# flat out: %d database writes by the checkpointer, %d by commits; the WAL grew to"
           " %lld KiB\n", seen(&other_db_writes), seen(&caller_db_writes), wal_end_seen() / 1024);
    CHECK(wal_end_seen() < WAL_BOUND);
    pss_storage_free(st);
    check_freed(path, 21000);
}

/* Opening and freeing many stores, most never writing enough for a checkpoint thread, and
 * some freed while their thread may be checkpointing. */
static void test_many_stores(const char *dir)
{
    const char *path = fresh(dir, "many.sqlite");
    int failures = 0;
    for (int i = 0; i < 40; i++) {
        pss_storage *st = NULL;
        failures += pss_sqlite_open(NULL, path, NULL, &st) != 0;
        if (st)
            failures += put_orders(st, i * 10000, i % 4 == 0 ? 1250 : 3);
        pss_storage_free(st);
    }
    CHECK_I64(failures, 0);
    CHECK_I64(count_rows(path), 10 * 1250 + 30 * 3);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: %s DIR\n", argv[0]);
        return 1;
    }
    mkdir(argv[1], 0755);
    caller = pthread_self();
    install_vfs();
    test_commits_never_checkpoint(argv[1], PSS_SQLITE_SYNC_NORMAL, 3000);
    test_commits_never_checkpoint(argv[1], PSS_SQLITE_SYNC_FULL, 600); /* an fsync each */
    test_wal_bounded(argv[1]);
    test_many_stores(argv[1]);
    return check_done();
}
