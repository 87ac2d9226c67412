/* pool.c: chunked memory for one order's strings and small arrays (see pool.h for why). */
#include "util/pool.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

/* Big enough for a typical order's strings and arrays in one chunk. */
#define CHUNK_SIZE 1024

struct pss__pool_chunk {
    pss__pool_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

/* `to` is a power of two: a mask, not a division (take runs for every string of an order). */
static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

static pss__pool_chunk *add_chunk(const pss_allocator *a, pss__pool *p, size_t need)
{
    size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
    pss__pool_chunk *c = pss__malloc(a, sizeof *c + cap);
    if (!c)
        return NULL;
    c->next = p->chunks;
    c->used = 0;
    c->cap = cap;
    p->chunks = c;
    return c;
}

/* Strings are packed (align 1); arrays start on a boundary fit for any type. */
static inline void *take(const pss_allocator *a, pss__pool *p, size_t size, size_t align)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    pss__pool_chunk *c = p->chunks;
    size_t at = c ? round_up(c->used, align) : 0;
    if (!c || at > c->cap || c->cap - at < size) {
        if (!(c = add_chunk(a, p, size)))
            return NULL;
        at = 0;
    }
    c->used = at + size;
    return c->data + at;
}

void *pss__pool_calloc(const pss_allocator *a, pss__pool *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *out = take(a, p, n * size, alignof(max_align_t));
    if (out)
        memset(out, 0, n * size);
    return out;
}

char *pss__pool_strdup(const pss_allocator *a, pss__pool *p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *out = take(a, p, n, 1);
    if (out)
        memcpy(out, s, n);
    return out;
}

void pss__pool_free(const pss_allocator *a, pss__pool *p)
{
    while (p->chunks) {
        pss__pool_chunk *next = p->chunks->next;
        pss__free(a, p->chunks);
        p->chunks = next;
    }
}
