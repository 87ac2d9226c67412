/* store.c: store handles: the in-memory store, the SQLite and PostgreSQL stores when
 * libpossession-sqlite and libpossession-pg were found at build time, and stores implemented
 * by a Lua table (see luastore.c). A store released while contexts still use it is freed
 * when the last of them is. */
#include "lpss.h"

#include <stdio.h>
#include <string.h>

#ifdef LPSS_HAVE_SQLITE
#include <possession/sqlite.h>
#endif
#ifdef LPSS_HAVE_PG
#include <possession/pg.h>
#endif

#define STORE_TYPE "possession.store"

static const char *const kind_names[] = {"memory", "sqlite", "lua", "pg"};

static lpss_store *store_push(lua_State *L, lpss_store_kind kind)
{
    lpss_store *s = lua_newuserdatauv(L, sizeof *s, 1);
    memset(s, 0, sizeof *s);
    s->kind = kind;
    luaL_setmetatable(L, STORE_TYPE);
    return s;
}

lpss_store *lpss_store_check(lua_State *L, int index)
{
    lpss_store *s = luaL_checkudata(L, index, STORE_TYPE);
    if (s->closed)
        luaL_error(L, "attempt to use a released %s", STORE_TYPE);
    return s;
}

/* Lua stores own nothing in C: their table goes with the userdata. */
static void store_free_now(lpss_store *s)
{
    if (s->storage && s->kind != LPSS_STORE_LUA)
        pss_storage_free(s->storage);
    s->storage = NULL;
}

void lpss_store_drop_user(lpss_store *s)
{
    s->users--;
    if (s->closed && s->users == 0)
        store_free_now(s);
}

static int store_release(lua_State *L)
{
    lpss_store *s = luaL_checkudata(L, 1, STORE_TYPE);
    s->closed = 1;
    if (s->users == 0)
        store_free_now(s);
    return 0;
}

static int store_tostring(lua_State *L)
{
    lpss_store *s = luaL_checkudata(L, 1, STORE_TYPE);
    if (s->closed)
        lua_pushfstring(L, "%s (released)", STORE_TYPE);
    else
        lua_pushfstring(L, "%s: %s (%p)", STORE_TYPE, kind_names[s->kind], (void *)s);
    return 1;
}

static int store_kind(lua_State *L)
{
    lua_pushstring(L, kind_names[lpss_store_check(L, 1)->kind]);
    return 1;
}

