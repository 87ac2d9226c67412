/* claims.c: unique keys with an owner, in the caller's transaction. A claim inserts and does
 * nothing on conflict; a claim that meets another's uncommitted insert waits for it, then
 * reads the owner that committed (READ COMMITTED: a fresh snapshot per statement), so two
 * tills opening one config's session get one winner across any number of processes. */
#include "pg-store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_holder(char *holder, size_t size, const char *owner)
{
    if (!holder || size == 0)
        return;
    size_t n = strlen(owner);
    if (n >= size)
        n = size - 1;
    memcpy(holder, owner, n);
    holder[n] = '\0';
}

/* Who holds key: 0 with *same telling whether it is owner (which may be NULL) and, when it
 * is not, the holder copied; PSS_ENOTFOUND; or a failure. */
static int holder_of(pgstore *s, const char *key, const char *owner, int *same, char *holder,
                     size_t size)
{
    char what[300];
    snprintf(what, sizeof what, "lookup of %.256s", key);
    PGresult *res = NULL;
    int rc = pss__pg_exec(s, PG_OWNER, &key, NULL, what, &res);
    if (rc)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return PSS_ENOTFOUND;
    }
    const char *held = PQgetvalue(res, 0, 0);
    *same = owner && strcmp(held, owner) == 0;
    if (!*same) /* the holder buffer is only the caller's answer when someone else holds */
        copy_holder(holder, size, held);
    PQclear(res);
    return 0;
}

/* Runs PG_CLAIM or PG_RELEASE on (key, owner); *changed says whether a row was touched. */
static int claim_write(pgstore *s, pg_stmt id, const char *key, const char *owner, int *changed)
{
    char what[300];
    snprintf(what, sizeof what, "%s of %.256s", id == PG_CLAIM ? "claim" : "release", key);
    const char *params[] = {key, owner};
    PGresult *res = NULL;
    int rc = pss__pg_ensure(s);
    if (!rc)
        rc = pss__pg_exec(s, id, params, NULL, what, &res);
    if (rc)
        return rc;
    *changed = atoi(PQcmdTuples(res)) > 0;
    PQclear(res);
    return 0;
}

int pss__pg_claim(void *userdata, const char *key, const char *owner, char *holder,
                  size_t holder_size)
{
    pgstore *s = userdata;
    if (!key || !owner)
        return pss__pg_fail(s, PSS_EINVAL, "claim: key or owner is NULL");
    int changed = 0, same = 0;
    int rc = claim_write(s, PG_CLAIM, key, owner, &changed);
    if (rc || changed)
        return rc;
    rc = holder_of(s, key, owner, &same, holder, holder_size);
    if (rc == PSS_ENOTFOUND) /* released between the two statements by another writer */
        return pss__pg_fail(s, PSS_ECONFLICT, "claim of %s: released meanwhile, try again", key);
    if (rc || same)
        return rc;
    return pss__pg_fail(s, PSS_EEXISTS, "claim of %s by %s: another owner holds it", key, owner);
}

int pss__pg_release(void *userdata, const char *key, const char *owner)
{
    pgstore *s = userdata;
    if (!key || !owner)
        return pss__pg_fail(s, PSS_EINVAL, "release: key or owner is NULL");
    int changed = 0, same = 0;
    int rc = claim_write(s, PG_RELEASE, key, owner, &changed);
    if (rc || changed)
        return rc;
    char held[256];
    rc = holder_of(s, key, NULL, &same, held, sizeof held);
    if (rc == PSS_ENOTFOUND)
        return pss__pg_fail(s, PSS_ENOTFOUND, "release of %s: nobody holds it", key);
    if (rc)
        return rc;
    return pss__pg_fail(s, PSS_ECONFLICT, "release of %s by %s: held by %s", key, owner, held);
}

int pss__pg_lookup(void *userdata, const char *key, char *holder, size_t holder_size)
{
    pgstore *s = userdata;
    if (!key)
        return pss__pg_fail(s, PSS_EINVAL, "lookup: key is NULL");
    int same = 0, rc = pss__pg_ensure(s);
    return rc ? rc : holder_of(s, key, NULL, &same, holder, holder_size);
}
