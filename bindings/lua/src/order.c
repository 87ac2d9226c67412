/* order.c: the order handle (lines, payments, refunds, the invoiced flag), reading order,
 * line and payment tables, and the offline submit of whole orders, single and batch.
 * Lua counts from 1: line and payment indexes, and a refund line's refund_line, are 1-based
 * here and converted at the boundary. */
#include "lpss.h"

#include <stdint.h>
#include <string.h>

static void order_release(void *p)
{
    pss_order_free(p);
}

static void order_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "#%I %s (%s)", (lua_Integer)pss_order_number(p), pss_order_id(p),
                    pss_order_state_name(pss_order_state_of(p)));
}

const lpss_type lpss_order_type = {"possession.order", order_release, order_describe};

static pss_order *check_order(lua_State *L, lpss_handle **h)
{
    *h = lpss_handle_check(L, 1, &lpss_order_type);
    return (*h)->ptr;
}

/* ---- reading tables ---------------------------------------------------------------------- */

static const char *const line_fields[] = {"product_id", "product_name", "category",
                                          "quantity",   "unit_price",   "discount_ppm",
                                          "taxes",      "refund_line",  NULL};
static const char *const payment_fields[] = {"method", "amount", "state", "reference", NULL};
static const char *const order_fields[] = {"id",       "refund_of",       "invoiced",
                                           "note",     "lines",           "payments",
                                           "meta",     "discount_amount", "discount_ppm",
                                           "customer", "return_reason",   NULL};
static const char *const payment_state_names[] = {"pending", "done", "failed", "voided", NULL};
static const int payment_state_values[] = {PSS_PAYMENT_PENDING, PSS_PAYMENT_DONE,
                                           PSS_PAYMENT_FAILED, PSS_PAYMENT_VOIDED};

static void read_taxes(const lpss_in *in, pss_line_input *l)
{
    lua_State *L = in->L;
    size_t n = lpss_in_list(in, "taxes");
    const char **codes = lpss_scratch(L, in->anchor, n, sizeof *codes);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: taxes must be tax codes (strings), got a %s", in->what,
                       luaL_typename(L, -1));
        codes[i] = lpss_anchor_string(L, in->anchor, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    l->taxes = codes;
    l->n_taxes = n;
}

static pss_line_input read_line(lua_State *L, int index, int anchor, const char *what)
{
    lpss_in in = lpss_in_open(L, index, anchor, what, 0);
    lpss_in_allow(&in, line_fields);
    pss_line_input l = PSS_LINE_INPUT_INIT;
    int64_t refund_line = lpss_in_int(&in, "refund_line", INT64_MIN, 0);
    if (refund_line != INT64_MIN && refund_line < 1)
        luaL_error(L, "%s: refund_line counts lines from 1, got %I", what,
                   (lua_Integer)refund_line);
    l.refund_line = refund_line == INT64_MIN ? -1 : refund_line - 1;
    l.product_id = lpss_in_string(&in, "product_id", l.refund_line < 0);
    l.product_name = lpss_in_string(&in, "product_name", 0);
    l.category = lpss_in_string(&in, "category", 0);
    l.quantity = lpss_in_int(&in, "quantity", l.quantity, 0);
    l.unit_price = lpss_in_int(&in, "unit_price", l.unit_price, 0);
    l.discount_ppm = lpss_in_int(&in, "discount_ppm", l.discount_ppm, 0);
    read_taxes(&in, &l);
    return l;
}

static pss_payment_input read_payment(lua_State *L, int index, int anchor, const char *what)
{
    lpss_in in = lpss_in_open(L, index, anchor, what, 0);
    lpss_in_allow(&in, payment_fields);
    pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
    p.method = lpss_in_string(&in, "method", 1);
    p.amount = lpss_in_int(&in, "amount", 0, 1);
    p.state = (pss_payment_state)lpss_in_enum(&in, "state", payment_state_names,
                                              payment_state_values, 0);
    p.reference = lpss_in_string(&in, "reference", 0);
    return p;
}

