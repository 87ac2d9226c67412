/* records.c: records with compare-and-swap on their revision, and scans in creation order.
 * A get inside a write transaction locks the row (FOR UPDATE) until the transaction ends:
 * the library reads a session, decides and writes, and another writer of that session
 * waits for the row instead of deciding on the same revision. */
#include "pg-store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Texts PostgreSQL cannot hold are refused before they reach the server. */
static int check_text(pgstore *s, const char *what, const char *text, size_t len)
{
    if (memchr(text, '\0', len))
        return pss__pg_fail(s, PSS_EINVAL, "%s holds a NUL byte, which PostgreSQL text "
                            "cannot store", what);
    return 0;
}

/* Passes each row (key column 0, rev 1, payload 2) to fn; the key is the parent of a get's
 * record (id given) or the id of a scan's (parent given). A callback may call the store:
 * the result is the caller's until it is cleared. */
static int emit(pgstore *s, PGresult *res, const char *kind, const char *id, const char *parent,
                pss_record_fn fn, void *arg)
{
    for (int row = 0; row < PQntuples(res); row++) {
        pss_record r;
        r.kind = kind;
        r.id = id ? id : PQgetvalue(res, row, 0);
        r.parent = id ? PQgetvalue(res, row, 0) : parent;
        char *end = NULL;
        r.rev = strtoull(PQgetvalue(res, row, 1), &end, 10);
        r.payload = PQgetvalue(res, row, 2);
        r.payload_len = (size_t)PQgetlength(res, row, 2);
        if (!end || *end || r.rev == 0)
            return pss__pg_fail(s, PSS_ECORRUPT, "a %s record %s has revision '%s'", kind,
                                r.id, PQgetvalue(res, row, 1));
        int out = fn(&r, arg);
        if (out)
            return out;
    }
    return 0;
}

int pss__pg_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    pgstore *s = userdata;
    if (!kind || !id || !fn)
        return pss__pg_fail(s, PSS_EINVAL, "get: kind, id or callback is NULL");
    int rc = pss__pg_ensure(s);
    if (rc)
        return rc;
    const char *params[] = {kind, id};
    char what[320];
    snprintf(what, sizeof what, "get of %.32s %.200s", kind, id);
    PGresult *res = NULL;
    rc = pss__pg_take_hint(s, kind, id, 0, &res);
    if (!rc && !res)
        rc = pss__pg_exec(s, s->write_txn ? PG_GET_LOCK : PG_GET, params, NULL, what, &res);
    if (!rc) /* found and locked, or found missing: a put of it can be queued */
        rc = pss__pg_touch(s, kind, id, PQntuples(res) ? strtoull(PQgetvalue(res, 0, 1), NULL, 10)
                                                       : 0);
    if (rc) {
        PQclear(res);
        return rc;
    }
    rc = PQntuples(res) ? emit(s, res, kind, id, NULL, fn, arg) : PSS_ENOTFOUND;
    PQclear(res);
    return rc;
}

static int check_scan(pgstore *s, const char *kind, const char *parent, pss_record_fn fn)
{
    if (!kind || !parent || !fn)
        return pss__pg_fail(s, PSS_EINVAL, "scan: kind, parent or callback is NULL");
    return pss__pg_ensure(s);
}

/* The rows of one statement, then what the caller does next: 0 and *more when a page was
 * full (after gets its last seq), else the result. */
static int scan_page(pgstore *s, pg_stmt id, const char *const *params, const char *what,
                     const char *kind, const char *parent, pss_record_fn fn, void *arg,
                     char after[24], int *more)
{
    PGresult *res = NULL;
    *more = 0;
    int rc = pss__pg_exec(s, id, params, NULL, what, &res);
    if (rc)
        return rc;
    rc = emit(s, res, kind, NULL, parent, fn, arg);
    int rows = PQntuples(res);
    if (!rc && id == PG_SCAN && rows == PSS_PG_PAGE) {
        snprintf(after, 24, "%s", PQgetvalue(res, rows - 1, 3));
        *more = 1;
    }
    PQclear(res);
    return rc;
}

int pss__pg_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                 void *arg)
{
    pgstore *s = userdata;
    int rc = check_scan(s, kind, parent, fn), more = 1;
    char after[24] = "0", what[320];
    snprintf(what, sizeof what, "scan of %.32s under '%.200s'", kind ? kind : "", parent ? parent : "");
    const char *params[] = {kind, parent, after};
    while (!rc && more)
        rc = scan_page(s, PG_SCAN, params, what, kind, parent, fn, arg, after, &more);
    return rc;
}

