/* possession/report.h: the closing summary and report of a session: expected cash and its
 * parts, totals per method, taxes, products, counts, who opened and closed and the
 * difference; readable at any time, and rendered as aligned plain text. */
#ifndef POSSESSION_REPORT_H
#define POSSESSION_REPORT_H

#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The closing summary and report. */

/** A snapshot of a session's figures. */
typedef struct pss_report pss_report;

/** Figures of a report (minor units unless noted). */
typedef enum pss_report_figure {
    PSS_FIG_OPENING_EXPECTED = 1,  /**< Expected opening cash. */
    PSS_FIG_OPENING_COUNTED = 2,   /**< Counted opening cash (::PSS_UNSET before opening). */
    PSS_FIG_OPENING_DIFFERENCE = 3,/**< Counted - expected at opening. */
    PSS_FIG_CASH_PAYMENTS = 4,     /**< Done cash payments (refunds paid out negative). */
    PSS_FIG_CHANGE = 5,            /**< Change given back. */
    PSS_FIG_CASH_IN = 6,           /**< Cash put in. */
    PSS_FIG_CASH_OUT = 7,          /**< Cash taken out. */
    PSS_FIG_EXPENSES = 8,          /**< Expenses paid from the drawer. */
    PSS_FIG_CORRECTIONS = 9,       /**< Signed corrections. */
    PSS_FIG_EXPECTED_CASH = 10,    /**< Opening + payments - change + in - out - expenses + corrections. */
    PSS_FIG_COUNTED_CASH = 11,     /**< Counted at close (::PSS_UNSET when not counted). */
    PSS_FIG_DIFFERENCE = 12,       /**< Counted - expected (0 when not counted). */
    PSS_FIG_ALLOWED = 13,          /**< The config's allowed difference. */
    PSS_FIG_ORDERS = 14,           /**< Paid sale orders (count). */
    PSS_FIG_REFUNDS = 15,          /**< Paid refund orders (count). */
    PSS_FIG_CANCELLED = 16,        /**< Cancelled orders (count). */
    PSS_FIG_DRAFTS = 17,           /**< Draft orders (count). */
    PSS_FIG_PENDING = 18,          /**< Pending payments (count). */
    PSS_FIG_POSTED_TOTAL = 19,     /**< Total of paid orders (the posted balance). */
    PSS_FIG_CURRENT_TOTAL = 20,    /**< Total of paid and draft orders. */
    PSS_FIG_ROUNDING = 21,         /**< Cash rounding (due - total), summed. */
    PSS_FIG_INVOICED = 22,         /**< Total of invoiced orders. */
    PSS_FIG_UNTAXED = 23,          /**< Paid orders' untaxed sales (refunds negative), not invoiced. */
    PSS_FIG_TAX = 24,              /**< Paid orders' taxes (refunds negative), not invoiced. */
    PSS_FIG_OPENED_AT = 25,        /**< When the session opened (ms since the epoch), or 0. */
    PSS_FIG_CLOSED_AT = 26,        /**< When it closed (ms since the epoch), or 0. */
    PSS_FIG_CREATED_AT = 27        /**< When it was created (ms since the epoch). */
} pss_report_figure;

/** Texts of a report. */
typedef enum pss_report_text {
    PSS_TEXT_SESSION_NAME = 1,   /**< "POS-0001/00042". */
    PSS_TEXT_SESSION_ID = 2,     /**< The session id. */
    PSS_TEXT_CONFIG_NAME = 3,    /**< The config's name. */
    PSS_TEXT_CURRENCY = 4,       /**< "EUR". */
    PSS_TEXT_OPERATING_DATE = 5, /**< "YYYY-MM-DD". */
    PSS_TEXT_STATE = 6,          /**< "closed". */
    PSS_TEXT_OPENED_BY = 7,      /**< Who opened it ("" before). */
    PSS_TEXT_CLOSED_BY = 8,      /**< Who closed it ("" before). */
    PSS_TEXT_RESPONSIBLE = 9,    /**< The responsible user. */
    PSS_TEXT_ENTRY_ID = 10,      /**< The journal entry ("" before the close). */
    PSS_TEXT_OPENING_NOTE = 11,  /**< Opening note or "". */
    PSS_TEXT_CLOSING_NOTE = 12   /**< Closing note or "". */
} pss_report_text;

/**
 * Takes a snapshot of the session's figures (O(methods + taxes + products), no order is read).
 * @param session the session
 * @param out receives the report; free with pss_report_free()
 * @return 0, ::PSS_EOVERFLOW or ::PSS_ENOMEM
 */
