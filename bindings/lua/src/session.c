/* session.c: the session handle: create, load, list, the lifecycle (open, take over,
 * heartbeat), the close flow (start closing, count, close, reopen, force close) and the
 * session's figures. */
#include "lpss.h"

#include <stdlib.h>
#include <string.h>

static void session_release(void *p)
{
    pss_session_free(p);
}

static void session_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "%s (%s)", pss_session_name(p),
                    pss_session_state_name(pss_session_state_of(p)));
}

const lpss_type lpss_session_type = {"possession.session", session_release, session_describe};

static pss_session *check_session(lua_State *L, lpss_handle **h)
{
    *h = lpss_handle_check(L, 1, &lpss_session_type);
    return (*h)->ptr;
}

/* ---- making sessions --------------------------------------------------------------------- */

static const char *const session_fields[] = {"id", "operating_date", "meta", NULL};

/* ctx:create_session(config_id, actor [, {id=, operating_date=, meta=}]) -> session */
int lpss_ctx_create_session(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    int anchor = lpss_anchor_new(L, 4);
    pss_actor actor = lpss_check_actor(L, 3, anchor);
    lpss_in in = lpss_in_open(L, 4, anchor, "session options", 1);
    lpss_in_allow(&in, session_fields);
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = lpss_in_string(&in, "id", 0);
    si.operating_date = lpss_in_string(&in, "operating_date", 0);
    si.meta = lpss_in_string(&in, "meta", 0);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_session_type);
    pss_session *s = NULL;
    lpss_enter(L, c);
    int rc = pss_session_create(c->ctx, config_id, &actor, &si, &s);
    h->ptr = s;
    rc = lpss_leave(L, c, rc);
    return rc ? lpss_fail_discard(L, c, h, rc) : 1;
}

typedef int (*session_loader)(pss_ctx *ctx, const char *id, pss_session **out);

static int load_with(lua_State *L, session_loader load)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *id = luaL_checkstring(L, 2);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_session_type);
    pss_session *s = NULL;
    lpss_enter(L, c);
    int rc = load(c->ctx, id, &s);
    h->ptr = s;
    rc = lpss_leave(L, c, rc);
    return rc ? lpss_fail_discard(L, c, h, rc) : 1;
}

int lpss_ctx_load_session(lua_State *L)
{
    return load_with(L, pss_session_load);
}

int lpss_ctx_find_open_session(lua_State *L)
{
    return load_with(L, pss_session_find_open);
}

static const char *state_name(int st)
{
    return pss_session_state_name((pss_session_state)st);
}

/* A list of state names, or nil for every state. */
static unsigned state_mask(lua_State *L, int arg)
{
    if (lua_isnoneornil(L, arg))
        return PSS_SESSION_ANY_STATE;
    luaL_checktype(L, arg, LUA_TTABLE);
    return lpss_state_mask(L, arg, "session", PSS_SESSION_NEW, PSS_SESSION_CLOSED, state_name);
}

static void strlist_free(void *p)
{
    pss_strlist_free(p);
}

/* ctx:list_sessions(config_id [, {"in_progress", ...}]) -> {id, ...} */
int lpss_ctx_list_sessions(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    unsigned mask = state_mask(L, 3);
    lpss_box *box = lpss_box_new(L, strlist_free);
    pss_strlist *list = NULL;
    lpss_enter(L, c);
    int rc = pss_session_list(c->ctx, config_id, mask, &list);
    box->ptr = list;
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lpss_push_strlist(L, list);
    return 1;
}

static const char *const query_fields[] = {"states", "from_date", "to_date", "after", "limit",
                                           NULL};

/* ctx:list_sessions_page(config_id [, {states =, from_date =, to_date =, after =, limit =}])
 * -> {id, ...}, more: a page newest first; more is true when older sessions that match
 * follow it, and the next page is after its last id. */
