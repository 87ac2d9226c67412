/* canon.c: writes the canonical form of fiscal events (canon.h, doc/fiscal.md). */
#include "fiscal/canon.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/internal.h"

/* Keys are fixed by the library, never taken from input: a wrong one is a bug of ours. */
static void check_key(const char *key)
{
    PSS_ASSERT(key && *key);
    for (const char *p = key; p && *p; p++)
        PSS_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                   *p == '.');
    (void)key;
}

void pss__canon_begin(pss__strbuf *b, const char *kind)
{
    pss__strbuf_printf(b, "pss-fiscal=%d\n", PSS__CANON_VERSION);
    pss__canon_text(b, "kind", kind);
}

void pss__canon_int(pss__strbuf *b, const char *key, int64_t value)
{
    check_key(key);
    pss__strbuf_printf(b, "%s=%" PRId64 "\n", key, value);
}

static void add_escaped(pss__strbuf *b, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        char esc[4] = {'\\', 0, 0, 0};
        size_t n = 2;
        if (*p == '\\' || *p == '\n' || *p == '\r')
            esc[1] = *p == '\\' ? '\\' : *p == '\n' ? 'n' : 'r';
        else if (*p < 0x20 || *p == 0x7f) {
            esc[1] = 'x';
            esc[2] = hex[*p >> 4];
            esc[3] = hex[*p & 15];
            n = 4;
        } else {
            esc[0] = (char)*p;
            n = 1;
        }
        pss__strbuf_add(b, esc, n);
    }
}

void pss__canon_text(pss__strbuf *b, const char *key, const char *text)
{
    check_key(key);
    pss__strbuf_puts(b, key);
    pss__strbuf_add(b, "=", 1);
    add_escaped(b, text);
    pss__strbuf_add(b, "\n", 1);
}

void pss__canon_int_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                       int64_t value)
{
    check_key(group);
    check_key(field);
    pss__strbuf_printf(b, "%s.%zu.%s=%" PRId64 "\n", group, index, field, value);
}

void pss__canon_text_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                        const char *text)
{
    check_key(group);
    check_key(field);
    pss__strbuf_printf(b, "%s.%zu.%s=", group, index, field);
    add_escaped(b, text);
    pss__strbuf_add(b, "\n", 1);
}
