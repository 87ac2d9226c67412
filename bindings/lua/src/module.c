/* module.c: luaopen_possession, the module table: error codes (possession.E), strerror,
 * version, money helpers (exact parse and format in minor units, checked arithmetic) and ids;
 * then every part registers its handles and constructors. */
#include "lpss.h"

#include <stdio.h>

#if defined(__GNUC__) && __GNUC__ >= 4
#define LPSS_EXPORT __attribute__((visibility("default")))
#else
#define LPSS_EXPORT
#endif

LPSS_EXPORT int luaopen_possession(lua_State *L);

static const struct {
    const char *name;
    int code;
} error_codes[] = {
    {"INVAL", PSS_EINVAL},         {"NOMEM", PSS_ENOMEM},       {"NOTFOUND", PSS_ENOTFOUND},
    {"EXISTS", PSS_EEXISTS},       {"STATE", PSS_ESTATE},       {"ACCESS", PSS_EACCESS},
    {"LOCKED", PSS_ELOCKED},       {"OVERFLOW", PSS_EOVERFLOW}, {"CONFLICT", PSS_ECONFLICT},
    {"CLOSED", PSS_ECLOSED},       {"PENDING", PSS_EPENDING},   {"PAYPENDING", PSS_EPAYPENDING},
    {"LIMIT", PSS_ELIMIT},         {"UNBALANCED", PSS_EUNBALANCED},
    {"CORRUPT", PSS_ECORRUPT},     {"STORAGE", PSS_ESTORAGE},   {"VERSION", PSS_EVERSION},
    {"BUSY", PSS_EBUSY},           {"CONFIG", PSS_ECONFIG},     {"REFUND", PSS_EREFUND},
    {"OVERPAY", PSS_EOVERPAY},     {"MISMATCH", PSS_EMISMATCH}, {"IO", PSS_EIO},
    {"DRAWER", PSS_EDRAWER},
};

static int m_strerror(lua_State *L)
{
    lua_Integer code = luaL_checkinteger(L, 1);
    lua_pushstring(L, pss_strerror(code < INT32_MIN || code > INT32_MAX ? 1 : (int)code));
    return 1;
}

/* ---- money ------------------------------------------------------------------------------- */

int lpss_check_exponent(lua_State *L, int arg)
{
    if (lua_type(L, arg) == LUA_TNUMBER) {
        int64_t e = lpss_check_int(L, arg, "exponent");
        return e < PSS_EXPONENT_MIN || e > PSS_EXPONENT_MAX ? -1 : (int)e;
    }
    if (luaL_testudata(L, arg, lpss_config_type.name))
        return pss_config_exponent(lpss_handle_check(L, arg, &lpss_config_type)->ptr);
    if (luaL_testudata(L, arg, lpss_session_type.name)) {
        lpss_handle *h = lpss_handle_check(L, arg, &lpss_session_type);
        return pss_config_exponent(pss_session_config(h->ptr));
    }
    return luaL_typeerror(L, arg, "config, session or exponent");
}

/* money.parse("12.34", config) -> 1234 */
static int money_parse(lua_State *L)
{
    const char *text = luaL_checkstring(L, 1);
    int exponent = lpss_check_exponent(L, 2);
    int64_t amount = 0;
    int rc = pss_money_parse(text, exponent, &amount);
    if (rc) {
        lua_pushfstring(L, "cannot read '%s' as an amount with %d decimals: %s", text, exponent,
                        pss_strerror(rc));
        return lpss_fail_plain(L, rc, lua_tostring(L, -1));
    }
    lua_pushinteger(L, (lua_Integer)amount);
    return 1;
}

/* money.format(1234, config) -> "12.34" */
static int money_format(lua_State *L)
{
    int64_t amount = lpss_check_int(L, 1, "amount in minor units");
    int exponent = lpss_check_exponent(L, 2);
    char buf[PSS_MONEY_BUFSIZE];
    int rc = pss_money_format(amount, exponent, buf, sizeof buf);
    if (rc < 0)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushstring(L, buf);
    return 1;
}

typedef int (*money_op)(int64_t a, int64_t b, int64_t *out);

