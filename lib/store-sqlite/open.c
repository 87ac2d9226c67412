/* open.c: opening a SQLite store: options, the connection's pragmas (page size, WAL, synchronous,
 * busy timeout, cache), the schema and its migrations, and preparing the statements the store
 * keeps. */
#include "sqlite-store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a stored key (keys.c) in plain SQL, for the view `records`: hosts read it with
 * any sqlite3, without our functions. Part of migration step 1 -> 2: never changed. */
#define UUID_SQL(b)                                                                           \
    "lower(substr(hex(" b "), 1, 8) || '-' || substr(hex(" b "), 9, 4) || '-' ||"             \
    " substr(hex(" b "), 13, 4) || '-' || substr(hex(" b "), 17, 4) || '-' ||"                \
    " substr(hex(" b "), 21, 12))"
#define KEY_SQL(x)                                                                            \
    "CASE WHEN typeof(" x ") <> 'blob' THEN " x " WHEN length(" x ") = 16 THEN " UUID_SQL(x)  \
    " WHEN substr(" x ", 1, 1) = x'01' THEN " UUID_SQL("substr(" x ", 2, 16)")                \
    " || ':' || CAST(substr(" x ", 18) AS TEXT)"                                              \
    " ELSE CAST(substr(" x ", 2, length(" x ") - 17) AS TEXT) || '/' || "                     \
    UUID_SQL("substr(" x ", -16)") " END"
#define RECORDS_VIEW_PART(table)                                                              \
    "SELECT r.seq, k.name, " KEY_SQL("r.id") ", " KEY_SQL("r.parent") ", r.rev, r.payload"   \
    " FROM " table " r JOIN kinds k ON k.code = r.kind"
#define RECORD_TABLE(table)                                                                   \
    "CREATE TABLE " table " (seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"                 \
    " id BLOB NOT NULL, parent BLOB NOT NULL, rev INTEGER NOT NULL, payload TEXT NOT NULL);"
#define RECORD_COPY(table, where)                                                             \
    "INSERT INTO " table " (seq, kind, id, parent, rev, payload)"                             \
    " SELECT r.seq, k.code, pss_key(r.id), pss_key(r.parent), r.rev, r.payload"               \
    " FROM records r JOIN kinds k ON k.name = r.kind WHERE k.code " where " ORDER BY r.seq;"
#define RECORD_INDEXES(table)                                                                 \
    "CREATE UNIQUE INDEX " table "_by_id ON " table " (kind, id);"                            \
    "CREATE INDEX " table "_by_parent ON " table " (kind, parent, seq);"

/* The page cache of the connection, in KiB (a negative cache_size: the same bytes whatever the
 * page size). Once the id index has more leaves than a batch has orders, a batch of 1000
 * dirties about 1500 pages (6 MiB); in SQLite's default 2 MiB they spill to the WAL before the
 * commit and many are written twice (doc/sqlite-store.md, "Cache"). Pages are only held once
 * read, so a till that never submits big batches never fills it. */
#define CACHE_KIB "-16384"