static void read_lines(const lpss_in *in, pss_order_input *o)
{
    lua_State *L = in->L;
    size_t n = lpss_in_list(in, "lines");
    int list = lua_gettop(L);
    pss_line_input *lines = lpss_scratch(L, in->anchor, n, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, list, (lua_Integer)i + 1);
        lua_pushfstring(L, "line %d of %s", (int)i + 1, in->what);
        lines[i] = read_line(L, -2, in->anchor, lpss_anchor_string(L, in->anchor, -1));
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    o->lines = lines;
    o->n_lines = n;
}

static void read_payments(const lpss_in *in, pss_order_input *o)
{
    lua_State *L = in->L;
    size_t n = lpss_in_list(in, "payments");
    int list = lua_gettop(L);
    pss_payment_input *pays = lpss_scratch(L, in->anchor, n, sizeof *pays);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, list, (lua_Integer)i + 1);
        lua_pushfstring(L, "payment %d of %s", (int)i + 1, in->what);
        pays[i] = read_payment(L, -2, in->anchor, lpss_anchor_string(L, in->anchor, -1));
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    o->payments = pays;
    o->n_payments = n;
}

static pss_order_input read_order(lua_State *L, int index, int anchor, const char *what)
{
    lpss_in in = lpss_in_open(L, index, anchor, what, 0);
    lpss_in_allow(&in, order_fields);
    pss_order_input o = PSS_ORDER_INPUT_INIT;
    o.id = lpss_in_string(&in, "id", 0);
    o.refund_of = lpss_in_string(&in, "refund_of", 0);
    o.invoiced = lpss_in_bool(&in, "invoiced", 0);
    o.note = lpss_in_string(&in, "note", 0);
    o.meta = lpss_in_string(&in, "meta", 0);
    o.discount_amount = lpss_in_int(&in, "discount_amount", 0, 0);
    o.discount_ppm = lpss_in_int(&in, "discount_ppm", 0, 0);
    o.customer = lpss_in_string(&in, "customer", 0);
    o.return_reason = lpss_in_string(&in, "return_reason", 0);
    read_lines(&in, &o);
    read_payments(&in, &o);
    return o;
}

/* A 1-based Lua index as the library's; 0 and negatives become an index nothing has. */
static size_t check_index(lua_State *L, int arg)
{
    int64_t i = lpss_check_int(L, arg, "index");
    return i >= 1 ? (size_t)(i - 1) : SIZE_MAX;
}

/* ---- making orders ----------------------------------------------------------------------- */

/* session:create_order(actor, {id=, refund_of=, invoiced=, note=, meta=, discount_amount=,
 * discount_ppm=, customer=, return_reason=, lines=}) -> order */
int lpss_session_create_order(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    pss_order_input oi = read_order(L, 3, anchor, "order");
    lpss_handle_push_owner(L, 1);
    lpss_handle *h = lpss_handle_new(L, -1, &lpss_order_type);
    pss_order *o = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_order_create(sh->ptr, &actor, &oi, &o);
    h->ptr = o;
    rc = lpss_leave(L, sh->owner, rc);
    return rc ? lpss_fail_discard(L, sh->owner, h, rc) : 1;
}

/* session:load_order(id) -> order */
int lpss_session_load_order(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    const char *id = luaL_checkstring(L, 2);
    lpss_handle_push_owner(L, 1);
    lpss_handle *h = lpss_handle_new(L, -1, &lpss_order_type);
    pss_order *o = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_order_load(sh->ptr, id, &o);
    h->ptr = o;
    rc = lpss_leave(L, sh->owner, rc);
    return rc ? lpss_fail_discard(L, sh->owner, h, rc) : 1;
}

static const char *state_name(int st)
{
    return pss_order_state_name((pss_order_state)st);
}

static void strlist_free(void *p)
{
    pss_strlist_free(p);
}

/* session:list_orders([{"paid", ...}]) -> {id, ...}: by number, every state when nil; a
 * closed session's paid orders are "done". */
int lpss_session_list_orders(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    unsigned mask = PSS_ORDER_ANY_STATE;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mask = lpss_state_mask(L, 2, "order", PSS_ORDER_DRAFT, PSS_ORDER_CANCELLED, state_name);
    }
    lpss_box *box = lpss_box_new(L, strlist_free);
    pss_strlist *list = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_order_list(sh->ptr, mask, &list);
    box->ptr = list;
    rc = lpss_leave(L, sh->owner, rc);
    if (rc)
        return lpss_fail(L, sh->owner, rc);
    lpss_push_strlist(L, list);
    return 1;
}

static void push_submit_result(lua_State *L, const pss_submit_result *r)
{
    lua_createtable(L, 0, 8);
    lpss_set_int(L, "status", r->status);
    if (r->status)
        lpss_set_str(L, "message", pss_strerror(r->status));
    lpss_set_bool(L, "duplicate", r->duplicate);
    lpss_set_bool(L, "routed", r->routed);
    lpss_set_bool(L, "rescue", r->rescue);
    lpss_set_str(L, "order_id", r->order_id);
    lpss_set_str(L, "session_id", r->session_id);
    if (r->state)
        lpss_set_str(L, "state", pss_order_state_name(r->state));
}

/* session:submit(actor, order) -> {duplicate=, routed=, rescue=, order_id=, session_id=, state=} */
int lpss_session_submit(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    pss_order_input oi = read_order(L, 3, anchor, "order");
    pss_submit_result result = PSS_SUBMIT_RESULT_INIT;
    lpss_enter(L, sh->owner);
    int rc = pss_session_submit(sh->ptr, &actor, &oi, &result);
    rc = lpss_leave(L, sh->owner, rc);
    if (rc)
        return lpss_fail(L, sh->owner, rc);
    push_submit_result(L, &result);
    return 1;
}

/* session:submit_batch(actor, {order, ...}) -> {result, ...}, accepted */
int lpss_session_submit_batch(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer len = luaL_len(L, 3);
    size_t n = len > 0 ? (size_t)len : 0;
    pss_order_input *orders = lpss_scratch(L, anchor, n, sizeof *orders);
    const pss_order_input **ptrs = lpss_scratch(L, anchor, n, sizeof *ptrs);
    pss_submit_result *results = lpss_scratch(L, anchor, n, sizeof *results);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, 3, (lua_Integer)i + 1);
        lua_pushfstring(L, "order %d of the batch", (int)i + 1);
        orders[i] = read_order(L, -2, anchor, lpss_anchor_string(L, anchor, -1));
        lua_pop(L, 2);
        ptrs[i] = &orders[i];
        results[i] = (pss_submit_result)PSS_SUBMIT_RESULT_INIT;
    }
    size_t accepted = 0;
    lpss_enter(L, sh->owner);
    int rc = pss_session_submit_batch(sh->ptr, &actor, ptrs, n, results, &accepted);
    rc = lpss_leave(L, sh->owner, rc);
    if (rc)
        return lpss_fail(L, sh->owner, rc);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        push_submit_result(L, &results[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, (lua_Integer)accepted);
    return 2;
}

/* ---- changing an order ------------------------------------------------------------------- */

/* order:add_line(actor, line) -> index */
static int order_add_line(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    pss_line_input line = read_line(L, 3, anchor, "line");
    size_t index = 0;
    lpss_enter(L, h->owner);
    int rc = lpss_leave(L, h->owner, pss_order_add_line(o, &actor, &line, &index));
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushinteger(L, (lua_Integer)index + 1);
    return 1;
}

/* order:add_payment(actor, payment) -> index */
static int order_add_payment(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    pss_payment_input pay = read_payment(L, 3, anchor, "payment");
    size_t index = 0;
    lpss_enter(L, h->owner);
    int rc = lpss_leave(L, h->owner, pss_order_add_payment(o, &actor, &pay, &index));
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushinteger(L, (lua_Integer)index + 1);
    return 1;
}

typedef int (*index_fn)(pss_order *o, const pss_actor *actor, size_t index);
typedef int (*index_reason_fn)(pss_order *o, const pss_actor *actor, size_t index,
                               const char *reason);

static int with_index(lua_State *L, index_fn fn)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 3));
    size_t index = check_index(L, 3);
    lpss_enter(L, h->owner);
    int rc = fn(o, &actor, index);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int with_index_reason(lua_State *L, index_reason_fn fn)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 4));
    size_t index = check_index(L, 3);
    const char *reason = luaL_optstring(L, 4, NULL);
    lpss_enter(L, h->owner);
    int rc = fn(o, &actor, index, reason);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int order_remove_line(lua_State *L)
{
    return with_index(L, pss_order_remove_line);
}

static int order_confirm_payment(lua_State *L)
{
    return with_index(L, pss_order_confirm_payment);
}

static int order_fail_payment(lua_State *L)
{
    return with_index_reason(L, pss_order_fail_payment);
}

static int order_void_payment(lua_State *L)
{
    return with_index_reason(L, pss_order_void_payment);
}

/* order:cancel(actor, reason) */
static int order_cancel(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 3));
    const char *reason = luaL_optstring(L, 3, NULL);
    lpss_enter(L, h->owner);
    int rc = pss_order_cancel(o, &actor, reason);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* order:validate(actor): a zero-total order becomes PAID. */
static int order_validate(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 2));
    lpss_enter(L, h->owner);
    int rc = pss_order_validate(o, &actor);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* order:set_invoiced(actor, flag) */
static int order_set_invoiced(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 3));
    luaL_checktype(L, 3, LUA_TBOOLEAN);
    int flag = lua_toboolean(L, 3);
    lpss_enter(L, h->owner);
    int rc = pss_order_set_invoiced(o, &actor, flag);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* ---- reading an order -------------------------------------------------------------------- */

#define STRING_GETTER(method, fn)                                                              \
    static int method(lua_State *L)                                                            \
    {                                                                                          \
        lpss_handle *h;                                                                        \
        const char *s = fn(check_order(L, &h));                                                \
        if (s)                                                                                 \
            lua_pushstring(L, s);                                                              \
        else                                                                                   \
            lua_pushnil(L);                                                                    \
        return 1;                                                                              \
    }

STRING_GETTER(order_id, pss_order_id)
STRING_GETTER(order_session_id, pss_order_session_id)
STRING_GETTER(order_refund_of, pss_order_refund_of)
STRING_GETTER(order_customer, pss_order_customer)
STRING_GETTER(order_return_reason, pss_order_return_reason)

static int order_number(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, (lua_Integer)pss_order_number(check_order(L, &h)));
    return 1;
}

static int order_state(lua_State *L)
{
    lpss_handle *h;
    lua_pushstring(L, pss_order_state_name(pss_order_state_of(check_order(L, &h))));
    return 1;
}

static int order_is_invoiced(lua_State *L)
{
    lpss_handle *h;
    lua_pushboolean(L, pss_order_is_invoiced(check_order(L, &h)));
    return 1;
}

static int order_totals(lua_State *L)
{
    lpss_handle *h;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    int rc = pss_order_get_totals(check_order(L, &h), &t);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_createtable(L, 0, 9);
    lpss_set_int(L, "untaxed", t.untaxed);
    lpss_set_int(L, "tax", t.tax);
    lpss_set_int(L, "total", t.total);
    lpss_set_int(L, "rounding", t.rounding);
    lpss_set_int(L, "due", t.due);
    lpss_set_int(L, "paid", t.paid);
    lpss_set_int(L, "pending", t.pending);
    lpss_set_int(L, "change", t.change);
    lpss_set_int(L, "remaining", t.remaining);
    lpss_set_int(L, "cash_due", t.cash_due);
    return 1;
}

