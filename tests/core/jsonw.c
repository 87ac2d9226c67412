/* jsonw.c: the streaming record writer against jansson. The same random documents are
 * written twice, once through lib/json/jsonw.c and once as a jansson tree dumped with
 * JSON_COMPACT; the texts must be equal byte for byte, and jansson must parse every text the
 * writer made. Then the misuse and out-of-memory paths. */
#include <jansson.h>
#include <possession.h>
#include <stdint.h>

#include "check.h"
#include "json/jsonw.h"

/* A deterministic generator (xorshift), so a failure repeats. */
static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static const char *const utf8_pieces[] = {"é", "€", "日本", "🍰", "ß", "\xc2\xa0"};

/* Any text the library accepts: every ASCII byte but NUL, and UTF-8 sequences. */
static void random_text(char *out, size_t size)
{
    size_t len = next_random() % (size - 8), n = 0;
    while (n < len) {
        if (next_random() % 5 == 0) {
            const char *p = utf8_pieces[next_random() % 6];
            size_t k = strlen(p);
            if (n + k >= size)
                break;
            memcpy(out + n, p, k);
            n += k;
        } else {
            out[n++] = (char)(1 + next_random() % 127);
        }
    }
    out[n] = '\0';
}

static int64_t random_int(void)
{
    static const int64_t edges[] = {0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                    1000000000000000000LL, -999999999999999999LL};
    uint64_t r = next_random();
    if (r % 4 == 0)
        return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    return (int64_t)next_random() >> (r % 64);
}

/* Writes one random value through both writers. parent is a jansson object (key given) or
 * array (key NULL). */
static void random_value(pss_jsonw *w, json_t *parent, const char *key, int depth)
{
    char text[64];
    json_t *v;
    int kind = (int)(next_random() % (depth < 6 ? 7 : 4));
    switch (kind) {
    case 0: {
        int64_t i = random_int();
        pss__jsonw_int(w, key, i);
        v = json_integer(i);
        break;
    }
    case 1:
        random_text(text, sizeof text);
        pss__jsonw_str(w, key, text);
        v = json_string(text);
        break;
    case 2: {
        bool b = next_random() % 2;
        pss__jsonw_bool(w, key, b);
        v = json_boolean(b);
        break;
    }
    case 3:
        if (next_random() % 2)
            pss__jsonw_null(w, key);
        else
            pss__jsonw_str(w, key, NULL);
        v = json_null();
        break;
    case 4:
    case 5: {
        pss__jsonw_object(w, key);
        v = json_object();
        int n = (int)(next_random() % 5);
        for (int i = 0; i < n; i++) {
            char member[64];
            random_text(member, sizeof member);
            if (json_object_get(v, member)) /* a repeated name: jansson keeps one */
                continue;
            random_value(w, v, member, depth + 1);
        }
        pss__jsonw_end(w);
        break;
    }
    default: {
        pss__jsonw_array(w, key);
        v = json_array();
        int n = (int)(next_random() % 5);
        for (int i = 0; i < n; i++)
            random_value(w, v, NULL, depth + 1);
        pss__jsonw_end(w);
        break;
    }
    }
    if (key)
        json_object_set_new(parent, key, v);
    else
        json_array_append_new(parent, v);
}

static void same_as_jansson(pss_ctx *ctx, pss__strbuf *buf)
{
    int mismatches = 0, unparsed = 0;
    for (int round = 0; round < 2000; round++) {
        pss_jsonw w;
        pss__jsonw_begin(&w, buf);
        json_t *doc = json_object();
        json_object_set_new(doc, "v", json_integer(1));
        int n = (int)(next_random() % 8);
        for (int i = 0; i < n; i++) {
            char member[64];
            random_text(member, sizeof member);
            if (strcmp(member, "v") == 0 || json_object_get(doc, member))
                continue;
            random_value(&w, doc, member, 1);
        }
        int rc = pss__jsonw_finish(ctx, &w);
        char *expected = json_dumps(doc, JSON_COMPACT);
        if (rc || strcmp(buf->data, expected) != 0) {
            if (mismatches++ == 0)
                printf("# round %d:\n# writer:  %s\n# jansson: %s\n", round, buf->data, expected);
        }
        json_error_t err;
        json_t *back = json_loadb(buf->data, buf->len, JSON_REJECT_DUPLICATES, &err);
        if (!back || !json_equal(back, doc))
            unparsed++;
        json_decref(back);
        free(expected);
        json_decref(doc);
    }
    CHECK_I64(mismatches, 0);
    CHECK_I64(unparsed, 0);
}