/* Migration steps: migrations[v] takes a file from schema version v to v + 1. Steps are only
 * ever added at the end; the schema version is their count. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema. seq is the rowid: records are never deleted, so it grows with
     * every insert and gives scans their creation order. */
    "CREATE TABLE records ("
    " seq INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " id TEXT NOT NULL,"
    " parent TEXT NOT NULL DEFAULT '',"
    " rev INTEGER NOT NULL,"
    " payload TEXT NOT NULL,"
    " UNIQUE (kind, id));"
    "CREATE INDEX records_by_parent ON records (kind, parent, seq);"
    "CREATE TABLE claims (key TEXT PRIMARY KEY, owner TEXT NOT NULL);"
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " subject TEXT NOT NULL,"
    " payload TEXT NOT NULL);"
    "CREATE INDEX audit_by_subject ON audit (subject, seq);",

    /* 1 -> 2: a layout whose cost per order does not grow with random ids (doc/sqlite-store.md,
     * "Schema"). Kinds become codes; ids and parents that are UUIDs become 16-byte blobs
     * (pss_key(), keys.c); the records every order rewrites get a table of their own. Every
     * record keeps its seq, rev and payload. `records` becomes a view that reads as version
     * 1's table did. Claims and the audit trail are unchanged. */
    "CREATE TABLE kinds (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "INSERT INTO kinds (code, name) VALUES (1, 'config'), (2, 'config_state'), (3, 'session'),"
    " (4, 'total'), (5, 'order'), (6, 'refund_tally'), (7, 'movement'), (8, 'entry'), (9, 'meta');"
    "INSERT INTO kinds (code, name) SELECT 99 + row_number() OVER (ORDER BY kind), kind"
    " FROM (SELECT DISTINCT kind FROM records WHERE kind NOT IN (SELECT name FROM kinds));"
    RECORD_TABLE("record")
    RECORD_TABLE("record_live")
    RECORD_COPY("record", "NOT IN (2, 3, 4)")
    RECORD_COPY("record_live", "IN (2, 3, 4)")
    RECORD_INDEXES("record")
    RECORD_INDEXES("record_live")
    "DROP TABLE records;"
    "CREATE VIEW records (seq, kind, id, parent, rev, payload) AS "
    RECORDS_VIEW_PART("record") " UNION ALL " RECORDS_VIEW_PART("record_live") ";",

    /* 2 -> 3: the orders move to `record_order`, whose rowid is an order's place in its
     * session's range (ranges.c): the table is its own parent index, so an order writes two
     * b-trees, the end of the table and its id index, instead of three (doc/sqlite-store.md,
     * "Schema"). Each session with orders gets a slot, in the order of its first order; every
     * record keeps its seq (now a creation stamp, all later ones greater), rev and payload;
     * orders are numbered in their range by seq. `record` is copied without them (so that
     * their pages are not left free in it) and `records` becomes the view of three tables.
     * The view is dropped first so that the rename has nothing to rewrite. */
    "DROP VIEW records;"
    "CREATE TABLE record_range (slot INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    " parent BLOB NOT NULL, UNIQUE (kind, parent));"
    "INSERT INTO record_range (slot, kind, parent)"
    " SELECT row_number() OVER (ORDER BY first), kind, parent"
    " FROM (SELECT kind, parent, min(seq) AS first FROM record WHERE kind = 5"
    " GROUP BY kind, parent);"
    "CREATE TABLE record_order (place INTEGER PRIMARY KEY, seq INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, id BLOB NOT NULL, parent BLOB NOT NULL, rev INTEGER NOT NULL,"
    " payload TEXT NOT NULL);"
    "INSERT INTO record_order (place, seq, kind, id, parent, rev, payload)"
    " SELECT g.slot * 4294967296 + row_number() OVER (PARTITION BY r.parent ORDER BY r.seq),"
    " r.seq, r.kind, r.id, r.parent, r.rev, r.payload FROM record r"
    " JOIN record_range g ON g.kind = r.kind AND g.parent = r.parent ORDER BY 1;"
    "CREATE UNIQUE INDEX record_order_by_id ON record_order (kind, id);"
    RECORD_TABLE("record_v3")
    "INSERT INTO record_v3 SELECT seq, kind, id, parent, rev, payload FROM record"
    " WHERE kind <> 5 ORDER BY seq;"
    "DROP TABLE record;"
    "ALTER TABLE record_v3 RENAME TO record;"
    RECORD_INDEXES("record")
    "CREATE VIEW records (seq, kind, id, parent, rev, payload) AS "
    RECORDS_VIEW_PART("record_order") " UNION ALL " RECORDS_VIEW_PART("record")
    " UNION ALL " RECORDS_VIEW_PART("record_live") ";",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int pss_sqlite_schema_version(void)
{
    return SCHEMA_VERSION;
}

/* What an open needs to report a failure: the caller's context and the file. */
typedef struct opening {
    pss_ctx *ctx;
    const char *path;
    sqlstore *s;
} opening;

static int open_fail(const opening *o, int rc, const char *step)
{
    int code = pss__sqlite_code(rc);
    if (code == 0 || code == PSS_ECONFLICT)
        code = PSS_ESTORAGE;
    const char *detail = o->s->db ? sqlite3_errmsg(o->s->db) : sqlite3_errstr(rc);
    return pss_ctx_fail(o->ctx, code, "cannot open SQLite store '%s': %s: %s", o->path, step,
                        detail);
}

/* Version 1 options end before page_size: read it only from a caller that has it. */
static int page_size_of(const pss_sqlite_options *options)
{
    return options->version >= 2 ? options->page_size : 0;
}

