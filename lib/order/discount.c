/* discount.c: the order-level discount, a fixed amount or a part per million of the order
 * (doc/concepts.md, "Order discounts"). Its base is what the sold lines come to after their
 * own discounts, in their prices' tax convention (tax-included prices give a tax-included
 * base); a percent becomes an amount by the config's rounding rule. The amount is shared out
 * in proportion to each line's base, to the minor unit: every line takes the floor of its
 * exact share, and the minor units left go one each to the lines with the largest remainders,
 * the earlier line first on a tie (the named rule "largest remainder, earliest first"). tax.c
 * then computes each line's taxes on its discounted amount, under either tax rounding. */
#include "order/order_internal.h"

#include <stdlib.h>

#include "base/money_internal.h"

typedef struct share {
    size_t line;
    __int128 remainder;
} share;

static int by_remainder(const void *a, const void *b)
{
    const share *x = a, *y = b;
    if (x->remainder != y->remainder)
        return x->remainder < y->remainder ? 1 : -1;
    return (x->line > y->line) - (x->line < y->line);
}

/* A line's amount before the order discount. Only sold lines take a share: refund lines'
 * figures are the sale's, and a line taken back without a receipt comes back at the price
 * given. So every base is >= 0 and every floor below is a true floor (shared over lines of
 * both signs, truncated negative shares once added up to more than the discount). */
static int64_t base_of(const pss_line *l)
{
    return l->refund_line < 0 && l->qty > 0 ? l->amount + l->order_discount : 0;
}

/* The discount in minor units, refused beyond the lines' total base. */
static int discount_of(pss_ctx *ctx, const pss_config *cfg, const pss_order_data *d,
                       __int128 base, int64_t *out)
{
    char a[PSS_MONEY_BUFSIZE], b[PSS_MONEY_BUFSIZE];
    if (base > PSS_AMOUNT_MAX)
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s is beyond the bound of an amount", d->id);
    if (d->discount_ppm &&
        pss__round_div128((__int128)base * d->discount_ppm, 1000000, cfg->rounding, out))
        return pss__fail(ctx, PSS_EOVERFLOW, "the discount of order %s overflows", d->id);
    if (!d->discount_ppm)
        *out = d->discount_amount;
    if (*out > base)
        return pss__fail(ctx, PSS_EINVAL, "order discount of %s is larger than order %s (%s)",
                         pss__fmt(a, *out, cfg->exponent), d->id,
                         pss__fmt(b, (int64_t)base, cfg->exponent));
    return 0;
}

static int share_out(pss_ctx *ctx, pss_order_data *d, int64_t discount, __int128 base)
{
    share *shares = PSS_CALLOC(ctx, d->n_lines, sizeof *shares);
    if (!shares)
        return pss__oom(ctx);
    int64_t left = discount;
    for (size_t i = 0; i < d->n_lines; i++) {
        pss_line *l = &d->lines[i];
        __int128 exact = base ? (__int128)discount * base_of(l) : 0;
        int64_t floor = base ? (int64_t)(exact / base) : 0;
        shares[i] = (share){i, base ? exact % base : 0};
        l->order_discount = floor;
        left -= floor;
    }
    qsort(shares, d->n_lines, sizeof *shares, by_remainder);
    PSS_ASSERT(left >= 0 && (size_t)left <= d->n_lines);
    for (size_t k = 0; k < (size_t)left; k++) /* 0 <= left < number of sold lines */
        d->lines[shares[k].line].order_discount++;
    PSS_FREE(ctx, shares);
    return 0;
}

#ifndef NDEBUG
/* The shares add up to the discount, to the minor unit. */
static bool shares_add_up(const pss_order_data *d, int64_t discount)
{
    int64_t sum = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        sum += d->lines[i].order_discount;
    return sum == discount;
}
#endif

int pss__order_spread_discount(pss_ctx *ctx, const pss_config *cfg, pss_order_data *d)
{
    if (!d->discount_amount && !d->discount_ppm)
        return 0;
    __int128 base = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        base += base_of(&d->lines[i]);
    int64_t discount = 0;
    int rc = discount_of(ctx, cfg, d, base, &discount);
    if (!rc)
        rc = share_out(ctx, d, discount, base);
    PSS_ASSERT(rc || shares_add_up(d, discount));
    return rc;
}
