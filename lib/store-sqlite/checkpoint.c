/* checkpoint.c: WAL checkpoints where no caller waits on them. SQLite's own automatic
 * checkpoint runs inside whichever commit takes the WAL past 1000 pages (a close's, a
 * payment's): that commit then copies the WAL into the database file and fsyncs both. The
 * store replaces it with a WAL hook that wakes a thread of its own, which checkpoints on a
 * connection of its own with SQLITE_CHECKPOINT_PASSIVE: it takes no lock a writer or reader
 * waits for, and what it has not copied yet stays in the WAL (a crash, even SIGKILL mid-copy,
 * loses nothing: recovery replays the WAL).
 *
 * The WAL only rewinds to its start when a write transaction begins while all of it has been
 * copied. A writer that commits while the thread copies leaves new pages every time; so once
 * the WAL holds twice the threshold the thread follows its PASSIVE checkpoint with a RESTART
 * one, which waits for the writer's transaction, holds writers off while it copies what was
 * added meanwhile (a tail, not the WAL) and rewinds. A writer that still outruns the disk (in
 * NORMAL mode a commit is a write() into the page cache, a checkpoint two fsyncs) finds the
 * WAL at HARD_PAGES: that commit then waits until the WAL is copied and rewound, which bounds
 * it. Without a thread (none could be started) every commit past the threshold checkpoints
 * itself, as SQLite would have. doc/sqlite-store.md, "Checkpoints", has the figures. */
#include "sqlite-store.h"

#include <pthread.h>
#include <stdlib.h>

/* SQLite's default threshold for an automatic checkpoint, and the size at which a commit
 * waits for the WAL to be copied (32 MiB of 4 KiB pages). */
#define SOFT_PAGES 1000
#define HARD_PAGES 8000

/* The WAL's size at which the thread stops waiting for it to rewind by itself (16 MiB): a
 * writer that commits every few milliseconds always lands one during a checkpoint's fsyncs,
 * and the WAL never rewinds without a RESTART. */
#define RESTART_PAGES (4 * SOFT_PAGES)

/* What a RESTART checkpoint may have left to copy while writers wait. */
#define TAIL_PAGES 32

/* How long the thread's RESTART checkpoint waits for the writer's transaction to end and for
 * readers to leave the WAL: long enough for a batch, short enough that writers queued behind
 * it are not held long by a reader that takes its time (it then just tries again later). */
#define RESTART_WAIT_MS 250

struct checkpointer {
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t wake; /* a request, or the store is being freed */
    pthread_cond_t idle; /* a checkpoint of the thread ended */
    int wanted;          /* a commit asked for a checkpoint since the last one began */
    int working;         /* the thread is checkpointing */
    int stopping;
    int running;         /* the thread was started (and must be joined) */
    int asked_at;        /* the WAL's pages at the last request (the commits' thread only) */
    sqlstore *s;         /* read only by the thread: path and sync */
};

/* The thread's connection: the store's file and its synchronous setting (it decides the
 * fsyncs around a checkpoint). */
static sqlite3 *open_connection(const sqlstore *s)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db, RESTART_WAIT_MS) != SQLITE_OK ||
        sqlite3_exec(db, s->sync == PSS_SQLITE_SYNC_NORMAL ? "PRAGMA synchronous = NORMAL"
                                                           : "PRAGMA synchronous = FULL",
                     NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* A PASSIVE checkpoint; and when writers kept the WAL from rewinding, more PASSIVE ones for
 * what they added meanwhile until that is only a few pages, then a RESTART one, which holds
 * writers off only while it copies those. SQLITE_BUSY (another connection is checkpointing, a
 * reader stays) is no failure: the next request tries again. */
static void checkpoint(sqlite3 *db)
{
    int pages = 0, copied = 0, before = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied);
    if (rc != SQLITE_OK || pages < RESTART_PAGES)
        return;
    for (int round = 0; rc == SQLITE_OK && round < 4 && pages - before > TAIL_PAGES; round++) {
        before = pages;
        rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied);
    }
    if (rc == SQLITE_OK)
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
}

