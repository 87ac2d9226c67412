/* config_internal.h: the config's layout, lookups used by sessions, orders and posting, and
 * its payload codec. */
#ifndef PSS_CONFIG_INTERNAL_H
#define PSS_CONFIG_INTERNAL_H

#include <stdbool.h>

#include "base/internal.h"
#include "base/text.h"

#define PSS_MAX_LINE_TAXES 8

typedef struct pss_method {
    char *name;
    pss_method_kind kind;
    char *account;
    bool electronic;
} pss_method;

typedef struct pss_tax {
    char *code;
    char *name;
    int64_t rate_ppm;
    bool included;
    char *account;
    int64_t per_unit; /* a fixed tax: minor units per unit; else 0 */
    bool affects_base; /* its amount joins the base of the taxes after it on a line */
} pss_tax;

typedef struct pss_category {
    char *name;
    char *account;
} pss_category;

/* Account slots of the config, in the order they appear in payloads. */
typedef enum pss_account_slot {
    PSS_ACC_INCOME,
    PSS_ACC_RECEIVABLE,
    PSS_ACC_DIFF_GAIN,
    PSS_ACC_DIFF_LOSS,
    PSS_ACC_CASH_IN,
    PSS_ACC_CASH_OUT,
    PSS_ACC_EXPENSE,
    PSS_ACC_ROUND_GAIN,
    PSS_ACC_ROUND_LOSS,
    PSS_ACC_COUNT
} pss_account_slot;

struct pss_config {
    pss_ctx *ctx;
    char id[PSS_ID_SIZE];
    char *name;
    char *code;
    char *meta; /* the input's host metadata, written by the first save */
    char currency[4];
    int exponent;
    bool cash_control;
    int64_t max_difference;
    pss_role override_role;
    bool one_session_per_day;
    pss_tax_rounding tax_rounding;
    pss_rounding rounding;
    pss_cash_rounding_scope cash_rounding;
    int64_t cash_rounding_increment;
    pss_rounding cash_rounding_mode;
    int64_t lease_seconds;
    bool allow_zero_price;
    pss_late_orders late_orders;
    bool allow_negative_drawer;
    bool split_receivables;
    bool allow_receiptless_returns;
    pss_role receiptless_return_role;
    char *accounts[PSS_ACC_COUNT];
    pss_method *methods;
    size_t n_methods, cap_methods;
    pss_tax *taxes;
    size_t n_taxes, cap_taxes;
    pss_category *categories;
    size_t n_categories, cap_categories;
    int64_t *denominations;
    size_t n_denominations, cap_denominations;
    uint64_t rev; /* stored revision; 0 when never saved */
};

extern const char *const pss__account_slot_names[PSS_ACC_COUNT];

const pss_method *pss__config_method(const pss_config *c, const char *name);
const pss_method *pss__config_cash_method(const pss_config *c);
const pss_tax *pss__config_tax(const pss_config *c, const char *code);
/* The income account of a category (NULL category: the config's income account); NULL when
 * the category is unknown. */
const char *pss__config_income_account(const pss_config *c, const char *category);
bool pss__config_has_denomination(const pss_config *c, int64_t value);
/* "Cash, Card" for messages. */
void pss__config_method_names(const pss_config *c, char *buf, size_t size);

/* Loads and decodes a stored config inside the current transaction. */
int pss__config_read(pss_ctx *ctx, const char *id, pss_config **out);
/* Deep copy (sessions keep their own). */
int pss__config_clone(pss_ctx *ctx, const pss_config *c, pss_config **out);

#endif
