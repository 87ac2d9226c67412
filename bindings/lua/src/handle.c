/* handle.c: what every handle made with a context shares (creation, checking, release by
 * release(), <close> or the collector, __tostring), the call protocol around library calls
 * (enter, leave, failures as nil, message, code, figures) and the small result helpers. */
#include "lpss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANCHORS_KEY "possession.anchors"
#define TEXT_TYPE "possession.text"
#define BOX_TYPE "possession.box"

/* ---- handles ----------------------------------------------------------------------------- */

lpss_handle *lpss_handle_new(lua_State *L, int ctx_index, const lpss_type *type)
{
    ctx_index = lua_absindex(L, ctx_index);
    lpss_ctx *c = lpss_ctx_check(L, ctx_index);
    lpss_handle *h = lua_newuserdatauv(L, sizeof *h, 1);
    h->ptr = NULL;
    h->type = type;
    h->owner = c;
    lua_pushvalue(L, ctx_index);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, type->name);
    /* Counted only now: from here on the finalizer gives the count back. */
    c->children++;
    return h;
}

lpss_handle *lpss_handle_check(lua_State *L, int index, const lpss_type *type)
{
    lpss_handle *h = luaL_checkudata(L, index, type->name);
    if (!h->owner || !h->ptr)
        luaL_error(L, "attempt to use a released %s", type->name);
    if (h->owner->closed)
        luaL_error(L, "attempt to use a %s whose context is released", type->name);
    lpss_point(L, h->owner);
    return h;
}

void lpss_handle_push_owner(lua_State *L, int index)
{
    lua_getiuservalue(L, index, 1);
}

/* Frees the library's handle and gives the context its count back; idempotent. */
static void handle_release(lua_State *L, lpss_handle *h)
{
    lpss_ctx *c = h->owner;
    if (!c)
        return;
    if (h->ptr) {
        lpss_point(L, c); /* a log hook may run while the library frees */
        h->type->release(h->ptr);
        h->ptr = NULL;
    }
    h->owner = NULL;
    lpss_ctx_drop_child(L, c);
}

void lpss_handle_discard(lua_State *L, lpss_handle *h)
{
    handle_release(L, h);
}

int lpss_fail_discard(lua_State *L, lpss_ctx *c, lpss_handle *h, int rc)
{
    int n = lpss_fail(L, c, rc);
    lpss_handle_discard(L, h);
    return n;
}

#define HANDLE_MARK "__possession_handle"

/* Any handle made with a context (its metatable carries the mark): release and __tostring
 * are shared, and must not take another userdata for one. */
static lpss_handle *handle_any(lua_State *L)
{
    int marked = 0;
    if (lua_type(L, 1) == LUA_TUSERDATA && lua_getmetatable(L, 1)) {
        marked = lua_getfield(L, -1, HANDLE_MARK) == LUA_TBOOLEAN;
        lua_pop(L, 2);
    }
    if (!marked)
        luaL_typeerror(L, 1, "possession handle");
    return lua_touserdata(L, 1);
}

/* release() and <close>: not from inside a call of the handle's context (a hook releasing
 * the handle the library is working on). */
static int handle_release_method(lua_State *L)
{
    lpss_handle *h = handle_any(L);
    if (h->owner && h->owner->busy)
        return luaL_error(L, "cannot release a %s inside a call of its context", h->type->name);
    handle_release(L, h);
    return 0;
}

/* The collector only finalizes what no running call can reach: always safe. */
static int handle_gc(lua_State *L)
{
    handle_release(L, handle_any(L));
    return 0;
}

static int handle_tostring(lua_State *L)
{
    lpss_handle *h = handle_any(L);
    if (!h->owner || !h->ptr || h->owner->closed) {
        lua_pushfstring(L, "%s (released)", h->type->name);
        return 1;
    }
    lua_pushfstring(L, "%s: ", h->type->name);
    h->type->describe(L, h->ptr);
    lua_concat(L, 2);
    return 1;
}

