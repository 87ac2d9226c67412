/* audit.c: the audit trail in commit order. An entry's seq is its transaction's id (xid8)
 * times 2^20 plus its place in the transaction, and audit_scan passes only the entries of
 * transactions older than every transaction still running (the snapshot's xmin), plus the
 * reader's own. Any transaction that commits later has an id at least that xmin, so all its
 * entries sort after every entry a reader was given: paging by after_seq misses nothing.
 * (A plain sequence does not give this: a transaction may take seq 1, another seq 2 and
 * commit first; a reader then passes 2 and never sees 1.) */
#include "pg-store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends and reads the seq the server gave. */
static int append_now(pgstore *s, const char *const *params, const int *lens, const char *what,
                      uint64_t *seq)
{
    PGresult *res = NULL;
    int rc = pss__pg_exec(s, PG_APPEND, params, lens, what, &res);
    if (rc)
        return rc;
    if (seq)
        *seq = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

/* In a pipelined write transaction the entry is queued: its seq is the transaction's id,
 * answered with the first sync, and its place, as the statement makes it. */
static int queue_append(pgstore *s, const char *const *params, const int *lens,
                        const char *what, uint64_t *seq)
{
    int rc = s->xid ? 0 : pss__pg_pipe_xid(s);
    if (!rc)
        rc = pss__pg_pipe_send(s, PG_APPEND, params, lens, what, PG_CHECK_NONE);
    if (!rc && seq)
        *seq = s->xid * PSS_PG_AUDIT_PER_TXN + (uint64_t)s->appended;
    return rc;
}

int pss__pg_append(void *userdata, const char *subject, const char *payload, size_t len,
                   uint64_t *seq)
{
    pgstore *s = userdata;
    if (!subject || (!payload && len))
        return pss__pg_fail(s, PSS_EINVAL, "append: subject or payload is NULL");
    if (len > INT32_MAX || (payload && memchr(payload, '\0', len)))
        return pss__pg_fail(s, PSS_EINVAL, "append to the audit trail of %s: the payload is "
                            "too long or holds a NUL byte", subject);
    if ((unsigned long long)s->appended >= PSS_PG_AUDIT_PER_TXN - 1)
        return pss__pg_fail(s, PSS_ESTORAGE, "append to the audit trail of %s: more than %llu "
                            "entries in one transaction", subject, PSS_PG_AUDIT_PER_TXN - 1);
    int rc = pss__pg_ensure(s);
    if (rc)
        return rc;
    char place[16], what[280];
    snprintf(place, sizeof place, "%d", s->in_txn ? s->appended : 0);
    snprintf(what, sizeof what, "append to the audit trail of %.200s", subject);
    const char *params[] = {subject, payload ? payload : "", place};
    int lens[] = {0, (int)len, 0};
    if (s->pipelined && s->write_txn)
        rc = queue_append(s, params, lens, what, seq);
    else
        rc = append_now(s, params, lens, what, seq);
    if (!rc && s->in_txn)
        s->appended++;
    return rc;
}

static int emit_audit(pgstore *s, PGresult *res, pss_audit_fn fn, void *arg)
{
    for (int row = 0; row < PQntuples(res); row++) {
        pss_audit_item item;
        char *end = NULL;
        item.seq = strtoull(PQgetvalue(res, row, 0), &end, 10);
        item.subject = PQgetvalue(res, row, 1);
        item.payload = PQgetvalue(res, row, 2);
        item.payload_len = (size_t)PQgetlength(res, row, 2);
        if (!end || *end)
            return pss__pg_fail(s, PSS_ECORRUPT, "an audit entry has seq '%s'",
                                PQgetvalue(res, row, 0));
        int out = fn(&item, arg);
        if (out)
            return out;
    }
    return 0;
}

/* One page after `after`; *more when it was full (after gets its last seq). */
static int audit_page(pgstore *s, const char *subject, char after[24], pss_audit_fn fn,
                      void *arg, int *more)
{
    const char *params[] = {after, subject};
    PGresult *res = NULL;
    *more = 0;
    int rc = pss__pg_exec(s, subject ? PG_AUDIT_SUBJECT : PG_AUDIT_ALL, params, NULL,
                         "audit scan", &res);
    if (rc)
        return rc;
    rc = emit_audit(s, res, fn, arg);
    int rows = PQntuples(res);
    if (!rc && rows == PSS_PG_PAGE) {
        snprintf(after, 24, "%s", PQgetvalue(res, rows - 1, 0));
        *more = 1;
    }
    PQclear(res);
    return rc;
}

int pss__pg_audit_scan(void *userdata, const char *subject, uint64_t after_seq,
                       pss_audit_fn fn, void *arg)
{
    pgstore *s = userdata;
    if (!fn)
        return pss__pg_fail(s, PSS_EINVAL, "audit_scan: callback is NULL");
    int rc = pss__pg_ensure(s), more = 1;
    char after[24];
    snprintf(after, sizeof after, "%" PRIu64, after_seq > INT64_MAX ? (uint64_t)INT64_MAX
                                                                     : after_seq);
    /* each page is below its own snapshot's horizon, and horizons only grow: paging here
     * misses nothing, as a caller's paging does not (the file's first comment) */
    while (!rc && more)
        rc = audit_page(s, subject, after, fn, arg, &more);
    return rc;
}
