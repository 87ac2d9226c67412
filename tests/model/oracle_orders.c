/* oracle_orders.c: orders in the oracle: the order input's own form, building an order from
 * it (sale lines, refund lines from the tally), create, add and remove a line, validate,
 * cancel (giving the tally back), the invoiced flag, and the session volume bound. */
#include <stdio.h>
#include <string.h>

#include "oracle.h"

static int64_t mag(int64_t v)
{
    return v < 0 ? -v : v;
}

static int64_t order_volume(const m_order *o)
{
    if (o->state == OS_CANCELLED)
        return 0;
    int64_t v = mag(o->total) + mag(o->rounding);
    for (int i = 0; i < o->np; i++)
        if (o->p[i].state == PS_DONE || o->p[i].state == PS_PENDING)
            v += mag(o->p[i].amount) + mag(o->p[i].change);
    return v;
}

/* doc/concepts.md, "Bounds": the session's volume with `replace` standing in for the order
 * of the same id (or added), and `extra` added; 1 when within the bound. */
int m_volume_ok(const model *m, int si, const m_order *replace, const m_move *extra)
{
    const m_session *s = &m->s[si];
    int64_t v = mag(s->open_exp) + (s->open_cnt == M_UNSET ? 0 : mag(s->open_cnt));
    int replaced = 0;
    for (int i = 0; i < m->no; i++) {
        const m_order *o = &m->o[i];
        if (o->session != si)
            continue;
        if (replace && strcmp(o->id, replace->id) == 0) {
            o = replace;
            replaced = 1;
        }
        v += order_volume(o);
    }
    if (replace && !replaced)
        v += order_volume(replace);
    for (int i = 0; i < m->nmv; i++)
        if (m->mv[i].session == si && !m->mv[i].voided)
            v += mag(m->mv[i].amount);
    if (extra)
        v += mag(extra->amount);
    return v <= M_VMAX;
}

static int refund_of_check(const model *m, const g_order *in, m_expect *ex)
{
    if (in->refund_of.null)
        return -1;
    if (!m_valid_uuid(in->refund_of.s)) {
        ex_add(ex, E_INVAL, "refund_of is not a UUID");
        return -2;
    }
    int oi = m_find_order(m, in->refund_of.s);
    if (oi < 0 || m_is_refund(&m->o[oi]) || m->o[oi].state != OS_PAID) {
        ex_add(ex, E_REFUND, "refund_of names nothing refundable");
        return -2;
    }
    return oi;
}

/* The order input's own form (id, note, refund reference); -2 when the refund reference is
 * unusable, else the refunded order's index or -1. */
int m_check_order_input(const model *m, const m_session *s, const g_order *in, int submit,
                        m_expect *ex)
{
    (void)s;
    if (in->id.null && submit)
        ex_add(ex, E_INVAL, "a submitted order needs an id");
    if (!in->id.null && !m_valid_uuid(in->id.s))
        ex_add(ex, E_INVAL, "order id is not a UUID");
    if (!in->note.null && !m_valid_utf8(in->note.s, 0))
        ex_add(ex, E_INVAL, "note not UTF-8");
    if (in->n_lines < 0 || in->n_lines > G_MAXL)
        ex_add(ex, E_INVAL, "lines");
    if (m_discount_form_bad(in))
        ex_add(ex, E_INVAL, "order discount: both given, out of range or on a refund");
    if (m_meta_verdict(meta_text(in->meta)) != META_OK)
        ex_add(ex, E_INVAL, "order metadata: not a JSON object of at most 4096 bytes");
    return refund_of_check(m, in, ex);
}

void m_order_release(model *m, const m_order *o)
{
    if (!m_is_refund(o))
        return;
    for (int i = 0; i < o->nl; i++)
        m_tally_give_back(m, o, &o->l[i]);
}

/* Adds line `in` as line o->nl; 0, or 1 (the tally as it was). */
static int add_one_line(model *m, const m_session *s, m_order *o, const g_line *in,
                        m_expect *ex)
{
    m_line *l = &o->l[o->nl];
    if (m_is_refund(o) && in->refund_line < 0) {
        /* an exchange's new sale line, or a return without a receipt (concepts.md) */
        if (m_line_from_input(m, s, o, in, o->nl, l, ex))
            return 1;
    } else if (m_is_refund(o)) {
        if (m_refund_line(m, o, in, o->nl, l, ex))
            return 1;
        m_tally_take(m, o, l);
    } else if (m_line_from_input(m, s, o, in, o->nl, l, ex)) {
        return 1;
    }
    o->nl++;
    return 0;
}

