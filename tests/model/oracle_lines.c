/* oracle_lines.c: doc/concepts.md, "Rounding": a line's figures (gross, amount, included and
 * excluded taxes, untaxed, total) by the config's rule, per-order tax rounding over groups of
 * lines with its allocation back to the lines, refund lines from the tally, the order's
 * totals, and the bounds of "Bounds" on every figure. */
#include <string.h>

#include "oracle.h"

static int too_big(int64_t v)
{
    return v > M_AMAX || v < -M_AMAX;
}

static int overflow(m_expect *ex, int line, const char *why)
{
    ex_add(ex, E_OVERFLOW, why);
    if (ex->n == 1 && ex->codes[0] == E_OVERFLOW)
        ex->line = line;
    return 1;
}

static int64_t rnd(int64_t n, int64_t num, int64_t den, int mode, int *bad)
{
    int64_t out = 0;
    if (m_div(n, num, den, mode, &out))
        *bad = 1;
    return out;
}

/* gross and amount of a sale line. */
static int line_amount(const m_config *c, m_line *l, int index, m_expect *ex)
{
    int bad = 0;
    l->gross = rnd(l->qty, l->price, 1000, c->rounding, &bad);
    if (bad || too_big(l->gross))
        return overflow(ex, index, "line gross beyond the bound");
    int64_t disc = rnd(l->gross, l->disc, 1000000, c->rounding, &bad);
    if (bad || too_big(disc))
        return overflow(ex, index, "line discount beyond the bound");
    l->amount = l->gross - disc;
    return 0;
}

static int64_t included_rates(const m_config *c, const int *tax, int nt)
{
    int64_t sum = 0;
    for (int k = 0; k < nt; k++)
        if (c->t[tax[k]].included && !c->t[tax[k]].per_unit)
            sum += c->t[tax[k]].rate;
    return sum;
}

/* The fixed taxes of a line: R(quantity x per_unit / 1000) each; the included ones' sum. */
static int64_t fixed_taxes(const m_config *c, const int *tax, int nt, int64_t qty,
                           int64_t *fig, int *bad)
{
    int64_t incl = 0;
    for (int k = 0; k < nt; k++) {
        const m_tax *t = &c->t[tax[k]];
        fig[k] = 0;
        if (!t->per_unit)
            continue;
        fig[k] = rnd(qty, t->per_unit, 1000, c->rounding, bad);
        if (t->included)
            incl += fig[k];
    }
    return incl;
}

/* concepts.md, "Fixed taxes and taxes on taxes": on an amount whose fixed taxes are in fig
 * (their included sum ifixed), the rate taxes: included ones on (amount - ifixed), then on
 * top in the line's order, each on the untaxed plus the taxes before it that affect the
 * base. fixed_sum, when not NULL, gives a fixed tax's figure for the base instead (a group's
 * summed fixed taxes). */
static int rates_on(const m_config *c, const int *tax, int nt, int64_t amount, int64_t ifixed,
                    int64_t *fig, int64_t *untaxed)
{
    int bad = 0;
    int64_t incl = included_rates(c, tax, nt), u = amount - ifixed;
    for (int k = 0; k < nt; k++) {
        const m_tax *t = &c->t[tax[k]];
        if (t->included && !t->per_unit) {
            fig[k] = rnd(amount - ifixed, t->rate, 1000000 + incl, c->rounding, &bad);
            u -= fig[k];
        }
    }
    int64_t base = u;
    for (int k = 0; k < nt; k++) {
        const m_tax *t = &c->t[tax[k]];
        if (!t->included && !t->per_unit)
            fig[k] = rnd(base, t->rate, 1000000, c->rounding, &bad);
        if (!t->included && t->affects_base)
            base += fig[k];
        if (too_big(fig[k]) || too_big(base))
            bad = 1;
    }
    *untaxed = u;
    return bad;
}

