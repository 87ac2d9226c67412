/* tax.c: the figures of a line and an order. Rules (doc/concepts.md, "Rounding"):
 *   gross    = R(quantity x unit price / 1000)
 *   amount   = gross - R(gross x discount / 1e6) - the line's share of the order discount
 *   included = R(amount x rate / (1e6 + sum of included rates)), per included tax
 *   untaxed  = amount - sum of included taxes
 *   excluded = R(untaxed x rate / 1e6), per excluded tax
 *   total    = untaxed + all taxes
 * where R rounds by the config's rule (half away from zero unless configured). Included taxes
 * are taken out of the price together, so the price the customer sees is the total to the
 * minor unit; excluded taxes are computed on what remains. With per-order tax rounding the
 * same formulas run once on the summed amounts of lines sharing an income account and taxes. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "base/money_internal.h"

#define PPM 1000000

static int scale(int64_t amount, int64_t num, int64_t den, pss_rounding mode, int64_t *out)
{
    return pss__round_div128((__int128)amount * num, den, mode, out);
}

static int overflow(pss_ctx *ctx, const char *what)
{
    return pss__fail(ctx, PSS_EOVERFLOW, "%s does not fit in a 64-bit amount", what);
}

/* One tax of a line or group as the split needs it: a rate, or (fixed) its amount already
 * known (the line's quantity times its amount per unit, or a group's lines' sum). */
typedef struct tax_rule {
    int64_t rate;
    bool included, fixed, affects_base;
    int64_t fixed_amount;
} tax_rule;

/* Splits an amount into untaxed and taxes; amounts[i] receives each tax. Included fixed taxes
 * come out of the price first, then the included rates together from what is left; taxes on
 * top follow in the line's order, each on the untaxed amount plus the taxes before it that
 * affect the base. */
static int split_taxes(pss_ctx *ctx, pss_rounding mode, int64_t amount, const tax_rule *t,
                       size_t n, int64_t *amounts, int64_t *untaxed, int64_t *tax)
{
    int64_t included_rates = 0, fixed_in = 0, included_sum = 0, total_tax = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].included && t[i].fixed && __builtin_add_overflow(fixed_in, t[i].fixed_amount,
                                                                  &fixed_in))
            return overflow(ctx, "an included fixed tax");
        if (t[i].included && !t[i].fixed)
            included_rates += t[i].rate;
    }
    /* a line's included fixed taxes are within its price (pss__line_compute), and a group's
     * are its lines' sum */
    int64_t priced = amount - fixed_in;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].included)
            continue;
        if (t[i].fixed)
            amounts[i] = t[i].fixed_amount;
        else if (scale(priced, t[i].rate, PPM + included_rates, mode, &amounts[i]))
            return overflow(ctx, "an included tax");
        included_sum += amounts[i]; /* |included taxes| <= |amount|: no overflow */
    }
    int64_t base = amount - included_sum;
    *untaxed = base;
    total_tax = included_sum;
    for (size_t i = 0; i < n; i++) {
        if (t[i].included)
            continue;
        if (t[i].fixed)
            amounts[i] = t[i].fixed_amount;
        else if (scale(base, t[i].rate, PPM, mode, &amounts[i]))
            return overflow(ctx, "an excluded tax");
        if (__builtin_add_overflow(total_tax, amounts[i], &total_tax) ||
            (t[i].affects_base && __builtin_add_overflow(base, amounts[i], &base)))
            return overflow(ctx, "an excluded tax");
    }
    *tax = total_tax;
    return 0;
}

/* The fixed taxes a price includes cannot be more than the price, in magnitude: a line that
 * comes back (negative) is held to the same rule as its sale, also at an amount of 0. */
