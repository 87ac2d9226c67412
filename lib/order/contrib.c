/* contrib.c: what one order contributes to its session's running totals, in each state.
 * Every change of an order is applied as "minus what it contributed before, plus what it
 * contributes now", and pss_session_verify() rebuilds the totals by adding every stored
 * order's contribution: one definition serves both, so they cannot drift apart. */
#include "order/order_internal.h"

#include <string.h>

#include "base/bounds.h"

static const char *side_of(const pss_group *g)
{
    return g->refund ? "refund" : "sale";
}

static int signed_value(pss_stage *st, int64_t v, int sign, int64_t *out)
{
    if (sign > 0) {
        *out = v;
        return 0;
    }
    if (v == INT64_MIN)
        return pss__fail(st->s->ctx, PSS_EOVERFLOW, "an amount of session %s overflows",
                         st->core.name);
    *out = -v;
    return 0;
}

static int add_scalar(pss_stage *st, int64_t *field, int64_t v, int sign, const char *what)
{
    int64_t d = 0;
    int rc = signed_value(st, v, sign, &d);
    return rc ? rc : pss__stage_add(st, field, d, what);
}

static int add_total(pss_stage *st, pss_total_type type, const char *a, const char *b,
                      const char *c, const char *label, int sign, int64_t v0, int64_t v1,
                      int64_t v2)
{
    int64_t d[PSS_TOTAL_VALUES] = {0, 0, 0};
    int rc;
    if ((rc = signed_value(st, v0, sign, &d[0])) || (rc = signed_value(st, v1, sign, &d[1])) ||
        (rc = signed_value(st, v2, sign, &d[2])))
        return rc;
    return pss__stage_total(st, type, a, b, c, label, d);
}

