/* store_copy.c: the copy-on-write overlay store (see store_copy.h). Records keep the base's
 * creation order, new ones follow in theirs; released claims are tombstones; audit entries
 * continue the base's sequence. A transaction snapshots the overlay at begin and holds a read
 * transaction on the base until it ends. */
#include <stdlib.h>
#include <string.h>

#include "store_copy.h"

typedef struct ov_rec {
    char *kind, *id, *parent, *payload;
    size_t len;
    uint64_t rev, order;
    int in_base;
} ov_rec;

typedef struct ov_claim {
    char *key, *owner;       /* owner NULL: released */
} ov_claim;

typedef struct ov_audit {
    uint64_t seq;
    char *subject, *payload;
    size_t len;
} ov_audit;

typedef struct ov_state {
    ov_rec *r;
    size_t nr;
    ov_claim *c;
    size_t nc;
    ov_audit *a;
    size_t na;
    uint64_t next_order, next_seq;
} ov_state;

typedef struct overlay {
    pss_storage table;
    pss_storage *base;
    ov_state now, saved;
    int in_txn, base_txn;
} overlay;

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *dup0(const char *s)
{
    return s ? dupn(s, strlen(s)) : NULL;
}

static void state_free(ov_state *st)
{
    for (size_t i = 0; i < st->nr; i++)
        free(st->r[i].kind), free(st->r[i].id), free(st->r[i].parent), free(st->r[i].payload);
    for (size_t i = 0; i < st->nc; i++)
        free(st->c[i].key), free(st->c[i].owner);
    for (size_t i = 0; i < st->na; i++)
        free(st->a[i].subject), free(st->a[i].payload);
    free(st->r), free(st->c), free(st->a);
    memset(st, 0, sizeof *st);
}

static int state_copy(ov_state *d, const ov_state *s)
{
    memset(d, 0, sizeof *d);
    d->next_order = s->next_order;
    d->next_seq = s->next_seq;
    d->r = calloc(s->nr + 1, sizeof *d->r);
    d->c = calloc(s->nc + 1, sizeof *d->c);
    d->a = calloc(s->na + 1, sizeof *d->a);
    if (!d->r || !d->c || !d->a)
        return PSS_ENOMEM;
    for (size_t i = 0; i < s->nr; i++, d->nr++) {
        const ov_rec *r = &s->r[i];
        d->r[i] = (ov_rec){dup0(r->kind), dup0(r->id), dup0(r->parent), dupn(r->payload, r->len),
                           r->len, r->rev, r->order, r->in_base};
    }
    for (size_t i = 0; i < s->nc; i++, d->nc++)
        d->c[i] = (ov_claim){dup0(s->c[i].key), dup0(s->c[i].owner)};
    for (size_t i = 0; i < s->na; i++, d->na++)
        d->a[i] = (ov_audit){s->a[i].seq, dup0(s->a[i].subject),
                             dupn(s->a[i].payload, s->a[i].len), s->a[i].len};
    return 0;
}

static int base_begin(overlay *o)
{
    if (o->base_txn)
        return 0;
    int rc = o->base->begin(o->base->userdata, 0);
    o->base_txn = rc == 0;
    return rc;
}

static void base_end(overlay *o)
{
    if (o->base_txn)
        o->base->rollback(o->base->userdata);
    o->base_txn = 0;
}

static int ov_begin(void *ud, unsigned flags)
{
    overlay *o = ud;
    (void)flags;
    if (o->in_txn)
        return PSS_ESTORAGE;
    int rc = state_copy(&o->saved, &o->now);
    if (!rc)
        rc = base_begin(o);
    if (rc) {
        state_free(&o->saved);
        return rc;
    }
    o->in_txn = 1;
    return 0;
}

static int ov_commit(void *ud)
{
    overlay *o = ud;
    state_free(&o->saved);
    base_end(o);
    o->in_txn = 0;
    return 0;
}

static int ov_rollback(void *ud)
{
    overlay *o = ud;
    if (o->in_txn) {
        state_free(&o->now);
        o->now = o->saved;
        memset(&o->saved, 0, sizeof o->saved);
    }
    base_end(o);
    o->in_txn = 0;
    return 0;
}

/* Runs a base read inside a base transaction (the overlay's, or one of its own). */
#define BASE_READ(o, call)                                                                 \
    do {                                                                                   \
        int own_ = !(o)->base_txn;                                                         \
        if (own_ && base_begin(o))                                                         \
            return PSS_ESTORAGE;                                                           \
        int rc_ = (call);                                                                  \
        if (own_)                                                                          \
            base_end(o);                                                                   \
        return rc_;                                                                        \
    } while (0)

static ov_rec *find_rec(ov_state *st, const char *kind, const char *id)
{
    for (size_t i = 0; i < st->nr; i++)
        if (strcmp(st->r[i].kind, kind) == 0 && strcmp(st->r[i].id, id) == 0)
            return &st->r[i];
    return NULL;
}