static int check_options(pss_ctx *ctx, const pss_sqlite_options *options)
{
    if (options->version < 1 || options->version > PSS_SQLITE_OPTIONS_VERSION)
        return pss_ctx_fail(ctx, PSS_EVERSION,
                            "pss_sqlite_options has version %u; this library knows 1 to %u",
                            (unsigned)options->version, (unsigned)PSS_SQLITE_OPTIONS_VERSION);
    if (options->sync != PSS_SQLITE_SYNC_FULL && options->sync != PSS_SQLITE_SYNC_NORMAL)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_sqlite_options: unknown sync mode %d",
                            (int)options->sync);
    if (options->busy_timeout_ms < 0)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_sqlite_options: busy timeout %d ms is negative",
                            options->busy_timeout_ms);
    int page = page_size_of(options);
    if (page != 0 && (page < 512 || page > 65536 || (page & (page - 1)) != 0))
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_sqlite_options: page size %d is not a power "
                                             "of two from 512 to 65536 (or 0)", page);
    return 0;
}

static int read_user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* WAL lets readers go on while one writer commits. A file system without shared memory keeps
 * its rollback journal: slower, equally correct, so that is not an error. */
static int set_pragmas(const opening *o, const pss_sqlite_options *options)
{
    sqlite3 *db = o->s->db;
    int rc = sqlite3_busy_timeout(db, options->busy_timeout_ms);
    if (rc == SQLITE_OK && page_size_of(options)) { /* only a file without pages takes it */
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA page_size = %d", page_size_of(options));
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "setting the page size and WAL mode");
    const char *sync = options->sync == PSS_SQLITE_SYNC_NORMAL ? "PRAGMA synchronous = NORMAL"
                                                               : "PRAGMA synchronous = FULL";
    rc = sqlite3_exec(db, sync, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA cache_size = " CACHE_KIB, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : open_fail(o, rc, "setting synchronous and the cache size");
}

static int too_new(const opening *o, int version)
{
    return pss_ctx_fail(o->ctx, PSS_EVERSION,
                        "cannot open SQLite store '%s': its schema version is %d, this "
                        "libpossession-sqlite knows versions up to %d; use a newer library",
                        o->path, version, SCHEMA_VERSION);
}

/* What each older version's tables hold, as queries that only compile on them: a file that
 * says it is at such a version but lacks them is not ours to upgrade. */
static const char *const tables_of_v1[] = {
    "SELECT seq, kind, id, parent, rev, payload FROM records",
    "SELECT key, owner FROM claims",
    "SELECT seq, subject, payload FROM audit",
    NULL,
};
static const char *const tables_of_v2[] = {
    "SELECT code, name FROM kinds",
    "SELECT seq, kind, id, parent, rev, payload FROM record",
    "SELECT seq, kind, id, parent, rev, payload FROM record_live",
    "SELECT seq, kind, id, parent, rev, payload FROM records",
    "SELECT key, owner FROM claims",
    "SELECT seq, subject, payload FROM audit",
    NULL,
};
static const char *const *const tables_of[SCHEMA_VERSION] = {[1] = tables_of_v1,
                                                             [2] = tables_of_v2};

static int check_tables(const opening *o, int version)
{
    for (const char *const *q = tables_of[version]; q && *q; q++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(o->s->db, *q, -1, &st, NULL);
        sqlite3_finalize(st);
        if (rc == SQLITE_ERROR)
            return pss_ctx_fail(o->ctx, PSS_ECORRUPT, "cannot open SQLite store '%s': its tables "
                                "do not match schema version %d: %s", o->path, version,
                                sqlite3_errmsg(o->s->db));
        if (rc != SQLITE_OK)
            return open_fail(o, rc, "reading the schema");
    }
    return 0;
}

static int run_step(const opening *o, int v, int from)
{
    int rc = sqlite3_exec(o->s->db, migrations[v], NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    if (v == 0)
        return open_fail(o, rc, "creating the schema");
    char step[128];
    snprintf(step, sizeof step, "upgrading the schema from version %d to %d (the file is left "
             "at version %d)", v, v + 1, from);
    return open_fail(o, rc, step);
}

/* Runs the steps from the file's version up, in the open write transaction. */
static int apply_migrations(const opening *o, int *version)
{
    sqlite3 *db = o->s->db;
    int rc = read_user_version(db, version); /* again: another process may have upgraded */
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "reading the schema version");
    if (*version > SCHEMA_VERSION)
        return too_new(o, *version);
    int err = check_tables(o, *version);
    for (int v = *version; !err && v < SCHEMA_VERSION; v++)
        err = run_step(o, v, *version);
    if (err)
        return err;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : open_fail(o, rc, "writing the schema version");
}

/* Brings the file to SCHEMA_VERSION: all steps in one transaction, so a crash or a failed
 * step leaves the file at its old version, never half upgraded. */
static int migrate(const opening *o)
{
    sqlite3 *db = o->s->db;
    int version = 0;
    int rc = read_user_version(db, &version);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "reading the schema version");
    if (version > SCHEMA_VERSION)
        return too_new(o, version);
    if (version < 0)
        return pss_ctx_fail(o->ctx, PSS_ECORRUPT,
                            "cannot open SQLite store '%s': schema version %d is not one of ours",
                            o->path, version);
    if (version == SCHEMA_VERSION)
        return 0;
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "starting the schema upgrade");
    int err = apply_migrations(o, &version);
    if (err) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return err;
    }
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : open_fail(o, rc, "committing the schema upgrade");
}

