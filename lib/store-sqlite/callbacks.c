/* callbacks.c: the storage contract on SQLite: transactions, records with compare-and-swap,
 * claims and the audit trail, each callback one or two of the store's prepared statements.
 * Records are kept in schema version 3's form (keys.c): kinds as codes, ids and parents as
 * blobs where they are UUIDs, in one of three tables by kind; in `record_order` each order's
 * rowid is its place in its session's range (ranges.c), in `record` and `record_live` it is
 * its seq. */
#include "sqlite-store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The statements of a table whose rowid is the seq (`record`, `record_live`), and those of
 * `record_order` that do not depend on the place. The parent is set only when it changes
 * (ST_UPDATE_MOVE): SQLite rewrites the index entries of every column an UPDATE sets, changed
 * or not. */
#define GET_SQL(name) "SELECT parent, rev, payload FROM " name " WHERE kind = ?1 AND id = ?2"
#define UPDATE_SQL(name)                                                                  \
    "UPDATE " name " SET payload = ?4, rev = rev + 1"                                     \
    " WHERE kind = ?1 AND id = ?2 AND rev = ?5 AND parent = ?3"
#define SEQ_TABLE_SQL(table, name)                                                        \
    [RECORD_STMT(ST_GET, table)] = GET_SQL(name),                                         \
    [RECORD_STMT(ST_INSERT, table)] = "INSERT INTO " name " (seq, kind, id, parent, rev,"  \
                                      " payload) VALUES (?5, ?1, ?2, ?3, 1, ?4)",          \
    [RECORD_STMT(ST_UPDATE, table)] = UPDATE_SQL(name),                                   \
    [RECORD_STMT(ST_UPDATE_MOVE, table)] = "UPDATE " name " SET parent = ?3, payload = ?4," \
                                           " rev = rev + 1 WHERE kind = ?1 AND id = ?2"    \
                                           " AND rev = ?5",                                \
    [RECORD_STMT(ST_SCAN, table)] = "SELECT id, rev, payload FROM " name                  \
                                    " WHERE kind = ?1 AND parent = ?2 ORDER BY seq",       \
    /* the index (kind, parent, seq) read backwards from its end: n rows, whatever the length */ \
    [RECORD_STMT(ST_SCAN_LAST, table)] =                                                  \
        "SELECT id, rev, payload FROM (SELECT seq, id, rev, payload FROM " name            \
        " WHERE kind = ?1 AND parent = ?2 ORDER BY seq DESC LIMIT ?3) ORDER BY seq",       \
    /* seq is the rowid: a new one is past the table's end */                              \
    [RECORD_STMT(ST_LAST_SEQ, table)] = "SELECT max(seq) FROM " name

/* The places of the range that starts after ?N (ranges.c); the kind and parent are checked
 * on the rows read, never used to pick an index (the `+`). */
#define IN_RANGE(n) "place > ?" n " AND place < ?" n " + 4294967296"
#define OF_RANGE IN_RANGE("4") " AND +kind = ?1 AND +parent = ?2"

