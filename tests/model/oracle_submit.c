/* oracle_submit.c: the offline submit, single and batch: idempotence by order id (the same
 * content is a duplicate answered as the first time, other content a conflict), payments
 * applied as the till made them, and late orders: a submit to a closed session goes to the
 * config's trading session, else to its rescue session, made for it when there is none. */
#include <stdio.h>
#include <string.h>

#include "oracle.h"

static int open_target(const model *m, int si)
{
    const m_session *s = &m->s[si];
    if (s->state != SS_CLOSED)
        return si;
    const m_register *r = &m->reg[s->reg];
    if (r->open_session >= 0 && m->s[r->open_session].state == SS_PROGRESS)
        return r->open_session;
    return r->rescue_session;  /* -1: a rescue session is made */
}

static int new_rescue(model *m, int reg, const g_actor *a)
{
    m_register *r = &m->reg[reg];
    m_session *s = m_new_session(m);
    s->reg = reg;
    s->cfg = r->cfg;
    s->rescue = 1;
    s->state = SS_PROGRESS;
    strcpy(s->user, a->user.s);
    strcpy(s->device, a->device.s);
    s->lease_exp = m->now + s->cfg.lease_s * 1000;
    s->created_at = s->opened_at = m->now;
    strcpy(s->opened_by, a->user.s);
    s->open_exp = 0;
    s->open_cnt = M_UNSET;
    s->posted_counted = M_UNSET;
    s->next_number = 1;
    m_civil_date(m->now, s->date);
    snprintf(s->name, sizeof s->name, "%s/RESCUE-%05lld", r->cfg.code,
             (long long)(r->rescue_seq + 1));
    return m->ns - 1;
}

static void duplicate_of(const model *m, int si, int oi, m_submit_res *res)
{
    const m_order *o = &m->o[oi];
    res->duplicate = 1;
    res->session = o->session;
    res->routed = o->session != si;
    res->rescue = m->s[o->session].rescue;
    res->state = o->state;
}

static int payments_of(const model *m, const m_session *s, m_order *o, const g_order *in,
                       m_expect *ex)
{
    for (int k = 0; k < in->n_payments; k++)
        if (m_apply_payment(m, s, o, &in->payments[k], 1, ex)) {
            if (ex->n == 1 && ex->payment < 0)
                ex->payment = k;
            return 1;
        }
    return 0;
}

static m_order sscratch;

