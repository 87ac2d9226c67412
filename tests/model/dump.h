/* dump.h: the whole content of a store as text (records, claims, audit entries, one a line,
 * in a stable order) for the memory store (pss_memstore_dump), the SQLite store (its
 * tables read with sqlite3) and the PostgreSQL store (its tables read with libpq), and the
 * audit entries appended after a sequence number. */
#ifndef MODEL_DUMP_H
#define MODEL_DUMP_H

#include <possession.h>
#include <stddef.h>
#include <stdint.h>

typedef struct text {
    char *data;
    size_t len, cap;
} text;

void text_add(text *t, const char *data, size_t len);
void text_free(text *t);
int text_write(void *userdata, const char *data, size_t len);

typedef struct dumper {
    pss_storage *mem;        /* the memory store, or NULL */
    void *db;                /* sqlite3 *, or NULL */
    void *pg;                /* PGconn *, or NULL */
} dumper;

int dumper_open_sqlite(dumper *d, const char *path);
#ifdef HAVE_PG
/* A connection of the dumper's own to the store's database. */
int dumper_open_pg(dumper *d, const char *conninfo);
/* Drops and creates database `name` on the server PSS_PG_CONNINFO names; the conninfo of
 * the new database goes to out. 0 or -1. */
int dump_pg_fresh_db(const char *name, char *out, size_t size);
/* Drops it again. */
void dump_pg_drop_db(const char *name);
/* dump_store, dump_audit_after and dumper_close on the PostgreSQL store (dump_pg.c). */
int dump_pg_store(void *pg, text *t);
uint64_t dump_pg_audit_after(void *pg, uint64_t after, void (*fn)(void *, uint64_t, const char *),
                             void *arg);
void dump_pg_close(void *pg);
#endif
void dumper_close(dumper *d);
/* Appends the store's content to t; returns 0 or -1. */
int dump_store(dumper *d, text *t);
/* Calls fn for each audit entry with seq > after (payload text); returns the last seq. */
uint64_t dump_audit_after(dumper *d, uint64_t after, void (*fn)(void *, uint64_t, const char *),
                          void *arg);
/* The first line that differs between two dumps' record and claim lines, and the audit
 * lines of b beyond a's; returns 0 when the records and claims are equal. */
int dump_compare(const text *a, const text *b, char *diff, size_t size, int *new_audit,
                 const char **first_new_audit);

#endif
