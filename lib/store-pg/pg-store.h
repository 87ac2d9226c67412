/* pg-store.h: what the parts of libpossession-pg share: the store's state (its one
 * connection, the open transaction, the last failure), the statements it prepares, and the
 * calls that run them and turn PostgreSQL's failures into PSS_E* codes. Never installed. */
#ifndef PSS_PG_STORE_H
#define PSS_PG_STORE_H

#include <libpq-fe.h>

#include "possession/pg.h"

/* An audit entry's seq is its transaction's id times this plus its place in the
 * transaction (audit.c, and doc/postgres-store.md, "Audit order"). Part of the schema. */
#define PSS_PG_AUDIT_PER_TXN 1048576ULL

/* Scans and audit scans read this many rows a statement, then go on after the last one
 * (by seq): a session of a million orders is never held in memory at once, and a callback
 * may call the store again between two pages. */
#define PSS_PG_PAGE 1000
#define PSS_PG_PAGE_SQL "1000"

/* Statements prepared on first use on each connection. */
typedef enum pg_stmt {
    PG_GET,
    PG_GET_LOCK, /* in write transactions: the row stays locked until the end */
    PG_INSERT,
    PG_CREATE, /* a create sent in a pipeline: a record that exists fails the transaction */
    PG_UPDATE,
    PG_SCAN,
    PG_SCAN_LAST,
    PG_CLAIM,
    PG_OWNER,
    PG_RELEASE,
    PG_APPEND,
    PG_AUDIT_ALL,
    PG_AUDIT_SUBJECT,
    PG_AUDIT_HELD,
    PG_BEGIN_WRITE, /* transaction control, prepared like the rest: parsed once a connection */
    PG_BEGIN_READ,
    PG_COMMIT,
    PG_ROLLBACK,
    PG_XID,
    PG_VERIFY,      /* pss_storage::check: fails the transaction unless the revision holds */
    PG_VERIFY_LAST, /* pss_storage::check_last: the same for the newest record under a parent */
    PG_STMT_COUNT
} pg_stmt;

/* Statements a transaction may queue before it syncs (pipeline.c): the answers of that
 * many stay far below what the socket buffers, so neither side blocks on the other. */
#define PSS_PG_PIPELINE_MAX 128

/* What the answer of a statement sent in a pipeline is checked for. */
typedef enum pg_check {
    PG_CHECK_NONE,    /* only an error is a failure */
    PG_CHECK_ONE_ROW, /* an UPDATE of a put: no row means the revision was not the stored one */
    PG_CHECK_XID,     /* the transaction's id, for the seqs of its audit entries */
    PG_CHECK_COMMIT,  /* COMMIT's tag says whether it committed */
    PG_CHECK_PREPARE, /* a statement prepared in the pipeline; when that failed, again later */
    PG_CHECK_RESULT,  /* a read: its rows go to the caller */
    PG_CHECK_HINT,    /* a read hinted by the library: its rows wait in pgstore::hints */
    PG_CHECK_KEPT,    /* a check the transaction depends on: sent again when it begins again */
} pg_check;

typedef struct pg_sent {
    unsigned char check; /* pg_check */
    unsigned char stmt;  /* pg_stmt, or PG_STMT_COUNT for SQL of its own */
    size_t hint;         /* PG_CHECK_HINT: its place in pgstore::hints */
    char what[240];      /* what it does, for a failure's message */
} pg_sent;

/* A record a pipelined write transaction read (and so locked) or created: its key is kind,
 * a NUL, id; rev 0 when it was found missing. */
typedef struct pg_touched {
    uint64_t hash, rev;
    char *key;
} pg_touched;

/* A read the library hinted (pss_storage::prefetch), sent ahead: a get (last 0) or a
 * scan_last of (kind, key); its rows once answered. Taken by the read it announced, or
 * dropped by a put of its kind. */
typedef struct pg_hint {
    char *key;   /* kind, a NUL, the id or parent; NULL once taken or dropped */
    size_t last;
    PGresult *res;
    int answered;
} pg_hint;

