/* jsonc.c: the JSON text of integers and strings, shared by both record writers, and the
 * cursor writer's buffer handling (see jsonc.h). Strings come out escaped exactly as jansson
 * escapes them, integers in plain decimal, so the records equal jansson's JSON_COMPACT dump. */
#include "json/jsonc.h"

#include <string.h>

/* Decimal digits of m >= 10: log10 from the bit length (1233/4096 is just below log10(2)), then one
 * comparison to settle it. */
static size_t digits_of(uint64_t m)
{
    static const uint64_t powers[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL,
                                      1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
                                      10000000000ULL, 100000000000ULL, 1000000000000ULL,
                                      10000000000000ULL, 100000000000000ULL,
                                      1000000000000000ULL, 10000000000000000ULL,
                                      100000000000000000ULL, 1000000000000000000ULL,
                                      10000000000000000000ULL};
    unsigned bits = 64u - (unsigned)__builtin_clzll(m);
    size_t t = (size_t)(bits * 1233u) >> 12;
    return t + (m >= powers[t]);
}

/* Two digits per division, from the right. */
char *pss__json_put_int(char *out, int64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    /* through uint64_t so that INT64_MIN has a magnitude */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *out++ = '-';
    if (m < 10) { /* zeros and flags: a good part of a record */
        *out = (char)('0' + m);
        return out + 1;
    }
    char *end = out + digits_of(m), *p = end;
    while (m >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (m % 100), 2);
        m /= 100;
    }
    if (m >= 10)
        memcpy(p - 2, pairs + 2 * m, 2);
    else
        p[-1] = (char)('0' + m);
    return end;
}

/* 1 for the bytes a JSON string cannot hold as they are: control characters, '"' and '\\'.
 * Bytes >= 0x80 pass through: strings were checked as UTF-8 when they entered the library. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* The short escapes jansson uses; other control characters become \u00XX. */
static char *put_escape(char *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char letter = 0;
    switch (c) {
    case '"': letter = '"'; break;
    case '\\': letter = '\\'; break;
    case '\b': letter = 'b'; break;
    case '\f': letter = 'f'; break;
    case '\n': letter = 'n'; break;
    case '\r': letter = 'r'; break;
    case '\t': letter = 't'; break;
    default: break;
    }
    *o++ = '\\';
    if (letter) {
        *o++ = letter;
        return o;
    }
    memcpy(o, "u00", 3);
    o[3] = hex[c >> 4];
    o[4] = hex[c & 15];
    return o + 5;
}

#define BYTES_OF(c) (0x0101010101010101ULL * (uint64_t)(c))
#define HIGH_BITS BYTES_OF(0x80)

/* Whether any of eight bytes is special: below 0x20 (the subtraction borrows into its high
 * bit), or equal to '"' or '\\' (a zero after the xor, which borrows the same way). A byte
 * >= 0x80 is masked by ~x; a borrow only runs on above a byte that was itself a hit, so the
 * test is exact for "any". Most names and ids are clean eight bytes at a time. */
static inline bool word_is_clean(uint64_t x)
{
    uint64_t borrows = (x - BYTES_OF(0x20)) | ((x ^ BYTES_OF('"')) - BYTES_OF(1)) |
                       ((x ^ BYTES_OF('\\')) - BYTES_OF(1));
    return (borrows & ~x & HIGH_BITS) == 0;
}

static inline bool half_is_clean(uint32_t x)
{
    return word_is_clean(0x2020202000000000ULL | x); /* four spaces are clean */
}

/* Copies s[0..n) to out while its words are clean; returns how many bytes went. The last word
 * overlaps the one before it rather than leaving a tail byte by byte; strings of four to seven
 * bytes (codes, states) are two overlapping halves. */
static size_t copy_clean_words(char *out, const char *s, size_t n)
{
    uint64_t x;
    size_t i = 0;
    if (n < 8) {
        uint32_t a, b;
        if (n < 4)
            return 0;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        if (!half_is_clean(a) || !half_is_clean(b))
            return 0;
        memcpy(out, &a, 4);
        memcpy(out + n - 4, &b, 4);
        return n;
    }
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, s + i, 8);
        if (!word_is_clean(x))
            return i;
        memcpy(out + i, &x, 8);
    }
    if (i < n) {
        memcpy(&x, s + n - 8, 8);
        if (!word_is_clean(x))
            return i;
        memcpy(out + n - 8, &x, 8);
    }
    return n;
}

/* The bytes from the first word that was not clean, escaped one by one. */
static char *put_rest(char *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (special[c])
            o = put_escape(o, c);
        else
            *o++ = (char)c;
    }
    return o;
}

char *pss__json_put_str(char *out, const char *s, size_t n)
{
    *out++ = '"';
    size_t clean = copy_clean_words(out, s, n);
    char *o = out + clean;
    if (clean < n)
        o = put_rest(o, s + clean, n - clean);
    *o++ = '"';
    return o;
}

void pss__jsonc_begin(pss_jsonc *c, pss__strbuf *buf)
{
    pss__strbuf_reset(buf);
    c->buf = buf;
    c->p = c->end = buf->data; /* the first room check grows it */
}

/* A failed buffer keeps p == end, so every later write finds no room and skips. */
bool pss__jsonc_grow(pss_jsonc *c, size_t n)
{
    pss__strbuf *b = c->buf;
    b->len = b->data ? (size_t)(c->p - b->data) : 0;
    if (pss__strbuf_reserve(b, n < 512 ? 512 : n) != 0) {
        c->end = c->p;
        return false;
    }
    c->p = b->data + b->len;
    c->end = b->data + b->cap - 1;
    return true;
}

void pss__jsonc_plain(pss_jsonc *c, const char *s, size_t n)
{
    if (pss__jsonc_room(c, n + 2)) {
        *c->p = '"';
        memcpy(c->p + 1, s, n);
        c->p[n + 1] = '"';
        c->p += n + 2;
    }
}

void pss__jsonc_str(pss_jsonc *c, const char *s)
{
    if (!s) {
        PSS_JSONC_LIT(c, "null");
        return;
    }
    size_t n = strlen(s);
    if (pss__jsonc_room(c, PSS_JSON_STR_ROOM(n)))
        c->p = pss__json_put_str(c->p, s, n);
}

int pss__jsonc_finish(pss_ctx *ctx, pss_jsonc *c)
{
    pss__strbuf *b = c->buf;
    if (b->failed)
        return pss__oom(ctx);
    if (!b->data && !pss__jsonc_grow(c, 1))
        return pss__oom(ctx);
    PSS_ASSERT(c->p >= b->data && c->p <= c->end); /* every write checked its room */
    b->len = (size_t)(c->p - b->data);
    b->data[b->len] = '\0';
    return 0;
}