/* Every tax of a line of quantity qty on its amount. */
static int taxes_on(const m_config *c, const int *tax, int nt, int64_t qty, int64_t amount,
                    int64_t *fig, int64_t *untaxed)
{
    int bad = 0;
    int64_t ifixed = fixed_taxes(c, tax, nt, qty, fig, &bad);
    return rates_on(c, tax, nt, amount, ifixed, fig, untaxed) || bad;
}

/* The fixed taxes a price includes may not exceed it (concepts.md): EINVAL. */
static int fixed_exceeds(const m_config *c, const m_line *l)
{
    int bad = 0;
    int64_t fig[G_MAXLT];
    int64_t f = fixed_taxes(c, l->tax, l->nt, l->qty, fig, &bad);
    return l->qty < 0 ? f < l->amount : f > l->amount;   /* a return: by magnitude */
}

/* untaxed, tax and total of a line from its amount and its tax figures. */
static int line_sums(const m_config *c, m_line *l, int index, m_expect *ex)
{
    int64_t incl = 0, all = 0;
    for (int k = 0; k < l->nt; k++) {
        all += l->taxamt[k];
        if (c->t[l->tax[k]].included)
            incl += l->taxamt[k];
    }
    l->untaxed = l->amount - incl;
    l->tax_sum = all;
    l->total = l->untaxed + all;
    if (too_big(l->total) || too_big(l->tax_sum))
        return overflow(ex, index, "line total beyond the bound");
    return 0;
}

/* Whether a tax of the line affects the base: then its taxes' order makes its group. */
static int ordered_set(const m_config *c, const m_line *l)
{
    for (int k = 0; k < l->nt; k++)
        if (c->t[l->tax[k]].affects_base)
            return 1;
    return 0;
}

static uint32_t tax_mask(const m_line *l)
{
    uint32_t mask = 0;
    for (int k = 0; k < l->nt; k++)
        mask |= 1u << l->tax[k];
    return mask;
}

static int same_group(const model *m, const m_session *s, const m_line *a, const m_line *b)
{
    if ((a->qty < 0) != (b->qty < 0) || tax_mask(a) != tax_mask(b) ||
        strcmp(m_income_of(m, s, a->cat), m_income_of(m, s, b->cat)) != 0)
        return 0;
    if (!ordered_set(&m->reg[s->reg].cfg, a))
        return 1;
    return memcmp(a->tax, b->tax, sizeof a->tax[0] * (size_t)a->nt) == 0;
}

static int line_invalid(m_expect *ex, int index, const char *why);

/* Shares total out over the members by their amounts: toward zero, then one unit each to
 * the largest remainders, the earlier member first on a tie. */
static void share_out(int64_t total, const int64_t *amounts, int n, int64_t *share)
{
    m_i128 sum = 0;
    for (int i = 0; i < n; i++)
        sum += amounts[i];
    if (sum < 0) {
        /* a group of returns: by the magnitudes (its lines are all of one side) */
        int64_t neg[G_MAXL];
        for (int i = 0; i < n; i++)
            neg[i] = -amounts[i];
        share_out(-total, neg, n, share);
        for (int i = 0; i < n; i++)
            share[i] = -share[i];
        return;
    }
    if (sum == 0 && total != 0 && n > 0) {
        /* a group of lines of no amount with a tax on its fixed taxes: equal parts (README) */
        int64_t ones[G_MAXL];
        for (int i = 0; i < n; i++)
            ones[i] = 1;
        share_out(total, ones, n, share);
        return;
    }
    m_i128 rem[G_MAXL];
    int64_t given = 0, sgn = total < 0 ? -1 : 1, mag = total < 0 ? -total : total;
    for (int i = 0; i < n; i++) {
        share[i] = 0;
        rem[i] = 0;
        if (sum != 0) {
            m_i128 p = (m_i128)mag * amounts[i];
            share[i] = (int64_t)(p / sum);
            rem[i] = p % sum;
        }
        given += share[i];
    }
    for (int64_t left = mag - given; left > 0 && sum != 0; left--) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        share[best]++;
        rem[best] = -1;
    }
    for (int i = 0; i < n; i++)
        share[i] *= sgn;
}