/* A check sent in this transaction (PG_CHECK_KEPT), kept to be sent again on a new
 * connection when the transaction begins again there: its statement and parameters. */
typedef struct pg_kept {
    unsigned char stmt;
    char *params[3];
    char what[240];
} pg_kept;

typedef struct pgstore {
    pss_storage vtable; /* first: the table handed out is the store itself */
    PGconn *conn;
    char *password;         /* from the conninfo, only to blank it out of messages */
    int lock_timeout_ms, statement_timeout_ms, reconnect_attempts;
    int in_txn, write_txn;  /* a transaction is open, and whether it writes */
    int appended;           /* audit entries appended by the open transaction */
    int listening;          /* LISTEN pss_audit is active on this connection */
    int broken;             /* the connection was lost (libpq may not have noticed yet) */
    unsigned char prepared[PG_STMT_COUNT];
    /* the open transaction in pipeline mode (pipeline.c) */
    int pipelined;          /* it runs in pipeline mode */
    int replayable;         /* nothing but BEGIN and reads sent, none answered yet */
    int failed;             /* the first failure of a queued statement; the rest fail with it */
    int row_checks;         /* queued statements whose answer COMMIT must not overtake */
    int n_sent;             /* statements sent and not yet answered */
    uint64_t xid;           /* a write transaction's id, once answered (0 before) */
    pg_touched *touched;    /* the records it read or created (open addressing) */
    size_t touched_n, touched_cap;
    pg_hint *hints;         /* reads hinted in this transaction, in the order sent */
    size_t n_hints, hints_cap, next_hint; /* next_hint: where the next read is looked for */
    pg_kept *kept;          /* checks sent in this transaction, in order */
    size_t n_kept, kept_cap;
    pg_sent sent[PSS_PG_PIPELINE_MAX];
    char error[768];        /* the last failure, password blanked */
} pgstore;

/* ---- conn.c ---- */

