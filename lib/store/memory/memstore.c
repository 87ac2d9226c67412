/* memstore.c: the in-memory store. It owns the records (a hash table by kind+id and, for scans,
 * one list per kind+parent in creation order), the claims, the audit trail, the undo log that
 * makes rollback exact, the recursive mutex that serializes transactions between contexts and
 * threads, and pss_memstore_dump(). */
#include "util/hash.h"
#include "base/id.h"
#include "base/internal.h"
#include "util/strbuf.h"
#include "base/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------
 * A hash table of pointers (open addressing, linear probing). Beside each slot sits a 16-bit
 * tag from the element's hash, so a probe only dereferences an element whose tag matches:
 * with a million records, each dereference is a cache miss. Tables never shrink: whatever a
 * transaction removed, its rollback can put back without allocating. */

typedef uint32_t (*hash_fn)(const void *elem);
typedef int (*match_fn)(const void *elem, const void *key);

typedef struct ptable {
    void **slots;
    uint16_t *tags;
    size_t mask; /* slot count - 1 */
    size_t count;
    hash_fn hash_of;
} ptable;

/* Spread: the low bits pick the slot, bits 16-31 the tag. */
static uint32_t hash_pair(const char *a, const char *b)
{
    uint64_t h = pss__hash_text(PSS_HASH_SEED, a, strlen(a));
    if (b)
        h = pss__hash_text(h, b, strlen(b));
    return (uint32_t)pss__hash_spread(h);
}

static uint32_t hash_packed(const char *kind, const unsigned char *id)
{
    uint64_t h = pss__hash_text(PSS_HASH_SEED, kind, strlen(kind));
    return (uint32_t)pss__hash_spread(pss__hash_text(h, (const char *)id, PSS__ID_BYTES));
}

static uint16_t tag_of(uint32_t hash)
{
    return (uint16_t)(hash >> 16);
}

static size_t table_slots(const ptable *t)
{
    return t->slots ? t->mask + 1 : 0;
}

static void **table_find(const ptable *t, uint32_t hash, match_fn match, const void *key)
{
    if (!t->slots)
        return NULL;
    uint16_t tag = tag_of(hash);
    for (size_t i = hash & t->mask; t->slots[i]; i = (i + 1) & t->mask)
        if (t->tags[i] == tag && match(t->slots[i], key))
            return &t->slots[i];
    return NULL;
}

/* Needs room reserved and the key absent. */
static void table_place_hashed(ptable *t, void *elem, uint32_t hash)
{
    size_t i = hash & t->mask;
    while (t->slots[i])
        i = (i + 1) & t->mask;
    t->slots[i] = elem;
    t->tags[i] = tag_of(hash);
    t->count++;
}

static void table_place(ptable *t, void *elem)
{
    table_place_hashed(t, elem, t->hash_of(elem));
}

/* Makes room for `need` elements at a load of at most 3/4. */
static int table_reserve(ptable *t, size_t need)
{
    size_t old = table_slots(t);
    if (need <= old / 4 * 3)
        return 0;
    size_t next = old ? old : 16;
    while (need > next / 4 * 3) {
        if (next > SIZE_MAX / 2 / sizeof(void *))
            return PSS_ENOMEM;
        next *= 2;
    }
    ptable grown = {calloc(next, sizeof(void *)), malloc(next * sizeof(uint16_t)), next - 1, 0,
                    t->hash_of};
    if (!grown.slots || !grown.tags) {
        free(grown.slots);
        free(grown.tags);
        return PSS_ENOMEM;
    }
    for (size_t i = 0; i < old; i++)
        if (t->slots[i])
            table_place(&grown, t->slots[i]);
    free(t->slots);
    free(t->tags);
    *t = grown;
    return 0;
}

/* Backward-shift deletion: no tombstones, so lookups stay short after rollbacks. */
static void table_remove(ptable *t, void **slot)
{
    size_t hole = (size_t)(slot - t->slots);
    for (size_t j = (hole + 1) & t->mask; t->slots[j]; j = (j + 1) & t->mask) {
        size_t home = t->hash_of(t->slots[j]) & t->mask;
        int home_in_range = hole < j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!home_in_range) {
            t->slots[hole] = t->slots[j];
            t->tags[hole] = t->tags[j];
            hole = j;
        }
    }
    t->slots[hole] = NULL;
    t->count--;
}

static void **table_find_elem(const ptable *t, const void *elem)
{
    if (!t->slots)
        return NULL;
    for (size_t i = t->hash_of(elem) & t->mask; t->slots[i]; i = (i + 1) & t->mask)
        if (t->slots[i] == elem)
            return &t->slots[i];
    return NULL;
}

