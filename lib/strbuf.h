/* strbuf.h: a growable text buffer for exports, reports and storage keys. */
#ifndef PSS_STRBUF_H
#define PSS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "mem.h"

typedef struct pss_strbuf {
    const pss_allocator *alloc;
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
    int failed; /* an allocation failed: the content is incomplete */
} pss_strbuf;

void pss_strbuf_init(pss_strbuf *b, const pss_allocator *alloc);
void pss_strbuf_free(pss_strbuf *b);
void pss_strbuf_reset(pss_strbuf *b);
/* Room for extra more bytes and a NUL; -1 (and failed set) when the buffer cannot grow. */
int pss_strbuf_reserve(pss_strbuf *b, size_t extra);
void pss_strbuf_add(pss_strbuf *b, const char *s, size_t n);
void pss_strbuf_puts(pss_strbuf *b, const char *s);
void pss_strbuf_printf(pss_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pss_strbuf_vprintf(pss_strbuf *b, const char *fmt, va_list ap);
/* Pads with spaces until the current line (since the last '\n') is `width` bytes long. */
void pss_strbuf_pad_to(pss_strbuf *b, size_t width);
const char *pss_strbuf_str(const pss_strbuf *b); /* "" when empty */

#endif
