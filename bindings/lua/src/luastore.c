/* luastore.c: the bridge that lets a Lua table implement the storage protocol. Each C
 * callback the library calls runs the table's method under lua_pcall, so that nothing Lua
 * raises ever unwinds through the library: a raise becomes PSS_ESTORAGE with the Lua message
 * as the store's detail. What a method returns is read by the rules in doc/lua.md:
 * a result on success, `nil, code [, detail]` for an outcome the protocol names. */
#include "lpss.h"

#include <stdio.h>
#include <string.h>

static const char *const protocol[] = {"begin", "commit",  "rollback", "get",
                                       "put",   "scan",    "claim",    "release",
                                       "lookup", "append", "audit_scan", NULL};

/* One callback invocation: its arguments in, its outputs out. */
typedef struct bridge_call {
    lpss_bridge *b;
    const char *name;
    int (*push)(lua_State *L, struct bridge_call *c);
    int (*take)(lua_State *L, struct bridge_call *c, int first, int n);
    int rc;
    unsigned flags;
    const char *kind, *id, *parent, *key, *owner, *subject;
    const pss_record *record;
    const char *payload;
    size_t payload_len;
    uint64_t expected_rev, after_seq;
    uint64_t *out_u64;
    char *holder;
    size_t holder_size;
    pss_record_fn fn;
    pss_audit_fn audit_fn;
    void *arg;
} bridge_call;

/* Runs inside lua_pcall: finds the table, calls table:name(args...), reads the results. */
static int run_call(lua_State *L)
{
    bridge_call *c = lua_touserdata(L, 1);
    if (lpss_anchor_push(L, c->b->store) != LUA_TUSERDATA)
        return luaL_error(L, "the Lua store was collected");
    lua_getiuservalue(L, -1, 1);
    if (lua_getfield(L, -1, c->name) == LUA_TNIL)
        return luaL_error(L, "the Lua store has no '%s' function", c->name);
    lua_pushvalue(L, -2);
    int base = lua_gettop(L) - 2;
    int nargs = 1 + c->push(L, c);
    lua_call(L, nargs, LUA_MULTRET);
    c->rc = c->take(L, c, base + 1, lua_gettop(L) - base);
    return 0;
}

static int bridge_run(bridge_call *c)
{
    lpss_bridge *b = c->b;
    b->errmsg[0] = '\0';
    if (!b->L) {
        snprintf(b->errmsg, sizeof b->errmsg, "the Lua store was called outside a call");
        return PSS_ESTORAGE;
    }
    char msg[LPSS_MSG_SIZE - 128]; /* room for the prefix added below */
    if (lpss_protect(b->L, run_call, c, msg, sizeof msg)) {
        snprintf(b->errmsg, sizeof b->errmsg, "Lua store '%s' raised: %s", c->name, msg);
        return PSS_ESTORAGE;
    }
    return c->rc;
}

/* `nil, code [, detail]`: the method reports a protocol outcome. Returns the code, or 1 when
 * the results are not such a report. */
static int reported(lua_State *L, bridge_call *c, int first, int n)
{
    if (n < 2 || lua_toboolean(L, first) || !lua_isinteger(L, first + 1))
        return 1;
    lua_Integer code = lua_tointeger(L, first + 1);
    if (code >= 0 || code < INT32_MIN)
        return luaL_error(L, "'%s' returned code %I, expected a negative possession.E code",
                          c->name, code);
    const char *detail = n >= 3 && lua_type(L, first + 2) == LUA_TSTRING
                             ? lua_tostring(L, first + 2)
                             : pss_strerror((int)code);
    snprintf(c->b->errmsg, sizeof c->b->errmsg, "Lua store '%s': %s", c->name, detail);
    return (int)code;
}

static uint64_t result_u64(lua_State *L, bridge_call *c, int index, uint64_t min)
{
    if (!lua_isinteger(L, index))
        luaL_error(L, "'%s' returned %s, expected an integer", c->name,
                   luaL_typename(L, index));
    lua_Integer v = lua_tointeger(L, index);
    if (v < 0 || (uint64_t)v < min)
        luaL_error(L, "'%s' returned %I, expected at least %I", c->name, v, (lua_Integer)min);
    return (uint64_t)v;
}

static void copy_holder(bridge_call *c, const char *text)
{
    if (c->holder_size)
        snprintf(c->holder, c->holder_size, "%s", text ? text : "");
}

/* ---- reading records --------------------------------------------------------------------- */

/* A string field of a returned table, left on the stack so it lives while it is used. */
static const char *field_string(lua_State *L, bridge_call *c, int table, const char *field,
                                const char *dflt)
{
    int t = lua_getfield(L, table, field);
    if (t == LUA_TNIL && dflt)
        return dflt;
    if (t != LUA_TSTRING)
        luaL_error(L, "'%s' returned a record whose '%s' is %s, expected a string", c->name,
                   field, lua_typename(L, t));
    return lua_tostring(L, -1);
}