static void table_free(ptable *t, void (*free_elem)(void *))
{
    for (size_t i = 0; i < table_slots(t); i++)
        if (t->slots[i])
            free_elem(t->slots[i]);
    free(t->slots);
    free(t->tags);
}

/* ------------------------------------------------------------------------------------------
 * What the store holds. A record is one allocation: the header, the id and the payload. Its
 * kind and parent live once in its group, which a million orders of one session share. */

typedef struct group group;

typedef struct record {
    uint32_t pos;         /* index in group->items: updates replace it in O(1) */
    uint32_t len_form;    /* the payload's length, and ID_PACKED */
    uint64_t rev;
    uint64_t created;     /* creation number: the order of group->items */
    group *group;         /* the (kind, parent) list holding the record */
    char id[];            /* id NUL payload NUL, or the id's 16 bytes and payload NUL */
} record;

/* The id is a UUID in canonical form, kept as its 16 bytes: 21 bytes less than its text,
 * which takes a stored order from 384 bytes of heap to 352 (bench/README.md). */
#define ID_PACKED 0x80000000u
#define PAYLOAD_MAX (ID_PACKED - 1)

struct group {
    uint32_t hash;        /* of (kind, parent) */
    record **items;       /* sorted by created */
    size_t len, cap;
    const char *parent;   /* points into kind[] */
    char kind[];          /* kind NUL parent NUL */
};

typedef struct claim {
    uint32_t hash;        /* of key */
    const char *owner;    /* points into key[] */
    char key[];           /* key NUL owner NUL */
} claim;

typedef struct audit_entry {
    uint64_t seq;
    size_t payload_len;
    const char *payload;  /* points into subject[] */
    char subject[];       /* subject NUL payload NUL */
} audit_entry;

typedef struct name_pair {
    const char *kind, *name;
} name_pair;

static bool id_packed(const record *r)
{
    return r->len_form & ID_PACKED;
}

static size_t payload_len(const record *r)
{
    return r->len_form & PAYLOAD_MAX;
}

static const char *record_payload(const record *r)
{
    return r->id + (id_packed(r) ? PSS__ID_BYTES : strlen(r->id) + 1);
}

/* The record's id as text: in buf when it is kept packed. */
static const char *record_id(const record *r, char buf[PSS_ID_SIZE])
{
    if (!id_packed(r))
        return r->id;
    pss__id_unpack((const unsigned char *)r->id, buf);
    return buf;
}

/* Recomputed, not stored: four bytes less on each of millions of records, and only growing
 * the table and removing from it need it. */
static uint32_t record_hash(const void *elem)
{
    const record *r = elem;
    return id_packed(r) ? hash_packed(r->group->kind, (const unsigned char *)r->id)
                        : hash_pair(r->group->kind, r->id);
}

static uint32_t group_hash(const void *elem)
{
    return ((const group *)elem)->hash;
}

static uint32_t claim_hash(const void *elem)
{
    return ((const claim *)elem)->hash;
}

/* A record looked up: its kind and id, and the id's bytes when it is kept packed. */
typedef struct record_key {
    const char *kind, *id;
    bool packed;
    unsigned char bytes[PSS__ID_BYTES];
} record_key;

/* The key of a record lookup, and its hash: over the id's 16 bytes when it is kept packed,
 * which spares a rehash of the table unpacking every id. */
static uint32_t record_key_init(record_key *k, const char *kind, const char *id)
{
    k->kind = kind;
    k->id = id;
    k->packed = pss__id_pack(id, k->bytes);
    return k->packed ? hash_packed(kind, k->bytes) : hash_pair(kind, id);
}

static int match_record(const void *elem, const void *key)
{
    const record *r = elem;
    const record_key *k = key;
    if (id_packed(r) != k->packed)
        return 0;
    bool same = k->packed ? memcmp(r->id, k->bytes, PSS__ID_BYTES) == 0 : strcmp(r->id, k->id) == 0;
    return same && strcmp(r->group->kind, k->kind) == 0;
}

static int match_group(const void *elem, const void *key)
{
    const group *g = elem;
    const name_pair *k = key;
    return strcmp(g->parent, k->name) == 0 && strcmp(g->kind, k->kind) == 0;
}

static int match_claim(const void *elem, const void *key)
{
    return strcmp(((const claim *)elem)->key, key) == 0;
}

/* ------------------------------------------------------------------------------------------
 * The undo log: one entry per change of the open transaction, undone in reverse order. */

