/* meta.c: host metadata (possession/meta.h), a JSON object the host keeps on a config, a
 * session, an order or a cash movement: read and set on the context by owner and id, and on
 * the config, session and order handles for themselves. The text goes both ways as a Lua
 * string, byte for byte; whether it is an acceptable object is the library's to say. */
#include "lpss.h"

#include <string.h>

static const char *const owner_names[] = {"config", "session", "order", "movement", NULL};
static const int owner_values[] = {PSS_META_CONFIG, PSS_META_SESSION, PSS_META_ORDER,
                                   PSS_META_MOVEMENT};

static pss_meta_owner check_owner(lua_State *L, int arg)
{
    return (pss_meta_owner)owner_values[luaL_checkoption(L, arg, NULL, owner_names)];
}

/* The text at arg, or NULL for nil (clears it); anything else raises. */
static const char *check_meta(lua_State *L, int arg)
{
    int t = lua_type(L, arg);
    if (t == LUA_TNIL || t == LUA_TNONE)
        return NULL;
    if (t != LUA_TSTRING)
        luaL_argerror(L, arg, lua_pushfstring(L, "meta: JSON text or nil expected, got %s",
                                              luaL_typename(L, arg)));
    return lua_tostring(L, arg);
}

/* Pushes the owner's metadata: its text, or nil alone when it has none. */
static int push_meta(lua_State *L, lpss_ctx *c, pss_meta_owner owner, const char *id)
{
    lpss_text *t = lpss_text_new(L); /* the copy is collectable: a raise leaks nothing */
    char *text = NULL;
    lpss_enter(L, c);
    int rc = lpss_leave(L, c, pss_meta_get(c->ctx, owner, id, &text));
    if (rc)
        return lpss_fail(L, c, rc);
    if (!text) {
        lua_pushnil(L);
        return 1;
    }
    rc = lpss_text_write(t, text, strlen(text));
    pss_free(c->ctx, text);
    if (rc)
        return luaL_error(L, "not enough memory");
    lua_pushlstring(L, t->data, t->len);
    return 1;
}

static int set_meta(lua_State *L, lpss_ctx *c, const pss_actor *actor, pss_meta_owner owner,
                    const char *id, const char *meta)
{
    lpss_enter(L, c);
    int rc = pss_meta_set(c->ctx, actor, owner, id, meta);
    return lpss_ok_or_fail(L, c, lpss_leave(L, c, rc));
}

/* ctx:get_meta(owner, id) -> text, or nil when it has none */
int lpss_ctx_get_meta(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    pss_meta_owner owner = check_owner(L, 2);
    return push_meta(L, c, owner, luaL_checkstring(L, 3));
}

/* ctx:set_meta(actor, owner, id, text or nil) */
int lpss_ctx_set_meta(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 5));
    pss_meta_owner owner = check_owner(L, 3);
    const char *id = luaL_checkstring(L, 4);
    return set_meta(L, c, &actor, owner, id, check_meta(L, 5));
}

/* ---- on the handles: handle:meta(), handle:set_meta(actor, text or nil) ---- */

static const char *config_id(void *p)
{
    return pss_config_id(p);
}

static const char *session_id(void *p)
{
    return pss_session_id(p);
}

static const char *order_id(void *p)
{
    return pss_order_id(p);
}

static const struct {
    const lpss_type *type;
    pss_meta_owner owner;
    const char *(*id)(void *p);
} owners[] = {
    {&lpss_config_type, PSS_META_CONFIG, config_id},
    {&lpss_session_type, PSS_META_SESSION, session_id},
    {&lpss_order_type, PSS_META_ORDER, order_id},
};

static int get_on(lua_State *L, size_t which)
{
    lpss_handle *h = lpss_handle_check(L, 1, owners[which].type);
    return push_meta(L, h->owner, owners[which].owner, owners[which].id(h->ptr));
}

static int set_on(lua_State *L, size_t which)
{
    lpss_handle *h = lpss_handle_check(L, 1, owners[which].type);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 3));
    const char *meta = check_meta(L, 3);
    return set_meta(L, h->owner, &actor, owners[which].owner, owners[which].id(h->ptr), meta);
}

int lpss_config_meta(lua_State *L)
{
    return get_on(L, 0);
}

int lpss_config_set_meta(lua_State *L)
{
    return set_on(L, 0);
}

int lpss_session_meta(lua_State *L)
{
    return get_on(L, 1);
}

int lpss_session_set_meta(lua_State *L)
{
    return set_on(L, 1);
}

int lpss_order_meta(lua_State *L)
{
    return get_on(L, 2);
}

int lpss_order_set_meta(lua_State *L)
{
    return set_on(L, 2);
}
