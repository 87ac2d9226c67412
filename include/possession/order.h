/* possession/order.h: orders, their lines and taxes, payments, refunds, the invoiced flag,
 * and the offline submit (single and batch) with idempotent order ids. */
#ifndef POSSESSION_ORDER_H
#define POSSESSION_ORDER_H

#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Orders, lines, taxes, payments, refunds and the offline submit. */

/** An order handle. It keeps its session handle alive until freed. */
typedef struct pss_order pss_order;

/** Order states: DRAFT -> PAID -> DONE (when the session closes), or CANCELLED. */
typedef enum pss_order_state {
    PSS_ORDER_DRAFT = 1,    /**< Lines may change; payments may be added. */
    PSS_ORDER_PAID = 2,     /**< Done payments cover the amount due; final until the close. */
    PSS_ORDER_DONE = 3,     /**< Paid, and its session is closed and posted. */
    PSS_ORDER_CANCELLED = 4 /**< Cancelled; counts for nothing. */
} pss_order_state;

/** The bit of an order state in a mask of states (pss_order_list()). */
#define PSS_ORDER_STATE_BIT(state) (1u << (unsigned)(state))
/** A mask of every order state. */
#define PSS_ORDER_ANY_STATE 0xFFFFu

/** Payment states: PENDING -> DONE | FAILED, and VOIDED by the host. */
typedef enum pss_payment_state {
    PSS_PAYMENT_PENDING = 1, /**< An electronic payment waiting for the terminal. */
    PSS_PAYMENT_DONE = 2,    /**< Counts toward the order. */
    PSS_PAYMENT_FAILED = 3,  /**< The terminal refused it. */
    PSS_PAYMENT_VOIDED = 4   /**< Taken back before the order was paid. */
} pss_payment_state;

/** Version of ::pss_line_input this header describes. */
#define PSS_LINE_INPUT_VERSION 1

/**
 * An order line. Quantities are in thousandths (1 piece = 1000, 0.250 kg = 250); prices in
 * minor units; the discount in parts per million of the line's gross amount (10% = 100000).
 * A refund line gives refund_line (the original order's line index) and a negative
 * quantity; its product, price, discount and taxes are taken from the original line.
 */
typedef struct pss_line_input {
    uint32_t version;          /**< ::PSS_LINE_INPUT_VERSION (use ::PSS_LINE_INPUT_INIT). */
    const char *product_id;    /**< Product id, required (except on refund lines). */
    const char *product_name;  /**< Display name; defaults to the product id. */
    const char *category;      /**< Product category (income account from the config), or NULL. */
    int64_t quantity;          /**< Thousandths; non-zero; negative only on refund lines. */
    int64_t unit_price;        /**< Minor units; >= 0 (0 only if the config allows it). */
    int64_t discount_ppm;      /**< 0 .. 1000000. */
    const char *const *taxes;  /**< Tax codes from the config (may be NULL when n_taxes is 0). */
    size_t n_taxes;            /**< Number of tax codes (at most 8). */
    int64_t refund_line;       /**< Original line index for a refund line, else -1. */
} pss_line_input;

/** Initializer for ::pss_line_input: one piece, no discount, no tax, not a refund. */
#define PSS_LINE_INPUT_INIT { PSS_LINE_INPUT_VERSION, NULL, NULL, NULL, 1000, 0, 0, NULL, 0, -1 }

/** Version of ::pss_payment_input this header describes. */
#define PSS_PAYMENT_INPUT_VERSION 1

/** A payment. Amounts follow the sign of what is due: positive when the customer pays (a
 * sale, an exchange that costs more), negative when money goes back (a refund, an exchange
 * that gives back, an order whose taxes make it negative). */
typedef struct pss_payment_input {
    uint32_t version;        /**< ::PSS_PAYMENT_INPUT_VERSION (use ::PSS_PAYMENT_INPUT_INIT). */
    const char *method;      /**< Payment method name from the config, required. */
    int64_t amount;          /**< Minor units, non-zero. */
    pss_payment_state state; /**< 0: PENDING for electronic methods, DONE otherwise. A submit
                                  may say DONE for an electronic payment approved offline. */
    const char *reference;   /**< Optional terminal or voucher reference. */
} pss_payment_input;