static void exact_text(pss_ctx *ctx, pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str(&w, "note", "tab\there \"quoted\" back\\slash \x01\x1f caf\xc3\xa9");
    pss__jsonw_int(&w, "min", INT64_MIN);
    pss__jsonw_int(&w, "max", INT64_MAX);
    pss__jsonw_array(&w, "empty");
    pss__jsonw_end(&w);
    pss__jsonw_object(&w, "nested");
    pss__jsonw_array(&w, "list");
    pss__jsonw_int(&w, NULL, 0);
    pss__jsonw_bool(&w, NULL, false);
    pss__jsonw_null(&w, NULL);
    pss__jsonw_end(&w);
    pss__jsonw_end(&w);
    CHECK_I64(pss__jsonw_finish(ctx, &w), 0);
    CHECK_STR(buf->data, "{\"v\":1,\"note\":\"tab\\there \\\"quoted\\\" back\\\\slash \\u0001\\u001F "
                         "caf\xc3\xa9\",\"min\":-9223372036854775808,"
                         "\"max\":9223372036854775807,\"empty\":[],"
                         "\"nested\":{\"list\":[0,false,null]}}");
    CHECK_I64(buf->len, strlen(buf->data));
}

static void misuse(pss_ctx *ctx, pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_array(&w, "open");
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "unbalanced");

    pss__jsonw_begin(&w, buf);
    pss__jsonw_int(&w, NULL, 1); /* a value without a name inside an object */
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_EINVAL);

    pss__jsonw_begin(&w, buf);
    pss__jsonw_array(&w, "a");
    pss__jsonw_int(&w, "named", 1); /* a name inside an array */
    pss__jsonw_end(&w);
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_EINVAL);

    pss__jsonw_begin(&w, buf);
    pss__jsonw_end(&w); /* closing the payload itself */
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_EINVAL);

    pss__jsonw_begin(&w, buf);
    pss__jsonw_array(&w, "deep");
    for (int i = 0; i < PSS_JSONW_MAX_DEPTH; i++)
        pss__jsonw_array(&w, NULL);
    for (int i = 0; i < PSS_JSONW_MAX_DEPTH; i++)
        pss__jsonw_end(&w);
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_EINVAL);
}

/* An allocator that fails once the buffer would pass a size. */
static size_t alloc_limit;

static void *limited_malloc(void *ud, size_t size)
{
    (void)ud;
    return size > alloc_limit ? NULL : malloc(size);
}

static void *limited_realloc(void *ud, void *p, size_t size)
{
    (void)ud;
    return size > alloc_limit ? NULL : realloc(p, size);
}

static void limited_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void out_of_memory(pss_ctx *ctx)
{
    static const pss_allocator limited = {PSS_ALLOCATOR_VERSION, limited_malloc, limited_realloc,
                                          limited_free, NULL};
    pss__strbuf buf;
    pss__strbuf_init(&buf, &limited);
    alloc_limit = 64;
    pss_jsonw w;
    pss__jsonw_begin(&w, &buf);
    for (int i = 0; i < 20; i++)
        pss__jsonw_str(&w, "member", "a value that does not fit");
    CHECK_RC(ctx, pss__jsonw_finish(ctx, &w), PSS_ENOMEM);
    alloc_limit = SIZE_MAX; /* the buffer is usable again after a reset */
    pss__jsonw_begin(&w, &buf);
    CHECK_I64(pss__jsonw_finish(ctx, &w), 0);
    CHECK_STR(buf.data, "{\"v\":1}");
    pss__strbuf_free(&buf);
}

int main(void)
{
    pss_ctx *ctx = NULL;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    exact_text(ctx, &buf);
    same_as_jansson(ctx, &buf);
    misuse(ctx, &buf);
    out_of_memory(ctx);
    pss__strbuf_free(&buf);
    pss_ctx_free(ctx);
    return check_done();
}