void lpss_handle_register(lua_State *L, const lpss_type *type, const luaL_Reg *methods)
{
    luaL_newmetatable(L, type->name);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, HANDLE_MARK);
    lua_pushcfunction(L, handle_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, handle_release_method);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, handle_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushcfunction(L, handle_release_method);
    lua_setfield(L, -2, "release");
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

/* ---- lists ------------------------------------------------------------------------------ */

/* __index of a list: list[i] is the i-th record (1-based), any other key a method. */
static int list_index(lua_State *L)
{
    const lpss_list_type *lt = lua_touserdata(L, lua_upvalueindex(2));
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lpss_handle *h = lpss_handle_check(L, 1, &lt->base);
        lua_Integer i = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
        if (i < 1 || (size_t)i > lt->count(h->ptr))
            return 0;
        return lt->push(L, h->ptr, (size_t)i - 1);
    }
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
}

static int list_len(lua_State *L)
{
    const lpss_list_type *lt = lua_touserdata(L, lua_upvalueindex(1));
    lpss_handle *h = lpss_handle_check(L, 1, &lt->base);
    lua_pushinteger(L, (lua_Integer)lt->count(h->ptr));
    return 1;
}

void lpss_list_register(lua_State *L, const lpss_list_type *type)
{
    static const luaL_Reg none[] = {{NULL, NULL}};
    lpss_handle_register(L, &type->base, none);
    luaL_getmetatable(L, type->base.name);
    lua_getfield(L, -1, "__index");
    lua_pushlightuserdata(L, (void *)type);
    lua_pushcclosure(L, list_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushlightuserdata(L, (void *)type);
    lua_pushcclosure(L, list_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pop(L, 1);
}

/* ---- the call protocol ------------------------------------------------------------------- */

void lpss_point(lua_State *L, lpss_ctx *c)
{
    if (!c->busy)
        c->L = L;
}

static lpss_bridge *lua_bridge(lpss_ctx *c)
{
    return c->store && c->store->kind == LPSS_STORE_LUA ? &c->store->bridge : NULL;
}

void lpss_enter(lua_State *L, lpss_ctx *c)
{
    if (c->busy)
        luaL_error(L, "possession: the context is inside a call; its hooks and store may not "
                      "call back into it");
    c->L = L;
    c->busy = 1;
    c->hook_failed = 0;
    lpss_bridge *b = lua_bridge(c);
    if (b) {
        c->outer_store_L = b->L;
        b->L = L;
    }
}

int lpss_leave(lua_State *L, lpss_ctx *c, int rc)
{
    c->busy = 0;
    lpss_bridge *b = lua_bridge(c);
    if (b)
        b->L = c->outer_store_L;
    if (c->hook_failed) {
        c->hook_failed = 0;
        return luaL_error(L, "%s", c->hook_error);
    }
    return rc;
}

static const char *const figure_names[] = {"expected", "counted", "difference", "allowed",
                                           "count", "remaining", "available", "imbalance",
                                           "holds", "amount", NULL};

/* Pushes the figures the last failure carries, or nothing; returns how many values. */
static int push_figures(lua_State *L, const pss_ctx *ctx)
{
    lua_newtable(L);
    int found = 0;
    for (size_t i = 0; figure_names[i]; i++) {
        int64_t v;
        if (pss_ctx_error_figure(ctx, figure_names[i], &v) == 0) {
            lpss_set_int(L, figure_names[i], v);
            found = 1;
        }
    }
    if (!found)
        lua_pop(L, 1);
    return found;
}

int lpss_fail(lua_State *L, lpss_ctx *c, int rc)
{
    const pss_ctx *ctx = c->ctx;
    const char *detail = ctx && pss_ctx_errcode(ctx) == rc ? pss_ctx_errmsg(ctx) : "";
    lua_pushnil(L);
    lua_pushstring(L, detail[0] ? detail : pss_strerror(rc));
    lua_pushinteger(L, rc);
    return 3 + (ctx ? push_figures(L, ctx) : 0);
}

int lpss_fail_plain(lua_State *L, int rc, const char *message)
{
    lua_pushnil(L);
    lua_pushstring(L, message ? message : pss_strerror(rc));
    lua_pushinteger(L, rc);
    return 3;
}

int lpss_ok_or_fail(lua_State *L, lpss_ctx *c, int rc)
{
    if (rc)
        return lpss_fail(L, c, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* Copies the error value at the top without calling anything that could raise. */
static void copy_error(lua_State *L, char *buf, size_t size)
{
    int t = lua_type(L, -1);
    if (t == LUA_TSTRING)
        snprintf(buf, size, "%s", lua_tostring(L, -1));
    else if (t == LUA_TNUMBER && lua_isinteger(L, -1))
        snprintf(buf, size, "%lld", (long long)lua_tointeger(L, -1));
    else
        snprintf(buf, size, "(error object is a %s value)", lua_typename(L, t));
}

int lpss_protect(lua_State *L, lua_CFunction fn, void *ud, char *buf, size_t size)
{
    if (!lua_checkstack(L, LUA_MINSTACK)) {
        snprintf(buf, size, "Lua stack overflow");
        return LUA_ERRMEM;
    }
    int top = lua_gettop(L);
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, ud);
    int status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK)
        copy_error(L, buf, size);
    lua_settop(L, top);
    return status;
}

/* ---- anchors ----------------------------------------------------------------------------- */

void lpss_anchor_set(lua_State *L, const void *key, int index)
{
    index = lua_absindex(L, index);
    lua_getfield(L, LUA_REGISTRYINDEX, ANCHORS_KEY);
    lua_pushvalue(L, index);
    lua_rawsetp(L, -2, key);
    lua_pop(L, 1);
}

int lpss_anchor_push(lua_State *L, const void *key)
{
    lua_getfield(L, LUA_REGISTRYINDEX, ANCHORS_KEY);
    int t = lua_rawgetp(L, -1, key);
    lua_remove(L, -2);
    return t;
}

/* ---- collected text ---------------------------------------------------------------------- */

static int text_gc(lua_State *L)
{
    lpss_text *t = luaL_checkudata(L, 1, TEXT_TYPE);
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
    return 0;
}

lpss_text *lpss_text_new(lua_State *L)
{
    lpss_text *t = lua_newuserdatauv(L, sizeof *t, 0);
    t->data = NULL;
    t->len = t->cap = 0;
    luaL_setmetatable(L, TEXT_TYPE);
    return t;
}

int lpss_text_write(void *userdata, const char *data, size_t len)
{
    lpss_text *t = userdata;
    if (len > SIZE_MAX / 2 - t->len)
        return -1;
    if (t->len + len > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + len)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown)
            return -1;
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, data, len);
    t->len += len;
    return 0;
}

