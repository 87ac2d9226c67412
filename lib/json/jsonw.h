/* jsonw.h: the library's one JSON writer of records and documents (configs, sessions,
 * running totals, movements, refund tallies, journal entries, audit entries). It appends to a
 * buffer as the encoder walks its struct: jansson would build a tree and free it for every
 * document, which cost about 22 us for an order's record, more than the whole budget of a
 * paid order (bench/README.md). Its text is exactly what jansson's JSON_COMPACT dump gives
 * for the same document (tests/core/jsonw.c compares them byte for byte), so records written
 * before read the same. Every record is still read by jansson (codec.h). The order record,
 * written on every order, uses jsonc.h's cursor directly; this writer adds nesting and commas
 * on top of that same cursor, which writes every byte. */
#ifndef PSS_JSONW_H
#define PSS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "base/internal.h"
#include "util/strbuf.h"
#include "json/jsonc.h"

/* Deepest nesting a record may have (the payload object counts as one). */
#define PSS_JSONW_MAX_DEPTH 16

typedef struct pss_jsonw {
    pss_jsonc c; /* the one writer of bytes: jsonc's cursor */
    unsigned depth;
    bool misused; /* too deep or unbalanced: a bug in an encoder */
    char closer[PSS_JSONW_MAX_DEPTH];
    bool has_items[PSS_JSONW_MAX_DEPTH];
} pss_jsonw;

/* Resets buf and opens the payload object with its "v" (PSS_SCHEMA_VERSION)... */
void pss__jsonw_begin(pss_jsonw *w, pss__strbuf *buf);
/* ...or the given one, for a record kind whose schema moved on (jsonc.h). */
void pss__jsonw_begin_version(pss_jsonw *w, pss__strbuf *buf, int version);
/* An object with no "v": for a format that names its version itself (an archive's). */
void pss__jsonw_begin_plain(pss_jsonw *w, pss__strbuf *buf);
/* Values: key is the member name inside an object and NULL inside an array. */
void pss__jsonw_object(pss_jsonw *w, const char *key);
void pss__jsonw_array(pss_jsonw *w, const char *key);
void pss__jsonw_end(pss_jsonw *w); /* closes the innermost object or array */
void pss__jsonw_int(pss_jsonw *w, const char *key, int64_t v);
void pss__jsonw_str(pss_jsonw *w, const char *key, const char *s); /* NULL: null */
void pss__jsonw_bool(pss_jsonw *w, const char *key, bool v);
void pss__jsonw_null(pss_jsonw *w, const char *key);

/* Closes the payload object: 0, PSS_ENOMEM when the buffer could not grow, PSS_EINVAL when an
 * encoder nested too deep or left a container open (a bug; nothing gets written). */
int pss__jsonw_finish(pss_ctx *ctx, pss_jsonw *w);

#endif
