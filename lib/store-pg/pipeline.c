/* pipeline.c: a transaction's statements in libpq's pipeline mode, so that the writes the
 * library makes cost no round trip of their own, and the reads it hints come in one. BEGIN
 * is only queued. A write whose answer the library needs at once (a create nobody looked
 * up, an update of a record not read here) and every read send the queue with a sync and
 * wait for every answer in order. A write whose answer cannot surprise the caller is queued
 * and answered at the next sync: a create of a record this transaction found missing, an
 * update of one it read (and so locked), an audit entry (its seq from the transaction's id,
 * asked for at the first). The reads the library hints (pss_storage::prefetch) are queued
 * too and answered from what the next sync brought. COMMIT follows the queue in the same
 * round trip; a queued statement that failed makes the rest of the transaction fail with its
 * error, and the commit roll back (doc/postgres-store.md, "Round trips").
 *
 * Figures (bench-pg, 2026-12-01, doc/postgres-store.md): an order in a batch cost two round
 * trips (its id's lookup, its insert) and costs about a hundredth; a single order's
 * transaction cost seven round trips and seven statements, and costs two and six. */
#include "pg-store.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the records this transaction read or created, with their revisions ---- */

static uint64_t record_hash(const char *kind, const char *id)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a over kind, a NUL, id */
    for (const char *p = kind; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h *= 1099511628211ULL;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

/* Records and hinted reads are kept under kind, a NUL, then the id or parent. */
static char *join_key(const char *kind, const char *key)
{
    size_t nk = strlen(kind) + 1, nv = strlen(key) + 1;
    char *joined = malloc(nk + nv);
    if (joined) {
        memcpy(joined, kind, nk);
        memcpy(joined + nk, key, nv);
    }
    return joined;
}

static int key_is(const char *joined, const char *kind, const char *key)
{
    return joined && !strcmp(joined, kind) && !strcmp(joined + strlen(kind) + 1, key);
}

static int same_record(const pg_touched *t, uint64_t h, const char *kind, const char *id)
{
    return t->hash == h && key_is(t->key, kind, id);
}

static pg_touched *find_slot(pg_touched *slots, size_t cap, uint64_t h, const char *kind,
                             const char *id)
{
    size_t at = h & (cap - 1);
    while (slots[at].key && !(kind && same_record(&slots[at], h, kind, id)))
        at = (at + 1) & (cap - 1);
    return &slots[at];
}

static int grow_touched(pgstore *s)
{
    size_t cap = s->touched_cap ? s->touched_cap * 2 : 64;
    pg_touched *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return pss__pg_fail(s, PSS_ENOMEM, "out of memory noting the records of a transaction");
    for (size_t i = 0; i < s->touched_cap; i++)
        if (s->touched[i].key)
            *find_slot(slots, cap, s->touched[i].hash, NULL, NULL) = s->touched[i];
    free(s->touched);
    s->touched = slots;
    s->touched_cap = cap;
    return 0;
}

int pss__pg_touch(pgstore *s, const char *kind, const char *id, uint64_t rev)
{
    if (!s->pipelined || !s->write_txn)
        return 0;
    if (2 * (s->touched_n + 1) > s->touched_cap && grow_touched(s))
        return PSS_ENOMEM;
    uint64_t h = record_hash(kind, id);
    pg_touched *t = find_slot(s->touched, s->touched_cap, h, kind, id);
    if (!t->key) {
        if (!(t->key = join_key(kind, id)))
            return pss__pg_fail(s, PSS_ENOMEM, "out of memory noting the records of a "
                                "transaction");
        t->hash = h;
        s->touched_n++;
    }
    t->rev = rev;
    return 0;
}

int pss__pg_touched(const pgstore *s, const char *kind, const char *id, uint64_t *rev)
{
    if (!s->pipelined || !s->write_txn || !s->touched_n)
        return 0;
    const pg_touched *t = find_slot(s->touched, s->touched_cap, record_hash(kind, id), kind, id);
    if (t->key)
        *rev = t->rev;
    return t->key != NULL;
}

static void forget_touched(pgstore *s)
{
    for (size_t i = 0; s->touched_n && i < s->touched_cap; i++)
        free(s->touched[i].key);
    if (s->touched_n)
        memset(s->touched, 0, s->touched_cap * sizeof *s->touched);
    s->touched_n = 0;
}


/* ---- sending ---- */

static int send_failed(pgstore *s, const char *what)
{
    return pss__pg_result_fail(s, NULL, what); /* a send fails only with the connection */
}

static pg_sent *queue(pgstore *s, pg_check check, int stmt, const char *what)
{
    pg_sent *q = &s->sent[s->n_sent++];
    q->check = (unsigned char)check;
    q->stmt = (unsigned char)stmt;
    q->hint = SIZE_MAX; /* a hint's own place is set once the hint is kept */
    snprintf(q->what, sizeof q->what, "%s", what);
    return q;
}

static int send_prepare(pgstore *s, pg_stmt id, const char *what)
{
    char name[16];
    snprintf(name, sizeof name, "pss_%d", (int)id);
    if (!PQsendPrepare(s->conn, name, pss__pg_stmt_sql(id), pss__pg_stmt_params(id), NULL))
        return send_failed(s, what);
    s->prepared[id] = 1; /* its failure, answered at the sync, clears this */
    queue(s, PG_CHECK_PREPARE, id, what);
    return 0;
}

static int sync_or_begin_again(pgstore *s, PGresult **result);

int pss__pg_pipe_send(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                      const char *what, pg_check check)
{
    if (s->failed)
        return s->failed;
    int rc = 0;
    /* a full queue is synced; a transaction begun again there just goes on */
    if (s->n_sent + 2 > PSS_PG_PIPELINE_MAX && (rc = sync_or_begin_again(s, NULL)) < 0)
        return rc;
    if (!s->prepared[id] && (rc = send_prepare(s, id, what)) != 0)
        return rc;
    char name[16];
    snprintf(name, sizeof name, "pss_%d", (int)id);
    int formats[PSS_PG_PARAMS_MAX], lengths[PSS_PG_PARAMS_MAX];
    pss__pg_formats(id, lens, formats, lengths);
    if (!PQsendQueryPrepared(s->conn, name, pss__pg_stmt_params(id), params, lengths, formats, 0))
        return send_failed(s, what);
    queue(s, check, id, what);
    /* A write ends the chance to begin the transaction again; reads do not, nor a COMMIT
     * after reads only (it commits nothing, run or not). */
    if (check == PG_CHECK_NONE || check == PG_CHECK_ONE_ROW)
        s->replayable = 0;
    s->row_checks += check == PG_CHECK_ONE_ROW;
    return 0;
}

/* ---- answers ---- */

/* The first failure of the transaction; the rest of it fails with the same. */
static void note_failure(pgstore *s, int rc)
{
    if (!s->failed)
        s->failed = rc;
}

/* Checks one statement's answer; 1 when res went to *result (a read's rows). */
static int check_answer(pgstore *s, const pg_sent *q, PGresult *res, PGresult **result)
{
    ExecStatusType st = PQresultStatus(res);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok && q->check == PG_CHECK_PREPARE)
        s->prepared[q->stmt] = 0; /* failed, or skipped: prepared again when next used */
    if (st == PGRES_PIPELINE_ABORTED)
        return 0; /* skipped after an earlier failure, which is the one reported */
    if (!ok) {
        if (!s->failed) /* the first failure's message is the one kept */
            note_failure(s, pss__pg_result_fail(s, res, q->what));
        return 0;
    }
    if (q->check == PG_CHECK_ONE_ROW && atoi(PQcmdTuples(res)) != 1 && !s->failed)
        note_failure(s, pss__pg_fail(s, PSS_ECONFLICT, "%s: the revision it was given is not "
                                     "the stored one", q->what));
    if (q->check == PG_CHECK_XID)
        s->xid = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
    if (q->check == PG_CHECK_COMMIT && strcmp(PQcmdStatus(res), "COMMIT") != 0 && !s->failed)
        note_failure(s, pss__pg_fail(s, PSS_ESTORAGE, "commit: the transaction had failed and "
                                     "was rolled back (%s)", PQcmdStatus(res)));
    if (q->check == PG_CHECK_HINT && q->hint < s->n_hints) {
        pg_hint *h = &s->hints[q->hint];
        h->answered = 1;
        if (!h->key) /* dropped meanwhile */
            return 0;
        PQclear(h->res);
        h->res = res;
        return 1;
    }
    if (q->check != PG_CHECK_RESULT || !result)
        return 0;
    PQclear(*result);
    *result = res;
    return 1;
}

