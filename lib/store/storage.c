/* storage.c: checks a host's storage table and wraps its callbacks: transactions, records,
 * claims and audit, each failure turned into a code plus detail on the context. */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

void pss_storage_free(pss_storage *storage)
{
    if (storage && storage->free)
        storage->free(storage->userdata);
}

int pss_ctx_set_storage(pss_ctx *ctx, pss_storage *storage)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    if (!storage)
        return pss__fail(ctx, PSS_EINVAL, "storage is NULL");
    if (storage->version < 1 || storage->version > PSS_STORAGE_VERSION)
        return pss__fail(ctx, PSS_EVERSION,
                         "storage table has version %u; this library knows versions 1 to %u",
                         (unsigned)storage->version, (unsigned)PSS_STORAGE_VERSION);
    if (ctx->in_txn)
        return pss__fail(ctx, PSS_ESTATE, "cannot change the store inside a transaction");
    const struct {
        const void *fn;
        const char *name;
    } required[] = {
        {(const void *)storage->begin, "begin"},       {(const void *)storage->commit, "commit"},
        {(const void *)storage->rollback, "rollback"}, {(const void *)storage->get, "get"},
        {(const void *)storage->put, "put"},           {(const void *)storage->scan, "scan"},
        {(const void *)storage->claim, "claim"},       {(const void *)storage->release, "release"},
        {(const void *)storage->lookup, "lookup"},     {(const void *)storage->append, "append"},
        {(const void *)storage->audit_scan, "audit_scan"},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].fn)
            return pss__fail(ctx, PSS_EINVAL, "storage table has no '%s' callback",
                             required[i].name);
    if (storage->version >= 4 && !storage->check != !storage->check_last)
        return pss__fail(ctx, PSS_EINVAL, "storage table has '%s' without '%s': give both "
                         "or neither", storage->check ? "check" : "check_last",
                         storage->check ? "check_last" : "check");
    ctx->storage = storage;
    return 0;
}

int pss__rev_of(const pss_record *rec, void *arg)
{
    *(uint64_t *)arg = rec->rev;
    return 0;
}

int pss__need_storage(pss_ctx *ctx)
{
    if (!ctx->storage)
        return pss__fail(ctx, PSS_EINVAL, "the context has no store (call pss_ctx_set_storage)");
    return 0;
}

static const char *store_message(pss_ctx *ctx)
{
    const pss_storage *st = ctx->storage;
    const char *msg = st->errmsg ? st->errmsg(st->userdata) : NULL;
    return msg && msg[0] ? msg : "no detail from the store";
}

/* Maps what a callback returned to a library code: the contract's codes stay, anything else
 * (a positive number, an unknown code) is a storage failure. */
static int normalize(int rc)
{
    switch (rc) {
    case PSS_ENOTFOUND: case PSS_ECONFLICT: case PSS_EEXISTS: case PSS_EBUSY:
    case PSS_ENOMEM: case PSS_ESTORAGE: case PSS_ECORRUPT:
        return rc;
    default:
        return PSS_ESTORAGE;
    }
}

/* A conflict lets the call run again, and that run reads what this one checked. */
static void note_conflict(pss_ctx *ctx, int rc)
{
    if (rc == PSS_ECONFLICT)
        ctx->store_conflict = ctx->read_not_check = true;
}

static int store_failure(pss_ctx *ctx, int rc, const char *op, const char *what)
{
    rc = normalize(rc);
    note_conflict(ctx, rc);
    return pss__fail(ctx, rc, "storage %s%s%s failed (%s): %s", op, what[0] ? " of " : "", what,
                     pss_strerror(rc), store_message(ctx));
}

