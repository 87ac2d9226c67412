/* open.c: opening a PostgreSQL store: options, the connection, the schema, and the callback
 * table handed out; and the store's end (free, errmsg). */
#include "pg-store.h"

#include <stdlib.h>
#include <string.h>

static int check_options(pss_ctx *ctx, const pss_pg_options *o)
{
    if (o->version < 1 || o->version > PSS_PG_OPTIONS_VERSION)
        return pss_ctx_fail(ctx, PSS_EVERSION,
                            "pss_pg_options has version %u; this library knows 1 to %u",
                            (unsigned)o->version, (unsigned)PSS_PG_OPTIONS_VERSION);
    if (o->lock_timeout_ms < 0 || o->statement_timeout_ms < 0 || o->reconnect_attempts < 0)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_pg_options: lock timeout %d ms, statement "
                            "timeout %d ms and reconnect attempts %d must not be negative",
                            o->lock_timeout_ms, o->statement_timeout_ms, o->reconnect_attempts);
    return 0;
}

/* The conninfo's password, kept only to blank it out of messages; a conninfo libpq cannot
 * parse is refused here, with libpq's reason (which never repeats the values). */
static int keep_password(pgstore *s, pss_ctx *ctx, const char *conninfo)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
    if (!opts) {
        size_t n = err ? strlen(err) : 0;
        while (n && err[n - 1] == '\n')
            err[--n] = '\0';
        int rc = pss_ctx_fail(ctx, err ? PSS_EINVAL : PSS_ENOMEM,
                              "cannot open PostgreSQL store: the conninfo does not parse: %s",
                              err ? err : "out of memory");
        PQfreemem(err);
        return rc;
    }
    int rc = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val && *o->val &&
            !(s->password = strdup(o->val)))
            rc = pss_ctx_fail(ctx, PSS_ENOMEM, "cannot open PostgreSQL store: out of memory");
    PQconninfoFree(opts);
    return rc;
}

static const char *pg_errmsg(void *userdata)
{
    pgstore *s = userdata;
    return s->error[0] ? s->error : NULL;
}

static void pg_free(void *userdata)
{
    pgstore *s = userdata;
    if (!s)
        return;
    PQfinish(s->conn); /* the server rolls back a transaction left open */
    free(s->password);
    pss__pg_pipe_free(s);
    free(s);
}

static void fill_vtable(pgstore *s)
{
    pss_storage t = PSS_STORAGE_INIT;
    t.userdata = s;
    t.begin = pss__pg_begin;
    t.commit = pss__pg_commit;
    t.rollback = pss__pg_rollback;
    t.get = pss__pg_get;
    t.put = pss__pg_put;
    t.scan = pss__pg_scan;
    t.scan_last = pss__pg_scan_last;
    t.prefetch = pss__pg_prefetch;
    t.check = pss__pg_check;
    t.check_last = pss__pg_check_last;
    t.claim = pss__pg_claim;
    t.release = pss__pg_release;
    t.lookup = pss__pg_lookup;
    t.append = pss__pg_append;
    t.audit_scan = pss__pg_audit_scan;
    t.errmsg = pg_errmsg;
    t.free = pg_free;
    s->vtable = t;
}

static int connect_and_migrate(pgstore *s, pss_ctx *ctx, const char *conninfo)
{
    int err = keep_password(s, ctx, conninfo);
    if (err)
        return err;
    err = pss__pg_connect(s, conninfo);
    if (err)
        return pss_ctx_fail(ctx, err, "cannot open PostgreSQL store: %s", s->error);
    return pss__pg_migrate(s, ctx);
}

int pss_pg_open(pss_ctx *ctx, const char *conninfo, const pss_pg_options *options,
                pss_storage **out)
{
    if (!out)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_pg_open: out is NULL");
    *out = NULL;
    if (!conninfo)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_pg_open: conninfo is NULL");
    pss_pg_options defaults = PSS_PG_OPTIONS_INIT;
    const pss_pg_options *o = options ? options : &defaults;
    int err = check_options(ctx, o);
    if (err)
        return err;
    pgstore *s = calloc(1, sizeof *s);
    if (!s)
        return pss_ctx_fail(ctx, PSS_ENOMEM, "cannot open PostgreSQL store: out of memory");
    s->lock_timeout_ms = o->lock_timeout_ms;
    s->statement_timeout_ms = o->statement_timeout_ms;
    s->reconnect_attempts = o->reconnect_attempts;
    err = connect_and_migrate(s, ctx, conninfo);
    if (err) {
        pg_free(s);
        return err;
    }
    fill_vtable(s);
    s->error[0] = '\0';
    *out = &s->vtable;
    return 0;
}
