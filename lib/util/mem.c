/* mem.c: allocation helpers over a pss_allocator (NULL means the C library's). */
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *pss__malloc(const pss_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return a ? a->malloc(a->userdata, size) : malloc(size);
}

void *pss__calloc(const pss_allocator *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = pss__malloc(a, n * size);
    if (p)
        memset(p, 0, (n * size) != 0 ? n * size : 1);
    return p;
}

void *pss__realloc(const pss_allocator *a, void *p, size_t size)
{
    if (size == 0)
        size = 1;
    return a ? a->realloc(a->userdata, p, size) : realloc(p, size);
}

void pss__free(const pss_allocator *a, void *p)
{
    if (!p)
        return;
    if (a)
        a->free(a->userdata, p);
    else
        free(p);
}

char *pss__strndup(const pss_allocator *a, const char *s, size_t n)
{
    char *copy = pss__malloc(a, n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

char *pss__strdup(const pss_allocator *a, const char *s)
{
    return s ? pss__strndup(a, s, strlen(s)) : NULL;
}

int pss__strdup_opt(const pss_allocator *a, char **dst, const char *src)
{
    *dst = pss__strdup(a, src);
    return src && !*dst ? PSS_ENOMEM : 0;
}

int pss__grow(const pss_allocator *a, void **items, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return 0;
    size_t next = *cap ? *cap : 8;
    while (next < need) {
        if (next > SIZE_MAX / 2)
            return PSS_ENOMEM;
        next *= 2;
    }
    if (next > SIZE_MAX / item_size)
        return PSS_ENOMEM;
    void *grown = pss__realloc(a, *items, next * item_size);
    if (!grown)
        return PSS_ENOMEM;
    *items = grown;
    *cap = next;
    return 0;
}