/* Waits for a commit's request and marks the thread working; 0 when the store is being
 * freed. */
static int next_request(checkpointer *c)
{
    pthread_mutex_lock(&c->mutex);
    c->working = 0;
    pthread_cond_broadcast(&c->idle);
    while (!c->wanted && !c->stopping)
        pthread_cond_wait(&c->wake, &c->mutex);
    int go = !c->stopping;
    c->wanted = 0;
    c->working = go;
    pthread_mutex_unlock(&c->mutex);
    return go;
}

static void *run(void *arg)
{
    checkpointer *c = arg;
    sqlite3 *db = NULL;
    while (next_request(c)) {
        if (!db)
            db = open_connection(c->s); /* on failure, the next request tries again */
        if (db)
            checkpoint(db);
    }
    sqlite3_close(db);
    return NULL;
}

static checkpointer *new_checkpointer(sqlstore *s)
{
    checkpointer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->s = s;
    int ok = pthread_mutex_init(&c->mutex, NULL) == 0;
    if (ok && pthread_cond_init(&c->wake, NULL) != 0) {
        pthread_mutex_destroy(&c->mutex);
        ok = 0;
    }
    if (ok && pthread_cond_init(&c->idle, NULL) != 0) {
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->mutex);
        ok = 0;
    }
    if (!ok) {
        free(c);
        return NULL;
    }
    c->running = pthread_create(&c->thread, NULL, run, c) == 0;
    return c;
}

/* Asks the thread for a checkpoint, starting it the first time; 0 when there is no thread
 * (out of memory or threads), and the commit must checkpoint itself. Until the WAL rewinds,
 * another request waits for a quarter of the threshold more: a checkpoint of a few pages
 * costs its two fsyncs all the same. */
static int request(sqlstore *s, int pages)
{
    if (!s->ckpt)
        s->ckpt = new_checkpointer(s);
    checkpointer *c = s->ckpt;
    if (!c || !c->running)
        return 0;
    if (pages >= c->asked_at && pages < c->asked_at + SOFT_PAGES / 4)
        return 1;
    c->asked_at = pages;
    pthread_mutex_lock(&c->mutex);
    c->wanted = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->mutex);
    return 1;
}

static void wait_idle(checkpointer *c)
{
    pthread_mutex_lock(&c->mutex);
    while (c->working)
        pthread_cond_wait(&c->idle, &c->mutex);
    pthread_mutex_unlock(&c->mutex);
}

/* The WAL reached HARD_PAGES: copies and rewinds it on the committing connection. Only one
 * checkpoint runs at a time (SQLITE_BUSY at once otherwise): the thread's is waited for. */
static void catch_up(sqlstore *s, sqlite3 *db, const char *name)
{
    for (int tries = 0; tries < 3; tries++) {
        if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL) !=
            SQLITE_BUSY)
            return;
        wait_idle(s->ckpt);
    }
}

/* Called by SQLite after each commit of the store's connection, outside its locks, with the
 * number of pages in the WAL. What a checkpoint here gives does not matter: the commit has
 * happened, and what is not copied stays in the WAL. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    sqlstore *s = arg;
    if (pages < SOFT_PAGES)
        return SQLITE_OK;
    if (!request(s, pages))
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    else if (pages >= HARD_PAGES)
        catch_up(s, db, name);
    return SQLITE_OK;
}

void pss__sqlite_checkpoints_start(sqlstore *s)
{
    sqlite3_wal_hook(s->db, on_commit, s); /* replaces sqlite3_wal_autocheckpoint's hook */
}

void pss__sqlite_checkpoints_stop(sqlstore *s)
{
    checkpointer *c = s->ckpt;
    if (!c)
        return;
    if (c->running) {
        pthread_mutex_lock(&c->mutex);
        c->stopping = 1;
        pthread_cond_signal(&c->wake);
        pthread_mutex_unlock(&c->mutex);
        pthread_join(c->thread, NULL);
    }
    pthread_cond_destroy(&c->idle);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->mutex);
    free(c);
    s->ckpt = NULL;
}