/* Builds the order in session ti; 0, or 1 with the tally as it was. */
static int build_in(model *m, int ti, const g_order *in, int rof, m_expect *ex)
{
    m_order *t = &sscratch;
    memset(t, 0, sizeof *t);
    strcpy(t->id, in->id.s);
    for (char *p = t->id; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    t->session = ti;
    t->state = OS_DRAFT;
    t->refund_of = rof;
    t->invoiced = in->invoiced != 0;
    if (m_order_build(m, &m->s[ti], in, t, ex))
        return 1;
    int bad = payments_of(m, &m->s[ti], t, in, ex);
    /* "An order with lines and nothing due ... is paid at once when it is submitted complete;
     * an order without lines is never paid" (concepts.md, "Orders and payments") */
    if (!bad && t->state == OS_DRAFT && m_pending_index(t) < 0 && m_rest(t) == 0 && t->nl > 0)
        t->state = OS_PAID;
    if (bad || !m_volume_ok(m, ti, t, NULL)) {
        if (!ex_refused(ex))
            ex_add(ex, E_OVERFLOW, "session volume beyond the bound");
        if (m_is_refund(t))
            for (int i = 0; i < t->nl; i++)
                m_tally_give_back(m, t, &t->l[i]);
        return 1;
    }
    return 0;
}

static void record(model *m, int ti, const g_order *in, int si, m_submit_res *res)
{
    m_session *ts = &m->s[ti];
    m_order *t = &sscratch;
    t->number = ts->next_number++;
    t->submitted = 1;
    t->submitted_to = si;
    t->input = *in;
    t->touched = 1;
    m_order *o = m_new_order(m);
    *o = *t;
    res->session = ti;
    res->routed = ti != si;
    res->rescue = ts->rescue;
    res->state = o->state;
}

/* One order of a submit, after the access checks; returns 1 when it was recorded. */
static int submit_one(model *m, int si, const g_actor *a, const g_order *in, m_submit_res *res)
{
    m_expect *ex = &res->ex;
    int rof = m_check_order_input(m, &m->s[si], in, 1, ex);
    int oi = in->id.null || !m_valid_uuid(in->id.s) ? -1 : m_find_order(m, in->id.s);
    if (oi >= 0 && !ex_refused(ex)) {
        if (m->o[oi].submitted && g_order_eq(&m->o[oi].input, in))
            duplicate_of(m, si, oi, res);
        else
            ex_add(ex, E_CONFLICT, "the order id exists with other content");
        return 0;
    }
    if (ex_refused(ex) || rof == -2)
        return 0;
    int ti = open_target(m, si), made = 0;
    if (ti < 0) {
        ti = new_rescue(m, m->s[si].reg, a);
        made = 1;
    }
    if (build_in(m, ti, in, rof, ex)) {
        if (made)
            m->ns--;
        return 0;
    }
    if (made) {
        m->reg[m->s[ti].reg].rescue_session = ti;
        m->reg[m->s[ti].reg].rescue_seq++;
        res->new_rescue = 1;
    }
    record(m, ti, in, si, res);
    return 1;
}

/* The right to submit to session si: the role, then (for a session that is not closed) the
 * supervise rule's user and lease; with `states` the states new orders need, or every one. */
static int may_submit(const model *m, int si, const g_actor *a, unsigned states, m_expect *ex)
{
    const m_session *s = &m->s[si];
    if (m_actor_check(a, ex))
        return 1;
    if (s->state == SS_CLOSED) {
        if (a->role < R_CASHIER)
            ex_add(ex, E_ACCESS, "role none may not submit");
        return ex_refused(ex);
    }
    return m_access(m, s, a, RULE_SUPERVISE, states, ex) != 0;
}

static void res_init(m_submit_res *res)
{
    memset(res, 0, sizeof *res);
    ex_reset(&res->ex);
    res->session = -1;
}

/* What a refused submit may meet besides its access refusal: its own form, a conflict. */
static void submit_dry(const model *m, int si, const g_order *in, m_expect *ex)
{
    m_check_order_input(m, &m->s[si], in, 1, ex);
    int oi = in->id.null || !m_valid_uuid(in->id.s) ? -1 : m_find_order(m, in->id.s);
    if (oi >= 0 && !(m->o[oi].submitted && g_order_eq(&m->o[oi].input, in)))
        ex_add(ex, E_CONFLICT, "the order id exists with other content");
}

static int recorded_already(const model *m, const g_order *in)
{
    if (in->id.null || !m_valid_uuid(in->id.s))
        return -1;
    return m_find_order(m, in->id.s);
}

/* concepts.md: "it answers an order already recorded (a duplicate, or a conflict) in every
 * state, to an actor who may submit to the session". */
void m_submit(model *m, int si, const g_actor *a, const g_order *in, m_submit_res *res,
              m_expect *ex)
{
    res_init(res);
    int known = recorded_already(m, in) >= 0;
    if (may_submit(m, si, a, known ? ST_OPEN_ANY : ST(SS_PROGRESS), ex)) {
        if (!a->null)
            submit_dry(m, si, in, ex);
        return;
    }
    int recorded = submit_one(m, si, a, in, res);
    *ex = res->ex;
    if (recorded)
        m_renew(m, &m->s[res->session], a);
}

/* A batch refused for its actor or the state whose orders are each refused for a fault of
 * their own (and none is recorded) may be answered order by order instead: which is checked
 * first is not documented (README, ambiguities: several faults). The answers are those
 * faults, and nothing is recorded either way. */
static void batch_dry(model *m, int si, const g_order *in, int n, m_submit_res *res,
                      m_expect *ex)
{
    for (int k = 0; k < n; k++) {
        m_expect *oex = &res[k].ex;
        int rof = m_check_order_input(m, &m->s[si], &in[k], 1, oex);
        if (!ex_refused(oex) && rof != -2 && !build_in(m, si, &in[k], rof, oex))
            m_order_release(m, &sscratch);
        if (!ex_refused(oex)) {
            for (int j = 0; j < n; j++)
                res_init(&res[j]);
            return;
        }
        oex->line = oex->line_alt = oex->payment = -1;
        oex->nfig = 0;
    }
    ex->success_ok = 1;
}

/* concepts.md: "A batch that holds such orders is checked for that right before anything is
 * answered": a batch holding recorded orders is checked for the right to submit (role, user,
 * lease, not the state) and then answered order by order, its recorded orders as in every
 * state, its new ones refused with ESTATE when the session does not trade (they are not
 * recorded; a whole-batch ESTATE would not answer the recorded ones). A batch of new orders
 * only to a session that does not trade is refused as a whole (order.h: "a wrong session
 * state: then every status carries it"). */
void m_batch(model *m, int si, const g_actor *a, const g_order *in, int n, m_submit_res *res,
             m_expect *ex)
{
    for (int k = 0; k < n; k++)
        res_init(&res[k]);
    int known = 0;
    for (int k = 0; k < n; k++)
        known += recorded_already(m, &in[k]) >= 0;
    if (may_submit(m, si, a, known ? ST_OPEN_ANY : ST(SS_PROGRESS), ex)) {
        if (!known && !a->null)
            batch_dry(m, si, in, n, res, ex);
        return;
    }
    int trades = m->s[si].state == SS_PROGRESS || m->s[si].state == SS_CLOSED;
    int last = -1;
    for (int k = 0; k < n; k++) {
        if (!trades && recorded_already(m, &in[k]) < 0) {
            /* a new order in a session that does not trade: the state, or its own faults
             * (which the docs do not order against the state) */
            m_expect *oex = &res[k].ex;
            int rof = m_check_order_input(m, &m->s[si], &in[k], 1, oex);
            if (!ex_refused(oex) && rof != -2 && !build_in(m, si, &in[k], rof, oex))
                m_order_release(m, &sscratch);
            ex_add(oex, E_STATE, "new orders are recorded only in IN_PROGRESS");
            oex->line = oex->line_alt = oex->payment = -1;
            oex->nfig = 0;
            continue;
        }
        if (submit_one(m, si, a, &in[k], &res[k]))
            last = res[k].session;
    }
    if (last >= 0)
        m_renew(m, &m->s[last], a);
}

/* The library named the rescue session the oracle expected: its id and date. */
void m_rescue_learn(model *m, const char *id, const char *name, const char *date)
{
    (void)name;
    for (int i = m->ns - 1; i >= 0; i--)
        if (m->s[i].rescue && !m->s[i].id[0]) {
            snprintf(m->s[i].id, sizeof m->s[i].id, "%s", id);
            snprintf(m->s[i].date, sizeof m->s[i].date, "%s", date);
            return;
        }
}