/** Initializer for ::pss_payment_input. */
#define PSS_PAYMENT_INPUT_INIT { PSS_PAYMENT_INPUT_VERSION, NULL, 0, (pss_payment_state)0, NULL }

/** Version of ::pss_order_input this header describes. */
#define PSS_ORDER_INPUT_VERSION 2

/**
 * An order for pss_order_create() (lines only) or pss_session_submit() (lines and
 * payments). The elements of lines and payments must all carry the same version.
 */
typedef struct pss_order_input {
    uint32_t version;                  /**< ::PSS_ORDER_INPUT_VERSION (use ::PSS_ORDER_INPUT_INIT). */
    const char *id;                    /**< UUID made by the till; NULL to generate (not for submit). */
    const char *refund_of;             /**< Id of the order refunded, or NULL. */
    int invoiced;                      /**< Non-zero: the host invoices it (posting only). */
    const char *note;                  /**< Optional note. */
    const pss_line_input *lines;       /**< Lines, or NULL. */
    size_t n_lines;                    /**< Number of lines. */
    const pss_payment_input *payments; /**< Payments (submit only), or NULL. */
    size_t n_payments;                 /**< Number of payments. */
    /* version 2 */
    const char *meta;                  /**< Host metadata, a JSON object (possession/meta.h),
                                            or NULL; not part of the order's content. */
    int64_t discount_amount;           /**< Order discount in minor units (0: none), shared
                                            over the sale lines (doc/concepts.md, "Order
                                            discounts"); at most what the lines come to. */
    int64_t discount_ppm;              /**< Or the discount as parts per million of what the
                                            lines come to, 0..1000000; not with
                                            discount_amount, not on a refund. */
    const char *customer;              /**< The customer (partner) id the host knows, or
                                            NULL; with split receivables an invoiced order's
                                            receivable is posted under it. */
    const char *return_reason;         /**< Why products come back without a receipt;
                                            required when a line is such a return. */
} pss_order_input;

/** Initializer for ::pss_order_input. */
#define PSS_ORDER_INPUT_INIT { PSS_ORDER_INPUT_VERSION, NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, 0, 0, NULL, NULL }

/**
 * Creates a DRAFT order in an IN_PROGRESS session, with the given lines (payments are
 * added with pss_order_add_payment()).
 * @param session the session
 * @param actor the responsible user
 * @param input id, refund reference, invoiced flag, note, lines
 * @param out receives the order
 * @return 0, ::PSS_EINVAL, ::PSS_ESTATE, ::PSS_ECLOSED, ::PSS_EACCESS, ::PSS_ELOCKED,
 *         ::PSS_EREFUND, ::PSS_EOVERFLOW, ::PSS_ECONFLICT (id exists) or a storage error
 */
PSS_API int pss_order_create(pss_session *session, const pss_actor *actor,
                             const pss_order_input *input, pss_order **out);

/**
 * Adds a line to a DRAFT order.
 * @param order the order
 * @param actor the responsible user
 * @param line the line
 * @param index receives the line's index (may be NULL)
 * @return 0, ::PSS_EINVAL, ::PSS_ESTATE, ::PSS_EREFUND, ::PSS_EOVERFLOW, access or storage errors
 */
PSS_API int pss_order_add_line(pss_order *order, const pss_actor *actor,
                               const pss_line_input *line, size_t *index);

/**
 * Removes a line from a DRAFT order that has no payments yet.
 * @param order the order
 * @param actor the responsible user
 * @param index the line
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ESTATE, access or storage errors
 */
PSS_API int pss_order_remove_line(pss_order *order, const pss_actor *actor, size_t index);

