/* money.c: minor-unit amounts: exact decimal parsing and formatting, checked arithmetic and
 * the rounding rules (computed in 128-bit integers, never in floating point). */
#include "possession/money.h"
#include "base/money_internal.h"

#include <string.h>

#ifndef __SIZEOF_INT128__
#error "libpossession needs a compiler with 128-bit integers for exact money scaling"
#endif

static const int64_t pow10_table[] = {1, 10, 100, 1000, 10000};

int pss_money_add(int64_t a, int64_t b, int64_t *out)
{
    if (!out)
        return PSS_EINVAL;
    return __builtin_add_overflow(a, b, out) ? PSS_EOVERFLOW : 0;
}

int pss_money_sub(int64_t a, int64_t b, int64_t *out)
{
    if (!out)
        return PSS_EINVAL;
    return __builtin_sub_overflow(a, b, out) ? PSS_EOVERFLOW : 0;
}

int pss_money_mul(int64_t a, int64_t b, int64_t *out)
{
    if (!out)
        return PSS_EINVAL;
    return __builtin_mul_overflow(a, b, out) ? PSS_EOVERFLOW : 0;
}

static int away_from_zero(pss_rounding mode, __int128 rem2, __int128 den, __int128 quot)
{
    switch (mode) {
    case PSS_ROUND_DOWN: return 0;
    case PSS_ROUND_UP: return rem2 != 0;
    case PSS_ROUND_HALF_UP: return rem2 >= den;
    case PSS_ROUND_HALF_EVEN: return rem2 > den || (rem2 == den && (quot & 1) != 0);
    }
    return 0;
}

int pss__round_div128(__int128 num, __int128 den, pss_rounding mode, int64_t *out)
{
    if (den == 0 || mode < PSS_ROUND_HALF_UP || mode > PSS_ROUND_DOWN)
        return PSS_EINVAL;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 quot, rem; /* division truncates toward zero */
    if (num >= -INT64_MAX && num <= INT64_MAX && den <= INT64_MAX) {
        /* nearly always: a 64-bit division is several times cheaper than a 128-bit one */
        quot = (int64_t)num / (int64_t)den;
        rem = (int64_t)num % (int64_t)den;
    } else {
        quot = num / den;
        rem = num % den;
    }
    __int128 rem2 = (rem < 0 ? -rem : rem) * 2; /* |rem| < den, so 2|rem| fits */
    if (away_from_zero(mode, rem2, den, quot))
        quot += num < 0 ? -1 : 1;
    if (quot > INT64_MAX || quot < INT64_MIN)
        return PSS_EOVERFLOW;
    *out = (int64_t)quot;
    return 0;
}

int pss_money_scale(int64_t amount, int64_t num, int64_t den, pss_rounding mode, int64_t *out)
{
    if (!out)
        return PSS_EINVAL;
    return pss__round_div128((__int128)amount * num, den, mode, out);
}

int pss_money_round_to(int64_t amount, int64_t increment, pss_rounding mode, int64_t *out)
{
    if (!out || increment <= 0)
        return PSS_EINVAL;
    int64_t steps;
    int rc = pss__round_div128(amount, increment, mode, &steps);
    if (rc)
        return rc;
    return pss_money_mul(steps, increment, out);
}

static int parse_digits(const char **p, uint64_t *value, int *count, int max_count)
{
    *count = 0;
    while (**p >= '0' && **p <= '9') {
        unsigned digit = (unsigned)(**p - '0');
        if (*count < max_count) {
            if (*value > (UINT64_MAX - digit) / 10)
                return PSS_EOVERFLOW;
            *value = *value * 10 + digit;
        } else if (digit != 0) {
            return PSS_EINVAL; /* more precision than the currency has */
        }
        (*count)++;
        (*p)++;
    }
    return 0;
}

int pss_money_parse(const char *text, int exponent, int64_t *out)
{
    if (!text || !out || exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return PSS_EINVAL;
    const char *p = text;
    int negative = 0;
    if (*p == '-' || *p == '+')
        negative = *p++ == '-';
    uint64_t units = 0, fraction = 0;
    int int_digits, frac_digits = 0;
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++; /* leading zeros add nothing, however many ("007" is 7) */
    int rc = parse_digits(&p, &units, &int_digits, 64);
    if (rc)
        return rc;
    if (*p == '.') {
        p++;
        rc = parse_digits(&p, &fraction, &frac_digits, exponent);
        if (rc)
            return rc;
        if (frac_digits == 0)
            return PSS_EINVAL; /* "12." */
    }
    if (*p != '\0' || int_digits + frac_digits == 0 || int_digits == 0)
        return PSS_EINVAL;
    int kept = frac_digits < exponent ? frac_digits : exponent;
    fraction *= (uint64_t)pow10_table[exponent - kept];
    uint64_t scale = (uint64_t)pow10_table[exponent];
    if (units > (UINT64_MAX - fraction) / scale)
        return PSS_EOVERFLOW;
    uint64_t magnitude = units * scale + fraction;
    if (negative ? magnitude > (uint64_t)INT64_MAX + 1 : magnitude > (uint64_t)INT64_MAX)
        return PSS_EOVERFLOW;
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return 0;
}

int pss_money_format(int64_t amount, int exponent, char *buf, size_t size)
{
    if (!buf || exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return PSS_EINVAL;
    uint64_t magnitude = amount < 0 ? 0 - (uint64_t)amount : (uint64_t)amount;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    while (n <= exponent)
        digits[n++] = '0';
    size_t need = (size_t)n + (amount < 0) + (exponent > 0) + 1;
    if (size < need)
        return PSS_EINVAL;
    size_t at = 0;
    if (amount < 0)
        buf[at++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        buf[at++] = digits[i];
        if (i == exponent && exponent > 0)
            buf[at++] = '.';
    }
    buf[at] = '\0';
    return (int)at;
}

const char *pss__fmt(char buf[PSS_MONEY_BUFSIZE], int64_t amount, int exponent)
{
    if (pss_money_format(amount, exponent, buf, PSS_MONEY_BUFSIZE) < 0)
        strcpy(buf, "?");
    return buf;
}
