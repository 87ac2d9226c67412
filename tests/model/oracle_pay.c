/* oracle_pay.c: doc/concepts.md, "Orders and payments" and "Cash rounding": what is left to
 * pay (rest), its rounding for methods in scope (cash_due), the settlement rules for a
 * payment (settle, change, part payment, EOVERPAY, EINVAL, ESTATE when nothing can be
 * taken), pending payments and their confirm, fail and void. */
#include <string.h>

#include "oracle.h"

int m_pending_index(const m_order *o)
{
    for (int i = 0; i < o->np; i++)
        if (o->p[i].state == PS_PENDING)
            return i;
    return -1;
}

/* due minus done (net of change) and pending payments. */
int64_t m_rest(const m_order *o)
{
    int64_t rest = o->total + o->rounding;
    for (int i = 0; i < o->np; i++) {
        const m_pay *p = &o->p[i];
        if (p->state == PS_DONE)
            rest -= p->amount - p->change;
        else if (p->state == PS_PENDING)
            rest -= p->amount;
    }
    return rest;
}

static int in_scope(const m_config *c, int method)
{
    return c->cr_scope == CR_ALL || (c->cr_scope == CR_CASH && c->m[method].kind == MK_CASH);
}

int64_t m_rounded(const m_session *s, const m_order *o, int method, int64_t rest)
{
    (void)o;
    if (!in_scope(&s->cfg, method))
        return rest;
    return m_round_to(rest, s->cfg.cr_inc, s->cfg.cr_mode);
}

int64_t m_cash_due(const model *m, const m_order *o)
{
    if (o->state != OS_DRAFT)
        return 0;
    const m_session *s = &m->s[o->session];
    int64_t rest = m_rest(o);
    if (s->cfg.cr_scope == CR_OFF)
        return rest;
    return m_round_to(rest, s->cfg.cr_inc, s->cfg.cr_mode);
}

/* order.h: payments follow the sign of what is due (a sale its taxes make negative, an
 * exchange that gives back: negative payments). */
static int due_sign(const m_order *o)
{
    int64_t due = o->total + o->rounding;
    return due < 0 || (due == 0 && m_is_refund(o)) ? -1 : 1;
}

static int pay_form(const m_session *s, const m_order *o, const g_pay *in, int submit,
                    m_expect *ex)
{
    const m_config *c = &s->cfg;
    int mi = in->method.null ? -1 : m_method_index(c, in->method.s);
    if (mi < 0)
        ex_add(ex, E_INVAL, "unknown payment method");
    if (in->amount == 0 || in->amount > M_AMAX || in->amount < -M_AMAX)
        ex_add(ex, E_INVAL, "payment amount zero or beyond the bound");
    else if ((in->amount < 0) != (due_sign(o) < 0))
        ex_add(ex, E_INVAL, "payment sign: the sign of what is due");
    if (!in->reference.null && !m_valid_utf8(in->reference.s, 0))
        ex_add(ex, E_INVAL, "reference not UTF-8");
    if (in->state != 0 && !(submit && (in->state == PS_DONE || in->state == PS_PENDING)))
        ex_add(ex, E_INVAL, "payment state");
    return ex_refused(ex) ? -1 : mi;
}

static void overpay(m_expect *ex, int64_t rest, int64_t rounded)
{
    ex_add(ex, E_OVERPAY, "payment beyond what is left to pay");
    if (ex->n == 1 && rest == rounded) {
        ex->fig_name[0] = "remaining";
        ex->fig_val[0] = rest;
        ex->nfig = 1;
    }
}

/* The settlement rule: 1 settles (change in *change), 0 part payment, -1 refused. */
static int settle_rule(const m_session *s, const m_order *o, int mi, int64_t amount,
                       int64_t *change, m_expect *ex)
{
    int64_t rest = m_rest(o), rounded = m_rounded(s, o, mi, rest);
    int sgn = due_sign(o), cash = s->cfg.m[mi].kind == MK_CASH;
    int64_t x = sgn * amount, r = sgn * rest, rr = sgn * rounded;
    *change = 0;
    if (rest == 0) {
        /* order.h, pss_order_add_payment: "PSS_ESTATE (nothing due, ...)" */
        ex_add(ex, E_STATE, "nothing is left to pay");
        return -1;
    }
    if (in_scope(&s->cfg, mi) && rounded == 0) {
        ex_add(ex, E_STATE, "what is left rounds to nothing: validate the order");
        return -1;
    }
    if (x == rr)
        return 1;
    if (x > rr) {
        if (cash && sgn > 0) {
            *change = amount - rounded;
            return 1;
        }
        overpay(ex, rest, rounded);
        return -1;
    }
    if (x < r)
        return 0;
    ex_add(ex, E_INVAL, "pays more than is left without settling");
    return -1;
}

static int pay_state(const m_config *c, int mi, int asked)
{
    if (asked)
        return asked;
    return c->m[mi].electronic ? PS_PENDING : PS_DONE;
}

/* A refund paid in cash takes cash out of the drawer (concepts.md, "The drawer": "a refund
 * paid in cash ... cannot take more than it holds"). Any negative cash amount is weighed, so
 * a payment of the wrong sign may meet it too (several faults: any code, README). "A late
 * order ... is not weighed wherever it is recorded", and "A rescue session has no drawer of
 * its own ..., so nothing recorded in it is weighed". */