static int check_fixed_within(pss_ctx *ctx, const pss_config *cfg, const pss_line *line,
                              int64_t amount, const tax_rule *t, size_t n)
{
    __int128 fixed = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].included && t[i].fixed)
            fixed += t[i].fixed_amount;
    __int128 size = amount < 0 ? -(__int128)amount : amount;
    if ((fixed < 0 ? -fixed : fixed) <= size)
        return 0;
    char a[PSS_MONEY_BUFSIZE], f[PSS_MONEY_BUFSIZE];
    return pss__fail(ctx, PSS_EINVAL, "line of '%s': the fixed taxes included in its price %s "
                                      "exceed it (%s)", line->product_name,
                     pss__fmt(a, amount, cfg->exponent),
                     pss__fmt(f, (int64_t)fixed, cfg->exponent));
}

/* A line's figure held to the bound of an amount. */
static int check_line_figure(pss_ctx *ctx, const pss_config *cfg, const pss_line *line,
                             int64_t v)
{
    return pss__check_figuref(ctx, v, cfg->exponent, "line of '%s'", line->product_name);
}

int pss__line_compute(pss_ctx *ctx, const pss_config *cfg, pss_line *line)
{
    int64_t gross, discount;
    if (scale(line->qty, line->price, 1000, cfg->rounding, &gross))
        return overflow(ctx, "quantity x unit price");
    if (scale(gross, line->discount_ppm, PPM, cfg->rounding, &discount))
        return overflow(ctx, "the discount");
    /* 0 <= discount <= gross in magnitude; the order discount's share is within what is left
     * (discount.c) */
    line->amount = gross - discount - line->order_discount;
    tax_rule rules[PSS_MAX_LINE_TAXES];
    int64_t amounts[PSS_MAX_LINE_TAXES];
    for (size_t i = 0; i < line->n_taxes; i++) {
        const pss_line_tax *lt = &line->taxes[i];
        rules[i] = (tax_rule){lt->rate_ppm, lt->included, lt->per_unit != 0, lt->affects_base,
                              0};
        if (lt->per_unit && scale(line->qty, lt->per_unit, 1000, cfg->rounding,
                                  &rules[i].fixed_amount))
            return overflow(ctx, "a fixed tax");
    }
    int rc = check_line_figure(ctx, cfg, line, gross);
    if (!rc)
        rc = check_fixed_within(ctx, cfg, line, line->amount, rules, line->n_taxes);
    if (!rc)
        rc = split_taxes(ctx, cfg->rounding, line->amount, rules, line->n_taxes, amounts,
                         &line->untaxed, &line->tax);
    if (rc)
        return rc;
    for (size_t i = 0; i < line->n_taxes; i++)
        line->taxes[i].amount = amounts[i];
    if (__builtin_add_overflow(line->untaxed, line->tax, &line->total))
        return overflow(ctx, "the line total");
    /* every tax is within the total: rates are not negative */
    return check_line_figure(ctx, cfg, line, line->total);
}

/* The groups live in the order's pool, like the lines' strings they copy. */
void pss__groups_free(pss_order_data *d)
{
    d->groups = NULL;
    d->n_groups = 0;
}

static bool in_group(const pss_group *g, const pss_line *line)
{
    return strcmp(g->account, line->income_account) == 0 && strcmp(g->taxset, line->taxset) == 0 &&
           g->refund == pss__line_comes_back(line);
}

static pss_group *find_group(const pss_order_data *d, const pss_line *line)
{
    for (size_t i = 0; i < d->n_groups; i++)
        if (in_group(&d->groups[i], line))
            return &d->groups[i];
    return NULL;
}

static int new_group(pss_ctx *ctx, pss_order_data *d, const pss_line *line, pss_group **out)
{
    const pss_allocator *a = ctx->alloc;
    pss_group *g = &d->groups[d->n_groups];
    memset(g, 0, sizeof *g);
    g->account = pss__pool_strdup(a, &d->pool, line->income_account);
    g->taxset = pss__pool_strdup(a, &d->pool, line->taxset);
    g->taxes = line->n_taxes ? pss__pool_calloc(a, &d->pool, line->n_taxes, sizeof *g->taxes)
                             : NULL;
    if (!g->account || !g->taxset || (line->n_taxes && !g->taxes))
        return pss__oom(ctx);
    d->n_groups++;
    g->refund = pss__line_comes_back(line);
    g->n_taxes = line->n_taxes;
    for (size_t i = 0; i < line->n_taxes; i++) {
        pss_group_tax *t = &g->taxes[i];
        t->code = pss__pool_strdup(a, &d->pool, line->taxes[i].code);
        t->account = pss__pool_strdup(a, &d->pool, line->taxes[i].account);
        if (!t->code || !t->account)
            return pss__oom(ctx);
        t->rate_ppm = line->taxes[i].rate_ppm;
        t->included = line->taxes[i].included;
        t->per_unit = line->taxes[i].per_unit;
        t->affects_base = line->taxes[i].affects_base;
    }
    *out = g;
    return 0;
}