int pss__pg_scan_last(void *userdata, const char *kind, const char *parent, size_t n,
                      pss_record_fn fn, void *arg)
{
    pgstore *s = userdata;
    int rc = check_scan(s, kind, parent, fn), more = 0;
    char limit[24], what[320];
    snprintf(limit, sizeof limit, "%" PRIu64, (uint64_t)(n > INT64_MAX ? INT64_MAX : n));
    snprintf(what, sizeof what, "scan of the last %s %.32s under '%.200s'", limit,
             kind ? kind : "", parent ? parent : "");
    const char *params[] = {kind, parent, limit};
    PGresult *hinted = NULL; /* the library may have hinted this read */
    if (!rc && n) /* a hint of last 0 would be a get's */
        rc = pss__pg_take_hint(s, kind, parent, n, &hinted);
    if (rc || !hinted)
        return rc ? rc : scan_page(s, PG_SCAN_LAST, params, what, kind, parent, fn, arg, limit,
                                   &more);
    rc = emit(s, hinted, kind, NULL, parent, fn, arg);
    PQclear(hinted);
    return rc;
}

/* The parameters of a put's statement: kind, id, parent, payload (by its length: it need
 * not end where the record says) and the expected revision. */
typedef struct put_params {
    char rev[24], what[320];
    const char *values[5];
    int lens[5];
} put_params;

static void fill_put(put_params *p, const pss_record *r, uint64_t expected)
{
    snprintf(p->rev, sizeof p->rev, "%" PRIu64, expected);
    snprintf(p->what, sizeof p->what, "put of %.32s %.200s", r->kind, r->id);
    const char *values[] = {r->kind, r->id, r->parent ? r->parent : "",
                            r->payload ? r->payload : "", p->rev};
    memcpy(p->values, values, sizeof values);
    int lens[] = {0, 0, 0, (int)r->payload_len, 0};
    memcpy(p->lens, lens, sizeof lens);
}

static int conflict(pgstore *s, const pss_record *r, uint64_t expected)
{
    if (!expected)
        return pss__pg_fail(s, PSS_ECONFLICT, "put of %s %s: it exists", r->kind, r->id);
    return pss__pg_fail(s, PSS_ECONFLICT, "put of %s %s: revision %" PRIu64 " is not the "
                        "stored one", r->kind, r->id, expected);
}

/* Runs the INSERT (expected 0) or the UPDATE of a put and answers it now. */
static int write_now(pgstore *s, const put_params *p, const pss_record *r, uint64_t expected)
{
    PGresult *res = NULL;
    int rc = pss__pg_exec(s, expected ? PG_UPDATE : PG_INSERT, p->values, p->lens, p->what, &res);
    if (rc)
        return rc;
    int rows = atoi(PQcmdTuples(res));
    PQclear(res);
    return rows == 1 ? 0 : conflict(s, r, expected);
}

/* A put of a record this transaction read (and so locked) or found missing is queued and
 * answered at the next sync (pipeline.c): the lock keeps the revision it read, so a put that
 * expects another one is answered at once, and one that expects it has nothing to meet; a
 * create meets only a record another transaction made since, which fails this one with
 * PSS_ECONFLICT, and the library runs the call again. Any other put is answered now. */
static int write_row(pgstore *s, const pss_record *r, uint64_t expected)
{
    uint64_t held = 0;
    int known = pss__pg_touched(s, r->kind, r->id, &held);
    if (known && held && held != expected)
        return conflict(s, r, expected);
    put_params p;
    fill_put(&p, r, expected);
    int rc;
    if (known && held == expected)
        rc = pss__pg_pipe_send(s, expected ? PG_UPDATE : PG_CREATE, p.values, p.lens, p.what,
                               expected ? PG_CHECK_ONE_ROW : PG_CHECK_NONE);
    else
        rc = write_now(s, &p, r, expected);
    return rc ? rc : pss__pg_touch(s, r->kind, r->id, expected + 1);
}

int pss__pg_put(void *userdata, const pss_record *r, uint64_t expected_rev, uint64_t *new_rev)
{
    pgstore *s = userdata;
    if (!r || !r->kind || !r->id || (!r->payload && r->payload_len))
        return pss__pg_fail(s, PSS_EINVAL, "put: record, kind, id or payload is NULL");
    if (r->payload_len > INT32_MAX)
        return pss__pg_fail(s, PSS_EINVAL, "put of %s %s: payload of %zu bytes is too long",
                            r->kind, r->id, r->payload_len);
    int rc = r->payload ? check_text(s, "put: the payload", r->payload, r->payload_len) : 0;
    if (rc)
        return rc;
    if (expected_rev >= (uint64_t)INT64_MAX) /* PostgreSQL's bigint is signed */
        return pss__pg_fail(s, PSS_ECONFLICT, "put of %s %s: revision %" PRIu64 " out of range",
                            r->kind, r->id, expected_rev);
    pss__pg_drop_hints(s, r->kind); /* what they read may change */
    if ((rc = pss__pg_ensure(s)) != 0 || (rc = write_row(s, r, expected_rev)) != 0)
        return rc;
    if (new_rev)
        *new_rev = expected_rev + 1;
    return 0;
}