static int money_binary(lua_State *L, money_op op)
{
    int64_t a = lpss_check_int(L, 1, "amount");
    int64_t b = lpss_check_int(L, 2, "amount");
    int64_t out = 0;
    int rc = op(a, b, &out);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushinteger(L, (lua_Integer)out);
    return 1;
}

static int money_add(lua_State *L)
{
    return money_binary(L, pss_money_add);
}

static int money_sub(lua_State *L)
{
    return money_binary(L, pss_money_sub);
}

static int money_mul(lua_State *L)
{
    return money_binary(L, pss_money_mul);
}

static pss_rounding check_rounding(lua_State *L, int arg)
{
    int i = luaL_checkoption(L, arg, "half_up", lpss_rounding_names);
    return (pss_rounding)lpss_rounding_values[i];
}

/* money.scale(amount, num, den [, rounding]) -> amount * num / den, rounded */
static int money_scale(lua_State *L)
{
    int64_t amount = lpss_check_int(L, 1, "amount");
    int64_t num = lpss_check_int(L, 2, "numerator");
    int64_t den = lpss_check_int(L, 3, "denominator");
    pss_rounding mode = check_rounding(L, 4);
    int64_t out = 0;
    int rc = pss_money_scale(amount, num, den, mode, &out);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushinteger(L, (lua_Integer)out);
    return 1;
}

/* money.round_to(amount, increment [, rounding]) */
static int money_round_to(lua_State *L)
{
    int64_t amount = lpss_check_int(L, 1, "amount");
    int64_t increment = lpss_check_int(L, 2, "increment");
    pss_rounding mode = check_rounding(L, 3);
    int64_t out = 0;
    int rc = pss_money_round_to(amount, increment, mode, &out);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushinteger(L, (lua_Integer)out);
    return 1;
}

/* ---- ids --------------------------------------------------------------------------------- */

static int id_generate(lua_State *L)
{
    char id[PSS_ID_SIZE];
    int rc = pss_id_generate(id);
    if (rc)
        return lpss_fail_plain(L, rc, NULL);
    lua_pushstring(L, id);
    return 1;
}

static int id_normalize(lua_State *L)
{
    const char *text = luaL_checkstring(L, 1);
    char id[PSS_ID_SIZE];
    int rc = pss_id_normalize(text, id);
    if (rc)
        return lpss_fail_plain(L, rc, lua_pushfstring(L, "'%s' is not a UUID", text));
    lua_pushstring(L, id);
    return 1;
}

void lpss_open_money(lua_State *L)
{
    static const luaL_Reg money[] = {
        {"parse", money_parse}, {"format", money_format}, {"add", money_add},
        {"sub", money_sub},     {"mul", money_mul},       {"scale", money_scale},
        {"round_to", money_round_to}, {NULL, NULL}};
    static const luaL_Reg id[] = {{"generate", id_generate}, {"normalize", id_normalize},
                                  {NULL, NULL}};
    luaL_newlib(L, money);
    lua_setfield(L, -2, "money");
    luaL_newlib(L, id);
    lua_setfield(L, -2, "id");
}

static void open_errors(lua_State *L)
{
    size_t n = sizeof error_codes / sizeof error_codes[0];
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        lua_pushinteger(L, error_codes[i].code);
        lua_setfield(L, -2, error_codes[i].name);
    }
    lua_setfield(L, -2, "E");
}

LPSS_EXPORT int luaopen_possession(lua_State *L)
{
    luaL_checkversion(L);
    lpss_open_handles(L);
    lua_newtable(L);
    lua_pushstring(L, pss_version());
    lua_setfield(L, -2, "version");
    lua_pushcfunction(L, m_strerror);
    lua_setfield(L, -2, "strerror");
    open_errors(L);
    lpss_open_money(L);
    lpss_open_store(L);
    lpss_open_context(L);
    lpss_open_config(L);
    lpss_open_session(L);
    lpss_open_order(L);
    lpss_open_cash(L);
    lpss_open_report(L);
    lpss_open_journal(L);
    lpss_open_audit(L);
    return 1;
}
