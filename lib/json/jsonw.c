/* jsonw.c: the streaming JSON writer of every record (see jsonw.h for why it exists). Its
 * output equals jansson's JSON_COMPACT dump: members in the order written, strings escaped
 * as jansson escapes them, integers in plain decimal. */
#include "json/jsonw.h"

#include <string.h>

#include "json/jsonc.h"

/* Every byte goes through jsonc's cursor (its room checks, growth and escaping); this file
 * only knows where commas, names and closers go. */
static inline void add_char(pss_jsonw *w, char c)
{
    pss__jsonc_raw(&w->c, &c, 1);
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
        pss__jsonc_str(&w->c, key);
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

void pss__jsonw_begin_version(pss_jsonw *w, pss__strbuf *buf, int version)
{
    pss__jsonw_begin_plain(w, buf);
    pss__jsonw_int(w, "v", version);
}

void pss__jsonw_begin_plain(pss_jsonw *w, pss__strbuf *buf)
{
    pss__jsonc_begin(&w->c, buf);
    w->depth = 0;
    w->misused = false;
    open_container(w, '{', '}');
}

void pss__jsonw_begin(pss_jsonw *w, pss__strbuf *buf)
{
    pss__jsonw_begin_version(w, buf, PSS_SCHEMA_VERSION);
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
        pss__jsonc_int(&w->c, v);
}

void pss__jsonw_str(pss_jsonw *w, const char *key, const char *s)
{
    if (value_start(w, key))
        pss__jsonc_str(&w->c, s); /* NULL writes null */
}

void pss__jsonw_null(pss_jsonw *w, const char *key)
{
    pss__jsonw_str(w, key, NULL);
}

void pss__jsonw_bool(pss_jsonw *w, const char *key, bool v)
{
    if (value_start(w, key))
        pss__jsonc_bool(&w->c, v);
}

int pss__jsonw_finish(pss_ctx *ctx, pss_jsonw *w)
{
    if (w->misused || w->depth != 1)
        return pss__fail(ctx, PSS_EINVAL, "a record encoder left its JSON unbalanced (a bug)");
    w->depth = 0;
    add_char(w, '}');
    return pss__jsonc_finish(ctx, &w->c);
}
