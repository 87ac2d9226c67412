/* money.c: exact parsing and formatting, checked arithmetic, every named rounding rule and
 * ids. */
#include "fixture.h"
#include "base/id.h"

#include <stdlib.h>
#include <time.h>
#include <uuid/uuid.h>

static void parse(void)
{
    int64_t v = 0;
    CHECK_RC(NULL, pss_money_parse("-150.00", 2, &v), 0);
    CHECK_I64(v, -15000);
    CHECK_RC(NULL, pss_money_parse("12.3", 2, &v), 0);
    CHECK_I64(v, 1230);
    CHECK_RC(NULL, pss_money_parse("+7", 2, &v), 0);
    CHECK_I64(v, 700);
    CHECK_RC(NULL, pss_money_parse("12.340", 2, &v), 0); /* trailing zeros are exact */
    CHECK_I64(v, 1234);
    CHECK_RC(NULL, pss_money_parse("0.005", 3, &v), 0);
    CHECK_I64(v, 5);
    CHECK_RC(NULL, pss_money_parse("1500", 0, &v), 0);
    CHECK_I64(v, 1500);
    CHECK_RC(NULL, pss_money_parse("1.2345", 4, &v), 0);
    CHECK_I64(v, 12345);
    CHECK_RC(NULL, pss_money_parse("92233720368547758.07", 2, &v), 0);
    CHECK_I64(v, INT64_MAX);
    CHECK_RC(NULL, pss_money_parse("-92233720368547758.08", 2, &v), 0);
    CHECK_I64(v, INT64_MIN);
    CHECK_RC(NULL, pss_money_parse("92233720368547758.08", 2, &v), PSS_EOVERFLOW);
    CHECK_RC(NULL, pss_money_parse("99999999999999999999", 0, &v), PSS_EOVERFLOW);
    const char *bad[] = {"", "-", ".5", "12.", "1e3", " 1", "1 ", "1,00", "12.345", "--1",
                         "0x10", "1.2.3", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 42;
        CHECK_RC(NULL, pss_money_parse(bad[i], 2, &v), PSS_EINVAL);
        CHECK_I64(v, 42);
    }
    CHECK_RC(NULL, pss_money_parse("1", 5, &v), PSS_EINVAL);
    CHECK_RC(NULL, pss_money_parse(NULL, 2, &v), PSS_EINVAL);
}

static void format(void)
{
    char buf[PSS_MONEY_BUFSIZE];
    CHECK_I64(pss_money_format(-15000, 2, buf, sizeof buf), 7);
    CHECK_STR(buf, "-150.00");
    pss_money_format(5, 2, buf, sizeof buf);
    CHECK_STR(buf, "0.05");
    pss_money_format(-5, 3, buf, sizeof buf);
    CHECK_STR(buf, "-0.005");
    pss_money_format(1500, 0, buf, sizeof buf);
    CHECK_STR(buf, "1500");
    pss_money_format(0, 4, buf, sizeof buf);
    CHECK_STR(buf, "0.0000");
    pss_money_format(INT64_MIN, 2, buf, sizeof buf);
    CHECK_STR(buf, "-92233720368547758.08");
    pss_money_format(INT64_MAX, 4, buf, sizeof buf);
    CHECK_STR(buf, "922337203685477.5807");
    char small[5];
    CHECK_RC(NULL, pss_money_format(12345, 2, small, sizeof small), PSS_EINVAL);
    CHECK_RC(NULL, pss_money_format(1, 9, buf, sizeof buf), PSS_EINVAL);
    /* round trip at the edges */
    int64_t edges[] = {0, 1, -1, 99, -100, INT64_MAX, INT64_MIN};
    for (int exp = 0; exp <= 4; exp++) {
        for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
            int64_t back = 0;
            pss_money_format(edges[i], exp, buf, sizeof buf);
            CHECK_RC(NULL, pss_money_parse(buf, exp, &back), 0);
            CHECK_I64(back, edges[i]);
        }
    }
}

static void arithmetic(void)
{
    int64_t v;
    CHECK_RC(NULL, pss_money_add(INT64_MAX - 1, 1, &v), 0);
    CHECK_I64(v, INT64_MAX);
    CHECK_RC(NULL, pss_money_add(INT64_MAX, 1, &v), PSS_EOVERFLOW);
    CHECK_RC(NULL, pss_money_sub(INT64_MIN, 1, &v), PSS_EOVERFLOW);
    CHECK_RC(NULL, pss_money_sub(-5, 7, &v), 0);
    CHECK_I64(v, -12);
    CHECK_RC(NULL, pss_money_mul(3037000499LL, 3037000499LL, &v), 0);
    CHECK_I64(v, 9223372030926249001LL);
    CHECK_RC(NULL, pss_money_mul(3037000500LL, 3037000500LL, &v), PSS_EOVERFLOW);
    CHECK_RC(NULL, pss_money_mul(INT64_MIN, -1, &v), PSS_EOVERFLOW);
}

