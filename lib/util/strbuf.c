/* strbuf.c: growable text buffer. */
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

void pss__strbuf_init(pss__strbuf *b, const pss_allocator *alloc)
{
    memset(b, 0, sizeof *b);
    b->alloc = alloc;
}

void pss__strbuf_free(pss__strbuf *b)
{
    pss__free(b->alloc, b->data);
    pss__strbuf_init(b, b->alloc);
}

void pss__strbuf_reset(pss__strbuf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

int pss__strbuf_reserve(pss__strbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (pss__grow(b->alloc, (void **)&b->data, &b->cap, b->len + extra + 1, 1) != 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

void pss__strbuf_add(pss__strbuf *b, const char *s, size_t n)
{
    if (pss__strbuf_reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pss__strbuf_puts(pss__strbuf *b, const char *s)
{
    pss__strbuf_add(b, s, strlen(s));
}

void pss__strbuf_vprintf(pss__strbuf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || pss__strbuf_reserve(b, (size_t)n) != 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void pss__strbuf_printf(pss__strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pss__strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void pss__strbuf_pad_to(pss__strbuf *b, size_t width)
{
    size_t start = b->len;
    while (start > 0 && b->data[start - 1] != '\n')
        start--;
    while (b->len - start < width && !b->failed)
        pss__strbuf_add(b, " ", 1);
}

const char *pss__strbuf_str(const pss__strbuf *b)
{
    return b->data ? b->data : "";
}
