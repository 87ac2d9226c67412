/* canon.h: the canonical byte form of a fiscal event, what its chain link hashes
 * (doc/fiscal.md, "Canonical form"): lines of key=value in the order the event's kind
 * fixes, integers in decimal (money in minor units), text escaped so that every event has
 * exactly one form and no line break inside a value. No floating point, no JSON: a verifier
 * in any language rebuilds the bytes from the fields. */
#ifndef PSS_FISCAL_CANON_H
#define PSS_FISCAL_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* The form's version: the first line of every event, "pss-fiscal=1". */
#define PSS__CANON_VERSION 1

/* Starts an event of a kind ("order", "cash_move", ...): the version line and kind=. */
void pss__canon_begin(pss__strbuf *b, const char *kind);
/* key=decimal value. Keys are lower-case ASCII letters, digits, '_' and '.'. */
void pss__canon_int(pss__strbuf *b, const char *key, int64_t value);
/* key=text, escaped: a backslash as \\, a line feed as \n, a carriage return as \r, every
 * other byte below 0x20 and 0x7f as \xHH (lower-case hex); every other byte as it is. A NULL
 * text is written as an empty value. */
void pss__canon_text(pss__strbuf *b, const char *key, const char *text);
/* The same for the index-th member of a repeated group: group.index.field=... */
void pss__canon_int_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                       int64_t value);
void pss__canon_text_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                        const char *text);

#endif
