/* schema.c: the store's tables and their migrations. The version is the row of pss_schema;
 * every step runs in the one transaction that also writes the new version, under a session
 * advisory lock, so two tills starting at once never both create, and a failed step leaves
 * the database as it was. */
#include "pg-store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock key of migrations: "pss" in ASCII. Part of the schema. */
#define MIGRATION_LOCK "7369843"

/* migrations[v] takes a database from schema version v to v + 1. Steps are only ever added
 * at the end; the schema version is their count. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema (doc/postgres-store.md, "Schema"). seq gives scans the
     * creation order; payloads are text, byte for byte as the library wrote them (jsonb
     * would reorder members and refuses \u0000). Ids stay text: the contract allows any
     * text, and measured against uuid keys the difference was in the noise
     * (doc/postgres-store.md). */
    "CREATE TABLE pss_record ("
    " seq bigint GENERATED ALWAYS AS IDENTITY,"
    " kind text NOT NULL,"
    " id text NOT NULL,"
    " parent text NOT NULL,"
    " rev bigint NOT NULL,"
    " payload text NOT NULL,"
    " PRIMARY KEY (kind, id));"
    "CREATE INDEX pss_record_by_parent ON pss_record (kind, parent, seq);"
    "CREATE TABLE pss_claim (key text PRIMARY KEY, owner text NOT NULL);"
    /* seq: the appending transaction's id times 2^20 plus the entry's place in it (audit.c) */
    "CREATE TABLE pss_audit ("
    " seq bigint PRIMARY KEY,"
    " subject text NOT NULL,"
    " payload text NOT NULL);"
    "CREATE INDEX pss_audit_by_subject ON pss_audit (subject, seq);"
    /* The trail is append-only in the database itself, whoever connects. */
    "CREATE FUNCTION pss_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP"
    " USING ERRCODE = 'insufficient_privilege'; END $$;"
    "CREATE TRIGGER pss_audit_append_only BEFORE UPDATE OR DELETE ON pss_audit"
    " FOR EACH ROW EXECUTE FUNCTION pss_audit_refuse();"
    "CREATE TRIGGER pss_audit_no_truncate BEFORE TRUNCATE ON pss_audit"
    " FOR EACH STATEMENT EXECUTE FUNCTION pss_audit_refuse();"
    /* One notification per transaction that appended, delivered at its commit (the server
     * folds equal notifications of one transaction into one). */
    "CREATE FUNCTION pss_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM pg_notify('pss_audit', ''); RETURN NULL; END $$;"
    "CREATE TRIGGER pss_audit_notify AFTER INSERT ON pss_audit"
    " FOR EACH STATEMENT EXECUTE FUNCTION pss_audit_notify();",
    /* 1 -> 2: checks (pss_storage::check, check_last). A write transaction depends on a
     * record's revision, or on the newest record under a parent, without reading it: the
     * statement locks the record as a read would and fails the transaction with SQLSTATE
     * PSS01 when it is not as the library holds it. plpgsql runs each query with a fresh
     * snapshot, so the newest record is read after the locks taken before it. */
    "CREATE FUNCTION pss_check(k text, i text, r bigint) RETURNS void LANGUAGE plpgsql AS $$"
    " DECLARE got bigint;"
    " BEGIN SELECT rev INTO got FROM pss_record WHERE kind = k AND id = i FOR UPDATE;"
    " IF coalesce(got, 0) <> r THEN RAISE EXCEPTION"
    " 'the % record % is at revision %, not %', k, i, coalesce(got, 0), r"
    " USING ERRCODE = 'PSS01'; END IF; END $$;"
    "CREATE FUNCTION pss_check_last(k text, p text, i text) RETURNS void LANGUAGE plpgsql AS $$"
    " DECLARE got text;"
    " BEGIN SELECT id INTO got FROM pss_record WHERE kind = k AND parent = p"
    " ORDER BY seq DESC LIMIT 1;"
    " IF coalesce(got, '') <> i THEN RAISE EXCEPTION"
    " 'the newest % under % is ''%'', not ''%''', k, p, coalesce(got, ''), i"
    " USING ERRCODE = 'PSS01'; END IF; END $$;",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int pss_pg_schema_version(void)
{
    return SCHEMA_VERSION;
}