const char *const pss__sqlite_stmt_sql[ST_COUNT] = {
    [RECORD_STMT(ST_GET, TABLE_ORDER)] = GET_SQL("record_order"),
    /* the next place of the range at ?6: the end of its session's run of rowids */
    [RECORD_STMT(ST_INSERT, TABLE_ORDER)] =
        "INSERT INTO record_order (place, seq, kind, id, parent, rev, payload) VALUES ("
        "(SELECT coalesce(max(place), ?6) + 1 FROM record_order WHERE " IN_RANGE("6") "),"
        " ?5, ?1, ?2, ?3, 1, ?4)",
    [RECORD_STMT(ST_UPDATE, TABLE_ORDER)] = UPDATE_SQL("record_order"),
    [RECORD_STMT(ST_UPDATE_MOVE, TABLE_ORDER)] =
        "UPDATE record_order SET place = ?6, parent = ?3, payload = ?4, rev = rev + 1"
        " WHERE kind = ?1 AND id = ?2 AND rev = ?5",
    [RECORD_STMT(ST_SCAN, TABLE_ORDER)] =
        "SELECT id, rev, payload FROM record_order WHERE " OF_RANGE " ORDER BY place",
    /* the range read backwards from its end: n rows, whatever its length */
    [RECORD_STMT(ST_SCAN_LAST, TABLE_ORDER)] =
        "SELECT id, rev, payload FROM (SELECT place, id, rev, payload FROM record_order WHERE "
        OF_RANGE " ORDER BY place DESC LIMIT ?3) ORDER BY place",
    SEQ_TABLE_SQL(TABLE_RECORD, "record"),
    SEQ_TABLE_SQL(TABLE_LIVE, "record_live"),

    /* ranges.c: a range's slot, a new one (the next rowid), the next place at a range's end */
    [ST_RANGE_SLOT] = "SELECT slot FROM record_range WHERE kind = ?1 AND parent = ?2",
    [ST_RANGE_ADD] = "INSERT INTO record_range (kind, parent) VALUES (?1, ?2)",
    [ST_RANGE_END] =
        "SELECT coalesce(max(place), ?1) + 1 FROM record_order WHERE " IN_RANGE("1"),
    /* a move: the order's stamp, the first place of its new range stamped later, and the
     * shift of that one and those after it (negative places are never used otherwise) */
    [ST_MOVE_STAMP] = "SELECT seq FROM record_order WHERE kind = ?1 AND id = ?2 AND rev = ?3",
    [ST_MOVE_BEFORE] =
        "SELECT min(place) FROM record_order WHERE " IN_RANGE("1") " AND seq > ?2",
    [ST_SHIFT_OUT] =
        "UPDATE record_order SET place = -place - 1 WHERE place >= ?1 AND place < ?2",
    [ST_SHIFT_BACK] = "UPDATE record_order SET place = -place WHERE place < 0",
    [ST_BEGIN_READ] = "BEGIN",
    /* Takes the write lock at once: two writers never both read, then fail to upgrade. */
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_KIND_CODE] = "SELECT code FROM kinds WHERE name = ?1",
    /* Codes below 100 are kept for the kinds a later library writes. */
    [ST_KIND_ADD] = "INSERT INTO kinds (code, name)"
                    " VALUES ((SELECT max(99, max(code)) + 1 FROM kinds), ?1)",
    [ST_CLAIM] = "INSERT OR IGNORE INTO claims (key, owner) VALUES (?1, ?2)",
    [ST_OWNER] = "SELECT owner FROM claims WHERE key = ?1",
    [ST_RELEASE] = "DELETE FROM claims WHERE key = ?1 AND owner = ?2",
    [ST_APPEND] = "INSERT INTO audit (subject, payload) VALUES (?1, ?2)",
    [ST_AUDIT_ALL] = "SELECT seq, subject, payload FROM audit WHERE seq > ?1 ORDER BY seq",
    [ST_AUDIT_SUBJECT] = "SELECT seq, subject, payload FROM audit WHERE subject = ?2 AND seq > ?1"
                         " ORDER BY seq",
};

int pss__sqlite_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE: return 0;
    case SQLITE_BUSY: case SQLITE_LOCKED: return PSS_EBUSY;
    case SQLITE_NOMEM: return PSS_ENOMEM;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: return PSS_ECORRUPT;
    case SQLITE_CONSTRAINT: return PSS_ECONFLICT;
    default: return PSS_ESTORAGE;
    }
}

/* ------------------------------------------------------------------------------------------
 * Failures: the message is copied at once, because the next SQLite call replaces it. */

