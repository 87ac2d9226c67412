/* possession/journal.h: the balanced journal entry a session posts at close, and its exports
 * as ledger/hledger journal text and as CSV. */
#ifndef POSSESSION_JOURNAL_H
#define POSSESSION_JOURNAL_H

#include "common.h"
#include "ctx.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Journal entries and their ledger and CSV exports. */

/** A posted journal entry (immutable). */
typedef struct pss_entry pss_entry;

/**
 * Loads the entry a closed session posted.
 * @param session a CLOSED session
 * @param out receives the entry; free with pss_entry_free()
 * @return 0, ::PSS_ESTATE (not closed), ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_session_entry(pss_session *session, pss_entry **out);

/**
 * Loads an entry by id.
 * @param ctx the context
 * @param entry_id the entry
 * @param out receives the entry
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_entry_load(pss_ctx *ctx, const char *entry_id, pss_entry **out);

/**
 * Frees an entry.
 * @param entry the entry, or NULL
 */
PSS_API void pss_entry_free(pss_entry *entry);

/**
 * The entry's id.
 * @param entry the entry
 * @return the UUID text
 */
PSS_API const char *pss_entry_id(const pss_entry *entry);

/**
 * The session that posted it.
 * @param entry the entry
 * @return the UUID text
 */
PSS_API const char *pss_entry_session_id(const pss_entry *entry);

/**
 * The reference: the session's name.
 * @param entry the entry
 * @return "POS-0001/00042"
 */
PSS_API const char *pss_entry_reference(const pss_entry *entry);

/**
 * The entry's date: the session's operating date.
 * @param entry the entry
 * @return "YYYY-MM-DD"
 */
PSS_API const char *pss_entry_date(const pss_entry *entry);

/**
 * The currency code.
 * @param entry the entry
 * @return "EUR"
 */
PSS_API const char *pss_entry_currency(const pss_entry *entry);

/**
 * The currency's exponent.
 * @param entry the entry
 * @return 0..4
 */
PSS_API int pss_entry_exponent(const pss_entry *entry);

/**
 * Sum of the debits (equal to the sum of the credits).
 * @param entry the entry
 * @return minor units
 */
PSS_API int64_t pss_entry_total(const pss_entry *entry);

/** Version of ::pss_entry_line this header describes. */
#define PSS_ENTRY_LINE_VERSION 1

/** One line of an entry: a debit or a credit, never both. Strings live as long as the entry. */
typedef struct pss_entry_line {
    uint32_t version;    /**< Set by the caller (use ::PSS_ENTRY_LINE_INIT). */
    const char *account; /**< Account. */
    int64_t debit;       /**< Minor units, or 0. */
    int64_t credit;      /**< Minor units, or 0. */
    const char *label;   /**< What the line is ("Sales VAT10", "Cash difference"). */
    const char *kind;    /**< "payment", "sales", "refund", "tax", "tax_refund", "receivable",
                              "cash_in", "cash_out", "expense", "correction", "rounding",
                              "opening_difference", "closing_difference". */
    const char *method;  /**< Payment method it came from, or NULL. */
    const char *tax;     /**< Tax codes it came from (comma-separated), or NULL. */
} pss_entry_line;

/** Initializer for ::pss_entry_line. */
#define PSS_ENTRY_LINE_INIT { PSS_ENTRY_LINE_VERSION, NULL, 0, 0, NULL, NULL, NULL, NULL }

/**
 * Number of lines.
 * @param entry the entry
 * @return the count
 */
PSS_API size_t pss_entry_line_count(const pss_entry *entry);

/**
 * One line.
 * @param entry the entry
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_entry_get_line(const pss_entry *entry, size_t index, pss_entry_line *out);

/**
 * The partner of a journal line: the customer of the invoiced orders a split receivable line
 * carries (config split_receivables), else NULL.
 * @param entry the entry
 * @param index 0 .. line count - 1
 * @return the customer id, or NULL
 */
PSS_API const char *pss_entry_line_partner(const pss_entry *entry, size_t index);

/** Version of ::pss_entry_product this header describes. */
#define PSS_ENTRY_PRODUCT_VERSION 1

/** Quantity of a product moved by the session (for the host's inventory). */
typedef struct pss_entry_product {
    uint32_t version;       /**< Set by the caller (use ::PSS_ENTRY_PRODUCT_INIT). */
    const char *product_id; /**< Product id. */
    const char *name;       /**< Product name. */
    int64_t quantity;       /**< Net quantity that left the shop, thousandths (sold - refunded). */
} pss_entry_product;

/** Initializer for ::pss_entry_product. */
#define PSS_ENTRY_PRODUCT_INIT { PSS_ENTRY_PRODUCT_VERSION, NULL, NULL, 0 }

/**
 * Number of products moved.
 * @param entry the entry
 * @return the count
 */
PSS_API size_t pss_entry_product_count(const pss_entry *entry);

/**
 * One product's quantity.
 * @param entry the entry
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_entry_get_product(const pss_entry *entry, size_t index, pss_entry_product *out);

/**
 * Writes the entry as one ledger/hledger transaction: date, reference, one posting per
 * line with the amount and currency code ("EUR 12.34" style, at the currency's exponent).
 * An entry without lines (a session with nothing to post) writes nothing: a ledger has no
 * empty transaction.
 * @param entry the entry
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EIO or ::PSS_ENOMEM
 */
PSS_API int pss_journal_write_ledger(const pss_entry *entry, pss_write_fn fn, void *userdata);

/**
 * Writes the entry as CSV (RFC 4180): a header row when header is non-zero, then one row
 * per line: entry_id, date, reference, account, debit, credit, currency, kind, label,
 * method, tax. An entry without lines writes no row (the header still, when asked).
 * @param entry the entry
 * @param header non-zero to write the header row
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EIO or ::PSS_ENOMEM
 */
PSS_API int pss_journal_write_csv(const pss_entry *entry, int header, pss_write_fn fn,
                                  void *userdata);

/**
 * Writes every entry of a config dated from..to (inclusive, "YYYY-MM-DD"; NULL for open
 * ends) as ledger text, in posting order; entries without lines are left out.
 * @param ctx the context
 * @param config_id the config
 * @param from first date, or NULL
 * @param to last date, or NULL
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EINVAL, ::PSS_EIO, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_journal_write_ledger_range(pss_ctx *ctx, const char *config_id,
                                           const char *from, const char *to, pss_write_fn fn,
                                           void *userdata);

/**
 * Writes every entry of a config dated from..to as CSV with one header row; entries
 * without lines give no row.
 * @param ctx the context
 * @param config_id the config
 * @param from first date, or NULL
 * @param to last date, or NULL
 * @param fn receives the text
 * @param userdata passed to fn
 * @return 0, ::PSS_EINVAL, ::PSS_EIO, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_journal_write_csv_range(pss_ctx *ctx, const char *config_id, const char *from,
                                        const char *to, pss_write_fn fn, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
