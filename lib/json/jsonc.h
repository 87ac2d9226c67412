/* jsonc.h: the JSON text of single values (integers, strings) and the cursor writer of
 * records whose shape is fixed in code, the order record above all. An order record has about
 * 90 members; jsonw tracks nesting and commas for each of them, which was a quarter of the
 * cost of a paid order (bench/README.md). Here the encoder writes its punctuation and member
 * names as literals (",\"qty\":"), so a member costs a copy of known size, a room check and
 * its value. The encoder owns the shape: tests compare its text with jansson's. */
#ifndef PSS_JSONC_H
#define PSS_JSONC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "base/internal.h"
#include "util/strbuf.h"

/* Schema version written in the "v" field of every payload this library writes... */
#define PSS_SCHEMA_VERSION 1
/* ...but the order record's: 2, its tax snapshots in one table, defaults left out
 * (doc/storage.md), what lib/order/order_codec.c writes for an order read from a record of
 * version 3 or older whose figures version 4 cannot give back. Its reader reads 1 to 4. */
#define PSS_ORDER_SCHEMA_VERSION 2
/* ...or 3 when the order has an order-level discount or a customer. */
#define PSS_ORDER_SCHEMA_VERSION_3 3
/* ...and 4, tuples without the figures that are sums of others, for every order whose
 * figures it gives back exactly (lib/order/order_record4.c): all that this library makes. */
#define PSS_ORDER_SCHEMA_VERSION_4 4
/* ...and the config's, which is 2: its late-order policy and negative-drawer flag. Its reader
 * reads both (version 1 records have the behaviour of the defaults). */
#define PSS_CONFIG_SCHEMA_VERSION 2

/* Longest decimal int64_t: a sign and 19 digits. */
#define PSS_JSON_INT_ROOM 20

/* Room a string of n bytes may need once quoted and escaped (\u00XX is six bytes per byte). */
#define PSS_JSON_STR_ROOM(n) (6 * (n) + 2)

/* Writes v in decimal at out (PSS_JSON_INT_ROOM bytes of room); returns the end. */
char *pss__json_put_int(char *out, int64_t v);
/* Writes the n bytes of s quoted and escaped as jansson escapes them at out
 * (PSS_JSON_STR_ROOM(n) bytes of room); returns the end. s is UTF-8 checked on entry. */
char *pss__json_put_str(char *out, const char *s, size_t n);

typedef struct pss_jsonc {
    pss__strbuf *buf;
    char *p, *end; /* next byte and end of the room; the NUL goes after end */
} pss_jsonc;

/* Resets buf and points the cursor at its start. */
void pss__jsonc_begin(pss_jsonc *c, pss__strbuf *buf);
/* The slow path of pss__jsonc_room: grows buf; false once it could not. */
bool pss__jsonc_grow(pss_jsonc *c, size_t n);
/* Ends the text (the NUL, buf->len): 0, or PSS_ENOMEM when the buffer could not grow. */
int pss__jsonc_finish(pss_ctx *ctx, pss_jsonc *c);

static inline bool pss__jsonc_room(pss_jsonc *c, size_t n)
{
    return (size_t)(c->end - c->p) >= n || pss__jsonc_grow(c, n);
}

static inline void pss__jsonc_raw(pss_jsonc *c, const char *s, size_t n)
{
    if (pss__jsonc_room(c, n)) {
        memcpy(c->p, s, n);
        c->p += n;
    }
}

/* A number macro as literal text, for versions: PSS_STRINGIFY(PSS_SCHEMA_VERSION) is "1". */
#define PSS_STRINGIFY_(x) #x
#define PSS_STRINGIFY(x) PSS_STRINGIFY_(x)

/* Punctuation and member names, as a string literal: PSS_JSONC_LIT(c, ",\"qty\":"). The
 * "" text pasting makes anything but a literal a compile error (a pointer's sizeof would
 * write the wrong number of bytes). */
#define PSS_JSONC_LIT(c, text) pss__jsonc_raw((c), "" text, sizeof(text) - 1)

/* Optional members, written only when present: a string that is not NULL, an integer that is
 * not 0 (what such a member reads as when absent). name is a literal. */
#define PSS_JSONC_OPT_STR(c, name, s)                                                       \
    do {                                                                                    \
        if (s) {                                                                            \
            PSS_JSONC_LIT(c, ",\"" name "\":");                                             \
            pss__jsonc_str((c), (s));                                                       \
        }                                                                                   \
    } while (0)
#define PSS_JSONC_OPT_INT(c, name, v)                                                       \
    do {                                                                                    \
        if (v) {                                                                            \
            PSS_JSONC_LIT(c, ",\"" name "\":");                                             \
            pss__jsonc_int((c), (v));                                                       \
        }                                                                                   \
    } while (0)

static inline void pss__jsonc_int(pss_jsonc *c, int64_t v)
{
    if (pss__jsonc_room(c, PSS_JSON_INT_ROOM))
        c->p = pss__json_put_int(c->p, v);
}

/* NULL writes null. */
void pss__jsonc_str(pss_jsonc *c, const char *s);
/* A string known to need no escaping, of n bytes: canonical ids, hex hashes, state names. */
void pss__jsonc_plain(pss_jsonc *c, const char *s, size_t n);

static inline void pss__jsonc_bool(pss_jsonc *c, bool v)
{
    if (v)
        PSS_JSONC_LIT(c, "true");
    else
        PSS_JSONC_LIT(c, "false");
}

#endif