/* The answers of one statement: its result, then the NULL that ends it. */
static int read_answer(pgstore *s, const pg_sent *q, PGresult **result)
{
    PGresult *res = PQgetResult(s->conn);
    if (!res)
        return send_failed(s, q->what);
    if (!check_answer(s, q, res, result))
        PQclear(res);
    if ((res = PQgetResult(s->conn)) == NULL)
        return 0;
    PQclear(res); /* a statement of ours has one result: libpq and we disagree, so the
                   * connection's state is unknown and it is reset like a lost one */
    char what[sizeof q->what + 40];
    snprintf(what, sizeof what, "%s: more than one result in a pipeline", q->what);
    return pss__pg_result_fail(s, NULL, what);
}

static int read_sync(pgstore *s)
{
    PGresult *res = PQgetResult(s->conn);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    PQclear(res);
    return st == PGRES_PIPELINE_SYNC ? 0 : send_failed(s, "a pipeline's sync");
}

int pss__pg_pipe_sync(pgstore *s, PGresult **result)
{
    if (result)
        *result = NULL;
    int rc = PQpipelineSync(s->conn) ? 0 : send_failed(s, s->n_sent ? s->sent[0].what : "sync");
    /* a statement that met the connection's loss has said so: nothing more comes */
    for (int i = 0; !rc && !s->broken && i < s->n_sent; i++)
        rc = read_answer(s, &s->sent[i], result);
    if (!rc && !s->broken)
        rc = read_sync(s);
    s->n_sent = 0;
    s->row_checks = 0;
    if (!s->broken) /* answers came: the transaction has run on this connection */
        s->replayable = 0;
    if (!rc)
        rc = s->failed;
    if (rc && result) {
        PQclear(*result);
        *result = NULL;
    }
    return rc;
}

