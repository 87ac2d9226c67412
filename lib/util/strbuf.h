/* strbuf.h: a growable text buffer for exports, reports and storage keys. */
#ifndef PSS_STRBUF_H
#define PSS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "util/mem.h"

typedef struct pss__strbuf {
    const pss_allocator *alloc;
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
    int failed; /* an allocation failed: the content is incomplete */
} pss__strbuf;

void pss__strbuf_init(pss__strbuf *b, const pss_allocator *alloc);
void pss__strbuf_free(pss__strbuf *b);
void pss__strbuf_reset(pss__strbuf *b);
/* Room for extra more bytes and a NUL; -1 (and failed set) when the buffer cannot grow. */
int pss__strbuf_reserve(pss__strbuf *b, size_t extra);
void pss__strbuf_add(pss__strbuf *b, const char *s, size_t n);
void pss__strbuf_puts(pss__strbuf *b, const char *s);
void pss__strbuf_printf(pss__strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pss__strbuf_vprintf(pss__strbuf *b, const char *fmt, va_list ap);
/* Pads with spaces until the current line (since the last '\n') is `width` bytes long. */
void pss__strbuf_pad_to(pss__strbuf *b, size_t width);
const char *pss__strbuf_str(const pss__strbuf *b); /* "" when empty */

#endif