/* Builds order o from its input in session s (refund_of already resolved into o); 0, or 1
 * with the refusal in ex and every tally as it was. */
int m_order_build(model *m, const m_session *s, const g_order *in, m_order *o, m_expect *ex)
{
    o->nl = 0;
    m->cur_reason = !in->return_reason.null && in->return_reason.s[0];
    o->dam = in->disc_amount;
    o->dppm = in->disc_ppm;
    int bad = 0;
    for (int i = 0; i < in->n_lines; i++) {
        int nl = o->nl;
        if (add_one_line(m, s, o, &in->lines[i], ex)) {
            bad++;
            o->nl = nl;
        }
    }
    if (bad > 1) {
        ex->line = ex->line_alt = -1;   /* which one the detail names is the library's pick */
        ex->nfig = 0;
    }
    /* with a refused line, the others' own bounds may be what the library meets first */
    if (bad) {
        m_expect other;
        ex_reset(&other);
        if (m_order_compute(m, o, &other)) {
            for (int k = 0; k < other.n; k++)
                ex_add(ex, other.codes[k], "another line beyond the bound, or the discount");
            ex->line = ex->line_alt = -1;
        }
    } else {
        bad = m_order_compute(m, o, ex);
    }
    if (m_discount_form_bad(in))
        ex->line = ex->line_alt = -1;   /* the detail may name the discount */
    if (bad)
        m_order_release(m, o);
    return bad;
}

static void init_order(m_order *o, int si, const g_order *in, int refund_of)
{
    memset(o, 0, sizeof *o);
    strcpy(o->id, in->id.null ? "" : in->id.s);
    for (char *p = o->id; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    o->session = si;
    o->state = OS_DRAFT;
    o->refund_of = refund_of;
    o->invoiced = in->invoiced != 0;
    o->meta = in->meta;
    m_order_texts(o, in);
}

void m_order_texts(m_order *o, const g_order *in)
{
    snprintf(o->customer, sizeof o->customer, "%s", in->customer.null ? "" : in->customer.s);
    snprintf(o->reason, sizeof o->reason, "%s",
             in->return_reason.null ? "" : in->return_reason.s);
}

static m_order scratch;

/* pss_order_create; returns the new order's index or -1. */
int m_order_create(model *m, int si, const g_actor *a, const g_order *in, m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_OPERATE, ST(SS_PROGRESS), ex);
    m->cur_role = a->null ? R_NONE : a->role;
    int rof = m_check_order_input(m, s, in, 0, ex);
    if (!in->id.null && m_valid_uuid(in->id.s) && m_find_order(m, in->id.s) >= 0)
        ex_add(ex, E_CONFLICT, "order id exists");
    if (rof == -2)
        return -1;
    m_order *t = &scratch;
    init_order(t, si, in, rof);
    if (m_order_build(m, s, in, t, ex))
        return -1;
    if (!m_volume_ok(m, si, t, NULL))
        ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
    if (ex_refused(ex)) {
        m_order_release(m, t);
        return -1;
    }
    t->number = s->next_number++;
    t->touched = 1;
    m_order *o = m_new_order(m);
    *o = *t;
    m_fiscal(m, si, m_receiptless(in->lines, in->n_lines));   /* an order.return each */
    m_renew(m, &m->s[si], a);
    return m->no - 1;
}

static int draft_unpaid(const m_order *o, m_expect *ex)
{
    if (o->state != OS_DRAFT) {
        ex_add(ex, E_STATE, "lines change only in a draft");
        return 1;
    }
    for (int i = 0; i < o->np; i++)
        if (o->p[i].state == PS_DONE || o->p[i].state == PS_PENDING) {
            /* README, ambiguities: a failed or voided payment is not "a payment" here */
            ex_add(ex, E_STATE, "lines change only before the first payment");
            return 1;
        }
    return 0;
}