/* A failure a call meets in what was queued before it is told as the call's: "get of
 * session X: put of order Y: ..." */
static void name_the_call(pgstore *s, const char *what)
{
    size_t n = strlen(what);
    if (strncmp(s->error, what, n) == 0 && s->error[n] == ':')
        return;
    char kept[sizeof s->error];
    memcpy(kept, s->error, sizeof kept);
    snprintf(s->error, sizeof s->error, "%.200s: %.560s", what, kept);
}

/* Whether a failed sync met a connection that had died before anything of the transaction
 * was answered (the server went away since the last call): nothing of it ran. */
static int lost_unnoticed(const pgstore *s, int rc, int replayable)
{
    return rc == PSS_ESTORAGE && s->broken && replayable;
}

static void forget_hints(pgstore *s);
static int send_kept(pgstore *s, const pg_kept *k);

/* A new connection, and the transaction begun again on it, with the checks it depends on. */
static int begin_again(pgstore *s, int write)
{
    forget_hints(s);
    pg_kept *kept = s->kept;
    size_t n_kept = s->n_kept, kept_cap = s->kept_cap;
    s->kept = NULL;
    s->n_kept = s->kept_cap = 0; /* pipe_open forgets them: they are given back after it */
    int rc = pss__pg_ensure(s);
    if (!rc)
        rc = pss__pg_pipe_open(s, write);
    s->kept = kept;
    s->n_kept = n_kept;
    s->kept_cap = kept_cap;
    if (!rc) {
        s->in_txn = 1;
        s->write_txn = write;
    }
    for (size_t i = 0; !rc && i < s->n_kept; i++)
        rc = send_kept(s, &s->kept[i]);
    return rc;
}