/* The whole content of an in-memory store as stable text (tests compare two dumps). */
static int store_dump(lua_State *L)
{
    lpss_store *s = lpss_store_check(L, 1);
    luaL_argcheck(L, s->kind == LPSS_STORE_MEMORY, 1, "only an in-memory store can be dumped");
    lpss_text *t = lpss_text_new(L);
    int rc = pss_memstore_dump(s->storage, lpss_text_write, t);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

static int memory_store(lua_State *L)
{
    lpss_store *s = store_push(L, LPSS_STORE_MEMORY);
    int rc = pss_memstore_new(&s->storage);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    return 1;
}

static int lua_store(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lpss_store *s = store_push(L, LPSS_STORE_LUA);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    lpss_bridge_init(L, s, -1);
    return 1;
}

#if defined(LPSS_HAVE_SQLITE) || defined(LPSS_HAVE_PG)
/* The end of a store's open on a short-lived context tmp (which names the file or server
 * and the reason): the store on the stack, or nil, message, code. Frees tmp. */
static int opened(lua_State *L, pss_ctx *tmp, int rc)
{
    char msg[LPSS_MSG_SIZE];
    snprintf(msg, sizeof msg, "%s", rc && tmp ? pss_ctx_errmsg(tmp) : "");
    pss_ctx_free(tmp);
    return rc ? lpss_fail_plain(L, rc, msg[0] ? msg : NULL) : 1;
}
#endif

#ifdef LPSS_HAVE_SQLITE
static const char *const sqlite_fields[] = {"sync", "busy_timeout_ms", "page_size", NULL};
static const char *const sync_names[] = {"full", "normal", NULL};
static const int sync_values[] = {PSS_SQLITE_SYNC_FULL, PSS_SQLITE_SYNC_NORMAL};

static pss_sqlite_options sqlite_options(lua_State *L, int arg)
{
    int anchor = lpss_anchor_new(L, 2);
    lpss_in in = lpss_in_open(L, arg, anchor, "sqlite options", 1);
    lpss_in_allow(&in, sqlite_fields);
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    o.sync = (pss_sqlite_sync)lpss_in_enum(&in, "sync", sync_names, sync_values,
                                           PSS_SQLITE_SYNC_FULL);
    int64_t timeout = lpss_in_int(&in, "busy_timeout_ms", o.busy_timeout_ms, 0);
    if (timeout < INT32_MIN || timeout > INT32_MAX)
        luaL_error(L, "sqlite options: busy_timeout_ms out of range");
    o.busy_timeout_ms = (int)timeout;
    int64_t page_size = lpss_in_int(&in, "page_size", 0, 0);
    if (page_size < INT32_MIN || page_size > INT32_MAX)
        luaL_error(L, "sqlite options: page_size out of range");
    o.page_size = (int)page_size;
    return o;
}

/* The library names the file and SQLite's reason on a context: a short-lived one here. */
static int sqlite_store(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    pss_sqlite_options o = sqlite_options(L, 2);
    lpss_store *s = store_push(L, LPSS_STORE_SQLITE);
    pss_ctx *tmp = NULL;
    int rc = pss_ctx_new(&tmp, NULL);
    if (!rc)
        rc = pss_sqlite_open(tmp, path, &o, &s->storage);
    return opened(L, tmp, rc);
}
#endif

#ifdef LPSS_HAVE_PG
static const char *const pg_fields[] = {"lock_timeout_ms", "statement_timeout_ms",
                                        "reconnect_attempts", NULL};

static int pg_option(lpss_in *in, const char *field, int dflt)
{
    int64_t v = lpss_in_int(in, field, dflt, 0);
    if (v < INT32_MIN || v > INT32_MAX)
        luaL_error(in->L, "pg options: %s out of range", field);
    return (int)v;
}

/* The detail names the server, the SQLSTATE and its message, never the password. */
static int pg_store(lua_State *L)
{
    const char *conninfo = luaL_checkstring(L, 1);
    int anchor = lpss_anchor_new(L, 2);
    lpss_in in = lpss_in_open(L, 2, anchor, "pg options", 1);
    lpss_in_allow(&in, pg_fields);
    pss_pg_options o = PSS_PG_OPTIONS_INIT;
    o.lock_timeout_ms = pg_option(&in, "lock_timeout_ms", o.lock_timeout_ms);
    o.statement_timeout_ms = pg_option(&in, "statement_timeout_ms", o.statement_timeout_ms);
    o.reconnect_attempts = pg_option(&in, "reconnect_attempts", o.reconnect_attempts);
    lpss_store *s = store_push(L, LPSS_STORE_PG);
    pss_ctx *tmp = NULL;
    int rc = pss_ctx_new(&tmp, NULL);
    if (!rc)
        rc = pss_pg_open(tmp, conninfo, &o, &s->storage);
    return opened(L, tmp, rc);
}
#endif

/* store:wait([timeout_ms]): true when tills committed audit entries, false at the timeout
 * (pss_pg_wait); only a PostgreSQL store can wait. */
static int store_wait(lua_State *L)
{
    lpss_store *s = lpss_store_check(L, 1);
    luaL_argcheck(L, s->kind == LPSS_STORE_PG, 1, "only a PostgreSQL store can wait");
#ifdef LPSS_HAVE_PG
    lua_Integer timeout = luaL_optinteger(L, 2, -1);
    luaL_argcheck(L, timeout >= INT32_MIN && timeout <= INT32_MAX, 2, "timeout out of range");
    int rc = pss_pg_wait(s->storage, (int)timeout);
    if (rc < 0)
        return lpss_fail_plain(L, rc, s->storage->errmsg(s->storage->userdata));
    lua_pushboolean(L, rc == 1);
#endif
    return 1;
}

void lpss_open_store(lua_State *L)
{
    static const luaL_Reg methods[] = {{"release", store_release}, {"kind", store_kind},
                                       {"dump", store_dump},       {"wait", store_wait},
                                       {NULL, NULL}};
    luaL_newmetatable(L, STORE_TYPE);
    lua_pushcfunction(L, store_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, store_release);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, store_tostring);
    lua_setfield(L, -2, "__tostring");
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);

    lua_pushcfunction(L, memory_store);
    lua_setfield(L, -2, "memory_store");
    lua_pushcfunction(L, lua_store);
    lua_setfield(L, -2, "lua_store");
#ifdef LPSS_HAVE_SQLITE
    lua_pushcfunction(L, sqlite_store);
    lua_setfield(L, -2, "sqlite_store");
    lua_pushboolean(L, 1);
#else
    lua_pushboolean(L, 0);
#endif
    lua_setfield(L, -2, "has_sqlite");
#ifdef LPSS_HAVE_PG
    lua_pushcfunction(L, pg_store);
    lua_setfield(L, -2, "pg_store");
    lua_pushboolean(L, 1);
#else
    lua_pushboolean(L, 0);
#endif
    lua_setfield(L, -2, "has_pg");
}
