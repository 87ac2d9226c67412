/* text.h: a growable string for the storage tests, to compare what stores hand back. */
#ifndef PSS_TEST_TEXT_H
#define PSS_TEST_TEXT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text {
    char *data; /* "" until something is added; always NUL-terminated */
    size_t len, cap;
} text;

#define TEXT_INIT { (char *)"", 0, 0 }

static inline void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *grown = realloc(t->cap ? t->data : NULL, cap);
        if (!grown) {
            fprintf(stderr, "out of memory\n");
            exit(99);
        }
        if (!t->cap)
            grown[0] = '\0';
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static inline void text_printf(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static inline void text_printf(text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        text_add(t, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        exit(99);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text_add(t, big, (size_t)n);
    free(big);
}

static inline void text_reset(text *t)
{
    t->len = 0;
    if (t->cap)
        t->data[0] = '\0';
}

static inline void text_free(text *t)
{
    if (t->cap)
        free(t->data);
    *t = (text)TEXT_INIT;
}

#endif