static int add_sales(pss_stage *st, const pss_order_data *d, int sign)
{
    pss_scalars *t = &st->core.totals;
    int rc;
    /* split receivables post per customer (journal.c) */
    if (d->invoiced && d->customer &&
        (rc = add_total(st, PSS_TOTAL_RECEIVABLE, d->customer, NULL, NULL, NULL, sign, d->total,
                        0, 0)))
        return rc;
    if (d->invoiced)
        return add_scalar(st, &t->invoiced, d->total, sign, "invoiced total");
    if ((rc = add_scalar(st, &t->untaxed, d->untaxed, sign, "untaxed sales")) ||
        (rc = add_scalar(st, &t->tax, d->tax, sign, "tax")))
        return rc;
    for (size_t i = 0; i < d->n_groups; i++) {
        const pss_group *g = &d->groups[i];
        rc = add_total(st, PSS_TOTAL_SALES, g->account, g->taxset, side_of(g), NULL, sign,
                        g->untaxed, g->tax, 0);
        for (size_t k = 0; !rc && k < g->n_taxes; k++)
            rc = add_total(st, PSS_TOTAL_TAX, g->taxes[k].code, g->taxes[k].account, side_of(g),
                            NULL, sign, g->taxes[k].base, g->taxes[k].amount, 0);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_products(pss_stage *st, const pss_order_data *d, int sign)
{
    for (size_t i = 0; i < d->n_lines; i++) {
        const pss_line *l = &d->lines[i];
        int64_t sold = l->qty > 0 ? l->qty : 0, refunded = l->qty < 0 ? -l->qty : 0;
        int rc = add_total(st, PSS_TOTAL_PRODUCT, l->product_id, NULL, NULL, l->product_name, sign,
                            sold, refunded, 0);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_paid(pss_stage *st, const pss_order_data *d, int sign)
{
    pss_scalars *t = &st->core.totals;
    int rc;
    if ((rc = add_scalar(st, d->refund_of[0] ? &t->refunds : &t->orders, 1, sign, "order count")) ||
        (rc = add_scalar(st, &t->paid_total, d->total, sign, "paid total")) ||
        (rc = add_scalar(st, &t->rounding, d->rounding, sign, "rounding")) ||
        (rc = add_sales(st, d, sign)))
        return rc;
    return add_products(st, d, sign);
}

static int add_payments(pss_stage *st, const pss_order_data *d, int sign)
{
    pss_scalars *t = &st->core.totals;
    for (size_t i = 0; i < d->n_payments; i++) {
        const pss_payment *p = &d->payments[i];
        if (p->state != PSS_PAYMENT_DONE)
            continue;
        int rc = add_total(st, PSS_TOTAL_METHOD, p->method, NULL, NULL, NULL, sign, p->amount,
                            p->change, 1);
        if (!rc && p->cash)
            rc = add_scalar(st, &t->cash_payments, p->amount, sign, "cash payments");
        if (!rc && p->cash)
            rc = add_scalar(st, &t->change, p->change, sign, "change");
        if (rc)
            return rc;
    }
    return 0;
}

/* What an order's own figures add to the session's volume (its payments add theirs). */
static int64_t figures_volume(const pss_order_data *d)
{
    if (d->state == PSS_ORDER_CANCELLED)
        return 0;
    return pss__magnitude(d->total) + pss__magnitude(d->rounding); /* both within the bounds */
}

static int64_t payment_volume(const pss_payment *p)
{
    bool counts = p->state == PSS_PAYMENT_DONE || p->state == PSS_PAYMENT_PENDING;
    return counts ? pss__magnitude(p->amount) + pss__magnitude(p->change) : 0;
}

int64_t pss__order_volume(const pss_order_data *d)
{
    if (!d)
        return 0;
    int64_t v = figures_volume(d); /* at most 100 payments of at most 2 x PSS_AMOUNT_MAX */
    for (size_t i = 0; i < d->n_payments; i++)
        v += payment_volume(&d->payments[i]);
    return v;
}

static int add_order(pss_stage *st, const pss_order_data *d, int sign)
{
    pss_scalars *t = &st->core.totals;
    int rc = add_scalar(st, &t->volume, pss__order_volume(d), sign, "volume");
    if (rc)
        return rc;
    switch (d->state) {
    case PSS_ORDER_DRAFT:
        rc = add_scalar(st, &t->draft_total, d->total, sign, "draft total");
        break;
    case PSS_ORDER_PAID:
    case PSS_ORDER_DONE:
        rc = add_paid(st, d, sign);
        break;
    case PSS_ORDER_CANCELLED:
        rc = add_scalar(st, &t->cancelled, 1, sign, "cancelled count");
        break;
    }
    return rc ? rc : add_payments(st, d, sign);
}

static bool is_draft(const pss_order_data *d)
{
    return d && d->state == PSS_ORDER_DRAFT;
}

static bool is_pending(const pss_order_data *d, size_t i)
{
    return d && i < d->n_payments && d->payments[i].state == PSS_PAYMENT_PENDING;
}

/* The draft and pending lists change only where membership changes, so that an order that
 * stays a draft keeps its place in the list. */
static int update_lists(pss_stage *st, const pss_order_data *old, const pss_order_data *new)
{
    pss_ctx *ctx = st->s->ctx;
    const char *id = new ? new->id : old->id;
    if (is_draft(old) && !is_draft(new))
        pss__core_remove_draft(&st->core, id);
    else if (!is_draft(old) && is_draft(new) && pss__core_add_draft(ctx, &st->core, id))
        return PSS_ENOMEM;
    size_t n = 0;
    if (old && old->n_payments > n)
        n = old->n_payments;
    if (new && new->n_payments > n)
        n = new->n_payments;
    for (size_t i = 0; i < n; i++) {
        bool before = is_pending(old, i), after = is_pending(new, i);
        if (before && !after)
            pss__core_remove_pending(&st->core, id, (int64_t)i);
        else if (!before && after && pss__core_add_pending(ctx, &st->core, id, (int64_t)i))
            return PSS_ENOMEM;
    }
    return 0;
}

int pss__order_transition(pss_stage *st, const pss_order_data *old, const pss_order_data *new)
{
    int rc = 0;
    if (old)
        rc = add_order(st, old, -1);
    if (!rc && new)
        rc = add_order(st, new, +1);
    if (!rc)
        rc = update_lists(st, old, new);
    return rc;
}
