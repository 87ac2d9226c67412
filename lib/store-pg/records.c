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
    rc = pss__pg_run(s, s->write_txn ? PG_GET_LOCK : PG_GET, params, NULL, what, &res);
    if (rc)
        return rc;
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
    int rc = pss__pg_run(s, id, params, NULL, what, &res);
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
    return rc ? rc : scan_page(s, PG_SCAN_LAST, params, what, kind, parent, fn, arg, limit, &more);
}

/* Runs the INSERT (expected 0) or the UPDATE of a put; *rows gets how many it wrote. */
static int write_row(pgstore *s, const pss_record *r, uint64_t expected, int *rows)
{
    char rev[24], what[320];
    snprintf(rev, sizeof rev, "%" PRIu64, expected);
    snprintf(what, sizeof what, "put of %.32s %.200s", r->kind, r->id);
    const char *payload = r->payload ? r->payload : "";
    const char *params[] = {r->kind, r->id, r->parent ? r->parent : "", payload, rev};
    /* the payload by its length: it need not end where the record says */
    int lens[] = {0, 0, 0, (int)r->payload_len, 0};
    PGresult *res = NULL;
    int rc = pss__pg_run(s, expected ? PG_UPDATE : PG_INSERT, params, lens, what, &res);
    if (rc)
        return rc;
    *rows = atoi(PQcmdTuples(res));
    PQclear(res);
    return 0;
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
    if ((rc = pss__pg_ensure(s)) != 0)
        return rc;
    int rows = 0;
    rc = write_row(s, r, expected_rev, &rows);
    if (rc)
        return rc;
    if (rows != 1 && !expected_rev)
        return pss__pg_fail(s, PSS_ECONFLICT, "put of %s %s: it exists", r->kind, r->id);
    if (rows != 1)
        return pss__pg_fail(s, PSS_ECONFLICT, "put of %s %s: revision %" PRIu64 " is not the "
                            "stored one", r->kind, r->id, expected_rev);
    if (new_rev)
        *new_rev = expected_rev + 1;
    return 0;
}
