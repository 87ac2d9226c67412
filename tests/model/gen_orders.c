/* gen_orders.c: generating the order calls: create (sales and refunds), add and remove a
 * line, payments of every method around the cash-rounding boundaries, confirm, fail, void,
 * cancel, validate, the invoiced flag, and offline submits single and batched: new orders,
 * duplicates, conflicts, refused ones, and late orders to closed sessions. */
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "gen_lines.h"

static int faulty(gen *g)
{
    return prng_chance(&g->r, g->fault_pct);
}

static void set_fault(op *o, const char *what)
{
    snprintf(o->fault, sizeof o->fault, "%s", what);
}

static void operate_actor(gen *g, op *o, const m_session *s)
{
    int who = gen_operator(g, s);
    gen_actor(&o->actor, who < 0 ? MIA : who);
}

/* A draft order of a trading session (or, now and then, any order of any session). */
static int pick_draft(gen *g, op *o, int need_no_payments)
{
    int cand[512], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 512; i--) {
        const m_order *d = &g->m->o[i];
        if (d->state != OS_DRAFT || g->m->s[d->session].state != SS_PROGRESS)
            continue;
        if (need_no_payments && d->np > 0)
            continue;
        cand[n++] = i;
    }
    if (!n || prng_chance(&g->r, 6)) {
        int any = g->m->no ? (int)prng_below(&g->r, (uint64_t)g->m->no) : -1;
        if (any >= 0)
            set_fault(o, "an order or session in a state the call does not allow");
        return any;
    }
    /* cand[] runs newest first: a till mostly works on what it just rang up */
    if (prng_chance(&g->r, 50))
        return cand[prng_below(&g->r, (uint64_t)(n < 3 ? n : 3))];
    return cand[prng_below(&g->r, (uint64_t)n)];
}

void gen_order_create(gen *g, op *o)
{
    o->kind = OP_ORDER_CREATE;
    o->session = gen_pick_session(g, prng_chance(&g->r, 5) ? 0xFFFFu : ST(SS_PROGRESS), 1);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    o->n_orders = 1;
    gen_order_content(g, s, &o->orders[0]);
    operate_actor(g, o, s);
    if (!faulty(g))
        return;
    int k = (int)prng_below(&g->r, 10);
    if (k < 5) {
        set_fault(o, gen_order_fault(g, s, &o->orders[0]));
    } else if (k == 5 && g->m->no) {
        g_str_set(&o->orders[0].id, g->m->o[prng_below(&g->r, (uint64_t)g->m->no)].id);
        set_fault(o, "order id exists");
    } else if (k == 6) {
        o->null_input = 1;
        set_fault(o, "order input NULL");
    } else if (k == 7) {
        o->bad_version = o->orders[0].n_lines ? BV_LINE : BV_INPUT;
        set_fault(o, "order or line input version 99");
    } else {
        gen_fault_actor(g, o, s, RULE_OPERATE);
    }
}

void gen_add_line(gen *g, op *o)
{
    o->kind = OP_ADD_LINE;
    o->order = pick_draft(g, o, 1);
    if (o->order < 0 || g->m->o[o->order].nl >= G_MAXL) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    const m_session *s = &g->m->s[d->session];
    o->session = d->session;
    o->n_orders = 1;
    g_line *l = &o->orders[0].lines[0];
    int sale = !m_is_refund(d) || prng_chance(&g->r, 30);   /* an exchange's new line */
    if (!sale)
        gen_refund_line(g, &g->m->o[d->refund_of], l);
    else
        gen_sale_line(g, s, l);
    /* a return without a receipt, also beside an order discount (it takes no share) */
    if (sale && prng_chance(&g->r, d->dam || d->dppm ? 25 : 12))
        l->quantity = -l->quantity;
    /* a line of no amount could make a group of no amount share a rate tax (README) */
    if (sale && s->cfg.tax_rounding == TR_ORDER &&
        (l->unit_price == 0 || l->discount_ppm == 1000000 || d->dam || d->dppm))
        l->n_taxes = 0;
    if (sale)
        gen_fit_line(g, s, d, l);
    operate_actor(g, o, s);
    if (o->fault[0] || !faulty(g))
        return;
    int k = (int)prng_below(&g->r, 4);
    if (k < 2 && sale) {
        set_fault(o, gen_line_fault(g, s, l));
    }
    else if (k == 2)
        o->bad_version = BV_LINE, set_fault(o, "line version 99");
    else
        gen_fault_actor(g, o, s, RULE_OPERATE);
}

