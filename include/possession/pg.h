/* possession/pg.h: the PostgreSQL store (libpossession-pg, possession-pg.pc): the storage
 * contract on one PostgreSQL database, so that every till of a chain shares it. */
#ifndef POSSESSION_PG_H
#define POSSESSION_PG_H

#include "ctx.h"
#include "storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The PostgreSQL store (doc/postgres-store.md). */

/** Version of ::pss_pg_options this header describes. */
#define PSS_PG_OPTIONS_VERSION 1

/** Options for pss_pg_open(). */
typedef struct pss_pg_options {
    uint32_t version;         /**< Set to ::PSS_PG_OPTIONS_VERSION (use the INIT macro). */
    int lock_timeout_ms;      /**< How long a statement waits for another transaction's row
                                   lock (a till writing the same session) before the call
                                   fails with ::PSS_EBUSY, in ms (the server's lock_timeout);
                                   default 5000, 0 waits for ever, negative is ::PSS_EINVAL. */
    int statement_timeout_ms; /**< The longest a single statement may run before the call
                                   fails with ::PSS_EBUSY, in ms (statement_timeout); default
                                   0: no limit; negative is ::PSS_EINVAL. */
    int reconnect_attempts;   /**< How many more times a call tries to reconnect a lost
                                   connection, after the first try fails, before it fails
                                   with ::PSS_ESTORAGE (0.1 s, 0.2 s, 0.4 s ... up to 1.6 s
                                   apart); default 3, negative is ::PSS_EINVAL. */
} pss_pg_options;

/** Initializer for ::pss_pg_options. */
#define PSS_PG_OPTIONS_INIT { PSS_PG_OPTIONS_VERSION, 5000, 0, 3 }

/**
 * Connects to a PostgreSQL database and returns the storage contract on it, creating or
 * upgrading the store's tables when needed (in one transaction; a schema newer than this
 * library is refused and left alone). One store is one connection: give each context its
 * own store. The tables go to the first schema of the connection's search_path (set it in
 * conninfo, e.g. `options='-c search_path=pos'`, to keep them apart from a host's tables).
 *
 * Write transactions are READ COMMITTED, and every record a write transaction reads is
 * locked (`SELECT ... FOR UPDATE`) until it ends: two contexts writing one session queue on
 * its row, tills of other configs never wait for each other. Serialization failures,
 * deadlocks and a create that meets another's record are ::PSS_ECONFLICT (the library
 * re-reads and retries); a lock held beyond lock_timeout_ms is ::PSS_EBUSY. A call whose
 * connection is lost fails with ::PSS_ESTORAGE and the next begin reconnects.
 * @param ctx receives the error detail on failure: the server, SQLSTATE and the server's
 *            message, never the password (may be NULL)
 * @param conninfo a libpq connection string or URI, passed to libpq as it is (multi-host
 *                 lists with target_session_attrs=read-write work as libpq defines them)
 * @param options NULL for the defaults
 * @param out receives the store; free it with pss_storage_free() after every context using it
 * @return 0, ::PSS_EINVAL (NULL conninfo or out, a bad option), ::PSS_EVERSION (the
 *         options' version is unknown, or the database's store schema is newer than this
 *         library), ::PSS_ECORRUPT (the schema table holds no version of ours),
 *         ::PSS_EBUSY (a lock was held beyond the timeout), ::PSS_ENOMEM or ::PSS_ESTORAGE
 *         (no connection, no privilege, anything else)
 */
PSS_API int pss_pg_open(pss_ctx *ctx, const char *conninfo, const pss_pg_options *options,
                        pss_storage **out);

/**
 * The schema version this library writes (the row of table pss_schema). It grows by one
 * with each migration step a later release adds.
 * @return the version number (1 in this release)
 */
PSS_API int pss_pg_schema_version(void);

/**
 * Waits, without polling, until audit entries committed by any connection may be readable
 * with pss_storage::audit_scan (LISTEN/NOTIFY: every transaction that appended notifies on
 * channel `pss_audit` when it commits). A back-office follower loops: audit_scan after its
 * last seq, then pss_pg_wait(). Entries committed while an older writing transaction is
 * still open stay hidden from audit_scan until it ends (doc/postgres-store.md, "Audit
 * order"); pss_pg_wait returns once they are readable, or at the timeout. Call it outside a
 * transaction. The first call (and the first after a reconnect) starts listening and
 * returns 1 at once: entries committed before it are found by the scan that follows it,
 * never lost.
 * @param store a store from pss_pg_open()
 * @param timeout_ms the longest wait in ms; 0 only checks, negative waits for ever
 * @return 1 when notified, 0 at the timeout, ::PSS_EINVAL (not a PostgreSQL store, or in a
 *         transaction) or ::PSS_ESTORAGE (the connection failed; the next call reconnects;
 *         the detail is the store's errmsg)
 */
PSS_API int pss_pg_wait(pss_storage *store, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif
