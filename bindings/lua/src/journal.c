/* journal.c: the entry handle (the balanced journal entry a closed session posted): its lines
 * and products, and the ledger and CSV exports of one entry or of a config's date range. */
#include "lpss.h"

static void entry_release(void *p)
{
    pss_entry_free(p);
}

static void entry_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "%s %s (%s)", pss_entry_reference(p), pss_entry_date(p),
                    pss_entry_id(p));
}

const lpss_type lpss_entry_type = {"possession.entry", entry_release, entry_describe};

static pss_entry *check_entry(lua_State *L, lpss_handle **h)
{
    *h = lpss_handle_check(L, 1, &lpss_entry_type);
    return (*h)->ptr;
}

/* session:entry() -> entry (the session must be closed) */
int lpss_session_entry(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    lpss_handle_push_owner(L, 1);
    lpss_handle *h = lpss_handle_new(L, -1, &lpss_entry_type);
    pss_entry *e = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_session_entry(sh->ptr, &e);
    h->ptr = e;
    rc = lpss_leave(L, sh->owner, rc);
    return rc ? lpss_fail_discard(L, sh->owner, h, rc) : 1;
}

/* ctx:load_entry(id) -> entry */
int lpss_ctx_load_entry(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *id = luaL_checkstring(L, 2);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_entry_type);
    pss_entry *e = NULL;
    lpss_enter(L, c);
    int rc = pss_entry_load(c->ctx, id, &e);
    h->ptr = e;
    rc = lpss_leave(L, c, rc);
    return rc ? lpss_fail_discard(L, c, h, rc) : 1;
}

typedef int (*range_writer)(pss_ctx *ctx, const char *config_id, const char *from,
                            const char *to, pss_write_fn fn, void *userdata);

/* ctx:ledger(config_id [, from [, to]]) and ctx:csv(...): dates "YYYY-MM-DD", nil for open. */
static int write_range(lua_State *L, range_writer write)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    const char *from = luaL_optstring(L, 3, NULL);
    const char *to = luaL_optstring(L, 4, NULL);
    lpss_text *t = lpss_text_new(L);
    lpss_enter(L, c);
    int rc = write(c->ctx, config_id, from, to, lpss_text_write, t);
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

int lpss_ctx_ledger(lua_State *L)
{
    return write_range(L, pss_journal_write_ledger_range);
}

int lpss_ctx_csv(lua_State *L)
{
    return write_range(L, pss_journal_write_csv_range);
}

#define STRING_GETTER(method, fn)                                                              \
    static int method(lua_State *L)                                                            \
    {                                                                                          \
        lpss_handle *h;                                                                        \
        lua_pushstring(L, fn(check_entry(L, &h)));                                             \
        return 1;                                                                              \
    }

STRING_GETTER(entry_id, pss_entry_id)
STRING_GETTER(entry_session_id, pss_entry_session_id)
STRING_GETTER(entry_reference, pss_entry_reference)
STRING_GETTER(entry_date, pss_entry_date)
STRING_GETTER(entry_currency, pss_entry_currency)

static int entry_exponent(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, pss_entry_exponent(check_entry(L, &h)));
    return 1;
}

static int entry_total(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, (lua_Integer)pss_entry_total(check_entry(L, &h)));
    return 1;
}

/* entry:lines() -> {{account=, debit=, credit=, label=, kind=, method=, tax=, partner=}, ...}
 * (partner: the customer of a split receivable line) */
static int entry_lines(lua_State *L)
{
    lpss_handle *h;
    pss_entry *e = check_entry(L, &h);
    size_t n = pss_entry_line_count(e);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        int rc = pss_entry_get_line(e, i, &l);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 8);
        lpss_set_str(L, "account", l.account);
        lpss_set_int(L, "debit", l.debit);
        lpss_set_int(L, "credit", l.credit);
        lpss_set_str(L, "label", l.label);
        lpss_set_str(L, "kind", l.kind);
        lpss_set_str(L, "method", l.method);
        lpss_set_str(L, "tax", l.tax);
        lpss_set_str(L, "partner", pss_entry_line_partner(e, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* entry:products() -> {{product_id=, name=, quantity=}, ...} */
static int entry_products(lua_State *L)
{
    lpss_handle *h;
    pss_entry *e = check_entry(L, &h);
    size_t n = pss_entry_product_count(e);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_entry_product p = PSS_ENTRY_PRODUCT_INIT;
        int rc = pss_entry_get_product(e, i, &p);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 3);
        lpss_set_str(L, "product_id", p.product_id);
        lpss_set_str(L, "name", p.name);
        lpss_set_int(L, "quantity", p.quantity);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* entry:ledger() -> ledger/hledger journal text */
static int entry_ledger(lua_State *L)
{
    lpss_handle *h;
    pss_entry *e = check_entry(L, &h);
    lpss_text *t = lpss_text_new(L);
    int rc = pss_journal_write_ledger(e, lpss_text_write, t);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

/* entry:csv([header = true]) -> CSV text */
static int entry_csv(lua_State *L)
{
    lpss_handle *h;
    pss_entry *e = check_entry(L, &h);
    int header = 1;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TBOOLEAN);
        header = lua_toboolean(L, 2);
    }
    lpss_text *t = lpss_text_new(L);
    int rc = pss_journal_write_csv(e, header, lpss_text_write, t);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

void lpss_open_journal(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"id", entry_id},
        {"session_id", entry_session_id},
        {"reference", entry_reference},
        {"date", entry_date},
        {"currency", entry_currency},
        {"exponent", entry_exponent},
        {"total", entry_total},
        {"lines", entry_lines},
        {"products", entry_products},
        {"ledger", entry_ledger},
        {"csv", entry_csv},
        {NULL, NULL}};
    lpss_handle_register(L, &lpss_entry_type, methods);
}
