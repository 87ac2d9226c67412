/* config.c: the config handle: built from one Lua table (scalars, methods, taxes, categories,
 * denominations) or piece by piece, validated, saved, loaded, and its money helpers. */
#include "lpss.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void config_release(void *p)
{
    pss_config_free(p);
}

static void config_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "%s (%s)", pss_config_name(p), pss_config_id(p));
}

const lpss_type lpss_config_type = {"possession.config", config_release, config_describe};

static pss_config *check_config(lua_State *L, lpss_handle **h)
{
    *h = lpss_handle_check(L, 1, &lpss_config_type);
    return (*h)->ptr;
}

/* ---- reading the table ------------------------------------------------------------------- */

static const char *const config_fields[] = {
    "id", "name", "code", "currency", "currency_exponent", "cash_control", "max_difference",
    "override_role", "one_session_per_day", "tax_rounding", "rounding", "cash_rounding",
    "cash_rounding_increment", "cash_rounding_mode", "lease_seconds", "allow_zero_price",
    "late_orders", "allow_negative_drawer", "split_receivables", "allow_receiptless_returns",
    "receiptless_return_role", "income_account", "receivable_account", "difference_gain_account",
    "difference_loss_account", "cash_in_account", "cash_out_account", "expense_account",
    "rounding_gain_account", "rounding_loss_account", "methods", "taxes", "categories",
    "denominations", "meta", NULL};

static const char *const tax_rounding_names[] = {"per_line", "per_order", NULL};
static const int tax_rounding_values[] = {PSS_TAX_ROUND_PER_LINE, PSS_TAX_ROUND_PER_ORDER};
static const char *const cash_rounding_names[] = {"off", "cash", "all", NULL};
static const int cash_rounding_values[] = {PSS_CASH_ROUNDING_OFF, PSS_CASH_ROUNDING_CASH,
                                           PSS_CASH_ROUNDING_ALL};
static const char *const late_orders_names[] = {"route", "rescue", "refuse", NULL};
static const int late_orders_values[] = {PSS_LATE_ROUTE, PSS_LATE_RESCUE, PSS_LATE_REFUSE};
static const char *const method_kind_names[] = {"cash", "card", "other", NULL};
static const int method_kind_values[] = {PSS_METHOD_CASH, PSS_METHOD_CARD, PSS_METHOD_OTHER};

