/* sqlite-store.h: what the parts of libpossession-sqlite share: the store's layout (its
 * tables, kind codes and stored keys), its prepared statements, the checkpointer, and the
 * mapping of SQLite results to PSS_E* codes. Never installed. */
#ifndef PSS_SQLITE_STORE_H
#define PSS_SQLITE_STORE_H

#include <sqlite3.h>

#include "possession/sqlite.h"

/* The kinds the library writes, by the code schema versions 2 and 3 store (its `kinds` table holds
 * the same pairs; a kind not among them gets a code of its own there, from 100 up). Codes
 * are part of the file format: never renumbered. */
enum {
    PSS_SQLITE_KIND_CONFIG = 1,
    PSS_SQLITE_KIND_CONFIG_STATE = 2,
    PSS_SQLITE_KIND_SESSION = 3,
    PSS_SQLITE_KIND_TOTAL = 4,
    PSS_SQLITE_KIND_ORDER = 5,
    PSS_SQLITE_KIND_REFUND_TALLY = 6,
    PSS_SQLITE_KIND_MOVEMENT = 7,
    PSS_SQLITE_KIND_ENTRY = 8,
    PSS_SQLITE_KIND_META = 9,
    PSS_SQLITE_KIND_KNOWN_END
};

/* The three record tables: `record_order` (the orders; its rowid a place in the range of the
 * order's session, `record_range` holding the ranges' slots: ranges.c), `record` (written
 * once or seldom: movements, entries, configs, ...) and `record_live` (rewritten by every
 * order: sessions, running totals, config states); the rowid of the last two is the seq. */
typedef enum sqltable { TABLE_ORDER, TABLE_RECORD, TABLE_LIVE, TABLE_COUNT } sqltable;

/* Statements prepared once at open and kept for the life of the store; the record
 * statements come once per table (ST_GET + TABLE_LIVE * ST_RECORD_STMTS, ...). */
typedef enum stmt_id {
    ST_GET,
    ST_INSERT,
    ST_UPDATE,      /* a record whose parent stays: its index entries are not touched */
    ST_UPDATE_MOVE, /* a record given another parent (in `record`: and a place in its range) */
    ST_SCAN,
    ST_SCAN_LAST,
    ST_LAST_SEQ,    /* of a table whose rowid is the seq: none in `record_order` */
    ST_RECORD_STMTS,
    ST_RANGE_SLOT = ST_RECORD_STMTS * TABLE_COUNT, /* ranges.c */
    ST_RANGE_ADD,
    ST_RANGE_END,
    ST_MOVE_STAMP,
    ST_MOVE_BEFORE,
    ST_SHIFT_OUT,
    ST_SHIFT_BACK,
    ST_BEGIN_READ,
    ST_BEGIN_WRITE,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_KIND_CODE,
    ST_KIND_ADD,
    ST_CLAIM,
    ST_OWNER,
    ST_RELEASE,
    ST_APPEND,
    ST_AUDIT_ALL,
    ST_AUDIT_SUBJECT,
    ST_COUNT
} stmt_id;

/* The record statement `op` (ST_GET .. ST_LAST_SEQ) of a table. */
#define RECORD_STMT(op, table) ((stmt_id)((op) + (table) * ST_RECORD_STMTS))

typedef struct checkpointer checkpointer;

/* Longest id or parent text that is folded into a blob (the contract's ids are at most 200
 * bytes); longer texts are stored as text. */
#define PSS_SQLITE_KEY_TEXT_MAX 200

/* The last range of `record` looked up (ranges.c): a session's orders all go to one. */
typedef struct range_cache {
    int kind;         /* 0: nothing cached */
    int len;          /* the parent's stored bytes; -1 for a text */
    char parent[PSS_SQLITE_KEY_TEXT_MAX + 1];
    sqlite3_int64 base;
} range_cache;

