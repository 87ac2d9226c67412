/* fiscal.c: a config's fiscal chain from Lua (doc/fiscal.md): ctx:fiscal_verify(config_id),
 * ctx:fiscal_archive(config_id [, first [, last]]), and a signer written in Lua:
 * ctx:set_signer{sign = function(hash) return signature, key_id end [, check = function(hash,
 * signature, key_id) return boolean end]} and ctx:fiscal_resign(config_id). A sign that
 * raises or returns nil declines: the event is recorded unsigned and the call succeeds. */
#include "lpss.h"

#include <stdio.h>
#include <string.h>

/* ctx:fiscal_verify(config_id) -> {whole, events, first_bad_seq, problem, head_hash, detail,
 * unsigned_events};
 * a broken chain is an answer (whole false), not a failure. */
int lpss_ctx_fiscal_verify(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    lpss_enter(L, c);
    int rc = pss_fiscal_verify(c->ctx, config_id, &v);
    char detail[512];
    snprintf(detail, sizeof detail, "%s", rc ? pss_ctx_errmsg(c->ctx) : "");
    rc = lpss_leave(L, c, rc == PSS_ECORRUPT ? 0 : rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lua_createtable(L, 0, 6);
    lpss_set_bool(L, "whole", v.first_bad_seq == 0);
    lpss_set_int(L, "events", (int64_t)v.events);
    lpss_set_int(L, "first_bad_seq", (int64_t)v.first_bad_seq);
    lpss_set_str(L, "problem", pss_fiscal_problem_name(v.problem));
    lpss_set_str(L, "head_hash", v.head_hash);
    lpss_set_str(L, "detail", detail);
    lpss_set_int(L, "unsigned_events", (int64_t)v.unsigned_events);
    return 1;
}

/* ctx:fiscal_archive(config_id [, first_seq [, last_seq]]) -> the archive's JSON lines */
int lpss_ctx_fiscal_archive(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    lua_Integer first = luaL_optinteger(L, 3, 0), last = luaL_optinteger(L, 4, 0);
    luaL_argcheck(L, first >= 0, 3, "a seq is not negative");
    luaL_argcheck(L, last >= 0, 4, "a seq is not negative");
    lpss_text *t = lpss_text_new(L);
    lpss_enter(L, c);
    int rc = pss_fiscal_archive(c->ctx, config_id, (uint64_t)first, (uint64_t)last,
                                lpss_text_write, t);
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lua_pushlstring(L, t->data ? t->data : "", t->len);
    return 1;
}

/* ---- a signer written in Lua ---- */

typedef struct sign_call {
    lpss_ctx *c;
    const uint8_t *hash;
    uint8_t *sig;       /* sign: out; check: in */
    size_t *sig_len;    /* sign: out */
    size_t check_len;   /* check: in */
    char *key_id;       /* sign: out */
    const char *check_key;
    int result;         /* sign: 0 signed, 1 declined; check: 1 good */
} sign_call;

/* Pushes signer[field] (the signer table is user value 2's "signer"). */
static void push_signer_fn(lua_State *L, lpss_ctx *c, const char *field)
{
    if (lpss_anchor_push(L, c) != LUA_TUSERDATA)
        luaL_error(L, "the context was collected");
    lua_getiuservalue(L, -1, 2);
    lua_getfield(L, -1, "signer");
    lua_getfield(L, -1, field);
}

static int run_sign(lua_State *L)
{
    sign_call *s = lua_touserdata(L, 1);
    push_signer_fn(L, s->c, "sign");
    lua_pushlstring(L, (const char *)s->hash, 32);
    lua_call(L, 1, 2);
    if (lua_isnil(L, -2)) {
        s->result = 1;
        return 0;
    }
    size_t n = 0;
    const char *sig = lua_tolstring(L, -2, &n), *key = lua_tostring(L, -1);
    if (!sig || !key)
        return luaL_error(L, "sign returned no signature and key id");
    *s->sig_len = n; /* more than the room is garbage to the library */
    if (n <= PSS_SIGNATURE_MAX)
        memcpy(s->sig, sig, n);
    snprintf(s->key_id, PSS_KEY_ID_SIZE, "%s", key);
    s->result = 0;
    return 0;
}

static int run_check(lua_State *L)
{
    sign_call *s = lua_touserdata(L, 1);
    push_signer_fn(L, s->c, "check");
    lua_pushlstring(L, (const char *)s->hash, 32);
    lua_pushlstring(L, (const char *)s->sig, s->check_len);
    lua_pushstring(L, s->check_key);
    lua_call(L, 3, 1);
    s->result = lua_toboolean(L, -1);
    return 0;
}

static int sign_hook(void *ud, const uint8_t hash[32], uint8_t sig[PSS_SIGNATURE_MAX],
                     size_t *sig_len, char key_id[PSS_KEY_ID_SIZE])
{
    sign_call s = {ud, hash, sig, sig_len, 0, key_id, NULL, 1};
    char msg[256];
    if (!s.c->L || lpss_protect(s.c->L, run_sign, &s, msg, sizeof msg) != LUA_OK)
        return -1; /* raised: declined, the event recorded unsigned */
    return s.result;
}

static int check_hook(void *ud, const uint8_t hash[32], const uint8_t *sig, size_t sig_len,
                      const char *key_id)
{
    sign_call s = {ud, hash, (uint8_t *)sig, NULL, sig_len, NULL, key_id, 0};
    char msg[256];
    if (!s.c->L || lpss_protect(s.c->L, run_check, &s, msg, sizeof msg) != LUA_OK)
        return -1;
    return s.result ? 0 : -1;
}

/* ctx:set_signer(table or nil) -> true */
int lpss_ctx_set_signer(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    int none = lua_isnoneornil(L, 2);
    if (!none) {
        luaL_checktype(L, 2, LUA_TTABLE);
        luaL_argcheck(L, lua_getfield(L, 2, "sign") == LUA_TFUNCTION, 2,
                      "a signer has a sign function");
        lua_pop(L, 1);
    }
    int has_check = !none && lua_getfield(L, 2, "check") == LUA_TFUNCTION;
    if (!none)
        lua_pop(L, 1);
    lua_settop(L, 2);
    pss_signer t = PSS_SIGNER_INIT;
    t.userdata = c;
    t.sign = sign_hook;
    t.check = has_check ? check_hook : NULL;
    int rc = pss_ctx_set_signer(c->ctx, none ? NULL : &t);
    if (!rc) {
        lua_getiuservalue(L, 1, 2);
        lua_pushvalue(L, 2);
        lua_setfield(L, -2, "signer");
        lua_pop(L, 1);
    }
    return lpss_ok_or_fail(L, c, rc);
}

/* ctx:fiscal_resign(config_id) -> how many it signed */
int lpss_ctx_fiscal_resign(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *config_id = luaL_checkstring(L, 2);
    uint64_t n = 0;
    lpss_enter(L, c);
    int rc = pss_fiscal_resign(c->ctx, config_id, &n);
    rc = lpss_leave(L, c, rc);
    if (rc)
        return lpss_fail(L, c, rc);
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}
