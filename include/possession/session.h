/* possession/session.h: the session lifecycle: create, open with counted cash, take over,
 * resume from storage, list; balances and verification of the running totals. */
#ifndef POSSESSION_SESSION_H
#define POSSESSION_SESSION_H

#include "common.h"
#include "config.h"
#include "ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Sessions: lifecycle, responsible user, device lease, balances, verification. */

/** A session handle. It holds the session's state and running totals, never its orders. */
typedef struct pss_session pss_session;

/** Session states; the only transitions are NEW -> OPENING_CONTROL -> IN_PROGRESS <->
 * CLOSING_CONTROL -> CLOSED (NEW may open directly, and force close reaches CLOSED from any). */
typedef enum pss_session_state {
    PSS_SESSION_NEW = 1,             /**< Created: the config's slot is taken, nothing counted. */
    PSS_SESSION_OPENING_CONTROL = 2, /**< The opening cash is being counted. */
    PSS_SESSION_IN_PROGRESS = 3,     /**< Trading: orders, payments, cash movements. */
    PSS_SESSION_CLOSING_CONTROL = 4, /**< Counting the drawer; no new orders. */
    PSS_SESSION_CLOSED = 5           /**< Closed and posted; final. */
} pss_session_state;

/** Bit for a state in a state mask (pss_session_list()). */
#define PSS_SESSION_STATE_BIT(state) (1u << (unsigned)(state))
/** Every state. */
#define PSS_SESSION_ANY_STATE 0xFFFFu

/** Version of ::pss_session_input this header describes. */
#define PSS_SESSION_INPUT_VERSION 2

/** Options for pss_session_create(). */
typedef struct pss_session_input {
    uint32_t version;           /**< ::PSS_SESSION_INPUT_VERSION (use ::PSS_SESSION_INPUT_INIT). */
    const char *id;             /**< UUID; NULL to generate one. */
    const char *operating_date; /**< "YYYY-MM-DD"; NULL: the clock's UTC date. */
    /* version 2 */
    const char *meta;           /**< Host metadata, a JSON object (possession/meta.h), or NULL. */
} pss_session_input;

/** Initializer for ::pss_session_input. */
#define PSS_SESSION_INPUT_INIT { PSS_SESSION_INPUT_VERSION, NULL, NULL, NULL }

/** Version of ::pss_opening_input this header describes. */
#define PSS_OPENING_INPUT_VERSION 1

/** The opening count for pss_session_open(). */
typedef struct pss_opening_input {
    uint32_t version;     /**< ::PSS_OPENING_INPUT_VERSION (use ::PSS_OPENING_INPUT_INIT). */
    int64_t counted_cash; /**< Cash counted in the drawer; required with cash control,
                               ::PSS_UNSET without (then the expected cash is taken; a
                               count given is checked, 0 to ::PSS_AMOUNT_MAX, but without
                               cash control the expected cash is still taken). */
    const char *note;     /**< Optional note. */
} pss_opening_input;

/** Initializer for ::pss_opening_input. */
#define PSS_OPENING_INPUT_INIT { PSS_OPENING_INPUT_VERSION, PSS_UNSET, NULL }

/**
 * Creates a session for a stored config, in state NEW, with the actor as responsible user.
 * Takes the config's single open-session slot through a storage claim, so that two tills
 * creating at once get one session and one ::PSS_EEXISTS naming the other session. The
 * expected opening cash is the counted closing cash of the config's last closed session.
 * @param ctx the context
 * @param config_id the stored config
 * @param actor a cashier or above
 * @param input NULL for defaults
 * @param out receives the session
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ECONFIG, ::PSS_EEXISTS (open session, or one-per-day),
 *         ::PSS_EACCESS, ::PSS_EINVAL or a storage error
 */
PSS_API int pss_session_create(pss_ctx *ctx, const char *config_id, const pss_actor *actor,
                               const pss_session_input *input, pss_session **out);

/**
 * NEW -> OPENING_CONTROL: the cashier starts counting the opening cash.
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @return 0, ::PSS_ESTATE, ::PSS_EACCESS, ::PSS_ELOCKED or a storage error
 */
PSS_API int pss_session_start_opening(pss_session *session, const pss_actor *actor);

/**
 * NEW or OPENING_CONTROL -> IN_PROGRESS, recording the counted opening cash. A difference
 * from the expected opening cash is recorded and posted at close like a closing difference.
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @param input the count
 * @return 0, ::PSS_ESTATE, ::PSS_EINVAL (count missing with cash control; negative or beyond
 *         ::PSS_AMOUNT_MAX whatever the config), ::PSS_EACCESS, ::PSS_ELOCKED or a storage
 *         error
 */