typedef struct sqlstore {
    pss_storage vtable; /* first: the table handed out is the store itself */
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT];
    sqlite3_int64 last_seq; /* the greatest seq this connection gave a record, or 0 */
    range_cache range;
    checkpointer *ckpt;     /* NULL until the WAL first grows past the checkpoint threshold */
    char *path;             /* for the checkpointer's own connection */
    pss_sqlite_sync sync;
    char error[512];    /* the last failure, copied before SQLite's own message can change */
} sqlstore;

/* The SQL of each statement (callbacks.c). */
extern const char *const pss__sqlite_stmt_sql[ST_COUNT];

/* Fills the callback table (callbacks.c). */
void pss__sqlite_fill_vtable(sqlstore *s);

/* A SQLite result code as a PSS_E* code. */
int pss__sqlite_code(int rc);

/* Takes a kept statement, or a fresh copy of it while the kept one is stepping (callbacks.c);
 * stmt_give resets and unbinds it, or finalizes the copy. */
int pss__sqlite_stmt_take(sqlstore *s, stmt_id id, sqlite3_stmt **out);
void pss__sqlite_stmt_give(sqlstore *s, stmt_id id, sqlite3_stmt *st);

/* ---- keys.c ---- */

/* An id or parent as it is stored: len bytes of blob, or (len 0) the text itself. */
typedef struct sqlkey {
    const char *text;
    int len;
    unsigned char bytes[PSS_SQLITE_KEY_TEXT_MAX];
} sqlkey;

/* The code of a kind the library writes, or 0 for any other kind (looked up in `kinds`). */
int pss__sqlite_known_kind(const char *kind);

/* The name of a code below PSS_SQLITE_KIND_KNOWN_END, else NULL. */
const char *pss__sqlite_kind_name(int code);

/* The table that holds a kind's records. */
sqltable pss__sqlite_table_of(int code);

/* Fills k with the stored form of text (which must outlive k's use). */
void pss__sqlite_key_encode(const char *text, sqlkey *k);

/* Binds a stored key to ?index (static: k must live until the statement is reset). */
int pss__sqlite_bind_key(sqlite3_stmt *st, int index, const sqlkey *k);

/* The text of the stored key in column col: SQLite's text, or out filled from a blob; NULL
 * when the column holds no key in the form this store writes (or SQLite is out of memory). */
const char *pss__sqlite_column_key(sqlite3_stmt *st, int col,
                                   char out[PSS_SQLITE_KEY_TEXT_MAX + 1]);

/* Registers pss_key() on the connection: the migration to version 2 calls it. */
int pss__sqlite_add_functions(sqlite3 *db);

/* ---- ranges.c ---- */

/* Places in `record_order`: an order's place (its rowid) is the slot of its (kind, parent)
 * times 2^32 plus its number in that range, so a range is one run of rowids
 * (doc/sqlite-store.md, "Schema"). */
#define PSS_SQLITE_RANGE_SIZE 4294967296LL

/* The first place of (kind, parent)'s range, less one (*base); 0 when it has none, unless add
 * makes it one. A SQLite result code. */
int pss__sqlite_range_of(sqlstore *s, int kind, const sqlkey *parent, int add,
                         sqlite3_int64 *base);

/* Forgets the cached range: a rollback may have undone its making. */
void pss__sqlite_range_forget(sqlstore *s);

/* The place that a record stamped `stamp` takes in the range at base when moved there: before
 * the first record stamped later (which moves up by one, with every later one), or at the
 * end. A SQLite result code. */
int pss__sqlite_range_place(sqlstore *s, sqlite3_int64 base, sqlite3_int64 stamp,
                            sqlite3_int64 *place);

/* ---- checkpoint.c ---- */

/* Takes checkpoints off the connection's commits: SQLite's automatic checkpoint is replaced
 * by a hook that hands them to a thread with its own connection. */
void pss__sqlite_checkpoints_start(sqlstore *s);

/* Stops the checkpointer (joining its thread) before the store's connection closes. */
void pss__sqlite_checkpoints_stop(sqlstore *s);

#endif