static void refund_payout(const model *m, const m_session *s, const m_order *o,
                          const g_pay *in, m_expect *ex)
{
    int mi = in->method.null ? -1 : m_method_index(&s->cfg, in->method.s);
    if (mi < 0 || s->cfg.m[mi].kind != MK_CASH || in->amount >= 0 || in->amount < -M_AMAX)
        return;
    if (s->rescue || m->no_drawer)
        return;
    int si = (int)(s - m->s);
    m_payout(m, si, m_drawer(m, si, o), -in->amount, in->amount, ex);
}

/* Applies one payment to order o (a copy); 0, or 1 with the refusal in ex. */
int m_apply_payment(const model *m, const m_session *s, m_order *o, const g_pay *in,
                    int submit, m_expect *ex)
{
    if (o->state == OS_DRAFT && m_rest(o) == 0 && m_pending_index(o) < 0)
        ex_add(ex, E_STATE, "nothing is left to pay");
    if (o->state != OS_DRAFT)
        ex_add(ex, E_STATE, "payments only on a draft");
    else if (m_pending_index(o) >= 0)
        ex_add(ex, E_STATE, "a payment is pending");
    int mi = pay_form(s, o, in, submit, ex);
    if (ex_refused(ex)) {
        refund_payout(m, s, o, in, ex);
        return 1;
    }
    if (o->np >= M_MAXP)
        return 1;
    int64_t change, rest = m_rest(o);
    int settles = settle_rule(s, o, mi, in->amount, &change, ex);
    refund_payout(m, s, o, in, ex);
    if (settles < 0 || ex_refused(ex))
        return 1;
    m_pay *p = &o->p[o->np++];
    memset(p, 0, sizeof *p);
    p->method = mi;
    p->amount = in->amount;
    p->state = pay_state(&s->cfg, mi, in->state);
    if (settles) {
        p->settling = 1;
        p->change = change;
        o->rounding = m_rounded(s, o, mi, rest) - rest;
        if (p->state == PS_DONE)
            o->state = OS_PAID;
    }
    return 0;
}

static m_order pscratch;

void m_add_payment(model *m, int oi, const g_actor *a, const g_pay *in, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    m_access(m, s, a, RULE_OPERATE, ST(SS_PROGRESS), ex);
    m_order *t = &pscratch;
    *t = *o;
    if (m_apply_payment(m, s, t, in, 0, ex) || ex_refused(ex))
        return;
    if (!m_volume_ok(m, o->session, t, NULL)) {
        ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        return;
    }
    t->touched = 1;
    *o = *t;
    m_renew(m, s, a);
}

/* The checks shared by confirm, fail and void; the payment, or NULL when refused. */
static m_pay *payment_of(model *m, int oi, const g_actor *a, int64_t index, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    if (m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS) | ST(SS_CLOSING), ex))
        return NULL;
    if (index < 0 || index >= o->np) {
        ex_add(ex, E_NOTFOUND, "the payment does not exist");
        ex->payment = (int)index;
        return NULL;
    }
    return &o->p[index];
}

void m_confirm(model *m, int oi, const g_actor *a, int64_t index, m_expect *ex)
{
    m_pay *p = payment_of(m, oi, a, index, ex);
    if (!p)
        return;
    if (p->state != PS_PENDING) {
        ex_add(ex, E_STATE, "only a pending payment is confirmed");
        return;
    }
    m_order *o = &m->o[oi];
    p->state = PS_DONE;
    if (p->settling && m_rest(o) == 0)
        o->state = OS_PAID;
    else
        p->settling = 0;   /* a done payment was voided meanwhile: this one settles nothing */
    o->touched = 1;
    m_renew(m, &m->s[o->session], a);
}

void m_fail(model *m, int oi, const g_actor *a, int64_t index, const g_str *reason,
            m_expect *ex)
{
    if (!reason->null && !m_valid_utf8(reason->s, 0))
        ex_add(ex, E_INVAL, "reason not text");
    m_pay *p = payment_of(m, oi, a, index, ex);
    if (!p)
        return;
    if (p->state != PS_PENDING)
        ex_add(ex, E_STATE, "only a pending payment fails");
    if (ex_refused(ex))
        return;
    m_order *o = &m->o[oi];
    p->state = PS_FAILED;
    if (p->settling)
        o->rounding = 0;
    p->settling = 0;
    o->touched = 1;
    m_renew(m, &m->s[o->session], a);
}

void m_void(model *m, int oi, const g_actor *a, int64_t index, const g_str *reason,
            m_expect *ex)
{
    m_order *o = &m->o[oi];
    if (reason->null || !reason->s[0] || !m_valid_utf8(reason->s, 0))
        ex_add(ex, E_INVAL, "void needs a reason");
    m_pay *p = payment_of(m, oi, a, index, ex);
    if (!p)
        return;
    if (o->state != OS_DRAFT || (p->state != PS_PENDING && p->state != PS_DONE))
        ex_add(ex, E_STATE, "void: a pending or done payment of a draft");
    if (ex_refused(ex))
        return;
    p->state = PS_VOIDED;
    if (p->settling)
        o->rounding = 0;
    p->settling = 0;
    o->touched = 1;
    m_renew(m, &m->s[o->session], a);
}