/**
 * Adds a payment to a DRAFT order. When done payments cover the amount due the order
 * becomes PAID; cash beyond it is change. While a payment is PENDING no other is accepted.
 * With cash rounding, a payment of a method in scope settles the order when it reaches what
 * is left rounded to the increment (pss_order_totals::cash_due), which fixes the order's
 * rounding; a payment short of both the rest and the rounded rest is a part payment, one in
 * between is refused (doc/concepts.md, "Cash rounding").
 * @param order the order
 * @param actor the responsible user
 * @param payment the payment (amount within ::PSS_AMOUNT_MAX)
 * @param index receives the payment's index (may be NULL)
 * @return 0, ::PSS_EINVAL (bad field, beyond the bound, between the rest and the rounded
 *         rest), ::PSS_EOVERPAY, ::PSS_ESTATE (nothing due, a payment pending, the rest rounds
 *         to nothing), ::PSS_EOVERFLOW (the session's volume), ::PSS_EDRAWER (a refund in
 *         cash beyond what the drawer holds, unless the config allows a negative drawer),
 *         access or storage errors
 */
PSS_API int pss_order_add_payment(pss_order *order, const pss_actor *actor,
                                  const pss_payment_input *payment, size_t *index);

/**
 * PENDING -> DONE (the terminal approved). Allowed in IN_PROGRESS and CLOSING_CONTROL.
 * @param order the order
 * @param actor the responsible user or a manager
 * @param index the payment
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ESTATE, access or storage errors
 */
PSS_API int pss_order_confirm_payment(pss_order *order, const pss_actor *actor, size_t index);

/**
 * PENDING -> FAILED (the terminal refused).
 * @param order the order
 * @param actor the responsible user or a manager
 * @param index the payment
 * @param reason optional reason
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ESTATE, access or storage errors
 */
PSS_API int pss_order_fail_payment(pss_order *order, const pss_actor *actor, size_t index,
                                   const char *reason);

/**
 * PENDING or DONE -> VOIDED, on a DRAFT order (the money goes back to the customer).
 * @param order the order
 * @param actor the responsible user or a manager
 * @param index the payment
 * @param reason required reason
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ESTATE, ::PSS_EINVAL, access or storage errors
 */
PSS_API int pss_order_void_payment(pss_order *order, const pss_actor *actor, size_t index,
                                   const char *reason);

/**
 * Cancels a DRAFT order that has no done or pending payments (also while the drawer is
 * counted: drafts keep a session from closing).
 * @param order the order
 * @param actor the responsible user or a manager
 * @param reason required reason
 * @return 0, ::PSS_ESTATE, ::PSS_EINVAL, access or storage errors
 */
PSS_API int pss_order_cancel(pss_order *order, const pss_actor *actor, const char *reason);

/**
 * Marks a DRAFT order with lines and nothing due (a zero total) PAID, or, with cash
 * rounding, one whose rest rounds to nothing in cash (0.02 left with 0.05 steps: the rest
 * goes to rounding). Orders with an amount due become PAID by their payments; an order
 * without lines is never paid (cancel it).
 * @param order the order
 * @param actor the responsible user
 * @return 0, ::PSS_ESTATE (something is still due, or the order has no lines), access or
 *         storage errors
 */
PSS_API int pss_order_validate(pss_order *order, const pss_actor *actor);

/**
 * Sets or clears the invoiced flag of a DRAFT or PAID order before its session closes: its
 * sales and taxes are then posted by the host's invoice and the session credits its
 * payments to the POS receivable. The cash count does not change.
 * @param order the order
 * @param actor the responsible user or a manager
 * @param invoiced non-zero to set
 * @return 0, ::PSS_ESTATE, ::PSS_ECLOSED, access or storage errors
 */
PSS_API int pss_order_set_invoiced(pss_order *order, const pss_actor *actor, int invoiced);