static int own_fail(sqlstore *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int own_fail(sqlstore *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return code;
}

/* rc is what SQLite returned; `what` names the operation. */
static int sql_fail(sqlstore *s, int rc, const char *what, const char *a, const char *b)
{
    snprintf(s->error, sizeof s->error, "%s%s%s%s%s: %s", what, a ? " " : "", a ? a : "",
             b ? " " : "", b ? b : "", sqlite3_errmsg(s->db));
    int code = pss__sqlite_code(rc);
    return code ? code : PSS_ESTORAGE;
}

/* ------------------------------------------------------------------------------------------
 * Statements. A kept statement that is still stepping (a scan's callback called back into
 * the store with the same query) is left alone: that call gets a fresh copy, finalized after. */

static int stmt_take(sqlstore *s, stmt_id id, sqlite3_stmt **out)
{
    if (!sqlite3_stmt_busy(s->stmts[id])) {
        *out = s->stmts[id];
        return SQLITE_OK;
    }
    return sqlite3_prepare_v2(s->db, pss__sqlite_stmt_sql[id], -1, out, NULL);
}

static void stmt_give(sqlstore *s, stmt_id id, sqlite3_stmt *st)
{
    if (st != s->stmts[id]) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int pss__sqlite_stmt_take(sqlstore *s, stmt_id id, sqlite3_stmt **out)
{
    return stmt_take(s, id, out);
}

void pss__sqlite_stmt_give(sqlstore *s, stmt_id id, sqlite3_stmt *st)
{
    stmt_give(s, id, st);
}

/* Binds NUL-terminated texts to ?1, ?2, ... (static: the statement is reset before return). */
static int bind_texts(sqlite3_stmt *st, int n, const char *const *texts)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < n && rc == SQLITE_OK; i++)
        rc = sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
    return rc;
}

static int bind_payload(sqlite3_stmt *st, int index, const char *payload, size_t len)
{
    return sqlite3_bind_text64(st, index, payload ? payload : "", payload ? len : 0,
                               SQLITE_STATIC, SQLITE_UTF8);
}

/* Runs a statement that returns no row. */
static int run(sqlstore *s, stmt_id id, const char *what)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, what, NULL, NULL);
    rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? 0 : sql_fail(s, rc, what, NULL, NULL);
    stmt_give(s, id, st);
    return out;
}

/* ------------------------------------------------------------------------------------------
 * Transactions. */

static int sq_begin(void *userdata, unsigned flags)
{
    sqlstore *s = userdata;
    if (flags & PSS_TXN_WRITE)
        return run(s, ST_BEGIN_WRITE, "begin write transaction");
    return run(s, ST_BEGIN_READ, "begin read transaction");
}

static int sq_commit(void *userdata)
{
    sqlstore *s = userdata;
    return run(s, ST_COMMIT, "commit");
}

static int sq_rollback(void *userdata)
{
    sqlstore *s = userdata;
    pss__sqlite_range_forget(s); /* the rollback may undo the range made last */
    /* Some failures (a full disk, an I/O error) make SQLite roll back on its own. */
    if (sqlite3_get_autocommit(s->db))
        return 0;
    return run(s, ST_ROLLBACK, "rollback");
}

/* ------------------------------------------------------------------------------------------
 * Records. */

/* Where a kind's records are kept. */
typedef struct kind_ref {
    int code;
    sqltable table;
} kind_ref;

/* Runs ST_KIND_CODE or ST_KIND_ADD for a kind the library does not write; *code gets its
 * code (PSS_ENOTFOUND from ST_KIND_CODE when it has none). */
static int kind_code(sqlstore *s, stmt_id id, const char *kind, int *code)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int out = 0;
    if (rc == SQLITE_ROW)
        *code = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_DONE && id == ST_KIND_ADD)
        *code = (int)sqlite3_last_insert_rowid(s->db);
    else if (rc == SQLITE_DONE)
        out = PSS_ENOTFOUND;
    else
        out = sql_fail(s, rc, "lookup of record kind", kind, NULL);
    stmt_give(s, id, st);
    return out;
}

/* The kind's code and table; a kind never stored is PSS_ENOTFOUND unless add says to give it
 * a code (a put, inside the caller's transaction). */
static int kind_of(sqlstore *s, const char *kind, int add, kind_ref *out)
{
    int code = pss__sqlite_known_kind(kind);
    if (!code) {
        int rc = kind_code(s, ST_KIND_CODE, kind, &code);
        if (rc == PSS_ENOTFOUND && add)
            rc = kind_code(s, ST_KIND_ADD, kind, &code);
        if (rc)
            return rc;
    }
    out->code = code;
    out->table = pss__sqlite_table_of(code);
    return 0;
}