int lpss_ctx_list_sessions_page(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    int anchor = lpss_anchor_new(L, 3);
    lpss_in in = lpss_in_open(L, 3, anchor, "session query", 1);
    lpss_in_allow(&in, query_fields);
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    int t = lpss_in_push(&in, "states");
    if (t != LUA_TNIL && t != LUA_TTABLE)
        luaL_error(L, "session query: field 'states' must be a table, got %s", lua_typename(L, t));
    if (t == LUA_TTABLE)
        q.state_mask = lpss_state_mask(L, -1, "session", PSS_SESSION_NEW, PSS_SESSION_CLOSED,
                                       state_name);
    lua_pop(L, 1);
    q.from_date = lpss_in_string(&in, "from_date", 0);
    q.to_date = lpss_in_string(&in, "to_date", 0);
    q.after = lpss_in_string(&in, "after", 0);
    t = lpss_in_push(&in, "limit");
    if (t != LUA_TNIL && !lua_isinteger(L, -1))
        luaL_error(L, "session query: field 'limit' must be an integer, got %s",
                   t == LUA_TNUMBER ? "float" : lua_typename(L, t));
    lua_Integer limit = t == LUA_TNIL ? (lua_Integer)q.limit : lua_tointeger(L, -1);
    lua_pop(L, 1);
    /* The library names the range it takes; a negative limit, which its size_t cannot
     * carry, is refused here in the same words. */
    if (limit < 0)
        return lpss_fail_plain(L, PSS_EINVAL,
                               lua_pushfstring(L, "a page holds 1 to %d sessions, not %I",
                                               PSS_SESSION_PAGE_MAX, limit));
    q.limit = (size_t)limit;
    lpss_box *box = lpss_box_new(L, strlist_free);
    pss_strlist *list = NULL;
    int more = 0;
    lpss_enter(L, c);
    int rc = pss_session_list_page(c->ctx, config_id, &q, &list, &more);
    box->ptr = list;
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lpss_push_strlist(L, list);
    lua_pushboolean(L, more);
    return 2;
}

/* ---- lifecycle --------------------------------------------------------------------------- */

typedef int (*actor_fn)(pss_session *s, const pss_actor *actor);

static int with_actor(lua_State *L, actor_fn fn)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 2));
    lpss_enter(L, h->owner);
    int rc = fn(s, &actor);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int session_start_opening(lua_State *L)
{
    return with_actor(L, pss_session_start_opening);
}

static int session_take_over(lua_State *L)
{
    return with_actor(L, pss_session_take_over);
}

static int session_heartbeat(lua_State *L)
{
    return with_actor(L, pss_session_heartbeat);
}

static int session_start_closing(lua_State *L)
{
    return with_actor(L, pss_session_start_closing);
}

static const char *const opening_fields[] = {"counted_cash", "note", NULL};

/* session:open(actor [, {counted_cash=, note=}]) */
static int session_open(lua_State *L)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    lpss_in in = lpss_in_open(L, 3, anchor, "opening", 1);
    lpss_in_allow(&in, opening_fields);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = lpss_in_int(&in, "counted_cash", PSS_UNSET, 0);
    oi.note = lpss_in_string(&in, "note", 0);
    lpss_enter(L, h->owner);
    int rc = pss_session_open(s, &actor, &oi);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

typedef int (*self_fn)(pss_session *s);

static int with_self(lua_State *L, self_fn fn)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    lpss_enter(L, h->owner);
    int rc = fn(s);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static int session_refresh(lua_State *L)
{
    return with_self(L, pss_session_refresh);
}

static int session_verify(lua_State *L)
{
    return with_self(L, pss_session_verify);
}

/* ---- the close flow ---------------------------------------------------------------------- */

static int compare_denomination(const void *a, const void *b)
{
    const pss_denomination_count *x = a, *y = b;
    return (x->value > y->value) - (x->value < y->value);
}

static int compare_method(const void *a, const void *b)
{
    return strcmp(((const pss_method_count *)a)->method, ((const pss_method_count *)b)->method);
}

/* Pushes the map field and returns its number of pairs (0 and nil when absent). */
static size_t open_map(const lpss_in *in, const char *field)
{
    lua_State *L = in->L;
    int t = lpss_in_push(in, field);
    if (t == LUA_TNIL)
        return 0;
    if (t != LUA_TTABLE)
        luaL_error(L, "%s: field '%s' must be a table, got %s", in->what, field,
                   lua_typename(L, t));
    size_t n = 0;
    for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1))
        n++;
    return n;
}