int pss__txn_begin(pss_ctx *ctx, bool write)
{
    int rc = pss__need_storage(ctx);
    if (rc)
        return rc;
    if (ctx->in_txn)
        return pss__fail(ctx, PSS_ESTATE, "a transaction is already open on this context "
                                          "(an observer called back into it?)");
    ctx->store_conflict = false;
    rc = ctx->storage->begin(ctx->storage->userdata, write ? PSS_TXN_WRITE : 0);
    if (rc)
        return store_failure(ctx, rc, "begin", "");
    ctx->in_txn = 1;
    ctx->txn_write = write;
    ctx->checked = ctx->commit_tried = false;
    ctx->txn_reads = ctx->read_not_check; /* the run after a conflict reads */
    ctx->read_not_check = false;
    ctx->n_events = 0;
    pss__log(ctx, PSS_LOG_DEBUG, "begin %s transaction", write ? "write" : "read");
    return 0;
}

void pss__txn_rollback(pss_ctx *ctx)
{
    if (!ctx->in_txn)
        return;
    ctx->in_txn = 0;
    int rc = ctx->storage->rollback(ctx->storage->userdata);
    if (rc)
        pss__log(ctx, PSS_LOG_ERROR, "storage rollback failed: %s", store_message(ctx));
    pss__events_flush(ctx, false);
    pss__log(ctx, PSS_LOG_DEBUG, "rolled back");
}

int pss__txn_commit_only(pss_ctx *ctx)
{
    ctx->commit_tried = true;
    int rc = ctx->storage->commit(ctx->storage->userdata);
    if (rc) {
        int err = store_failure(ctx, rc, "commit", "");
        pss__txn_rollback(ctx);
        return err;
    }
    ctx->in_txn = 0;
    pss__log(ctx, PSS_LOG_DEBUG, "committed");
    return 0;
}

int pss__txn_commit(pss_ctx *ctx)
{
    int rc = pss__txn_commit_only(ctx);
    if (!rc)
        pss__events_flush(ctx, true);
    return rc;
}

int pss__txn_end(pss_ctx *ctx, int rc)
{
    if (rc) {
        pss__txn_rollback(ctx);
        return rc;
    }
    return pss__txn_commit(ctx);
}

/* Keeps apart what the library's callback returned from what the store returned. */
typedef struct trampoline {
    pss_record_fn fn;
    void *arg;
    int fn_rc;
} trampoline;

static int record_trampoline(const pss_record *rec, void *arg)
{
    trampoline *t = arg;
    t->fn_rc = t->fn(rec, t->arg);
    return t->fn_rc;
}

int pss__get(pss_ctx *ctx, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    trampoline t = {fn, arg, 0};
    int rc = ctx->storage->get(ctx->storage->userdata, kind, id, record_trampoline, &t);
    if (t.fn_rc)
        return t.fn_rc;
    if (rc == PSS_ENOTFOUND || rc == 0)
        return rc;
    char what[PSS_KIND_MAX + PSS_RECORD_ID_MAX + 2];
    snprintf(what, sizeof what, "%s %s", kind, id);
    return store_failure(ctx, rc, "get", what);
}

typedef struct decoded_get {
    pss_ctx *ctx;
    pss__decode_fn decode;
    void *out;
} decoded_get;

static int on_decoded(const pss_record *rec, void *arg)
{
    decoded_get *g = arg;
    return g->decode(g->ctx, rec, g->out);
}

int pss__get_decoded(pss_ctx *ctx, const char *kind, const char *id, pss__decode_fn decode,
                     void *out)
{
    decoded_get g = {ctx, decode, out};
    return pss__get(ctx, kind, id, on_decoded, &g);
}

int pss__scan(pss_ctx *ctx, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    trampoline t = {fn, arg, 0};
    int rc = ctx->storage->scan(ctx->storage->userdata, kind, parent, record_trampoline, &t);
    if (t.fn_rc)
        return t.fn_rc;
    if (rc == 0)
        return 0;
    char what[PSS_KIND_MAX + PSS_RECORD_ID_MAX + 16];
    snprintf(what, sizeof what, "%s records of %s", kind, parent);
    return store_failure(ctx, rc, "scan", what);
}

/* A version-1 store has no scan_last: the ids of the last n records seen, in a ring. */
typedef struct id_ring {
    pss_ctx *ctx;
    char (*ids)[PSS_RECORD_ID_MAX + 1];
    size_t n, seen;
} id_ring;

