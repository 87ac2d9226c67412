/* bounds.c: checks of the documented bounds, with messages that give the figure and the
 * bound in the currency (see bounds.h). */
#include "base/bounds.h"

#include "base/money_internal.h"

#include <stdarg.h>
#include <stdio.h>

/* "<what> has amount 92233720368547758.07, beyond 10000000000000.00 (PSS_AMOUNT_MAX)" */
static int within(pss_ctx *ctx, int code, const char *what, const char *verb, int64_t v,
                  int exponent, int64_t max, const char *bound)
{
    if (v >= -max && v <= max)
        return 0;
    char a[PSS_MONEY_BUFSIZE], m[PSS_MONEY_BUFSIZE];
    return pss__fail(ctx, code, "%s %s %s, beyond %s (%s)", what, verb, pss__fmt(a, v, exponent),
                     pss__fmt(m, max, exponent), bound);
}

int pss__check_amount(pss_ctx *ctx, const char *what, int64_t v, int exponent)
{
    return within(ctx, PSS_EINVAL, what, "has amount", v, exponent, PSS_AMOUNT_MAX,
                  "PSS_AMOUNT_MAX");
}

int pss__check_quantity(pss_ctx *ctx, const char *what, int64_t q)
{
    return within(ctx, PSS_EINVAL, what, "has quantity", q, 3, PSS_QUANTITY_MAX,
                  "PSS_QUANTITY_MAX");
}

int pss__check_figure(pss_ctx *ctx, const char *what, int64_t v, int exponent)
{
    return within(ctx, PSS_EOVERFLOW, what, "would be", v, exponent, PSS_AMOUNT_MAX,
                  "PSS_AMOUNT_MAX");
}

/* The subject of a check that failed, from its format. */
#define SUBJECT(what, fmt)                                                                    \
    char what[512];                                                                            \
    do {                                                                                       \
        va_list ap_;                                                                           \
        va_start(ap_, fmt);                                                                    \
        vsnprintf(what, sizeof what, fmt, ap_);                                                \
        va_end(ap_);                                                                           \
    } while (0)

int pss__check_amountf(pss_ctx *ctx, int64_t v, int exponent, const char *fmt, ...)
{
    if (v >= -PSS_AMOUNT_MAX && v <= PSS_AMOUNT_MAX)
        return 0;
    SUBJECT(what, fmt);
    return pss__check_amount(ctx, what, v, exponent);
}

int pss__check_quantityf(pss_ctx *ctx, int64_t q, const char *fmt, ...)
{
    if (q >= -PSS_QUANTITY_MAX && q <= PSS_QUANTITY_MAX)
        return 0;
    SUBJECT(what, fmt);
    return pss__check_quantity(ctx, what, q);
}

int pss__check_figuref(pss_ctx *ctx, int64_t v, int exponent, const char *fmt, ...)
{
    if (v >= -PSS_AMOUNT_MAX && v <= PSS_AMOUNT_MAX)
        return 0;
    SUBJECT(what, fmt);
    return pss__check_figure(ctx, what, v, exponent);
}