void gen_remove_line(gen *g, op *o)
{
    o->kind = OP_REMOVE_LINE;
    o->order = pick_draft(g, o, 1);
    if (o->order < 0 || g->m->o[o->order].nl == 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    o->session = d->session;
    o->index = (int64_t)prng_below(&g->r, (uint64_t)d->nl);
    operate_actor(g, o, &g->m->s[d->session]);
    if (!o->fault[0] && faulty(g) && prng_chance(&g->r, 50)) {
        o->index = d->nl + (int64_t)prng_below(&g->r, 3);
        set_fault(o, "remove a line that does not exist");
    }
}

/* An amount around the settlement boundaries for method mi. */
static int64_t pay_amount(gen *g, const m_session *s, const m_order *d, int mi)
{
    int64_t rest = m_rest(d), rounded = m_rounded(s, d, mi, rest);
    int sgn = d->total < 0 || (d->total == 0 && m_is_refund(d)) ? -1 : 1;
    int64_t r = sgn * rest, rr = sgn * rounded, v;
    int k = (int)prng_below(&g->r, 20);
    if (k < 7)
        v = rr;
    else if (k < 10)
        v = rr + gen_scale(g, s, prng_range(&g->r, 1, 3000));
    else if (k < 14)
        v = r > 1 ? prng_range(&g->r, 1, r - 1) : 1;
    else if (k == 14)
        v = r;
    else if (k == 15)
        v = r - 1;
    else if (k == 16)
        v = r + 1;
    else if (k == 17)
        v = rr + 1;
    else if (k == 18)
        v = rr - 1;
    else if (s->cfg.cr_scope == CR_CASH && r > s->cfg.cr_inc && s->cfg.m[mi].kind != MK_CASH)
        v = r - (s->cfg.cr_inc - 1) / 2;   /* leaves a rest cash rounds to nothing */
    else
        v = r / 2 + 1;
    if (v == 0)
        v = 1;
    return sgn * v;
}

/* A cash refund at the drawer's limit: what the drawer holds, or one minor unit more, when
 * that is a part payment or settles the refund (else `otherwise`). */
static int64_t refund_at_drawer_limit(gen *g, const m_session *s, const m_order *d, int mi,
                                      int64_t otherwise)
{
    int64_t v = m_drawer(g->m, d->session, NULL) + prng_range(&g->r, 0, 1);
    int64_t r = -m_rest(d), rr = -m_rounded(s, d, mi, m_rest(d));
    return v > 0 && (v < r || v == rr) ? -v : otherwise;
}

static void pay_fault(gen *g, op *o, const m_order *d)
{
    int k = (int)prng_below(&g->r, 7);
    static const char *const what[] = {"payment method unknown", "payment amount 0",
                                       "payment beyond the bound", "payment of the wrong sign",
                                       "payment reference not UTF-8", "payment input NULL",
                                       "payment version 99"};
    set_fault(o, what[k]);
    switch (k) {
    case 0: g_str_set(&o->pay.method, prng_chance(&g->r, 50) ? "Bitcoin" : NULL); break;
    case 1: o->pay.amount = 0; break;
    case 2: o->pay.amount = gen_absurd(g, m_is_refund(d) ? -1 : 1); break;
    case 3: o->pay.amount = -o->pay.amount; break;
    case 4: { static const char *const refs[] = {"ref\xed\xa0\x80", "ref\x1b[0m", "ref\xc2\x84"};
            g_str_set(&o->pay.reference, refs[prng_below(&g->r, 3)]); }
            break;
    case 5: o->null_input = 1; break;
    default: o->bad_version = BV_PAYMENT; break;
    }
}

void gen_add_payment(gen *g, op *o)
{
    o->kind = OP_ADD_PAYMENT;
    o->order = pick_draft(g, o, 0);
    if (o->order < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    const m_session *s = &g->m->s[d->session];
    o->session = d->session;
    int cash = m_cash_method(&s->cfg);
    int mi = prng_chance(&g->r, 50) ? cash : (int)prng_below(&g->r, (uint64_t)s->cfg.nm);
    g_str_set(&o->pay.method, s->cfg.m[mi].name);
    o->pay.amount = pay_amount(g, s, d, mi);
    if (mi == cash && m_is_refund(d) && prng_chance(&g->r, 35))
        o->pay.amount = refund_at_drawer_limit(g, s, d, mi, o->pay.amount);
    /* the rest of a late order paid at the till now: whether the drawer weighs it is not
     * documented (README, readings): no cash payout on it outside a rescue session */
    if (d->late && !s->rescue && mi == cash && o->pay.amount < 0) {
        if (s->cfg.nm < 2) {
            o->kind = OP_CLOCK;
            return;
        }
        mi = (mi + 1) % s->cfg.nm;
        g_str_set(&o->pay.method, s->cfg.m[mi].name);
        o->pay.amount = pay_amount(g, s, d, mi);
    }
    g_str_set(&o->pay.reference, prng_chance(&g->r, 30) ? "TX-0815" : NULL);
    operate_actor(g, o, s);
    if (o->fault[0] || !faulty(g))
        return;
    if (prng_chance(&g->r, 70))
        pay_fault(g, o, d);
    else
        gen_fault_actor(g, o, s, RULE_OPERATE);
}

static int pick_with_payment(gen *g, int pending_only)
{
    int cand[512], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 512; i--) {
        const m_order *d = &g->m->o[i];
        int st = g->m->s[d->session].state;
        if (d->state != OS_DRAFT || (st != SS_PROGRESS && st != SS_CLOSING))
            continue;
        for (int k = 0; k < d->np; k++)
            if (d->p[k].state == PS_PENDING || (!pending_only && d->p[k].state == PS_DONE)) {
                cand[n++] = i;
                break;
            }
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_payment_state(gen *g, op *o, int kind)
{
    o->kind = kind;
    o->order = pick_with_payment(g, kind != OP_VOID);
    if (o->order < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    const m_session *s = &g->m->s[d->session];
    o->session = d->session;
    o->index = m_pending_index(d);
    /* a done payment is voided also while another is pending (order.h: "PENDING or DONE ->
     * VOIDED, on a DRAFT order"), but not while the pending one settles the order with a
     * rounding: what becomes of that rounding is not documented (README, ambiguities) */
    int pend = o->index;
    int done_ok = pend < 0 || !d->p[pend].settling || d->rounding == 0;
    if (kind == OP_VOID && done_ok && (pend < 0 || prng_chance(&g->r, 35)))
        for (int k = 0; k < d->np; k++)
            if (d->p[k].state == PS_DONE)
                o->index = k;
    if (kind == OP_VOID || kind == OP_FAIL)
        gen_reason(g, &o->str, 1, o);
    gen_actor(&o->actor, gen_supervisor(g, s));
    if (o->fault[0] || !faulty(g))
        return;
    int k = (int)prng_below(&g->r, 3);
    if (k == 0) {
        o->index = d->np + (int64_t)prng_below(&g->r, 2);
        set_fault(o, "a payment that does not exist");
    } else if (k == 1 && d->np > 1) {
        o->index = (int64_t)prng_below(&g->r, (uint64_t)d->np);
        if (kind == OP_VOID && d->p[o->index].state == PS_DONE && !done_ok)
            o->index = pend;   /* README: not beside a pending one that fixed a rounding */
        set_fault(o, "maybe a payment in another state");
    } else {
        gen_fault_actor(g, o, s, RULE_SUPERVISE);
    }
}

static int pick_state_order(gen *g, int paid_too, int need_free)
{
    int cand[512], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 512; i--) {
        const m_order *d = &g->m->o[i];
        int st = g->m->s[d->session].state;
        if (st != SS_PROGRESS && st != SS_CLOSING)
            continue;
        if (d->state != OS_DRAFT && !(paid_too && d->state == OS_PAID))
            continue;
        int busy = 0;
        for (int k = 0; k < d->np; k++)
            busy |= d->p[k].state == PS_DONE || d->p[k].state == PS_PENDING;
        if (need_free && busy && !prng_chance(&g->r, 10))
            continue;
        cand[n++] = i;
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

/* A draft without done or pending payments of a session being closed. */
static int pick_closing_draft(gen *g)
{
    int cand[256], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 256; i--) {
        const m_order *d = &g->m->o[i];
        if (d->state != OS_DRAFT || g->m->s[d->session].state != SS_CLOSING)
            continue;
        int busy = 0;
        for (int k = 0; k < d->np; k++)
            busy |= d->p[k].state == PS_DONE || d->p[k].state == PS_PENDING;
        if (!busy)
            cand[n++] = i;
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_cancel(gen *g, op *o)
{
    o->kind = OP_CANCEL;
    o->order = prng_chance(&g->r, 70) ? pick_closing_draft(g) : -1;
    if (o->order < 0)
        o->order = pick_state_order(g, 0, 1);
    if (o->order < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    o->session = d->session;
    gen_reason(g, &o->str, 1, o);
    gen_actor(&o->actor, gen_supervisor(g, &g->m->s[d->session]));
    if (!o->fault[0] && faulty(g) && prng_chance(&g->r, 40))
        gen_fault_actor(g, o, &g->m->s[d->session], RULE_SUPERVISE);
}

/* A draft that validate settles: nothing left, or a rest that rounds to nothing. */
static int pick_settleable(gen *g)
{
    int cand[256], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 256; i--) {
        const m_order *d = &g->m->o[i];
        const m_session *s = &g->m->s[d->session];
        if (d->state != OS_DRAFT || s->state != SS_PROGRESS || m_pending_index(d) >= 0)
            continue;
        int64_t rest = m_rest(d);
        if (rest == 0 || (s->cfg.cr_scope && m_round_to(rest, s->cfg.cr_inc, s->cfg.cr_mode) == 0))
            cand[n++] = i;
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_validate(gen *g, op *o)
{
    o->kind = OP_VALIDATE;
    o->order = prng_chance(&g->r, 70) ? pick_settleable(g) : -1;
    if (o->order < 0)
        o->order = pick_draft(g, o, 0);
    if (o->order < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    o->session = d->session;
    operate_actor(g, o, &g->m->s[d->session]);
}

void gen_invoiced(gen *g, op *o)
{
    o->kind = OP_INVOICED;
    o->order = pick_state_order(g, 1, 0);
    if (o->order < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_order *d = &g->m->o[o->order];
    o->session = d->session;
    o->flag = prng_chance(&g->r, 50);
    gen_actor(&o->actor, gen_supervisor(g, &g->m->s[d->session]));
    if (!faulty(g))
        return;
    if (prng_chance(&g->r, 50) && g->m->no) {
        o->order = (int)prng_below(&g->r, (uint64_t)g->m->no);
        o->session = g->m->o[o->order].session;
        set_fault(o, "maybe a cancelled order or a closed session");
    } else {
        gen_fault_actor(g, o, &g->m->s[d->session], RULE_SUPERVISE);
    }
}

/* ---- submits ------------------------------------------------------------------------ */

static int late_state(int st)
{
    return st == SS_CLOSING || st == SS_CLOSED;
}

/* Where a submit goes: a trading session, a late one (being counted or closed, under every
 * policy, also while the rescue session is being counted), or now and then one that has not
 * opened (the fault). */
static int submit_target(gen *g, op *o)
{
    int k = (int)prng_below(&g->r, 20), si = -1;
    if (k < 4)
        si = gen_pick_session(g, ST(SS_CLOSED), 1);
    else if (k < 7)
        si = gen_pick_session(g, ST(SS_CLOSING), 1);
    else if (k == 7 && (si = gen_pick_session(g, ST(SS_NEW) | ST(SS_OPENING), 1)) >= 0)
        set_fault(o, "submit to a session that has not opened");
    if (si < 0)
        si = gen_pick_session(g, ST(SS_PROGRESS), 1);
    if (si < 0)
        si = gen_pick_session(g, ST(SS_CLOSING) | ST(SS_CLOSED), 1);
    return si;
}

static int submitted_order(gen *g)
{
    int cand[512], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 512; i--)
        if (g->m->o[i].submitted)
            cand[n++] = i;
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

/* One order of a submit: new, a duplicate, a conflict, or refused. Where new orders can be
 * recorded nowhere (a session that has not opened, a config that refuses late orders, a
 * rescue session being counted) the batch mostly holds recorded ones beside them. */
static void submit_content(gen *g, op *o, const m_session *s, g_order *in, int allow_fault)
{
    int k = (int)prng_below(&g->r, 20), dup = submitted_order(g);
    if (m_submit_nowhere(g->m, o->session) && k >= 3 && k < 8)
        k = prng_chance(&g->r, 50) ? 0 : 3;
    if (k < 3 && dup >= 0) {
        *in = g->m->o[dup].input;
        if (prng_chance(&g->r, 30))
            in->meta = prng_chance(&g->r, 25) ? 0 : gen_meta_text(g, META_OK);
        return;
    }
    /* a late order's payouts are not weighed (concepts.md, "The drawer") */
    g->m->no_drawer = late_state(g->m->s[o->session].state);
    gen_order_content(g, s, in);
    gen_submit_payments(g, s, in);
    g->m->no_drawer = 0;
    if (k == 3 && dup >= 0) {
        *in = g->m->o[dup].input;
        if (prng_chance(&g->r, 40)) {
            /* concepts.md: the customer is part of the order's content */
            int none = in->customer.null || !in->customer.s[0];
            g_str_set(&in->customer, none ? "C-9" : prng_chance(&g->r, 50) ? NULL : "C-8");
            set_fault(o, "same order id, another customer");
        } else {
            in->invoiced = !in->invoiced;
            set_fault(o, "same order id, other content");
        }
    } else if (k == 4 && allow_fault) {
        set_fault(o, gen_order_fault(g, s, in));
    } else if (k == 5 && allow_fault) {
        g_str_set(&in->id, NULL);
        set_fault(o, "submitted order without id");
    }
}

/* Late orders come from any cashier or above (a sync service, the tills, a manager), but
 * not from the responsible user of the session being counted: whether such a submit renews
 * its lease there is not documented (README, readings). */
static int submit_actor(gen *g, const m_session *s)
{
    if (!late_state(s->state))
        return gen_supervisor(g, s);
    static const int who[] = {SYNC, SYNC, ANN, BOB, MIA, KIM};
    for (int tries = 0; tries < 8; tries++) {
        int w = who[prng_below(&g->r, 6)];
        if (s->state == SS_CLOSED || strcmp(gen_cast(w)->user.s, s->user) != 0)
            return w;
    }
    return strcmp(s->user, "sync") == 0 ? KIM : SYNC;
}

/* The session whose config a submit's content is made for: the config as stored now, which
 * the register's sessions that are not closed run on. */
static const m_session *shape_of(const gen *g, const m_session *s)
{
    if (s->state != SS_CLOSED)
        return s;
    for (int i = g->m->ns - 1; i >= 0; i--)
        if (g->m->s[i].reg == s->reg && g->m->s[i].state != SS_CLOSED)
            return &g->m->s[i];
    return s;
}

/* The till retries an order it sent before, to the session it sent it to. */
static int retry(gen *g, op *o)
{
    int oi = submitted_order(g);
    if (oi < 0)
        return 0;
    const m_order *d = &g->m->o[oi];
    o->session = d->submitted_to;
    o->n_orders = 1;
    o->orders[0] = d->input;
    /* "the same order submitted again with other metadata is a duplicate" */
    if (prng_chance(&g->r, 30))
        o->orders[0].meta = prng_chance(&g->r, 25) ? 0 : gen_meta_text(g, META_OK);
    gen_actor(&o->actor, submit_actor(g, &g->m->s[o->session]));
    return 1;
}

/* A fault of the submitter: to a late session only role none is refused. */
static void submit_fault_actor(gen *g, op *o, const m_session *s)
{
    if (late_state(s->state))
        gen_actor(&o->actor, NOBODY), set_fault(o, "late order by role none");
    else
        gen_fault_actor(g, o, s, RULE_SUPERVISE);
}

void gen_submit(gen *g, op *o)
{
    o->kind = OP_SUBMIT;
    if (prng_chance(&g->r, 15) && retry(g, o))
        return;
    o->session = submit_target(g, o);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    o->n_orders = 1;
    submit_content(g, o, shape_of(g, s), &o->orders[0], !o->fault[0]);
    gen_actor(&o->actor, submit_actor(g, s));
    if (!o->fault[0] && faulty(g) && prng_chance(&g->r, 30))
        submit_fault_actor(g, o, s);
}

void gen_batch(gen *g, op *o)
{
    o->kind = OP_BATCH;
    o->session = submit_target(g, o);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    o->n_orders = 2 + (int)prng_below(&g->r, G_MAXB - 1);
    for (int i = 0; i < o->n_orders; i++) {
        if (i > 0 && prng_chance(&g->r, 12))
            o->orders[i] = o->orders[prng_below(&g->r, (uint64_t)i)];
        else
            submit_content(g, o, shape_of(g, s), &o->orders[i], 1);
    }
    gen_actor(&o->actor, submit_actor(g, s));
    if (faulty(g) && prng_chance(&g->r, 20))
        submit_fault_actor(g, o, s);
}
