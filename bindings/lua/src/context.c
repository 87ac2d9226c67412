/* context.c: the context handle (a pss_ctx on a store) and its hooks: a Lua clock, logger and
 * observer. Hooks run under lua_pcall because the library calls them from inside its own
 * frames; what one raises is kept and raised when the library call returns. */
#include "lpss.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CTX_TYPE "possession.context"

static const char *const level_names[] = {"error", "warn", "info", "debug", NULL};
static const int level_values[] = {PSS_LOG_ERROR, PSS_LOG_WARN, PSS_LOG_INFO, PSS_LOG_DEBUG};

static const char *const event_names[] = {
    NULL,           "session_created", "session_opened",   "session_closing",
    "session_reopened", "session_closed", "session_taken_over", "order_paid",
    "order_cancelled", "order_routed",  "cash_moved",       "entry_posted",
    "config_saved",  "order_invoiced"};

lpss_ctx *lpss_ctx_check(lua_State *L, int index)
{
    lpss_ctx *c = luaL_checkudata(L, index, CTX_TYPE);
    if (c->closed || !c->ctx)
        luaL_error(L, "attempt to use a released %s", CTX_TYPE);
    lpss_point(L, c);
    return c;
}

/* ---- hooks ------------------------------------------------------------------------------- */

typedef struct hook_call {
    lpss_ctx *c;
    const char *name;
    int64_t now;
    pss_log_level level;
    const char *message;
    const pss_event *event;
} hook_call;

/* Pushes the hook function; raises when it is gone. */
static void push_hook(lua_State *L, hook_call *h)
{
    if (lpss_anchor_push(L, h->c) != LUA_TUSERDATA)
        luaL_error(L, "the context was collected");
    lua_getiuservalue(L, -1, 2);
    lua_getfield(L, -1, h->name);
}

static void push_event(lua_State *L, const pss_event *e)
{
    lua_createtable(L, 0, 5);
    size_t n = sizeof event_names / sizeof event_names[0];
    lpss_set_str(L, "type", (size_t)e->type < n && event_names[e->type] ? event_names[e->type]
                                                                          : "unknown");
    lpss_set_str(L, "config_id", e->config_id);
    lpss_set_str(L, "session_id", e->session_id);
    lpss_set_str(L, "order_id", e->order_id);
    lpss_set_str(L, "entry_id", e->entry_id);
}

static int run_clock(lua_State *L)
{
    hook_call *h = lua_touserdata(L, 1);
    push_hook(L, h);
    lua_call(L, 0, 1);
    if (!lua_isinteger(L, -1))
        return luaL_error(L, "returned %s, expected milliseconds (an integer)",
                          luaL_typename(L, -1));
    h->now = (int64_t)lua_tointeger(L, -1);
    return 0;
}

static int run_log(lua_State *L)
{
    hook_call *h = lua_touserdata(L, 1);
    push_hook(L, h);
    lua_pushstring(L, level_names[h->level >= 1 && h->level <= 4 ? h->level - 1 : 0]);
    lua_pushstring(L, h->message);
    lua_call(L, 2, 0);
    return 0;
}

static int run_observer(lua_State *L)
{
    hook_call *h = lua_touserdata(L, 1);
    push_hook(L, h);
    if (lua_isnil(L, -1))
        return 0; /* removed by set_observer(nil) from another handle's call */
    push_event(L, h->event);
    lua_call(L, 1, 0);
    return 0;
}

/* Keeps the first failure of a call: it is raised when the call returns. */
static void run_hook(hook_call *h, lua_CFunction fn)
{
    lpss_ctx *c = h->c;
    char msg[LPSS_MSG_SIZE - 128]; /* room for the prefix added below */
    if (!c->L)
        snprintf(msg, sizeof msg, "called outside a call");
    else if (lpss_protect(c->L, fn, h, msg, sizeof msg) == LUA_OK)
        return;
    if (!c->hook_failed) {
        c->hook_failed = 1;
        snprintf(c->hook_error, sizeof c->hook_error, "possession: the %s hook raised: %s",
                 h->name, msg);
    }
}

