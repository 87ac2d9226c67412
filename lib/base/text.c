/* text.c: validation of host-supplied text, ids and dates; date and time formatting;
 * copying text into fixed fields. */
#include "base/text.h"

#include <stdio.h>
#include <string.h>

bool pss__utf8_valid(const char *s, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i]) {
        unsigned c = p[i];
        int extra;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            goto bad;
        }
        for (int k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            goto bad;
        i += (size_t)extra + 1;
    }
    return true;
bad:
    if (bad_at)
        *bad_at = i;
    return false;
}

int pss__check_text(pss_ctx *ctx, const char *what, const char *s, pss_text_need need,
                    size_t max)
{
    if (!s || !s[0]) {
        if (need == PSS_TEXT_REQUIRED)
            return pss__fail(ctx, PSS_EINVAL, "%s is required", what);
        return 0;
    }
    size_t bad = 0;
    if (!pss__utf8_valid(s, &bad))
        return pss__fail(ctx, PSS_EINVAL, "%s is not valid UTF-8 (at byte %zu)", what, bad);
    size_t len = strlen(s);
    if (len > max)
        return pss__fail(ctx, PSS_EINVAL, "%s is %zu bytes long; the limit is %zu", what, len,
                         max);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i], next = (unsigned char)s[i + 1];
        if (c < 0x20 || c == 0x7F)
            return pss__fail(ctx, PSS_EINVAL,
                             "%s contains a control character (0x%02x at byte %zu)", what, c, i);
        if (c == 0xC2 && next >= 0x80 && next <= 0x9F) /* U+0080..U+009F, the C1 controls */
            return pss__fail(ctx, PSS_EINVAL,
                             "%s contains a control character (U+%04X at byte %zu)", what,
                             (unsigned)next, i);
    }
    return 0;
}

/* The Unicode space separators other than U+0020 (category Zs): hledger reads each as a
 * plain space, so a name holding one would come back under another name. Returns the code
 * point at s, or 0. */
static unsigned other_space_at(const unsigned char *s)
{
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 0x00A0;
    if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
        return 0x1680;
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xAF))
        return 0x2000 + (unsigned)(s[2] - 0x80);
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 0x205F;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 0x3000;
    return 0;
}

int pss__check_account(pss_ctx *ctx, const char *what, const char *s, pss_text_need need)
{
    int rc = pss__check_text(ctx, what, s, need, PSS_NAME_MAX);
    if (rc || !s || !s[0])
        return rc;
    size_t len = strlen(s);
    if (s[0] == ' ' || s[len - 1] == ' ' || strstr(s, "  ") || strchr(s, ';'))
        return pss__fail(ctx, PSS_EINVAL,
                         "%s '%s' has a leading or trailing space, two spaces in a row or a "
                         "';' (account names must read unambiguously in ledger journals)",
                         what, s);
    if (strchr("([*!", s[0]))
        return pss__fail(ctx, PSS_EINVAL,
                         "%s '%s' may not begin with '(', '[', '*' or '!' (hledger reads them as "
                         "a virtual posting or a status mark, not as part of the name)", what, s);
    for (size_t i = 0; i < len; i++) {
        unsigned space = other_space_at((const unsigned char *)s + i);
        if (space)
            return pss__fail(ctx, PSS_EINVAL,
                             "%s '%s' holds a space other than the plain space (U+%04X at byte "
                             "%zu), which hledger reads as a plain one", what, s, space, i);
    }
    return 0;
}

int pss__check_id(pss_ctx *ctx, const char *what, const char *s, char out[PSS_ID_SIZE])
{
    if (!s)
        return pss__fail(ctx, PSS_EINVAL, "%s is required", what);
    if (pss_id_normalize(s, out) != 0) {
        int rc = pss__check_text(ctx, what, s, PSS_TEXT_REQUIRED, PSS_NAME_MAX);
        if (rc)
            return rc;
        return pss__fail(ctx, PSS_EINVAL, "%s '%s' is not a UUID", what, s);
    }
    return 0;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool pss__date_valid(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || m < 1 || m > 12 ||
        d < 1 || d > days_in_month(y, m))
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

int pss__check_date(pss_ctx *ctx, const char *what, const char *s)
{
    if (pss__date_valid(s))
        return 0;
    if (s && pss__check_text(ctx, what, s, PSS_TEXT_REQUIRED, 64) != 0)
        return PSS_EINVAL;
    return pss__fail(ctx, PSS_EINVAL, "%s '%s' is not a date of the form YYYY-MM-DD", what,
                     s ? s : "(null)");
}

/* Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void pss__date_of(int64_t ms, char out[PSS_DATE_SIZE])
{
    int y, m, d;
    civil_from_days(floor_div(ms, 86400000), &y, &m, &d);
    char wide[48]; /* the compiler cannot see that y, m and d are small */
    snprintf(wide, sizeof wide, "%04d-%02d-%02d", y, m, d);
    snprintf(out, PSS_DATE_SIZE, "%.10s", wide);
}

void pss__time_text(int64_t ms, char out[PSS_TIME_SIZE])
{
    char date[PSS_DATE_SIZE];
    pss__date_of(ms, date);
    int64_t secs = floor_div(ms, 1000) - floor_div(ms, 86400000) * 86400;
    snprintf(out, PSS_TIME_SIZE, "%s %02d:%02d:%02d UTC", date, (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60));
}

size_t pss__text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

void pss__copy_text(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    if (!src)
        src = "";
    const char *end = memchr(src, '\0', size - 1);
    size_t n = end ? (size_t)(end - src) : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