static void push_line(lua_State *L, const pss_order *o, size_t index, const pss_line_info *l)
{
    lua_createtable(L, 0, 14);
    lpss_set_str(L, "product_id", l->product_id);
    lpss_set_str(L, "product_name", l->product_name);
    lpss_set_str(L, "category", l->category);
    lpss_set_str(L, "income_account", l->income_account);
    lpss_set_int(L, "quantity", l->quantity);
    lpss_set_int(L, "unit_price", l->unit_price);
    lpss_set_int(L, "discount_ppm", l->discount_ppm);
    lpss_set_int(L, "untaxed", l->untaxed);
    lpss_set_int(L, "tax", l->tax);
    lpss_set_int(L, "total", l->total);
    lpss_set_int(L, "order_discount", pss_order_line_discount_share(o, index));
    if (l->refund_line >= 0)
        lpss_set_int(L, "refund_line", l->refund_line + 1);
    lua_createtable(L, (int)l->n_taxes, 0);
    for (size_t t = 0; t < l->n_taxes; t++) {
        lua_pushstring(L, pss_order_line_tax(o, index, t));
        lua_rawseti(L, -2, (lua_Integer)t + 1);
    }
    lua_setfield(L, -2, "taxes");
}

/* order:lines() -> {line, ...} */
static int order_lines(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    size_t n = pss_order_line_count(o);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_line_info l = PSS_LINE_INFO_INIT;
        int rc = pss_order_get_line(o, i, &l);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        push_line(L, o, i, &l);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* order:discount() -> {amount= or ppm=, applied=}: the order discount as it was given and
 * what it took off the lines in all; nil when the order has none. */
static int order_discount(lua_State *L)
{
    lpss_handle *h;
    int64_t amount = 0, ppm = 0, applied = 0;
    int rc = pss_order_get_discount(check_order(L, &h), &amount, &ppm, &applied);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    if (!amount && !ppm) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 2);
    if (amount)
        lpss_set_int(L, "amount", amount);
    if (ppm)
        lpss_set_int(L, "ppm", ppm);
    lpss_set_int(L, "applied", applied);
    return 1;
}

/* order:taxes() -> {{code=, account=, rate_ppm=, included=, base=, amount=}, ...} */
static int order_taxes(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    size_t n = pss_order_tax_count(o);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_tax_info t = PSS_TAX_INFO_INIT;
        int rc = pss_order_get_tax(o, i, &t);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 6);
        lpss_set_str(L, "code", t.code);
        lpss_set_str(L, "account", t.account);
        lpss_set_int(L, "rate_ppm", t.rate_ppm);
        lpss_set_bool(L, "included", t.included);
        lpss_set_int(L, "base", t.base);
        lpss_set_int(L, "amount", t.amount);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* order:payments() -> {{method=, amount=, state=, change=, reference=}, ...} */
static int order_payments(lua_State *L)
{
    lpss_handle *h;
    pss_order *o = check_order(L, &h);
    size_t n = pss_order_payment_count(o);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        int rc = pss_order_get_payment(o, i, &p);
        if (rc)
            return lpss_fail(L, h->owner, rc);
        lua_createtable(L, 0, 5);
        lpss_set_str(L, "method", p.method);
        lpss_set_int(L, "amount", p.amount);
        lpss_set_str(L, "state", pss_payment_state_name(p.state));
        lpss_set_int(L, "change", p.change);
        lpss_set_str(L, "reference", p.reference);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

void lpss_open_order(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"add_line", order_add_line},
        {"remove_line", order_remove_line},
        {"add_payment", order_add_payment},
        {"confirm_payment", order_confirm_payment},
        {"fail_payment", order_fail_payment},
        {"void_payment", order_void_payment},
        {"cancel", order_cancel},
        {"validate", order_validate},
        {"set_invoiced", order_set_invoiced},
        {"id", order_id},
        {"session_id", order_session_id},
        {"refund_of", order_refund_of},
        {"customer", order_customer},
        {"return_reason", order_return_reason},
        {"number", order_number},
        {"state", order_state},
        {"is_invoiced", order_is_invoiced},
        {"totals", order_totals},
        {"lines", order_lines},
        {"discount", order_discount},
        {"taxes", order_taxes},
        {"payments", order_payments},
        {"meta", lpss_order_meta},
        {"set_meta", lpss_order_set_meta},
        {NULL, NULL}};
    lpss_handle_register(L, &lpss_order_type, methods);
}
