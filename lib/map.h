/* map.h: a string-keyed hash map (open addressing, linear probing) that keeps insertion
 * order for iteration, so that every listing the library makes is deterministic. */
#ifndef PSS_MAP_H
#define PSS_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "mem.h"

typedef struct pss_map_entry {
    char *key;    /* owned copy */
    void *value;
} pss_map_entry;

typedef struct pss_map {
    const pss_allocator *alloc;
    pss_map_entry *entries; /* insertion order; removed entries have key == NULL */
    size_t len, cap;        /* entries used (including removed), allocated */
    size_t live;            /* entries not removed */
    uint32_t *index;        /* hash slots: 0 empty, else entry position + 1 */
    size_t slots;           /* power of two */
} pss_map;

void pss_map_init(pss_map *m, const pss_allocator *alloc);
void pss_map_clear(pss_map *m); /* frees keys and tables, not values */
void *pss_map_get(const pss_map *m, const char *key);
/* Inserts or replaces; the key is copied. Returns 0 or PSS_ENOMEM. */
int pss_map_put(pss_map *m, const char *key, void *value);
/* Removes and returns the value (NULL when absent). */
void *pss_map_remove(pss_map *m, const char *key);
size_t pss_map_count(const pss_map *m);
/* Iteration in insertion order: for (size_t i = 0; pss_map_next(m, &i, &e);) */
int pss_map_next(const pss_map *m, size_t *pos, pss_map_entry **entry);

#endif
