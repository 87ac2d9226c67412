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
#define PSS_SQLITE_OPTIONS_VERSION 1

/** Options for pss_sqlite_open(). */
typedef struct pss_sqlite_options {
    uint32_t version;          /**< Set to ::PSS_SQLITE_OPTIONS_VERSION (use the INIT macro). */
    pss_sqlite_sync sync;      /**< Durability; default ::PSS_SQLITE_SYNC_FULL. */
    int busy_timeout_ms;       /**< How long to wait for another process's lock; default 5000. */
} pss_sqlite_options;

/** Initializer for ::pss_sqlite_options. */
#define PSS_SQLITE_OPTIONS_INIT { PSS_SQLITE_OPTIONS_VERSION, PSS_SQLITE_SYNC_FULL, 5000 }

/**
 * Opens (creating or upgrading when needed) a SQLite store on one file. Each context should
 * have its own store opened on the file; SQLite's locking serializes writers across contexts
 * and processes.
 * @param ctx receives the error detail on failure (may be NULL)
 * @param path file name (created if missing)
 * @param options NULL for the defaults
 * @param out receives the store; free it with pss_storage_free()
 * @return 0, ::PSS_EINVAL, ::PSS_EVERSION (the file's schema is newer than this library),
 *         ::PSS_ECORRUPT or ::PSS_ESTORAGE
 */
PSS_API int pss_sqlite_open(pss_ctx *ctx, const char *path, const pss_sqlite_options *options,
                            pss_storage **out);

/**
 * The schema version this library writes (stored in the file as PRAGMA user_version).
 * @return the version number
 */
PSS_API int pss_sqlite_schema_version(void);

#ifdef __cplusplus
}
#endif

#endif
