/* bounds.h: the documented bounds (doc/concepts.md, "Bounds"; possession/money.h): amounts
 * and quantities the host gives, figures the library computes for a line or an order, and a
 * session's volume, chosen so that every sum a session or its entry computes fits. */
#ifndef PSS_BOUNDS_H
#define PSS_BOUNDS_H

#include "base/internal.h"

/* An amount the host gives: |v| <= PSS_AMOUNT_MAX, else PSS_EINVAL ("<what> has amount …,
 * beyond … (PSS_AMOUNT_MAX)"). */
int pss__check_amount(pss_ctx *ctx, const char *what, int64_t v, int exponent);
/* A quantity the host gives, thousandths: |q| <= PSS_QUANTITY_MAX, else PSS_EINVAL. */
int pss__check_quantity(pss_ctx *ctx, const char *what, int64_t q);
/* A figure the library computed: |v| <= PSS_AMOUNT_MAX, else PSS_EOVERFLOW. */
int pss__check_figure(pss_ctx *ctx, const char *what, int64_t v, int exponent);
/* The same three with the subject named by a format, formatted only when the value is beyond
 * its bound: a subject formatted for every line, order and payment cost about 6,000
 * instructions an order of three lines (callgrind). */
#if defined(__GNUC__)
#define PSS__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PSS__PRINTF(f, a)
#endif
int pss__check_amountf(pss_ctx *ctx, int64_t v, int exponent, const char *fmt, ...)
    PSS__PRINTF(4, 5);
int pss__check_quantityf(pss_ctx *ctx, int64_t q, const char *fmt, ...) PSS__PRINTF(3, 4);
int pss__check_figuref(pss_ctx *ctx, int64_t v, int exponent, const char *fmt, ...)
    PSS__PRINTF(4, 5);
/* |v|, for values within the bounds (never INT64_MIN). */
static inline int64_t pss__magnitude(int64_t v)
{
    return v < 0 ? -v : v;
}

#endif
