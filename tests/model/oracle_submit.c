/* oracle_submit.c: the offline submit, single and batch: idempotence by order id (the same
 * content is a duplicate answered as the first time, other content a conflict), payments
 * applied as the till made them, and late orders (doc/close-flow.md, "Late orders"): a new
 * order submitted to a session being counted or closed goes where the config's late-order
 * policy, as the config is stored now, sends it: the trading open session or the rescue
 * session (route), the rescue session (rescue), made for it when there is none, or nowhere
 * (refuse, and a rescue session that is itself being counted). */
#include <stdio.h>
#include <string.h>

#include "oracle.h"

/* "An offline till may sync an order while its session is being counted (CLOSING_CONTROL)
 * or after it closed. Such an order is late." */
static int is_late(const m_session *s)
{
    return s->state == SS_CLOSING || s->state == SS_CLOSED;
}

/* "read from the config as it is stored when the order arrives" */
static int late_policy(const model *m, const m_session *s)
{
    return m->reg[s->reg].cfg.late_orders;
}

enum { TARGET_NOWHERE = -2, TARGET_NEW_RESCUE = -1 };

/* Where a new order submitted to session si is recorded: a session index, TARGET_NEW_RESCUE
 * (a rescue session is made for it), or TARGET_NOWHERE with the refusal in *code. */
static int target_of(const model *m, int si, int *code)
{
    const m_session *s = &m->s[si];
    const m_register *r = &m->reg[s->reg];
    *code = 0;
    if (s->state == SS_PROGRESS)
        return si;
    if (!is_late(s)) {
        *code = E_STATE;   /* NEW, OPENING_CONTROL: "recorded nowhere" */
        return TARGET_NOWHERE;
    }
    int policy = late_policy(m, s);
    if (policy == LATE_REFUSE) {
        /* "PSS_ESTATE while the session is counted, PSS_ECLOSED once it closed" */
        *code = s->state == SS_CLOSED ? E_CLOSED : E_STATE;
        return TARGET_NOWHERE;
    }
    if (policy == LATE_ROUTE && r->open_session >= 0 &&
        m->s[r->open_session].state == SS_PROGRESS)
        return r->open_session;
    if (r->rescue_session < 0)
        return TARGET_NEW_RESCUE;
    if (m->s[r->rescue_session].state == SS_PROGRESS)
        return r->rescue_session;
    /* "one that is itself being counted takes nothing (PSS_ESTATE: submit again once it
     * closed)" */
    *code = E_STATE;
    return TARGET_NOWHERE;
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

static int build_in_of(model *m, int ti, const g_order *in, int rof, m_expect *ex);

/* Builds the order in session ti, submitted to session si; 0, or 1 with the tally as it
 * was. A late order's payouts are not weighed against the drawer (concepts.md, "The
 * drawer"; close-flow.md, "Late orders"). */
static int build_in(model *m, int ti, int si, const g_order *in, int rof, m_expect *ex)
{
    m->no_drawer = is_late(&m->s[si]);
    int bad = build_in_of(m, ti, in, rof, ex);
    m->no_drawer = 0;
    return bad;
}

static int build_in_of(model *m, int ti, const g_order *in, int rof, m_expect *ex)
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
    t->meta = in->meta;   /* a duplicate keeps the metadata it was recorded with */
    m_order_texts(t, in);
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
    t->late = is_late(&m->s[si]);
    t->input = *in;
    t->touched = 1;
    m_order *o = m_new_order(m);
    *o = *t;
    /* a late order recorded elsewhere is audited as order.routed, each of its returns
     * without a receipt as order.return (doc/storage.md, "Audit entries"); a duplicate
     * records nothing and writes neither */
    m_fiscal(m, ti, (ti != si) + m_receiptless(in->lines, in->n_lines));
    res->session = ti;
    res->routed = ti != si;
    res->rescue = ts->rescue;
    res->state = o->state;
}

static int nowhere(const model *m, int si)
{
    int code;
    return target_of(m, si, &code) == TARGET_NOWHERE;
}

/* Whether a new order submitted to session si can be recorded nowhere (for the generator). */
int m_submit_nowhere(const model *m, int si)
{
    return nowhere(m, si);
}

static int recorded_already(const model *m, const g_order *in)
{
    if (in->id.null || !m_valid_uuid(in->id.s))
        return -1;
    return m_find_order(m, in->id.s);
}

/* The faults of new order `in` of its own, built in session si and given back (nothing is
 * recorded). Beside a refusal of the order as a whole which the library meets first is not
 * documented (README, reading 10): any may be named, and the detail's index and figures are
 * not compared. */
static void own_faults(model *m, int si, const g_order *in, m_expect *ex)
{
    m_expect own;
    ex_reset(&own);
    int rof = m_check_order_input(m, &m->s[si], in, 1, &own);
    if (!ex_refused(&own) && rof != -2 && !build_in(m, si, si, in, rof, &own))
        m_order_release(m, &sscratch);
    for (int i = 0; i < own.n; i++)
        ex_add(ex, own.codes[i], own.why);
    ex->line = ex->line_alt = ex->payment = -1;
    ex->nfig = 0;
}

/* A new order that can be recorded nowhere: refused with `code` (or one of its own faults). */
static void refuse_nowhere(model *m, int si, const g_order *in, int code, m_expect *ex)
{
    ex_add(ex, code, code == E_CLOSED ? "the config refuses late orders to a closed session"
                                      : "a new order that can be recorded nowhere");
    own_faults(m, si, in, ex);
}

/* A new order where target_of sends it (somewhere): a rescue session made for it when there
 * is none. */