/* denominations = {[500] = 3, [20] = 7}: in value order, so the stored count is stable. */
static void read_denominations(const lpss_in *in, pss_count_input *ci)
{
    lua_State *L = in->L;
    size_t n = open_map(in, "denominations");
    if (lua_isnil(L, -1))
        return;
    int map = lua_gettop(L);
    pss_denomination_count *d = lpss_scratch(L, in->anchor, n, sizeof *d);
    size_t i = 0;
    for (lua_pushnil(L); lua_next(L, map); lua_pop(L, 1), i++) {
        d[i].value = lpss_check_int(L, -2, "denomination value");
        d[i].count = lpss_check_int(L, -1, "denomination count");
    }
    qsort(d, n, sizeof *d, compare_denomination);
    ci->denominations = d;
    ci->n_denominations = n;
}

/* methods = {Card = 2350}: in name order. */
static void read_method_counts(const lpss_in *in, pss_count_input *ci)
{
    lua_State *L = in->L;
    size_t n = open_map(in, "methods");
    if (lua_isnil(L, -1))
        return;
    int map = lua_gettop(L);
    pss_method_count *m = lpss_scratch(L, in->anchor, n, sizeof *m);
    size_t i = 0;
    for (lua_pushnil(L); lua_next(L, map); lua_pop(L, 1), i++) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "count: methods maps method names to amounts, got a %s key",
                       luaL_typename(L, -2));
        m[i].method = lpss_anchor_string(L, in->anchor, -2);
        m[i].amount = lpss_check_int(L, -1, "counted amount");
    }
    qsort(m, n, sizeof *m, compare_method);
    ci->methods = m;
    ci->n_methods = n;
}

static const char *const count_fields[] = {"cash_total", "denominations", "methods", "note",
                                           NULL};

/* session:count(actor, {cash_total= | denominations=, methods=, note=}) */
static int session_count(lua_State *L)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    lpss_in in = lpss_in_open(L, 3, anchor, "count", 0);
    lpss_in_allow(&in, count_fields);
    pss_count_input ci = PSS_COUNT_INPUT_INIT;
    ci.cash_total = lpss_in_int(&in, "cash_total", PSS_UNSET, 0);
    ci.note = lpss_in_string(&in, "note", 0);
    read_denominations(&in, &ci);
    read_method_counts(&in, &ci);
    lpss_enter(L, h->owner);
    int rc = pss_session_count(s, &actor, &ci);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static const char *const close_fields[] = {"note", NULL};

/* session:close(actor [, {note=}]): the till's close under the difference rule. */
static int session_close(lua_State *L)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    lpss_in in = lpss_in_open(L, 3, anchor, "close options", 1);
    lpss_in_allow(&in, close_fields);
    pss_close_input ci = PSS_CLOSE_INPUT_INIT;
    ci.note = lpss_in_string(&in, "note", 0);
    lpss_enter(L, h->owner);
    int rc = pss_session_close(s, &actor, &ci);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* session:reopen(actor, reason) */
static int session_reopen(lua_State *L)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 3));
    const char *reason = luaL_optstring(L, 3, NULL);
    lpss_enter(L, h->owner);
    int rc = pss_session_reopen(s, &actor, reason);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

static const char *const force_fields[] = {"reason", "void_pending", "counted_cash", NULL};