/* The code index k of tax t on line l. */
static int tax_slot(const m_line *l, int t)
{
    for (int k = 0; k < l->nt; k++)
        if (l->tax[k] == t)
            return k;
    return -1;
}

/* Per-order tax rounding for the group led by line `lead`: fixed taxes stay each line's
 * own, the rates run once on the group's sums and are shared out by the lines' amounts. */
static int group_taxes(const model *m, const m_session *s, m_order *o, int lead, m_expect *ex)
{
    const m_config *c = &m->reg[s->reg].cfg;
    const m_line *l0 = &o->l[lead];
    int member[G_MAXL], n = 0, bad = 0;
    int64_t amounts[G_MAXL], sum = 0, ifixed = 0, fig[G_MAXLT] = {0}, lf[G_MAXLT];
    for (int i = lead; i < o->nl; i++)
        if (same_group(m, s, l0, &o->l[i])) {
            m_line *l = &o->l[i];
            member[n] = i;
            amounts[n++] = l->amount;
            sum += l->amount;
            ifixed += fixed_taxes(c, l->tax, l->nt, l->qty, lf, &bad);
            for (int k = 0; k < l->nt; k++) {
                int slot = tax_slot(l0, l->tax[k]);
                fig[slot] += lf[k];
                if (c->t[l->tax[k]].per_unit)
                    l->taxamt[k] = lf[k];
            }
        }
    if (too_big(sum) || bad)
        return overflow(ex, -1, "group amount beyond the bound");
    int64_t untaxed, share[G_MAXL];
    if (rates_on(c, l0->tax, l0->nt, sum, ifixed, fig, &untaxed))
        return overflow(ex, -1, "group tax beyond the bound");
    for (int k = 0; k < l0->nt; k++) {
        if (c->t[l0->tax[k]].per_unit)
            continue;
        if (sum == 0 && n > 1 && fig[k] != 0)
            o->zero_group = 1;
        share_out(fig[k], amounts, n, share);
        for (int j = 0; j < n; j++) {
            m_line *l = &o->l[member[j]];
            l->taxamt[tax_slot(l, l0->tax[k])] = share[j];
        }
    }
    return 0;
}

static int is_lead(const model *m, const m_session *s, const m_order *o, int i)
{
    for (int j = 0; j < i; j++)
        if (same_group(m, s, &o->l[j], &o->l[i]))
            return 0;
    return 1;
}

/* doc/concepts.md, "Order discounts": the discount (an amount, or a percent made an amount
 * once by the config's rule) shared over the sold lines' bases by largest remainder,
 * earliest first; each sold line's amount is then its base less its share. "Lines that come
 * back take no share": a return without a receipt keeps the amount given. */
static int order_discount(const m_config *c, m_order *o, m_expect *ex)
{
    int64_t base[G_MAXL], share[G_MAXL], sum = 0;
    int sold[G_MAXL], n = 0;
    for (int i = 0; i < o->nl; i++) {
        o->l[i].share = 0;
        if (o->l[i].qty <= 0)
            continue;
        sold[n] = i;
        base[n++] = o->l[i].amount;
        sum += o->l[i].amount;
    }
    o->dapplied = 0;
    int both = o->dam != 0 && o->dppm != 0;
    if (both || o->dam < 0 || o->dam > M_AMAX || o->dppm < 0 || o->dppm > 1000000)
        return 0;   /* refused for its form (m_discount_form_bad) */
    if (!o->dam && !o->dppm)
        return 0;
    if (too_big(sum))
        return overflow(ex, -1, "the order discount's base beyond the bound");
    int bad = 0;
    int64_t d = o->dppm ? rnd(sum, o->dppm, 1000000, c->rounding, &bad) : o->dam;
    if (d > sum) {
        ex_add(ex, E_INVAL, "order discount larger than what the sold lines come to");
        return 1;
    }
    share_out(d, base, n, share);
    for (int j = 0; j < n; j++) {
        o->l[sold[j]].share = share[j];
        o->l[sold[j]].amount -= share[j];
    }
    o->dapplied = d;
    return 0;
}

