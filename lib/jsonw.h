/* jsonw.h: the streaming JSON writer for the records written on every order (the order, the
 * session and its running totals). jansson builds a tree and frees it for every document,
 * which costs about 22 µs for an order's record: more than the whole budget of a paid order
 * (bench/README.md). This writer appends to a buffer as the encoder walks its struct and
 * produces exactly the text jansson's JSON_COMPACT dump gives for the same document (tests/
 * core/jsonw.c compares them byte for byte). Every record is still read by jansson. */
#ifndef PSS_JSONW_H
#define PSS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"
#include "strbuf.h"

/* Deepest nesting a record may have (the payload object counts as one). */
#define PSS_JSONW_MAX_DEPTH 16

typedef struct pss_jsonw {
    pss_strbuf *buf;
    unsigned depth;
    bool misused; /* too deep or unbalanced: a bug in an encoder */
    char closer[PSS_JSONW_MAX_DEPTH];
    bool has_items[PSS_JSONW_MAX_DEPTH];
} pss_jsonw;

/* Resets buf and opens the payload object with its "v". */
void pss__jsonw_begin(pss_jsonw *w, pss_strbuf *buf);
/* Values: key is the member name inside an object and NULL inside an array. */
void pss__jsonw_object(pss_jsonw *w, const char *key);
void pss__jsonw_array(pss_jsonw *w, const char *key);
void pss__jsonw_end(pss_jsonw *w); /* closes the innermost object or array */
void pss__jsonw_int(pss_jsonw *w, const char *key, int64_t v);
void pss__jsonw_str(pss_jsonw *w, const char *key, const char *s); /* NULL: null */
void pss__jsonw_bool(pss_jsonw *w, const char *key, bool v);
void pss__jsonw_null(pss_jsonw *w, const char *key);

/* The same with a literal member name, given as PSS_JSONW_NAME("name"): the compiler makes
 * its text (comma, quotes, colon), and these inline writers copy it in one move of a known
 * size; the order record has about 90 members, and scanning and copying each name was a
 * third of its writing. The name must need no escaping (no quote, backslash or control
 * character); the encoders' names are plain words. */
#define PSS_JSONW_NAME(key) ",\"" key "\":", sizeof(key) + 3

/* Longest decimal int64_t: a sign and 19 digits. */
#define PSS_JSONW_INT_ROOM 20

/* For the inline writers below: room for `need` more bytes after a member's separator; where
 * to write, and whether it is the object's first member (no comma). NULL when misused (not
 * inside an object) or out of memory. */
char *pss__jsonw_reserve_member(pss_jsonw *w, size_t need, bool *first);
void pss__jsonw_int_value(pss_jsonw *w, int64_t v);
void pss__jsonw_str_value(pss_jsonw *w, const char *s);
void pss__jsonw_bool_value(pss_jsonw *w, bool v);
void pss__jsonw_open_value(pss_jsonw *w, char opener); /* '{' or '[' */

/* Copies ",\"name\":" from lit; the first member of an object drops the comma by copying one
 * byte earlier, over the '{' that opened it, and putting the '{' back. */
static inline bool pss__jsonw_lit_name(pss_jsonw *w, const char *lit, size_t len,
                                       size_t value_room)
{
    bool first = false;
    char *p = pss__jsonw_reserve_member(w, len + value_room, &first);
    if (!p)
        return false;
    memcpy(p - first, lit, len);
    if (first)
        p[-1] = '{';
    w->buf->len += len - first;
    return true;
}

static inline void pss__jsonw_int_lit(pss_jsonw *w, const char *lit, size_t len, int64_t v)
{
    if (pss__jsonw_lit_name(w, lit, len, PSS_JSONW_INT_ROOM))
        pss__jsonw_int_value(w, v);
}

static inline void pss__jsonw_str_lit(pss_jsonw *w, const char *lit, size_t len, const char *s)
{
    if (pss__jsonw_lit_name(w, lit, len, 2))
        pss__jsonw_str_value(w, s);
}

static inline void pss__jsonw_bool_lit(pss_jsonw *w, const char *lit, size_t len, bool v)
{
    if (pss__jsonw_lit_name(w, lit, len, 5))
        pss__jsonw_bool_value(w, v);
}

static inline void pss__jsonw_object_lit(pss_jsonw *w, const char *lit, size_t len)
{
    if (pss__jsonw_lit_name(w, lit, len, 1))
        pss__jsonw_open_value(w, '{');
}

static inline void pss__jsonw_array_lit(pss_jsonw *w, const char *lit, size_t len)
{
    if (pss__jsonw_lit_name(w, lit, len, 1))
        pss__jsonw_open_value(w, '[');
}

/* Closes the payload object: 0, PSS_ENOMEM when the buffer could not grow, PSS_EINVAL when an
 * encoder nested too deep or left a container open (a bug; nothing gets written). */
int pss__jsonw_finish(pss_ctx *ctx, pss_jsonw *w);

#endif