/* A get, scan or scan_last (op): the kind and the key the caller gave (the id of a get, the
 * parent of a scan); the row's key column gives the other. */
typedef struct lookup {
    const char *kind, *id, *parent, *what;
    stmt_id op;
    size_t last; /* scan_last's n */
} lookup;

/* Columns of a row of ST_GET (parent) or ST_SCAN (id), then rev and payload. */
static int row_to_record(sqlstore *s, sqlite3_stmt *st, const lookup *q, pss_record *rec,
                         char key[PSS_SQLITE_KEY_TEXT_MAX + 1])
{
    const char *stored = pss__sqlite_column_key(st, 0, key);
    rec->kind = q->kind;
    rec->id = q->id ? q->id : stored;
    rec->parent = q->id ? stored : q->parent;
    rec->rev = (uint64_t)sqlite3_column_int64(st, 1);
    rec->payload = (const char *)sqlite3_column_text(st, 2);
    rec->payload_len = (size_t)sqlite3_column_bytes(st, 2);
    if (stored && rec->payload)
        return 0;
    if (sqlite3_errcode(s->db) == SQLITE_NOMEM)
        return own_fail(s, PSS_ENOMEM, "reading %s: out of memory", q->kind);
    return own_fail(s, PSS_ECORRUPT, "a %s record of %s %s has a NULL or malformed %s", q->kind,
                    q->id ? "id" : "parent", q->id ? q->id : q->parent, q->id ? "parent" : "id");
}

/* Steps through the rows, handing each record to fn until it returns non-zero. */
static int emit_records(sqlstore *s, sqlite3_stmt *st, const lookup *q, pss_record_fn fn,
                        void *arg, int *rows)
{
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pss_record rec;
        char key[PSS_SQLITE_KEY_TEXT_MAX + 1];
        int out = row_to_record(s, st, q, &rec, key);
        if (!out) {
            ++*rows;
            out = fn(&rec, arg);
        }
        if (out)
            return out;
    }
    return rc == SQLITE_DONE ? 0 : sql_fail(s, rc, q->what, q->kind, q->id ? q->id : q->parent);
}

/* Binds ?1 kind, ?2 the key, ?3 scan_last's n and ?4 the range of a scan of `record_order`. */
static int bind_lookup(sqlite3_stmt *st, const lookup *q, const kind_ref *k, const sqlkey *key,
                       sqlite3_int64 base)
{
    int rc = sqlite3_bind_int(st, 1, k->code);
    if (rc == SQLITE_OK)
        rc = pss__sqlite_bind_key(st, 2, key);
    if (rc == SQLITE_OK && q->op == ST_SCAN_LAST)
        rc = sqlite3_bind_int64(st, 3, q->last > INT64_MAX ? INT64_MAX : (sqlite3_int64)q->last);
    if (rc == SQLITE_OK && base)
        rc = sqlite3_bind_int64(st, 4, base);
    return rc;
}

/* Runs a get (q->id) or a scan (q->parent) on the kind's table. */
static int read_records(sqlstore *s, const lookup *q, pss_record_fn fn, void *arg, int *rows)
{
    kind_ref k;
    *rows = 0;
    int out = kind_of(s, q->kind, 0, &k);
    if (out)
        return out == PSS_ENOTFOUND ? 0 : out; /* a kind never stored has no records */
    sqlkey key;
    pss__sqlite_key_encode(q->id ? q->id : q->parent, &key);
    sqlite3_int64 base = 0;
    int rc = SQLITE_OK;
    if (k.table == TABLE_ORDER && q->op != ST_GET)
        rc = pss__sqlite_range_of(s, k.code, &key, 0, &base);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, q->what, q->kind, q->parent);
    if (k.table == TABLE_ORDER && q->op != ST_GET && !base)
        return 0; /* a parent without a range has no records of the kind */
    stmt_id id = RECORD_STMT(q->op, k.table);
    sqlite3_stmt *st;
    rc = stmt_take(s, id, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, q->what, q->kind, q->id ? q->id : q->parent);
    rc = bind_lookup(st, q, &k, &key, base);
    if (rc != SQLITE_OK)
        out = sql_fail(s, rc, q->what, q->kind, q->id ? q->id : q->parent);
    else
        out = emit_records(s, st, q, fn, arg, rows);
    stmt_give(s, id, st);
    return out;
}

