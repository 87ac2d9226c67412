/* checks_money.c: the money functions of possession/money.h against the oracle's exact
 * arithmetic: scale and round_to by every rule, checked sums and products (EOVERFLOW, never
 * a wrap), and format/parse at every exponent, with malformed text refused. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static int64_t pick(prng *r)
{
    static const int64_t edge[] = {0, 1, -1, 5, -5, 999, M_AMAX, -M_AMAX, INT64_MAX, INT64_MIN,
                                   INT64_MAX / 2, INT64_MIN / 3, 1000000, 125, -125};
    int k = (int)prng_below(r, 4);
    if (k == 0)
        return edge[prng_below(r, 15)];
    if (k == 1)
        return prng_range(r, -100000, 100000);
    return (int64_t)prng_next(r) >> prng_below(r, 63);
}

static int scale_check(driver *d, prng *r)
{
    int64_t a = pick(r), num = prng_range(r, -2000000, 10000000), den = prng_range(r, 1, 1000000);
    int mode = (int)prng_range(r, 1, 4);
    int64_t want = 0, got = 0;
    int wrc = m_div(a, num, den, mode, &want) ? PSS_EOVERFLOW : 0;
    int rc = pss_money_scale(a, num, den, (pss_rounding)mode, &got);
    if (rc != wrc || (!rc && got != want))
        return drv_failf(d, "pss_money_scale(%" PRId64 ", %" PRId64 ", %" PRId64 ", %d): %d %" PRId64
                         ", expected %d %" PRId64 "\n", a, num, den, mode, rc, got, wrc, want);
    return 0;
}

static int round_check(driver *d, prng *r)
{
    int64_t a = prng_range(r, -M_AMAX, M_AMAX), inc = prng_range(r, 1, 500);
    int mode = (int)prng_range(r, 1, 4);
    int64_t got = 0, want = m_round_to(a, inc, mode);
    int rc = pss_money_round_to(a, inc, (pss_rounding)mode, &got);
    if (rc || got != want)
        return drv_failf(d, "pss_money_round_to(%" PRId64 ", %" PRId64 ", %d): %d %" PRId64
                         ", expected %" PRId64 "\n", a, inc, mode, rc, got, want);
    return 0;
}

static int arith_check(driver *d, prng *r)
{
    int64_t a = pick(r), b = pick(r), got = 0;
    m_i128 s = (m_i128)a + b, df = (m_i128)a - b, p = (m_i128)a * b;
    struct { int rc; m_i128 want; const char *name; } c[3];
    c[0].rc = pss_money_add(a, b, &got), c[0].want = s, c[0].name = "add";
    int64_t g0 = got;
    c[1].rc = pss_money_sub(a, b, &got), c[1].want = df, c[1].name = "sub";
    int64_t g1 = got;
    c[2].rc = pss_money_mul(a, b, &got), c[2].want = p, c[2].name = "mul";
    int64_t g[3] = {g0, g1, got};
    for (int i = 0; i < 3; i++) {
        int fits = c[i].want <= INT64_MAX && c[i].want >= INT64_MIN;
        if ((c[i].rc == 0) != fits || (fits && g[i] != (int64_t)c[i].want) ||
            (!fits && c[i].rc != PSS_EOVERFLOW))
            return drv_failf(d, "pss_money_%s(%" PRId64 ", %" PRId64 "): %d %" PRId64 "\n",
                             c[i].name, a, b, c[i].rc, g[i]);
    }
    return 0;
}

/* The exact text of an amount at an exponent. */
static void format_of(int64_t v, int e, char *out, size_t size)
{
    m_i128 x = v;
    int neg = x < 0;
    if (neg)
        x = -x;
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(x % 10));
        x /= 10;
    } while (x > 0 || n <= e);
    size_t k = 0;
    if (neg && k + 1 < size)
        out[k++] = '-';
    for (int i = n - 1; i >= 0 && k + 2 < size; i--) {
        out[k++] = digits[i];
        if (i == e && e > 0)
            out[k++] = '.';
    }
    out[k] = '\0';
}

static int text_check(driver *d, prng *r)
{
    int64_t v = pick(r);
    int e = (int)prng_below(r, 5);
    char want[64], got[PSS_MONEY_BUFSIZE];
    format_of(v, e, want, sizeof want);
    int n = pss_money_format(v, e, got, sizeof got);
    if (n != (int)strlen(want) || strcmp(got, want) != 0)
        return drv_failf(d, "pss_money_format(%" PRId64 ", %d): %d \"%s\", expected \"%s\"\n", v, e,
                         n, got, want);
    int64_t back = 0;
    if (pss_money_parse(want, e, &back) || back != v)
        return drv_failf(d, "pss_money_parse(\"%s\", %d): %" PRId64 ", expected %" PRId64 "\n", want,
                         e, back, v);
    static const char *const bad[] = {"", "-", "1.2.3", "1e5", " 12", "12 ", "+-1", "1,00", ".",
                                      "--1", "0x10", "12.3456789"};
    const char *b = bad[prng_below(r, 12)];
    int rc = pss_money_parse(b, e, &back);
    if (rc != PSS_EINVAL)
        return drv_failf(d, "pss_money_parse(\"%s\", %d) gave %d, expected EINVAL\n", b, e, rc);
    return 0;
}

/* A handful of money calls per step (they touch no store). */
int checks_money(driver *d, prng *r)
{
    for (int i = 0; i < 4; i++)
        if (scale_check(d, r) || round_check(d, r) || arith_check(d, r) || text_check(d, r))
            return 1;
    return 0;
}