static int on_ring_record(const pss_record *rec, void *arg)
{
    id_ring *r = arg;
    pss__copy_text(r->ids[r->seen++ % r->n], sizeof r->ids[0], rec->id);
    return 0;
}

static int scan_last_by_scan(pss_ctx *ctx, const char *kind, const char *parent, size_t n,
                             pss_record_fn fn, void *arg)
{
    id_ring r = {ctx, PSS_CALLOC(ctx, n, sizeof *r.ids), n, 0};
    if (!r.ids)
        return pss__oom(ctx);
    int rc = pss__scan(ctx, kind, parent, on_ring_record, &r);
    size_t first = r.seen > n ? r.seen - n : 0;
    for (size_t i = first; !rc && i < r.seen; i++) {
        rc = pss__get(ctx, kind, r.ids[i % n], fn, arg);
        if (rc == PSS_ENOTFOUND) /* it was there a moment ago, in this transaction */
            rc = pss__fail(ctx, PSS_ESTORAGE, "storage get of %s %s failed: the store's scan "
                           "passed it, its get does not find it", kind, r.ids[i % n]);
    }
    PSS_FREE(ctx, r.ids);
    return rc;
}

bool pss__store_has_scan_last(const pss_ctx *ctx)
{
    return ctx->storage->version >= 2 && ctx->storage->scan_last;
}

bool pss__store_has_prefetch(const pss_ctx *ctx)
{
    return ctx->storage->version >= 3 && ctx->storage->prefetch;
}

int pss__prefetch(pss_ctx *ctx, const char *kind, const char *key, size_t last)
{
    const pss_storage *st = ctx->storage;
    if (!pss__store_has_prefetch(ctx))
        return 0;
    int rc = st->prefetch(st->userdata, kind, key, last);
    return rc ? store_failure(ctx, rc, "prefetch", key) : 0;
}

bool pss__store_can_check(const pss_ctx *ctx)
{
    const pss_storage *st = ctx->storage;
    return st->version >= 4 && st->check && ctx->in_txn && ctx->txn_write && !ctx->txn_reads;
}

/* What a check answered: 0 and a conflict as they are (the caller reads instead, or the
 * commit fails), anything else a storage failure naming what was checked. */
static int checked(pss_ctx *ctx, int rc, const char *what_fmt, const char *kind,
                   const char *key)
{
    ctx->checked |= rc == 0;
    if (!rc || rc == PSS_ECONFLICT)
        return rc;
    char what[PSS_KIND_MAX + PSS_RECORD_ID_MAX + 12];
    snprintf(what, sizeof what, what_fmt, kind, key);
    return store_failure(ctx, rc, "check", what);
}

int pss__check(pss_ctx *ctx, const char *kind, const char *id, uint64_t rev)
{
    const pss_storage *st = ctx->storage;
    return checked(ctx, st->check(st->userdata, kind, id, rev), "%s %s", kind, id);
}

int pss__check_last(pss_ctx *ctx, const char *kind, const char *parent, const char *id)
{
    const pss_storage *st = ctx->storage;
    return checked(ctx, st->check_last(st->userdata, kind, parent, id), "newest %s of %s", kind,
                   parent);
}

int pss__scan_last(pss_ctx *ctx, const char *kind, const char *parent, size_t n,
                   pss_record_fn fn, void *arg)
{
    const pss_storage *st = ctx->storage;
    if (n == 0)
        return 0;
    if (!pss__store_has_scan_last(ctx))
        return scan_last_by_scan(ctx, kind, parent, n, fn, arg);
    trampoline t = {fn, arg, 0};
    int rc = st->scan_last(st->userdata, kind, parent, n, record_trampoline, &t);
    if (t.fn_rc)
        return t.fn_rc;
    if (rc == 0)
        return 0;
    char what[PSS_KIND_MAX + PSS_RECORD_ID_MAX + 32];
    snprintf(what, sizeof what, "the last %zu %s records of %s", n, kind, parent);
    return store_failure(ctx, rc, "scan", what);
}

typedef struct decoded_scan {
    pss_ctx *ctx;
    pss__decode_fn decode;
    pss__record_list *list;
} decoded_scan;

