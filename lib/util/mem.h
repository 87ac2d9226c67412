/* mem.h: allocation through a pss_allocator (NULL means the C library), used by every part of
 * the library that allocates, so that a host's allocator sees all of it: all but jansson's
 * short-lived trees (a record being read or written, a config's JSON). jansson's hooks
 * (json_set_alloc_funcs) are process-wide: a library setting them would take over the host's
 * own jansson and free with our allocator what the host's malloc gave, so we leave them
 * alone; ctx.h says so to the host. */
#ifndef PSS_MEM_H
#define PSS_MEM_H

#include <stddef.h>
#include "possession/ctx.h"

void *pss__malloc(const pss_allocator *a, size_t size);
void *pss__calloc(const pss_allocator *a, size_t n, size_t size);
void *pss__realloc(const pss_allocator *a, void *p, size_t size);
void pss__free(const pss_allocator *a, void *p);
char *pss__strdup(const pss_allocator *a, const char *s);
char *pss__strndup(const pss_allocator *a, const char *s, size_t n);
/* *dst = a copy of src, or NULL for NULL: 0, or PSS_ENOMEM. */
int pss__strdup_opt(const pss_allocator *a, char **dst, const char *src);
/* Grows *items (of item_size) to hold at least need items; doubles. */
int pss__grow(const pss_allocator *a, void **items, size_t *cap, size_t need, size_t item_size);

#endif
