/* jsonw.c: the streaming JSON writer of the per-order records (see jsonw.h for why it
 * exists). Its output equals jansson's JSON_COMPACT dump: members in the order written,
 * strings escaped as jansson escapes them, integers in plain decimal. */
#include "json/jsonw.h"

#include <string.h>

#include "json/codec.h"
#include "json/jsonc.h"

/* Output goes straight into the buffer; the NUL is written once, by finish. */
static inline bool room(pss_jsonw *w, size_t n)
{
    pss__strbuf *b = w->buf;
    return b->len + n < b->cap || pss__strbuf_reserve(b, n) == 0;
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

/* Strings were checked as UTF-8 when they entered the library; bytes >= 0x80 pass through. */
static void add_string(pss_jsonw *w, const char *s)
{
    size_t n = strlen(s);
    if (room(w, PSS_JSON_STR_ROOM(n)))
        w->buf->len = (size_t)(pss__json_put_str(w->buf->data + w->buf->len, s, n) - w->buf->data);
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

static void int_value(pss_jsonw *w, int64_t v)
{
    if (room(w, PSS_JSON_INT_ROOM))
        w->buf->len = (size_t)(pss__json_put_int(w->buf->data + w->buf->len, v) - w->buf->data);
}

static void str_value(pss_jsonw *w, const char *s)
{
    if (s)
        add_string(w, s);
    else
        add(w, "null", 4);
}

static void bool_value(pss_jsonw *w, bool v)
{
    if (v)
        add(w, "true", 4);
    else
        add(w, "false", 5);
}

void pss__jsonw_begin(pss_jsonw *w, pss__strbuf *buf)
{
    pss__strbuf_reset(buf);
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
        int_value(w, v);
}

void pss__jsonw_str(pss_jsonw *w, const char *key, const char *s)
{
    if (value_start(w, key))
        str_value(w, s);
}

void pss__jsonw_null(pss_jsonw *w, const char *key)
{
    pss__jsonw_str(w, key, NULL);
}

void pss__jsonw_bool(pss_jsonw *w, const char *key, bool v)
{
    if (value_start(w, key))
        bool_value(w, v);
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
