/* possession/config.h: the config of a register (a POS profile): currency, payment methods,
 * taxes, accounts, cash control and the closing rules, validated in full before a session
 * opens and stored through the storage contract. */
#ifndef POSSESSION_CONFIG_H
#define POSSESSION_CONFIG_H

#include "common.h"
#include "ctx.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Register configs: methods, taxes, accounts, cash control, closing rules. */

/** A register's config. Build with pss_config_new() and the add functions, or load one. */
typedef struct pss_config pss_config;

/** Kind of a payment method. */
typedef enum pss_method_kind {
    PSS_METHOD_CASH = 1,  /**< Cash in the drawer: counted at close, gives change. At most one per config. */
    PSS_METHOD_CARD = 2,  /**< Card payments. */
    PSS_METHOD_OTHER = 3  /**< Vouchers, transfers, anything else. */
} pss_method_kind;

/** How taxes are rounded. */
typedef enum pss_tax_rounding {
    /** Each line's taxes are rounded, the order's taxes are the sum of the lines'. The default. */
    PSS_TAX_ROUND_PER_LINE = 1,
    /** Lines with the same income account and taxes are summed first, their taxes computed
     * and rounded once per order. */
    PSS_TAX_ROUND_PER_ORDER = 2
} pss_tax_rounding;

/** Which payments cash rounding applies to. */
typedef enum pss_cash_rounding_scope {
    PSS_CASH_ROUNDING_OFF = 0,  /**< No cash rounding. The default. */
    PSS_CASH_ROUNDING_CASH = 1, /**< What is left to pay is rounded when cash settles it. */
    PSS_CASH_ROUNDING_ALL = 2   /**< What is left to pay is rounded when any method settles it. */
} pss_cash_rounding_scope;

/**
 * Where an order goes that a till submits, made offline, to a session that no longer trades
 * (being counted, in CLOSING_CONTROL, or CLOSED). The session being counted takes no new
 * order under any policy (doc/close-flow.md, "Late orders").
 */
typedef enum pss_late_orders {
    /** To the config's open session while it trades, else to its rescue session (made when
     * there is none). The default. */
    PSS_LATE_ROUTE = 1,
    /** Always to the config's rescue session (made when there is none), even while another
     * session trades: late orders are kept apart for review. */
    PSS_LATE_RESCUE = 2,
    /** Refused: ::PSS_ESTATE while the session is counted, ::PSS_ECLOSED once it closed. */
    PSS_LATE_REFUSE = 3
} pss_late_orders;

/** Version of ::pss_config_input this header describes (2 added late_orders,
 * allow_negative_drawer, meta, split_receivables and the receipt-less return rules). */
#define PSS_CONFIG_INPUT_VERSION 2

/**
 * The scalar part of a config. Accounts are the host's account codes or names as they
 * should appear in the journal ("411000", "Assets:Cash:Till 1").
 */
typedef struct pss_config_input {
    uint32_t version;            /**< ::PSS_CONFIG_INPUT_VERSION (use ::PSS_CONFIG_INPUT_INIT). */
    const char *id;              /**< UUID; NULL to generate one. */
    const char *name;            /**< Display name, required ("Main register"). */
    const char *code;            /**< Short code prefixing session names, required ("POS-0001"). */
    const char *currency;        /**< ISO 4217 code, three upper-case letters, required. */
    int currency_exponent;       /**< Minor-unit exponent 0..4 (EUR 2, JPY 0). */
    int cash_control;            /**< Non-zero: opening and closing cash are counted. */
    int64_t max_difference;      /**< Largest |counted - expected| any cashier may close with (minor units, >= 0). */
    pss_role override_role;      /**< Role that may close beyond max_difference (default manager). */
    int one_session_per_day;     /**< Non-zero: at most one session per operating date. */
    pss_tax_rounding tax_rounding; /**< Per line (default) or per order. */
    pss_rounding rounding;       /**< Rule for line amounts, discounts and taxes (default half up). */
    pss_cash_rounding_scope cash_rounding; /**< Off (default), cash payments, or all payments. */
    int64_t cash_rounding_increment; /**< Step in minor units (5 rounds to 0.05) when on. */
    pss_rounding cash_rounding_mode; /**< Rule for cash rounding (default half up). */
    int64_t lease_seconds;       /**< How long a device holds a session without activity (default 900). */
    int allow_zero_price;        /**< Non-zero: lines may have a unit price of 0. */
    const char *income_account;          /**< Sales of products without a category, required. */
    const char *receivable_account;      /**< POS receivable credited for invoiced orders, required. */
    const char *difference_gain_account; /**< Cash over at opening or close, required with cash control. */
    const char *difference_loss_account; /**< Cash short at opening or close, required with cash control. */
    const char *cash_in_account;         /**< Default counterpart of cash put in, required. */
    const char *cash_out_account;        /**< Default counterpart of cash taken out, required. */
    const char *expense_account;         /**< Default counterpart of expenses paid from the drawer (optional). */
    const char *rounding_gain_account;   /**< Cash rounding in the shop's favour, required when rounding is on. */
    const char *rounding_loss_account;   /**< Cash rounding against the shop, required when rounding is on. */
    /* version 2 */
    pss_late_orders late_orders; /**< Where late orders go (default ::PSS_LATE_ROUTE). */
    int allow_negative_drawer;   /**< Non-zero: cash out, expenses and cash refunds may take
                                      more than the drawer holds; else they are refused with
                                      ::PSS_EDRAWER (the default). */
    const char *meta;            /**< Host metadata, a JSON object (possession/meta.h),
                                      written when the config is first saved; NULL: none. */
    int split_receivables;       /**< Non-zero: invoiced orders with a customer post their
                                      receivable per customer (a line each), as Odoo's split
                                      receivables; else one combined line (the default). */
    int allow_receiptless_returns; /**< Non-zero: an order may take back a product without a
                                        receipt (a negative line with no original, doc/
                                        concepts.md "Returns and exchanges"); default 0. */
    pss_role receiptless_return_role; /**< The role such a return takes (default manager). */
} pss_config_input;