static int on_scanned(const pss_record *rec, void *arg)
{
    decoded_scan *ds = arg;
    pss__record_list *l = ds->list;
    if (pss__grow(ds->ctx->alloc, &l->items, &l->cap, l->n + 1, l->item_size))
        return pss__oom(ds->ctx);
    int rc = ds->decode(ds->ctx, rec, (char *)l->items + l->n * l->item_size);
    if (!rc)
        l->n++;
    return rc;
}

int pss__scan_decoded(pss_ctx *ctx, const char *kind, const char *parent, pss__decode_fn decode,
                      pss__record_list *list)
{
    decoded_scan ds = {ctx, decode, list};
    return pss__scan(ctx, kind, parent, on_scanned, &ds);
}

int pss__put(pss_ctx *ctx, const char *kind, const char *id, const char *parent,
             const char *payload, size_t len, uint64_t expected_rev, uint64_t *new_rev)
{
    pss_record rec = {kind, id, parent ? parent : "", 0, payload, len};
    uint64_t rev = 0;
    int rc = ctx->storage->put(ctx->storage->userdata, &rec, expected_rev, &rev);
    if (rc == PSS_ECONFLICT) {
        note_conflict(ctx, rc);
        return rc;
    }
    if (rc) {
        char what[PSS_KIND_MAX + PSS_RECORD_ID_MAX + 2];
        snprintf(what, sizeof what, "%s %s", kind, id);
        return store_failure(ctx, rc, "put", what);
    }
    if (rev != (expected_rev ? expected_rev + 1 : 1))
        return pss__fail(ctx, PSS_ECORRUPT,
                         "storage put of %s %s returned revision %llu, expected %llu", kind, id,
                         (unsigned long long)rev,
                         (unsigned long long)(expected_rev ? expected_rev + 1 : 1));
    if (new_rev)
        *new_rev = rev;
    return 0;
}

int pss__claim(pss_ctx *ctx, const char *key, const char *owner, char *holder, size_t size)
{
    if (size)
        holder[0] = '\0';
    int rc = ctx->storage->claim(ctx->storage->userdata, key, owner, holder, size);
    if (rc == 0 || rc == PSS_EEXISTS)
        return rc;
    return store_failure(ctx, rc, "claim", key);
}

int pss__release(pss_ctx *ctx, const char *key, const char *owner)
{
    int rc = ctx->storage->release(ctx->storage->userdata, key, owner);
    if (rc == 0)
        return 0;
    return store_failure(ctx, rc, "release", key);
}

int pss__lookup(pss_ctx *ctx, const char *key, char *holder, size_t size)
{
    if (size)
        holder[0] = '\0';
    int rc = ctx->storage->lookup(ctx->storage->userdata, key, holder, size);
    if (rc == 0 || rc == PSS_ENOTFOUND)
        return rc;
    return store_failure(ctx, rc, "lookup", key);
}

int pss__append(pss_ctx *ctx, const char *subject, const char *payload, size_t len)
{
    uint64_t seq = 0;
    int rc = ctx->storage->append(ctx->storage->userdata, subject, payload, len, &seq);
    if (rc)
        return store_failure(ctx, rc, "append to the audit trail", subject);
    return 0;
}

typedef struct audit_trampoline {
    pss_audit_fn fn;
    void *arg;
    int fn_rc;
} audit_trampoline;

static int audit_bounce(const pss_audit_item *item, void *arg)
{
    audit_trampoline *t = arg;
    t->fn_rc = t->fn(item, t->arg);
    return t->fn_rc;
}

int pss__audit_scan(pss_ctx *ctx, const char *subject, pss_audit_fn fn, void *arg)
{
    audit_trampoline t = {fn, arg, 0};
    int rc = ctx->storage->audit_scan(ctx->storage->userdata, subject, 0, audit_bounce, &t);
    if (t.fn_rc)
        return t.fn_rc;
    if (rc)
        return store_failure(ctx, rc, "audit scan", subject ? subject : "all subjects");
    return 0;
}