/* session:force_close(actor, {reason=, void_pending=, counted_cash=}) */
static int session_force_close(lua_State *L)
{
    lpss_handle *h;
    pss_session *s = check_session(L, &h);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    lpss_in in = lpss_in_open(L, 3, anchor, "force close", 0);
    lpss_in_allow(&in, force_fields);
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = lpss_in_string(&in, "reason", 0);
    fi.void_pending = lpss_in_bool(&in, "void_pending", 0);
    fi.counted_cash = lpss_in_int(&in, "counted_cash", PSS_UNSET, 0);
    lpss_enter(L, h->owner);
    int rc = pss_session_force_close(s, &actor, &fi);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* ---- figures and names ------------------------------------------------------------------- */

#define STRING_GETTER(method, fn)                                                              \
    static int method(lua_State *L)                                                            \
    {                                                                                          \
        lpss_handle *h;                                                                        \
        lua_pushstring(L, fn(check_session(L, &h)));                                           \
        return 1;                                                                              \
    }

STRING_GETTER(session_id, pss_session_id)
STRING_GETTER(session_name, pss_session_name)
STRING_GETTER(session_config_id, pss_session_config_id)
STRING_GETTER(session_user, pss_session_user)
STRING_GETTER(session_lease_device, pss_session_lease_device)
STRING_GETTER(session_operating_date, pss_session_operating_date)

static int session_state(lua_State *L)
{
    lpss_handle *h;
    lua_pushstring(L, pss_session_state_name(pss_session_state_of(check_session(L, &h))));
    return 1;
}

static int session_lease_expires(lua_State *L)
{
    lpss_handle *h;
    lua_pushinteger(L, (lua_Integer)pss_session_lease_expires(check_session(L, &h)));
    return 1;
}

static int session_is_rescue(lua_State *L)
{
    lpss_handle *h;
    lua_pushboolean(L, pss_session_is_rescue(check_session(L, &h)));
    return 1;
}

static void push_amount(lua_State *L, int64_t v)
{
    if (v == PSS_UNSET)
        lua_pushnil(L);
    else
        lua_pushinteger(L, (lua_Integer)v);
}

/* session:opening() -> expected, counted (nil before opening) */
static int session_opening(lua_State *L)
{
    lpss_handle *h;
    int64_t expected = 0, counted = PSS_UNSET;
    int rc = pss_session_opening(check_session(L, &h), &expected, &counted);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    push_amount(L, expected);
    push_amount(L, counted);
    return 2;
}

/* session:balance() -> current (drafts included), posted */
static int session_balance(lua_State *L)
{
    lpss_handle *h;
    int64_t current = 0, posted = 0;
    int rc = pss_session_balance(check_session(L, &h), &current, &posted);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushinteger(L, (lua_Integer)current);
    lua_pushinteger(L, (lua_Integer)posted);
    return 2;
}

static int session_expected_cash(lua_State *L)
{
    lpss_handle *h;
    int64_t cash = 0;
    int rc = pss_session_expected_cash(check_session(L, &h), &cash);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushinteger(L, (lua_Integer)cash);
    return 1;
}

/* session:blockers() -> drafts, pending payments */
static int session_blockers(lua_State *L)
{
    lpss_handle *h;
    size_t drafts = 0, pending = 0;
    int rc = pss_session_blockers(check_session(L, &h), &drafts, &pending);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushinteger(L, (lua_Integer)drafts);
    lua_pushinteger(L, (lua_Integer)pending);
    return 2;
}

void lpss_open_session(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"start_opening", session_start_opening},
        {"open", session_open},
        {"take_over", session_take_over},
        {"heartbeat", session_heartbeat},
        {"refresh", session_refresh},
        {"verify", session_verify},
        {"start_closing", session_start_closing},
        {"count", session_count},
        {"close", session_close},
        {"reopen", session_reopen},
        {"force_close", session_force_close},
        {"id", session_id},
        {"name", session_name},
        {"config_id", session_config_id},
        {"state", session_state},
        {"user", session_user},
        {"lease_device", session_lease_device},
        {"lease_expires", session_lease_expires},
        {"operating_date", session_operating_date},
        {"is_rescue", session_is_rescue},
        {"opening", session_opening},
        {"balance", session_balance},
        {"expected_cash", session_expected_cash},
        {"blockers", session_blockers},
        {"create_order", lpss_session_create_order},
        {"load_order", lpss_session_load_order},
        {"list_orders", lpss_session_list_orders},
        {"submit", lpss_session_submit},
        {"submit_batch", lpss_session_submit_batch},
        {"cash_move", lpss_session_cash_move},
        {"cash_void", lpss_session_cash_void},
        {"cash_movements", lpss_session_cash_movements},
        {"report", lpss_session_report},
        {"entry", lpss_session_entry},
        {"meta", lpss_session_meta},
        {"set_meta", lpss_session_set_meta},
        {NULL, NULL}};
    lpss_handle_register(L, &lpss_session_type, methods);
}