static int prepare_statements(const opening *o)
{
    sqlstore *s = o->s;
    for (int i = 0; i < ST_COUNT; i++) {
        if (!pss__sqlite_stmt_sql[i]) /* a table without that statement (ST_LAST_SEQ) */
            continue;
        int rc = sqlite3_prepare_v3(s->db, pss__sqlite_stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmts[i], NULL);
        if (rc == SQLITE_ERROR) /* a table or column is missing: not the schema we wrote */
            return pss_ctx_fail(o->ctx, PSS_ECORRUPT,
                                "cannot open SQLite store '%s': its tables do not match schema "
                                "version %d: %s", o->path, SCHEMA_VERSION, sqlite3_errmsg(s->db));
        if (rc != SQLITE_OK)
            return open_fail(o, rc, "preparing statements");
    }
    return 0;
}

/* The kind codes below 100 are the library's (keys.c): a file that names them otherwise is
 * not one this store wrote. */
static int check_kinds(const opening *o)
{
    char expected[256] = "", got[256] = "";
    for (int code = 1; code < PSS_SQLITE_KIND_KNOWN_END; code++) {
        size_t n = strlen(expected);
        snprintf(expected + n, sizeof expected - n, "%s%d=%s", code > 1 ? "," : "", code,
                 pss__sqlite_kind_name(code));
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(o->s->db, "SELECT group_concat(code || '=' || name, ',') FROM"
                                " (SELECT code, name FROM kinds WHERE code < 100 ORDER BY code)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(st, 0);
        snprintf(got, sizeof got, "%s", text ? (const char *)text : "");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "reading the record kinds");
    if (strcmp(got, expected) == 0)
        return 0;
    return pss_ctx_fail(o->ctx, PSS_ECORRUPT, "cannot open SQLite store '%s': its record kinds "
                        "are '%s', schema version %d has '%s'", o->path, got, SCHEMA_VERSION,
                        expected);
}

static int open_file(const opening *o, const pss_sqlite_options *options)
{
    int rc = sqlite3_open_v2(o->path, &o->s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "opening the file");
    sqlite3_extended_result_codes(o->s->db, 1);
    rc = pss__sqlite_add_functions(o->s->db);
    if (rc != SQLITE_OK)
        return open_fail(o, rc, "registering functions");
    int err = set_pragmas(o, options);
    if (!err)
        err = migrate(o);
    if (!err)
        err = prepare_statements(o);
    if (!err)
        err = check_kinds(o);
    if (!err)
        pss__sqlite_checkpoints_start(o->s);
    return err;
}

static void close_store(sqlstore *s)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int pss_sqlite_open(pss_ctx *ctx, const char *path, const pss_sqlite_options *options,
                    pss_storage **out)
{
    if (!out)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_sqlite_open: out is NULL");
    *out = NULL;
    if (!path)
        return pss_ctx_fail(ctx, PSS_EINVAL, "pss_sqlite_open: path is NULL");
    pss_sqlite_options defaults = PSS_SQLITE_OPTIONS_INIT;
    int err = check_options(ctx, options ? options : &defaults);
    if (err)
        return err;
    sqlstore *s = calloc(1, sizeof *s);
    if (s)
        s->path = strdup(path);
    if (!s || !s->path) {
        free(s);
        return pss_ctx_fail(ctx, PSS_ENOMEM, "cannot open SQLite store '%s': out of memory",
                            path);
    }
    s->sync = (options ? options : &defaults)->sync;
    opening o = {ctx, path, s};
    err = open_file(&o, options ? options : &defaults);
    if (err) {
        close_store(s);
        return err;
    }
    pss__sqlite_fill_vtable(s);
    *out = &s->vtable;
    return 0;
}