/* The fixed taxes a price includes may not exceed it: EINVAL; beside an overflow the
 * library may meet either first. */
static int fixed_check(const m_config *c, const m_order *o, m_expect *ex)
{
    for (int i = 0; i < o->nl; i++)
        if (fixed_exceeds(c, &o->l[i]))
            return line_invalid(ex, i, "the fixed taxes the price includes exceed it");
    return 0;
}

static int sale_figures_of(const model *m, m_order *o, m_expect *ex);

static int sale_figures(const model *m, m_order *o, m_expect *ex)
{
    m_expect fx;
    ex_reset(&fx);
    int bad = sale_figures_of(m, o, ex);
    const m_config *c = &m->reg[m->s[o->session].reg].cfg;
    if (bad && ex->n && ex->codes[ex->n - 1] == E_OVERFLOW && fixed_check(c, o, &fx)) {
        ex_add(ex, E_INVAL, "the fixed taxes the price includes exceed it");
        ex->line = ex->line_alt = -1;
    }
    return bad;
}

static int sale_figures_of(const model *m, m_order *o, m_expect *ex)
{
    const m_session *s = &m->s[o->session];
    const m_config *c = &m->reg[s->reg].cfg;
    for (int i = 0; i < o->nl; i++)
        if (line_amount(c, &o->l[i], i, ex))
            return 1;
    if (order_discount(c, o, ex))
        return 1;
    for (int i = 0; i < o->nl; i++) {
        m_line *l = &o->l[i];
        if (s->cfg.tax_rounding == TR_ORDER) {
            if (is_lead(m, s, o, i) && group_taxes(m, s, o, i, ex))
                return 1;
        } else {
            int64_t u;
            if (taxes_on(c, l->tax, l->nt, l->qty, l->amount, l->taxamt, &u))
                return overflow(ex, i, "line tax beyond the bound");
        }
    }
    for (int i = 0; i < o->nl; i++)
        if (line_sums(c, &o->l[i], i, ex))
            return 1;
    return fixed_check(c, o, ex);
}

/* Every figure of the order (lines, then totals); 0, or 1 with EOVERFLOW in ex. */
/* An exchange (concepts.md, "Returns and exchanges"): the new sale lines of a refund order
 * take their figures as any sale's, among themselves (per-order rounding: once per group of
 * new lines); its refund lines keep theirs from the tally. */
static int exchange_figures(const model *m, m_order *o, m_expect *ex)
{
    static m_order t;
    int map[G_MAXL], n = 0;
    t = *o;
    for (int i = 0; i < o->nl; i++)
        if (o->l[i].refund_line < 0) {
            map[n] = i;
            t.l[n++] = o->l[i];
        }
    if (n == 0)
        return 0;
    t.nl = n;
    t.dam = t.dppm = 0;
    int bad = sale_figures(m, &t, ex);
    if (bad) {
        if (ex->line >= 0 && ex->line < n)
            ex->line = map[ex->line];
        return 1;
    }
    for (int j = 0; j < n; j++)
        o->l[map[j]] = t.l[j];
    o->zero_group = t.zero_group;
    return 0;
}

/* A posting group's figures (storage.md, "order": "groups are the order's posting figures
 * per income account and tax set", with each tax's base and amount) are figures the library
 * computes for the order: beyond the bound they are PSS_EOVERFLOW (concepts.md, "Bounds";
 * README, readings). Only lines of both signs (returns, exchanges) can make a group larger
 * than the order. */
