/* map.h: a string-keyed hash map (open addressing, linear probing) that keeps insertion
 * order for iteration, so that every listing the library makes is deterministic. */
#ifndef PSS_MAP_H
#define PSS_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "util/mem.h"

typedef struct pss__map_entry {
    char *key;    /* owned copy */
    void *value;
} pss__map_entry;

typedef struct pss__map {
    const pss_allocator *alloc;
    pss__map_entry *entries; /* insertion order; removed entries have key == NULL */
    size_t len, cap;        /* entries used (including removed), allocated */
    size_t live;            /* entries not removed */
    uint32_t *index;        /* hash slots: 0 empty, else entry position + 1 */
    size_t slots;           /* power of two */
} pss__map;

void pss__map_init(pss__map *m, const pss_allocator *alloc);
void pss__map_clear(pss__map *m); /* frees keys and tables, not values */
void *pss__map_get(const pss__map *m, const char *key);
/* Inserts or replaces; the key is copied. Returns 0 or PSS_ENOMEM. */
int pss__map_put(pss__map *m, const char *key, void *value);
/* Removes and returns the value (NULL when absent). */
void *pss__map_remove(pss__map *m, const char *key);
size_t pss__map_count(const pss__map *m);
/* Iteration in insertion order: for (size_t i = 0; pss__map_next(m, &i, &e);) */
int pss__map_next(const pss__map *m, size_t *pos, pss__map_entry **entry);

#endif
