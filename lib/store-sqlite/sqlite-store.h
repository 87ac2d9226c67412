/* sqlite-store.h: what the two halves of libpossession-sqlite share: the store's layout, its
 * prepared statements and the mapping of SQLite results to PSS_E* codes. Never installed. */
#ifndef PSS_SQLITE_STORE_H
#define PSS_SQLITE_STORE_H

#include <sqlite3.h>

#include "possession/sqlite.h"

/* Statements prepared once at open and kept for the life of the store. */
typedef enum stmt_id {
    ST_BEGIN_READ,
    ST_BEGIN_WRITE,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_GET,
    ST_INSERT,
    ST_UPDATE,
    ST_SCAN,
    ST_SCAN_LAST,
    ST_CLAIM,
    ST_OWNER,
    ST_RELEASE,
    ST_APPEND,
    ST_AUDIT_ALL,
    ST_AUDIT_SUBJECT,
    ST_COUNT
} stmt_id;

typedef struct sqlstore {
    pss_storage vtable; /* first: the table handed out is the store itself */
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT];
    char error[512];    /* the last failure, copied before SQLite's own message can change */
} sqlstore;

/* The SQL of each statement (callbacks.c). */
extern const char *const pss__sqlite_stmt_sql[ST_COUNT];

/* Fills the callback table (callbacks.c). */
void pss__sqlite_fill_vtable(sqlstore *s);

/* A SQLite result code as a PSS_E* code. */
int pss__sqlite_code(int rc);

#endif
