/* checks.c: pss_storage::check and check_last. A write transaction depends on a record's
 * revision, or on the newest record under a parent, without reading it: the check is queued
 * (pss_check, pss_check_last in schema.c), locks the record as a get would, and fails the
 * transaction with PSS_ECONFLICT when it does not hold, which the library answers by running
 * the call again, reading. A single order's transaction so goes in one round trip instead of
 * two (doc/postgres-store.md, "Round trips"). */
#include "pg-store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_txn(pgstore *s, const char *what)
{
    if (!s->in_txn || !s->write_txn || !s->pipelined)
        return pss__pg_fail(s, PSS_EINVAL, "%s: checks are made in write transactions only",
                            what);
    return 0;
}

int pss__pg_check(void *userdata, const char *kind, const char *id, uint64_t rev)
{
    pgstore *s = userdata;
    if (!kind || !id)
        return pss__pg_fail(s, PSS_EINVAL, "check: kind or id is NULL");
    char what[320];
    snprintf(what, sizeof what, "check of %.32s %.200s", kind, id);
    int rc = check_txn(s, what);
    if (rc)
        return rc;
    if (rev >= (uint64_t)INT64_MAX)
        return pss__pg_fail(s, PSS_ECONFLICT, "%s: revision %" PRIu64 " out of range", what, rev);
    uint64_t held = 0;
    if (pss__pg_touched(s, kind, id, &held)) /* read or written here: known, and locked */
        return held == rev ? 0 : pss__pg_fail(s, PSS_ECONFLICT, "%s: it is at revision %"
                                              PRIu64 ", not %" PRIu64, what, held, rev);
    char revision[24];
    snprintf(revision, sizeof revision, "%" PRIu64, rev);
    const char *params[3] = {kind, id, revision};
    rc = pss__pg_pipe_keep(s, PG_VERIFY, params, what);
    /* as if read: a put expecting rev is queued, and checked by the row it updates */
    return rc ? rc : pss__pg_touch(s, kind, id, rev);
}

int pss__pg_check_last(void *userdata, const char *kind, const char *parent, const char *id)
{
    pgstore *s = userdata;
    if (!kind || !parent || !id)
        return pss__pg_fail(s, PSS_EINVAL, "check_last: kind, parent or id is NULL");
    char what[480];
    snprintf(what, sizeof what, "check of the newest %.32s under %.200s", kind, parent);
    int rc = check_txn(s, what);
    const char *params[3] = {kind, parent, id};
    return rc ? rc : pss__pg_pipe_keep(s, PG_VERIFY_LAST, params, what);
}
