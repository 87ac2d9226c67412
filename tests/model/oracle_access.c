/* oracle_access.c: doc/concepts.md, "Who may make which call": the role first, then the
 * session's state, then the user and the lease; and the lease renewal by the responsible
 * user. */
#include <string.h>

#include "oracle.h"

static int lease_live(const model *m, const m_session *s)
{
    return m->now < s->lease_exp;
}

static int on_lease(const model *m, const m_session *s, const g_actor *a)
{
    return !lease_live(m, s) || strcmp(a->device.s, s->device) == 0;
}

static int role_needed(int rule)
{
    switch (rule) {
    case RULE_MANAGER:
        return R_MANAGER;
    case RULE_ADMIN:
        return R_ADMIN;
    default:
        return R_CASHIER;
    }
}

static int state_code(const m_session *s, unsigned states)
{
    if (states & ST(s->state))
        return 0;
    return s->state == SS_CLOSED ? E_CLOSED : E_STATE;
}

static int user_code(const model *m, const m_session *s, const g_actor *a, int rule)
{
    int responsible = strcmp(a->user.s, s->user) == 0;
    switch (rule) {
    case RULE_OPERATE:
        if (!responsible)
            return E_ACCESS;
        return on_lease(m, s, a) ? 0 : E_LOCKED;
    case RULE_SUPERVISE:
        if (a->role >= R_MANAGER)
            return 0;
        if (!responsible)
            return E_ACCESS;
        return on_lease(m, s, a) ? 0 : E_LOCKED;
    case RULE_TAKE_OVER:
        /* "a cashier only once the lease has expired, else PSS_ELOCKED; a manager at any
         * time": also a cashier on the device that holds the lease, and the holder itself */
        if (a->role >= R_MANAGER)
            return 0;
        return lease_live(m, s) ? E_LOCKED : 0;
    default:
        return 0;
    }
}

/* The access rule of a call: 0, or the first refusal in the documented order (added to ex).
 * The actor's own form is checked first (a NULL or malformed actor is EINVAL). */
int m_access(const model *m, const m_session *s, const g_actor *a, int rule, unsigned states,
             m_expect *ex)
{
    if (m_actor_check(a, ex))
        return ex->codes[0];
    int rc = a->role < role_needed(rule) ? E_ACCESS : 0;
    if (!rc)
        rc = state_code(s, states);
    if (!rc)
        rc = user_code(m, s, a, rule);
    if (rc)
        ex_add(ex, rc, rc == E_ACCESS   ? "access: role or user"
                       : rc == E_LOCKED ? "access: leased to another device"
                       : rc == E_CLOSED ? "state: closed"
                                        : "state: not allowed in this state");
    return rc;
}

/* "Each call by the responsible user renews a device lease." */
void m_renew(const model *m, m_session *s, const g_actor *a)
{
    if (strcmp(a->user.s, s->user) != 0)
        return;
    strcpy(s->device, a->device.s);
    s->lease_exp = m->now + s->cfg.lease_s * 1000;
}
