/* pool.h: the memory of one order's strings and small arrays (names, tax snapshots, posting
 * groups), carved from chunks that are freed together with the order. A paid order of three
 * lines held about thirty separate allocations; making and freeing each was a tenth of
 * recording the order (bench/README.md). Nothing in a pool is freed on its own: what a change
 * drops (a removed line's names) stays until the order is freed, and a change works on a
 * fresh copy of the order anyway. */
#ifndef PSS_POOL_H
#define PSS_POOL_H

#include <stddef.h>
#include "util/mem.h"

typedef struct pss__pool_chunk pss__pool_chunk;

typedef struct pss__pool {
    pss__pool_chunk *chunks; /* newest first; allocations come from the newest */
} pss__pool;

/* Zeroed room for n items of size bytes, aligned for any type; NULL when out of memory. */
void *pss__pool_calloc(const pss_allocator *a, pss__pool *p, size_t n, size_t size);
/* A copy of s (NULL stays NULL: check s before reading a NULL result as a failure). */
char *pss__pool_strdup(const pss_allocator *a, pss__pool *p, const char *s);
void pss__pool_free(const pss_allocator *a, pss__pool *p);

#endif
