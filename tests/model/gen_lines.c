/* gen_lines.c: generating order content: sale lines (quantities in thousandths, fractional
 * ones, prices by currency, discounts, 0..3 taxes in random order, categories), refund lines
 * (whole, partial, piece by piece, beyond), the faults of one line, and the payments a till
 * made for a submitted order (part payments, settling ones around the rounding). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_lines.h"

static int64_t line_qty(gen *g)
{
    int k = (int)prng_below(&g->r, 20);
    if (k < 10)
        return 1000 * prng_range(&g->r, 1, 5);
    if (k < 17)
        return prng_range(&g->r, 1, 2999);
    if (k < 19)
        return prng_range(&g->r, 1000, 20000);
    return prng_range(&g->r, 1000000, 1000000000);
}

static int64_t line_price(gen *g, const m_session *s, const gen_product *p, int64_t qty)
{
    if (g->huge) {
        int64_t cap = qty > 1000 ? M_AMAX / (qty / 1000) : M_AMAX;
        return prng_range(&g->r, cap / 8, cap + cap / 20);
    }
    if (s->cfg.allow_zero && prng_chance(&g->r, 6))
        return 0;
    int64_t v = gen_scale(g, s, p->price);
    if (prng_chance(&g->r, 10))
        v = gen_scale(g, s, prng_range(&g->r, 1, 99));
    if (prng_chance(&g->r, 4))
        v = prng_range(&g->r, 1, 3);   /* a few minor units: rounding meets the taxes head on */
    return v;
}

static int64_t line_discount(gen *g)
{
    int k = (int)prng_below(&g->r, 20);
    if (k < 14)
        return 0;
    if (k < 18)
        return prng_range(&g->r, 1, 999999);
    return k == 18 ? 1000000 : 500000;
}

