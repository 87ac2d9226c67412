/* config.c: building, checking, storing and loading register configs. The add functions
 * check each field's form; pss_config_validate() checks that the whole is complete, and
 * names the first thing missing. */
#include "config/config_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/actor.h"
#include "audit/audit.h"
#include "base/bounds.h"
#include "base/names.h"
#include "json/codec.h"
#include "json/jsonw.h"
#include "store/records.h"
#include "store/meta_record.h"
#include "store/store.h"

const char *const pss__account_slot_names[PSS_ACC_COUNT] = {
    "income", "receivable", "difference_gain", "difference_loss", "cash_in",
    "cash_out", "expense", "rounding_gain", "rounding_loss"};

static const char *const account_labels[PSS_ACC_COUNT] = {
    "income account", "receivable account", "difference gain account",
    "difference loss account", "cash in account", "cash out account", "expense account",
    "rounding gain account", "rounding loss account"};

#define MAX_RATE_PPM 10000000 /* 1000% */

void pss_config_free(pss_config *c)
{
    if (!c)
        return;
    pss_ctx *ctx = c->ctx;
    PSS_FREE(ctx, c->name);
    PSS_FREE(ctx, c->code);
    PSS_FREE(ctx, c->meta);
    for (int i = 0; i < PSS_ACC_COUNT; i++)
        PSS_FREE(ctx, c->accounts[i]);
    for (size_t i = 0; i < c->n_methods; i++) {
        PSS_FREE(ctx, c->methods[i].name);
        PSS_FREE(ctx, c->methods[i].account);
    }
    for (size_t i = 0; i < c->n_taxes; i++) {
        PSS_FREE(ctx, c->taxes[i].code);
        PSS_FREE(ctx, c->taxes[i].name);
        PSS_FREE(ctx, c->taxes[i].account);
    }
    for (size_t i = 0; i < c->n_categories; i++) {
        PSS_FREE(ctx, c->categories[i].name);
        PSS_FREE(ctx, c->categories[i].account);
    }
    PSS_FREE(ctx, c->methods);
    PSS_FREE(ctx, c->taxes);
    PSS_FREE(ctx, c->categories);
    PSS_FREE(ctx, c->denominations);
    PSS_FREE(ctx, c);
}

/* Copies an optional string; *dst stays NULL for NULL or "". */
static int dup_opt(pss_ctx *ctx, char **dst, const char *src)
{
    *dst = NULL;
    if (!src || !src[0])
        return 0;
    *dst = PSS_STRDUP(ctx, src);
    return *dst ? 0 : pss__oom(ctx);
}