static int pass_rec(const ov_rec *r, pss_record_fn fn, void *arg)
{
    pss_record rec = {r->kind, r->id, r->parent, r->rev, r->payload, r->len};
    return fn(&rec, arg);
}

static int ov_get(void *ud, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    overlay *o = ud;
    ov_rec *r = find_rec(&o->now, kind, id);
    if (r)
        return pass_rec(r, fn, arg);
    BASE_READ(o, o->base->get(o->base->userdata, kind, id, fn, arg));
}

typedef struct rev_probe {
    uint64_t rev;
} rev_probe;

static int probe_rev(const pss_record *rec, void *arg)
{
    ((rev_probe *)arg)->rev = rec->rev;
    return 0;
}

static int base_rev(overlay *o, const char *kind, const char *id, uint64_t *rev)
{
    rev_probe p = {0};
    int rc;
    int own = !o->base_txn;
    if (own && base_begin(o))
        return PSS_ESTORAGE;
    rc = o->base->get(o->base->userdata, kind, id, probe_rev, &p);
    if (own)
        base_end(o);
    *rev = p.rev;
    return rc == PSS_ENOTFOUND ? 0 : rc;
}

static int set_rec(ov_rec *r, const pss_record *rec, uint64_t rev)
{
    char *payload = dupn(rec->payload, rec->payload_len), *parent = dup0(rec->parent);
    if (!payload || !parent) {
        free(payload), free(parent);
        return PSS_ENOMEM;
    }
    free(r->payload), free(r->parent);
    r->payload = payload;
    r->parent = parent;
    r->len = rec->payload_len;
    r->rev = rev;
    return 0;
}

