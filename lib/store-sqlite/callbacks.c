/* callbacks.c: the storage contract on SQLite: transactions, records with compare-and-swap,
 * claims and the audit trail, each callback one or two of the store's prepared statements. */
#include "sqlite-store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pss__sqlite_stmt_sql[ST_COUNT] = {
    [ST_BEGIN_READ] = "BEGIN",
    /* Takes the write lock at once: two writers never both read, then fail to upgrade. */
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_GET] = "SELECT id, parent, rev, payload FROM records WHERE kind = ?1 AND id = ?2",
    [ST_INSERT] = "INSERT INTO records (kind, id, parent, rev, payload) VALUES (?1, ?2, ?3, 1, ?4)",
    [ST_UPDATE] = "UPDATE records SET parent = ?3, payload = ?4, rev = rev + 1"
                  " WHERE kind = ?1 AND id = ?2 AND rev = ?5",
    [ST_SCAN] = "SELECT id, parent, rev, payload FROM records WHERE kind = ?1 AND parent = ?2"
                " ORDER BY seq",
    /* the index (kind, parent, seq) read backwards from its end: n rows, whatever the length */
    [ST_SCAN_LAST] = "SELECT id, parent, rev, payload FROM (SELECT seq, id, parent, rev, payload"
                     " FROM records WHERE kind = ?1 AND parent = ?2 ORDER BY seq DESC LIMIT ?3)"
                     " ORDER BY seq",
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
    return run(userdata, ST_COMMIT, "commit");
}

static int sq_rollback(void *userdata)
{
    sqlstore *s = userdata;
    /* Some failures (a full disk, an I/O error) make SQLite roll back on its own. */
    if (sqlite3_get_autocommit(s->db))
        return 0;
    return run(s, ST_ROLLBACK, "rollback");
}

/* ------------------------------------------------------------------------------------------
 * Records. */

/* Columns 0..3 of a row of ST_GET or ST_SCAN: id, parent, rev, payload. */
static int row_to_record(sqlstore *s, sqlite3_stmt *st, const char *kind, pss_record *rec)
{
    rec->kind = kind;
    rec->id = (const char *)sqlite3_column_text(st, 0);
    rec->parent = (const char *)sqlite3_column_text(st, 1);
    rec->rev = (uint64_t)sqlite3_column_int64(st, 2);
    rec->payload = (const char *)sqlite3_column_text(st, 3);
    rec->payload_len = (size_t)sqlite3_column_bytes(st, 3);
    if (rec->id && rec->parent && rec->payload)
        return 0;
    if (sqlite3_errcode(s->db) == SQLITE_NOMEM)
        return own_fail(s, PSS_ENOMEM, "reading %s: out of memory", kind);
    return own_fail(s, PSS_ECORRUPT, "a %s record has a NULL column", kind);
}

/* Steps through the rows, handing each record to fn until it returns non-zero. */
static int emit_records(sqlstore *s, sqlite3_stmt *st, const char *kind, const char *what,
                        pss_record_fn fn, void *arg, int *rows)
{
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pss_record rec;
        int out = row_to_record(s, st, kind, &rec);
        if (!out) {
            ++*rows;
            out = fn(&rec, arg);
        }
        if (out)
            return out;
    }
    return rc == SQLITE_DONE ? 0 : sql_fail(s, rc, what, kind, NULL);
}

static int sq_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !id || !fn)
        return own_fail(s, PSS_EINVAL, "get: kind, id or callback is NULL");
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_GET, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, "get of", kind, id);
    const char *args[] = {kind, id};
    int rows = 0, out;
    rc = bind_texts(st, 2, args);
    if (rc != SQLITE_OK)
        out = sql_fail(s, rc, "get of", kind, id);
    else
        out = emit_records(s, st, kind, "get of", fn, arg, &rows);
    stmt_give(s, ST_GET, st);
    return out == 0 && rows == 0 ? PSS_ENOTFOUND : out;
}

static int sq_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                   void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !parent || !fn)
        return own_fail(s, PSS_EINVAL, "scan: kind, parent or callback is NULL");
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_SCAN, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, "scan of", kind, parent);
    const char *args[] = {kind, parent};
    int rows, out;
    rc = bind_texts(st, 2, args);
    if (rc != SQLITE_OK)
        out = sql_fail(s, rc, "scan of", kind, parent);
    else
        out = emit_records(s, st, kind, "scan of", fn, arg, &rows);
    stmt_give(s, ST_SCAN, st);
    return out;
}

static int sq_scan_last(void *userdata, const char *kind, const char *parent, size_t n,
                        pss_record_fn fn, void *arg)
{
    sqlstore *s = userdata;
    if (!kind || !parent || !fn)
        return own_fail(s, PSS_EINVAL, "scan_last: kind, parent or callback is NULL");
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_SCAN_LAST, &st);
    if (rc != SQLITE_OK)
        return sql_fail(s, rc, "scan of", kind, parent);
    const char *args[] = {kind, parent};
    int rows, out;
    rc = bind_texts(st, 2, args);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, n > INT64_MAX ? INT64_MAX : (sqlite3_int64)n);
    if (rc != SQLITE_OK)
        out = sql_fail(s, rc, "scan of", kind, parent);
    else
        out = emit_records(s, st, kind, "scan of", fn, arg, &rows);
    stmt_give(s, ST_SCAN_LAST, st);
    return out;
}

static int insert_record(sqlstore *s, const pss_record *r, const char *parent)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_INSERT, &st);
    if (rc == SQLITE_OK) {
        const char *args[] = {r->kind, r->id, parent};
        rc = bind_texts(st, 3, args);
        if (rc == SQLITE_OK)
            rc = bind_payload(st, 4, r->payload, r->payload_len);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        stmt_give(s, ST_INSERT, st);
    }
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return own_fail(s, PSS_ECONFLICT, "put of %s %s: it exists", r->kind, r->id);
    return sql_fail(s, rc, "put of", r->kind, r->id);
}

static int update_record(sqlstore *s, const pss_record *r, const char *parent, uint64_t expected)
{
    sqlite3_stmt *st;
    int rc = stmt_take(s, ST_UPDATE, &st);
    if (rc == SQLITE_OK) {
        const char *args[] = {r->kind, r->id, parent};
        rc = bind_texts(st, 3, args);
        if (rc == SQLITE_OK)
            rc = bind_payload(st, 4, r->payload, r->payload_len);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 5, (sqlite3_int64)expected);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        stmt_give(s, ST_UPDATE, st);
    }
    if (rc != SQLITE_DONE)
        return sql_fail(s, rc, "put of", r->kind, r->id);
    if (sqlite3_changes(s->db) != 1)
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
    const char *parent = r->parent ? r->parent : "";
    int rc = expected_rev ? update_record(s, r, parent, expected_rev) : insert_record(s, r, parent);
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
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    sqlite3_close(s->db); /* rolls back a transaction left open */
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