int m_groups_in_bound(const model *m, const m_order *o)
{
    const m_session *s = &m->s[o->session];
    for (int i = 0; i < o->nl; i++) {
        if (!is_lead(m, s, o, i))
            continue;
        int64_t amount = 0, untaxed = 0, tax = 0, each[G_MAXLT] = {0};
        for (int j = i; j < o->nl; j++) {
            const m_line *l = &o->l[j];
            if (!same_group(m, s, &o->l[i], l))
                continue;
            amount += l->amount;
            untaxed += l->untaxed;
            tax += l->tax_sum;
            for (int k = 0; k < l->nt; k++)
                each[tax_slot(&o->l[i], l->tax[k])] += l->taxamt[k];
        }
        if (too_big(amount) || too_big(untaxed) || too_big(tax))
            return 0;
        for (int k = 0; k < o->l[i].nt; k++)
            if (too_big(each[k]))
                return 0;
    }
    return 1;
}

/* The order's own sums: untaxed, tax and total within the bound. */
int m_sums_in_bound(const m_order *o)
{
    int64_t u = 0, t = 0, tot = 0;
    for (int i = 0; i < o->nl; i++) {
        u += o->l[i].untaxed;
        t += o->l[i].tax_sum;
        tot += o->l[i].total;
    }
    return !too_big(u) && !too_big(t) && !too_big(tot);
}

int m_order_compute(const model *m, m_order *o, m_expect *ex)
{
    o->zero_group = 0;
    if (!m_is_refund(o) && sale_figures(m, o, ex))
        return 1;
    if (m_is_refund(o) && exchange_figures(m, o, ex))
        return 1;
    if (!m->no_group_bound && !m_groups_in_bound(m, o))
        return overflow(ex, -1, "a posting group's figure beyond the bound");
    int64_t u = 0, t = 0, tot = 0;
    for (int i = 0; i < o->nl; i++) {
        u += o->l[i].untaxed;
        t += o->l[i].tax_sum;
        tot += o->l[i].total;
    }
    /* pss_order_totals: untaxed, tax and total are figures the library computes for the
     * order (the generator's scratch orders may go beyond, see gen_lines.c) */
    if (too_big(tot) || (!m->no_group_bound && (too_big(u) || too_big(t))))
        return overflow(ex, -1, "order total, untaxed or tax beyond the bound");
    o->untaxed = u;
    o->tax = t;
    o->total = tot;
    return 0;
}

static int line_invalid(m_expect *ex, int index, const char *why)
{
    ex_add(ex, E_INVAL, why);
    if (ex->n == 1)
        ex->line = index;
    return 1;
}

static int sale_line_form(const m_config *c, const g_line *in, int index, m_expect *ex)
{
    if (in->product.null || !in->product.s[0] || !m_valid_utf8(in->product.s, 0))
        return line_invalid(ex, index, "product id missing or malformed");
    if (!in->name.null && !m_valid_utf8(in->name.s, 0))
        return line_invalid(ex, index, "product name not UTF-8");
    if (!in->category.null && m_cat_index(c, in->category.s) < 0)
        return line_invalid(ex, index, "unknown category");
    if (in->quantity == 0 || in->quantity > M_QMAX || in->quantity < -M_QMAX)
        return line_invalid(ex, index, "quantity zero or beyond the bound");
    if (in->unit_price < 0 || in->unit_price > M_AMAX ||
        (in->unit_price == 0 && !c->allow_zero))
        return line_invalid(ex, index, "unit price out of range");
    if (in->discount_ppm < 0 || in->discount_ppm > 1000000)
        return line_invalid(ex, index, "discount out of range");
    if (in->n_taxes > 8)
        return line_invalid(ex, index, "more than 8 taxes");
    for (int k = 0; k < in->n_taxes; k++)
        if (m_tax_index(c, in->taxes[k]) < 0)
            return line_invalid(ex, index, "unknown tax code");
    return 0;
}