static ov_rec *add_rec(ov_state *st, const pss_record *rec, int in_base)
{
    ov_rec *grown = realloc(st->r, (st->nr + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    st->r = grown;
    ov_rec *r = &st->r[st->nr];
    memset(r, 0, sizeof *r);
    r->kind = dup0(rec->kind);
    r->id = dup0(rec->id);
    r->in_base = in_base;
    r->order = st->next_order++;
    if (!r->kind || !r->id) {
        free(r->kind), free(r->id);
        return NULL;
    }
    st->nr++;
    return r;
}

static int ov_put(void *ud, const pss_record *rec, uint64_t expected_rev, uint64_t *new_rev)
{
    overlay *o = ud;
    ov_rec *r = find_rec(&o->now, rec->kind, rec->id);
    uint64_t cur = 0;
    int rc = r ? 0 : base_rev(o, rec->kind, rec->id, &cur);
    if (rc)
        return rc;
    if (r)
        cur = r->rev;
    if (cur != expected_rev)
        return PSS_ECONFLICT;
    if (!r && !(r = add_rec(&o->now, rec, cur != 0)))
        return PSS_ENOMEM;
    uint64_t rev = expected_rev ? expected_rev + 1 : 1;
    if ((rc = set_rec(r, rec, rev)) != 0)
        return rc;
    if (new_rev)
        *new_rev = rev;
    return 0;
}

typedef struct scan_wrap {
    overlay *o;
    const char *parent;
    pss_record_fn fn;
    void *arg;
} scan_wrap;

static int scan_one(const pss_record *rec, void *arg)
{
    scan_wrap *w = arg;
    ov_rec *r = find_rec(&w->o->now, rec->kind, rec->id);
    if (!r)
        return w->fn(rec, w->arg);
    return strcmp(r->parent, w->parent) == 0 ? pass_rec(r, w->fn, w->arg) : 0;
}

static int base_scan(overlay *o, const char *kind, const char *parent, scan_wrap *w)
{
    BASE_READ(o, o->base->scan(o->base->userdata, kind, parent, scan_one, w));
}

static int ov_scan(void *ud, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    overlay *o = ud;
    scan_wrap w = {o, parent, fn, arg};
    int rc = base_scan(o, kind, parent, &w);
    if (rc)
        return rc;
    for (size_t i = 0; i < o->now.nr; i++) {
        ov_rec *r = &o->now.r[i];
        if (r->in_base || strcmp(r->kind, kind) != 0 || strcmp(r->parent, parent) != 0)
            continue;
        if ((rc = pass_rec(r, fn, arg)) != 0)
            return rc;
    }
    return 0;
}

static ov_claim *find_claim(ov_state *st, const char *key)
{
    for (size_t i = 0; i < st->nc; i++)
        if (strcmp(st->c[i].key, key) == 0)
            return &st->c[i];
    return NULL;
}

static int put_claim(ov_state *st, const char *key, const char *owner)
{
    ov_claim *c = find_claim(st, key);
    if (!c) {
        ov_claim *grown = realloc(st->c, (st->nc + 1) * sizeof *grown);
        if (!grown)
            return PSS_ENOMEM;
        st->c = grown;
        c = &st->c[st->nc++];
        c->key = dup0(key);
        c->owner = NULL;
    }
    free(c->owner);
    c->owner = dup0(owner);
    return 0;
}

static void copy_holder(char *holder, size_t size, const char *owner)
{
    if (holder && size) {
        strncpy(holder, owner, size - 1);
        holder[size - 1] = '\0';
    }
}

/* Who holds key: 0 with the owner (in buf), or PSS_ENOTFOUND. */
static int holder_of(overlay *o, const char *key, char *buf, size_t size)
{
    ov_claim *c = find_claim(&o->now, key);
    if (c) {
        if (!c->owner)
            return PSS_ENOTFOUND;
        copy_holder(buf, size, c->owner);
        return 0;
    }
    BASE_READ(o, o->base->lookup(o->base->userdata, key, buf, size));
}

static int ov_claim_key(void *ud, const char *key, const char *owner, char *holder,
                        size_t holder_size)
{
    overlay *o = ud;
    char cur[512];
    int rc = holder_of(o, key, cur, sizeof cur);
    if (rc == PSS_ENOTFOUND)
        return put_claim(&o->now, key, owner);
    if (rc)
        return rc;
    if (strcmp(cur, owner) == 0)
        return 0;
    copy_holder(holder, holder_size, cur);
    return PSS_EEXISTS;
}

static int ov_release(void *ud, const char *key, const char *owner)
{
    overlay *o = ud;
    char cur[512];
    int rc = holder_of(o, key, cur, sizeof cur);
    if (rc)
        return rc;
    if (strcmp(cur, owner) != 0)
        return PSS_ECONFLICT;
    return put_claim(&o->now, key, NULL);
}

static int ov_lookup(void *ud, const char *key, char *holder, size_t holder_size)
{
    return holder_of(ud, key, holder, holder_size);
}

static int ov_append(void *ud, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    overlay *o = ud;
    ov_state *st = &o->now;
    ov_audit *grown = realloc(st->a, (st->na + 1) * sizeof *grown);
    if (!grown)
        return PSS_ENOMEM;
    st->a = grown;
    ov_audit *a = &st->a[st->na];
    a->seq = st->next_seq++;
    a->subject = dup0(subject);
    a->payload = dupn(payload, len);
    a->len = len;
    if (!a->subject || !a->payload) {
        free(a->subject), free(a->payload);
        return PSS_ENOMEM;
    }
    st->na++;
    if (seq)
        *seq = a->seq;
    return 0;
}

static int base_audit(overlay *o, const char *subject, uint64_t after, pss_audit_fn fn,
                      void *arg)
{
    BASE_READ(o, o->base->audit_scan(o->base->userdata, subject, after, fn, arg));
}

static int ov_audit_scan(void *ud, const char *subject, uint64_t after, pss_audit_fn fn,
                         void *arg)
{
    overlay *o = ud;
    int rc = base_audit(o, subject, after, fn, arg);
    for (size_t i = 0; !rc && i < o->now.na; i++) {
        ov_audit *a = &o->now.a[i];
        if (a->seq <= after || (subject && strcmp(subject, a->subject) != 0))
            continue;
        pss_audit_item item = {a->seq, a->subject, a->payload, a->len};
        rc = fn(&item, arg);
    }
    return rc;
}

static int max_seq(const pss_audit_item *item, void *arg)
{
    uint64_t *m = arg;
    if (item->seq > *m)
        *m = item->seq;
    return 0;
}

static void ov_free(void *ud)
{
    overlay *o = ud;
    base_end(o);
    state_free(&o->now);
    state_free(&o->saved);
    free(o);
}

pss_storage *store_copy_new(pss_storage *base)
{
    overlay *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->base = base;
    uint64_t last = 0;
    if (base_begin(o) == 0) {
        base->audit_scan(base->userdata, NULL, 0, max_seq, &last);
        base_end(o);
    }
    o->now.next_seq = last + 1;
    pss_storage init = PSS_STORAGE_INIT;
    o->table = init;
    o->table.userdata = o;
    o->table.begin = ov_begin;
    o->table.commit = ov_commit;
    o->table.rollback = ov_rollback;
    o->table.get = ov_get;
    o->table.put = ov_put;
    o->table.scan = ov_scan;
    o->table.claim = ov_claim_key;
    o->table.release = ov_release;
    o->table.lookup = ov_lookup;
    o->table.append = ov_append;
    o->table.audit_scan = ov_audit_scan;
    o->table.free = ov_free;
    return &o->table;
}

void store_copy_free(pss_storage *s)
{
    if (s)
        ov_free(s->userdata);
}

size_t store_copy_size(const pss_storage *s)
{
    const overlay *o = s->userdata;
    return o->now.nr + o->now.nc + o->now.na;
}
