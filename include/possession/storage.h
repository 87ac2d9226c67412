/* possession/storage.h: the storage contract. A host that keeps its own database implements
 * this versioned callback table; libpossession calls it and never touches a database itself.
 * Read doc/storage.md and doc/writing-a-store.md before implementing one. */
#ifndef POSSESSION_STORAGE_H
#define POSSESSION_STORAGE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The storage callback table (the contract a store implements). */

/** Version of ::pss_storage this header describes. */
#define PSS_STORAGE_VERSION 4

/** Flag for pss_storage::begin: the transaction will write. */
#define PSS_TXN_WRITE 1u

/**
 * One stored record, as the library writes it and as a store hands it back.
 * All strings are NUL-terminated UTF-8; payload is a JSON document (see doc/storage.md).
 */
typedef struct pss_record {
    const char *kind;    /**< Record kind: "config", "session", "order", ... (at most 32 bytes). */
    const char *id;      /**< Id, unique within its kind (at most 200 bytes). */
    const char *parent;  /**< Parent id for scans (a config id, a session id) or "" for none. */
    uint64_t rev;        /**< Revision: 1 when created, +1 on every put. */
    const char *payload; /**< JSON text, NUL-terminated. */
    size_t payload_len;  /**< Length of payload in bytes, without the NUL. */
} pss_record;

/**
 * Receives one record from pss_storage::get or pss_storage::scan. The record and its strings
 * are only valid during the call.
 * @return 0 to go on; any other value stops the iteration and is returned by get/scan
 */
typedef int (*pss_record_fn)(const pss_record *record, void *arg);

/** One entry of the append-only audit trail as a store hands it back. */
typedef struct pss_audit_item {
    uint64_t seq;        /**< Sequence number the store assigned (strictly increasing). */
    const char *subject; /**< What the entry is about: a session id or a config id. */
    const char *payload; /**< JSON text, NUL-terminated. */
    size_t payload_len;  /**< Length of payload in bytes. */
} pss_audit_item;

/**
 * Receives one audit entry from pss_storage::audit_scan; valid only during the call.
 * @return 0 to go on; any other value stops the iteration and is returned by audit_scan
 */
typedef int (*pss_audit_fn)(const pss_audit_item *item, void *arg);

/**
 * The callback table. Fill it with ::PSS_STORAGE_INIT, set the callbacks and pass it to
 * pss_ctx_set_storage(). Every callback returns 0 or a negative PSS_E* code; the codes the
 * library interprets are ::PSS_ENOTFOUND, ::PSS_ECONFLICT, ::PSS_EEXISTS, ::PSS_EBUSY,
 * ::PSS_ENOMEM and ::PSS_ESTORAGE (any other failure).
 *
 * Every change (put, claim, release, append) happens inside a transaction opened by begin
 * and is visible to others only after commit; rollback undoes all of it. The library opens
 * at most one transaction at a time per context. Two contexts may share one table only if
 * the store serializes their transactions (the in-memory store does; a database store
 * usually gives each context its own connection instead).
 *
 * Callbacks added in later versions sit after these members and are only called when
 * version says they are there and they are not NULL: a table filled by a host built against
 * version 1 of this header keeps working.
 */
