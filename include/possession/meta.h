/* possession/meta.h: host metadata: a JSON object the host keeps on a config, a session, an
 * order or a cash movement (an external batch id, a terminal serial, an ERP reference).
 * The library validates it, stores it beside the thing it belongs to and returns it as given;
 * it never reads what it says. */
#ifndef POSSESSION_META_H
#define POSSESSION_META_H

#include "possession/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file possession/meta.h
 * @brief Host metadata on configs, sessions, orders and cash movements. */

/** Largest metadata document, in bytes of its JSON text. */
#define PSS_META_MAX 4096

/** What a metadata document belongs to. */
typedef enum pss_meta_owner {
    PSS_META_CONFIG = 1,  /**< A config (by config id). */
    PSS_META_SESSION = 2, /**< A session (by session id). */
    PSS_META_ORDER = 3,   /**< An order (by order id). */
    PSS_META_MOVEMENT = 4 /**< A cash movement (by movement id). */
} pss_meta_owner;

/**
 * Sets (or, with meta NULL, clears) the metadata of a config, session, order or cash
 * movement, in one transaction with its audit entry ("meta.set"). The text must be a JSON
 * object of at most ::PSS_META_MAX bytes in valid UTF-8, without duplicate keys; it is kept
 * byte for byte. A config's metadata may be set at any time by a manager or admin; the
 * others' while their session is not closed, by any actor of role cashier or above.
 * Metadata is not part of an order's content: a resubmitted order with other metadata is
 * still the same order (a duplicate), and its metadata stays as it was.
 * @param ctx the context
 * @param actor who sets it
 * @param owner what it belongs to
 * @param id the owner's id
 * @param meta the JSON object text, or NULL to clear it
 * @return 0, ::PSS_EINVAL (not an object, too long, not JSON, a bad owner, an id that is not
 *         a UUID),
 *         ::PSS_ENOTFOUND (no such owner), ::PSS_ECLOSED (its session is closed),
 *         ::PSS_EACCESS or a storage error
 */
PSS_API int pss_meta_set(pss_ctx *ctx, const pss_actor *actor, pss_meta_owner owner,
                         const char *id, const char *meta);

/**
 * The metadata of a config, session, order or cash movement, as it was given.
 * @param ctx the context
 * @param owner what it belongs to
 * @param id the owner's id
 * @param out receives the text (free with pss_free()), or NULL when it has none
 * @return 0, ::PSS_EINVAL, ::PSS_ECORRUPT or a storage error (an unknown owner has none)
 */
PSS_API int pss_meta_get(pss_ctx *ctx, pss_meta_owner owner, const char *id, char **out);

#ifdef __cplusplus
}
#endif

#endif