/**
 * Lists the orders of a session whose state is in state_mask, by order number. States are
 * as pss_order_state_of() reads them: a paid order of a closed session is DONE. Reads the
 * session's order records once (O(orders)); the handle is first brought up to date.
 * @param session the session
 * @param state_mask PSS_ORDER_STATE_BIT() values or'ed, or ::PSS_ORDER_ANY_STATE
 * @param out receives the order ids; free it with pss_strlist_free()
 * @return 0, ::PSS_EINVAL (NULL, or a mask that selects no state: 0, or only bits no state
 *         has), ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_order_list(pss_session *session, unsigned state_mask, pss_strlist **out);

/**
 * Loads an order of the session (or any stored order when it belongs to another session
 * of the store: the handle then refers to that order's own session).
 * @param session a session of the same context
 * @param order_id the order
 * @param out receives the order
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_order_load(pss_session *session, const char *order_id, pss_order **out);

/**
 * Frees an order handle (and releases its session handle).
 * @param order the order, or NULL
 */
PSS_API void pss_order_free(pss_order *order);

/**
 * The order's id.
 * @param order the order
 * @return the UUID text
 */
PSS_API const char *pss_order_id(const pss_order *order);

/**
 * The id of the session the order belongs to.
 * @param order the order
 * @return the UUID text
 */
PSS_API const char *pss_order_session_id(const pss_order *order);

/**
 * The order's number within its session (1, 2, ...).
 * @param order the order
 * @return the number
 */
PSS_API int64_t pss_order_number(const pss_order *order);

/**
 * The order's state; a PAID order of a closed session reads as DONE.
 * @param order the order
 * @return the state
 */
PSS_API pss_order_state pss_order_state_of(const pss_order *order);

/**
 * The state's name ("paid").
 * @param state a state
 * @return a static string
 */
PSS_API const char *pss_order_state_name(pss_order_state state);

/**
 * The id of the order this one refunds.
 * @param order the order
 * @return the UUID text, or NULL when it is not a refund
 */
PSS_API const char *pss_order_refund_of(const pss_order *order);

/**
 * Whether the host invoices this order.
 * @param order the order
 * @return 1 or 0
 */
PSS_API int pss_order_is_invoiced(const pss_order *order);

/** Version of ::pss_order_totals this header describes. */
#define PSS_ORDER_TOTALS_VERSION 1

/** An order's figures, in minor units. */
typedef struct pss_order_totals {
    uint32_t version;  /**< Set by the caller to ::PSS_ORDER_TOTALS_VERSION (use the INIT). */
    int64_t untaxed;   /**< Sum of the lines without tax. */
    int64_t tax;       /**< Sum of the taxes. */
    int64_t total;     /**< untaxed + tax. */
    int64_t rounding;  /**< Cash rounding: due - total. */
    int64_t due;       /**< What the customer pays: total + rounding. */
    int64_t paid;      /**< Sum of DONE payments. */
    int64_t pending;   /**< Sum of PENDING payments. */
    int64_t change;    /**< Cash given back. */
    int64_t remaining; /**< due - paid - pending (0 once paid). */
    int64_t cash_due;  /**< What cash settles now: remaining, rounded by the config's cash
                            rounding when it applies (the amount to ask for in cash). */
} pss_order_totals;

/** Initializer for ::pss_order_totals. */
#define PSS_ORDER_TOTALS_INIT { PSS_ORDER_TOTALS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * The order's figures.
 * @param order the order
 * @param out filled up to its version
 * @return 0, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_order_get_totals(const pss_order *order, pss_order_totals *out);

/** Version of ::pss_line_info this header describes. */
#define PSS_LINE_INFO_VERSION 1

/** One line of an order, as computed. Strings live as long as the order handle. */
typedef struct pss_line_info {
    uint32_t version;         /**< Set by the caller to ::PSS_LINE_INFO_VERSION (use the INIT). */
    const char *product_id;   /**< Product id. */
    const char *product_name; /**< Product name. */
    const char *category;     /**< Category, or NULL. */
    const char *income_account; /**< Account the line's sales go to. */
    int64_t quantity;         /**< Thousandths. */
    int64_t unit_price;       /**< Minor units. */
    int64_t discount_ppm;     /**< Parts per million. */
    int64_t untaxed;          /**< Line amount without tax. */
    int64_t tax;              /**< Sum of the line's taxes. */
    int64_t total;            /**< untaxed + tax. */
    size_t n_taxes;           /**< Number of taxes on the line. */
    int64_t refund_line;      /**< Original line index for a refund line, else -1. */
} pss_line_info;

