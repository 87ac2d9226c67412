/* oracle_cash.c: cash movements (in, out, expense, correction) with their sign rules,
 * reasons and counterpart accounts (the config's defaults), their voids, and the drawer:
 * what it holds and the payouts it refuses (concepts.md, "The drawer"). */
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

/* The done cash payments of o, net of change. */
static int64_t cash_net(const m_order *o, int cash)
{
    int64_t net = 0;
    for (int i = 0; i < o->np; i++)
        if (o->p[i].state == PS_DONE && o->p[i].method == cash)
            net += o->p[i].amount - o->p[i].change;
    return net;
}

/* What the drawer of session si holds: the expected cash (concepts.md: "The drawer holds the
 * expected cash"), with order o as it stands now in place of its recorded self (a copy being
 * paid, or a submitted order not recorded yet, whose earlier payments count); o may be NULL. */
int64_t m_drawer(const model *m, int si, const m_order *o)
{
    m_figs f;
    m_figs_of(m, si, 0, &f);
    if (!o)
        return f.expected_cash;
    int cash = m_cash_method(&m->s[si].cfg);
    int oi = o->id[0] ? m_find_order(m, o->id) : -1;
    int64_t held = f.expected_cash;
    if (oi >= 0 && m->o[oi].session == si)
        held -= cash_net(&m->o[oi], cash);
    return held + cash_net(o, cash);
}

/* A payout of `amount` (> 0) from a drawer holding `holds`: "cannot take more than it holds:
 * PSS_EDRAWER ... with the figures holds and amount", unless the config allows a negative
 * drawer. `shown` is the other value the amount figure may take (a refund's own, negative
 * amount; README, readings). */
void m_payout(const model *m, int si, int64_t holds, int64_t amount, int64_t shown,
              m_expect *ex)
{
    if (m->s[si].cfg.allow_negative || amount <= holds)
        return;
    ex_add(ex, E_DRAWER, "a payout beyond what the drawer holds");
    if (ex->n != 1)
        return;
    ex->fig_name[0] = "holds";
    ex->fig_val[0] = holds;
    ex->fig_name[1] = "amount";
    ex->fig_val[1] = amount;
    ex->fig_alt[1] = shown;
    ex->fig_has_alt[1] = shown != amount;
    ex->nfig = 2;
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
    if (m_meta_verdict(meta_text(in->meta)) != META_OK)
        ex_add(ex, E_INVAL, "movement metadata: not a JSON object of at most 4096 bytes");
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
    /* "A payout of cash (cash out, an expense, ...) cannot take more than it holds"; "Cash in
     * and corrections are not payouts" */
    int payout = (in->kind == CK_OUT || in->kind == CK_EXPENSE) && !s->rescue;
    /* cash.h: "A rescue session has no drawer of its own: its movements are not weighed." */
    if (payout && in->amount > 0 && in->amount <= M_AMAX)
        m_payout(m, si, m_drawer(m, si, NULL), in->amount, in->amount, ex);
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
    v->meta = in->meta;
    s->touched = 1;
    m_fiscal(m, si, 1);   /* cash.move */
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
    m_fiscal(m, si, 1);   /* cash.void */
    m_renew(m, s, a);
}