static int record_new(model *m, int si, const g_actor *a, const g_order *in, int rof,
                      m_submit_res *res)
{
    int code, ti = target_of(m, si, &code), made = 0;
    if (ti == TARGET_NEW_RESCUE) {
        ti = new_rescue(m, m->s[si].reg, a);
        made = 1;
    }
    if (build_in(m, ti, si, in, rof, &res->ex)) {
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

/* One order of a submit, after the access checks; returns 1 when it was recorded. */
static int submit_one(model *m, int si, const g_actor *a, const g_order *in, m_submit_res *res)
{
    m_expect *ex = &res->ex;
    int oi = recorded_already(m, in), code;
    if (oi < 0 && target_of(m, si, &code) == TARGET_NOWHERE) {
        refuse_nowhere(m, si, in, code, ex);
        return 0;
    }
    int rof = m_check_order_input(m, &m->s[si], in, 1, ex);
    if (oi >= 0 && !ex_refused(ex)) {
        if (m->o[oi].submitted && g_order_eq(&m->o[oi].input, in))
            duplicate_of(m, si, oi, res);
        else
            ex_add(ex, E_CONFLICT, "the order id exists with other content");
        return 0;
    }
    if (ex_refused(ex) || rof == -2)
        return 0;
    return record_new(m, si, a, in, rof, res);
}

/* The right to submit to session si (concepts.md, "Who may make which call"): to a session
 * being counted or closed any actor of role cashier or above (late orders, and retries "once
 * the session is counted or closed"), to any other the supervise rule's user and lease; new
 * orders alone (known == 0) need a state they can be recorded from too: IN_PROGRESS, or late
 * unless the config refuses late orders ("A batch of new orders only that can be recorded
 * nowhere is refused whole"). */
static int may_submit(const model *m, int si, const g_actor *a, int known, m_expect *ex)
{
    const m_session *s = &m->s[si];
    if (m_actor_check(a, ex))
        return 1;
    if (!is_late(s))
        return m_access(m, s, a, RULE_SUPERVISE, known ? ST_OPEN_ANY : ST(SS_PROGRESS), ex) != 0;
    if (a->role < R_CASHIER)
        ex_add(ex, E_ACCESS, "role none may not submit");
    else if (!known && late_policy(m, s) == LATE_REFUSE)
        ex_add(ex, s->state == SS_CLOSED ? E_CLOSED : E_STATE, "the config refuses late orders");
    return ex_refused(ex);
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

/* concepts.md: "it answers an order already recorded (a duplicate, or a conflict) in every
 * state, to an actor who may submit to the session". A new order the config's policy
 * refuses may meet its own faults first (README, reading 10). */
void m_submit(model *m, int si, const g_actor *a, const g_order *in, m_submit_res *res,
              m_expect *ex)
{
    res_init(res);
    m->cur_role = a->null ? R_NONE : a->role;
    int known = recorded_already(m, in) >= 0;
    if (may_submit(m, si, a, known, ex)) {
        const m_session *s = &m->s[si];
        int refused_late = !known && is_late(s) && late_policy(m, s) == LATE_REFUSE;
        if (a->null)
            return;
        if (refused_late)
            own_faults(m, si, in, ex);
        else
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
        own_faults(m, si, &in[k], oex);
        if (!ex_refused(oex)) {
            for (int j = 0; j < n; j++)
                res_init(&res[j]);
            return;
        }
    }
    ex->success_ok = 1;
}

/* New orders only, while the rescue session they would go to is being counted: close-flow.md
 * says it "takes nothing (PSS_ESTATE)", concepts.md refuses whole "a batch of new orders only
 * that can be recorded nowhere" but its list of those (NEW, OPENING_CONTROL, a config that
 * refuses late orders) leaves this one out: refused whole, or answered with PSS_ESTATE order
 * by order (README, readings). Nothing is recorded either way. */
static void batch_rescue_counted(model *m, int si, const g_order *in, int n,
                                 m_submit_res *res, m_expect *ex)
{
    ex_add(ex, E_STATE, "the rescue session late orders go to is being counted");
    ex->success_ok = 1;
    for (int k = 0; k < n; k++)
        refuse_nowhere(m, si, &in[k], E_STATE, &res[k].ex);
}

/* concepts.md: "A batch that holds such orders is checked for that right before anything is
 * answered": a batch holding recorded orders is checked for the right to submit (role, and
 * to a session that trades or has not opened the user and lease, not the state) and then
 * answered order by order: its recorded orders as in every state, its new ones where
 * target_of sends them, or each refused "with that error (PSS_ESTATE, or PSS_ECLOSED for a
 * closed session under refuse)" when they can be recorded nowhere. A batch of new orders
 * only that can be recorded nowhere is refused as a whole (order.h: "then every status
 * carries it"). An order refused for its own fault (PSS_EDRAWER among them) is refused on
 * its own. */
void m_batch(model *m, int si, const g_actor *a, const g_order *in, int n, m_submit_res *res,
             m_expect *ex)
{
    for (int k = 0; k < n; k++)
        res_init(&res[k]);
    m->cur_role = a->null ? R_NONE : a->role;
    int known = 0;
    for (int k = 0; k < n; k++)
        known += recorded_already(m, &in[k]) >= 0;
    if (may_submit(m, si, a, known, ex)) {
        if (!known && !a->null)
            batch_dry(m, si, in, n, res, ex);
        return;
    }
    if (!known && nowhere(m, si)) {
        batch_rescue_counted(m, si, in, n, res, ex);
        return;
    }
    int last = -1;
    for (int k = 0; k < n; k++)
        if (submit_one(m, si, a, &in[k], &res[k]))
            last = res[k].session;
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