/* Records a failure of the store's own (no server message) and returns code. */
int pss__pg_fail(pgstore *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records a failed statement (res may be NULL) under `what` and returns its PSS_E* code:
 * 40001 and 40P01 PSS_ECONFLICT, 55P03 and 57014 PSS_EBUSY, anything else PSS_ESTORAGE. */
int pss__pg_result_fail(pgstore *s, const PGresult *res, const char *what);

/* Connects (or reconnects) and sets the session up: encoding and timeouts. */
int pss__pg_connect(pgstore *s, const char *conninfo);

/* Outside a transaction, a lost connection is reset (up to reconnect_attempts times). */
int pss__pg_ensure(pgstore *s);

/* Runs a statement with NUL-terminated text parameters (lens[i] > 0 gives a length for
 * one that is not NUL-terminated at its end, such as a payload). *out gets the result on
 * success (PQclear it); on failure the result is cleared and the code returned. */
int pss__pg_run(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                const char *what, PGresult **out);

/* A statement's SQL and its number of parameters. */
const char *pss__pg_stmt_sql(pg_stmt id);
int pss__pg_stmt_params(pg_stmt id);

/* The most parameters a statement has. */
#define PSS_PG_PARAMS_MAX 8

/* The formats and lengths of a statement's parameters: lens[i] > 0 sends parameter i as the
 * lens[i] bytes given (binary text), anything else as NUL-terminated text; lens may be NULL. */
void pss__pg_formats(pg_stmt id, const int *lens, int formats[PSS_PG_PARAMS_MAX],
                     int lengths[PSS_PG_PARAMS_MAX]);

/* Runs SQL without parameters that returns no rows (transaction control, settings). */
int pss__pg_command(pgstore *s, const char *sql, const char *what);

/* Blanks the conninfo's password out of a message, in place. */
void pss__pg_redact(const pgstore *s, char *text);

/* ---- pipeline.c ---- */

/* Opens the transaction in pipeline mode: BEGIN (and in a write transaction the query of
 * its id) queued, nothing sent yet. */
int pss__pg_pipe_open(pgstore *s, int write);

/* Queues a statement whose answer the next sync checks as `check` says. */
int pss__pg_pipe_send(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                      const char *what, pg_check check);

/* Sends what is queued with a sync and reads every answer; the rows of the last read go
 * to *result when result is not NULL (PQclear them). The transaction's first failure. */
int pss__pg_pipe_sync(pgstore *s, PGresult **result);

/* The open write transaction's id (pgstore::xid), asked for when first needed. */
int pss__pg_pipe_xid(pgstore *s);

/* Queues a check of three text parameters (PG_VERIFY, PG_VERIFY_LAST): it fails the
 * transaction when it fails, and is sent again when the transaction begins again on a new
 * connection. */
int pss__pg_pipe_keep(pgstore *s, pg_stmt id, const char *const params[3], const char *what);
void pss__pg_forget_kept(pgstore *s);

/* COMMIT after what is queued, in the same round trip; ROLLBACK. Both leave pipeline mode. */
int pss__pg_pipe_commit(pgstore *s);
int pss__pg_pipe_rollback(pgstore *s);

/* A statement whose answer the caller needs now: in a pipelined transaction queued and
 * synced (the first sync of a transaction whose connection had died unnoticed is sent
 * again on a new one: nothing of it ran), else pss__pg_run. */
int pss__pg_exec(pgstore *s, pg_stmt id, const char *const *params, const int *lens,
                 const char *what, PGresult **out);

/* Notes a record a pipelined write transaction read (and so locked) or wrote, with its
 * revision (0: missing); whether it did, with the revision. Nothing outside one. */
int pss__pg_touch(pgstore *s, const char *kind, const char *id, uint64_t rev);
int pss__pg_touched(const pgstore *s, const char *kind, const char *id, uint64_t *rev);

/* The prefetch callback: sends a hinted read ahead in a pipelined transaction (ignored
 * outside one). */
int pss__pg_prefetch(void *userdata, const char *kind, const char *key, size_t last);

/* ---- checks.c ---- */

/* pss_storage::check and check_last: queued in the write transaction, failing it with
 * PSS_ECONFLICT when the record is not as the library holds it. */
int pss__pg_check(void *userdata, const char *kind, const char *id, uint64_t rev);
int pss__pg_check_last(void *userdata, const char *kind, const char *parent, const char *id);

/* The answer of a hinted read of (kind, key, last), syncing when it has not come yet: 0 with
 * *res NULL when there is none (read it), else the rows (PQclear them); or a failure. */
int pss__pg_take_hint(pgstore *s, const char *kind, const char *key, size_t last,
                      PGresult **res);

/* Drops the hinted reads of a kind: a put of that kind may change their answers. */
void pss__pg_drop_hints(pgstore *s, const char *kind);

/* Frees what the store's transactions noted. */
void pss__pg_pipe_free(pgstore *s);

/* ---- schema.c ---- */

/* Creates or upgrades the schema in one transaction; a newer one is PSS_EVERSION. The
 * detail goes to ctx. */
int pss__pg_migrate(pgstore *s, pss_ctx *ctx);

/* ---- txn.c, records.c, claims.c, audit.c: the callbacks ---- */

int pss__pg_begin(void *userdata, unsigned flags);
int pss__pg_commit(void *userdata);
int pss__pg_rollback(void *userdata);
int pss__pg_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg);
int pss__pg_put(void *userdata, const pss_record *r, uint64_t expected_rev, uint64_t *new_rev);
int pss__pg_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                 void *arg);
int pss__pg_scan_last(void *userdata, const char *kind, const char *parent, size_t n,
                      pss_record_fn fn, void *arg);
int pss__pg_claim(void *userdata, const char *key, const char *owner, char *holder,
                  size_t holder_size);
int pss__pg_release(void *userdata, const char *key, const char *owner);
int pss__pg_lookup(void *userdata, const char *key, char *holder, size_t holder_size);
int pss__pg_append(void *userdata, const char *subject, const char *payload, size_t len,
                   uint64_t *seq);
int pss__pg_audit_scan(void *userdata, const char *subject, uint64_t after_seq,
                       pss_audit_fn fn, void *arg);

#endif