static int sq_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !id || !fn)
        return own_fail(s, PSS_EINVAL, "get: kind, id or callback is NULL");
    lookup q = {kind, id, NULL, "get of", ST_GET, 0};
    int rows = 0, out = read_records(s, &q, fn, arg, &rows);
    return out == 0 && rows == 0 ? PSS_ENOTFOUND : out;
}

static int sq_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                   void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !parent || !fn)
        return own_fail(s, PSS_EINVAL, "scan: kind, parent or callback is NULL");
    lookup q = {kind, NULL, parent, "scan of", ST_SCAN, 0};
    int rows;
    return read_records(s, &q, fn, arg, &rows);
}

static int sq_scan_last(void *userdata, const char *kind, const char *parent, size_t n,
                        pss_record_fn fn, void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !parent || !fn)
        return own_fail(s, PSS_EINVAL, "scan_last: kind, parent or callback is NULL");
    lookup q = {kind, NULL, parent, "scan of", ST_SCAN_LAST, n};
    int rows;
    return read_records(s, &q, fn, arg, &rows);
}

/* Binds ?1 kind, ?2 id, ?3 parent and ?4 payload of a put; the keys must outlive the step. */
static int bind_put(sqlite3_stmt *st, const kind_ref *k, const sqlkey *id, const sqlkey *parent,
                    const pss_record *r)
{
    int rc = sqlite3_bind_int(st, 1, k->code);
    if (rc == SQLITE_OK)
        rc = pss__sqlite_bind_key(st, 2, id);
    if (rc == SQLITE_OK)
        rc = pss__sqlite_bind_key(st, 3, parent);
    if (rc == SQLITE_OK)
        rc = bind_payload(st, 4, r->payload, r->payload_len);
    return rc;
}

/* Runs ST_INSERT (expected: the seq; in `record_order` extra: its range), ST_UPDATE or
 * ST_UPDATE_MOVE (the revision; in `record_order` extra: the new place) for a put. */
static int write_record(sqlstore *s, stmt_id op, const kind_ref *k, const pss_record *r,
                        const char *parent, uint64_t expected, sqlite3_int64 extra)
{
    stmt_id id = RECORD_STMT(op, k->table);
    sqlkey rid, rparent;
    pss__sqlite_key_encode(r->id, &rid);
    pss__sqlite_key_encode(parent, &rparent);
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc == SQLITE_OK) {
        rc = bind_put(st, k, &rid, &rparent, r);
        if (rc == SQLITE_OK) /* the expected revision, or the new record's seq */
            rc = sqlite3_bind_int64(st, 5, (sqlite3_int64)expected);
        if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 6)
            rc = sqlite3_bind_int64(st, 6, extra);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        stmt_give(s, id, st);
    }
    return rc;
}

/* The greatest seq of a table whose rowid it is (0 when empty). */
static int table_last_seq(sqlstore *s, sqltable table, sqlite3_int64 *last)
{
    stmt_id id = RECORD_STMT(ST_LAST_SEQ, table);
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc != SQLITE_OK)
        return rc;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *last = sqlite3_column_int64(st, 0); /* NULL, an empty table, reads as 0 */
        rc = SQLITE_OK;
    }
    stmt_give(s, id, st);
    return rc;
}