static int step_fail(pgstore *s, pss_ctx *ctx, PGresult *res, const char *what)
{
    int rc = pss__pg_result_fail(s, res, what);
    PQclear(res);
    return pss_ctx_fail(ctx, rc == PSS_ECONFLICT ? PSS_EBUSY : rc,
                        "cannot open PostgreSQL store: %s", s->error);
}

/* Runs SQL without parameters; *out gets its result (PQclear it), or the failure goes to
 * ctx. */
static int query(pgstore *s, pss_ctx *ctx, const char *sql, const char *what, PGresult **out)
{
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    *out = NULL;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        return step_fail(s, ctx, res, what);
    *out = res;
    return 0;
}

static int run_sql(pgstore *s, pss_ctx *ctx, const char *sql, const char *what)
{
    PGresult *res = NULL;
    int err = query(s, ctx, sql, what, &res);
    PQclear(res);
    return err;
}

/* The stored version: 0 when there is no pss_schema table yet. */
static int read_version(pgstore *s, pss_ctx *ctx, int *version)
{
    PGresult *res = NULL;
    *version = 0;
    int err = query(s, ctx, "SELECT to_regclass('pss_schema') IS NOT NULL",
                    "reading the schema version", &res);
    if (err)
        return err;
    int exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!exists)
        return 0;
    err = query(s, ctx, "SELECT version FROM pss_schema", "reading the schema version", &res);
    if (err)
        return err;
    int rows = PQntuples(res);
    *version = rows == 1 ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    if (*version < 1)
        return pss_ctx_fail(ctx, PSS_ECORRUPT, "cannot open PostgreSQL store: table pss_schema "
                            "holds %d rows and no version of ours", rows);
    return 0;
}

static int too_new(pss_ctx *ctx, int version)
{
    return pss_ctx_fail(ctx, PSS_EVERSION,
                        "cannot open PostgreSQL store: its schema version is %d, this "
                        "libpossession-pg knows versions up to %d; use a newer library",
                        version, SCHEMA_VERSION);
}

/* The stored version, refused when newer; *todo says whether steps are to run. */
static int check_version(pgstore *s, pss_ctx *ctx, int *version, int *todo)
{
    *todo = 0;
    int err = read_version(s, ctx, version);
    if (err)
        return err;
    if (*version > SCHEMA_VERSION)
        return too_new(ctx, *version);
    *todo = *version < SCHEMA_VERSION;
    return 0;
}

/* Runs the steps from the stored version up, inside the open transaction. */
static int apply(pgstore *s, pss_ctx *ctx)
{
    int version = 0, todo = 0;
    int err = check_version(s, ctx, &version, &todo); /* again, under the lock */
    if (err || !todo)
        return err;
    if (version == 0)
        err = run_sql(s, ctx, "CREATE TABLE pss_schema (version integer NOT NULL);"
                              "INSERT INTO pss_schema VALUES (0)", "creating the schema");
    for (int v = version; !err && v < SCHEMA_VERSION; v++) {
        char what[96];
        snprintf(what, sizeof what, "upgrading the schema from version %d to %d", v, v + 1);
        err = run_sql(s, ctx, migrations[v], what);
    }
    if (err)
        return err;
    char sql[64];
    snprintf(sql, sizeof sql, "UPDATE pss_schema SET version = %d", SCHEMA_VERSION);
    return run_sql(s, ctx, sql, "writing the schema version");
}

int pss__pg_migrate(pgstore *s, pss_ctx *ctx)
{
    int version = 0, todo = 0;
    int err = check_version(s, ctx, &version, &todo);
    if (err || !todo)
        return err;
    /* The lock is taken before the transaction starts: a transaction that waited for it
     * inside would look the tables up in the catalog as it was before it waited. */
    err = run_sql(s, ctx, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")",
                  "waiting for another process's schema upgrade");
    if (err)
        return err;
    err = run_sql(s, ctx, "BEGIN", "starting the schema upgrade");
    if (!err)
        err = apply(s, ctx);
    if (!err)
        err = run_sql(s, ctx, "COMMIT", "committing the schema upgrade");
    else
        PQclear(PQexec(s->conn, "ROLLBACK"));
    PQclear(PQexec(s->conn, "SELECT pg_advisory_unlock(" MIGRATION_LOCK ")"));
    return err;
}