static void read_record(lua_State *L, bridge_call *c, int table, pss_record *r)
{
    table = lua_absindex(L, table);
    if (lua_type(L, table) != LUA_TTABLE)
        luaL_error(L, "'%s' returned %s where a record table was expected", c->name,
                   luaL_typename(L, table));
    r->kind = field_string(L, c, table, "kind", c->kind);
    r->id = field_string(L, c, table, "id", c->id);
    r->parent = field_string(L, c, table, "parent", c->parent ? c->parent : "");
    lua_getfield(L, table, "rev");
    r->rev = result_u64(L, c, -1, 1);
    r->payload = field_string(L, c, table, "payload", NULL);
    r->payload_len = lua_rawlen(L, -1);
}

static void read_audit_item(lua_State *L, bridge_call *c, int table, pss_audit_item *item)
{
    table = lua_absindex(L, table);
    if (lua_type(L, table) != LUA_TTABLE)
        luaL_error(L, "'%s' returned %s where an audit entry table was expected", c->name,
                   luaL_typename(L, table));
    lua_getfield(L, table, "seq");
    item->seq = result_u64(L, c, -1, 1);
    item->subject = field_string(L, c, table, "subject", NULL);
    item->payload = field_string(L, c, table, "payload", NULL);
    item->payload_len = lua_rawlen(L, -1);
}

/* Walks a returned sequence, calling each(element index) until one returns non-zero. */
static int each_element(lua_State *L, bridge_call *c, int first, int n,
                        int (*each)(lua_State *L, bridge_call *c))
{
    if (n == 0 || lua_isnil(L, first))
        return 0;
    if (lua_type(L, first) != LUA_TTABLE)
        return luaL_error(L, "'%s' returned %s, expected a sequence of tables", c->name,
                          luaL_typename(L, first));
    lua_Integer len = luaL_len(L, first);
    for (lua_Integer i = 1; i <= len; i++) {
        int top = lua_gettop(L);
        lua_geti(L, first, i);
        int rc = each(L, c);
        lua_settop(L, top);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the callbacks ----------------------------------------------------------------------- */

static int push_none(lua_State *L, bridge_call *c)
{
    (void)L;
    (void)c;
    return 0;
}

static int take_status(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    return code <= 0 ? code : 0;
}

static int push_begin(lua_State *L, bridge_call *c)
{
    lua_pushboolean(L, (c->flags & PSS_TXN_WRITE) != 0);
    return 1;
}

static int status_call(lpss_bridge *b, const char *name, int (*push)(lua_State *, bridge_call *),
                       unsigned flags)
{
    bridge_call c = {.b = b, .name = name, .push = push, .take = take_status, .flags = flags};
    return bridge_run(&c);
}

static int cb_begin(void *ud, unsigned flags)
{
    return status_call(ud, "begin", push_begin, flags);
}

static int cb_commit(void *ud)
{
    return status_call(ud, "commit", push_none, 0);
}

static int cb_rollback(void *ud)
{
    return status_call(ud, "rollback", push_none, 0);
}

static int push_kind_id(lua_State *L, bridge_call *c)
{
    lua_pushstring(L, c->kind);
    lua_pushstring(L, c->id);
    return 2;
}

static int take_get(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code <= 0)
        return code;
    if (n == 0 || lua_isnil(L, first))
        return PSS_ENOTFOUND;
    pss_record r;
    read_record(L, c, first, &r);
    return c->fn(&r, c->arg);
}

static int cb_get(void *ud, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    bridge_call c = {.b = ud, .name = "get", .push = push_kind_id, .take = take_get,
                     .kind = kind, .id = id, .fn = fn, .arg = arg};
    return bridge_run(&c);
}

static int push_put(lua_State *L, bridge_call *c)
{
    const pss_record *r = c->record;
    lua_createtable(L, 0, 4);
    lpss_set_str(L, "kind", r->kind);
    lpss_set_str(L, "id", r->id);
    lpss_set_str(L, "parent", r->parent ? r->parent : "");
    lua_pushlstring(L, r->payload, r->payload_len);
    lua_setfield(L, -2, "payload");
    lua_pushinteger(L, (lua_Integer)c->expected_rev);
    return 2;
}

static int take_u64(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code <= 0)
        return code;
    if (n == 0)
        return luaL_error(L, "'%s' returned nothing, expected an integer", c->name);
    *c->out_u64 = result_u64(L, c, first, 1);
    return 0;
}

static int cb_put(void *ud, const pss_record *record, uint64_t expected_rev, uint64_t *new_rev)
{
    bridge_call c = {.b = ud, .name = "put", .push = push_put, .take = take_u64,
                     .record = record, .expected_rev = expected_rev, .out_u64 = new_rev};
    return bridge_run(&c);
}

static int push_kind_parent(lua_State *L, bridge_call *c)
{
    lua_pushstring(L, c->kind);
    lua_pushstring(L, c->parent);
    return 2;
}

static int scan_each(lua_State *L, bridge_call *c)
{
    pss_record r;
    read_record(L, c, -1, &r);
    return c->fn(&r, c->arg);
}

static int take_scan(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code <= 0)
        return code;
    return each_element(L, c, first, n, scan_each);
}

