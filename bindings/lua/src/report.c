/* report.c: the report handle: a snapshot of a session's figures, texts, per-method, per-tax
 * and per-product totals, and the plain-text rendering a till prints at close. */
#include "lpss.h"

#include <string.h>

/* Names of pss_report_figure and pss_report_text values, indexed by value. */
static const char *const figure_names[] = {
    NULL,            "opening_expected", "opening_counted", "opening_difference",
    "cash_payments", "change",           "cash_in",         "cash_out",
    "expenses",      "corrections",      "expected_cash",   "counted_cash",
    "difference",    "allowed",          "orders",          "refunds",
    "cancelled",     "drafts",           "pending",         "posted_total",
    "current_total", "rounding",         "invoiced",        "untaxed",
    "tax",           "opened_at",        "closed_at",       "created_at"};
static const char *const text_names[] = {
    NULL,         "session_name", "session_id",   "config_name",  "currency",
    "operating_date", "state",    "opened_by",    "closed_by",    "responsible",
    "entry_id",   "opening_note", "closing_note"};

#define N_FIGURES (sizeof figure_names / sizeof figure_names[0])
#define N_TEXTS (sizeof text_names / sizeof text_names[0])

static void report_release(void *p)
{
    pss_report_free(p);
}

static void report_describe(lua_State *L, void *p)
{
    lua_pushstring(L, pss_report_text_of(p, PSS_TEXT_SESSION_NAME));
}

const lpss_type lpss_report_type = {"possession.report", report_release, report_describe};

static pss_report *check_report(lua_State *L, lpss_handle **h)
{
    *h = lpss_handle_check(L, 1, &lpss_report_type);
    return (*h)->ptr;
}

/* session:report() -> report */
int lpss_session_report(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    lpss_handle_push_owner(L, 1);
    lpss_handle *h = lpss_handle_new(L, -1, &lpss_report_type);
    pss_report *r = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_session_report(sh->ptr, &r);
    h->ptr = r;
    rc = lpss_leave(L, sh->owner, rc);
    return rc ? lpss_fail_discard(L, sh->owner, h, rc) : 1;
}

static void push_figure(lua_State *L, const pss_report *r, size_t figure)
{
    int64_t v = pss_report_get(r, (pss_report_figure)figure);
    if (v == PSS_UNSET)
        lua_pushnil(L);
    else
        lua_pushinteger(L, (lua_Integer)v);
}

/* report:get(name): a figure (nil when not given, like the counted cash before a count) or
 * a text, by name. */
static int report_get(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    const char *name = luaL_checkstring(L, 2);
    for (size_t i = 1; i < N_FIGURES; i++)
        if (strcmp(name, figure_names[i]) == 0) {
            push_figure(L, r, i);
            return 1;
        }
    for (size_t i = 1; i < N_TEXTS; i++)
        if (strcmp(name, text_names[i]) == 0) {
            lua_pushstring(L, pss_report_text_of(r, (pss_report_text)i));
            return 1;
        }
    return luaL_argerror(L, 2, lua_pushfstring(L, "no report figure or text named '%s'", name));
}

static int report_figures(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    lua_createtable(L, 0, (int)N_FIGURES);
    for (size_t i = 1; i < N_FIGURES; i++) {
        push_figure(L, r, i);
        lua_setfield(L, -2, figure_names[i]);
    }
    return 1;
}

static int report_texts(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    lua_createtable(L, 0, (int)N_TEXTS);
    for (size_t i = 1; i < N_TEXTS; i++)
        lpss_set_str(L, text_names[i], pss_report_text_of(r, (pss_report_text)i));
    return 1;
}

static int report_methods(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    size_t n = pss_report_method_count(r);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_report_method m = PSS_REPORT_METHOD_INIT;
        int rc = pss_report_get_method(r, i, &m);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 10);
        lpss_set_str(L, "name", m.name);
        lpss_set_str(L, "account", m.account);
        lpss_set_bool(L, "is_cash", m.is_cash);
        lpss_set_int(L, "payments", m.payments);
        lpss_set_int(L, "amount", m.amount);
        lpss_set_int(L, "change", m.change);
        lpss_set_int(L, "net", m.net);
        lpss_set_int(L, "expected", m.expected);
        lpss_set_amount(L, "counted", m.counted);
        lpss_set_int(L, "difference", m.difference);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int report_taxes(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    size_t n = pss_report_tax_count(r);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_report_tax t = PSS_REPORT_TAX_INIT;
        int rc = pss_report_get_tax(r, i, &t);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 6);
        lpss_set_str(L, "code", t.code);
        lpss_set_str(L, "account", t.account);
        lpss_set_int(L, "base", t.base);
        lpss_set_int(L, "amount", t.amount);
        lpss_set_int(L, "refund_base", t.refund_base);
        lpss_set_int(L, "refund_amount", t.refund_amount);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int report_products(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    size_t n = pss_report_product_count(r);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_report_product p = PSS_REPORT_PRODUCT_INIT;
        int rc = pss_report_get_product(r, i, &p);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 5);
        lpss_set_str(L, "product_id", p.product_id);
        lpss_set_str(L, "name", p.name);
        lpss_set_int(L, "sold", p.sold);
        lpss_set_int(L, "refunded", p.refunded);
        lpss_set_int(L, "net", p.net);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* report:text() -> the aligned plain text a till prints */
static int report_text(lua_State *L)
{
    lpss_handle *h;
    pss_report *r = check_report(L, &h);
    lpss_text *t = lpss_text_new(L);
    int rc = pss_report_write_text(r, lpss_text_write, t);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

void lpss_open_report(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"get", report_get},         {"figures", report_figures}, {"texts", report_texts},
        {"methods", report_methods}, {"taxes", report_taxes},     {"products", report_products},
        {"text", report_text},       {NULL, NULL}};
    lpss_handle_register(L, &lpss_report_type, methods);
}