static void line_taxes(gen *g, const m_session *s, g_line *l)
{
    int nt = s->cfg.nt, want = (int)prng_below(&g->r, 4);
    int idx[M_MAXT];
    for (int i = 0; i < nt; i++)
        idx[i] = i;
    for (int i = nt - 1; i > 0; i--) {
        int j = (int)prng_below(&g->r, (uint64_t)i + 1), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    l->n_taxes = want < nt ? want : nt;
    for (int k = 0; k < l->n_taxes; k++)
        snprintf(l->taxes[k], G_SHORT, "%s", s->cfg.t[idx[k]].code);
}

static void shuffle_taxes(gen *g, g_line *l)
{
    for (int i = l->n_taxes - 1; i > 0; i--) {
        int j = (int)prng_below(&g->r, (uint64_t)i + 1);
        char t[G_SHORT];
        memcpy(t, l->taxes[i], G_SHORT);
        memcpy(l->taxes[i], l->taxes[j], G_SHORT);
        memcpy(l->taxes[j], t, G_SHORT);
    }
}

/* Makes line l carry the taxes of `like`, in another order. */
void gen_same_taxes(gen *g, g_line *l, const g_line *like)
{
    l->n_taxes = like->n_taxes;
    memcpy(l->taxes, like->taxes, sizeof l->taxes);
    shuffle_taxes(g, l);
}

void gen_sale_line(gen *g, const m_session *s, g_line *l)
{
    memset(l, 0, sizeof *l);
    const gen_product *p = &g->prod[prng_below(&g->r, GEN_NPROD)];
    g_str_set(&l->product, p->id);
    g_str_set(&l->name, p->nameless ? NULL : p->name);
    int cat = p->category && m_cat_index(&s->cfg, p->category) >= 0;
    g_str_set(&l->category, cat ? p->category : NULL);
    l->quantity = g->huge ? 1000 : line_qty(g);
    l->unit_price = line_price(g, s, p, l->quantity);
    l->discount_ppm = line_discount(g);
    line_taxes(g, s, l);
    l->refund_line = -1;
}

/* One fault in a sale line; returns its description. */
const char *gen_line_fault(gen *g, const m_session *s, g_line *l)
{
    int k = (int)prng_below(&g->r, 14);
    switch (k) {
    case 12: if (prng_chance(&g->r, 50)) {
                 g_str_set(&l->name, "csi\xc2\x9b" "2J");
                 return "line name with a C1 control";
             }
             g_str_set(&l->name, "tab\there"); return "line name with a control character";
    case 13: g_str_set(&l->product, "P-\xc2\x9b"); return "line product with a C1 control";
    case 0: g_str_set(&l->product, NULL); return "line product NULL";
    case 1: g_str_set(&l->product, "P-\xc3("); return "line product not UTF-8";
    case 2: g_str_set(&l->name, "na\xe2\x82me"); return "line name not UTF-8";
    case 3: l->quantity = 0; return "line quantity 0";
    case 4: l->quantity = -1000; return "sale line quantity negative";
    case 5: l->quantity = prng_chance(&g->r, 50) ? M_QMAX + 1 : INT64_MAX;
            return "line quantity beyond the bound";
    case 6: l->unit_price = -1; return "line price negative";
    case 7: l->unit_price = gen_absurd(g, 1); return "line price beyond the bound";
    case 8: if (!s->cfg.allow_zero) { l->unit_price = 0; return "line price 0 not allowed"; }
            l->discount_ppm = -1; return "line discount negative";
    case 9: l->discount_ppm = 1000001; return "line discount beyond 100%";
    case 10: l->n_taxes = 9;
             for (int i = 0; i < 9; i++)
                 snprintf(l->taxes[i], G_SHORT, "X%d", i);
             return "line with 9 taxes";
    default: l->n_taxes = l->n_taxes ? l->n_taxes : 1;
             snprintf(l->taxes[l->n_taxes - 1], G_SHORT, "NOPE");
             return "line with an unknown tax code";
    }
}

/* A refund line of a line of orig: whole, partial, piece by piece, or beyond what is left. */
void gen_refund_line(gen *g, const m_order *orig, g_line *l)
{
    memset(l, 0, sizeof *l);
    g_str_set(&l->product, NULL);
    g_str_set(&l->name, NULL);
    g_str_set(&l->category, NULL);
    int li = (int)prng_below(&g->r, (uint64_t)orig->nl);
    int back = orig->l[li].qty < 0 && prng_chance(&g->r, 15);
    for (int tries = 0; !back && tries < 8 && orig->l[li].qty <= orig->rq[li]; tries++)
        li = (int)prng_below(&g->r, (uint64_t)orig->nl);
    if (orig->l[li].qty < 0) {
        /* a line the sale took back without a receipt: refused (PSS_EREFUND) */
        l->quantity = -orig->l[li].qty;
        l->quantity = -(l->quantity < 1000 ? l->quantity : 1000);
        l->refund_line = li;
        return;
    }
    int64_t left = orig->l[li].qty - orig->rq[li];
    int k = (int)prng_below(&g->r, 10);
    int64_t q = k < 3 ? left : k < 5 ? prng_range(&g->r, 1, left > 1 ? left : 1)
              : k < 9 ? (left < 1000 ? left : 1000) : left + 1;
    l->quantity = -(q > 0 ? q : 1);
    l->refund_line = li;
}

static void set_order_id(gen *g, g_order *in)
{
    in->id.null = 0;
    gen_uuid(g, in->id.s);
    if (prng_chance(&g->r, 5))
        for (char *p = in->id.s; *p; p++)
            if (*p >= 'a' && *p <= 'f')
                *p = (char)(*p - 'a' + 'A');
}

/* Three equal lines, so that the discount's spare units go by the tie rule. */
static void tied_lines(gen *g, g_order *in)
{
    in->n_lines = 3;
    for (int i = 1; i < 3; i++) {
        in->lines[i] = in->lines[0];
        shuffle_taxes(g, &in->lines[i]);
    }
}

/* An order discount (concepts.md, "Order discounts"): an amount below, at and one unit
 * beyond what the lines come to, a percent, all of it, or a few units over tied lines. */
static void order_discount(gen *g, const m_session *s, g_order *in)
{
    int k = (int)prng_below(&g->r, 20);
    if (k >= 17)
        tied_lines(g, in);
    int64_t base = m_lines_base(&s->cfg, in->lines, in->n_lines);
    if (k < 6)
        in->disc_amount = prng_range(&g->r, 1, base > 2 ? base / 2 : 1);
    else if (k < 8)
        in->disc_amount = base > 0 ? base : 1;
    else if (k < 9)
        in->disc_amount = base + 1;
    else if (k < 12)
        in->disc_ppm = prng_range(&g->r, 1, 999999);
    else if (k < 13)
        in->disc_ppm = 1000000;
    else if (k < 17)
        in->disc_ppm = 100000 * prng_range(&g->r, 1, 5);
    else
        in->disc_amount = 3 * prng_range(&g->r, 0, 20) + prng_range(&g->r, 1, 2);
    if (in->disc_amount > M_AMAX)
        in->disc_amount = M_AMAX;
}

static int scratch_order(gen *g, const m_session *s, const g_order *in, m_order *t);

/* A group of lines of no amount sharing a rate tax on their fixed taxes: the docs share in
 * proportion to the amounts, which says nothing then (README, readings): not generated. */
static void avoid_zero_group(gen *g, const m_session *s, g_order *in)
{
    static m_order t;
    if (scratch_order(g, s, in, &t) == 0 && t.zero_group)
        for (int i = 0; i < in->n_lines; i++)
            in->lines[i].n_taxes = 0;
}

/* A posting group beyond the bound while every line and the order are within it (lines of
 * both signs, near the bounds) is PSS_EOVERFLOW (concepts.md, "Bounds"). Half the time the
 * sale lines' prices are halved until the groups fit, so that such orders are also recorded
 * (README, reading 49); MODEL_GROUP_BOUND=1 never halves them. */
static int group_bound_asked(gen *g)
{
    static int asked = -1;
    if (asked < 0)
        asked = getenv("MODEL_GROUP_BOUND") && !strcmp(getenv("MODEL_GROUP_BOUND"), "1");
    return asked || prng_chance(&g->r, 50);
}

/* An order whose untaxed (or tax) sum is beyond the bound while its total is within it (a
 * return whose price includes taxes beside sales, near the bounds) is PSS_EOVERFLOW too:
 * the library was seen to accept it, and its verify then calls the record corrupt (README,
 * reading 51: a suspected library defect). Unless MODEL_ORDER_BOUND=1 such orders are
 * avoided the same way. */
static int order_bound_asked(void)
{
    static int asked = -1;
    if (asked < 0)
        asked = getenv("MODEL_ORDER_BOUND") && !strcmp(getenv("MODEL_ORDER_BOUND"), "1");
    return asked;
}

/* Whether an order of these figures is generated as it is. */
static int fits(gen *g, const m_order *t, int keep_groups)
{
    int gok = m_groups_in_bound(g->m, t);
    if (!gok)
        return keep_groups;   /* refused for its group (PSS_EOVERFLOW) */
    return order_bound_asked() || m_sums_in_bound(t);
}

static void avoid_group_beyond(gen *g, const m_session *s, g_order *in)
{
    static m_order t;
    if (!g->huge)
        return;
    int keep_groups = group_bound_asked(g);
    for (int tries = 0; tries < 6; tries++) {
        g->m->no_group_bound = 1;
        int built = scratch_order(g, s, in, &t) == 0;
        g->m->no_group_bound = 0;
        if (!built || fits(g, &t, keep_groups))
            return;
        for (int i = 0; i < in->n_lines; i++)
            if (in->lines[i].refund_line < 0)
                in->lines[i].unit_price /= 2;
    }
}

/* The same for a sale line (or a return) added to draft d (per-line figures: no order
 * discount is generated near the bounds, README reading 34). */
void gen_fit_line(gen *g, const m_session *s, const m_order *d, g_line *l)
{
    static g_order one;
    static m_order t, u;
    if (!g->huge || l->refund_line >= 0 || d->nl >= G_MAXL)
        return;
    int keep_groups = group_bound_asked(g);
    for (int tries = 0; tries < 6; tries++) {
        memset(&one, 0, sizeof one);
        g_str_set(&one.id, NULL);
        g_str_set(&one.refund_of, NULL);
        g_str_set(&one.note, NULL);
        g_str_set(&one.customer, NULL);
        g_str_set(&one.return_reason, "scratch");
        one.n_lines = 1;
        one.lines[0] = *l;
        g->m->no_group_bound = 1;
        int built = scratch_order(g, s, &one, &t) == 0;
        g->m->no_group_bound = 0;
        if (!built)
            return;
        u = *d;
        u.l[u.nl++] = t.l[0];
        if (fits(g, &u, keep_groups))
            return;
        l->unit_price /= 2;
    }
}

/* Turns a sale line into a return without a receipt now and then, mostly with a reason (and
 * now and then a reason without a return); whether the order holds one. */
static int receiptless(gen *g, g_order *in)
{
    int back = 0;
    for (int i = 0; i < in->n_lines; i++)
        if (in->lines[i].refund_line < 0 && in->lines[i].quantity > 0 && prng_chance(&g->r, 12)) {
            in->lines[i].quantity = -in->lines[i].quantity;
            back = 1;
        }
    if ((back && prng_chance(&g->r, 85)) || prng_chance(&g->r, 5))
        g_str_set(&in->return_reason, prng_chance(&g->r, 50) ? "damaged box" : "wrong size");
    return back;
}

/* A new order's content: a refund of a paid sale of the register, or sale lines. */
void gen_order_content(gen *g, const m_session *s, g_order *in)
{
    memset(in, 0, sizeof *in);
    set_order_id(g, in);
    g_str_set(&in->refund_of, NULL);
    g_str_set(&in->note, prng_chance(&g->r, 20) ? "note: über" : NULL);
    static const char *const customers[] = {"C-1", "C-2", "C-3"};
    g_str_set(&in->customer, prng_chance(&g->r, 35) ? customers[prng_below(&g->r, 3)] : NULL);
    g_str_set(&in->return_reason, NULL);
    in->invoiced = prng_chance(&g->r, 10);
    in->meta = gen_meta_given(g, NULL, 0);
    /* late orders are often refunds the till paid out offline (close-flow.md) */
    int orig = prng_chance(&g->r, g->m->no_drawer ? 55 : 30) ? gen_pick_order(g, -1, OS_PAID, 1)
                                                             : -1;
    if (orig >= 0 && g->m->s[g->m->o[orig].session].reg != s->reg)
        orig = -1;
    if (orig >= 0) {
        const m_order *o = &g->m->o[orig];
        g_str_set(&in->refund_of, o->id);
        in->n_lines = 1 + (int)prng_below(&g->r, 3);
        for (int i = 0; i < in->n_lines; i++)
            gen_refund_line(g, o, &in->lines[i]);
        /* an exchange: new sale lines beside the refund lines, anywhere among them */
        if (prng_chance(&g->r, 40)) {
            int extra = 1 + (int)prng_below(&g->r, 2);
            for (int e = 0; e < extra; e++) {
                int at = (int)prng_below(&g->r, (uint64_t)in->n_lines + 1);
                for (int i = in->n_lines; i > at; i--)
                    in->lines[i] = in->lines[i - 1];
                gen_sale_line(g, s, &in->lines[at]);
                in->n_lines++;
            }
            receiptless(g, in);
            avoid_zero_group(g, s, in);
            avoid_group_beyond(g, s, in);
        }
        return;
    }
    in->n_lines = prng_chance(&g->r, 4) ? 0 : 1 + (int)prng_below(&g->r, 6);
    for (int i = 0; i < in->n_lines; i++) {
        gen_sale_line(g, s, &in->lines[i]);
        if (i > 0 && prng_chance(&g->r, 35))
            gen_same_taxes(g, &in->lines[i], &in->lines[prng_below(&g->r, (uint64_t)i)]);
    }
    /* not near the bounds: the library checks the lines' figures before the discount is
     * shared (README, readings); also beside returns without a receipt, which take no share
     * (concepts.md, "Order discounts") */
    int back = receiptless(g, in);
    if (in->n_lines && !g->huge && prng_chance(&g->r, back ? 45 : 25))
        order_discount(g, s, in);
    avoid_zero_group(g, s, in);
    avoid_group_beyond(g, s, in);
}

/* One fault in the order discount's own form; returns its description. */
static const char *discount_fault(gen *g, g_order *in)
{
    int k = (int)prng_below(&g->r, 6);
    in->disc_amount = in->disc_ppm = 0;
    switch (k) {
    case 0: in->disc_amount = 100; in->disc_ppm = 100000; return "order discount both ways";
    case 1: in->disc_ppm = 1000001; return "order discount beyond 100%";
    case 2: in->disc_ppm = -1; return "order discount percent negative";
    case 3: in->disc_amount = -1; return "order discount amount negative";
    case 4: in->disc_amount = gen_absurd(g, 1); return "order discount beyond the bound";
    default: if (!in->refund_of.null) {
                 in->disc_amount = 1;
                 return "order discount on a refund";
             }
             in->disc_ppm = INT64_MAX; return "order discount percent absurd";
    }
}

/* One fault in an order's content; returns its description. */
const char *gen_order_fault(gen *g, const m_session *s, g_order *in)
{
    int refund = !in->refund_of.null;
    int k = (int)prng_below(&g->r, 8);
    if (k == 6)
        return discount_fault(g, in);
    if (k == 7) {
        in->meta = gen_meta_text(g, META_BAD);
        return "order metadata refused";
    }
    if (k == 0) {
        if (prng_chance(&g->r, 30)) {
            int c1 = prng_chance(&g->r, 50);
            g_str_set(&in->note, c1 ? "note\xc2\x8awith a C1 control" : "note\r\nwith a control");
            return c1 ? "order note with a C1 control" : "order note with a control character";
        }
        g_str_set(&in->id, "not-a-uuid");
        return "order id malformed";
    }
    if (k == 1) {
        in->refund_of.null = 0;
        gen_uuid(g, in->refund_of.s);
        return "refund_of an unknown order";
    }
    if (k == 2 && g->m->no) {
        int d = gen_pick_order(g, -1, OS_DRAFT, 0);
        if (d < 0)
            d = gen_pick_order(g, -1, OS_CANCELLED, 0);
        if (d >= 0) {
            g_str_set(&in->refund_of, g->m->o[d].id);
            return "refund_of a draft or cancelled order";
        }
    }
    if (in->n_lines == 0)
        in->n_lines = 1, gen_sale_line(g, s, &in->lines[0]);
    g_line *l = &in->lines[prng_below(&g->r, (uint64_t)in->n_lines)];
    if (refund) {
        /* the fault goes on a refund line, not on an exchange's new sale line */
        for (int i = 0; i < in->n_lines && l->refund_line < 0; i++)
            l = &in->lines[i];
        int oi = m_find_order(g->m, in->refund_of.s);
        for (int i = 0; oi >= 0 && i < g->m->o[oi].nl; i++)
            if (g->m->o[oi].l[i].qty < 0 && prng_chance(&g->r, 60)) {
                l->refund_line = i;
                l->quantity = g->m->o[oi].l[i].qty;
                return "refund of a line taken back without a receipt";
            }
        if (prng_chance(&g->r, 50)) {
            l->refund_line = 99;
            return "refund line that does not exist";
        }
        l->quantity = -l->quantity;
        return "refund line quantity positive";
    }
    return gen_line_fault(g, s, l);
}

/* Simulates in the oracle the order a till would make from `in` (figures, tally); -1 when
 * it does not build. */
static int scratch_order(gen *g, const m_session *s, const g_order *in, m_order *t)
{
    m_expect ex;
    ex_reset(&ex);
    memset(t, 0, sizeof *t);
    t->session = (int)(s - g->m->s);
    t->state = OS_DRAFT;
    g->m->cur_role = R_ADMIN;   /* the figures, whoever makes the order */
    t->refund_of = in->refund_of.null ? -1 : m_find_order(g->m, in->refund_of.s);
    if (!in->refund_of.null && t->refund_of < 0)
        return -1;
    if (m_order_build(g->m, s, in, t, &ex))
        return -1;
    m_order_release(g->m, t);
    return 0;
}

/* A refund paid in cash that the drawer of the session it was shaped for cannot pay out is
 * kept now and then: the submit refuses the order with PSS_EDRAWER (concepts.md, "The
 * drawer"). */
static int drawer_refusal(gen *g, const m_expect *ex)
{
    return ex->n == 1 && ex->codes[0] == E_DRAWER && prng_chance(&g->r, 60);
}

static void add_pay(gen *g, const m_session *s, m_order *t, g_order *in, int mi, int64_t amt,
                    int state)
{
    g_pay *p = &in->payments[in->n_payments];
    memset(p, 0, sizeof *p);
    g_str_set(&p->method, s->cfg.m[mi].name);
    p->amount = amt;
    p->state = state;
    g_str_set(&p->reference, prng_chance(&g->r, 30) ? "TX-4711" : NULL);
    m_expect ex;
    ex_reset(&ex);
    if (!m_apply_payment(g->m, s, t, p, 1, &ex) || drawer_refusal(g, &ex))
        in->n_payments++;
}

/* The payments of a submitted order: maybe a part payment, then a settling one. */
void gen_submit_payments(gen *g, const m_session *s, g_order *in)
{
    static m_order t;
    in->n_payments = 0;
    if (scratch_order(g, s, in, &t) || prng_chance(&g->r, 10) || t.total == 0)
        return;
    int sgn = t.total < 0 ? -1 : 1;
    int part = (int)prng_below(&g->r, (uint64_t)s->cfg.nm);
    if (prng_chance(&g->r, 30) && s->cfg.m[part].kind != MK_CASH && sgn * t.total > 3)
        add_pay(g, s, &t, in, part, t.total / 3, s->cfg.m[part].electronic ? PS_DONE : 0);
    int mi = (int)prng_below(&g->r, (uint64_t)s->cfg.nm);
    /* a late refund the till paid out in cash offline (close-flow.md, "Late orders") */
    if (g->m->no_drawer && sgn < 0 && prng_chance(&g->r, 60))
        mi = m_cash_method(&s->cfg);
    int64_t rest = m_rest(&t), rounded = m_rounded(s, &t, mi, rest);
    if (rounded == 0)
        return;
    int64_t amt = rounded;
    if (s->cfg.m[mi].kind == MK_CASH && sgn > 0 && prng_chance(&g->r, 40))
        amt += gen_scale(g, s, prng_range(&g->r, 1, 2000));
    int st = s->cfg.m[mi].electronic ? (prng_chance(&g->r, 60) ? PS_DONE : 0) : 0;
    add_pay(g, s, &t, in, mi, amt, st);
}