/* An int field: out-of-range values are clamped so that the library refuses them. */
static int in_small_int(const lpss_in *in, const char *field, int dflt)
{
    int64_t v = lpss_in_int(in, field, dflt, 0);
    return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

static void read_accounts(const lpss_in *in, pss_config_input *ci)
{
    ci->income_account = lpss_in_string(in, "income_account", 0);
    ci->receivable_account = lpss_in_string(in, "receivable_account", 0);
    ci->difference_gain_account = lpss_in_string(in, "difference_gain_account", 0);
    ci->difference_loss_account = lpss_in_string(in, "difference_loss_account", 0);
    ci->cash_in_account = lpss_in_string(in, "cash_in_account", 0);
    ci->cash_out_account = lpss_in_string(in, "cash_out_account", 0);
    ci->expense_account = lpss_in_string(in, "expense_account", 0);
    ci->rounding_gain_account = lpss_in_string(in, "rounding_gain_account", 0);
    ci->rounding_loss_account = lpss_in_string(in, "rounding_loss_account", 0);
}

static pss_config_input read_config(const lpss_in *in)
{
    pss_config_input ci = PSS_CONFIG_INPUT_INIT;
    ci.id = lpss_in_string(in, "id", 0);
    ci.name = lpss_in_string(in, "name", 0);
    ci.code = lpss_in_string(in, "code", 0);
    ci.currency = lpss_in_string(in, "currency", 0);
    ci.currency_exponent = in_small_int(in, "currency_exponent", ci.currency_exponent);
    ci.cash_control = lpss_in_bool(in, "cash_control", ci.cash_control);
    ci.max_difference = lpss_in_int(in, "max_difference", ci.max_difference, 0);
    ci.override_role = (pss_role)lpss_in_enum(in, "override_role", lpss_role_names,
                                              lpss_role_values, ci.override_role);
    ci.one_session_per_day = lpss_in_bool(in, "one_session_per_day", ci.one_session_per_day);
    ci.tax_rounding = (pss_tax_rounding)lpss_in_enum(in, "tax_rounding", tax_rounding_names,
                                                     tax_rounding_values, ci.tax_rounding);
    ci.rounding = (pss_rounding)lpss_in_enum(in, "rounding", lpss_rounding_names,
                                             lpss_rounding_values, ci.rounding);
    ci.cash_rounding = (pss_cash_rounding_scope)lpss_in_enum(
        in, "cash_rounding", cash_rounding_names, cash_rounding_values, ci.cash_rounding);
    ci.cash_rounding_increment =
        lpss_in_int(in, "cash_rounding_increment", ci.cash_rounding_increment, 0);
    ci.cash_rounding_mode = (pss_rounding)lpss_in_enum(
        in, "cash_rounding_mode", lpss_rounding_names, lpss_rounding_values,
        ci.cash_rounding_mode);
    ci.lease_seconds = lpss_in_int(in, "lease_seconds", ci.lease_seconds, 0);
    ci.allow_zero_price = lpss_in_bool(in, "allow_zero_price", ci.allow_zero_price);
    ci.late_orders = (pss_late_orders)lpss_in_enum(in, "late_orders", late_orders_names,
                                                   late_orders_values, ci.late_orders);
    ci.allow_negative_drawer =
        lpss_in_bool(in, "allow_negative_drawer", ci.allow_negative_drawer);
    ci.split_receivables = lpss_in_bool(in, "split_receivables", ci.split_receivables);
    ci.allow_receiptless_returns =
        lpss_in_bool(in, "allow_receiptless_returns", ci.allow_receiptless_returns);
    ci.receiptless_return_role =
        (pss_role)lpss_in_enum(in, "receiptless_return_role", lpss_role_names, lpss_role_values,
                               ci.receiptless_return_role);
    read_accounts(in, &ci);
    ci.meta = lpss_in_string(in, "meta", 0);
    return ci;
}

static const char *const method_fields[] = {"name", "kind", "account", "electronic", NULL};

static pss_method_input read_method(lua_State *L, int index, int anchor, const char *what)
{
    lpss_in in = lpss_in_open(L, index, anchor, what, 0);
    lpss_in_allow(&in, method_fields);
    pss_method_input m = PSS_METHOD_INPUT_INIT;
    m.name = lpss_in_string(&in, "name", 1);
    m.kind = (pss_method_kind)lpss_in_enum(&in, "kind", method_kind_names, method_kind_values, 0);
    if (!m.kind)
        luaL_error(L, "%s: field 'kind' is required", what);
    m.account = lpss_in_string(&in, "account", 0);
    m.electronic = lpss_in_bool(&in, "electronic", 0);
    return m;
}

static const char *const tax_fields[] = {"code",     "name",     "rate_ppm",     "included",
                                         "account",  "per_unit", "affects_base", NULL};

static pss_tax_input read_tax(lua_State *L, int index, int anchor, const char *what)
{
    lpss_in in = lpss_in_open(L, index, anchor, what, 0);
    lpss_in_allow(&in, tax_fields);
    pss_tax_input t = PSS_TAX_INPUT_INIT;
    t.code = lpss_in_string(&in, "code", 1);
    t.name = lpss_in_string(&in, "name", 0);
    t.rate_ppm = lpss_in_int(&in, "rate_ppm", 0, 0);
    t.included = lpss_in_bool(&in, "included", 0);
    t.account = lpss_in_string(&in, "account", 0);
    t.per_unit = lpss_in_int(&in, "per_unit", 0, 0);
    t.affects_base = lpss_in_bool(&in, "affects_base", 0);
    return t;
}

/* The nested lists of a config table, read in full before the library sees anything. */
typedef struct config_lists {
    pss_method_input *methods;
    size_t n_methods;
    pss_tax_input *taxes;
    size_t n_taxes;
    const char **categories; /* pairs: name, account, sorted by name */
    size_t n_categories;
    int64_t *denominations;
    size_t n_denominations;
} config_lists;

static void read_methods(const lpss_in *in, config_lists *l)
{
    lua_State *L = in->L;
    l->n_methods = lpss_in_list(in, "methods");
    int list = lua_gettop(L);
    l->methods = lpss_scratch(L, in->anchor, l->n_methods, sizeof *l->methods);
    for (size_t i = 0; i < l->n_methods; i++) {
        lua_geti(L, list, (lua_Integer)i + 1);
        lua_pushfstring(L, "method %d of config", (int)i + 1);
        l->methods[i] = read_method(L, -2, in->anchor, lpss_anchor_string(L, in->anchor, -1));
        lua_pop(L, 2);
    }
}

static void read_taxes(const lpss_in *in, config_lists *l)
{
    lua_State *L = in->L;
    l->n_taxes = lpss_in_list(in, "taxes");
    int list = lua_gettop(L);
    l->taxes = lpss_scratch(L, in->anchor, l->n_taxes, sizeof *l->taxes);
    for (size_t i = 0; i < l->n_taxes; i++) {
        lua_geti(L, list, (lua_Integer)i + 1);
        lua_pushfstring(L, "tax %d of config", (int)i + 1);
        l->taxes[i] = read_tax(L, -2, in->anchor, lpss_anchor_string(L, in->anchor, -1));
        lua_pop(L, 2);
    }
}

static int compare_pair(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* categories = {books = "Income:Books", ...}: added in name order, so that the config's
 * document does not depend on Lua's table order. */
static void read_categories(const lpss_in *in, config_lists *l)
{
    lua_State *L = in->L;
    if (lpss_in_list(in, "categories") == 0 && lua_isnil(L, -1))
        return;
    int map = lua_gettop(L);
    size_t n = 0;
    for (lua_pushnil(L); lua_next(L, map); lua_pop(L, 1))
        n++;
    l->categories = lpss_scratch(L, in->anchor, n, 2 * sizeof *l->categories);
    for (lua_pushnil(L); lua_next(L, map); lua_pop(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "config: categories maps category names to income accounts "
                          "(strings), got a %s to a %s",
                       luaL_typename(L, -2), luaL_typename(L, -1));
        l->categories[2 * l->n_categories] = lpss_anchor_string(L, in->anchor, -2);
        l->categories[2 * l->n_categories + 1] = lpss_anchor_string(L, in->anchor, -1);
        l->n_categories++;
    }
    qsort(l->categories, l->n_categories, 2 * sizeof *l->categories, compare_pair);
}

static void read_denominations(const lpss_in *in, config_lists *l)
{
    lua_State *L = in->L;
    l->n_denominations = lpss_in_list(in, "denominations");
    int list = lua_gettop(L);
    l->denominations = lpss_scratch(L, in->anchor, l->n_denominations, sizeof *l->denominations);
    for (size_t i = 0; i < l->n_denominations; i++) {
        lua_geti(L, list, (lua_Integer)i + 1);
        l->denominations[i] = lpss_check_int(L, -1, "denomination");
        lua_pop(L, 1);
    }
}

static int add_lists(pss_config *cfg, const config_lists *l)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < l->n_methods; i++)
        rc = pss_config_add_method(cfg, &l->methods[i]);
    for (size_t i = 0; !rc && i < l->n_taxes; i++)
        rc = pss_config_add_tax(cfg, &l->taxes[i]);
    for (size_t i = 0; !rc && i < l->n_categories; i++)
        rc = pss_config_add_category(cfg, l->categories[2 * i], l->categories[2 * i + 1]);
    for (size_t i = 0; !rc && i < l->n_denominations; i++)
        rc = pss_config_add_denomination(cfg, l->denominations[i]);
    return rc;
}

