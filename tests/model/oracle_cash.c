/* oracle_cash.c: cash movements (in, out, expense, correction) with their sign rules,
 * reasons and counterpart accounts (the config's defaults), and their voids. */
#include <string.h>

#include "oracle.h"

static const char *default_account(const m_config *c, int kind)
{
    switch (kind) {
    case CK_IN:
        return c->acc[A_IN];
    case CK_OUT:
        return c->acc[A_OUT];
    case CK_EXPENSE:
        return c->has_acc[A_EXPENSE] ? c->acc[A_EXPENSE] : NULL;
    default:
        return NULL;
    }
}

static void move_form(const model *m, const m_session *s, const g_cash *in, m_expect *ex)
{
    if (in->kind < CK_IN || in->kind > CK_CORRECTION) {
        ex_add(ex, E_INVAL, "unknown cash movement kind");
        return;
    }
    int64_t v = in->amount;
    if (v > M_AMAX || v < -M_AMAX || v == 0 || (in->kind != CK_CORRECTION && v < 0))
        ex_add(ex, E_INVAL, "cash movement amount");
    if (in->reason.null || !in->reason.s[0] || !m_valid_utf8(in->reason.s, 0))
        ex_add(ex, E_INVAL, "cash movement needs a reason");
    int none = in->account.null || !in->account.s[0];   /* cash.h: NULL or "" */
    if (!none && !m_valid_account(in->account.s))
        ex_add(ex, E_INVAL, "counterpart account name");
    if (none && !default_account(&s->cfg, in->kind))
        ex_add(ex, E_CONFIG, "no counterpart account for the kind");
    if (!in->id.null && !m_valid_uuid(in->id.s))
        ex_add(ex, E_INVAL, "movement id is not a UUID");
    else if (!in->id.null && m_find_move(m, in->id.s) >= 0)
        ex_add(ex, E_CONFLICT, "movement id exists");
}

void m_cash_move(model *m, int si, const g_actor *a, const g_cash *in, m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS), ex);
    move_form(m, s, in, ex);
    if (ex_refused(ex))
        return;
    m_move extra;
    memset(&extra, 0, sizeof extra);
    extra.amount = in->amount;
    if (!m_volume_ok(m, si, NULL, &extra)) {
        ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        return;
    }
    m_move *v = m_new_move(m);
    strcpy(v->id, in->id.null ? "" : in->id.s);
    v->session = si;
    v->kind = in->kind;
    v->amount = in->amount;
    v->time = m->now;
    strcpy(v->reason, in->reason.s);
    int none = in->account.null || !in->account.s[0];
    strcpy(v->account, none ? default_account(&s->cfg, in->kind) : in->account.s);
    strcpy(v->user, a->user.s);
    s->touched = 1;
    m_renew(m, s, a);
}

void m_cash_void(model *m, int si, const g_actor *a, const g_str *id, const g_str *reason,
                 m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS) | ST(SS_CLOSING), ex);
    if (reason->null || !reason->s[0] || !m_valid_utf8(reason->s, 0))
        ex_add(ex, E_INVAL, "void needs a reason");
    int vi = id->null ? -1 : m_find_move(m, id->s);
    if (id->null)
        ex_add(ex, E_INVAL, "movement id missing");
    else if (vi < 0 || m->mv[vi].session != si)
        ex_add(ex, E_NOTFOUND, "no such movement in the session");
    else if (m->mv[vi].voided)
        ex_add(ex, E_STATE, "movement already voided");
    if (ex_refused(ex))
        return;
    m->mv[vi].voided = 1;
    strcpy(m->mv[vi].void_reason, reason->s);
    s->touched = 1;
    m_renew(m, s, a);
}
