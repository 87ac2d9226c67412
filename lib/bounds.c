/* bounds.c: checks of the documented bounds, with messages that give the figure and the
 * bound in the currency (see bounds.h). */
#include "bounds.h"

#include "money_internal.h"

static bool within(int64_t v, int64_t max)
{
    return v >= -max && v <= max;
}

int pss__check_amount(pss_ctx *ctx, const char *what, int64_t v, int exponent)
{
    if (within(v, PSS_AMOUNT_MAX))
        return 0;
    char a[PSS_MONEY_BUFSIZE], m[PSS_MONEY_BUFSIZE];
    return pss__fail(ctx, PSS_EINVAL, "%s has amount %s, beyond %s (PSS_AMOUNT_MAX)", what,
                     pss__fmt(a, v, exponent), pss__fmt(m, PSS_AMOUNT_MAX, exponent));
}

int pss__check_quantity(pss_ctx *ctx, const char *what, int64_t q)
{
    if (within(q, PSS_QUANTITY_MAX))
        return 0;
    char a[PSS_MONEY_BUFSIZE], m[PSS_MONEY_BUFSIZE];
    return pss__fail(ctx, PSS_EINVAL, "%s has quantity %s, beyond %s (PSS_QUANTITY_MAX)", what,
                     pss__fmt(a, q, 3), pss__fmt(m, PSS_QUANTITY_MAX, 3));
}

int pss__check_figure(pss_ctx *ctx, const char *what, int64_t v, int exponent)
{
    if (within(v, PSS_AMOUNT_MAX))
        return 0;
    char a[PSS_MONEY_BUFSIZE], m[PSS_MONEY_BUFSIZE];
    return pss__fail(ctx, PSS_EOVERFLOW, "%s would be %s, beyond %s (PSS_AMOUNT_MAX)", what,
                     pss__fmt(a, v, exponent), pss__fmt(m, PSS_AMOUNT_MAX, exponent));
}