PSS_API int pss_session_open(pss_session *session, const pss_actor *actor,
                             const pss_opening_input *input);

/**
 * Makes the actor the responsible user and its device the lease holder. A manager may take
 * over at any time; another cashier only once the lease has expired.
 * @param session the session
 * @param actor the new responsible user
 * @return 0, ::PSS_EACCESS, ::PSS_ELOCKED, ::PSS_ECLOSED or a storage error
 */
PSS_API int pss_session_take_over(pss_session *session, const pss_actor *actor);

/**
 * Renews the device lease without doing anything else (a till idling between customers).
 * @param session the session
 * @param actor the responsible user on the leasing device
 * @return 0, ::PSS_EACCESS, ::PSS_ELOCKED, ::PSS_ECLOSED or a storage error
 */
PSS_API int pss_session_heartbeat(pss_session *session, const pss_actor *actor);

/**
 * Loads a session (resume): state and every running total as last committed.
 * @param ctx the context
 * @param id the session id
 * @param out receives the session
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_session_load(pss_ctx *ctx, const char *id, pss_session **out);

/**
 * Loads the config's session that is not closed (not counting rescue sessions).
 * @param ctx the context
 * @param config_id the config
 * @param out receives the session
 * @return 0, ::PSS_ENOTFOUND when none is open, or a storage error
 */
PSS_API int pss_session_find_open(pss_ctx *ctx, const char *config_id, pss_session **out);

/**
 * Reloads the handle from storage (another context may have changed the session).
 * Mutating calls do this on their own when needed.
 * @param session the session
 * @return 0, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_session_refresh(pss_session *session);

/**
 * Releases the handle. Order handles keep their session alive until they are freed too.
 * @param session the session, or NULL
 */
PSS_API void pss_session_free(pss_session *session);

/** A list of ids (sessions of a config, draft orders). */
typedef struct pss_strlist pss_strlist;

/**
 * Lists the ids of a config's sessions whose state is in state_mask, in creation order.
 * @param ctx the context
 * @param config_id the config
 * @param state_mask PSS_SESSION_STATE_BIT() values or'ed, or ::PSS_SESSION_ANY_STATE
 * @param out receives the list; free it with pss_strlist_free()
 * @return 0, ::PSS_EINVAL, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_session_list(pss_ctx *ctx, const char *config_id, unsigned state_mask,
                             pss_strlist **out);

/** Version of ::pss_session_query this header describes. */
#define PSS_SESSION_QUERY_VERSION 1

/** Which of a config's sessions pss_session_list_page() gives, and how many at a time. */
typedef struct pss_session_query {
    uint32_t version;      /**< ::PSS_SESSION_QUERY_VERSION (use ::PSS_SESSION_QUERY_INIT). */
    unsigned state_mask;   /**< PSS_SESSION_STATE_BIT() values or'ed, or ::PSS_SESSION_ANY_STATE. */
    const char *from_date; /**< First operating date "YYYY-MM-DD", inclusive; NULL: no limit. */
    const char *to_date;   /**< Last operating date, inclusive; NULL: no limit. */
    const char *after;     /**< Id of the last session of the previous page: the page starts
                                with the next older one. NULL for the first page. */
    size_t limit;          /**< Most sessions on a page, 1..::PSS_SESSION_PAGE_MAX. */
} pss_session_query;

/** Largest page of pss_session_list_page(). */
#define PSS_SESSION_PAGE_MAX 1000

/** Initializer for ::pss_session_query: every state and date, the first page of 100. */
#define PSS_SESSION_QUERY_INIT { PSS_SESSION_QUERY_VERSION, PSS_SESSION_ANY_STATE, NULL, NULL, NULL, 100 }

/**
 * Lists one page of a config's sessions, newest first: by operating date, then by creation
 * time, then by id, all descending (rescue sessions among the others, by their date). Only
 * sessions whose state is in the mask and whose date is in the range are listed. For the
 * next page pass the last id of this one as query->after; sessions created meanwhile are
 * newer, so paging neither repeats nor skips one. A back office lists a year of sessions a
 * page at a time; each page reads the config's session records once (O(sessions)).
 * @param ctx the context
 * @param config_id the config
 * @param query states, dates, cursor and page size
 * @param out receives the ids; free it with pss_strlist_free()
 * @param more receives 1 when older sessions that match follow this page, else 0 (may be NULL)
 * @return 0, ::PSS_EINVAL (a NULL argument, a bad date, from after to, a state mask that
 *         selects no state (0, or only bits no state has), a limit of 0 or beyond
 *         ::PSS_SESSION_PAGE_MAX), ::PSS_EVERSION, ::PSS_ENOTFOUND
 *         (after is not a session of this config), ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_session_list_page(pss_ctx *ctx, const char *config_id,
                                  const pss_session_query *query, pss_strlist **out, int *more);

/**
 * Number of strings in a list.
 * @param list the list
 * @return the count
 */
