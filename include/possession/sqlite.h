/* possession/sqlite.h: the embedded SQLite store (libpossession-sqlite, possession-sqlite.pc),
 * the storage contract on one SQLite file in WAL mode. */
#ifndef POSSESSION_SQLITE_H
#define POSSESSION_SQLITE_H

#include "ctx.h"
#include "storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The SQLite store. */

/** Durability of commits (SQLite's PRAGMA synchronous). */
typedef enum pss_sqlite_sync {
    /** Every commit is on disk before it returns: survives power loss. The default. */
    PSS_SQLITE_SYNC_FULL = 0,
    /** WAL with NORMAL: survives a crash of the process, but a power cut may lose the last
     * commits (never corrupts the file). Several times faster on slow disks. */
    PSS_SQLITE_SYNC_NORMAL = 1
} pss_sqlite_sync;

/** Version of ::pss_sqlite_options this header describes. */
#define PSS_SQLITE_OPTIONS_VERSION 2

/** Options for pss_sqlite_open(). */
typedef struct pss_sqlite_options {
    uint32_t version;          /**< Set to ::PSS_SQLITE_OPTIONS_VERSION (use the INIT macro). */
    pss_sqlite_sync sync;      /**< Durability; default ::PSS_SQLITE_SYNC_FULL. */
    int busy_timeout_ms;       /**< How long to wait for another connection's lock before
                                    failing with ::PSS_EBUSY, in ms; default 5000, 0 fails at
                                    once, negative is ::PSS_EINVAL. */
    int page_size;             /**< Since version 2: SQLite's page size in bytes for a file
                                    this open creates, a power of two from 512 to 65536; 0
                                    (the default) leaves SQLite's 4096. A file that exists
                                    keeps its own. Bigger pages record batches faster and
                                    single-order transactions slower (doc/sqlite-store.md). */
} pss_sqlite_options;

/** Initializer for ::pss_sqlite_options. */
#define PSS_SQLITE_OPTIONS_INIT { PSS_SQLITE_OPTIONS_VERSION, PSS_SQLITE_SYNC_FULL, 5000, 0 }

/**
 * Opens (creating or upgrading when needed) a SQLite store on one file. The file is switched
 * to WAL mode (it gets -wal and -shm companions) and its schema is brought to
 * pss_sqlite_schema_version(): a file at version 0 gets the schema, an older one is upgraded
 * in one transaction, a newer one is refused and left alone.
 *
 * Each context should have its own store opened on the file; SQLite's locking serializes
 * writers across contexts and processes. A store is used by one thread at a time and must not
 * be carried across fork(): open it in the child. WAL checkpoints run on a thread the store
 * starts the first time one is needed, with its own connection, so that no commit waits for
 * one (doc/sqlite-store.md, "Checkpoints"); pss_storage_free() stops it.
 * @param ctx receives the error detail on failure, naming the file and SQLite's reason
 *            (may be NULL)
 * @param path file name (created if missing)
 * @param options NULL for the defaults
 * @param out receives the store; free it with pss_storage_free() after every context using it
 * @return 0, ::PSS_EINVAL (NULL path or out, a bad option: an unknown sync mode, a negative
 *         timeout, a page size that is not 0 or a power of two from 512 to 65536),
 *         ::PSS_EVERSION (the options'
 *         version is unknown, or the file's schema is newer than this library),
 *         ::PSS_ECORRUPT (not a SQLite file, or tables that do not match its schema version),
 *         ::PSS_EBUSY (another connection held a lock beyond the busy timeout), ::PSS_ENOMEM
 *         or ::PSS_ESTORAGE (anything else: the file cannot be created, a disk error)
 */
PSS_API int pss_sqlite_open(pss_ctx *ctx, const char *path, const pss_sqlite_options *options,
                            pss_storage **out);

/**
 * The schema version this library writes (stored in the file as PRAGMA user_version). It
 * grows by one with each migration step a later release adds.
 * @return the version number (3 in this release)
 */
PSS_API int pss_sqlite_schema_version(void);

#ifdef __cplusplus
}
#endif

#endif
