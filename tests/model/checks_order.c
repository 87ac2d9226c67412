/* checks_order.c: an order handle's figures (totals, every line, the per-code taxes, every
 * payment, state, refund reference, invoiced flag, number) against the oracle's order. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

#define OCMP(what, got, want)                                                                \
    do {                                                                                     \
        int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                                   \
        if (g_ != w_)                                                                        \
            return drv_failf(d, "order %s (#%d) %s: got %" PRId64 ", expected %" PRId64 "\n", \
                             o->id, oi, what, g_, w_);                                       \
    } while (0)

#define OCMPS(what, got, want)                                                               \
    do {                                                                                     \
        const char *g_ = (got), *w_ = (want);                                                \
        if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0))                     \
            return drv_failf(d, "order %s (#%d) %s: got \"%s\", expected \"%s\"\n", o->id,   \
                             oi, what, g_ ? g_ : "(null)", w_ ? w_ : "(null)");              \
    } while (0)

static int shown_state(const model *m, const m_order *o)
{
    if (o->state == OS_PAID && m->s[o->session].state == SS_CLOSED)
        return OS_DONE;
    return o->state;
}

static int totals(driver *d, int oi, const m_order *o, pss_order *h)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    if (pss_order_get_totals(h, &t))
        return drv_failf(d, "pss_order_get_totals failed\n");
    int64_t paid = 0, pending = 0, change = 0;
    for (int i = 0; i < o->np; i++) {
        if (o->p[i].state == PS_DONE)
            paid += o->p[i].amount, change += o->p[i].change;
        if (o->p[i].state == PS_PENDING)
            pending += o->p[i].amount;
    }
    OCMP("untaxed", t.untaxed, o->untaxed);
    OCMP("tax", t.tax, o->tax);
    OCMP("total", t.total, o->total);
    OCMP("rounding", t.rounding, o->rounding);
    OCMP("due", t.due, o->total + o->rounding);
    OCMP("paid", t.paid, paid);
    OCMP("pending", t.pending, pending);
    OCMP("change", t.change, change);
    if (o->state == OS_CANCELLED)
        return 0;
    OCMP("remaining", t.remaining, o->state == OS_DRAFT ? m_rest(o) : 0);
    OCMP("cash_due", t.cash_due, m_cash_due(d->m, o));
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int line_taxes(driver *d, int oi, const m_order *o, pss_order *h, int li)
{
    const m_config *c = &d->m->reg[d->m->s[o->session].reg].cfg;
    const m_line *l = &o->l[li];
    const char *got[G_MAXLT + 1], *want[G_MAXLT + 1];
    for (int k = 0; k < l->nt; k++) {
        got[k] = pss_order_line_tax(h, (size_t)li, (size_t)k);
        want[k] = c->t[l->tax[k]].code;
        if (!got[k])
            return drv_failf(d, "order %s line %d tax %d: NULL code\n", o->id, li, k);
    }
    qsort(got, (size_t)l->nt, sizeof got[0], cmp_str);
    qsort(want, (size_t)l->nt, sizeof want[0], cmp_str);
    for (int k = 0; k < l->nt; k++)
        OCMPS("line tax code", got[k], want[k]);
    return 0;
}

static int line(driver *d, int oi, const m_order *o, pss_order *h, int li)
{
    const m_session *s = &d->m->s[o->session];
    const m_config *c = &d->m->reg[s->reg].cfg;
    const m_line *l = &o->l[li];
    pss_line_info in = PSS_LINE_INFO_INIT;
    if (pss_order_get_line(h, (size_t)li, &in))
        return drv_failf(d, "order %s: pss_order_get_line(%d) failed\n", o->id, li);
    OCMPS("line product", in.product_id, l->product);
    OCMPS("line name", in.product_name, l->name);
    OCMPS("line category", in.category, l->cat >= 0 ? c->c[l->cat].name : NULL);
    OCMPS("line income account", in.income_account, m_income_of(d->m, s, l->cat));
    OCMP("line quantity", in.quantity, l->qty);
    OCMP("line unit price", in.unit_price, l->price);
    OCMP("line discount", in.discount_ppm, l->disc);
    OCMP("line untaxed", in.untaxed, l->untaxed);
    OCMP("line tax", in.tax, l->tax_sum);
    OCMP("line total", in.total, l->total);
    OCMP("line tax count", in.n_taxes, l->nt);
    OCMP("line refund_line", in.refund_line, l->refund_line);
    return line_taxes(d, oi, o, h, li);
}

static int tax(driver *d, int oi, const m_order *o, pss_order *h)
{
    const m_config *c = &d->m->reg[d->m->s[o->session].reg].cfg;
    int64_t base[M_MAXT] = {0}, amount[M_MAXT] = {0};
    int used[M_MAXT] = {0}, n = 0;
    for (int i = 0; i < o->nl; i++)
        for (int k = 0; k < o->l[i].nt; k++) {
            int t = o->l[i].tax[k];
            n += !used[t];
            used[t] = 1;
            base[t] += o->l[i].untaxed;
            amount[t] += o->l[i].taxamt[k];
        }
    OCMP("tax count", pss_order_tax_count(h), n);
    for (size_t i = 0; i < pss_order_tax_count(h); i++) {
        pss_tax_info ti = PSS_TAX_INFO_INIT;
        pss_order_get_tax(h, i, &ti);
        int t = ti.code ? m_tax_index(c, ti.code) : -1;
        if (t < 0 || !used[t])
            return drv_failf(d, "order %s: tax %s is not on its lines\n", o->id,
                             ti.code ? ti.code : "(null)");
        OCMPS("tax account", ti.account, c->t[t].account);
        OCMP("tax rate", ti.rate_ppm, c->t[t].rate);
        OCMP("tax included", ti.included, c->t[t].included);
        OCMP("tax base", ti.base, base[t]);
        OCMP("tax amount", ti.amount, amount[t]);
    }
    return 0;
}

static int payments(driver *d, int oi, const m_order *o, pss_order *h)
{
    const m_config *c = &d->m->reg[d->m->s[o->session].reg].cfg;
    OCMP("payment count", pss_order_payment_count(h), o->np);
    for (int i = 0; i < o->np; i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        if (pss_order_get_payment(h, (size_t)i, &p))
            return drv_failf(d, "order %s: pss_order_get_payment(%d) failed\n", o->id, i);
        OCMPS("payment method", p.method, c->m[o->p[i].method].name);
        OCMP("payment amount", p.amount, o->p[i].amount);
        OCMP("payment state", p.state, o->p[i].state);
        OCMP("payment change", p.change, o->p[i].change);
    }
    return 0;
}

/* A refund order has no discount of its own, but the library reports its refund lines'
 * shares of the sale's discount (README, readings): only their sum and bounds are checked. */