static int64_t real_time_ms(void)
{
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A clock that fails still has to give a time: the real one, and the error is raised. */
static int64_t clock_hook(void *ud)
{
    hook_call h = {.c = ud, .name = "clock", .now = 0};
    int failed_before = h.c->hook_failed;
    run_hook(&h, run_clock);
    return h.c->hook_failed && !failed_before ? real_time_ms() : h.now;
}

static void log_hook(void *ud, pss_log_level level, const char *message)
{
    hook_call h = {.c = ud, .name = "log", .level = level, .message = message};
    run_hook(&h, run_log);
}

static void observer_hook(const pss_event *event, void *ud)
{
    hook_call h = {.c = ud, .name = "observer", .event = event};
    run_hook(&h, run_observer);
}

/* ---- life cycle -------------------------------------------------------------------------- */

static void ctx_free_now(lpss_ctx *c)
{
    if (c->ctx)
        pss_ctx_free(c->ctx);
    c->ctx = NULL;
    if (c->store)
        lpss_store_drop_user(c->store);
    c->store = NULL;
}

void lpss_ctx_drop_child(lua_State *L, lpss_ctx *c)
{
    c->children--;
    if (c->closed && c->children == 0) {
        lpss_point(L, c);
        ctx_free_now(c);
    }
}

static int ctx_release(lua_State *L)
{
    lpss_ctx *c = luaL_checkudata(L, 1, CTX_TYPE);
    if (c->busy)
        return luaL_error(L, "cannot release a %s inside one of its calls", CTX_TYPE);
    c->closed = 1;
    lpss_point(L, c);
    if (c->children == 0)
        ctx_free_now(c);
    return 0;
}

static int ctx_tostring(lua_State *L)
{
    lpss_ctx *c = luaL_checkudata(L, 1, CTX_TYPE);
    if (c->closed)
        lua_pushfstring(L, "%s (released)", CTX_TYPE);
    else
        lua_pushfstring(L, "%s (%p)", CTX_TYPE, (void *)c);
    return 1;
}

static const char *const ctx_fields[] = {"clock", "log", "log_level", "observer", NULL};

/* The hooks table (user value 2) from the options at arg. */
static void push_hooks(lua_State *L, int arg, pss_ctx_options *o, int anchor)
{
    lpss_in in = lpss_in_open(L, arg, anchor, "context options", 1);
    lpss_in_allow(&in, ctx_fields);
    lua_newtable(L);
    static const char *const hooks[] = {"clock", "log", "observer"};
    for (size_t i = 0; i < 3; i++) {
        int t = lpss_in_push(&in, hooks[i]);
        if (t != LUA_TNIL && t != LUA_TFUNCTION)
            luaL_error(L, "context options: field '%s' must be a function, got %s", hooks[i],
                       lua_typename(L, t));
        lua_setfield(L, -2, hooks[i]);
    }
    o->log_level = (pss_log_level)lpss_in_enum(&in, "log_level", level_names, level_values,
                                               PSS_LOG_WARN);
}

static int has_hook(lua_State *L, int hooks, const char *name)
{
    int t = lua_getfield(L, hooks, name);
    lua_pop(L, 1);
    return t != LUA_TNIL;
}

/* possession.context(store [, {clock=, log=, log_level=, observer=}]) */
static int context_new(lua_State *L)
{
    lpss_store *s = lpss_store_check(L, 1);
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    int anchor = lpss_anchor_new(L, 2);
    push_hooks(L, 2, &o, anchor);
    int hooks = lua_gettop(L);
    lpss_ctx *c = lua_newuserdatauv(L, sizeof *c, 2);
    memset(c, 0, sizeof *c);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, hooks);
    lua_setiuservalue(L, -2, 2);
    luaL_setmetatable(L, CTX_TYPE);
    lpss_anchor_set(L, c, -1);
    if (has_hook(L, hooks, "clock")) {
        o.clock = clock_hook;
        o.clock_userdata = c;
    }
    if (has_hook(L, hooks, "log")) {
        o.log = log_hook;
        o.log_userdata = c;
    }
    int observe = has_hook(L, hooks, "observer");
    lpss_enter(L, c);
    int rc = pss_ctx_new(&c->ctx, &o);
    if (!rc)
        rc = pss_ctx_set_storage(c->ctx, s->storage);
    if (!rc && observe)
        rc = pss_ctx_set_observer(c->ctx, observer_hook, c);
    rc = lpss_leave(L, c, rc);
    if (rc)
        return c->ctx ? lpss_fail(L, c, rc) : lpss_fail_plain(L, rc, NULL);
    c->store = s;
    s->users++;
    return 1;
}

/* ctx:set_observer(fn or nil) */
static int ctx_set_observer(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_getiuservalue(L, 1, 2);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "observer");
    int rc = pss_ctx_set_observer(c->ctx, lua_isnil(L, 2) ? NULL : observer_hook, c);
    return lpss_ok_or_fail(L, c, rc);
}

/* ctx:now(): the context's clock, in ms since the epoch. */
static int ctx_now(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    lpss_enter(L, c);
    int64_t now = pss_ctx_now(c->ctx);
    lpss_leave(L, c, 0);
    lua_pushinteger(L, (lua_Integer)now);
    return 1;
}

void lpss_open_context(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"release", ctx_release},
        {"set_observer", ctx_set_observer},
        {"now", ctx_now},
        {"new_config", lpss_ctx_new_config},
        {"load_config", lpss_ctx_load_config},
        {"config_from_json", lpss_ctx_config_from_json},
        {"create_session", lpss_ctx_create_session},
        {"load_session", lpss_ctx_load_session},
        {"find_open_session", lpss_ctx_find_open_session},
        {"list_sessions", lpss_ctx_list_sessions},
        {"list_sessions_page", lpss_ctx_list_sessions_page},
        {"load_entry", lpss_ctx_load_entry},
        {"ledger", lpss_ctx_ledger},
        {"csv", lpss_ctx_csv},
        {"audit", lpss_ctx_audit},
        {"fiscal_verify", lpss_ctx_fiscal_verify},
        {"fiscal_archive", lpss_ctx_fiscal_archive},
        {"fiscal_resign", lpss_ctx_fiscal_resign},
        {"set_signer", lpss_ctx_set_signer},
        {"get_meta", lpss_ctx_get_meta},
        {"set_meta", lpss_ctx_set_meta},
        {NULL, NULL}};
    luaL_newmetatable(L, CTX_TYPE);
    lua_pushcfunction(L, ctx_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, ctx_release);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, ctx_tostring);
    lua_setfield(L, -2, "__tostring");
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_pushcfunction(L, context_new);
    lua_setfield(L, -2, "context");
}