/* concepts.md, "Returns and exchanges": a negative line with no refund_line is a return
 * without a receipt; the config must allow it (read: EINVAL, the code a negative sale line
 * had before), the actor needs the config's role (EACCESS), the order a reason (EINVAL). */
static int receiptless_rules(const model *m, const m_config *c, const g_line *in, int index,
                             m_expect *ex)
{
    if (in->quantity >= 0)
        return 0;
    if (!c->allow_rr)
        return line_invalid(ex, index, "returns without a receipt not allowed");
    int bad = 0;
    if (m->cur_role < c->rr_role) {
        ex_add(ex, E_ACCESS, "a return without a receipt takes a higher role");
        bad = 1;
    }
    if (!m->cur_reason)
        bad = line_invalid(ex, index, "a return without a receipt needs a reason");
    return bad;
}

/* A sale line from its input; 0, or 1 with the refusal in ex. */
int m_line_from_input(const model *m, const m_session *s, const m_order *o, const g_line *in,
                      int index, m_line *out, m_expect *ex)
{
    (void)o;
    int bad = sale_line_form(&s->cfg, in, index, ex);
    if (in->quantity >= -M_QMAX && receiptless_rules(m, &s->cfg, in, index, ex))
        bad = 1;   /* beside a fault of its own: either (README, readings 10) */
    if (bad)
        return 1;
    memset(out, 0, sizeof *out);
    strcpy(out->product, in->product.s);
    strcpy(out->name, in->name.null ? in->product.s : in->name.s);
    out->cat = in->category.null ? -1 : m_cat_index(&s->cfg, in->category.s);
    out->qty = in->quantity;
    out->price = in->unit_price;
    out->disc = in->discount_ppm;
    out->nt = in->n_taxes;
    for (int k = 0; k < in->n_taxes; k++)
        out->tax[k] = m_tax_index(&s->cfg, in->taxes[k]);
    out->refund_line = -1;
    return 0;
}

/* F = R(F_sold x (R + q) / Q) - F_refunded, kept between nothing and what is left. */
static int64_t refund_figure(int64_t sold, int64_t refunded, int64_t done_q, int64_t q,
                             int64_t total_q, int mode)
{
    int bad = 0;
    int64_t f = rnd(sold, done_q + q, total_q, mode, &bad) - refunded;
    int64_t left = sold - refunded, lo = sold >= 0 ? 0 : left, hi = sold >= 0 ? left : 0;
    return f < lo ? lo : f > hi ? hi : f;
}

static void copy_from_original(m_line *out, const m_line *ol, int64_t refund_line)
{
    memset(out, 0, sizeof *out);
    strcpy(out->product, ol->product);
    strcpy(out->name, ol->name);
    out->cat = ol->cat;
    out->price = ol->price;
    out->disc = ol->disc;
    out->nt = ol->nt;
    memcpy(out->tax, ol->tax, sizeof out->tax);
    out->refund_line = refund_line;
}

static int refund_refused(m_expect *ex, int index, int64_t refunded, int code,
                          const char *why)
{
    ex_add(ex, code, why);
    if (ex->n == 1) {
        ex->line = index;
        ex->line_alt = (int)refunded;
    }
    return 1;
}

