/* canon.c: writes the canonical form of fiscal events (canon.h, doc/fiscal.md). Built from
 * pieces without printf, which was most of an event's cost (bench/bench-fiscal.c). */
#include "fiscal/canon.h"

#include <stdbool.h>
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

/* Decimal digits of value, '-' first when negative, at the end of out[24]; their start. */
static const char *decimal(int64_t value, char out[24])
{
    uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value; /* INT64_MIN too */
    char *p = out + 24;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (value < 0)
        *--p = '-';
    return p;
}

static void add_decimal(pss__strbuf *b, int64_t value)
{
    char digits[24];
    const char *d = decimal(value, digits);
    pss__strbuf_add(b, d, (size_t)(digits + 24 - d));
}

/* "group=" when field is NULL, else "group.index.field=". */
static void add_key(pss__strbuf *b, const char *group, size_t index, const char *field)
{
    check_key(group);
    pss__strbuf_puts(b, group);
    if (field) {
        check_key(field);
        pss__strbuf_add(b, ".", 1);
        add_decimal(b, (int64_t)index);
        pss__strbuf_add(b, ".", 1);
        pss__strbuf_puts(b, field);
    }
    pss__strbuf_add(b, "=", 1);
}

static bool plain(unsigned char c)
{
    return c >= 0x20 && c != 0x7f && c != '\\';
}

/* The text escaped, runs of plain bytes at once; then the line's end. */
static void add_text_line(pss__strbuf *b, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p) {
        const unsigned char *run = p;
        while (plain(*p))
            p++;
        pss__strbuf_add(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        char esc[4] = {'\\', 'x', hex[*p >> 4], hex[*p & 15]};
        bool named = *p == '\\' || *p == '\n' || *p == '\r';
        if (named)
            esc[1] = *p == '\\' ? '\\' : *p == '\n' ? 'n' : 'r';
        pss__strbuf_add(b, esc, named ? 2 : 4);
        p++;
    }
    pss__strbuf_add(b, "\n", 1);
}

static void add_int_line(pss__strbuf *b, int64_t value)
{
    add_decimal(b, value);
    pss__strbuf_add(b, "\n", 1);
}

void pss__canon_begin(pss__strbuf *b, const char *kind)
{
    pss__strbuf_puts(b, "pss-fiscal="); /* the one key with a '-': no event field has it */
    add_int_line(b, PSS__CANON_VERSION);
    pss__canon_text(b, "kind", kind);
}

void pss__canon_int(pss__strbuf *b, const char *key, int64_t value)
{
    add_key(b, key, 0, NULL);
    add_int_line(b, value);
}

void pss__canon_text(pss__strbuf *b, const char *key, const char *text)
{
    add_key(b, key, 0, NULL);
    add_text_line(b, text);
}

void pss__canon_int_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                       int64_t value)
{
    add_key(b, group, index, field);
    add_int_line(b, value);
}

void pss__canon_text_at(pss__strbuf *b, const char *group, size_t index, const char *field,
                        const char *text)
{
    add_key(b, group, index, field);
    add_text_line(b, text);
}