/* Microseconds since 1970, the one clock every connection on the file shares. */
static sqlite3_int64 clock_us(void)
{
    struct timespec ts;
    if (!timespec_get(&ts, TIME_UTC))
        return 0; /* no clock: the other bounds of next_seq still hold */
    return (sqlite3_int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The seq of a record inserted: a creation stamp, the time in microseconds, raised past every
 * seq this connection gave (and in `record` and `record_live`, whose rowid it is, past the
 * table's last). Scans of orders follow the places of `record_order`; the stamps place an
 * order moved to another session among that session's orders by its creation, as the
 * contract asks (doc/sqlite-store.md, "Schema"), whichever connection made them. */
static int next_seq(sqlstore *s, const kind_ref *k, sqlite3_int64 *seq)
{
    sqlite3_int64 last = 0;
    int rc = k->table != TABLE_ORDER ? table_last_seq(s, k->table, &last) : SQLITE_OK;
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_int64 next = clock_us();
    if (next <= s->last_seq)
        next = s->last_seq + 1;
    if (next <= last)
        next = last + 1;
    *seq = next;
    return SQLITE_OK;
}

static int insert_record(sqlstore *s, const kind_ref *k, const pss_record *r, const char *parent)
{
    sqlite3_int64 seq = 0, base = 0;
    int rc = next_seq(s, k, &seq);
    if (rc == SQLITE_OK && k->table == TABLE_ORDER) {
        sqlkey key;
        pss__sqlite_key_encode(parent, &key);
        rc = pss__sqlite_range_of(s, k->code, &key, 1, &base);
    }
    if (rc == SQLITE_OK)
        rc = write_record(s, ST_INSERT, k, r, parent, (uint64_t)seq, base);
    if (rc == SQLITE_DONE) {
        s->last_seq = seq;
        return 0;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return own_fail(s, PSS_ECONFLICT, "put of %s %s: it exists", r->kind, r->id);
    return sql_fail(s, rc, "put of", r->kind, r->id);
}

/* The stamp of an order at revision expected: SQLITE_ROW with *stamp, or SQLITE_DONE when it
 * is not at that revision (a failure of another kind is returned as such). */
static int order_stamp(sqlstore *s, const kind_ref *k, const char *id, uint64_t expected,
                       sqlite3_int64 *stamp)
{
    sqlkey key;
    pss__sqlite_key_encode(id, &key);
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_MOVE_STAMP, &st);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_bind_int(st, 1, k->code);
    if (rc == SQLITE_OK)
        rc = pss__sqlite_bind_key(st, 2, &key);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, (sqlite3_int64)expected);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *stamp = sqlite3_column_int64(st, 0);
    stmt_give(s, ST_MOVE_STAMP, st);
    return rc;
}

/* An order given another parent goes to the place in its new range that its stamp gives
 * (ranges.c); in the other tables the record keeps its seq, its rowid. An order not at that
 * revision changes nothing (SQLITE_DONE with no row changed, as an UPDATE would). */
static int move_record(sqlstore *s, const kind_ref *k, const pss_record *r, const char *parent,
                       uint64_t expected)
{
    if (k->table != TABLE_ORDER)
        return write_record(s, ST_UPDATE_MOVE, k, r, parent, expected, 0);
    sqlite3_int64 stamp = 0, base = 0, place = 0;
    int rc = order_stamp(s, k, r->id, expected, &stamp);
    if (rc != SQLITE_ROW)
        return rc;
    sqlkey key;
    pss__sqlite_key_encode(parent, &key);
    rc = pss__sqlite_range_of(s, k->code, &key, 1, &base);
    if (rc == SQLITE_OK)
        rc = pss__sqlite_range_place(s, base, stamp, &place);
    if (rc == SQLITE_OK)
        rc = write_record(s, ST_UPDATE_MOVE, k, r, parent, expected, place);
    return rc;
}

static int update_record(sqlstore *s, const kind_ref *k, const pss_record *r, const char *parent,
                         uint64_t expected)
{
    /* a record that stays under its parent first: the common case, and no index entry moves */
    int rc = write_record(s, ST_UPDATE, k, r, parent, expected, 0);
    int changed = rc == SQLITE_DONE ? sqlite3_changes(s->db) : 0;
    if (rc == SQLITE_DONE && !changed) {
        rc = move_record(s, k, r, parent, expected);
        changed = rc == SQLITE_DONE ? sqlite3_changes(s->db) : 0;
    }
    if (rc != SQLITE_DONE)
        return sql_fail(s, rc, "put of", r->kind, r->id);
    if (changed != 1)
        return own_fail(s, PSS_ECONFLICT, "put of %s %s: revision %llu is not the stored one",
                        r->kind, r->id, (unsigned long long)expected);
    return 0;
}

static int sq_put(void *userdata, const pss_record *r, uint64_t expected_rev, uint64_t *new_rev)
{
    sqlstore *s = userdata;
    if (!r || !r->kind || !r->id || (!r->payload && r->payload_len))
        return own_fail(s, PSS_EINVAL, "put: record, kind, id or payload is NULL");
    if (expected_rev >= (uint64_t)INT64_MAX) /* SQLite integers are signed */
        return own_fail(s, PSS_ECONFLICT, "put of %s %s: revision %llu out of range", r->kind,
                        r->id, (unsigned long long)expected_rev);
    kind_ref k;
    int rc = kind_of(s, r->kind, expected_rev == 0, &k);
    if (rc == PSS_ENOTFOUND) /* an update of a kind never stored: no such record */
        return own_fail(s, PSS_ECONFLICT, "put of %s %s: revision %llu is not the stored one",
                        r->kind, r->id, (unsigned long long)expected_rev);
    if (rc)
        return rc;
    const char *parent = r->parent ? r->parent : "";
    rc = expected_rev ? update_record(s, &k, r, parent, expected_rev)
                      : insert_record(s, &k, r, parent);
    if (!rc && new_rev)
        *new_rev = expected_rev + 1;
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Claims. */

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

/* Who holds key: 0 with *same telling whether it is `owner` (which may be NULL) and, when it
 * is not, the holder copied; PSS_ENOTFOUND; or a failure. */
static int holder_of(sqlstore *s, const char *key, const char *owner, int *same, char *holder,
                     size_t size)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_OWNER, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, "lookup of", key, NULL);
    int out = PSS_ENOTFOUND;
    rc = bind_texts(st, 1, &key);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *held = (const char *)sqlite3_column_text(st, 0);
        held = held ? held : "";
        *same = owner && strcmp(held, owner) == 0;
        if (!*same) /* the holder buffer is only the caller's answer when someone else holds */
            copy_holder(holder, size, held);
        out = 0;
    } else if (rc != SQLITE_DONE) {
        out = sql_fail(s, rc, "lookup of", key, NULL);
    }
    stmt_give(s, ST_OWNER, st);
    return out;
}