/** Initializer for ::pss_config_input with the documented defaults. */
#define PSS_CONFIG_INPUT_INIT                                                                  \
    { PSS_CONFIG_INPUT_VERSION, NULL, NULL, NULL, NULL, 2, 1, 0, PSS_ROLE_MANAGER, 0,          \
      PSS_TAX_ROUND_PER_LINE, PSS_ROUND_HALF_UP, PSS_CASH_ROUNDING_OFF, 0, PSS_ROUND_HALF_UP,  \
      900, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, PSS_LATE_ROUTE, 0, NULL, 0, 0, PSS_ROLE_MANAGER }

/** Version of ::pss_method_input this header describes. */
#define PSS_METHOD_INPUT_VERSION 1

/** A payment method. */
typedef struct pss_method_input {
    uint32_t version;      /**< ::PSS_METHOD_INPUT_VERSION (use ::PSS_METHOD_INPUT_INIT). */
    const char *name;      /**< Unique name within the config, required ("Cash", "Card"). */
    pss_method_kind kind;  /**< Cash, card or other. */
    const char *account;   /**< Account its payments are debited to, required. */
    int electronic;        /**< Non-zero: payments start PENDING until the host confirms them. */
} pss_method_input;

/** Initializer for ::pss_method_input. */
#define PSS_METHOD_INPUT_INIT { PSS_METHOD_INPUT_VERSION, NULL, PSS_METHOD_CASH, NULL, 0 }

/** Version of ::pss_tax_input this header describes (2 added per_unit and affects_base). */
#define PSS_TAX_INPUT_VERSION 2

/** A tax lines can carry. Rates are in parts per million: 10% is 100000, 7.7% is 77000. A
 * fixed tax (a deposit, an eco-tax) is an amount per unit instead (doc/concepts.md, "Fixed
 * taxes and taxes on taxes"). */
typedef struct pss_tax_input {
    uint32_t version;     /**< ::PSS_TAX_INPUT_VERSION (use ::PSS_TAX_INPUT_INIT). */
    const char *code;     /**< Unique code lines refer to, required ("VAT10"). */
    const char *name;     /**< Display name (defaults to the code). */
    int64_t rate_ppm;     /**< Rate in parts per million, 0..10000000. */
    int included;         /**< Non-zero: the unit price includes this tax. */
    const char *account;  /**< Account the tax is credited to, required. */
    /* version 2 */
    int64_t per_unit;     /**< Non-zero: a fixed tax of this many minor units per unit
                               (1000 thousandths of quantity), with rate_ppm 0. */
    int affects_base;     /**< Non-zero: the tax's amount is added to the base of the taxes
                               listed after it on a line (only for a tax not included in the
                               price). */
} pss_tax_input;

/** Initializer for ::pss_tax_input. */
#define PSS_TAX_INPUT_INIT { PSS_TAX_INPUT_VERSION, NULL, NULL, 0, 0, NULL, 0, 0 }

/**
 * Starts a config from its scalar part. Only the fields' own form is checked here; the
 * whole config is checked by pss_config_validate(), pss_config_save() and session creation.
 * @param ctx the context
 * @param input the scalar part
 * @param out receives the config
 * @return 0, ::PSS_EINVAL, ::PSS_EVERSION or ::PSS_ENOMEM
 */
PSS_API int pss_config_new(pss_ctx *ctx, const pss_config_input *input, pss_config **out);