PSS_API size_t pss_strlist_count(const pss_strlist *list);

/**
 * One string of a list.
 * @param list the list
 * @param index 0 .. count - 1
 * @return the string, or NULL when out of range
 */
PSS_API const char *pss_strlist_get(const pss_strlist *list, size_t index);

/**
 * Frees a list.
 * @param list the list, or NULL
 */
PSS_API void pss_strlist_free(pss_strlist *list);

/**
 * The session's id.
 * @param session the session
 * @return the UUID text
 */
PSS_API const char *pss_session_id(const pss_session *session);

/**
 * The session's human name, made from the config code and a per-config sequence
 * ("POS-0001/00042"; rescue sessions "POS-0001/RESCUE-00003").
 * @param session the session
 * @return the name
 */
PSS_API const char *pss_session_name(const pss_session *session);

/**
 * The session's config id.
 * @param session the session
 * @return the UUID text
 */
PSS_API const char *pss_session_config_id(const pss_session *session);

/**
 * The config the session runs on (loaded with it; valid as long as the session).
 * @param session the session
 * @return the config
 */
PSS_API const pss_config *pss_session_config(const pss_session *session);

/**
 * The session's state.
 * @param session the session
 * @return the state
 */
PSS_API pss_session_state pss_session_state_of(const pss_session *session);

/**
 * The state's name as used in payloads and reports ("in_progress").
 * @param state a state
 * @return a static string
 */
PSS_API const char *pss_session_state_name(pss_session_state state);

/**
 * The responsible user.
 * @param session the session
 * @return the user id
 */
PSS_API const char *pss_session_user(const pss_session *session);

/**
 * The device holding the lease ("" when none).
 * @param session the session
 * @return the device id
 */
PSS_API const char *pss_session_lease_device(const pss_session *session);

/**
 * When the device lease expires.
 * @param session the session
 * @return milliseconds since the Unix epoch
 */
PSS_API int64_t pss_session_lease_expires(const pss_session *session);

/**
 * The operating date.
 * @param session the session
 * @return "YYYY-MM-DD"
 */
PSS_API const char *pss_session_operating_date(const pss_session *session);

/**
 * Whether this is a rescue session made for late orders.
 * @param session the session
 * @return 1 or 0
 */
PSS_API int pss_session_is_rescue(const pss_session *session);

/**
 * Opening figures.
 * @param session the session
 * @param expected receives the expected opening cash (may be NULL)
 * @param counted receives the counted opening cash, ::PSS_UNSET before opening (may be NULL)
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_session_opening(const pss_session *session, int64_t *expected, int64_t *counted);

/**
 * The session's balances, in O(1): current includes draft orders, posted only paid ones.
 * @param session the session
 * @param current receives the total of paid and draft orders (may be NULL)
 * @param posted receives the total of paid orders (may be NULL)
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_session_balance(const pss_session *session, int64_t *current, int64_t *posted);

/**
 * The cash expected in the drawer now: opening + cash payments - change + cash in - cash
 * out - expenses + corrections.
 * @param session the session
 * @param out receives the amount
 * @return 0, ::PSS_EINVAL or ::PSS_EOVERFLOW
 */
PSS_API int pss_session_expected_cash(const pss_session *session, int64_t *out);

/**
 * Counts of draft orders and pending payments (what blocks a close).
 * @param session the session
 * @param drafts receives the number of draft orders (may be NULL)
 * @param pending receives the number of pending payments (may be NULL)
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_session_blockers(const pss_session *session, size_t *drafts, size_t *pending);

/**
 * Lists the session's draft orders (what a resumed till picks up, and what blocks a close),
 * in the order they were started.
 * @param session the session
 * @param out receives the order ids; free with pss_strlist_free()
 * @return 0 or ::PSS_ENOMEM
 */
PSS_API int pss_session_drafts(const pss_session *session, pss_strlist **out);

/**
 * Recomputes every running total from the stored orders and cash movements and compares.
 * @param session the session
 * @return 0 when all agree, ::PSS_EMISMATCH naming the first differences, or a storage error
 */
PSS_API int pss_session_verify(pss_session *session);

#ifdef __cplusplus
}
#endif

#endif