/* The line's tax with the group tax's code: lines of one group carry the same set of codes,
 * each listed in the order its line gave, so taxes are matched by code, never by position. */
static pss_line_tax *line_tax_of(const pss_line *line, const char *code)
{
    for (size_t i = 0; i < line->n_taxes; i++)
        if (strcmp(line->taxes[i].code, code) == 0)
            return &line->taxes[i];
    return NULL;
}

/* Per line: the group's figures are the sums of its lines'. */
static int add_line_figures(pss_ctx *ctx, pss_group *g, const pss_line *line)
{
    if (__builtin_add_overflow(g->amount, line->amount, &g->amount) ||
        __builtin_add_overflow(g->untaxed, line->untaxed, &g->untaxed) ||
        __builtin_add_overflow(g->tax, line->tax, &g->tax))
        return overflow(ctx, "the order's sum");
    for (size_t i = 0; i < g->n_taxes; i++) {
        const pss_line_tax *t = line_tax_of(line, g->taxes[i].code);
        if (!t) /* same taxset, same codes: only a damaged record (a code with ',') */
            return pss__fail(ctx, PSS_ECORRUPT, "line of '%s' lacks tax '%s' of its group",
                             line->product_name, g->taxes[i].code);
        if (__builtin_add_overflow(g->taxes[i].amount, t->amount, &g->taxes[i].amount))
            return overflow(ctx, "the order's tax");
    }
    return 0;
}

/* Per order: the taxes are computed once on the group's summed amount. */
static int compute_group_once(pss_ctx *ctx, const pss_config *cfg, pss_group *g)
{
    tax_rule rules[PSS_MAX_LINE_TAXES];
    int64_t amounts[PSS_MAX_LINE_TAXES];
    for (size_t i = 0; i < g->n_taxes; i++) { /* fixed taxes: the lines' own, summed */
        const pss_group_tax *gt = &g->taxes[i];
        rules[i] = (tax_rule){gt->rate_ppm, gt->included, gt->per_unit != 0, gt->affects_base,
                              gt->amount};
    }
    int rc = split_taxes(ctx, cfg->rounding, g->amount, rules, g->n_taxes, amounts, &g->untaxed,
                         &g->tax);
    for (size_t i = 0; !rc && i < g->n_taxes; i++)
        g->taxes[i].amount = amounts[i];
    return rc;
}

/* ---- per-order rounding: the group's taxes shared out over its lines ---- */

/* Gives each line of group g its share of the group's tax k, in proportion to the lines'
 * amounts: shares rounded toward zero, the units left over one each to the largest
 * remainders, the earlier line first on a tie. The shares add up to the group's tax. */
static void share_tax(pss_order_data *d, const pss_group *g, size_t k, size_t *members,
                      __int128 *rest, size_t n)
{
    const char *code = g->taxes[k].code;
    int64_t tax = g->taxes[k].amount, given = 0;
    if (g->amount == 0) { /* no amounts to share by (a tax on fixed taxes only): the first line */
        for (size_t m = 0; m < n; m++)
            line_tax_of(&d->lines[members[m]], code)->amount = m == 0 ? tax : 0;
        return;
    }
    for (size_t m = 0; m < n; m++) {
        pss_line *l = &d->lines[members[m]];
        __int128 part = g->amount ? (__int128)tax * l->amount : 0;
        int64_t share = g->amount ? (int64_t)(part / g->amount) : 0; /* toward zero */
        rest[m] = g->amount ? part - (__int128)share * g->amount : 0;
        if (rest[m] < 0)
            rest[m] = -rest[m];
        line_tax_of(l, code)->amount = share;
        given += share;
    }
    for (int64_t left = tax - given; left != 0; left += left > 0 ? -1 : 1) {
        size_t best = 0;
        for (size_t m = 1; m < n; m++)
            if (rest[m] > rest[best])
                best = m;
        pss_line_tax *t = line_tax_of(&d->lines[members[best]], code);
        t->amount += left > 0 ? 1 : -1;
        rest[best] = -1; /* one unit per line */
    }
}