/* Runs ST_CLAIM or ST_RELEASE on (key, owner); *changed says whether a row was touched. */
static int claim_write(sqlstore *s, stmt_id id, const char *key, const char *owner, int *changed)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc == SQLITE_OK) {
        const char *args[] = {key, owner};
        rc = bind_texts(st, 2, args);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        stmt_give(s, id, st);
    }
    if (rc != SQLITE_DONE)
        return sql_fail(s, rc, id == ST_CLAIM ? "claim of" : "release of", key, NULL);
    *changed = sqlite3_changes(s->db) > 0;
    return 0;
}

static int sq_claim(void *userdata, const char *key, const char *owner, char *holder,
                    size_t holder_size)
{
    sqlstore *s = userdata;
    if (!key || !owner)
        return own_fail(s, PSS_EINVAL, "claim: key or owner is NULL");
    int changed = 0, same = 0;
    int rc = claim_write(s, ST_CLAIM, key, owner, &changed);
    if (rc || changed)
        return rc;
    rc = holder_of(s, key, owner, &same, holder, holder_size);
    if (rc == PSS_ENOTFOUND) /* released between the two statements, outside a transaction */
        return own_fail(s, PSS_EBUSY, "claim of %s: released meanwhile, try again", key);
    if (rc || same)
        return rc;
    return own_fail(s, PSS_EEXISTS, "claim of %s by %s: another owner holds it", key, owner);
}

static int sq_release(void *userdata, const char *key, const char *owner)
{
    sqlstore *s = userdata;
    if (!key || !owner)
        return own_fail(s, PSS_EINVAL, "release: key or owner is NULL");
    int changed = 0, same = 0;
    int rc = claim_write(s, ST_RELEASE, key, owner, &changed);
    if (rc || changed)
        return rc;
    char held[256];
    rc = holder_of(s, key, NULL, &same, held, sizeof held);
    if (rc == PSS_ENOTFOUND)
        return own_fail(s, PSS_ENOTFOUND, "release of %s: nobody holds it", key);
    if (rc)
        return rc;
    return own_fail(s, PSS_ECONFLICT, "release of %s by %s: held by %s", key, owner, held);
}

