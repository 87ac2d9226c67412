/* possession/cash.h: cash movements of a session: cash in, cash out, expenses and
 * corrections, each with reason, actor, time and counterpart account; voidable while open. */
#ifndef POSSESSION_CASH_H
#define POSSESSION_CASH_H

#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Cash movements: in, out, expense, correction. */

/** Kind of a cash movement. */
typedef enum pss_cash_kind {
    PSS_CASH_IN = 1,        /**< Cash put into the drawer (change from the safe). Amount > 0. */
    PSS_CASH_OUT = 2,       /**< Cash taken out (to the safe, the bank). Amount > 0. */
    PSS_CASH_EXPENSE = 3,   /**< Cash paid for an expense (stamps, a delivery tip). Amount > 0. */
    PSS_CASH_CORRECTION = 4 /**< A signed correction of the expected cash. Amount != 0. */
} pss_cash_kind;

/** Version of ::pss_cash_input this header describes. */
#define PSS_CASH_INPUT_VERSION 2

/** A cash movement. */
typedef struct pss_cash_input {
    uint32_t version;    /**< ::PSS_CASH_INPUT_VERSION (use ::PSS_CASH_INPUT_INIT). */
    const char *id;      /**< UUID; NULL to generate one. */
    pss_cash_kind kind;  /**< Kind. */
    int64_t amount;      /**< Minor units (see the kinds for the sign). */
    const char *reason;  /**< Why, required. */
    const char *account; /**< Counterpart account; NULL or "": the config's default for the
                              kind (corrections and, without a config default, expenses need
                              one). */
    /* version 2 */
    const char *meta;    /**< Host metadata, a JSON object (possession/meta.h), or NULL. */
} pss_cash_input;

/** Initializer for ::pss_cash_input. */
#define PSS_CASH_INPUT_INIT { PSS_CASH_INPUT_VERSION, NULL, PSS_CASH_IN, 0, NULL, NULL, NULL }

/**
 * Records a cash movement in an IN_PROGRESS session. Cash out and expenses cannot take more
 * than the drawer holds (pss_session_expected_cash()) unless the config allows a negative
 * drawer: ::PSS_EDRAWER with the figures "holds" and "amount". A rescue session has no
 * drawer of its own: its movements are not weighed.
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @param input the movement
 * @param id_out receives the movement's id (may be NULL)
 * @return 0, ::PSS_EINVAL, ::PSS_ECONFIG (no account), ::PSS_ESTATE, ::PSS_ECLOSED,
 *         ::PSS_ECONFLICT (id exists), ::PSS_EOVERFLOW, ::PSS_EDRAWER, access or storage
 *         errors
 */
PSS_API int pss_cash_move(pss_session *session, const pss_actor *actor,
                          const pss_cash_input *input, char id_out[PSS_ID_SIZE]);

/**
 * Voids a cash movement while the session is not closed (IN_PROGRESS or CLOSING_CONTROL).
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @param movement_id the movement
 * @param reason required reason
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ESTATE (already voided), ::PSS_ECLOSED, access or
 *         storage errors
 */
PSS_API int pss_cash_void(pss_session *session, const pss_actor *actor, const char *movement_id,
                          const char *reason);

/** Version of ::pss_cash_info this header describes. */
#define PSS_CASH_INFO_VERSION 1

/** A recorded cash movement. Strings live as long as the list. */
typedef struct pss_cash_info {
    uint32_t version;     /**< Set by the caller to ::PSS_CASH_INFO_VERSION (use the INIT). */
    const char *id;       /**< Movement id. */
    pss_cash_kind kind;   /**< Kind. */
    int64_t amount;       /**< Minor units. */
    const char *reason;   /**< Reason. */
    const char *account;  /**< Counterpart account. */
    const char *user;     /**< Who recorded it. */
    int64_t time;         /**< When (ms since the epoch). */
    int voided;           /**< 1 when voided. */
    const char *void_reason; /**< Why it was voided, or NULL. */
} pss_cash_info;

/** Initializer for ::pss_cash_info. */
#define PSS_CASH_INFO_INIT { PSS_CASH_INFO_VERSION, NULL, (pss_cash_kind)0, 0, NULL, NULL, NULL, 0, 0, NULL }

/** The cash movements of a session. */
typedef struct pss_cash_list pss_cash_list;

/**
 * Loads the session's cash movements, in the order they were recorded.
 * @param session the session
 * @param out receives the list; free with pss_cash_list_free()
 * @return 0, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_cash_list_load(pss_session *session, pss_cash_list **out);

/**
 * Number of movements.
 * @param list the list
 * @return the count
 */
PSS_API size_t pss_cash_list_count(const pss_cash_list *list);

/**
 * One movement.
 * @param list the list
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_cash_list_get(const pss_cash_list *list, size_t index, pss_cash_info *out);

/**
 * Frees a list.
 * @param list the list, or NULL
 */
PSS_API void pss_cash_list_free(pss_cash_list *list);

/**
 * The kind's name ("expense").
 * @param kind a kind
 * @return a static string
 */
PSS_API const char *pss_cash_kind_name(pss_cash_kind kind);

#ifdef __cplusplus
}
#endif

#endif