/* Each rule on the halves and near-halves of both signs. */
static void rounding(void)
{
    struct {
        int64_t num, den;
        pss_rounding mode;
        int64_t want;
    } cases[] = {
        {25, 10, PSS_ROUND_HALF_UP, 3},    {-25, 10, PSS_ROUND_HALF_UP, -3},
        {24, 10, PSS_ROUND_HALF_UP, 2},    {-26, 10, PSS_ROUND_HALF_UP, -3},
        {25, 10, PSS_ROUND_HALF_EVEN, 2},  {35, 10, PSS_ROUND_HALF_EVEN, 4},
        {-25, 10, PSS_ROUND_HALF_EVEN, -2}, {-35, 10, PSS_ROUND_HALF_EVEN, -4},
        {26, 10, PSS_ROUND_HALF_EVEN, 3},  {21, 10, PSS_ROUND_UP, 3},
        {-21, 10, PSS_ROUND_UP, -3},       {20, 10, PSS_ROUND_UP, 2},
        {29, 10, PSS_ROUND_DOWN, 2},       {-29, 10, PSS_ROUND_DOWN, -2},
        {1, 3, PSS_ROUND_HALF_UP, 0},      {2, 3, PSS_ROUND_HALF_UP, 1},
        {7, -2, PSS_ROUND_HALF_UP, -4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0;
        CHECK_RC(NULL, pss_money_scale(cases[i].num, 1, cases[i].den, cases[i].mode, &v), 0);
        CHECK_I64(v, cases[i].want);
    }
    int64_t v;
    /* 128-bit intermediate: INT64_MAX * 1000 / 1000 is exact */
    CHECK_RC(NULL, pss_money_scale(INT64_MAX, 1000, 1000, PSS_ROUND_HALF_UP, &v), 0);
    CHECK_I64(v, INT64_MAX);
    CHECK_RC(NULL, pss_money_scale(INT64_MAX, 2, 1, PSS_ROUND_HALF_UP, &v), PSS_EOVERFLOW);
    CHECK_RC(NULL, pss_money_scale(1, 1, 0, PSS_ROUND_HALF_UP, &v), PSS_EINVAL);
    CHECK_RC(NULL, pss_money_scale(1, 1, 2, (pss_rounding)9, &v), PSS_EINVAL);
    /* cash rounding to 0.05 */
    CHECK_RC(NULL, pss_money_round_to(1002, 5, PSS_ROUND_HALF_UP, &v), 0);
    CHECK_I64(v, 1000);
    CHECK_RC(NULL, pss_money_round_to(1003, 5, PSS_ROUND_HALF_UP, &v), 0);
    CHECK_I64(v, 1005);
    CHECK_RC(NULL, pss_money_round_to(1001, 5, PSS_ROUND_UP, &v), 0);
    CHECK_I64(v, 1005);
    CHECK_RC(NULL, pss_money_round_to(1004, 5, PSS_ROUND_DOWN, &v), 0);
    CHECK_I64(v, 1000);
    CHECK_RC(NULL, pss_money_round_to(-1003, 5, PSS_ROUND_HALF_UP, &v), 0);
    CHECK_I64(v, -1005);
    CHECK_RC(NULL, pss_money_round_to(1, 0, PSS_ROUND_HALF_UP, &v), PSS_EINVAL);
}

static void ids(void)
{
    char a[PSS_ID_SIZE], b[PSS_ID_SIZE], n[PSS_ID_SIZE];
    CHECK_RC(NULL, pss_id_generate(a), 0);
    CHECK_RC(NULL, pss_id_generate(b), 0);
    CHECK(strcmp(a, b) != 0);
    CHECK_I64(strlen(a), 36);
    CHECK_I64(a[14], '7'); /* version 7 */
    CHECK(strchr("89ab", a[19]) != NULL); /* the RFC 9562 variant */
    /* the first 48 bits are now in Unix milliseconds */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    char hex[13] = {0};
    memcpy(hex, a, 8);
    memcpy(hex + 8, a + 9, 4);
    long long made_ms = strtoll(hex, NULL, 16);
    CHECK(made_ms <= now_ms && made_ms > now_ms - 5000);
    /* made two milliseconds apart, they sort in the order they were made */
    struct timespec two_ms = {0, 2000000};
    nanosleep(&two_ms, NULL);
    char later[PSS_ID_SIZE];
    CHECK_RC(NULL, pss_id_generate(later), 0);
    CHECK(strcmp(b, later) < 0);
    CHECK_RC(NULL, pss_id_normalize("6F1C2B7E-3A4D-4C5E-9F10-112233445566", n), 0);
    CHECK_STR(n, "6f1c2b7e-3a4d-4c5e-9f10-112233445566");
    CHECK_RC(NULL, pss_id_normalize("6f1c2b7e-3a4d-4c5e-9f10-11223344556", n), PSS_EINVAL);
    CHECK_RC(NULL, pss_id_normalize("6f1c2b7e+3a4d-4c5e-9f10-112233445566", n), PSS_EINVAL);
    CHECK_RC(NULL, pss_id_normalize("zzzzzzzz-3a4d-4c5e-9f10-112233445566", n), PSS_EINVAL);
    CHECK_RC(NULL, pss_id_normalize(NULL, n), PSS_EINVAL);
}

/* Canonical ids are checked and copied without libuuid: every one-byte change of a canonical
 * id must get the answer libuuid's parse and unparse give. */
static void ids_as_libuuid(void)
{
    static const char base[] = "6f1c2b7e-3a4d-4c5e-9f10-112233445566";
    int differ = 0, accepted = 0;
    for (int at = 0; at < PSS_ID_SIZE - 1; at++) {
        for (int c = 1; c < 256; c++) {
            char text[PSS_ID_SIZE], n[PSS_ID_SIZE], expect[PSS_ID_SIZE];
            memcpy(text, base, sizeof base);
            text[at] = (char)c;
            uuid_t raw;
            int want = uuid_parse(text, raw) == 0 ? 0 : PSS_EINVAL;
            if (!want)
                uuid_unparse_lower(raw, expect);
            int got = pss_id_normalize(text, n);
            accepted += got == 0;
            if (got != want || (!got && strcmp(n, expect) != 0)) {
                if (differ++ == 0)
                    printf("# '%s': got %d '%s', libuuid %d\n", text, got, got ? "" : n, want);
            }
        }
    }
    CHECK_I64(differ, 0);
    /* 22 hex spellings at each of 32 places, and the dash itself at the 4 dash places */
    CHECK_I64(accepted, 32 * 22 + 4);
}

static void errors(void)
{
    CHECK_STR(pss_strerror(PSS_ELIMIT), "cash difference beyond the allowed limit");
    CHECK_STR(pss_strerror(0), "success");
    CHECK_STR(pss_strerror(-999), "unknown error");
    CHECK_STR(pss_version(), "1.1.0");
    /* the codes are part of the ABI */
    CHECK_I64(PSS_EINVAL, -1);
    CHECK_I64(PSS_ECLOSED, -10);
    CHECK_I64(PSS_ELIMIT, -13);
    CHECK_I64(PSS_EIO, -23);
}

/* The memory store keeps canonical ids as 16 bytes: packed exactly when the text is what
 * libuuid unparses, every one-byte change of a canonical id tried, and back to the same text. */
static void ids_packed(void)
{
    static const char base[] = "6f1c2b7e-3a4d-4c5e-9f10-112233445566";
    unsigned char bytes[PSS__ID_BYTES];
    CHECK(pss__id_pack(base, bytes));
    CHECK_I64(bytes[0], 0x6f);
    CHECK_I64(bytes[4], 0x3a);
    CHECK_I64(bytes[15], 0x66);
    int differ = 0, packed = 0;
    for (int at = 0; at < PSS_ID_SIZE - 1; at++) {
        for (int c = 1; c < 256; c++) {
            char text[PSS_ID_SIZE], back[PSS_ID_SIZE] = "";
            memcpy(text, base, sizeof base);
            text[at] = (char)c;
            uuid_t raw;
            bool canonical = uuid_parse(text, raw) == 0;
            if (canonical)
                uuid_unparse_lower(raw, back);
            canonical = canonical && strcmp(back, text) == 0;
            bool got = pss__id_pack(text, bytes);
            if (got)
                pss__id_unpack(bytes, back);
            packed += got;
            if (got != canonical || (got && strcmp(back, text) != 0))
                if (differ++ == 0)
                    printf("# '%s': packed %d, canonical %d\n", text, got, canonical);
        }
    }
    CHECK_I64(differ, 0);
    CHECK_I64(packed, 32 * 16 + 4); /* the 16 lower-case digits at 32 places, the dashes */
    CHECK(!pss__id_pack("6f1c2b7e-3a4d-4c5e-9f10-11223344556", bytes));   /* short */
    CHECK(!pss__id_pack("6f1c2b7e-3a4d-4c5e-9f10-1122334455667", bytes)); /* long */
    CHECK(!pss__id_pack("6f1c", bytes));
    CHECK(!pss__id_pack("", bytes));
}

int main(void)
{
    parse();
    format();
    arithmetic();
    rounding();
    ids();
    ids_as_libuuid();
    ids_packed();
    errors();
    return check_done();
}
