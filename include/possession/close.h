/* possession/close.h: the close flow: start closing, count the drawer (total or by
 * denomination, other methods too), close under the difference rule with overrides, reopen
 * for correction, and the audited force close for stuck sessions. */
#ifndef POSSESSION_CLOSE_H
#define POSSESSION_CLOSE_H

#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Closing: start, count, close, reopen, force close. */

/**
 * IN_PROGRESS -> CLOSING_CONTROL: no new orders or cash movements from now; pending
 * payments can still be confirmed or failed.
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @return 0, ::PSS_ESTATE, ::PSS_ECLOSED, access or storage errors
 */
PSS_API int pss_session_start_closing(pss_session *session, const pss_actor *actor);

/** A number of coins or notes of one value (a plain pair: never grows). */
typedef struct pss_denomination_count {
    int64_t value; /**< Coin or note value in minor units; must be one of the config's. */
    int64_t count; /**< How many, >= 0. */
} pss_denomination_count;

/** A counted total for a non-cash method (a plain pair: never grows). */
typedef struct pss_method_count {
    const char *method; /**< Method name from the config (not the cash method). */
    int64_t amount;     /**< Counted total, minor units (e.g. the card terminal's batch total). */
} pss_method_count;

/** Version of ::pss_count_input this header describes. */
#define PSS_COUNT_INPUT_VERSION 1

/** The closing count. Give the cash as a total or by denomination, not both. */
typedef struct pss_count_input {
    uint32_t version;                            /**< ::PSS_COUNT_INPUT_VERSION (use the INIT). */
    int64_t cash_total;                          /**< Counted cash, or ::PSS_UNSET. */
    const pss_denomination_count *denominations; /**< Counted coins and notes, or NULL. */
    size_t n_denominations;                      /**< Number of denomination entries. */
    const pss_method_count *methods;             /**< Counted non-cash totals, or NULL. */
    size_t n_methods;                            /**< Number of method entries. */
    const char *note;                            /**< Optional note. */
} pss_count_input;

/** Initializer for ::pss_count_input. */
#define PSS_COUNT_INPUT_INIT { PSS_COUNT_INPUT_VERSION, PSS_UNSET, NULL, 0, NULL, 0, NULL }

/**
 * Records the closing count in a CLOSING_CONTROL session (a new count replaces the last).
 * @param session the session
 * @param actor the responsible user (or a manager)
 * @param input the count
 * Without cash control the cash may be left out (a count of the non-cash methods only).
 * @return 0, ::PSS_EINVAL (unknown denomination or method, negative count, both total and
 *         denominations, neither when the config has cash control, cash counted on a config
 *         without a cash method), ::PSS_EOVERFLOW, ::PSS_ESTATE, access or storage errors
 */
PSS_API int pss_session_count(pss_session *session, const pss_actor *actor,
                              const pss_count_input *input);

/** Version of ::pss_close_input this header describes. */
#define PSS_CLOSE_INPUT_VERSION 1

/** Options for pss_session_close(). */
typedef struct pss_close_input {
    uint32_t version; /**< ::PSS_CLOSE_INPUT_VERSION (use ::PSS_CLOSE_INPUT_INIT). */
    const char *note; /**< Optional closing note. */
} pss_close_input;

/** Initializer for ::pss_close_input. */
#define PSS_CLOSE_INPUT_INIT { PSS_CLOSE_INPUT_VERSION, NULL }

/**
 * CLOSING_CONTROL -> CLOSED. Refused while orders are DRAFT (::PSS_EPENDING) or payments
 * PENDING (::PSS_EPAYPENDING), or without a count when the config has cash control. The
 * difference (counted - expected, per counted method) within the config's limit closes for
 * anyone; beyond it only the override role may close (else ::PSS_ELIMIT, detail "expected
 * 5000.00, counted 4850.00, difference -150.00, allowed 10.00"). Every attempt, refused or
 * not, is written to the audit trail. The journal entry is built, checked to balance and
 * stored in the same transaction that marks the session CLOSED; the config's open-session
 * slot is released. Two contexts closing at once give one CLOSED session and one entry; the
 * other gets ::PSS_ECLOSED.
 * @param session the session
 * @param actor the responsible user, or a manager
 * @param input NULL for defaults
 * @return 0, ::PSS_EPENDING, ::PSS_EPAYPENDING, ::PSS_ELIMIT, ::PSS_ESTATE, ::PSS_ECLOSED,
 *         ::PSS_EUNBALANCED, access or storage errors
 */
PSS_API int pss_session_close(pss_session *session, const pss_actor *actor,
                              const pss_close_input *input);

/**
 * CLOSING_CONTROL -> IN_PROGRESS ("reopen for correction"), audited. The count is dropped.
 * @param session the session
 * @param actor a manager
 * @param reason required reason
 * @return 0, ::PSS_ESTATE, ::PSS_EACCESS, ::PSS_EINVAL or a storage error
 */
PSS_API int pss_session_reopen(pss_session *session, const pss_actor *actor,
                               const char *reason);

/** Version of ::pss_force_close_input this header describes. */
#define PSS_FORCE_CLOSE_INPUT_VERSION 1

/** Options for pss_session_force_close(). */
typedef struct pss_force_close_input {
    uint32_t version;     /**< ::PSS_FORCE_CLOSE_INPUT_VERSION (use the INIT). */
    const char *reason;   /**< Why, required. */
    int void_pending;     /**< Non-zero: void pending payments with the reason; else they
                               must be resolved first (::PSS_EPAYPENDING). */
    int64_t counted_cash; /**< Counted cash, or ::PSS_UNSET: the last count, else expected
                               (the audit trail says which). */
} pss_force_close_input;

/** Initializer for ::pss_force_close_input. */
#define PSS_FORCE_CLOSE_INPUT_INIT { PSS_FORCE_CLOSE_INPUT_VERSION, NULL, 0, PSS_UNSET }

/**
 * Closes a stuck session from any state that is not CLOSED, as an admin: draft orders are
 * cancelled (their done payments voided) and listed in the audit trail; pending payments
 * are voided with the reason when asked, else refused. No difference limit applies; the
 * entry is posted as for a normal close.
 * @param session the session
 * @param actor an admin
 * @param input the reason and options
 * @return 0, ::PSS_EACCESS, ::PSS_EINVAL, ::PSS_ECLOSED, ::PSS_EPAYPENDING,
 *         ::PSS_EUNBALANCED or a storage error
 */
PSS_API int pss_session_force_close(pss_session *session, const pss_actor *actor,
                                    const pss_force_close_input *input);

#ifdef __cplusplus
}
#endif

#endif