static int refund_discount(driver *d, int oi, const m_order *o, pss_order *h, int64_t applied)
{
    const m_order *orig = &d->m->o[o->refund_of];
    int64_t sum = 0;
    for (int i = 0; i < o->nl; i++) {
        int64_t sh = pss_order_line_discount_share(h, (size_t)i), rl = o->l[i].refund_line;
        int64_t sold = rl >= 0 && rl < orig->nl ? orig->l[rl].share : 0;
        if (rl < 0)
            OCMP("return or exchange line discount share", sh, o->l[i].share);
        else if (sh < 0 || sh > sold)
            OCMP("refund line discount share (within the sold share)", sh, sold);
        sum += sh;
    }
    if (applied != 0)
        OCMP("refund discount applied (0 or the sum of the shares)", applied, sum);
    return 0;
}

/* pss_order_get_discount and each line's share (concepts.md, "Order discounts"). */
static int discount(driver *d, int oi, const m_order *o, pss_order *h)
{
    int64_t amount = -1, ppm = -1, applied = -1;
    if (pss_order_get_discount(h, &amount, &ppm, &applied))
        return drv_failf(d, "pss_order_get_discount failed\n");
    OCMP("discount amount", amount, o->dam);
    OCMP("discount ppm", ppm, o->dppm);
    OCMP("share out of range", pss_order_line_discount_share(h, (size_t)o->nl), 0);
    if (m_is_refund(o))
        return refund_discount(d, oi, o, h, applied);
    OCMP("discount applied", applied, o->dapplied);
    for (int i = 0; i < o->nl; i++)
        OCMP("line discount share", pss_order_line_discount_share(h, (size_t)i), o->l[i].share);
    return 0;
}

int checks_order(driver *d, int oi, pss_order *h)
{
    const m_order *o = &d->m->o[oi];
    const m_session *s = &d->m->s[o->session];
    OCMPS("id", pss_order_id(h), o->id);
    OCMPS("session", pss_order_session_id(h), s->id);
    OCMP("number", pss_order_number(h), o->number);
    OCMP("state", pss_order_state_of(h), shown_state(d->m, o));
    OCMPS("refund_of", pss_order_refund_of(h), o->refund_of >= 0 ? d->m->o[o->refund_of].id : NULL);
    OCMP("invoiced", pss_order_is_invoiced(h), o->invoiced);
    OCMPS("customer", pss_order_customer(h), o->customer[0] ? o->customer : NULL);
    OCMPS("return reason", pss_order_return_reason(h), o->reason[0] ? o->reason : NULL);
    OCMP("line count", pss_order_line_count(h), o->nl);
    if (getenv("MODEL_DEBUG_LINES"))
        for (int i = 0; i < o->nl; i++) {
            pss_line_info in = PSS_LINE_INFO_INIT;
            pss_order_get_line(h, (size_t)i, &in);
            fprintf(stderr, "line %d untaxed %" PRId64 "/%" PRId64 " tax %" PRId64 "/%" PRId64
                    " share %" PRId64 "\n", i, in.untaxed, o->l[i].untaxed, in.tax,
                    o->l[i].tax_sum, pss_order_line_discount_share(h, (size_t)i));
        }
    if (totals(d, oi, o, h))
        return 1;
    for (int i = 0; i < o->nl; i++)
        if (line(d, oi, o, h, i))
            return 1;
    return discount(d, oi, o, h) || tax(d, oi, o, h) || payments(d, oi, o, h);
}