/* ---- boxes ------------------------------------------------------------------------------ */

static int box_gc(lua_State *L)
{
    lpss_box *b = luaL_checkudata(L, 1, BOX_TYPE);
    if (b->ptr)
        b->free(b->ptr);
    b->ptr = NULL;
    return 0;
}

lpss_box *lpss_box_new(lua_State *L, void (*free_fn)(void *))
{
    lpss_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->ptr = NULL;
    b->free = free_fn;
    luaL_setmetatable(L, BOX_TYPE);
    return b;
}

/* ---- results ----------------------------------------------------------------------------- */

void lpss_set_int(lua_State *L, const char *field, int64_t value)
{
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, field);
}

void lpss_set_amount(lua_State *L, const char *field, int64_t value)
{
    if (value != PSS_UNSET)
        lpss_set_int(L, field, value);
}

void lpss_set_str(lua_State *L, const char *field, const char *value)
{
    if (!value)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, field);
}

void lpss_set_bool(lua_State *L, const char *field, int value)
{
    lua_pushboolean(L, value);
    lua_setfield(L, -2, field);
}

void lpss_push_strlist(lua_State *L, const pss_strlist *list)
{
    size_t n = pss_strlist_count(list);
    lua_createtable(L, n > INT32_MAX ? 0 : (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, pss_strlist_get(list, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

void lpss_open_handles(lua_State *L)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, ANCHORS_KEY);
    luaL_newmetatable(L, TEXT_TYPE);
    lua_pushcfunction(L, text_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newmetatable(L, BOX_TYPE);
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}