typedef enum undo_kind {
    UNDO_CREATE,  /* now: record created */
    UNDO_UPDATE,  /* now: new record, before: the replaced one (freed at commit) */
    UNDO_GROUP,   /* now: group created */
    UNDO_CLAIM,   /* now: claim taken */
    UNDO_RELEASE, /* before: claim released (freed at commit) */
    UNDO_APPEND   /* now: audit entry appended */
} undo_kind;

typedef struct undo {
    undo_kind kind;
    void *now, *before;
} undo;

typedef struct memstore {
    pss_storage vtable;     /* first: the table handed out is the store itself */
    pthread_mutex_t lock;   /* recursive: taken by begin until commit/rollback, and by every
                               call around itself */
    int in_txn;
    ptable records, groups, claims;
    audit_entry **audit;
    size_t n_audit, cap_audit;
    uint64_t next_seq, next_created;
    undo *undo;
    size_t n_undo, cap_undo;
} memstore;

/* Per thread, so a message cannot change under a reader while another thread fails. */
static _Thread_local char last_error[256];

static int fail(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

static int oom(void)
{
    return fail(PSS_ENOMEM, "memstore: out of memory");
}

static void enter(memstore *m)
{
    pthread_mutex_lock(&m->lock);
}

static void leave(memstore *m)
{
    pthread_mutex_unlock(&m->lock);
}

static int undo_reserve(memstore *m, size_t more)
{
    if (!m->in_txn)
        return 0;
    if (pss__grow(NULL, (void **)&m->undo, &m->cap_undo, m->n_undo + more, sizeof *m->undo))
        return oom();
    return 0;
}

/* Room was reserved with undo_reserve(). Outside a transaction there is nothing to undo. */
static void undo_push(memstore *m, undo_kind kind, void *now, void *before)
{
    if (m->in_txn)
        m->undo[m->n_undo++] = (undo){kind, now, before};
}

/* ------------------------------------------------------------------------------------------
 * Groups: the records of one (kind, parent), sorted by creation number. */

static size_t group_lower_bound(const group *g, uint64_t created)
{
    size_t lo = 0, hi = g->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->items[mid]->created < created)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int group_reserve(group *g, size_t need)
{
    if (need > UINT32_MAX || pss__grow(NULL, (void **)&g->items, &g->cap, need, sizeof *g->items))
        return oom();
    return 0;
}

/* Renumbers from `from` on, after items moved. */
static void group_number(group *g, size_t from)
{
    for (size_t i = from; i < g->len; i++)
        g->items[i]->pos = (uint32_t)i;
}

/* Needs room reserved (or known to be there: a rollback only refills what it emptied). New
 * records go at the end in O(1); only a record moved from another parent is inserted inside. */
static void group_insert(group *g, record *r)
{
    size_t at = g->len;
    if (at > 0 && g->items[at - 1]->created > r->created)
        at = group_lower_bound(g, r->created);
    memmove(&g->items[at + 1], &g->items[at], (g->len - at) * sizeof *g->items);
    g->items[at] = r;
    g->len++;
    r->group = g;
    group_number(g, at);
}

static void group_remove(group *g, const record *r)
{
    size_t at = r->pos;
    memmove(&g->items[at], &g->items[at + 1], (g->len - at - 1) * sizeof *g->items);
    g->len--;
    group_number(g, at);
}

static void group_replace(group *g, const record *old, record *now)
{
    g->items[old->pos] = now;
    now->pos = old->pos;
    now->group = g;
}

static group *group_new(uint32_t hash, const char *kind, const char *parent)
{
    size_t klen = strlen(kind), plen = strlen(parent);
    group *g = calloc(1, sizeof *g + klen + plen + 2);
    if (!g)
        return NULL;
    g->hash = hash;
    memcpy(g->kind, kind, klen + 1);
    memcpy(g->kind + klen + 1, parent, plen + 1);
    g->parent = g->kind + klen + 1;
    return g;
}

/* Finds or creates the group of (kind, parent), with room for one more record. */
static int group_for(memstore *m, const char *kind, const char *parent, group **out)
{
    name_pair key = {kind, parent};
    uint32_t hash = hash_pair(kind, parent);
    void **slot = table_find(&m->groups, hash, match_group, &key);
    group *g = slot ? *slot : NULL;
    if (!g) {
        if (table_reserve(&m->groups, m->groups.count + 1) || !(g = group_new(hash, kind, parent)))
            return oom();
        table_place(&m->groups, g);
        undo_push(m, UNDO_GROUP, g, NULL);
    }
    *out = g;
    return group_reserve(g, g->len + 1);
}

static void group_free(group *g)
{
    free(g->items);
    free(g);
}

/* ------------------------------------------------------------------------------------------
 * Records. */

static record *record_new(const record_key *k, const char *payload, size_t len)
{
    size_t idlen = k->packed ? PSS__ID_BYTES : strlen(k->id) + 1;
    record *r = malloc(sizeof *r + idlen + len + 1);
    if (!r)
        return NULL;
    r->len_form = (uint32_t)len | (k->packed ? ID_PACKED : 0);
    memcpy(r->id, k->packed ? (const char *)k->bytes : k->id, idlen);
    if (len)
        memcpy(r->id + idlen, payload, len);
    r->id[idlen + len] = '\0';
    return r;
}

static record *record_find(const memstore *m, uint32_t hash, const record_key *key,
                           void ***slot_out)
{
    void **slot = table_find(&m->records, hash, match_record, key);
    if (slot_out)
        *slot_out = slot;
    return slot ? *slot : NULL;
}

/* The record as the contract passes it; buf holds the id's text while the view is used. */
static void record_view(const record *r, pss_record *view, char buf[PSS_ID_SIZE])
{
    view->kind = r->group->kind;
    view->id = record_id(r, buf);
    view->parent = r->group->parent;
    view->rev = r->rev;
    view->payload = record_payload(r);
    view->payload_len = payload_len(r);
}

static int record_create(memstore *m, uint32_t hash, const record_key *key, const pss_record *in,
                         const char *parent, uint64_t *rev)
{
    group *g;
    if (table_reserve(&m->records, m->records.count + 1))
        return oom();
    int rc = group_for(m, in->kind, parent, &g);
    if (rc)
        return rc;
    record *r = record_new(key, in->payload, in->payload_len);
    if (!r)
        return oom();
    r->rev = 1;
    r->created = m->next_created++;
    group_insert(g, r); /* first: the table hashes the kind through the group */
    table_place_hashed(&m->records, r, hash);
    undo_push(m, UNDO_CREATE, r, NULL);
    *rev = 1;
    return 0;
}

static int record_update(memstore *m, void **slot, const record_key *key, const pss_record *in,
                         const char *parent, uint64_t *rev)
{
    record *old = *slot;
    group *g = old->group;
    if (strcmp(g->parent, parent) != 0) {
        int rc = group_for(m, in->kind, parent, &g);
        if (rc)
            return rc;
    }
    record *r = record_new(key, in->payload, in->payload_len);
    if (!r)
        return oom();
    r->rev = old->rev + 1;
    r->created = old->created;
    *slot = r;
    if (g == old->group) {
        group_replace(g, old, r);
    } else {
        group_remove(old->group, old);
        group_insert(g, r);
    }
    if (m->in_txn)
        undo_push(m, UNDO_UPDATE, r, old);
    else
        free(old);
    *rev = r->rev;
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Undo, commit and rollback. */

static void undo_create(memstore *m, record *r)
{
    table_remove(&m->records, table_find_elem(&m->records, r));
    group_remove(r->group, r);
    m->next_created = r->created;
    free(r);
}

static void undo_update(memstore *m, record *now, record *before)
{
    *table_find_elem(&m->records, now) = before;
    group *old_group = before->group;
    if (now->group == old_group) {
        group_replace(old_group, now, before);
    } else {
        group_remove(now->group, now);
        group_insert(old_group, before); /* the group had room for it before */
    }
    free(now);
}

static void undo_group(memstore *m, group *g)
{
    table_remove(&m->groups, table_find_elem(&m->groups, g));
    group_free(g);
}

static void undo_claim(memstore *m, claim *c)
{
    table_remove(&m->claims, table_find_elem(&m->claims, c));
    free(c);
}

static void undo_append(memstore *m, audit_entry *e)
{
    m->n_audit--;
    m->next_seq = e->seq;
    free(e);
}

static void undo_one(memstore *m, const undo *u)
{
    switch (u->kind) {
    case UNDO_CREATE: undo_create(m, u->now); break;
    case UNDO_UPDATE: undo_update(m, u->now, u->before); break;
    case UNDO_GROUP: undo_group(m, u->now); break;
    case UNDO_CLAIM: undo_claim(m, u->now); break;
    case UNDO_RELEASE: table_place(&m->claims, u->before); break; /* the table never shrank */
    case UNDO_APPEND: undo_append(m, u->now); break;
    }
}

/* Frees what the log kept only so that a rollback could restore it. */
static void forget_undo(memstore *m)
{
    for (size_t i = 0; i < m->n_undo; i++)
        if (m->undo[i].kind == UNDO_UPDATE || m->undo[i].kind == UNDO_RELEASE)
            free(m->undo[i].before);
    m->n_undo = 0;
}

static int ms_begin(void *userdata, unsigned flags)
{
    memstore *m = userdata;
    (void)flags; /* every transaction is serialized, readers too: one mutex is enough here */
    enter(m);
    if (m->in_txn) { /* the lock is recursive: this very thread holds the open transaction */
        leave(m);
        /* Not PSS_EBUSY: waiting cannot help, this thread itself would have to end it. */
        return fail(PSS_ESTORAGE, "memstore: a transaction is already open on this thread "
                                  "(two contexts sharing the store on one thread?)");
    }
    m->in_txn = 1;
    m->n_undo = 0;
    return 0;
}

/* Leaves both the call's own lock and the one begin took. */
static int end_txn(memstore *m, int undo_changes)
{
    enter(m);
    if (!m->in_txn) {
        leave(m);
        return fail(PSS_EINVAL, "memstore: no transaction is open");
    }
    if (undo_changes) {
        for (size_t i = m->n_undo; i-- > 0;)
            undo_one(m, &m->undo[i]);
        m->n_undo = 0;
    } else {
        forget_undo(m);
    }
    m->in_txn = 0;
    leave(m);
    leave(m);
    return 0;
}

static int ms_commit(void *userdata)
{
    return end_txn(userdata, 0);
}

static int ms_rollback(void *userdata)
{
    return end_txn(userdata, 1);
}

/* ------------------------------------------------------------------------------------------
 * Record callbacks. */

static int get_locked(memstore *m, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    if (!kind || !id || !fn)
        return fail(PSS_EINVAL, "memstore get: kind, id or callback is NULL");
    record_key key;
    const record *r = record_find(m, record_key_init(&key, kind, id), &key, NULL);
    if (!r)
        return PSS_ENOTFOUND;
    pss_record view;
    char buf[PSS_ID_SIZE];
    record_view(r, &view, buf);
    return fn(&view, arg);
}

static int ms_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    memstore *m = userdata;
    enter(m);
    int rc = get_locked(m, kind, id, fn, arg);
    leave(m);
    return rc;
}

static int check_record(const pss_record *in)
{
    if (!in || !in->kind || !in->id || (!in->payload && in->payload_len))
        return fail(PSS_EINVAL, "memstore put: record, kind, id or payload is NULL");
    if (in->payload_len > PAYLOAD_MAX)
        return fail(PSS_EINVAL, "memstore put of %s %s: payload of %zu bytes is too large",
                    in->kind, in->id, in->payload_len);
    return 0;
}

static int put_locked(memstore *m, const pss_record *in, uint64_t expected_rev, uint64_t *new_rev)
{
    int rc = check_record(in);
    if (rc)
        return rc;
    void **slot;
    record_key key;
    uint32_t hash = record_key_init(&key, in->kind, in->id);
    const record *r = record_find(m, hash, &key, &slot);
    if (expected_rev == 0 && r)
        return fail(PSS_ECONFLICT, "memstore put of %s %s: it exists (revision %llu)", in->kind,
                    in->id, (unsigned long long)r->rev);
    if (expected_rev != 0 && (!r || r->rev != expected_rev))
        return fail(PSS_ECONFLICT, "memstore put of %s %s: revision %llu expected, %s%llu",
                    in->kind, in->id, (unsigned long long)expected_rev,
                    r ? "stored " : "no record ", (unsigned long long)(r ? r->rev : 0));
    if ((rc = undo_reserve(m, 2))) /* a group and the record */
        return rc;
    uint64_t rev = 0;
    const char *parent = in->parent ? in->parent : "";
    rc = r ? record_update(m, slot, &key, in, parent, &rev)
           : record_create(m, hash, &key, in, parent, &rev);
    if (!rc && new_rev)
        *new_rev = rev;
    return rc;
}

static int ms_put(void *userdata, const pss_record *in, uint64_t expected_rev, uint64_t *new_rev)
{
    memstore *m = userdata;
    enter(m);
    int rc = put_locked(m, in, expected_rev, new_rev);
    leave(m);
    return rc;
}

static int scan_locked(memstore *m, const char *kind, const char *parent, pss_record_fn fn,
                       void *arg)
{
    if (!kind || !parent || !fn)
        return fail(PSS_EINVAL, "memstore scan: kind, parent or callback is NULL");
    name_pair key = {kind, parent};
    void **slot = table_find(&m->groups, hash_pair(kind, parent), match_group, &key);
    const group *g = slot ? *slot : NULL;
    /* By index, re-reading items: fn may put (and so grow or refill) this very group. */
    for (size_t i = 0; g && i < g->len; i++) {
        pss_record view;
        char buf[PSS_ID_SIZE];
        record_view(g->items[i], &view, buf);
        int rc = fn(&view, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* The last n of a group: what a session's running totals replay (storage.h). */
static int scan_last_locked(memstore *m, const char *kind, const char *parent, size_t n,
                            pss_record_fn fn, void *arg)
{
    if (!kind || !parent || !fn)
        return fail(PSS_EINVAL, "memstore scan_last: kind, parent or callback is NULL");
    name_pair key = {kind, parent};
    void **slot = table_find(&m->groups, hash_pair(kind, parent), match_group, &key);
    const group *g = slot ? *slot : NULL;
    for (size_t i = g && g->len > n ? g->len - n : 0; g && i < g->len; i++) {
        pss_record view;
        char buf[PSS_ID_SIZE];
        record_view(g->items[i], &view, buf);
        int rc = fn(&view, arg);
        if (rc)
            return rc;
    }
    return 0;
}

static int ms_scan_last(void *userdata, const char *kind, const char *parent, size_t n,
                        pss_record_fn fn, void *arg)
{
    memstore *m = userdata;
    enter(m);
    int rc = scan_last_locked(m, kind, parent, n, fn, arg);
    leave(m);
    return rc;
}

static int ms_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                   void *arg)
{
    memstore *m = userdata;
    enter(m);
    int rc = scan_locked(m, kind, parent, fn, arg);
    leave(m);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Claims. */

static void copy_holder(char *holder, size_t size, const char *owner)
{
    if (holder) /* the contract lets a caller pass no buffer */
        pss__copy_text(holder, size, owner);
}

static claim *claim_new(const char *key, const char *owner)
{
    size_t klen = strlen(key), olen = strlen(owner);
    claim *c = malloc(sizeof *c + klen + olen + 2);
    if (!c)
        return NULL;
    c->hash = hash_pair(key, NULL);
    memcpy(c->key, key, klen + 1);
    memcpy(c->key + klen + 1, owner, olen + 1);
    c->owner = c->key + klen + 1;
    return c;
}

static claim *claim_find(const memstore *m, const char *key, void ***slot_out)
{
    void **slot = table_find(&m->claims, hash_pair(key, NULL), match_claim, key);
    if (slot_out)
        *slot_out = slot;
    return slot ? *slot : NULL;
}

static int claim_locked(memstore *m, const char *key, const char *owner, char *holder,
                        size_t size)
{
    if (!key || !owner)
        return fail(PSS_EINVAL, "memstore claim: key or owner is NULL");
    const claim *held = claim_find(m, key, NULL);
    if (held && strcmp(held->owner, owner) == 0)
        return 0;
    if (held) {
        copy_holder(holder, size, held->owner);
        return fail(PSS_EEXISTS, "memstore claim of %s: held by %s", key, held->owner);
    }
    claim *c;
    if (undo_reserve(m, 1) || table_reserve(&m->claims, m->claims.count + 1) ||
        !(c = claim_new(key, owner)))
        return oom();
    table_place(&m->claims, c);
    undo_push(m, UNDO_CLAIM, c, NULL);
    return 0;
}

static int ms_claim(void *userdata, const char *key, const char *owner, char *holder,
                    size_t holder_size)
{
    memstore *m = userdata;
    enter(m);
    int rc = claim_locked(m, key, owner, holder, holder_size);
    leave(m);
    return rc;
}

static int release_locked(memstore *m, const char *key, const char *owner)
{
    if (!key || !owner)
        return fail(PSS_EINVAL, "memstore release: key or owner is NULL");
    void **slot;
    claim *c = claim_find(m, key, &slot);
    if (!c)
        return fail(PSS_ENOTFOUND, "memstore release of %s: nobody holds it", key);
    if (strcmp(c->owner, owner) != 0)
        return fail(PSS_ECONFLICT, "memstore release of %s by %s: held by %s", key, owner,
                    c->owner);
    if (undo_reserve(m, 1))
        return oom();
    table_remove(&m->claims, slot);
    if (m->in_txn)
        undo_push(m, UNDO_RELEASE, NULL, c);
    else
        free(c);
    return 0;
}

static int ms_release(void *userdata, const char *key, const char *owner)
{
    memstore *m = userdata;
    enter(m);
    int rc = release_locked(m, key, owner);
    leave(m);
    return rc;
}

static int ms_lookup(void *userdata, const char *key, char *holder, size_t holder_size)
{
    memstore *m = userdata;
    if (!key)
        return fail(PSS_EINVAL, "memstore lookup: key is NULL");
    enter(m);
    const claim *c = claim_find(m, key, NULL);
    if (c)
        copy_holder(holder, holder_size, c->owner);
    leave(m);
    return c ? 0 : PSS_ENOTFOUND;
}

/* ------------------------------------------------------------------------------------------
 * The audit trail: a vector in sequence order. */

static audit_entry *audit_new(uint64_t seq, const char *subject, const char *payload, size_t len)
{
    size_t slen = strlen(subject);
    audit_entry *e = malloc(sizeof *e + slen + 1 + len + 1);
    if (!e)
        return NULL;
    e->seq = seq;
    e->payload_len = len;
    memcpy(e->subject, subject, slen + 1);
    char *p = e->subject + slen + 1;
    if (len)
        memcpy(p, payload, len);
    p[len] = '\0';
    e->payload = p;
    return e;
}

static int append_locked(memstore *m, const char *subject, const char *payload, size_t len,
                         uint64_t *seq)
{
    if (!subject || (!payload && len))
        return fail(PSS_EINVAL, "memstore append: subject or payload is NULL");
    audit_entry *e;
    if (undo_reserve(m, 1) ||
        pss__grow(NULL, (void **)&m->audit, &m->cap_audit, m->n_audit + 1, sizeof *m->audit) ||
        !(e = audit_new(m->next_seq, subject, payload, len)))
        return oom();
    m->next_seq++;
    m->audit[m->n_audit++] = e;
    undo_push(m, UNDO_APPEND, e, NULL);
    if (seq)
        *seq = e->seq;
    return 0;
}

static int ms_append(void *userdata, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    memstore *m = userdata;
    enter(m);
    int rc = append_locked(m, subject, payload, len, seq);
    leave(m);
    return rc;
}

static size_t audit_first_after(const memstore *m, uint64_t after_seq)
{
    size_t lo = 0, hi = m->n_audit;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->audit[mid]->seq <= after_seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int audit_scan_locked(memstore *m, const char *subject, uint64_t after_seq,
                             pss_audit_fn fn, void *arg)
{
    if (!fn)
        return fail(PSS_EINVAL, "memstore audit_scan: callback is NULL");
    for (size_t i = audit_first_after(m, after_seq); i < m->n_audit; i++) {
        const audit_entry *e = m->audit[i];
        if (subject && strcmp(subject, e->subject) != 0)
            continue;
        pss_audit_item item = {e->seq, e->subject, e->payload, e->payload_len};
        int rc = fn(&item, arg);
        if (rc)
            return rc;
    }
    return 0;
}

static int ms_audit_scan(void *userdata, const char *subject, uint64_t after_seq,
                         pss_audit_fn fn, void *arg)
{
    memstore *m = userdata;
    enter(m);
    int rc = audit_scan_locked(m, subject, after_seq, fn, arg);
    leave(m);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Life cycle. */

static const char *ms_errmsg(void *userdata)
{
    (void)userdata;
    return last_error[0] ? last_error : NULL;
}

static void group_free_any(void *g)
{
    group_free(g);
}

static void ms_free(void *userdata)
{
    memstore *m = userdata;
    if (!m)
        return;
    forget_undo(m); /* an open transaction's replaced records live only in the log */
    free(m->undo);
    table_free(&m->records, free);
    table_free(&m->groups, group_free_any);
    table_free(&m->claims, free);
    for (size_t i = 0; i < m->n_audit; i++)
        free(m->audit[i]);
    free(m->audit);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static int init_lock(pthread_mutex_t *lock)
{
    pthread_mutexattr_t attr;
    if (pthread_mutexattr_init(&attr))
        return PSS_ENOMEM;
    int rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) ||
             pthread_mutex_init(lock, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc ? PSS_ENOMEM : 0;
}

int pss_memstore_new(pss_storage **out)
{
    if (!out)
        return PSS_EINVAL;
    *out = NULL;
    memstore *m = calloc(1, sizeof *m);
    if (!m)
        return PSS_ENOMEM;
    if (init_lock(&m->lock)) {
        free(m);
        return PSS_ENOMEM;
    }
    m->next_seq = 1;
    m->records.hash_of = record_hash;
    m->groups.hash_of = group_hash;
    m->claims.hash_of = claim_hash;
    pss_storage table = PSS_STORAGE_INIT;
    table.userdata = m;
    table.begin = ms_begin;
    table.commit = ms_commit;
    table.rollback = ms_rollback;
    table.get = ms_get;
    table.put = ms_put;
    table.scan = ms_scan;
    table.scan_last = ms_scan_last;
    table.claim = ms_claim;
    table.release = ms_release;
    table.lookup = ms_lookup;
    table.append = ms_append;
    table.audit_scan = ms_audit_scan;
    table.errmsg = ms_errmsg;
    table.free = ms_free;
    m->vtable = table;
    *out = &m->vtable;
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * The dump: records sorted by (kind, id), then claims sorted by key, then the audit trail in
 * sequence order; tab-separated fields, escaped so that every item is exactly one line. */

static void put_escaped(pss__strbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': pss__strbuf_add(b, "\\\\", 2); break;
        case '\t': pss__strbuf_add(b, "\\t", 2); break;
        case '\n': pss__strbuf_add(b, "\\n", 2); break;
        case '\r': pss__strbuf_add(b, "\\r", 2); break;
        default:
            if (c < 0x20 || c == 0x7f)
                pss__strbuf_printf(b, "\\x%02x", c);
            else
                pss__strbuf_add(b, (const char *)&s[i], 1);
        }
    }
}

static void put_field(pss__strbuf *b, const char *s)
{
    pss__strbuf_add(b, "\t", 1);
    put_escaped(b, s, strlen(s));
}

/* Sends the line and empties the buffer. */
static int flush_line(pss__strbuf *b, pss_write_fn fn, void *userdata)
{
    pss__strbuf_add(b, "\n", 1);
    if (b->failed)
        return PSS_ENOMEM;
    int rc = fn(userdata, b->data, b->len) ? PSS_EIO : 0;
    pss__strbuf_reset(b);
    return rc;
}

static int compare_records(const void *a, const void *b)
{
    const record *x = *(record *const *)a, *y = *(record *const *)b;
    int c = strcmp(x->group->kind, y->group->kind);
    char bx[PSS_ID_SIZE], by[PSS_ID_SIZE];
    return c ? c : strcmp(record_id(x, bx), record_id(y, by));
}

static int compare_claims(const void *a, const void *b)
{
    return strcmp((*(claim *const *)a)->key, (*(claim *const *)b)->key);
}

/* The table's elements, sorted; NULL for an empty table, or with *rc set when out of memory. */
static void **sorted_elements(const ptable *t, int (*cmp)(const void *, const void *), int *rc)
{
    *rc = 0;
    if (t->count == 0)
        return NULL;
    void **all = malloc(t->count * sizeof *all);
    if (!all) {
        *rc = PSS_ENOMEM;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < table_slots(t); i++)
        if (t->slots[i])
            all[n++] = t->slots[i];
    qsort(all, n, sizeof *all, cmp);
    return all;
}

static int dump_records(const memstore *m, pss__strbuf *b, pss_write_fn fn, void *userdata)
{
    int rc;
    record **all = (record **)sorted_elements(&m->records, compare_records, &rc);
    for (size_t i = 0; !rc && i < m->records.count; i++) {
        const record *r = all[i];
        pss__strbuf_puts(b, "record");
        put_field(b, r->group->kind);
        char buf[PSS_ID_SIZE];
        put_field(b, record_id(r, buf));
        put_field(b, r->group->parent);
        pss__strbuf_printf(b, "\t%llu\t", (unsigned long long)r->rev);
        put_escaped(b, record_payload(r), payload_len(r));
        rc = flush_line(b, fn, userdata);
    }
    free(all);
    return rc;
}

static int dump_claims(const memstore *m, pss__strbuf *b, pss_write_fn fn, void *userdata)
{
    int rc;
    claim **all = (claim **)sorted_elements(&m->claims, compare_claims, &rc);
    for (size_t i = 0; !rc && i < m->claims.count; i++) {
        pss__strbuf_puts(b, "claim");
        put_field(b, all[i]->key);
        put_field(b, all[i]->owner);
        rc = flush_line(b, fn, userdata);
    }
    free(all);
    return rc;
}

static int dump_audit(const memstore *m, pss__strbuf *b, pss_write_fn fn, void *userdata)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < m->n_audit; i++) {
        const audit_entry *e = m->audit[i];
        pss__strbuf_printf(b, "audit\t%llu", (unsigned long long)e->seq);
        put_field(b, e->subject);
        pss__strbuf_add(b, "\t", 1);
        put_escaped(b, e->payload, e->payload_len);
        rc = flush_line(b, fn, userdata);
    }
    return rc;
}

int pss_memstore_dump(pss_storage *storage, pss_write_fn fn, void *userdata)
{
    /* Only a table made by pss_memstore_new() frees itself with ms_free. */
    if (!storage || !fn || storage->free != ms_free || storage->userdata != (void *)storage)
        return PSS_EINVAL;
    memstore *m = storage->userdata;
    pss__strbuf b;
    pss__strbuf_init(&b, NULL);
    enter(m);
    int rc = dump_records(m, &b, fn, userdata);
    if (!rc)
        rc = dump_claims(m, &b, fn, userdata);
    if (!rc)
        rc = dump_audit(m, &b, fn, userdata);
    leave(m);
    pss__strbuf_free(&b);
    return rc;
}