/* ---- making configs ---------------------------------------------------------------------- */

/* ctx:new_config(table) -> config */
int lpss_ctx_new_config(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    int anchor = lpss_anchor_new(L, 2);
    lpss_in in = lpss_in_open(L, 2, anchor, "config", 0);
    lpss_in_allow(&in, config_fields);
    pss_config_input ci = read_config(&in);
    config_lists lists;
    memset(&lists, 0, sizeof lists);
    read_methods(&in, &lists);
    read_taxes(&in, &lists);
    read_categories(&in, &lists);
    read_denominations(&in, &lists);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_config_type);
    pss_config *cfg = NULL;
    lpss_enter(L, c);
    int rc = pss_config_new(c->ctx, &ci, &cfg);
    h->ptr = cfg;
    if (!rc)
        rc = add_lists(cfg, &lists);
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail_discard(L, c, h, rc);
    return 1;
}

typedef int (*config_loader)(pss_ctx *ctx, const char *text, pss_config **out);

static int load_with(lua_State *L, config_loader load)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *text = luaL_checkstring(L, 2);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_config_type);
    pss_config *cfg = NULL;
    lpss_enter(L, c);
    int rc = load(c->ctx, text, &cfg);
    h->ptr = cfg;
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail_discard(L, c, h, rc);
    return 1;
}

