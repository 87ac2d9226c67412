/* args.c: reading Lua arguments into the library's input structs. Everything here raises on
 * a programming error: a wrong type, a float where an integer is expected (money is minor
 * units, so even 12.0 is refused), an unknown field (a typo in a money path must not be
 * silently ignored) or a missing field without which the call cannot be expressed. Whether
 * present values are acceptable is the library's call, not the binding's. */
#include "lpss.h"

#include <stdint.h>
#include <string.h>

const char *const lpss_role_names[] = {"none", "cashier", "manager", "admin", NULL};
const int lpss_role_values[] = {PSS_ROLE_NONE, PSS_ROLE_CASHIER, PSS_ROLE_MANAGER,
                                PSS_ROLE_ADMIN};
const char *const lpss_rounding_names[] = {"half_up", "half_even", "up", "down", NULL};
const int lpss_rounding_values[] = {PSS_ROUND_HALF_UP, PSS_ROUND_HALF_EVEN, PSS_ROUND_UP,
                                    PSS_ROUND_DOWN};

const char *lpss_role_name(pss_role role)
{
    for (size_t i = 0; lpss_role_names[i]; i++)
        if (lpss_role_values[i] == (int)role)
            return lpss_role_names[i];
    return "unknown";
}

int lpss_anchor_new(lua_State *L, int nargs)
{
    lua_settop(L, nargs);
    lua_newtable(L);
    return lua_gettop(L);
}

const char *lpss_anchor_string(lua_State *L, int anchor, int index)
{
    index = lua_absindex(L, index);
    lua_pushvalue(L, index);
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    return lua_tostring(L, index);
}

lpss_in lpss_in_open(lua_State *L, int index, int anchor, const char *what, int optional)
{
    lpss_in in = {L, 0, anchor, what};
    int t = lua_type(L, index);
    if (t == LUA_TNONE || t == LUA_TNIL) {
        if (!optional)
            luaL_error(L, "%s: table expected, got no value", what);
        return in;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "%s: table expected, got %s", what, lua_typename(L, t));
    in.table = lua_absindex(L, index);
    return in;
}

static int is_allowed(const char *key, const char *const *fields)
{
    for (size_t i = 0; fields[i]; i++)
        if (strcmp(key, fields[i]) == 0)
            return 1;
    return 0;
}

void lpss_in_allow(const lpss_in *in, const char *const *fields)
{
    lua_State *L = in->L;
    if (!in->table)
        return;
    lua_pushnil(L);
    while (lua_next(L, in->table)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: unexpected %s key (fields are named)", in->what,
                       luaL_typename(L, -1));
        if (!is_allowed(lua_tostring(L, -1), fields))
            luaL_error(L, "%s: unknown field '%s'", in->what, lua_tostring(L, -1));
    }
}

int lpss_in_push(const lpss_in *in, const char *field)
{
    if (!in->table) {
        lua_pushnil(in->L);
        return LUA_TNIL;
    }
    return lua_getfield(in->L, in->table, field);
}

/* Pops a nil field; raises when it is required. */
static void absent(const lpss_in *in, const char *field, int required)
{
    lua_pop(in->L, 1);
    if (required)
        luaL_error(in->L, "%s: field '%s' is required", in->what, field);
}

static int wrong_type(const lpss_in *in, const char *field, const char *expected)
{
    lua_State *L = in->L;
    const char *got = lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1)
                          ? "float"
                          : luaL_typename(L, -1);
    return luaL_error(L, "%s: field '%s' must be %s, got %s", in->what, field, expected, got);
}

size_t lpss_in_list(const lpss_in *in, const char *field)
{
    int t = lpss_in_push(in, field);
    if (t == LUA_TNIL)
        return 0;
    if (t != LUA_TTABLE)
        luaL_error(in->L, "%s: field '%s' must be a table, got %s", in->what, field,
                   lua_typename(in->L, t));
    lua_Integer n = luaL_len(in->L, -1);
    return n > 0 ? (size_t)n : 0;
}

const char *lpss_in_string(const lpss_in *in, const char *field, int required)
{
    int t = lpss_in_push(in, field);
    if (t == LUA_TNIL) {
        absent(in, field, required);
        return NULL;
    }
    if (t != LUA_TSTRING)
        wrong_type(in, field, "a string");
    const char *s = lpss_anchor_string(in->L, in->anchor, -1);
    lua_pop(in->L, 1);
    return s;
}