/* A sync that may be the transaction's first (doc/postgres-store.md, "Connection loss"):
 * 0, a failure, or 1 when it found the connection dead before anything of the transaction
 * ran and began it again on a new one (the hinted reads forgotten): the caller sends again
 * what it needs. */
static int sync_or_begin_again(pgstore *s, PGresult **result)
{
    int replayable = s->replayable, write = s->write_txn;
    int rc = pss__pg_pipe_sync(s, result);
    if (!lost_unnoticed(s, rc, replayable))
        return rc;
    rc = begin_again(s, write);
    return rc ? rc : 1;
}

/* Sends one statement and waits for its answer, beginning again (once) when that was the
 * transaction's first round trip on a dead connection. */
static int send_and_sync(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                         const char *what, pg_check check, PGresult **result)
{
    int rc = 1;
    for (int round = 0; rc == 1 && round < 2; round++) {
        rc = pss__pg_pipe_send(s, id, params, lens, what, check);
        if (!rc)
            rc = round ? pss__pg_pipe_sync(s, result) : sync_or_begin_again(s, result);
    }
    return rc;
}

int pss__pg_exec(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                 const char *what, PGresult **out)
{
    *out = NULL;
    if (!s->pipelined)
        return pss__pg_run(s, id, params, lens, what, out);
    int failed_before = s->failed;
    int rc = send_and_sync(s, id, params, lens, what, PG_CHECK_RESULT, out);
    if (rc && !failed_before) /* a failure met in what was queued is told as this call's */
        name_the_call(s, what);
    return rc;
}

/* ---- checks, kept to be sent again ---- */

static int send_kept(pgstore *s, const pg_kept *k)
{
    const char *params[3] = {k->params[0], k->params[1], k->params[2]};
    return pss__pg_pipe_send(s, (pg_stmt)k->stmt, params, NULL, k->what, PG_CHECK_KEPT);
}

static int keep(pgstore *s, pg_stmt id, const char *const params[3], const char *what)
{
    if (s->n_kept == s->kept_cap) {
        size_t cap = s->kept_cap ? 2 * s->kept_cap : 8;
        pg_kept *grown = realloc(s->kept, cap * sizeof *grown);
        if (!grown)
            return pss__pg_fail(s, PSS_ENOMEM, "out of memory keeping a check");
        s->kept = grown;
        s->kept_cap = cap;
    }
    pg_kept *k = &s->kept[s->n_kept];
    k->stmt = (unsigned char)id;
    snprintf(k->what, sizeof k->what, "%s", what);
    int ok = 1;
    for (int i = 0; i < 3; i++)
        ok &= (k->params[i] = strdup(params[i])) != NULL;
    s->n_kept++; /* freed with the rest, also when a copy failed */
    return ok ? 0 : pss__pg_fail(s, PSS_ENOMEM, "out of memory keeping a check");
}

int pss__pg_pipe_keep(pgstore *s, pg_stmt id, const char *const params[3], const char *what)
{
    if (s->failed)
        return s->failed;
    /* kept before it is sent: a full queue's sync that begins the transaction again sends
     * the kept ones, this one with them */
    int rc = keep(s, id, params, what);
    return rc ? rc : pss__pg_pipe_send(s, id, params, NULL, what, PG_CHECK_KEPT);
}

void pss__pg_forget_kept(pgstore *s)
{
    for (size_t i = 0; i < s->n_kept; i++)
        for (int p = 0; p < 3; p++)
            free(s->kept[i].params[p]);
    s->n_kept = 0;
}