/* A refund line of order o (o->refund_of set and refundable) from the tally; 0, or 1. */
int m_refund_line(model *m, m_order *o, const g_line *in, int index, m_line *out,
                  m_expect *ex)
{
    const m_order *orig = &m->o[o->refund_of];
    int64_t rl = in->refund_line;
    if (in->quantity >= 0 || in->quantity < -M_QMAX)
        return refund_refused(ex, index, rl, E_INVAL, "refund quantity not negative or too big");
    if (rl < 0 || rl >= orig->nl) {
        /* common.h: PSS_EREFUND "references nothing refundable"; PSS_ENOTFOUND is not among
         * the codes pss_order_create and pss_order_add_line return */
        return refund_refused(ex, index, rl, E_REFUND, "refund line does not exist");
    }
    const m_line *ol = &orig->l[rl];
    int64_t q = -in->quantity, done = orig->rq[rl];
    if (ol->qty < 0) {
        /* concepts.md: a return without a receipt "cannot itself be refunded later
         * (PSS_EREFUND: only sold lines can be refunded)", with the figure every refusal of a
         * refund beyond what is left gives: nothing is available */
        refund_refused(ex, index, rl, E_REFUND, "a return without a receipt is not refunded");
        if (ex->n == 1 && ex->nfig < 4) {
            ex->fig_name[ex->nfig] = "available";
            ex->fig_val[ex->nfig++] = 0;
        }
        return 1;
    }
    if (q > ol->qty - done) {
        refund_refused(ex, index, rl, E_REFUND, "refund beyond what is left of the line");
        if (ex->n == 1 && ex->nfig < 4) {
            ex->fig_name[ex->nfig] = "available";
            ex->fig_val[ex->nfig++] = ol->qty - done;
        }
        return 1;
    }
    int mode = m->s[o->session].cfg.rounding;
    copy_from_original(out, ol, rl);
    out->qty = in->quantity;
    out->amount = -refund_figure(ol->amount, orig->ramt[rl], done, q, ol->qty, mode);
    int64_t incl = 0, all = 0;
    for (int k = 0; k < ol->nt; k++) {
        out->taxamt[k] = -refund_figure(ol->taxamt[k], orig->rtax[rl][k], done, q, ol->qty, mode);
        all += out->taxamt[k];
        if (m->reg[m->s[orig->session].reg].cfg.t[ol->tax[k]].included)
            incl += out->taxamt[k];
    }
    out->gross = out->amount;
    out->untaxed = out->amount - incl;
    out->tax_sum = all;
    out->total = out->untaxed + all;
    return 0;
}

/* The tally of the refunded order takes (or gives back) a refund line's figures. */
static void tally_add(model *m, const m_order *o, const m_line *l, int sign)
{
    m_order *orig = &m->o[o->refund_of];
    int64_t rl = l->refund_line;
    if (rl < 0)
        return;   /* an exchange's new sale line takes nothing from the tally */
    orig->rq[rl] += sign * -l->qty;
    orig->ramt[rl] += sign * -l->amount;
    for (int k = 0; k < l->nt; k++)
        orig->rtax[rl][k] += sign * -l->taxamt[k];
    orig->touched = 1;
}

void m_tally_take(model *m, const m_order *o, const m_line *l)
{
    tally_add(m, o, l, 1);
}

void m_tally_give_back(model *m, const m_order *o, const m_line *l)
{
    tally_add(m, o, l, -1);
}

int m_is_refund(const m_order *o)
{
    return o->refund_of >= 0;
}

/* The order discount refused for its own form: both given, out of range, on a refund. */
int m_discount_form_bad(const g_order *in)
{
    if (in->disc_amount != 0 && in->disc_ppm != 0)
        return 1;
    if (in->disc_amount < 0 || in->disc_amount > M_AMAX || in->disc_ppm < 0 ||
        in->disc_ppm > 1000000)
        return 1;
    return !in->refund_of.null && (in->disc_amount != 0 || in->disc_ppm != 0);
}

/* What the sold lines come to after their own discounts (the order discount's base). */
int64_t m_lines_base(const m_config *c, const g_line *l, int n)
{
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        int bad = 0;
        if (l[i].quantity <= 0)
            continue;
        int64_t gross = rnd(l[i].quantity, l[i].unit_price, 1000, c->rounding, &bad);
        sum += gross - rnd(gross, l[i].discount_ppm, 1000000, c->rounding, &bad);
    }
    return sum;
}

