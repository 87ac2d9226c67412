/* dump.c: store dumps for proving that a refused call changed nothing (records and claims
 * equal, at most its own audit entry added), for both shipped stores. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

void text_add(text *t, const char *data, size_t len)
{
    if (t->len + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + len + 1)
            cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p)
            abort();
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, data, len);
    t->len += len;
    t->data[t->len] = '\0';
}

void text_free(text *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}

int text_write(void *userdata, const char *data, size_t len)
{
    text_add(userdata, data, len);
    return 0;
}

int dumper_open_sqlite(dumper *d, const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    d->db = db;
    return 0;
}

void dumper_close(dumper *d)
{
    if (d->db)
        sqlite3_close(d->db);
    d->db = NULL;
#ifdef HAVE_PG
    dump_pg_close(d->pg);
    d->pg = NULL;
#endif
}

static void add_col(text *t, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    text_add(t, i ? "\t" : "", i ? 1 : 0);
    if (v)
        text_add(t, (const char *)v, strlen((const char *)v));
}

static int dump_query(sqlite3 *db, const char *tag, const char *sql, text *t)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        text_add(t, tag, strlen(tag));
        text_add(t, "\t", 1);
        for (int i = 0; i < sqlite3_column_count(st); i++)
            add_col(t, st, i);
        text_add(t, "\n", 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int dump_store(dumper *d, text *t)
{
    if (d->mem)
        return pss_memstore_dump(d->mem, text_write, t) ? -1 : 0;
#ifdef HAVE_PG
    if (d->pg)
        return dump_pg_store(d->pg, t);
#endif
    sqlite3 *db = d->db;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    int rc = dump_query(db, "record",
                        "SELECT kind, id, parent, rev, payload FROM records ORDER BY kind, id", t);
    if (!rc)
        rc = dump_query(db, "claim", "SELECT key, owner FROM claims ORDER BY key", t);
    if (!rc)
        rc = dump_query(db, "audit", "SELECT seq, subject, payload FROM audit ORDER BY seq", t);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

typedef struct audit_walk {
    void (*fn)(void *, uint64_t, const char *);
    void *arg;
    uint64_t last;
} audit_walk;

static int walk_one(const pss_audit_item *item, void *arg)
{
    audit_walk *w = arg;
    w->fn(w->arg, item->seq, item->payload);
    w->last = item->seq;
    return 0;
}

uint64_t dump_audit_after(dumper *d, uint64_t after, void (*fn)(void *, uint64_t, const char *),
                          void *arg)
{
    audit_walk w = {fn, arg, after};
    if (d->mem) {
        pss_storage *s = d->mem;
        if (s->begin(s->userdata, 0) == 0) {
            s->audit_scan(s->userdata, NULL, after, walk_one, &w);
            s->rollback(s->userdata);
        }
        return w.last;
    }
#ifdef HAVE_PG
    if (d->pg)
        return dump_pg_audit_after(d->pg, after, fn, arg);
#endif
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->db, "SELECT seq, payload FROM audit WHERE seq > ? ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return after;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
    while (sqlite3_step(st) == SQLITE_ROW) {
        w.last = (uint64_t)sqlite3_column_int64(st, 0);
        fn(arg, w.last, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return w.last;
}

static const char *next_line(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

static int is_audit(const char *p)
{
    return strncmp(p, "audit\t", 6) == 0;
}

/* Skips audit lines. */
static const char *skip_audit(const char *p, const char *end)
{
    while (p < end && is_audit(p))
        p = next_line(p, end);
    return p;
}

int dump_compare(const text *a, const text *b, char *diff, size_t size, int *new_audit,
                 const char **first_new_audit)
{
    const char *pa = a->data ? a->data : "", *ea = pa + a->len;
    const char *pb = b->data ? b->data : "", *eb = pb + b->len;
    int na = 0, nb = 0;
    *first_new_audit = NULL;
    for (const char *p = pa; p < ea; p = next_line(p, ea))
        na += is_audit(p);
    for (const char *p = pb; p < eb; p = next_line(p, eb)) {
        if (is_audit(p) && ++nb > na && !*first_new_audit)
            *first_new_audit = p;
    }
    *new_audit = nb - na;
    for (;;) {
        pa = skip_audit(pa, ea);
        pb = skip_audit(pb, eb);
        if (pa >= ea || pb >= eb)
            break;
        const char *la = next_line(pa, ea), *lb = next_line(pb, eb);
        if (la - pa != lb - pb || memcmp(pa, pb, (size_t)(la - pa)) != 0) {
            snprintf(diff, size, "before: %.300s\nafter:  %.300s", pa, pb);
            return 1;
        }
        pa = la;
        pb = lb;
    }
    if (pa < ea || pb < eb) {
        snprintf(diff, size, "before: %.300s\nafter:  %.300s", pa < ea ? pa : "(end)",
                 pb < eb ? pb : "(end)");
        return 1;
    }
    return 0;
}
