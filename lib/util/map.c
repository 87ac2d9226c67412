/* map.c: string-keyed hash map with insertion-ordered iteration. */
#include "util/map.h"

#include <string.h>

#include "util/hash.h"

/* The word hash: the running-total keys of every order are looked up here. */
static uint64_t key_hash(const char *s)
{
    return pss__hash_spread(pss__hash_text(PSS_HASH_SEED, s, strlen(s)));
}

void pss__map_init(pss__map *m, const pss_allocator *alloc)
{
    memset(m, 0, sizeof *m);
    m->alloc = alloc;
}

void pss__map_clear(pss__map *m)
{
    for (size_t i = 0; i < m->len; i++)
        pss__free(m->alloc, m->entries[i].key);
    pss__free(m->alloc, m->entries);
    pss__free(m->alloc, m->index);
    pss__map_init(m, m->alloc);
}

static size_t slot_of(const pss__map *m, const char *key, int *found)
{
    size_t mask = m->slots - 1;
    size_t s = (size_t)key_hash(key) & mask;
    for (;;) {
        uint32_t at = m->index[s];
        if (at == 0) {
            *found = 0;
            return s;
        }
        const char *k = m->entries[at - 1].key;
        if (k && strcmp(k, key) == 0) {
            *found = 1;
            return s;
        }
        s = (s + 1) & mask;
    }
}

void *pss__map_get(const pss__map *m, const char *key)
{
    if (m->live == 0)
        return NULL;
    int found;
    size_t s = slot_of(m, key, &found);
    return found ? m->entries[m->index[s] - 1].value : NULL;
}

/* Rebuilds the entry list without removed entries and the index at a size fitting `need`. */
static int rehash(pss__map *m, size_t need)
{
    size_t slots = 16;
    while (slots < need * 2)
        slots *= 2;
    uint32_t *index = pss__calloc(m->alloc, slots, sizeof *index);
    if (!index)
        return PSS_ENOMEM;
    size_t kept = 0;
    for (size_t i = 0; i < m->len; i++)
        if (m->entries[i].key)
            m->entries[kept++] = m->entries[i];
    m->len = kept;
    pss__free(m->alloc, m->index);
    m->index = index;
    m->slots = slots;
    for (size_t i = 0; i < m->len; i++) {
        int found;
        size_t s = slot_of(m, m->entries[i].key, &found);
        m->index[s] = (uint32_t)(i + 1);
    }
    return 0;
}

int pss__map_put(pss__map *m, const char *key, void *value)
{
    if (m->slots) {
        int found;
        size_t s = slot_of(m, key, &found);
        if (found) {
            m->entries[m->index[s] - 1].value = value;
            return 0;
        }
    }
    if ((m->len + 1) * 2 > m->slots) {
        int rc = rehash(m, m->live + 1);
        if (rc)
            return rc;
    }
    int rc = pss__grow(m->alloc, (void **)&m->entries, &m->cap, m->len + 1, sizeof *m->entries);
    if (rc)
        return rc;
    char *copy = pss__strdup(m->alloc, key);
    if (!copy)
        return PSS_ENOMEM;
    int found;
    size_t s = slot_of(m, key, &found);
    m->entries[m->len].key = copy;
    m->entries[m->len].value = value;
    m->len++;
    m->live++;
    m->index[s] = (uint32_t)m->len;
    return 0;
}

void *pss__map_remove(pss__map *m, const char *key)
{
    if (m->live == 0)
        return NULL;
    int found;
    size_t s = slot_of(m, key, &found);
    if (!found)
        return NULL;
    pss__map_entry *e = &m->entries[m->index[s] - 1];
    void *value = e->value;
    pss__free(m->alloc, e->key);
    e->key = NULL;
    e->value = NULL;
    m->live--;
    /* The slot keeps pointing at the emptied entry: lookups skip it and the next rehash
     * (on growth) drops it, so removal stays O(1). */
    return value;
}

size_t pss__map_count(const pss__map *m)
{
    return m->live;
}

int pss__map_next(const pss__map *m, size_t *pos, pss__map_entry **entry)
{
    while (*pos < m->len) {
        pss__map_entry *e = &m->entries[(*pos)++];
        if (e->key) {
            *entry = e;
            return 1;
        }
    }
    return 0;
}