/** Initializer for ::pss_line_info. */
#define PSS_LINE_INFO_INIT { PSS_LINE_INFO_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, -1 }

/**
 * Number of lines.
 * @param order the order
 * @return the count
 */
PSS_API size_t pss_order_line_count(const pss_order *order);

/**
 * One line.
 * @param order the order
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_order_get_line(const pss_order *order, size_t index, pss_line_info *out);

/**
 * The code of one tax of a line.
 * @param order the order
 * @param line line index
 * @param tax tax index on that line
 * @return the code, or NULL when out of range
 */
PSS_API const char *pss_order_line_tax(const pss_order *order, size_t line, size_t tax);

/**
 * The order's customer (partner) id.
 * @param order the order
 * @return the id as given, or NULL when it has none
 */
PSS_API const char *pss_order_customer(const pss_order *order);

/**
 * Why the order takes products back without a receipt.
 * @param order the order
 * @return the reason as given, or NULL when it has none
 */
PSS_API const char *pss_order_return_reason(const pss_order *order);

/**
 * The order-level discount as it was given, and what it took off the lines in all.
 * @param order the order
 * @param amount receives the discount given as an amount, 0 when none or given as a percent
 *        (may be NULL)
 * @param ppm receives the discount given in parts per million, 0 when none (may be NULL)
 * @param applied receives the minor units it took off the lines, the sum of their shares
 *        (may be NULL)
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_order_get_discount(const pss_order *order, int64_t *amount, int64_t *ppm,
                                   int64_t *applied);

/**
 * One line's share of the order-level discount (doc/concepts.md, "Order discounts").
 * @param order the order
 * @param line line index
 * @return the share in minor units; 0 without an order discount or out of range
 */
PSS_API int64_t pss_order_line_discount_share(const pss_order *order, size_t line);

/** Version of ::pss_tax_info this header describes. */
#define PSS_TAX_INFO_VERSION 1

/** An order's total for one tax. */
typedef struct pss_tax_info {
    uint32_t version;    /**< Set by the caller to ::PSS_TAX_INFO_VERSION (use the INIT). */
    const char *code;    /**< Tax code. */
    const char *account; /**< Tax account. */
    int64_t rate_ppm;    /**< Rate in parts per million. */
    int included;        /**< 1 if price-included. */
    int64_t base;        /**< Amount the tax was computed on. */
    int64_t amount;      /**< Tax amount. */
} pss_tax_info;

/** Initializer for ::pss_tax_info. */
#define PSS_TAX_INFO_INIT { PSS_TAX_INFO_VERSION, NULL, NULL, 0, 0, 0, 0 }

/**
 * Number of distinct taxes on the order.
 * @param order the order
 * @return the count
 */
PSS_API size_t pss_order_tax_count(const pss_order *order);

/**
 * One tax total of the order.
 * @param order the order
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_order_get_tax(const pss_order *order, size_t index, pss_tax_info *out);

/** Version of ::pss_payment_info this header describes. */
#define PSS_PAYMENT_INFO_VERSION 1

/** One payment of an order. */
typedef struct pss_payment_info {
    uint32_t version;        /**< Set by the caller to ::PSS_PAYMENT_INFO_VERSION (use the INIT). */
    const char *method;      /**< Method name. */
    int64_t amount;          /**< Minor units. */
    pss_payment_state state; /**< State. */
    int64_t change;          /**< Change given back from this payment. */
    const char *reference;   /**< Reference, or NULL. */
} pss_payment_info;

