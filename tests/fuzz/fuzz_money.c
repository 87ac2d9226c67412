/* fuzz_money.c: the money parser. The input (up to its first NUL) is parsed with
 * pss_money_parse at every exponent 0..4 and compared with an oracle written from
 * possession/money.h alone: an optional sign, digits, an optional point followed by digits,
 * digits beyond the exponent only zeros, PSS_EOVERFLOW beyond int64, else PSS_EINVAL. A
 * parsed amount formats and parses back to itself, and pss_config_parse_amount agrees. */
#include "fuzz.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"

typedef struct verdict {
    int rc;
    int64_t value;
    bool or_overflow; /* malformed after digits that already overflow: either code will do */
} verdict;

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool overflows(__int128 v, int exponent)
{
    for (; exponent > 0; exponent--)
        v *= 10;
    return v > (__int128)INT64_MAX + 1;
}

/* The documented grammar, computed in 128 bits with saturation. Which of two faults is named
 * first (digits that overflow, then a stray character) the header leaves open. */
static verdict oracle(const char *s, int exponent)
{
    verdict bad = {PSS_EINVAL, 0, false};
    const char *p = s;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!digit(*p))
        return bad;
    __int128 v = 0;
    const __int128 cap = (__int128)1 << 70;
    for (; digit(*p); p++)
        v = v > cap ? v : v * 10 + (*p - '0');
    bad.or_overflow = overflows(v, exponent);
    int frac = 0;
    if (*p == '.') {
        if (!digit(*++p))
            return bad;
        for (; digit(*p); p++, frac++) {
            if (frac >= exponent && *p != '0')
                return bad;
            if (frac < exponent)
                v = v > cap ? v : v * 10 + (*p - '0');
        }
    }
    if (*p)
        return bad;
    for (; frac < exponent; frac++)
        v = v > cap ? v : v * 10;
    if (negative)
        v = -v;
    if (v > INT64_MAX || v < INT64_MIN)
        return (verdict){PSS_EOVERFLOW, 0, false};
    return (verdict){0, (int64_t)v, false};
}

static pss_config *config_of(pss_ctx *ctx, int exponent)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.name = "Money";
    in.code = "M";
    in.currency = "XTS";
    in.currency_exponent = exponent;
    pss_config *c = NULL;
    if (pss_config_new(ctx, &in, &c) != 0)
        abort();
    return c;
}

static void check(pss_ctx *ctx, const char *text, int exponent)
{
    int64_t v = 0, back = 0, via_config = 0;
    int rc = pss_money_parse(text, exponent, &v);
    verdict want = oracle(text, exponent);
    bool same = rc == want.rc || (want.or_overflow && rc == PSS_EOVERFLOW);
    FZ_CHECK(same && (rc || v == want.value),
             "pss_money_parse('%.80s', %d) gives %d/%lld, the documented grammar %d/%lld", text,
             exponent, rc, (long long)v, want.rc, (long long)want.value);
    pss_config *c = config_of(ctx, exponent);
    int crc = pss_config_parse_amount(c, text, &via_config);
    FZ_CHECK(crc == rc && (rc || via_config == v),
             "pss_config_parse_amount('%.80s') gives %d where pss_money_parse gives %d", text,
             crc, rc);
    pss_config_free(c);
    if (rc)
        return;
    char buf[PSS_MONEY_BUFSIZE];
    int n = pss_money_format(v, exponent, buf, sizeof buf);
    FZ_CHECK(n > 0 && (size_t)n == strlen(buf), "pss_money_format(%lld, %d) gives %d",
             (long long)v, exponent, n);
    FZ_CHECK(n > 0 && pss_money_parse(buf, exponent, &back) == 0 && back == v,
             "'%s' (formatted %lld at exponent %d) parses back as %lld", buf, (long long)v,
             exponent, (long long)back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_begin("money", data, size);
    pss_ctx *ctx = fz_ctx(NULL);
    for (int exponent = PSS_EXPONENT_MIN; exponent <= PSS_EXPONENT_MAX; exponent++)
        check(ctx, text, exponent);
    int64_t v;
    FZ_CHECK(pss_money_parse(text, -1, &v) == PSS_EINVAL &&
                 pss_money_parse(text, 5, &v) == PSS_EINVAL,
             "pss_money_parse accepts an exponent outside 0..4");
    pss_ctx_free(ctx);
    fz_end(text);
    return 0;
}