static int cb_scan(void *ud, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    bridge_call c = {.b = ud, .name = "scan", .push = push_kind_parent, .take = take_scan,
                     .kind = kind, .parent = parent ? parent : "", .fn = fn, .arg = arg};
    return bridge_run(&c);
}

static int push_key_owner(lua_State *L, bridge_call *c)
{
    lua_pushstring(L, c->key);
    if (!c->owner)
        return 1;
    lua_pushstring(L, c->owner);
    return 2;
}

static int take_claim(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code == PSS_EEXISTS)
        copy_holder(c, n >= 3 && lua_type(L, first + 2) == LUA_TSTRING
                           ? lua_tostring(L, first + 2)
                           : "");
    return code <= 0 ? code : 0;
}

static int cb_claim(void *ud, const char *key, const char *owner, char *holder,
                    size_t holder_size)
{
    bridge_call c = {.b = ud, .name = "claim", .push = push_key_owner, .take = take_claim,
                     .key = key, .owner = owner, .holder = holder, .holder_size = holder_size};
    return bridge_run(&c);
}

static int cb_release(void *ud, const char *key, const char *owner)
{
    bridge_call c = {.b = ud, .name = "release", .push = push_key_owner, .take = take_status,
                     .key = key, .owner = owner};
    return bridge_run(&c);
}

static int take_lookup(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code <= 0)
        return code;
    if (n == 0 || lua_isnil(L, first))
        return PSS_ENOTFOUND;
    if (lua_type(L, first) != LUA_TSTRING)
        return luaL_error(L, "'lookup' returned %s, expected the owner (a string)",
                          luaL_typename(L, first));
    copy_holder(c, lua_tostring(L, first));
    return 0;
}

static int cb_lookup(void *ud, const char *key, char *holder, size_t holder_size)
{
    bridge_call c = {.b = ud, .name = "lookup", .push = push_key_owner, .take = take_lookup,
                     .key = key, .holder = holder, .holder_size = holder_size};
    return bridge_run(&c);
}

static int push_append(lua_State *L, bridge_call *c)
{
    lua_pushstring(L, c->subject);
    lua_pushlstring(L, c->payload, c->payload_len);
    return 2;
}

static int cb_append(void *ud, const char *subject, const char *payload, size_t payload_len,
                     uint64_t *seq)
{
    bridge_call c = {.b = ud, .name = "append", .push = push_append, .take = take_u64,
                     .subject = subject, .payload = payload, .payload_len = payload_len,
                     .out_u64 = seq};
    return bridge_run(&c);
}

static int push_audit_scan(lua_State *L, bridge_call *c)
{
    if (c->subject)
        lua_pushstring(L, c->subject);
    else
        lua_pushnil(L);
    lua_pushinteger(L, (lua_Integer)c->after_seq);
    return 2;
}

static int audit_each(lua_State *L, bridge_call *c)
{
    pss_audit_item item;
    read_audit_item(L, c, -1, &item);
    return c->audit_fn(&item, c->arg);
}

static int take_audit_scan(lua_State *L, bridge_call *c, int first, int n)
{
    int code = reported(L, c, first, n);
    if (code <= 0)
        return code;
    return each_element(L, c, first, n, audit_each);
}

static int cb_audit_scan(void *ud, const char *subject, uint64_t after_seq, pss_audit_fn fn,
                         void *arg)
{
    bridge_call c = {.b = ud, .name = "audit_scan", .push = push_audit_scan,
                     .take = take_audit_scan, .subject = subject, .after_seq = after_seq,
                     .audit_fn = fn, .arg = arg};
    return bridge_run(&c);
}

static const char *cb_errmsg(void *ud)
{
    lpss_bridge *b = ud;
    return b->errmsg[0] ? b->errmsg : NULL;
}

/* A table missing a method is a programming error: raised now, not at the first call. */
static void check_protocol(lua_State *L, int table)
{
    for (size_t i = 0; protocol[i]; i++) {
        int t = lua_getfield(L, table, protocol[i]);
        int callable = t == LUA_TFUNCTION || luaL_getmetafield(L, -1, "__call") != LUA_TNIL;
        if (!callable)
            luaL_error(L, "the store table has no '%s' function", protocol[i]);
        lua_settop(L, table);
    }
}

int lpss_bridge_init(lua_State *L, lpss_store *s, int index)
{
    index = lua_absindex(L, index);
    lua_getiuservalue(L, index, 1);
    check_protocol(L, lua_gettop(L));
    lua_pop(L, 1);
    lpss_bridge *b = &s->bridge;
    pss_storage t = PSS_STORAGE_INIT;
    t.userdata = b;
    t.begin = cb_begin;
    t.commit = cb_commit;
    t.rollback = cb_rollback;
    t.get = cb_get;
    t.put = cb_put;
    t.scan = cb_scan;
    t.claim = cb_claim;
    t.release = cb_release;
    t.lookup = cb_lookup;
    t.append = cb_append;
    t.audit_scan = cb_audit_scan;
    t.errmsg = cb_errmsg;
    b->table = t;
    b->store = s;
    b->L = L;
    s->storage = &b->table;
    lpss_anchor_set(L, s, index);
    return 0;
}
