/* jsonc.c: the cursor writer of fixed-shape records. Its values come from the same
 * pss__json_put_int / pss__json_put_str that tests/core/jsonw.c compares with jansson on
 * random documents; here: the string fast path at every length and position of a special
 * byte, the cursor's growth from an empty buffer, null and plain strings, out of memory. */
#include <jansson.h>
#include <possession.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "json/jsonc.h"

/* jansson's text of one string. */
static char *jansson_string(const char *s)
{
    json_t *v = json_string(s);
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(v);
    return text;
}

/* Every length up to 40, clean, then with each special byte at each position: the eight-byte
 * words, the overlapping last word, the four-byte halves and the byte loop all meet it. */
static void strings_at_every_length(void)
{
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f', '\t'};
    int mismatches = 0, tried = 0;
    char s[48], out[6 * 48 + 2];
    for (size_t n = 0; n <= 40; n++) {
        for (int pos = -1; pos < (int)n; pos++) {
            for (size_t k = 0; k < (pos < 0 ? 1 : sizeof specials); k++) {
                for (size_t i = 0; i < n; i++)
                    s[i] = (char)('a' + (i * 7) % 26);
                /* UTF-8 and the highest plain byte pass through; kept clear of the special */
                if (n >= 3 && (pos < 0 || pos >= 3))
                    memcpy(s, "\xc3\xa9~", 3);
                else if (n >= 6)
                    memcpy(s + n - 3, "\xc3\xa9~", 3);
                if (pos >= 0)
                    s[pos] = specials[k];
                s[n] = '\0';
                char *end = pss__json_put_str(out, s, n);
                *end = '\0';
                char *expected = jansson_string(s);
                tried++;
                if (strcmp(out, expected) != 0 && mismatches++ == 0)
                    printf("# length %zu: %s, jansson %s\n", n, out, expected);
                free(expected);
            }
        }
    }
    CHECK_I64(mismatches, 0);
    CHECK(tried > 4000);
}

static void integers(void)
{
    static const int64_t values[] = {0, 7, -7, 10, 99, 100, -100, 1795267403810, INT64_MAX,
                                     INT64_MIN, 1000000000000000000LL, 9999999999999999999ULL / 2};
    char out[PSS_JSON_INT_ROOM + 1], expected[32];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        *pss__json_put_int(out, values[i]) = '\0';
        snprintf(expected, sizeof expected, "%" PRId64, values[i]);
        CHECK_STR(out, expected);
    }
}

static void cursor(pss_ctx *ctx)
{
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    pss_jsonc c;
    pss__jsonc_begin(&c, &buf);
    PSS_JSONC_LIT(&c, "{\"a\":[");
    for (int i = 0; i < 300; i++) { /* past the first 512 bytes several times */
        if (i)
            PSS_JSONC_LIT(&c, ",");
        pss__jsonc_int(&c, i - 150);
    }
    PSS_JSONC_LIT(&c, "],\"n\":");
    pss__jsonc_str(&c, NULL);
    PSS_JSONC_LIT(&c, ",\"t\":");
    pss__jsonc_bool(&c, true);
    PSS_JSONC_LIT(&c, ",\"f\":");
    pss__jsonc_bool(&c, false);
    PSS_JSONC_LIT(&c, ",\"id\":");
    pss__jsonc_plain(&c, "0129b90d-8f12-4759-94bc-1bb5ea2106c0", 36);
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[1000] = '"';
    PSS_JSONC_LIT(&c, ",\"big\":");
    pss__jsonc_str(&c, big);
    PSS_JSONC_LIT(&c, "}");
    CHECK_OK(ctx, pss__jsonc_finish(ctx, &c));
    CHECK_I64(buf.len, strlen(buf.data));
    json_error_t err;
    json_t *doc = json_loads(buf.data, JSON_REJECT_DUPLICATES, &err);
    CHECK(doc != NULL);
    CHECK_I64(json_array_size(json_object_get(doc, "a")), 300);
    CHECK_I64(json_integer_value(json_array_get(json_object_get(doc, "a"), 0)), -150);
    CHECK(json_is_null(json_object_get(doc, "n")));
    CHECK(json_is_true(json_object_get(doc, "t")));
    CHECK(json_is_false(json_object_get(doc, "f")));
    CHECK_STR(json_string_value(json_object_get(doc, "id")),
              "0129b90d-8f12-4759-94bc-1bb5ea2106c0");
    CHECK_STR(json_string_value(json_object_get(doc, "big")), big);
    char *again = json_dumps(doc, JSON_COMPACT);
    CHECK_STR(buf.data, again); /* jansson writes the same text back */
    free(again);
    json_decref(doc);
    /* an empty record still ends in a NUL */
    pss__jsonc_begin(&c, &buf);
    CHECK_OK(ctx, pss__jsonc_finish(ctx, &c));
    CHECK_STR(buf.data, "");
    pss__strbuf_free(&buf);
}

static void *refuse_malloc(void *ud, size_t size)
{
    (void)ud, (void)size;
    return NULL;
}

static void *refuse_realloc(void *ud, void *p, size_t size)
{
    (void)ud, (void)p, (void)size;
    return NULL;
}

static void plain_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void out_of_memory(pss_ctx *ctx)
{
    static const pss_allocator refusing = {PSS_ALLOCATOR_VERSION, refuse_malloc, refuse_realloc,
                                           plain_free, NULL};
    pss__strbuf buf;
    pss__strbuf_init(&buf, &refusing);
    pss_jsonc c;
    pss__jsonc_begin(&c, &buf);
    PSS_JSONC_LIT(&c, "{\"x\":");
    pss__jsonc_int(&c, 1);
    pss__jsonc_str(&c, "text");
    PSS_JSONC_LIT(&c, "}");
    CHECK_RC(ctx, pss__jsonc_finish(ctx, &c), PSS_ENOMEM);
    pss__strbuf_free(&buf);
}

int main(void)
{
    pss_ctx *ctx = NULL;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    strings_at_every_length();
    integers();
    cursor(ctx);
    out_of_memory(ctx);
    pss_ctx_free(ctx);
    return check_done();
}