void m_add_line(model *m, int oi, const g_actor *a, const g_line *in, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    m_access(m, s, a, RULE_OPERATE, ST(SS_PROGRESS), ex);
    if (draft_unpaid(o, ex) || o->nl >= G_MAXL)
        return;
    m_order *t = &scratch;
    *t = *o;
    m->cur_role = a->null ? R_NONE : a->role;
    m->cur_reason = o->reason[0] != 0;
    if (add_one_line(m, s, t, in, ex))
        return;
    int taken = m_is_refund(t);
    if (m_order_compute(m, t, ex) || !m_volume_ok(m, o->session, t, NULL) || ex_refused(ex)) {
        if (!ex_refused(ex))
            ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        if (taken)
            m_tally_give_back(m, t, &t->l[t->nl - 1]);
        return;
    }
    t->touched = 1;
    *o = *t;
    m_fiscal(m, o->session, m_receiptless(in, 1));   /* a return's order.return */
    m_renew(m, s, a);
}

void m_remove_line(model *m, int oi, const g_actor *a, int64_t index, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    m_access(m, s, a, RULE_OPERATE, ST(SS_PROGRESS), ex);
    if (draft_unpaid(o, ex))
        return;
    if (index < 0 || index >= o->nl) {
        ex_add(ex, E_NOTFOUND, "the line does not exist");
        if (ex->n == 1)
            ex->line = (int)index;
    }
    if (ex_refused(ex))
        return;
    m_order *t = &scratch;
    *t = *o;
    for (int i = (int)index; i + 1 < t->nl; i++)
        t->l[i] = t->l[i + 1];
    t->nl--;
    if (m_order_compute(m, t, ex) || !m_volume_ok(m, o->session, t, NULL)) {
        if (!ex_refused(ex))
            ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        return;
    }
    if (m_is_refund(o))
        m_tally_give_back(m, o, &o->l[index]);
    t->touched = 1;
    *o = *t;
    m_renew(m, s, a);
}

void m_validate(model *m, int oi, const g_actor *a, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    if (m_access(m, s, a, RULE_OPERATE, ST(SS_PROGRESS), ex))
        return;
    if (o->state != OS_DRAFT || m_pending_index(o) >= 0 || o->nl == 0) {
        ex_add(ex, E_STATE, "validate: not a draft, a payment is pending, or no lines");
        return;
    }
    int64_t rest = m_rest(o);
    int to_nothing = s->cfg.cr_scope != CR_OFF &&
                     m_round_to(rest, s->cfg.cr_inc, s->cfg.cr_mode) == 0;
    if (rest != 0 && !to_nothing) {
        ex_add(ex, E_STATE, "validate: something is still due");
        return;
    }
    m_order *t = &scratch;
    *t = *o;
    t->rounding = -rest;
    t->state = OS_PAID;
    if (!m_volume_ok(m, o->session, t, NULL)) {
        ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        return;
    }
    t->touched = 1;
    *o = *t;
    m_renew(m, s, a);
}

void m_cancel(model *m, int oi, const g_actor *a, const g_str *reason, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS) | ST(SS_CLOSING), ex);
    if (reason->null || !reason->s[0] || !m_valid_utf8(reason->s, 0))
        ex_add(ex, E_INVAL, "cancel needs a reason");
    int paying = 0;
    for (int i = 0; i < o->np; i++)
        paying |= o->p[i].state == PS_DONE || o->p[i].state == PS_PENDING;
    if (o->state != OS_DRAFT || paying)
        ex_add(ex, E_STATE, "cancel: not a draft, or it has done or pending payments");
    if (ex_refused(ex))
        return;
    m_order_release(m, o);
    o->state = OS_CANCELLED;
    o->touched = 1;
    m_fiscal(m, o->session, 1);   /* order.cancel */
    m_renew(m, s, a);
}

void m_set_invoiced(model *m, int oi, const g_actor *a, int flag, m_expect *ex)
{
    m_order *o = &m->o[oi];
    m_session *s = &m->s[o->session];
    if (m_access(m, s, a, RULE_SUPERVISE, ST(SS_PROGRESS) | ST(SS_CLOSING), ex))
        return;
    if (o->state != OS_DRAFT && o->state != OS_PAID) {
        ex_add(ex, E_STATE, "invoiced: only a draft or paid order");
        return;
    }
    o->invoiced = flag != 0;
    o->touched = 1;
    m_renew(m, s, a);
}
