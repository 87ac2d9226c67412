/* fiscal.c: a config's fiscal chain from Lua (doc/fiscal.md): ctx:fiscal_verify(config_id)
 * and ctx:fiscal_archive(config_id [, first [, last]]). */
#include "lpss.h"

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