typedef struct pss_storage {
    uint32_t version; /**< Set to ::PSS_STORAGE_VERSION (use ::PSS_STORAGE_INIT). */
    void *userdata;   /**< Passed as the first argument of every callback. */

    /**
     * Opens a transaction. With ::PSS_TXN_WRITE in flags the transaction will write, and
     * the store must serialize it against every other writer (for example SQLite's
     * BEGIN IMMEDIATE). May return ::PSS_EBUSY.
     */
    int (*begin)(void *userdata, unsigned flags);
    /** Makes every change of the open transaction durable and visible. */
    int (*commit)(void *userdata);
    /** Undoes every change of the open transaction. Must not fail in a way that keeps them. */
    int (*rollback)(void *userdata);

    /**
     * Looks up one record by (kind, id) and passes it to fn.
     * @return 0, ::PSS_ENOTFOUND, or what fn returned when non-zero
     */
    int (*get)(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg);
    /**
     * Writes a record with compare-and-swap on its revision. expected_rev 0 means "create: the
     * record must not exist"; otherwise the stored revision must equal expected_rev. On success
     * the new revision (1 when created, else expected_rev + 1) goes to *new_rev.
     * record->rev is ignored.
     * @return 0, or ::PSS_ECONFLICT when the revision check fails
     */
    int (*put)(void *userdata, const pss_record *record, uint64_t expected_rev, uint64_t *new_rev);
    /**
     * Passes every record of a kind with the given parent to fn, in the order the records
     * were first created.
     * @return 0, or what fn returned when non-zero
     */
    int (*scan)(void *userdata, const char *kind, const char *parent, pss_record_fn fn, void *arg);

    /**
     * Claims a unique key for owner (one open session per config, one session per day).
     * Claiming a key the same owner already holds succeeds.
     * @return 0, or ::PSS_EEXISTS with the current owner copied into holder (NUL-terminated,
     *         truncated to holder_size) when another owner holds it
     */
    int (*claim)(void *userdata, const char *key, const char *owner, char *holder, size_t holder_size);
    /**
     * Releases a key held by owner.
     * @return 0, ::PSS_ENOTFOUND when nobody holds it, ::PSS_ECONFLICT when another owner does
     */
    int (*release)(void *userdata, const char *key, const char *owner);
    /**
     * Tells who holds a key.
     * @return 0 with the owner in holder, or ::PSS_ENOTFOUND
     */
    int (*lookup)(void *userdata, const char *key, char *holder, size_t holder_size);

    /**
     * Appends an entry to the audit trail; entries are never changed or removed. The store
     * assigns a strictly increasing sequence number and writes it to *seq.
     */
    int (*append)(void *userdata, const char *subject, const char *payload, size_t payload_len,
                  uint64_t *seq);
    /**
     * Passes the audit entries with seq > after_seq about subject (every subject when subject
     * is NULL) to fn, in sequence order.
     * @return 0, or what fn returned when non-zero
     */
    int (*audit_scan)(void *userdata, const char *subject, uint64_t after_seq, pss_audit_fn fn,
                      void *arg);

    /** Optional: a message describing the store's last failure, or NULL. */
    const char *(*errmsg)(void *userdata);
    /** Optional: releases the store and everything it holds; called by pss_storage_free(). */
    void (*free)(void *userdata);

    /* ---- version 2 ---- */

    /**
     * Optional (version 2): passes the last n records of a kind with the given parent, the
     * ones pss_storage::scan would pass last, in the order scan passes them (all of them
     * when there are fewer). The library reads the orders of a session recorded since its
     * running totals were last written this way (doc/storage.md, "Running totals"); without
     * it, it scans them all and keeps the last n.
     * @return 0, or what fn returned when non-zero
     */
    int (*scan_last)(void *userdata, const char *kind, const char *parent, size_t n,
                     pss_record_fn fn, void *arg);

    /* ---- version 3 ---- */

    /**
     * Optional (version 3): a hint, inside a transaction, of a read the library makes next:
     * a get of (kind, key) when last is 0, else a scan_last of the last `last` records of
     * kind under the parent key. A store whose every call costs a round trip (a database
     * server) may send the hinted reads with what it sends next and answer them from what
     * came back: the read then answers as if made at the hint, which the library gives only
     * where that is the same to it (the reads of a transaction's start). A store must not
     * answer a hinted read from before its own put of a record of that kind (it reads again
     * instead). Ignoring hints is always right: the reads themselves come anyway.
     * @return 0, or a failure of the store (the library's call fails with it)
     */
    int (*prefetch)(void *userdata, const char *kind, const char *key, size_t last);

    /* ---- version 4 ---- */

    /**
     * Optional (version 4, with check_last): inside a write transaction, makes it depend on
     * the record (kind, id) being at revision rev (0: absent), the revision the library
     * holds, instead of reading it. The store answers ::PSS_ECONFLICT at once when it knows
     * the record is at another revision, else it may verify later, at the latest in commit,
     * which then fails with ::PSS_ECONFLICT and commits nothing. From the check to the
     * transaction's end nobody else may change the record, as after a get in a write
     * transaction; a put of it expecting rev may follow. A store whose every call costs a
     * round trip sends checks with what it sends next. The library checks only what a get
     * would tell it nothing new about, and reads instead in the transaction after any
     * conflict (doc/writing-a-store.md, "Checks").
     * @return 0, ::PSS_ECONFLICT, ::PSS_EINVAL outside a write transaction, or a failure
     */
    int (*check)(void *userdata, const char *kind, const char *id, uint64_t rev);

    /**
     * Optional (version 4, with check): the same for what a scan_last of 1 would pass: the
     * transaction depends on the newest record of kind under parent being id ("" for none),
     * verified after the checks before it (whose records' writers are the ones that add
     * records under parent, so that holding them keeps the answer true).
     * @return 0, ::PSS_ECONFLICT, ::PSS_EINVAL outside a write transaction, or a failure
     */
    int (*check_last)(void *userdata, const char *kind, const char *parent, const char *id);
} pss_storage;

/** Initializer for ::pss_storage: the version set, every callback NULL. */
#define PSS_STORAGE_INIT                                                                 \
    { PSS_STORAGE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
      NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Releases a store by calling its free callback (if any). The library never calls this on
 * its own: the host owns the store and must free it after every context using it.
 * @param storage the table, or NULL
 */
PSS_API void pss_storage_free(pss_storage *storage);

#ifdef __cplusplus
}
#endif

#endif