/* ---- reads the library hinted ---- */

static int same_hint(const pg_hint *h, const char *kind, const char *key, size_t last)
{
    return h->last == last && key_is(h->key, kind, key);
}

/* Where a hint of (kind, key, last) is, or n_hints. Reads come in the order they were
 * hinted, so the search starts where the last one was found. */
static size_t find_hint(const pgstore *s, const char *kind, const char *key, size_t last)
{
    for (size_t k = 0; k < s->n_hints; k++) {
        size_t at = (s->next_hint + k) % s->n_hints;
        if (same_hint(&s->hints[at], kind, key, last))
            return at;
    }
    return s->n_hints;
}

static int add_hint(pgstore *s, const char *kind, const char *key, size_t last)
{
    if (s->n_hints == s->hints_cap) {
        size_t cap = s->hints_cap ? 2 * s->hints_cap : 16;
        pg_hint *grown = realloc(s->hints, cap * sizeof *grown);
        if (!grown)
            return pss__pg_fail(s, PSS_ENOMEM, "out of memory keeping a hinted read");
        s->hints = grown;
        s->hints_cap = cap;
    }
    pg_hint *h = &s->hints[s->n_hints];
    if (!(h->key = join_key(kind, key)))
        return pss__pg_fail(s, PSS_ENOMEM, "out of memory keeping a hinted read");
    h->last = last;
    h->res = NULL;
    h->answered = 0;
    s->n_hints++;
    return 0;
}

int pss__pg_prefetch(void *userdata, const char *kind, const char *key, size_t last)
{
    pgstore *s = userdata;
    if (!s->pipelined || s->failed || !kind || !key || find_hint(s, kind, key, last) < s->n_hints)
        return 0; /* nothing to send ahead: the read itself will come */
    char limit[24], what[320];
    snprintf(limit, sizeof limit, "%zu", last);
    snprintf(what, sizeof what, "%s of %.32s %.200s", last ? "scan of the last" : "get", kind, key);
    const char *params[] = {kind, key, limit};
    pg_stmt id = last ? PG_SCAN_LAST : s->write_txn ? PG_GET_LOCK : PG_GET;
    /* the hint is kept once its statement is queued: a full queue's sync may have begun the
     * transaction again, forgetting the hints before it */
    int rc = pss__pg_pipe_send(s, id, params, NULL, what, PG_CHECK_HINT);
    size_t slot = s->n_hints;
    if (!rc && (rc = add_hint(s, kind, key, last)) == 0)
        s->sent[s->n_sent - 1].hint = slot;
    return rc;
}

static void drop_hint(pg_hint *h)
{
    free(h->key);
    h->key = NULL;
    PQclear(h->res);
    h->res = NULL;
}

int pss__pg_take_hint(pgstore *s, const char *kind, const char *key, size_t last,
                      PGresult **res)
{
    *res = NULL;
    if (s->pipelined && s->failed)
        return s->failed;
    size_t at = s->pipelined ? find_hint(s, kind, key, last) : s->n_hints;
    if (at == s->n_hints)
        return 0;
    int rc = s->hints[at].answered ? 0 : sync_or_begin_again(s, NULL);
    if (rc == 1) /* begun again, the hints forgotten: the caller reads */
        return 0;
    if (rc) {
        char what[320];
        snprintf(what, sizeof what, "%s of %.32s %.200s", last ? "scan of the last" : "get",
                 kind, key);
        name_the_call(s, what);
        return rc;
    }
    *res = s->hints[at].res;
    s->hints[at].res = NULL;
    drop_hint(&s->hints[at]);
    s->next_hint = at + 1;
    return 0;
}

void pss__pg_drop_hints(pgstore *s, const char *kind)
{
    for (size_t i = 0; i < s->n_hints; i++)
        if (s->hints[i].key && !strcmp(s->hints[i].key, kind))
            drop_hint(&s->hints[i]);
}