void pss__line_from_taxes(pss_line *l)
{
    int64_t included = 0;
    l->tax = 0;
    for (size_t i = 0; i < l->n_taxes; i++) {
        l->tax += l->taxes[i].amount;
        if (l->taxes[i].included)
            included += l->taxes[i].amount;
    }
    l->untaxed = l->amount - included;
    l->total = l->untaxed + l->tax;
}

static int share_group(pss_ctx *ctx, pss_order_data *d, const pss_group *g)
{
    size_t *members = PSS_CALLOC(ctx, d->n_lines, sizeof *members);
    __int128 *rest = PSS_CALLOC(ctx, d->n_lines, sizeof *rest);
    size_t n = 0;
    if (!members || !rest) {
        PSS_FREE(ctx, members);
        PSS_FREE(ctx, rest);
        return pss__oom(ctx);
    }
    for (size_t i = 0; i < d->n_lines; i++)
        if (find_group(d, &d->lines[i]) == g)
            members[n++] = i;
    for (size_t k = 0; k < g->n_taxes; k++)
        if (!g->taxes[k].per_unit) /* a fixed tax stays each line's own amount */
            share_tax(d, g, k, members, rest, n);
    for (size_t m = 0; m < n; m++)
        pss__line_from_taxes(&d->lines[members[m]]);
    PSS_FREE(ctx, members);
    PSS_FREE(ctx, rest);
    return 0;
}

/* The groups as sums of their lines (per-line rounding), in the order their first lines
 * come. */
static int sum_groups(pss_ctx *ctx, pss_order_data *d)
{
    pss__groups_free(d);
    if (d->n_lines == 0)
        return 0;
    d->groups = pss__pool_calloc(ctx->alloc, &d->pool, d->n_lines, sizeof *d->groups);
    if (!d->groups)
        return pss__oom(ctx);
    for (size_t i = 0; i < d->n_lines; i++) {
        const pss_line *line = &d->lines[i];
        pss_group *g = find_group(d, line);
        int rc = g ? 0 : new_group(ctx, d, line, &g);
        if (rc || (rc = add_line_figures(ctx, g, line)))
            return rc;
        g->from_sale |= line->refund_line >= 0;
    }
    return 0;
}

static void set_bases(pss_order_data *d)
{
    for (size_t i = 0; i < d->n_groups; i++)
        for (size_t k = 0; k < d->groups[i].n_taxes; k++)
            d->groups[i].taxes[k].base = d->groups[i].untaxed;
}

/* A group's figures are figures the library computes, held to the bound of an amount like a
 * line's: sales and returns beside each other can keep the order's total within it while
 * one side's group is not (doc/concepts.md, "Bounds"). */
static int check_group_bounds(pss_ctx *ctx, const pss_config *cfg, const pss_order_data *d,
                              const pss_group *g)
{
    int64_t figures[3 + PSS_MAX_LINE_TAXES] = {g->amount, g->untaxed, g->tax};
    size_t n = 3;
    for (size_t k = 0; k < g->n_taxes && n < sizeof figures / sizeof figures[0]; k++)
        figures[n++] = g->taxes[k].amount;
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = pss__check_figuref(ctx, figures[i], cfg->exponent, "the %s of order %s on %s %s",
                                g->refund ? "returns" : "sales", d->id, g->account,
                                g->taxset[0] ? g->taxset : "without tax");
    return rc;
}