static int sq_lookup(void *userdata, const char *key, char *holder, size_t holder_size)
{
    sqlstore *s = userdata;
    if (!key)
        return own_fail(s, PSS_EINVAL, "lookup: key is NULL");
    int same = 0;
    return holder_of(s, key, NULL, &same, holder, holder_size);
}

/* ------------------------------------------------------------------------------------------
 * The audit trail. */

static int sq_append(void *userdata, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    sqlstore *s = userdata;
    if (!subject || (!payload && len))
        return own_fail(s, PSS_EINVAL, "append: subject or payload is NULL");
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_APPEND, &st);
    if (rc == SQLITE_OK) {
        rc = bind_texts(st, 1, &subject);
        if (rc == SQLITE_OK)
            rc = bind_payload(st, 2, payload, len);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        stmt_give(s, ST_APPEND, st);
    }
    if (rc != SQLITE_DONE)
        return sql_fail(s, rc, "append to the audit trail of", subject, NULL);
    if (seq)
        *seq = (uint64_t)sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int emit_audit(sqlstore *s, sqlite3_stmt *st, pss_audit_fn fn, void *arg)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pss_audit_item item;
        item.seq = (uint64_t)sqlite3_column_int64(st, 0);
        item.subject = (const char *)sqlite3_column_text(st, 1);
        item.payload = (const char *)sqlite3_column_text(st, 2);
        item.payload_len = (size_t)sqlite3_column_bytes(st, 2);
        if (!item.subject || !item.payload)
            return own_fail(s, PSS_ENOMEM, "audit scan: out of memory");
        int out = fn(&item, arg);
        if (out)
            return out;
    }
    return rc == SQLITE_DONE ? 0 : sql_fail(s, rc, "audit scan", NULL, NULL);
}

static int sq_audit_scan(void *userdata, const char *subject, uint64_t after_seq,
                         pss_audit_fn fn, void *arg)
{
    sqlstore *s = userdata;
    if (!fn)
        return own_fail(s, PSS_EINVAL, "audit_scan: callback is NULL");
    stmt_id id = subject ? ST_AUDIT_SUBJECT : ST_AUDIT_ALL;
    sqlite3_stmt *st;
    int rc = stmt_take(s, id, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, "audit scan", subject, NULL);
    if (after_seq > (uint64_t)INT64_MAX)
        after_seq = (uint64_t)INT64_MAX;
    rc = sqlite3_bind_int64(st, 1, (sqlite3_int64)after_seq);
    if (rc == SQLITE_OK && subject)
        rc = sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
    int out = rc == SQLITE_OK ? emit_audit(s, st, fn, arg) : sql_fail(s, rc, "audit scan", subject, NULL);
    stmt_give(s, id, st);
    return out;
}

/* ------------------------------------------------------------------------------------------
 * Life cycle. */

static const char *sq_errmsg(void *userdata)
{
    sqlstore *s = userdata;
    return s->error[0] ? s->error : NULL;
}

static void sq_free(void *userdata)
{
    sqlstore *s = userdata;
    if (!s)
        return;
    pss__sqlite_checkpoints_stop(s);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    /* Rolls back a transaction left open; the last connection on the file also checkpoints
     * the WAL into it and removes it, so a till's shutdown waits for that, once. */
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

void pss__sqlite_fill_vtable(sqlstore *s)
{
    pss_storage table = PSS_STORAGE_INIT;
    table.userdata = s;
    table.begin = sq_begin;
    table.commit = sq_commit;
    table.rollback = sq_rollback;
    table.get = sq_get;
    table.put = sq_put;
    table.scan = sq_scan;
    table.scan_last = sq_scan_last;
    table.claim = sq_claim;
    table.release = sq_release;
    table.lookup = sq_lookup;
    table.append = sq_append;
    table.audit_scan = sq_audit_scan;
    table.errmsg = sq_errmsg;
    table.free = sq_free;
    s->vtable = table;
}