/** Initializer for ::pss_payment_info. */
#define PSS_PAYMENT_INFO_INIT { PSS_PAYMENT_INFO_VERSION, NULL, 0, (pss_payment_state)0, 0, NULL }

/**
 * Number of payments (every state).
 * @param order the order
 * @return the count
 */
PSS_API size_t pss_order_payment_count(const pss_order *order);

/**
 * One payment.
 * @param order the order
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_order_get_payment(const pss_order *order, size_t index, pss_payment_info *out);

/**
 * The payment state's name ("pending").
 * @param state a state
 * @return a static string
 */
PSS_API const char *pss_payment_state_name(pss_payment_state state);

/** Version of ::pss_submit_result this header describes. */
#define PSS_SUBMIT_RESULT_VERSION 1

/** What happened to a submitted order. */
typedef struct pss_submit_result {
    uint32_t version;               /**< Set by the caller to ::PSS_SUBMIT_RESULT_VERSION (use the INIT). */
    int status;                     /**< 0, or the order's own error code (batch). */
    int duplicate;                  /**< 1: the same order was already stored; nothing changed. */
    int routed;                     /**< 1: the session was closed; the order went to another one. */
    int rescue;                     /**< 1: the session the order is recorded in is a rescue
                                         session (routed there, or submitted to it). */
    char order_id[PSS_ID_SIZE];     /**< The order's id. */
    char session_id[PSS_ID_SIZE];   /**< The session the order is recorded in. */
    pss_order_state state;          /**< The order's state after the submit (for a duplicate
                                         its recorded state: PAID even once closed). */
} pss_submit_result;

/** Initializer for ::pss_submit_result. */
#define PSS_SUBMIT_RESULT_INIT { PSS_SUBMIT_RESULT_VERSION, 0, 0, 0, 0, "", "", (pss_order_state)0 }

/**
 * Records a complete order (lines and payments) made offline by a till, in one call.
 * Submitting the same id with the same content again succeeds and changes nothing
 * (duplicate = 1); the same id with other content is ::PSS_ECONFLICT. If the session no
 * longer trades (CLOSING_CONTROL or CLOSED) the order is late and goes where the config's
 * ::pss_late_orders policy sends it (its open session or a rescue session made for it), or is
 * refused; result says where. The order is PAID when its done payments cover it, else DRAFT.
 * A refund paid in cash beyond what the drawer holds is ::PSS_EDRAWER (unless the config
 * allows a negative drawer); a late order's is not weighed (its cash changed hands offline),
 * nor is anything recorded in a rescue session, which has no drawer of its own.
 * @param session the session the till recorded the order in
 * @param actor the user submitting (a sync service may act as cashier)
 * @param input the order; id required
 * @param result filled with the outcome (may be NULL)
 * @return 0 or the error (also in result->status)
 */
PSS_API int pss_session_submit(pss_session *session, const pss_actor *actor,
                               const pss_order_input *input, pss_submit_result *result);

/**
 * Submits many orders in one storage transaction (the fast path for a till syncing after
 * being offline). Each order gets its own status in results; orders with an error are left
 * out, the others are recorded. Returns an error only when no order could be answered (a
 * storage failure, a role that may not submit, a wrong session state for a batch of new
 * orders only): then every status carries it. Orders already recorded are answered in every
 * state; beside them a new order to a session that does not trade gets ::PSS_ESTATE.
 * @param session the session the till recorded the orders in
 * @param actor the user submitting
 * @param orders the orders
 * @param n number of orders (at most 100000)
 * @param results n results (each initialized with ::PSS_SUBMIT_RESULT_INIT)
 * @param accepted receives the number of orders recorded or found duplicate (may be NULL)
 * @return 0 or the error that stopped the whole batch
 */
PSS_API int pss_session_submit_batch(pss_session *session, const pss_actor *actor,
                                     const pss_order_input *const *orders, size_t n,
                                     pss_submit_result *results, size_t *accepted);

#ifdef __cplusplus
}
#endif

#endif