static int build_groups(pss_ctx *ctx, const pss_config *cfg, pss_order_data *d)
{
    int rc = sum_groups(ctx, d);
    bool per_order = cfg->tax_rounding == PSS_TAX_ROUND_PER_ORDER;
    for (size_t i = 0; !rc && per_order && i < d->n_groups; i++) {
        /* refund lines take their taxes from the sale (refund.c): their groups are their
         * lines' sums */
        if (d->groups[i].from_sale)
            continue;
        rc = compute_group_once(ctx, cfg, &d->groups[i]);
        if (!rc)
            rc = share_group(ctx, d, &d->groups[i]);
    }
    if (!rc)
        set_bases(d);
    for (size_t i = 0; !rc && i < d->n_groups; i++)
        rc = check_group_bounds(ctx, cfg, d, &d->groups[i]);
    return rc;
}

/* The order's untaxed, tax and total: its groups' sums. */
static int group_totals(pss_ctx *ctx, const pss_order_data *d, int64_t *untaxed, int64_t *tax,
                        int64_t *total)
{
    *untaxed = *tax = 0;
    for (size_t i = 0; i < d->n_groups; i++)
        if (__builtin_add_overflow(*untaxed, d->groups[i].untaxed, untaxed) ||
            __builtin_add_overflow(*tax, d->groups[i].tax, tax))
            return overflow(ctx, "the order total");
    if (__builtin_add_overflow(*untaxed, *tax, total))
        return overflow(ctx, "the order total");
    return 0;
}

int pss__order_sum_lines(pss_ctx *ctx, pss_order_data *d)
{
    int rc = sum_groups(ctx, d);
    if (rc)
        return rc;
    set_bases(d);
    return group_totals(ctx, d, &d->untaxed, &d->tax, &d->total);
}

/* ---- the groups as their lines' sums (order record version 4) ---- */

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_snapshot(const pss_group_tax *gt, const pss_line_tax *lt)
{
    return same_text(gt->code, lt->code) && same_text(gt->account, lt->account) &&
           gt->rate_ppm == lt->rate_ppm && gt->included == lt->included &&
           gt->per_unit == lt->per_unit && gt->affects_base == lt->affects_base;
}

/* Group g is what sum_groups makes of its first line: that line's taxes, in its order. */
static bool headed_by(const pss_group *g, const pss_line *line)
{
    if (g->n_taxes != line->n_taxes)
        return false;
    for (size_t k = 0; k < g->n_taxes; k++)
        if (!same_snapshot(&g->taxes[k], &line->taxes[k]))
            return false;
    return true;
}

/* Every line has a group, and the groups come in the order of their first lines. */
static bool groups_in_line_order(const pss_order_data *d)
{
    size_t seen = 0;
    for (size_t i = 0; i < d->n_lines; i++) {
        const pss_group *g = find_group(d, &d->lines[i]);
        size_t j = g ? (size_t)(g - d->groups) : SIZE_MAX;
        if (j > seen || (j == seen && !headed_by(g, &d->lines[i])))
            return false;
        seen += j == seen;
    }
    return seen == d->n_groups;
}

static bool group_adds_up(const pss_order_data *d, const pss_group *g)
{
    int64_t amount = 0, untaxed = 0, tax = 0, taxes[PSS_MAX_LINE_TAXES] = {0};
    if (g->n_taxes > PSS_MAX_LINE_TAXES)
        return false;
    for (size_t i = 0; i < d->n_lines; i++) {
        const pss_line *l = &d->lines[i];
        if (!in_group(g, l))
            continue;
        if (__builtin_add_overflow(amount, l->amount, &amount) ||
            __builtin_add_overflow(untaxed, l->untaxed, &untaxed) ||
            __builtin_add_overflow(tax, l->tax, &tax))
            return false;
        for (size_t k = 0; k < g->n_taxes; k++) {
            const pss_line_tax *t = line_tax_of(l, g->taxes[k].code);
            if (!t || __builtin_add_overflow(taxes[k], t->amount, &taxes[k]))
                return false;
        }
    }
    for (size_t k = 0; k < g->n_taxes; k++)
        if (taxes[k] != g->taxes[k].amount || g->taxes[k].base != g->untaxed)
            return false;
    return amount == g->amount && untaxed == g->untaxed && tax == g->tax;
}