PSS_API int pss_session_report(pss_session *session, pss_report **out);

/**
 * Frees a report.
 * @param report the report, or NULL
 */
PSS_API void pss_report_free(pss_report *report);

/**
 * One figure.
 * @param report the report
 * @param figure which
 * @return the figure (0 for an unknown figure)
 */
PSS_API int64_t pss_report_get(const pss_report *report, pss_report_figure figure);

/**
 * One text.
 * @param report the report
 * @param text which
 * @return the text ("" for an unknown one); lives as long as the report
 */
PSS_API const char *pss_report_text_of(const pss_report *report, pss_report_text text);

/** Version of ::pss_report_method this header describes. */
#define PSS_REPORT_METHOD_VERSION 1

/** Totals of one payment method. */
typedef struct pss_report_method {
    uint32_t version;     /**< Set by the caller (use ::PSS_REPORT_METHOD_INIT). */
    const char *name;     /**< Method name. */
    const char *account;  /**< Its account. */
    int is_cash;          /**< 1 for the cash method. */
    int64_t payments;     /**< Number of done payments. */
    int64_t amount;       /**< Sum of done payments. */
    int64_t change;       /**< Change given from it. */
    int64_t net;          /**< amount - change. */
    int64_t expected;     /**< Expected count: the drawer for cash, net for others. */
    int64_t counted;      /**< Counted, or ::PSS_UNSET. */
    int64_t difference;   /**< counted - expected, or 0. */
} pss_report_method;

/** Initializer for ::pss_report_method. */
#define PSS_REPORT_METHOD_INIT { PSS_REPORT_METHOD_VERSION, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Number of payment methods in the report (every method of the config).
 * @param report the report
 * @return the count
 */
PSS_API size_t pss_report_method_count(const pss_report *report);

/**
 * One method's totals.
 * @param report the report
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_report_get_method(const pss_report *report, size_t index,
                                  pss_report_method *out);

/** Version of ::pss_report_tax this header describes. */
#define PSS_REPORT_TAX_VERSION 1

/** Totals of one tax (invoiced orders excluded). */
typedef struct pss_report_tax {
    uint32_t version;      /**< Set by the caller (use ::PSS_REPORT_TAX_INIT). */
    const char *code;      /**< Tax code. */
    const char *account;   /**< Tax account. */
    int64_t base;          /**< Sales base. */
    int64_t amount;        /**< Tax collected. */
    int64_t refund_base;   /**< Refunded base (negative). */
    int64_t refund_amount; /**< Tax refunded (negative). */
} pss_report_tax;

/** Initializer for ::pss_report_tax. */
#define PSS_REPORT_TAX_INIT { PSS_REPORT_TAX_VERSION, NULL, NULL, 0, 0, 0, 0 }

/**
 * Number of taxes in the report.
 * @param report the report
 * @return the count
 */
PSS_API size_t pss_report_tax_count(const pss_report *report);

/**
 * One tax's totals.
 * @param report the report
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_report_get_tax(const pss_report *report, size_t index, pss_report_tax *out);

/** Version of ::pss_report_product this header describes. */
#define PSS_REPORT_PRODUCT_VERSION 1

/** Quantities moved of one product (paid orders). */
typedef struct pss_report_product {
    uint32_t version;       /**< Set by the caller (use ::PSS_REPORT_PRODUCT_INIT). */
    const char *product_id; /**< Product id. */
    const char *name;       /**< Product name. */
    int64_t sold;           /**< Quantity sold, thousandths. */
    int64_t refunded;       /**< Quantity refunded, thousandths (positive). */
    int64_t net;            /**< sold - refunded: what left the shop. */
} pss_report_product;

/** Initializer for ::pss_report_product. */
#define PSS_REPORT_PRODUCT_INIT { PSS_REPORT_PRODUCT_VERSION, NULL, NULL, 0, 0, 0 }

/**
 * Number of products in the report.
 * @param report the report
 * @return the count
 */
PSS_API size_t pss_report_product_count(const pss_report *report);

/**
 * One product's quantities.
 * @param report the report
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_report_get_product(const pss_report *report, size_t index,
                                   pss_report_product *out);

/**
 * Renders the report as plain text with aligned columns (what a till prints at close).
 * @param report the report
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EIO or ::PSS_ENOMEM
 */
PSS_API int pss_report_write_text(const pss_report *report, pss_write_fn fn, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