int64_t lpss_in_int(const lpss_in *in, const char *field, int64_t dflt, int required)
{
    int t = lpss_in_push(in, field);
    if (t == LUA_TNIL) {
        absent(in, field, required);
        return dflt;
    }
    if (t != LUA_TNUMBER || !lua_isinteger(in->L, -1))
        wrong_type(in, field, "an integer (amounts are minor units)");
    int64_t v = (int64_t)lua_tointeger(in->L, -1);
    lua_pop(in->L, 1);
    return v;
}

int lpss_in_bool(const lpss_in *in, const char *field, int dflt)
{
    int t = lpss_in_push(in, field);
    if (t == LUA_TNIL) {
        absent(in, field, 0);
        return dflt;
    }
    if (t != LUA_TBOOLEAN)
        wrong_type(in, field, "a boolean");
    int v = lua_toboolean(in->L, -1);
    lua_pop(in->L, 1);
    return v;
}

int lpss_in_enum(const lpss_in *in, const char *field, const char *const *names,
                 const int *values, int dflt)
{
    const char *name = lpss_in_string(in, field, 0);
    if (!name)
        return dflt;
    for (size_t i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return values[i];
    luaL_Buffer b;
    luaL_buffinit(in->L, &b);
    for (size_t i = 0; names[i]; i++) {
        luaL_addstring(&b, i ? ", '" : "'");
        luaL_addstring(&b, names[i]);
        luaL_addchar(&b, '\'');
    }
    luaL_pushresult(&b);
    return luaL_error(in->L, "%s: field '%s' must be one of %s, got '%s'", in->what, field,
                      lua_tostring(in->L, -1), name);
}

int64_t lpss_check_int(lua_State *L, int arg, const char *what)
{
    if (lua_type(L, arg) == LUA_TNUMBER && lua_isinteger(L, arg))
        return (int64_t)lua_tointeger(L, arg);
    const char *got = lua_type(L, arg) == LUA_TNUMBER ? "float" : luaL_typename(L, arg);
    if (arg < 0) /* a value inside a table, not an argument */
        return luaL_error(L, "%s: integer expected, got %s", what, got);
    return luaL_argerror(L, arg, lua_pushfstring(L, "%s: integer expected, got %s", what, got));
}

unsigned lpss_state_mask(lua_State *L, int index, const char *kind, int first, int last,
                         const char *(*name)(int state))
{
    index = lua_absindex(L, index);
    unsigned mask = 0;
    lua_Integer n = luaL_len(L, index);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, index, i) != LUA_TSTRING)
            luaL_error(L, "%s states are state names (strings), got a %s", kind,
                       luaL_typename(L, -1));
        const char *given = lua_tostring(L, -1);
        unsigned bit = 0;
        for (int st = first; st <= last; st++)
            if (strcmp(given, name(st)) == 0)
                bit = 1u << (unsigned)st; /* PSS_SESSION_STATE_BIT and PSS_ORDER_STATE_BIT alike */
        if (!bit)
            luaL_error(L, "unknown %s state '%s'", kind, given);
        mask |= bit;
        lua_pop(L, 1);
    }
    return mask;
}

static const char *const actor_fields[] = {"user", "role", "device", NULL};

pss_actor lpss_check_actor(lua_State *L, int arg, int anchor)
{
    lpss_in in = lpss_in_open(L, arg, anchor, "actor", 0);
    lpss_in_allow(&in, actor_fields);
    pss_actor a = PSS_ACTOR_INIT;
    a.user = lpss_in_string(&in, "user", 1);
    a.role = (pss_role)lpss_in_enum(&in, "role", lpss_role_names, lpss_role_values,
                                    PSS_ROLE_CASHIER);
    a.device = lpss_in_string(&in, "device", 0);
    return a;
}

void *lpss_scratch(lua_State *L, int anchor, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        luaL_error(L, "too many elements (%d)", (int)(n > INT32_MAX ? INT32_MAX : n));
    size_t bytes = n * size;
    if (bytes == 0)
        bytes = 1;
    void *p = lua_newuserdatauv(L, bytes, 0);
    memset(p, 0, bytes);
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    return p;
}
