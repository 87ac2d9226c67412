/* store.h: the library's side of the storage contract: transactions, and record, claim and
 * audit calls that turn a store's failure into an error with detail on the context. */
#ifndef PSS_STORE_H
#define PSS_STORE_H

#include <stdbool.h>
#include "base/internal.h"

/* Sizes the library promises stores it never exceeds. */
#define PSS_KIND_MAX 32
#define PSS_RECORD_ID_MAX 200
#define PSS_CLAIM_KEY_MAX 300

int pss__txn_begin(pss_ctx *ctx, bool write);
/* Commits; when the commit fails the transaction is rolled back and the error returned. */
int pss__txn_commit(pss_ctx *ctx);
/* Commits but keeps the queued observer events until pss__events_flush(): handles are
 * updated first, so that an observer sees them as they are after the call. */
int pss__txn_commit_only(pss_ctx *ctx);
void pss__txn_rollback(pss_ctx *ctx);
/* Ends a transaction: commit when rc is 0 (returning the commit's result), else roll back
 * and return rc. Delivers or drops the queued observer events accordingly. */
int pss__txn_end(pss_ctx *ctx, int rc);

/* get/scan: fn's non-zero result stops and is returned as is; a store failure becomes an
 * error with detail. get returns PSS_ENOTFOUND (without detail) when there is no record. */
int pss__get(pss_ctx *ctx, const char *kind, const char *id, pss_record_fn fn, void *arg);
/* Decodes one stored record into out: each record file has one per kind it owns. */
typedef int (*pss__decode_fn)(pss_ctx *ctx, const pss_record *rec, void *out);
/* get and decode in one, the way every record of a kind is read: the decoder's failure, a
 * store failure with detail, or PSS_ENOTFOUND (without detail) when there is no record. */
int pss__get_decoded(pss_ctx *ctx, const char *kind, const char *id, pss__decode_fn decode,
                     void *out);
int pss__scan(pss_ctx *ctx, const char *kind, const char *parent, pss_record_fn fn, void *arg);
/* The last n records a scan would pass, in scan order: the store's scan_last (version 2),
 * else a whole scan that keeps the last n ids and reads those back. */
int pss__scan_last(pss_ctx *ctx, const char *kind, const char *parent, size_t n,
                   pss_record_fn fn, void *arg);
/* Hints the store (version 3) of a get (last 0) or a scan_last the transaction makes next
 * (pss_storage::prefetch); a store without hints is left alone. */
int pss__prefetch(pss_ctx *ctx, const char *kind, const char *key, size_t last);
bool pss__store_has_prefetch(const pss_ctx *ctx);
/* Whether the open transaction may check records instead of reading them (version 4): a
 * write transaction on a store with checks, not the run after a conflict. */
bool pss__store_can_check(const pss_ctx *ctx);
/* The transaction depends on (kind, id) being at rev (0: absent), or on the newest record
 * of kind under parent being id ("" for none). PSS_ECONFLICT (no detail, no retry) when the
 * store already knows otherwise: the caller reads instead. When the store finds it later,
 * the commit fails with PSS_ECONFLICT and the call runs again, reading. */
int pss__check(pss_ctx *ctx, const char *kind, const char *id, uint64_t rev);
int pss__check_last(pss_ctx *ctx, const char *kind, const char *parent, const char *id);

/* Whether the store has scan_last of its own: reading the last records then costs n, not the
 * whole scan. */
bool pss__store_has_scan_last(const pss_ctx *ctx);
/* The records of a kind under a parent, each decoded into the next item of a growing array
 * (items of item_size bytes): what a listing reads. Free items with PSS_FREE. */
typedef struct pss__record_list {
    void *items;
    size_t n, cap, item_size;
} pss__record_list;
int pss__scan_decoded(pss_ctx *ctx, const char *kind, const char *parent, pss__decode_fn decode,
                      pss__record_list *list);
/* put: PSS_ECONFLICT (without detail) when the revision check fails. */
int pss__put(pss_ctx *ctx, const char *kind, const char *id, const char *parent,
             const char *payload, size_t len, uint64_t expected_rev, uint64_t *new_rev);
/* claim: PSS_EEXISTS (without detail) with the holder when someone else holds the key. */
int pss__claim(pss_ctx *ctx, const char *key, const char *owner, char *holder, size_t size);
int pss__release(pss_ctx *ctx, const char *key, const char *owner);
/* lookup: PSS_ENOTFOUND (without detail) when nobody holds the key. */
int pss__lookup(pss_ctx *ctx, const char *key, char *holder, size_t size);
int pss__append(pss_ctx *ctx, const char *subject, const char *payload, size_t len);
int pss__audit_scan(pss_ctx *ctx, const char *subject, pss_audit_fn fn, void *arg);

/* A pss_record_fn that stores the record's revision into *(uint64_t *)arg. */
int pss__rev_of(const pss_record *rec, void *arg);

/* Fails with PSS_EINVAL when the context has no store yet. */
int pss__need_storage(pss_ctx *ctx);

#endif