static void forget_hints(pgstore *s)
{
    for (size_t i = 0; i < s->n_hints; i++)
        drop_hint(&s->hints[i]);
    s->n_hints = s->next_hint = 0;
}

/* ---- the transaction ---- */

int pss__pg_pipe_open(pgstore *s, int write)
{
    if (!PQenterPipelineMode(s->conn))
        return pss__pg_fail(s, PSS_ESTORAGE, "begin: cannot enter pipeline mode: %s",
                            PQerrorMessage(s->conn));
    s->pipelined = 1;
    s->replayable = 1;
    s->failed = 0;
    s->xid = 0;
    forget_touched(s); /* left by a transaction its connection's loss ended */
    forget_hints(s);
    pss__pg_forget_kept(s);
    int rc = pss__pg_pipe_send(s, write ? PG_BEGIN_WRITE : PG_BEGIN_READ, NULL, NULL,
                               write ? "begin write transaction" : "begin read transaction",
                               PG_CHECK_NONE);
    s->replayable = 1; /* BEGIN changes nothing */
    return rc;
}

int pss__pg_pipe_xid(pgstore *s)
{
    /* asked only when an audit entry needs it: most transactions (an order) never do */
    return send_and_sync(s, PG_XID, NULL, NULL, "reading the transaction's id", PG_CHECK_XID,
                         NULL);
}

/* Leaves pipeline mode and forgets the transaction's records. */
static void pipe_done(pgstore *s)
{
    if (PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF)
        PQexitPipelineMode(s->conn);
    s->pipelined = s->replayable = s->failed = 0;
    s->n_sent = s->row_checks = 0;
    forget_touched(s);
    forget_hints(s);
    pss__pg_forget_kept(s);
}

/* Whether the connection can still take statements. */
static int usable(const pgstore *s)
{
    return !s->broken && PQstatus(s->conn) == CONNECTION_OK;
}

int pss__pg_pipe_rollback(pgstore *s)
{
    int rc = 0;
    /* What was queued is answered first: a statement of it that fails would make the server
     * skip a ROLLBACK sent with it and leave the transaction open, aborted. Its failure is
     * the transaction's, which is being undone anyway. */
    if (usable(s) && s->n_sent)
        (void)pss__pg_pipe_sync(s, NULL);
    s->failed = 0;
    if (usable(s) && !(rc = pss__pg_pipe_send(s, PG_ROLLBACK, NULL, NULL, "rollback",
                                              PG_CHECK_NONE)))
        rc = pss__pg_pipe_sync(s, NULL);
    pipe_done(s);
    /* never leave a transaction block behind on a connection that works */
    if (usable(s) && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        rc = pss__pg_command(s, "ROLLBACK", "rollback");
    return rc && s->broken ? 0 : rc; /* no connection: the server has rolled it back */
}

int pss__pg_pipe_commit(pgstore *s)
{
    /* an UPDATE that finds no row is no error to the server: answered before COMMIT goes */
    int rc = s->failed ? s->failed : s->row_checks ? pss__pg_pipe_sync(s, NULL) : 0;
    if (!rc) /* a transaction of reads whose connection died unnoticed commits on a new one */
        rc = send_and_sync(s, PG_COMMIT, NULL, NULL, "commit", PG_CHECK_COMMIT, NULL);
    if (rc && !s->broken) {
        char kept[sizeof s->error];
        memcpy(kept, s->error, sizeof kept);
        pss__pg_pipe_rollback(s); /* a COMMIT skipped after a failure left the block open */
        memcpy(s->error, kept, sizeof kept);
    }
    pipe_done(s);
    return rc;
}

void pss__pg_pipe_free(pgstore *s)
{
    forget_touched(s);
    free(s->touched);
    forget_hints(s);
    free(s->hints);
    pss__pg_forget_kept(s);
    free(s->kept);
}