static int check_currency(pss_ctx *ctx, const char *code, int exponent)
{
    if (!code || strlen(code) != 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' ||
        code[1] > 'Z' || code[2] < 'A' || code[2] > 'Z')
        return pss__fail(ctx, PSS_EINVAL, "currency '%s' is not a three-letter ISO 4217 code",
                         code ? code : "(null)");
    if (exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return pss__fail(ctx, PSS_EINVAL, "currency exponent %d is outside %d..%d", exponent,
                         PSS_EXPONENT_MIN, PSS_EXPONENT_MAX);
    return 0;
}

static bool rounding_valid(pss_rounding r)
{
    return r >= PSS_ROUND_HALF_UP && r <= PSS_ROUND_DOWN;
}

static int check_scalars(pss_ctx *ctx, const pss_config_input *in)
{
    int rc;
    if ((rc = pss__check_text(ctx, "config name", in->name, PSS_TEXT_REQUIRED, PSS_NAME_MAX)) ||
        (rc = pss__check_text(ctx, "config code", in->code, PSS_TEXT_REQUIRED, 32)) ||
        (rc = check_currency(ctx, in->currency, in->currency_exponent)))
        return rc;
    if (strchr(in->code, '/'))
        return pss__fail(ctx, PSS_EINVAL, "config code '%s' may not contain '/'", in->code);
    if (in->max_difference < 0)
        return pss__fail(ctx, PSS_EINVAL, "allowed cash difference %lld is negative",
                         (long long)in->max_difference);
    if (in->override_role < PSS_ROLE_CASHIER || in->override_role > PSS_ROLE_ADMIN)
        return pss__fail(ctx, PSS_EINVAL, "override role %d is not cashier, manager or admin",
                         (int)in->override_role);
    if (in->tax_rounding != PSS_TAX_ROUND_PER_LINE && in->tax_rounding != PSS_TAX_ROUND_PER_ORDER)
        return pss__fail(ctx, PSS_EINVAL, "tax rounding %d is not per line or per order",
                         (int)in->tax_rounding);
    if (!rounding_valid(in->rounding) || !rounding_valid(in->cash_rounding_mode))
        return pss__fail(ctx, PSS_EINVAL, "rounding mode is not one of half up, half even, "
                                          "up or down");
    if (in->cash_rounding < PSS_CASH_ROUNDING_OFF || in->cash_rounding > PSS_CASH_ROUNDING_ALL)
        return pss__fail(ctx, PSS_EINVAL, "cash rounding scope %d is not off, cash or all",
                         (int)in->cash_rounding);
    if (in->cash_rounding_increment < 0)
        return pss__fail(ctx, PSS_EINVAL, "cash rounding increment %lld is negative",
                         (long long)in->cash_rounding_increment);
    if ((rc = pss__check_amount(ctx, "the allowed cash difference", in->max_difference,
                                in->currency_exponent)) ||
        (rc = pss__check_amount(ctx, "the cash rounding increment", in->cash_rounding_increment,
                                in->currency_exponent)))
        return rc;
    if (in->lease_seconds <= 0 || in->lease_seconds > 86400 * 366)
        return pss__fail(ctx, PSS_EINVAL, "lease of %lld seconds is outside 1 s .. 1 year",
                         (long long)in->lease_seconds);
    if (in->version >= 2 && !pss__name_known(pss__late_orders_names, (int)in->late_orders))
        return pss__fail(ctx, PSS_EINVAL, "late-order policy %d is not route, rescue or refuse",
                         (int)in->late_orders);
    if (in->version >= 2 && (rc = pss__check_meta(ctx, "config meta", in->meta)))
        return rc;
    if (in->version >= 2 && (in->receiptless_return_role < PSS_ROLE_CASHIER ||
                             in->receiptless_return_role > PSS_ROLE_ADMIN))
        return pss__fail(ctx, PSS_EINVAL, "receipt-less return role %d is not cashier, manager "
                                          "or admin", (int)in->receiptless_return_role);
    const char *accounts[PSS_ACC_COUNT] = {
        in->income_account, in->receivable_account, in->difference_gain_account,
        in->difference_loss_account, in->cash_in_account, in->cash_out_account,
        in->expense_account, in->rounding_gain_account, in->rounding_loss_account};
    for (int i = 0; i < PSS_ACC_COUNT; i++)
        if ((rc = pss__check_account(ctx, account_labels[i], accounts[i], PSS_TEXT_OPTIONAL)))
            return rc;
    return 0;
}

static int fill_scalars(pss_config *c, const pss_config_input *in)
{
    pss_ctx *ctx = c->ctx;
    int rc;
    if (in->id) {
        if ((rc = pss__check_id(ctx, "config id", in->id, c->id)))
            return rc;
    } else {
        pss_id_generate(c->id);
    }
    if ((rc = dup_opt(ctx, &c->name, in->name)) || (rc = dup_opt(ctx, &c->code, in->code)) ||
        (in->version >= 2 && (rc = dup_opt(ctx, &c->meta, in->meta))))
        return rc;
    memcpy(c->currency, in->currency, 4);
    c->exponent = in->currency_exponent;
    c->cash_control = in->cash_control != 0;
    c->max_difference = in->max_difference;
    c->override_role = in->override_role;
    c->one_session_per_day = in->one_session_per_day != 0;
    c->tax_rounding = in->tax_rounding;
    c->rounding = in->rounding;
    c->cash_rounding = in->cash_rounding;
    c->cash_rounding_increment = in->cash_rounding_increment;
    c->cash_rounding_mode = in->cash_rounding_mode;
    c->lease_seconds = in->lease_seconds;
    c->allow_zero_price = in->allow_zero_price != 0;
    c->late_orders = in->version >= 2 ? in->late_orders : PSS_LATE_ROUTE;
    c->allow_negative_drawer = in->version >= 2 && in->allow_negative_drawer != 0;
    c->split_receivables = in->version >= 2 && in->split_receivables != 0;
    c->allow_receiptless_returns = in->version >= 2 && in->allow_receiptless_returns != 0;
    c->receiptless_return_role = in->version >= 2 ? in->receiptless_return_role
                                                  : PSS_ROLE_MANAGER;
    const char *accounts[PSS_ACC_COUNT] = {
        in->income_account, in->receivable_account, in->difference_gain_account,
        in->difference_loss_account, in->cash_in_account, in->cash_out_account,
        in->expense_account, in->rounding_gain_account, in->rounding_loss_account};
    for (int i = 0; i < PSS_ACC_COUNT; i++)
        if ((rc = dup_opt(ctx, &c->accounts[i], accounts[i])))
            return rc;
    return 0;
}

int pss_config_new(pss_ctx *ctx, const pss_config_input *input, pss_config **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    int rc = pss__check_version(ctx, input, input ? input->version : 0,
                                PSS_CONFIG_INPUT_VERSION, "pss_config_input");
    if (rc || (rc = check_scalars(ctx, input)))
        return rc;
    pss_config *c = PSS_CALLOC(ctx, 1, sizeof *c);
    if (!c)
        return pss__oom(ctx);
    c->ctx = ctx;
    if ((rc = fill_scalars(c, input))) {
        pss_config_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

const pss_method *pss__config_method(const pss_config *c, const char *name)
{
    for (size_t i = 0; name && i < c->n_methods; i++)
        if (strcmp(c->methods[i].name, name) == 0)
            return &c->methods[i];
    return NULL;
}

const pss_method *pss__config_cash_method(const pss_config *c)
{
    for (size_t i = 0; i < c->n_methods; i++)
        if (c->methods[i].kind == PSS_METHOD_CASH)
            return &c->methods[i];
    return NULL;
}

const pss_tax *pss__config_tax(const pss_config *c, const char *code)
{
    for (size_t i = 0; code && i < c->n_taxes; i++)
        if (strcmp(c->taxes[i].code, code) == 0)
            return &c->taxes[i];
    return NULL;
}

const char *pss__config_income_account(const pss_config *c, const char *category)
{
    if (!category || !category[0])
        return c->accounts[PSS_ACC_INCOME];
    for (size_t i = 0; i < c->n_categories; i++)
        if (strcmp(c->categories[i].name, category) == 0)
            return c->categories[i].account;
    return NULL;
}

bool pss__config_has_denomination(const pss_config *c, int64_t value)
{
    for (size_t i = 0; i < c->n_denominations; i++)
        if (c->denominations[i] == value)
            return true;
    return false;
}

void pss__config_method_names(const pss_config *c, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->n_methods && at < size; i++) {
        int n = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", c->methods[i].name);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

int pss_config_add_method(pss_config *c, const pss_method_input *in)
{
    if (!c)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_METHOD_INPUT_VERSION,
                                "pss_method_input");
    if (rc || (rc = pss__check_text(ctx, "payment method name", in->name, PSS_TEXT_REQUIRED,
                                    PSS_NAME_MAX)))
        return rc;
    if ((rc = pss__check_account(ctx, "payment method account", in->account, PSS_TEXT_OPTIONAL)))
        return rc;
    if (in->kind < PSS_METHOD_CASH || in->kind > PSS_METHOD_OTHER)
        return pss__fail(ctx, PSS_EINVAL, "payment method '%s' has kind %d, not cash, card "
                                          "or other", in->name, (int)in->kind);
    if (pss__config_method(c, in->name))
        return pss__fail(ctx, PSS_EINVAL, "payment method '%s' is already in config '%s'",
                         in->name, c->name);
    if (in->kind == PSS_METHOD_CASH && in->electronic)
        return pss__fail(ctx, PSS_EINVAL, "cash method '%s' cannot be electronic: cash is in "
                                          "the drawer when it is taken", in->name);
    const pss_method *cash = pss__config_cash_method(c);
    if (in->kind == PSS_METHOD_CASH && cash)
        return pss__fail(ctx, PSS_EINVAL, "config '%s' already has the cash method '%s'; a "
                                          "register has one cash drawer", c->name, cash->name);
    if (pss__grow(ctx->alloc, (void **)&c->methods, &c->cap_methods, c->n_methods + 1,
                  sizeof *c->methods))
        return pss__oom(ctx);
    pss_method *m = &c->methods[c->n_methods];
    memset(m, 0, sizeof *m);
    if ((rc = dup_opt(ctx, &m->name, in->name)) || (rc = dup_opt(ctx, &m->account, in->account))) {
        PSS_FREE(ctx, m->name);
        return rc;
    }
    m->kind = in->kind;
    m->electronic = in->electronic != 0;
    c->n_methods++;
    return 0;
}

/* A fixed tax has an amount per unit and no rate; only a tax added on top of the price may
 * join the base of the taxes after it. */
static int check_tax_kind(pss_config *c, const pss_tax_input *in)
{
    pss_ctx *ctx = c->ctx;
    if (in->per_unit < 0 || in->per_unit > PSS_AMOUNT_MAX)
        return pss__fail(ctx, PSS_EINVAL, "tax '%s' has %lld per unit, outside 0 to the bound "
                                          "of an amount", in->code, (long long)in->per_unit);
    if (in->per_unit && in->rate_ppm)
        return pss__fail(ctx, PSS_EINVAL, "tax '%s' has a rate and an amount per unit; a fixed "
                                          "tax has no rate", in->code);
    if (in->affects_base && in->included)
        return pss__fail(ctx, PSS_EINVAL, "tax '%s' is included in the price; only a tax "
                                          "added on top may affect the base of the taxes after "
                                          "it", in->code);
    return 0;
}

int pss_config_add_tax(pss_config *c, const pss_tax_input *in)
{
    if (!c)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_TAX_INPUT_VERSION,
                                "pss_tax_input");
    if (rc || (rc = pss__check_text(ctx, "tax code", in->code, PSS_TEXT_REQUIRED, 64)) ||
        (rc = pss__check_text(ctx, "tax name", in->name, PSS_TEXT_OPTIONAL, PSS_NAME_MAX)) ||
        (rc = pss__check_account(ctx, "tax account", in->account, PSS_TEXT_OPTIONAL)))
        return rc;
    if (strchr(in->code, ','))
        return pss__fail(ctx, PSS_EINVAL, "tax code '%s' may not contain ','", in->code);
    if (in->rate_ppm < 0 || in->rate_ppm > MAX_RATE_PPM)
        return pss__fail(ctx, PSS_EINVAL, "tax '%s' has rate %lld ppm, outside 0..%d", in->code,
                         (long long)in->rate_ppm, MAX_RATE_PPM);
    if (pss__config_tax(c, in->code))
        return pss__fail(ctx, PSS_EINVAL, "tax '%s' is already in config '%s'", in->code,
                         c->name);
    if (in->version >= 2 && (rc = check_tax_kind(c, in)))
        return rc;
    if (pss__grow(ctx->alloc, (void **)&c->taxes, &c->cap_taxes, c->n_taxes + 1, sizeof *c->taxes))
        return pss__oom(ctx);
    pss_tax *t = &c->taxes[c->n_taxes];
    memset(t, 0, sizeof *t);
    if ((rc = dup_opt(ctx, &t->code, in->code)) ||
        (rc = dup_opt(ctx, &t->name, in->name && in->name[0] ? in->name : in->code)) ||
        (rc = dup_opt(ctx, &t->account, in->account))) {
        PSS_FREE(ctx, t->code);
        PSS_FREE(ctx, t->name);
        return rc;
    }
    t->rate_ppm = in->rate_ppm;
    t->included = in->included != 0;
    t->per_unit = in->version >= 2 ? in->per_unit : 0;
    t->affects_base = in->version >= 2 && in->affects_base != 0;
    c->n_taxes++;
    return 0;
}

int pss_config_add_category(pss_config *c, const char *category, const char *income_account)
{
    if (!c)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    int rc;
    if ((rc = pss__check_text(ctx, "category", category, PSS_TEXT_REQUIRED, PSS_NAME_MAX)) ||
        (rc = pss__check_account(ctx, "category income account", income_account,
                                 PSS_TEXT_OPTIONAL)))
        return rc;
    for (size_t i = 0; i < c->n_categories; i++)
        if (strcmp(c->categories[i].name, category) == 0)
            return pss__fail(ctx, PSS_EINVAL, "category '%s' is already in config '%s'",
                             category, c->name);
    if (pss__grow(ctx->alloc, (void **)&c->categories, &c->cap_categories, c->n_categories + 1,
                  sizeof *c->categories))
        return pss__oom(ctx);
    pss_category *cat = &c->categories[c->n_categories];
    memset(cat, 0, sizeof *cat);
    if ((rc = dup_opt(ctx, &cat->name, category)) ||
        (rc = dup_opt(ctx, &cat->account, income_account))) {
        PSS_FREE(ctx, cat->name);
        return rc;
    }
    c->n_categories++;
    return 0;
}

int pss_config_add_denomination(pss_config *c, int64_t value)
{
    if (!c)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    if (value <= 0)
        return pss__fail(ctx, PSS_EINVAL, "denomination %lld is not positive", (long long)value);
    int rc = pss__check_amount(ctx, "a denomination", value, c->exponent);
    if (rc)
        return rc;
    if (pss__config_has_denomination(c, value))
        return pss__fail(ctx, PSS_EINVAL, "denomination %lld is already in config '%s'",
                         (long long)value, c->name);
    if (pss__grow(ctx->alloc, (void **)&c->denominations, &c->cap_denominations,
                  c->n_denominations + 1, sizeof *c->denominations))
        return pss__oom(ctx);
    c->denominations[c->n_denominations++] = value;
    return 0;
}

static int missing(pss_ctx *ctx, const pss_config *c, const char *what)
{
    return pss__fail(ctx, PSS_ECONFIG, "config '%s' has no %s", c->name, what);
}

static int validate_accounts(const pss_config *c)
{
    pss_ctx *ctx = c->ctx;
    const pss_account_slot always[] = {PSS_ACC_INCOME, PSS_ACC_RECEIVABLE, PSS_ACC_CASH_IN,
                                       PSS_ACC_CASH_OUT};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (!c->accounts[always[i]])
            return missing(ctx, c, account_labels[always[i]]);
    if (c->cash_control && !c->accounts[PSS_ACC_DIFF_GAIN])
        return missing(ctx, c, "difference gain account (needed with cash control)");
    if (c->cash_control && !c->accounts[PSS_ACC_DIFF_LOSS])
        return missing(ctx, c, "difference loss account (needed with cash control)");
    if (c->cash_rounding != PSS_CASH_ROUNDING_OFF) {
        if (c->cash_rounding_increment <= 0)
            return missing(ctx, c, "cash rounding increment (cash rounding is on)");
        if (!c->accounts[PSS_ACC_ROUND_GAIN])
            return missing(ctx, c, "rounding gain account (cash rounding is on)");
        if (!c->accounts[PSS_ACC_ROUND_LOSS])
            return missing(ctx, c, "rounding loss account (cash rounding is on)");
    }
    return 0;
}

static int validate_lists(const pss_config *c)
{
    pss_ctx *ctx = c->ctx;
    if (c->n_methods == 0)
        return missing(ctx, c, "payment method");
    for (size_t i = 0; i < c->n_methods; i++)
        if (!c->methods[i].account)
            return pss__fail(ctx, PSS_ECONFIG, "payment method '%s' has no account",
                             c->methods[i].name);
    if (c->cash_control && !pss__config_cash_method(c))
        return pss__fail(ctx, PSS_ECONFIG, "config '%s' has cash control but no cash payment "
                                           "method", c->name);
    for (size_t i = 0; i < c->n_taxes; i++)
        if (!c->taxes[i].account)
            return pss__fail(ctx, PSS_ECONFIG, "tax '%s' has no account", c->taxes[i].code);
    for (size_t i = 0; i < c->n_categories; i++)
        if (!c->categories[i].account)
            return pss__fail(ctx, PSS_ECONFIG, "category '%s' has no income account",
                             c->categories[i].name);
    return 0;
}

static int validate(const pss_config *c)
{
    int rc = validate_accounts(c);
    return rc ? rc : validate_lists(c);
}

int pss_config_validate(pss_config *c)
{
    if (!c)
        return PSS_EINVAL;
    pss__clear(c->ctx);
    return validate(c);
}

/* ---- payload ---- */

static void encode_methods(pss_jsonw *w, const pss_config *c)
{
    pss__jsonw_array(w, "methods");
    for (size_t i = 0; i < c->n_methods; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str(w, "name", c->methods[i].name);
        pss__jsonw_str(w, "kind", pss__name_of(pss__method_kind_names, c->methods[i].kind));
        pss__jsonw_str(w, "account", c->methods[i].account);
        pss__jsonw_bool(w, "electronic", c->methods[i].electronic);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
}

static void encode_taxes(pss_jsonw *w, const pss_config *c)
{
    pss__jsonw_array(w, "taxes");
    for (size_t i = 0; i < c->n_taxes; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str(w, "code", c->taxes[i].code);
        pss__jsonw_str(w, "name", c->taxes[i].name);
        pss__jsonw_int(w, "rate_ppm", c->taxes[i].rate_ppm);
        pss__jsonw_bool(w, "included", c->taxes[i].included);
        pss__jsonw_str(w, "account", c->taxes[i].account);
        if (c->taxes[i].per_unit) /* absent reads as 0: a rate */
            pss__jsonw_int(w, "per_unit", c->taxes[i].per_unit);
        if (c->taxes[i].affects_base) /* absent reads as false */
            pss__jsonw_bool(w, "affects_base", true);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
}

static void encode_lists(pss_jsonw *w, const pss_config *c)
{
    pss__jsonw_object(w, "accounts");
    for (int i = 0; i < PSS_ACC_COUNT; i++)
        pss__jsonw_str(w, pss__account_slot_names[i], c->accounts[i]);
    pss__jsonw_end(w);
    encode_methods(w, c);
    encode_taxes(w, c);
    pss__jsonw_array(w, "categories");
    for (size_t i = 0; i < c->n_categories; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str(w, "name", c->categories[i].name);
        pss__jsonw_str(w, "account", c->categories[i].account);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    pss__jsonw_array(w, "denominations");
    for (size_t i = 0; i < c->n_denominations; i++)
        pss__jsonw_int(w, NULL, c->denominations[i]);
    pss__jsonw_end(w);
}

/* The config's payload into buf (doc/storage.md, "config"). */
static int encode_config(pss_ctx *ctx, const pss_config *c, pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin_version(&w, buf, PSS_CONFIG_SCHEMA_VERSION);
    pss__jsonw_str(&w, "id", c->id);
    pss__jsonw_str(&w, "name", c->name);
    pss__jsonw_str(&w, "code", c->code);
    pss__jsonw_str(&w, "currency", c->currency);
    pss__jsonw_int(&w, "exponent", c->exponent);
    pss__jsonw_bool(&w, "cash_control", c->cash_control);
    pss__jsonw_int(&w, "max_difference", c->max_difference);
    pss__jsonw_str(&w, "override_role", pss__name_of(pss__role_names, c->override_role));
    pss__jsonw_bool(&w, "one_session_per_day", c->one_session_per_day);
    pss__jsonw_str(&w, "tax_rounding", pss__name_of(pss__tax_rounding_names, c->tax_rounding));
    pss__jsonw_str(&w, "rounding", pss__name_of(pss__rounding_names, c->rounding));
    pss__jsonw_object(&w, "cash_rounding");
    pss__jsonw_str(&w, "scope", pss__name_of(pss__cash_scope_names, c->cash_rounding));
    pss__jsonw_int(&w, "increment", c->cash_rounding_increment);
    pss__jsonw_str(&w, "mode", pss__name_of(pss__rounding_names, c->cash_rounding_mode));
    pss__jsonw_end(&w);
    pss__jsonw_int(&w, "lease_seconds", c->lease_seconds);
    pss__jsonw_bool(&w, "allow_zero_price", c->allow_zero_price);
    pss__jsonw_str(&w, "late_orders", pss__name_of(pss__late_orders_names, c->late_orders));
    pss__jsonw_bool(&w, "allow_negative_drawer", c->allow_negative_drawer);
    pss__jsonw_bool(&w, "split_receivables", c->split_receivables);
    pss__jsonw_bool(&w, "receiptless_returns", c->allow_receiptless_returns);
    pss__jsonw_str(&w, "receiptless_return_role",
                   pss__name_of(pss__role_names, c->receiptless_return_role));
    encode_lists(&w, c);
    return pss__jsonw_finish(ctx, &w);
}

/* The add functions fail with PSS_EINVAL; inside a stored record that means corruption. */
static int as_reader_error(pss_jr *r, int rc)
{
    if (rc && !r->rc) {
        char detail[PSS_ERRMSG_SIZE];
        snprintf(detail, sizeof detail, "%s", pss_ctx_errmsg(r->ctx));
        pss__jr_fail(r, "%s", detail);
    }
    return r->rc;
}

static void decode_scalars(pss_jr *r, json_t *doc, pss_config_input *in, json_t **acc)
{
    in->id = pss__jr_str(r, doc, "id");
    in->name = pss__jr_str(r, doc, "name");
    in->code = pss__jr_str(r, doc, "code");
    in->currency = pss__jr_str(r, doc, "currency");
    in->currency_exponent = (int)pss__jr_range(r, doc, "exponent", 0, 4);
    in->cash_control = pss__jr_bool(r, doc, "cash_control");
    in->max_difference = pss__jr_int(r, doc, "max_difference");
    in->override_role = (pss_role)pss__jr_enum(r, doc, "override_role", pss__role_names);
    in->one_session_per_day = pss__jr_bool(r, doc, "one_session_per_day");
    in->tax_rounding = (pss_tax_rounding)pss__jr_enum(r, doc, "tax_rounding", pss__tax_rounding_names);
    in->rounding = (pss_rounding)pss__jr_enum(r, doc, "rounding", pss__rounding_names);
    json_t *cr = pss__jr_object(r, doc, "cash_rounding");
    in->cash_rounding = (pss_cash_rounding_scope)pss__jr_enum(r, cr, "scope", pss__cash_scope_names);
    in->cash_rounding_increment = pss__jr_int(r, cr, "increment");
    in->cash_rounding_mode = (pss_rounding)pss__jr_enum(r, cr, "mode", pss__rounding_names);
    in->lease_seconds = pss__jr_int(r, doc, "lease_seconds");
    in->allow_zero_price = pss__jr_bool(r, doc, "allow_zero_price");
    /* absent before version 2: the behaviour configs had then */
    in->late_orders = (pss_late_orders)pss__jr_enum_or(r, doc, "late_orders",
                                                       pss__late_orders_names, PSS_LATE_ROUTE);
    in->allow_negative_drawer = pss__jr_bool_or(r, doc, "allow_negative_drawer", false);
    in->split_receivables = pss__jr_bool_or(r, doc, "split_receivables", false);
    in->allow_receiptless_returns = pss__jr_bool_or(r, doc, "receiptless_returns", false);
    in->receiptless_return_role = (pss_role)pss__jr_enum_or(
        r, doc, "receiptless_return_role", pss__role_names, PSS_ROLE_MANAGER);
    *acc = pss__jr_object(r, doc, "accounts");
    const char **slots[PSS_ACC_COUNT] = {
        &in->income_account, &in->receivable_account, &in->difference_gain_account,
        &in->difference_loss_account, &in->cash_in_account, &in->cash_out_account,
        &in->expense_account, &in->rounding_gain_account, &in->rounding_loss_account};
    for (int i = 0; i < PSS_ACC_COUNT; i++)
        *slots[i] = pss__jr_str_or_null(r, *acc, pss__account_slot_names[i]);
}

static int decode_methods(pss_jr *r, json_t *doc, pss_config *c)
{
    json_t *arr = pss__jr_array(r, doc, "methods");
    for (size_t i = 0; !r->rc && i < json_array_size(arr); i++) {
        json_t *m = pss__jr_item(r, arr, i, "methods");
        pss_method_input in = PSS_METHOD_INPUT_INIT;
        in.name = pss__jr_str(r, m, "name");
        in.kind = (pss_method_kind)pss__jr_enum(r, m, "kind", pss__method_kind_names);
        in.account = pss__jr_str_or_null(r, m, "account");
        in.electronic = pss__jr_bool(r, m, "electronic");
        if (!r->rc)
            as_reader_error(r, pss_config_add_method(c, &in));
    }
    return r->rc;
}

static int decode_taxes(pss_jr *r, json_t *doc, pss_config *c)
{
    json_t *arr = pss__jr_array(r, doc, "taxes");
    for (size_t i = 0; !r->rc && i < json_array_size(arr); i++) {
        json_t *t = pss__jr_item(r, arr, i, "taxes");
        pss_tax_input in = PSS_TAX_INPUT_INIT;
        in.code = pss__jr_str(r, t, "code");
        in.name = pss__jr_str_or_null(r, t, "name");
        in.rate_ppm = pss__jr_int(r, t, "rate_ppm");
        in.included = pss__jr_bool(r, t, "included");
        in.account = pss__jr_str_or_null(r, t, "account");
        in.per_unit = pss__jr_int_or(r, t, "per_unit", 0);
        in.affects_base = pss__jr_bool_or(r, t, "affects_base", false);
        if (!r->rc)
            as_reader_error(r, pss_config_add_tax(c, &in));
    }
    return r->rc;
}

static int decode_rest(pss_jr *r, json_t *doc, pss_config *c)
{
    json_t *cats = pss__jr_array(r, doc, "categories");
    for (size_t i = 0; !r->rc && i < json_array_size(cats); i++) {
        json_t *cat = pss__jr_item(r, cats, i, "categories");
        const char *name = pss__jr_str(r, cat, "name");
        const char *account = pss__jr_str_or_null(r, cat, "account");
        if (!r->rc)
            as_reader_error(r, pss_config_add_category(c, name, account));
    }
    json_t *denoms = pss__jr_array(r, doc, "denominations");
    for (size_t i = 0; !r->rc && i < json_array_size(denoms); i++) {
        json_t *d = json_array_get(denoms, i);
        if (!json_is_integer(d))
            return pss__jr_fail(r, "denominations[%zu] is not an integer", i);
        as_reader_error(r, pss_config_add_denomination(c, json_integer_value(d)));
    }
    return r->rc;
}

/* Decodes a payload (stored: reader code PSS_ECORRUPT; host JSON: PSS_EINVAL). */
static int decode_config(pss_ctx *ctx, pss_jr *r, const char *payload, size_t len,
                         pss_config **out)
{
    *out = NULL;
    r->max_version = PSS_CONFIG_SCHEMA_VERSION;
    json_t *doc = pss__jr_parse(r, payload, len);
    if (!doc)
        return r->rc;
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    json_t *acc = NULL;
    decode_scalars(r, doc, &in, &acc);
    pss_config *c = NULL;
    if (!r->rc)
        as_reader_error(r, pss_config_new(ctx, &in, &c));
    if (!r->rc && !decode_methods(r, doc, c) && !decode_taxes(r, doc, c))
        decode_rest(r, doc, c);
    json_decref(doc);
    if (r->rc) {
        pss_config_free(c);
        return r->rc;
    }
    *out = c;
    return 0;
}

int pss_config_to_json(const pss_config *c, char **out)
{
    if (!c || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    int rc = encode_config(ctx, c, &buf);
    if (rc) {
        pss__strbuf_free(&buf);
        return rc;
    }
    *out = buf.data;
    return 0;
}

int pss_config_from_json(pss_ctx *ctx, const char *json, pss_config **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    if (!json)
        return pss__fail(ctx, PSS_EINVAL, "config JSON is NULL");
    pss_jr r;
    pss__jr_init_input(&r, ctx, "config JSON");
    return decode_config(ctx, &r, json, strlen(json), out);
}

int pss__config_clone(pss_ctx *ctx, const pss_config *c, pss_config **out)
{
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    int rc = encode_config(ctx, c, &buf);
    if (!rc) {
        pss_jr r;
        pss__jr_init(&r, ctx, PSS__KIND_CONFIG, c->id);
        rc = decode_config(ctx, &r, buf.data, buf.len, out);
        if (!rc)
            (*out)->rev = c->rev;
    }
    pss__strbuf_free(&buf);
    return rc;
}

/* ---- storage ---- */

static int decode_config_record(pss_ctx *ctx, const pss_record *rec, void *out)
{
    pss_config **config = out;
    pss_jr r;
    pss__jr_init(&r, ctx, PSS__KIND_CONFIG, rec->id);
    int rc = decode_config(ctx, &r, rec->payload, rec->payload_len, config);
    if (!rc)
        (*config)->rev = rec->rev;
    return rc;
}

int pss__config_read(pss_ctx *ctx, const char *id, pss_config **out)
{
    *out = NULL;
    int rc = pss__get_decoded(ctx, PSS__KIND_CONFIG, id, decode_config_record, out);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ENOTFOUND, "config %s is not in the store", id);
    return rc;
}

int pss_config_load(pss_ctx *ctx, const char *id, pss_config **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char norm[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "config id", id, norm);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    rc = pss__config_read(ctx, norm, out);
    return pss__txn_end(ctx, rc);
}

static int refuse_if_session_open(pss_config *c)
{
    pss_ctx *ctx = c->ctx;
    const char *keys[2] = {PSS__CLAIM_OPEN, PSS__CLAIM_RESCUE};
    for (int i = 0; i < 2; i++) {
        char key[PSS_CLAIM_KEY_MAX], holder[PSS_ID_SIZE];
        pss__claim_key(key, sizeof key, keys[i], c->id);
        int rc = pss__lookup(ctx, key, holder, sizeof holder);
        if (rc == 0)
            return pss__fail(ctx, PSS_ESTATE,
                             "config '%s' has %s session %s that is not closed; close it "
                             "before changing the config (a session runs on one config)",
                             c->name, i ? "rescue" : "open", holder);
        if (rc != PSS_ENOTFOUND)
            return rc;
    }
    return 0;
}

static int write_config(pss_config *c, const pss_actor *actor, uint64_t *new_rev)
{
    pss_ctx *ctx = c->ctx;
    int rc = refuse_if_session_open(c);
    if (rc)
        return rc;
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    rc = encode_config(ctx, c, &buf);
    if (!rc) {
        rc = pss__put(ctx, PSS__KIND_CONFIG, c->id, "", buf.data, buf.len, c->rev, new_rev);
        if (rc == PSS_ECONFLICT && c->rev)
            rc = pss__fail(ctx, PSS_ECONFLICT,
                           "config '%s' was changed by someone else since it was loaded "
                           "(revision %llu); load it again", c->name, (unsigned long long)c->rev);
        else if (rc == PSS_ECONFLICT)
            rc = pss__fail(ctx, PSS_ECONFLICT,
                           "config '%s' (id %s) already exists; load it to change it", c->name,
                           c->id);
    }
    if (!rc && c->meta && c->rev == 0) /* the input's metadata, with the first save */
        rc = pss__meta_put(ctx, PSS_META_CONFIG, c->id, c->meta, &buf);
    pss__strbuf_free(&buf);
    if (!rc) {
        pss_audit_note note = PSS_AUDIT_NOTE_INIT;
        note.action = "config.save";
        note.config_id = c->id;
        rc = pss__audit(ctx, actor, &note);
    }
    return rc ? rc : pss__event(ctx, PSS_EVENT_CONFIG_SAVED, c->id, NULL, NULL, NULL);
}

int pss_config_save(pss_config *c, const pss_actor *actor)
{
    if (!c)
        return PSS_EINVAL;
    pss_ctx *ctx = c->ctx;
    pss__clear(ctx);
    int rc = pss__check_actor(ctx, actor, PSS_ROLE_MANAGER, "save a config");
    if (rc || (rc = validate(c)) || (rc = pss__txn_begin(ctx, true)))
        return rc;
    uint64_t rev = 0;
    rc = pss__txn_end(ctx, write_config(c, actor, &rev));
    if (!rc)
        c->rev = rev;
    return rc;
}

const char *pss_config_id(const pss_config *c)
{
    return c ? c->id : NULL;
}

const char *pss_config_name(const pss_config *c)
{
    return c ? c->name : NULL;
}

const char *pss_config_currency(const pss_config *c)
{
    return c ? c->currency : NULL;
}

int pss_config_exponent(const pss_config *c)
{
    return c ? c->exponent : 0;
}

int64_t pss_config_max_difference(const pss_config *c)
{
    return c ? c->max_difference : 0;
}

size_t pss_config_method_count(const pss_config *c)
{
    return c ? c->n_methods : 0;
}

const char *pss_config_method_name(const pss_config *c, size_t index)
{
    return c && index < c->n_methods ? c->methods[index].name : NULL;
}

int pss_config_parse_amount(const pss_config *c, const char *text, int64_t *out)
{
    if (!c)
        return PSS_EINVAL;
    pss__clear(c->ctx);
    int rc = pss_money_parse(text, c->exponent, out);
    if (rc == PSS_EINVAL)
        return pss__fail(c->ctx, rc, "'%s' is not an amount in %s (up to %d decimals)",
                         text ? text : "(null)", c->currency, c->exponent);
    if (rc)
        return pss__fail(c->ctx, rc, "'%s' is too large for a 64-bit amount", text);
    return 0;
}

int pss_config_format_amount(const pss_config *c, int64_t amount, char *buf, size_t size)
{
    if (!c)
        return PSS_EINVAL;
    return pss_money_format(amount, c->exponent, buf, size);
}