/**
 * Adds a payment method.
 * @param config the config
 * @param input the method
 * @return 0, ::PSS_EINVAL (bad field, duplicate name, a second cash method), ::PSS_EVERSION
 */
PSS_API int pss_config_add_method(pss_config *config, const pss_method_input *input);

/**
 * Adds a tax.
 * @param config the config
 * @param input the tax
 * @return 0, ::PSS_EINVAL (bad field, duplicate code), ::PSS_EVERSION
 */
PSS_API int pss_config_add_tax(pss_config *config, const pss_tax_input *input);

/**
 * Maps a product category to its income account; lines naming the category are credited
 * there, lines without a category to the config's income account.
 * @param config the config
 * @param category the category name
 * @param income_account its income account
 * @return 0 or ::PSS_EINVAL (bad text, duplicate category)
 */
PSS_API int pss_config_add_category(pss_config *config, const char *category,
                                    const char *income_account);

/**
 * Adds a coin or note value (minor units) the drawer can be counted in.
 * @param config the config
 * @param value positive value, unique
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_config_add_denomination(pss_config *config, int64_t value);

/**
 * Checks the whole config and names the first thing missing or wrong
 * ("payment method 'Card' has no account").
 * @param config the config
 * @return 0 or ::PSS_ECONFIG
 */
PSS_API int pss_config_validate(pss_config *config);

/**
 * Validates and stores the config (creates it, or updates the stored revision). Refused
 * while a session of this config is not closed: a session runs on one config throughout.
 * @param config the config
 * @param actor a manager or admin
 * @return 0, ::PSS_ECONFIG, ::PSS_EACCESS, ::PSS_ESTATE (a session is open),
 *         ::PSS_ECONFLICT (changed by someone else since loaded), or a storage error
 */
PSS_API int pss_config_save(pss_config *config, const pss_actor *actor);

/**
 * Loads a stored config.
 * @param ctx the context
 * @param id the config id
 * @param out receives the config
 * @return 0, ::PSS_ENOTFOUND, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_config_load(pss_ctx *ctx, const char *id, pss_config **out);

/**
 * Frees a config.
 * @param config the config, or NULL
 */
PSS_API void pss_config_free(pss_config *config);

/**
 * The config's id.
 * @param config the config
 * @return the UUID text
 */
PSS_API const char *pss_config_id(const pss_config *config);

/**
 * The config's display name.
 * @param config the config
 * @return the name
 */
PSS_API const char *pss_config_name(const pss_config *config);

/**
 * The ISO currency code.
 * @param config the config
 * @return for example "EUR"
 */
PSS_API const char *pss_config_currency(const pss_config *config);

/**
 * The currency's minor-unit exponent.
 * @param config the config
 * @return 0..4
 */
PSS_API int pss_config_exponent(const pss_config *config);

/**
 * The largest cash difference a cashier may close with.
 * @param config the config
 * @return minor units
 */
PSS_API int64_t pss_config_max_difference(const pss_config *config);

/**
 * Number of payment methods.
 * @param config the config
 * @return the count
 */
PSS_API size_t pss_config_method_count(const pss_config *config);

/**
 * Name of a payment method.
 * @param config the config
 * @param index 0 .. count - 1
 * @return the name, or NULL when index is out of range
 */
PSS_API const char *pss_config_method_name(const pss_config *config, size_t index);

/**
 * Parses an amount in the config's currency ("12.34").
 * @param config the config
 * @param text the decimal text
 * @param out receives minor units
 * @return 0, ::PSS_EINVAL or ::PSS_EOVERFLOW
 */
PSS_API int pss_config_parse_amount(const pss_config *config, const char *text, int64_t *out);

/**
 * Formats an amount in the config's currency ("-150.00").
 * @param config the config
 * @param amount minor units
 * @param buf receives the text
 * @param size size of buf (::PSS_MONEY_BUFSIZE suffices)
 * @return the length, or ::PSS_EINVAL
 */
PSS_API int pss_config_format_amount(const pss_config *config, int64_t amount, char *buf,
                                     size_t size);

/**
 * The config as the JSON document it is stored as (see doc/storage.md).
 * @param config the config
 * @param out receives a NUL-terminated string; free it with pss_free()
 * @return 0 or ::PSS_ENOMEM
 */
PSS_API int pss_config_to_json(const pss_config *config, char **out);

/**
 * Builds a config from the JSON document pss_config_to_json() writes (for hosts and
 * bindings that keep configs as data).
 * @param ctx the context
 * @param json the document
 * @param out receives the config
 * @return 0, ::PSS_EINVAL (not such a document, with the field named) or ::PSS_ENOMEM
 */
PSS_API int pss_config_from_json(pss_ctx *ctx, const char *json, pss_config **out);

#ifdef __cplusplus
}
#endif

#endif
