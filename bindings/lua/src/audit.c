/* audit.c: the audit list handle: a loaded slice of the append-only audit trail (every state
 * change and every close attempt), read like a sequence of record tables. */
#include "lpss.h"

static void audit_release(void *p)
{
    pss_audit_free(p);
}

static void audit_describe(lua_State *L, void *p)
{
    lua_pushfstring(L, "%d entries", (int)pss_audit_count(p));
}

static size_t audit_count(const void *p)
{
    return pss_audit_count(p);
}

/* Figures not recorded (PSS_UNSET) are left out: Lua code sees nil. */
static int audit_push(lua_State *L, const void *p, size_t index)
{
    pss_audit_record r = PSS_AUDIT_RECORD_INIT;
    if (pss_audit_get(p, index, &r) != 0)
        return 0;
    lua_createtable(L, 0, 16);
    lpss_set_int(L, "seq", (int64_t)r.seq);
    lpss_set_int(L, "time", r.time);
    lpss_set_str(L, "user", r.user);
    lpss_set_str(L, "role", lpss_role_name(r.role));
    lpss_set_str(L, "device", r.device);
    lpss_set_str(L, "action", r.action);
    lpss_set_str(L, "session_id", r.session_id);
    lpss_set_str(L, "config_id", r.config_id);
    lpss_set_int(L, "outcome", r.outcome);
    lpss_set_str(L, "detail", r.detail);
    lpss_set_str(L, "reason", r.reason);
    lpss_set_amount(L, "expected", r.expected);
    lpss_set_amount(L, "counted", r.counted);
    lpss_set_amount(L, "difference", r.difference);
    lpss_set_amount(L, "allowed", r.allowed);
    lpss_set_str(L, "json", r.json);
    return 1;
}

const lpss_list_type lpss_audit_type = {
    {"possession.audit", audit_release, audit_describe}, audit_count, audit_push};

/* ctx:audit([subject]) -> audit list about a session or config id, or everything */
int lpss_ctx_audit(lua_State *L)
{
    lpss_ctx *c = lpss_ctx_check(L, 1);
    const char *subject = luaL_optstring(L, 2, NULL);
    lpss_handle *h = lpss_handle_new(L, 1, &lpss_audit_type.base);
    pss_audit *a = NULL;
    lpss_enter(L, c);
    int rc = pss_audit_load(c->ctx, subject, &a);
    h->ptr = a;
    rc = lpss_leave(L, c, rc);
    return rc ? lpss_fail_discard(L, c, h, rc) : 1;
}

void lpss_open_audit(lua_State *L)
{
    lpss_list_register(L, &lpss_audit_type);
}