static int load_by_id(pss_ctx *ctx, const char *id, pss_config **out)
{
    return pss_config_load(ctx, id, out);
}

static int load_from_json(pss_ctx *ctx, const char *json, pss_config **out)
{
    return pss_config_from_json(ctx, json, out);
}

int lpss_ctx_load_config(lua_State *L)
{
    return load_with(L, load_by_id);
}

int lpss_ctx_config_from_json(lua_State *L)
{
    return load_with(L, load_from_json);
}

/* ---- config methods ---------------------------------------------------------------------- */

static int config_add_method(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    pss_method_input m = read_method(L, 2, lpss_anchor_new(L, 2), "method");
    lpss_enter(L, h->owner);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, pss_config_add_method(cfg, &m)));
}

static int config_add_tax(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    pss_tax_input t = read_tax(L, 2, lpss_anchor_new(L, 2), "tax");
    lpss_enter(L, h->owner);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, pss_config_add_tax(cfg, &t)));
}

static int config_add_category(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    const char *category = luaL_checkstring(L, 2);
    const char *account = luaL_checkstring(L, 3);
    lpss_enter(L, h->owner);
    int rc = pss_config_add_category(cfg, category, account);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int config_add_denomination(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    int64_t value = lpss_check_int(L, 2, "denomination");
    lpss_enter(L, h->owner);
    int rc = pss_config_add_denomination(cfg, value);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int config_validate(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    lpss_enter(L, h->owner);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, pss_config_validate(cfg)));
}

static int config_save(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 2));
    lpss_enter(L, h->owner);
    int rc = pss_config_save(cfg, &actor);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int config_id(lua_State *L)
{
    lpss_handle *h;
    lua_pushstring(L, pss_config_id(check_config(L, &h)));
    return 1;
}

static int config_name(lua_State *L)
{
    lpss_handle *h;
    lua_pushstring(L, pss_config_name(check_config(L, &h)));
    return 1;
}

static int config_currency(lua_State *L)
{
    lpss_handle *h;
    lua_pushstring(L, pss_config_currency(check_config(L, &h)));
    return 1;
}

static int config_exponent(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, pss_config_exponent(check_config(L, &h)));
    return 1;
}

static int config_max_difference(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, (lua_Integer)pss_config_max_difference(check_config(L, &h)));
    return 1;
}

static int config_methods(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    size_t n = pss_config_method_count(cfg);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, pss_config_method_name(cfg, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int config_to_json(lua_State *L)
{
    lpss_handle *h;
    pss_config *cfg = check_config(L, &h);
    lpss_text *t = lpss_text_new(L);
    char *json = NULL;
    int rc = pss_config_to_json(cfg, &json);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    /* Copied into a collectable buffer first, so that a raise below leaks nothing. */
    rc = lpss_text_write(t, json, strlen(json));
    pss_free(h->owner->ctx, json);
    if (rc)
        return luaL_error(L, "not enough memory");
    lua_pushlstring(L, t->data, t->len);
    return 1;
}

void lpss_open_config(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"add_method", config_add_method},
        {"add_tax", config_add_tax},
        {"add_category", config_add_category},
        {"add_denomination", config_add_denomination},
        {"validate", config_validate},
        {"save", config_save},
        {"id", config_id},
        {"name", config_name},
        {"currency", config_currency},
        {"exponent", config_exponent},
        {"max_difference", config_max_difference},
        {"methods", config_methods},
        {"to_json", config_to_json},
        {"meta", lpss_config_meta},
        {"set_meta", lpss_config_set_meta},
        {NULL, NULL}};
    lpss_handle_register(L, &lpss_config_type, methods);
}
