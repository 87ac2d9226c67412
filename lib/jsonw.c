/* jsonw.c: the streaming JSON writer of the per-order records (see jsonw.h for why it
 * exists). Its output equals jansson's JSON_COMPACT dump: members in the order written,
 * strings escaped as jansson escapes them, integers in plain decimal. */
#include "jsonw.h"

#include <string.h>

#include "codec.h"

/* Output goes straight into the buffer; the NUL is written once, by finish. */
static inline bool room(pss_jsonw *w, size_t n)
{
    pss_strbuf *b = w->buf;
    return b->len + n < b->cap || pss_strbuf_reserve(b, n) == 0;
}

static inline void add(pss_jsonw *w, const char *s, size_t n)
{
    if (room(w, n)) {
        memcpy(w->buf->data + w->buf->len, s, n);
        w->buf->len += n;
    }
}

static inline void add_char(pss_jsonw *w, char c)
{
    if (room(w, 1))
        w->buf->data[w->buf->len++] = c;
}

/* The short escapes jansson uses; other control characters become \u00XX. */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return NULL;
    }
}

/* 1 for the bytes a JSON string cannot hold as they are: control characters (NUL ends the
 * string), '"' and '\\'. One lookup per byte keeps the common case a tight loop. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* Strings were checked as UTF-8 when they entered the library; bytes >= 0x80 pass through. */
static void add_string(pss_jsonw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    add_char(w, '"');
    for (;;) {
        const char *p = s;
        while (!special[(unsigned char)*p])
            p++;
        add(w, s, (size_t)(p - s));
        unsigned char c = (unsigned char)*p;
        if (c == 0)
            break;
        const char *esc = short_escape(c);
        if (esc) {
            add(w, esc, 2);
        } else {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            add(w, u, sizeof u);
        }
        s = p + 1;
    }
    add_char(w, '"');
}

/* Whether a value may go here (a name inside an object, none inside an array); marks the
 * container as having items and tells whether a comma goes first. */
static bool place_value(pss_jsonw *w, bool named, bool *comma)
{
    if (w->depth == 0 || named != (w->closer[w->depth - 1] == '}')) {
        w->misused = true;
        return false;
    }
    *comma = w->has_items[w->depth - 1];
    w->has_items[w->depth - 1] = true;
    return true;
}

/* The separator and a run-time member name, escaped when it needs it. */
static bool value_start(pss_jsonw *w, const char *key)
{
    bool comma;
    if (!place_value(w, key != NULL, &comma))
        return false;
    if (comma)
        add_char(w, ',');
    if (key) {
        add_string(w, key);
        add_char(w, ':');
    }
    return true;
}

char *pss__jsonw_reserve_member(pss_jsonw *w, size_t need, bool *first)
{
    bool comma;
    if (!place_value(w, true, &comma) || !room(w, need))
        return NULL;
    *first = !comma;
    return w->buf->data + w->buf->len;
}

static void open_container(pss_jsonw *w, char opener, char closer)
{
    if (w->depth == PSS_JSONW_MAX_DEPTH) {
        w->misused = true;
        return;
    }
    add_char(w, opener);
    w->closer[w->depth] = closer;
    w->has_items[w->depth] = false;
    w->depth++;
}


/* Decimal digits of m: log10 from the bit length (1233/4096 is just below log10(2)), then one
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
    if (m < 10)
        return 1;
    unsigned bits = 64u - (unsigned)__builtin_clzll(m);
    size_t t = (size_t)(bits * 1233u) >> 12;
    return t + (m >= powers[t]);
}

/* Writes straight into the buffer: two digits per division, from the right. */
void pss__jsonw_int_value(pss_jsonw *w, int64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    if (!room(w, PSS_JSONW_INT_ROOM))
        return;
    /* through uint64_t so that INT64_MIN has a magnitude */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t n = digits_of(m);
    char *start = w->buf->data + w->buf->len;
    if (v < 0)
        *start++ = '-';
    char *p = start + n;
    w->buf->len = (size_t)(p - w->buf->data);
    while (m >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (m % 100), 2);
        m /= 100;
    }
    if (m >= 10)
        memcpy(p - 2, pairs + 2 * m, 2);
    else
        p[-1] = (char)('0' + m);
}

void pss__jsonw_str_value(pss_jsonw *w, const char *s)
{
    if (s)
        add_string(w, s);
    else
        add(w, "null", 4);
}

void pss__jsonw_bool_value(pss_jsonw *w, bool v)
{
    if (v)
        add(w, "true", 4);
    else
        add(w, "false", 5);
}

void pss__jsonw_begin(pss_jsonw *w, pss_strbuf *buf)
{
    pss_strbuf_reset(buf);
    w->buf = buf;
    w->depth = 0;
    w->misused = false;
    open_container(w, '{', '}');
    pss__jsonw_int(w, "v", PSS_SCHEMA_VERSION);
}

void pss__jsonw_object(pss_jsonw *w, const char *key)
{
    if (value_start(w, key))
        open_container(w, '{', '}');
}

void pss__jsonw_array(pss_jsonw *w, const char *key)
{
    if (value_start(w, key))
        open_container(w, '[', ']');
}

void pss__jsonw_end(pss_jsonw *w)
{
    if (w->depth <= 1) { /* the payload object is closed by finish */
        w->misused = true;
        return;
    }
    w->depth--;
    add_char(w, w->closer[w->depth]);
}

void pss__jsonw_int(pss_jsonw *w, const char *key, int64_t v)
{
    if (value_start(w, key))
        pss__jsonw_int_value(w, v);
}

void pss__jsonw_str(pss_jsonw *w, const char *key, const char *s)
{
    if (value_start(w, key))
        pss__jsonw_str_value(w, s);
}

void pss__jsonw_null(pss_jsonw *w, const char *key)
{
    pss__jsonw_str(w, key, NULL);
}

void pss__jsonw_bool(pss_jsonw *w, const char *key, bool v)
{
    if (value_start(w, key))
        pss__jsonw_bool_value(w, v);
}

void pss__jsonw_open_value(pss_jsonw *w, char opener)
{
    open_container(w, opener, opener == '{' ? '}' : ']');
}

int pss__jsonw_finish(pss_ctx *ctx, pss_jsonw *w)
{
    if (w->misused || w->depth != 1)
        return pss__fail(ctx, PSS_EINVAL, "a record encoder left its JSON unbalanced (a bug)");
    w->depth = 0;
    add_char(w, '}');
    if (w->buf->failed)
        return pss__oom(ctx);
    w->buf->data[w->buf->len] = '\0';
    return 0;
}
