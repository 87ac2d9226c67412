/* cash.c: cash movements of a session (in, out, expense, correction), voiding them, and the
 * cash list handle that reads them back. */
#include "lpss.h"

static const char *const kind_names[] = {"in", "out", "expense", "correction", NULL};
static const int kind_values[] = {PSS_CASH_IN, PSS_CASH_OUT, PSS_CASH_EXPENSE,
                                  PSS_CASH_CORRECTION};

static const char *kind_name(pss_cash_kind kind)
{
    return kind >= PSS_CASH_IN && kind <= PSS_CASH_CORRECTION ? kind_names[kind - 1]
                                                              : "unknown";
}

static void cashlist_release(void *p)
{
    pss_cash_list_free(p);
}

static void cashlist_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "%d movements", (int)pss_cash_list_count(p));
}

static size_t cashlist_count(const void *p)
{
    return pss_cash_list_count(p);
}

static int cashlist_push(lua_State *L, const void *p, size_t index)
{
    pss_cash_info ci = PSS_CASH_INFO_INIT;
    if (pss_cash_list_get(p, index, &ci) != 0)
        return 0;
    lua_createtable(L, 0, 9);
    lpss_set_str(L, "id", ci.id);
    lpss_set_str(L, "kind", kind_name(ci.kind));
    lpss_set_int(L, "amount", ci.amount);
    lpss_set_str(L, "reason", ci.reason);
    lpss_set_str(L, "account", ci.account);
    lpss_set_str(L, "user", ci.user);
    lpss_set_int(L, "time", ci.time);
    lpss_set_bool(L, "voided", ci.voided);
    lpss_set_str(L, "void_reason", ci.void_reason);
    return 1;
}

const lpss_list_type lpss_cashlist_type = {
    {"possession.cashlist", cashlist_release, cashlist_describe}, cashlist_count, cashlist_push};

static const char *const cash_fields[] = {"id", "kind", "amount", "reason", "account", "meta",
                                          NULL};

/* session:cash_move(actor, {kind=, amount=, reason=, account=, id=, meta=}) -> movement id */
int lpss_session_cash_move(lua_State *L)
{
    lpss_handle *h = lpss_handle_check(L, 1, &lpss_session_type);
    int anchor = lpss_anchor_new(L, 3);
    pss_actor actor = lpss_check_actor(L, 2, anchor);
    lpss_in in = lpss_in_open(L, 3, anchor, "cash movement", 0);
    lpss_in_allow(&in, cash_fields);
    pss_cash_input ci = PSS_CASH_INPUT_INIT;
    ci.id = lpss_in_string(&in, "id", 0);
    ci.kind = (pss_cash_kind)lpss_in_enum(&in, "kind", kind_names, kind_values, 0);
    if (!ci.kind)
        luaL_error(L, "cash movement: field 'kind' is required");
    ci.amount = lpss_in_int(&in, "amount", 0, 1);
    ci.reason = lpss_in_string(&in, "reason", 0);
    ci.account = lpss_in_string(&in, "account", 0);
    ci.meta = lpss_in_string(&in, "meta", 0);
    char id[PSS_ID_SIZE] = "";
    lpss_enter(L, h->owner);
    int rc = pss_cash_move(h->ptr, &actor, &ci, id);
    rc = lpss_leave(L, h->owner, rc);
    if (rc)
        return lpss_fail(L, h->owner, rc);
    lua_pushstring(L, id);
    return 1;
}

/* session:cash_void(actor, movement_id, reason) */
int lpss_session_cash_void(lua_State *L)
{
    lpss_handle *h = lpss_handle_check(L, 1, &lpss_session_type);
    pss_actor actor = lpss_check_actor(L, 2, lpss_anchor_new(L, 4));
    const char *id = luaL_checkstring(L, 3);
    const char *reason = luaL_optstring(L, 4, NULL);
    lpss_enter(L, h->owner);
    int rc = pss_cash_void(h->ptr, &actor, id, reason);
    return lpss_ok_or_fail(L, h->owner, lpss_leave(L, h->owner, rc));
}

/* session:cash_movements() -> cash list */
int lpss_session_cash_movements(lua_State *L)
{
    lpss_handle *sh = lpss_handle_check(L, 1, &lpss_session_type);
    lpss_handle_push_owner(L, 1);
    lpss_handle *h = lpss_handle_new(L, -1, &lpss_cashlist_type.base);
    pss_cash_list *list = NULL;
    lpss_enter(L, sh->owner);
    int rc = pss_cash_list_load(sh->ptr, &list);
    h->ptr = list;
    rc = lpss_leave(L, sh->owner, rc);
    return rc ? lpss_fail_discard(L, sh->owner, h, rc) : 1;
}

void lpss_open_cash(lua_State *L)
{
    lpss_list_register(L, &lpss_cashlist_type);
}
