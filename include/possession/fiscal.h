/* possession/fiscal.h: fiscal integrity: the chain of a config's fiscal events, and its
 * verification (doc/fiscal.md). */
#ifndef POSSESSION_FISCAL_H
#define POSSESSION_FISCAL_H

#include "common.h"
#include "ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief A config's chain of fiscal events and its verification. */

/** What breaks a chain, at pss_fiscal_verdict::first_bad_seq. */
typedef enum pss_fiscal_problem {
    PSS_FISCAL_WHOLE = 0,       /**< Nothing: every event follows from the one before. */
    PSS_FISCAL_CHANGED = 1,     /**< The event's content does not give its stored hash. */
    PSS_FISCAL_MISSING = 2,     /**< The event of this seq is not there (deleted): a later one
                                     comes in its place. */
    PSS_FISCAL_MISPLACED = 3,   /**< An event is not where its seq puts it: inserted, moved,
                                     or its content swapped with another's. */
    PSS_FISCAL_BROKEN_LINK = 4, /**< Its previous hash is not the hash of the event before. */
    PSS_FISCAL_UNREADABLE = 5,  /**< The stored event is not one (not its JSON, a bad hash). */
    PSS_FISCAL_BAD_SIGNATURE = 6 /**< Its signature does not check (pss_signer::check). */
} pss_fiscal_problem;

/** Version of ::pss_fiscal_verdict this header describes. */
#define PSS_FISCAL_VERDICT_VERSION 1

/** What pss_fiscal_verify() found. */
typedef struct pss_fiscal_verdict {
    uint32_t version;           /**< Set by the caller (use ::PSS_FISCAL_VERDICT_INIT). */
    uint64_t events;            /**< Events that verified, in order from seq 1. */
    uint64_t first_bad_seq;     /**< The seq where the chain breaks; 0 when it is whole. */
    pss_fiscal_problem problem; /**< What is wrong there (::PSS_FISCAL_WHOLE when whole). */
    char head_hash[65];         /**< Hash of the last event that verified, 64 lower-case hex
                                     digits ("" when none did). */
    uint64_t unsigned_events;   /**< Of those, the events that carry no signature (a signer
                                     failed or none was set: pss_fiscal_resign() signs them). */
} pss_fiscal_verdict;

/** Initializer for ::pss_fiscal_verdict. */
#define PSS_FISCAL_VERDICT_INIT { PSS_FISCAL_VERDICT_VERSION, 0, 0, PSS_FISCAL_WHOLE, "", 0 }

/** Version of ::pss_signer this header describes. */
#define PSS_SIGNER_VERSION 1
/** The longest signature a signer may give, in bytes. */
#define PSS_SIGNATURE_MAX 512
/** Room for a signer's key id and its NUL. */
#define PSS_KEY_ID_SIZE 128

/**
 * The device or service that signs each fiscal event's hash (a TSE, an HSM, a fiscal
 * service, or a key of the vendor's): a callback table in the style of ::pss_storage.
 * The library calls sign inside the call's transaction, so a signer must return within its
 * own timeout; one that fails, times out or gives garbage leaves the event recorded
 * unsigned, the failure noted, and the call succeeds (doc/fiscal.md, "Signatures").
 */
typedef struct pss_signer {
    uint32_t version; /**< Set to ::PSS_SIGNER_VERSION (use ::PSS_SIGNER_INIT). */
    void *userdata;   /**< Passed to every callback. */
    /**
     * Signs the 32 bytes of an event's hash: writes the signature's bytes into sig (at most
     * ::PSS_SIGNATURE_MAX), their count into *sig_len and the key's id into key_id (printable
     * ASCII, NUL-terminated, shorter than ::PSS_KEY_ID_SIZE).
     * @return 0; anything else: the event stays unsigned for now
     */
    int (*sign)(void *userdata, const uint8_t hash[32], uint8_t sig[PSS_SIGNATURE_MAX],
                size_t *sig_len, char key_id[PSS_KEY_ID_SIZE]);
    /**
     * Optional: checks a signature sign made. pss_fiscal_verify() calls it for every signed
     * event when it is set.
     * @return 0 when the signature is good
     */
    int (*check)(void *userdata, const uint8_t hash[32], const uint8_t *sig, size_t sig_len,
                 const char *key_id);
} pss_signer;

/** Initializer for ::pss_signer. */
#define PSS_SIGNER_INIT { PSS_SIGNER_VERSION, NULL, NULL, NULL }

/**
 * Sets the signer of the context's fiscal events.
 * @param ctx the context
 * @param signer the table, copied (its userdata must outlive the context's use of it);
 *        NULL: no signer, events are recorded unsigned
 * @return 0, ::PSS_EVERSION for a table of an unknown version, ::PSS_EINVAL for one without
 *         sign, ::PSS_ESTATE inside a transaction
 */
PSS_API int pss_ctx_set_signer(pss_ctx *ctx, const pss_signer *signer);

/**
 * Signs a config's unsigned events in seq order with the context's signer, each in turn,
 * stopping at the first the signer does not sign (the rest stay for a later call). The
 * chain is verified first: a broken one is refused.
 * @param ctx the context, with a store and a signer
 * @param config_id the config
 * @param signed_now how many events this call signed (may be NULL)
 * @return 0 (also when the signer signed fewer than were waiting: compare with
 *         pss_fiscal_verdict::unsigned_events); ::PSS_ESTATE without a signer;
 *         ::PSS_ECORRUPT for a broken chain; a store's failure
 */
PSS_API int pss_fiscal_resign(pss_ctx *ctx, const char *config_id, uint64_t *signed_now);

/**
 * Walks a config's chain of fiscal events from its first event and reports the first break:
 * its seq and what is wrong. Reads only, in one read transaction.
 * @param ctx the context, with a store
 * @param config_id the config whose chain is verified
 * @param out filled on 0 and on ::PSS_ECORRUPT
 * @return 0 when the chain is whole (also when it has no event yet); ::PSS_ECORRUPT when it
 *         breaks, the detail naming the seq and what is wrong; ::PSS_EINVAL or ::PSS_EVERSION
 *         for bad arguments; a store's failure
 */
PSS_API int pss_fiscal_verify(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out);

/**
 * Writes a period of a config's chain as an archive that proves its integrity with no store:
 * JSON lines, a manifest (the config, its genesis, the period's first and last seq, the count,
 * the hash the first event links to and the last event's hash) and then each event as stored
 * (doc/fiscal.md, "Archive"). The chain is verified from its first event as it is read.
 * @param ctx the context, with a store
 * @param config_id the config
 * @param first_seq the period's first event (0: the chain's first)
 * @param last_seq the period's last event (0: the chain's newest)
 * @param fn called with each piece of the output, in order
 * @param userdata passed to fn
 * @return 0; ::PSS_EINVAL for a period not in the chain (or an empty chain) or bad arguments;
 *         ::PSS_ECORRUPT when the chain breaks (the detail names where; the output is then
 *         incomplete); ::PSS_EIO when fn failed; a store's failure
 */
PSS_API int pss_fiscal_archive(pss_ctx *ctx, const char *config_id, uint64_t first_seq,
                               uint64_t last_seq, pss_write_fn fn, void *userdata);

/**
 * The name of a problem.
 * @param problem a ::pss_fiscal_problem
 * @return "whole", "changed", "missing", "misplaced", "broken link", "unreadable", "bad
 *         signature", or "unknown"
 */
PSS_API const char *pss_fiscal_problem_name(pss_fiscal_problem problem);

#ifdef __cplusplus
}
#endif

#endif