bool pss__groups_are_line_sums(const pss_order_data *d)
{
    int64_t untaxed = 0, tax = 0, total;
    if (!groups_in_line_order(d))
        return false;
    for (size_t i = 0; i < d->n_groups; i++)
        if (!group_adds_up(d, &d->groups[i]) ||
            __builtin_add_overflow(untaxed, d->groups[i].untaxed, &untaxed) ||
            __builtin_add_overflow(tax, d->groups[i].tax, &tax))
            return false;
    return !__builtin_add_overflow(untaxed, tax, &total) && untaxed == d->untaxed &&
           tax == d->tax && total == d->total;
}

#ifndef NDEBUG
/* Each order figure is its lines' sum, under either tax rounding (share_group hands a group's
 * tax to its lines to the minor unit): the refund tally and the report rely on it. */
static bool lines_add_up(const pss_order_data *d)
{
    int64_t untaxed = 0, tax = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        if (__builtin_add_overflow(untaxed, d->lines[i].untaxed, &untaxed) ||
            __builtin_add_overflow(tax, d->lines[i].tax, &tax))
            return false;
    return untaxed == d->untaxed && tax == d->tax;
}
#endif

int pss__order_compute(pss_ctx *ctx, const pss_config *cfg, pss_order_data *d)
{
    int rc = pss__order_spread_discount(ctx, cfg, d);
    bool discounted = d->discount_amount || d->discount_ppm;
    for (size_t i = 0; !rc && discounted && i < d->n_lines; i++)
        if (d->lines[i].refund_line < 0) /* refund lines take their figures from the sale */
            rc = pss__line_compute(ctx, cfg, &d->lines[i]); /* on the discounted amounts */
    if (!rc)
        rc = build_groups(ctx, cfg, d);
    int64_t untaxed, tax, total;
    if (rc || (rc = group_totals(ctx, d, &untaxed, &tax, &total)))
        return rc;
    /* each sum is held to the bound, not the total alone: returns with included taxes beside
     * sales can keep the total within it while the untaxed sum is not */
    if ((rc = pss__check_figuref(ctx, total, cfg->exponent, "the total of order %s", d->id)) ||
        (rc = pss__check_figuref(ctx, untaxed, cfg->exponent, "the untaxed sum of order %s",
                                 d->id)) ||
        (rc = pss__check_figuref(ctx, tax, cfg->exponent, "the tax of order %s", d->id)))
        return rc;
    d->untaxed = untaxed, d->tax = tax, d->total = total;
    PSS_ASSERT(lines_add_up(d));
    /* what an order record of version 4 leaves out and its reader gets back by adding up the
     * lines (pss__order_sum_lines): under per-order rounding too */
    PSS_ASSERT(pss__groups_are_line_sums(d));
    /* Lines change only before the first payment, and an order is rounded only when a
     * payment settles it (payment.c); drafts written by 1.0 with scope "all" rounded their
     * total up front, which a line change drops. */
    if (d->state == PSS_ORDER_DRAFT && d->n_payments == 0)
        d->rounding = 0;
    return 0;
}

int pss__order_paid(const pss_order_data *d, pss_paid *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->n_payments; i++) {
        const pss_payment *p = &d->payments[i];
        if (p->state == PSS_PAYMENT_DONE) {
            if (__builtin_add_overflow(out->done, p->amount, &out->done) ||
                __builtin_add_overflow(out->change, p->change, &out->change))
                return PSS_EOVERFLOW;
            out->n_done++;
        } else if (p->state == PSS_PAYMENT_PENDING) {
            if (__builtin_add_overflow(out->pending, p->amount, &out->pending))
                return PSS_EOVERFLOW;
            out->n_pending++;
        }
    }
    return 0;
}

int pss__order_due(const pss_order_data *d, int64_t *out)
{
    return __builtin_add_overflow(d->total, d->rounding, out) ? PSS_EOVERFLOW : 0;
}
