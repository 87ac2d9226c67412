/* ranges.c: where an order goes in schema version 3's `record_order`. Its rowid, `place`, is
 * the slot of its (kind, parent) in `record_range` times 2^32 plus its number there: the
 * orders of one session are one run of rowids, in creation order, and the table is its own
 * parent index (doc/sqlite-store.md, "Schema"). Slots count up as sessions begin, so the
 * newest session's orders are the end of the table, where SQLite appends to a rowid table
 * without rebalancing its leaves. */
#include "sqlite-store.h"

#include <string.h>

/* ---- running a kept statement with integer arguments ---- */

/* Binds ?1 kind and ?2 parent when parent is given, then a and b (when the statement has
 * them) to the next two parameters. */
static int bind_args(sqlite3_stmt *st, int kind, const sqlkey *parent, sqlite3_int64 a,
                     sqlite3_int64 b)
{
    int rc = SQLITE_OK, next = 1;
    if (parent) {
        rc = sqlite3_bind_int(st, 1, kind);
        if (rc == SQLITE_OK)
            rc = pss__sqlite_bind_key(st, 2, parent);
        next = 3;
    }
    int count = sqlite3_bind_parameter_count(st);
    if (rc == SQLITE_OK && count >= next)
        rc = sqlite3_bind_int64(st, next, a);
    if (rc == SQLITE_OK && count >= next + 1)
        rc = sqlite3_bind_int64(st, next + 1, b);
    return rc;
}

/* Runs statement id; *out gets the first column of its row (*found 0 when it has none, or
 * when that column is NULL). */
static int step_int(sqlstore *s, stmt_id id, int kind, const sqlkey *parent, sqlite3_int64 a,
                    sqlite3_int64 b, sqlite3_int64 *out, int *found)
{
    sqlite3_stmt *st;
    int rc = pss__sqlite_stmt_take(s, id, &st);
    if (rc != SQLITE_OK)
        return rc;
    rc = bind_args(st, kind, parent, a, b);
    *found = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = sqlite3_column_type(st, 0) != SQLITE_NULL;
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    pss__sqlite_stmt_give(s, id, st);
    return rc;
}

/* ---- ranges ---- */

static int cached(const sqlstore *s, int kind, const sqlkey *parent)
{
    const range_cache *c = &s->range;
    if (c->kind != kind)
        return 0;
    if (parent->len)
        return c->len == parent->len && memcmp(c->parent, parent->bytes, (size_t)c->len) == 0;
    return c->len < 0 && strcmp(c->parent, parent->text) == 0;
}

static void remember(sqlstore *s, int kind, const sqlkey *parent, sqlite3_int64 base)
{
    range_cache *c = &s->range;
    c->kind = 0;
    if (parent->len) {
        memcpy(c->parent, parent->bytes, (size_t)parent->len);
        c->len = parent->len;
    } else if (strlen(parent->text) <= PSS_SQLITE_KEY_TEXT_MAX) {
        strcpy(c->parent, parent->text);
        c->len = -1;
    } else {
        return; /* a long text parent is looked up each time */
    }
    c->kind = kind;
    c->base = base;
}

void pss__sqlite_range_forget(sqlstore *s)
{
    s->range.kind = 0;
}

/* Slots are never renumbered nor removed: a cached one stays right, across transactions and
 * other connections, until a rollback undoes the making of one. */
int pss__sqlite_range_of(sqlstore *s, int kind, const sqlkey *parent, int add,
                         sqlite3_int64 *base)
{
    if (cached(s, kind, parent)) {
        *base = s->range.base;
        return SQLITE_OK;
    }
    sqlite3_int64 slot = 0;
    int found = 0;
    int rc = step_int(s, ST_RANGE_SLOT, kind, parent, 0, 0, &slot, &found);
    if (rc == SQLITE_OK && !found && add) {
        rc = step_int(s, ST_RANGE_ADD, kind, parent, 0, 0, &slot, &found);
        slot = sqlite3_last_insert_rowid(s->db);
        found = rc == SQLITE_OK;
    }
    *base = found ? slot * PSS_SQLITE_RANGE_SIZE : 0;
    if (rc == SQLITE_OK && found)
        remember(s, kind, parent, *base);
    return rc;
}

/* Moves the records at `from` and above in the range at base up by one place: first to the
 * negative places (never used otherwise), then back, so that no two share a place midway. */
static int shift_up(sqlstore *s, sqlite3_int64 base, sqlite3_int64 from)
{
    sqlite3_int64 unused = 0;
    int found = 0;
    int rc = step_int(s, ST_SHIFT_OUT, 0, NULL, from, base + PSS_SQLITE_RANGE_SIZE, &unused,
                      &found);
    if (rc == SQLITE_OK)
        rc = step_int(s, ST_SHIFT_BACK, 0, NULL, 0, 0, &unused, &found);
    return rc;
}

int pss__sqlite_range_place(sqlstore *s, sqlite3_int64 base, sqlite3_int64 stamp,
                            sqlite3_int64 *place)
{
    int found = 0;
    int rc = step_int(s, ST_MOVE_BEFORE, 0, NULL, base, stamp, place, &found);
    if (rc == SQLITE_OK && found)
        return shift_up(s, base, *place);
    if (rc == SQLITE_OK)
        rc = step_int(s, ST_RANGE_END, 0, NULL, base, 0, place, &found);
    return rc;
}
