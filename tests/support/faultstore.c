/* faultstore.c: the fault-injecting storage wrapper (see faultstore.h). Each callback counts
 * itself, fails when its number comes up, and otherwise forwards to the inner store. Only the
 * public headers and the C library: every test can link this file. */
#include "faultstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct faultstore {
    pss_storage vtable; /* first: the table handed out is the wrapper itself */
    pss_storage *inner;
    long calls;
    long fail_at;       /* number of the call to fail; 0: none */
    int fired;
    int last_injected;  /* the latest failure was ours, not the inner store's */
    char message[128];
    char conflict_kind[33]; /* puts of this kind answer PSS_ECONFLICT ... */
    int conflicts;          /* ... this many more times */
} faultstore;

/* Counts a call; 1 when this is the one to fail. */
static int tick(faultstore *f, const char *name)
{
    f->calls++;
    if (f->fail_at == 0 || f->calls != f->fail_at)
        return 0;
    f->fail_at = 0;
    f->fired = 1;
    f->last_injected = 1;
    snprintf(f->message, sizeof f->message, "injected failure at call %ld (%s)", f->calls, name);
    return 1;
}

/* Passes on what the inner store returned, remembering that the latest failure is its own. */
static int forwarded(faultstore *f, int rc)
{
    if (rc < 0)
        f->last_injected = 0;
    return rc;
}

#define INNER(f) ((f)->inner)
#define CALL(f, cb, ...) forwarded((f), INNER(f)->cb(INNER(f)->userdata, __VA_ARGS__))

static int fs_begin(void *ud, unsigned flags)
{
    faultstore *f = ud;
    return tick(f, "begin") ? PSS_ESTORAGE : CALL(f, begin, flags);
}

static int fs_commit(void *ud)
{
    faultstore *f = ud;
    if (tick(f, "commit"))
        return PSS_ESTORAGE;
    return forwarded(f, INNER(f)->commit(INNER(f)->userdata));
}

/* Always undoes the inner transaction: a rollback that kept changes would break the contract
 * the fault injection is meant to test. */
static int fs_rollback(void *ud)
{
    faultstore *f = ud;
    int inject = tick(f, "rollback");
    int rc = forwarded(f, INNER(f)->rollback(INNER(f)->userdata));
    if (inject)
        f->last_injected = 1;
    return inject ? PSS_ESTORAGE : rc;
}

static int fs_get(void *ud, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    faultstore *f = ud;
    return tick(f, "get") ? PSS_ESTORAGE : CALL(f, get, kind, id, fn, arg);
}

/* A put that loses to another writer, as a database store reports a serialization failure. */
static int conflicted(faultstore *f, const pss_record *record)
{
    if (f->conflicts == 0 || !record || strcmp(record->kind, f->conflict_kind) != 0)
        return 0;
    f->conflicts--;
    f->last_injected = 1;
    snprintf(f->message, sizeof f->message, "injected conflict on the put of %s %s",
             record->kind, record->id);
    return 1;
}

static int fs_put(void *ud, const pss_record *record, uint64_t expected_rev, uint64_t *new_rev)
{
    faultstore *f = ud;
    if (tick(f, "put"))
        return PSS_ESTORAGE;
    return conflicted(f, record) ? PSS_ECONFLICT : CALL(f, put, record, expected_rev, new_rev);
}

static int fs_scan(void *ud, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    faultstore *f = ud;
    return tick(f, "scan") ? PSS_ESTORAGE : CALL(f, scan, kind, parent, fn, arg);
}

static int fs_claim(void *ud, const char *key, const char *owner, char *holder, size_t size)
{
    faultstore *f = ud;
    return tick(f, "claim") ? PSS_ESTORAGE : CALL(f, claim, key, owner, holder, size);
}

static int fs_release(void *ud, const char *key, const char *owner)
{
    faultstore *f = ud;
    return tick(f, "release") ? PSS_ESTORAGE : CALL(f, release, key, owner);
}

static int fs_lookup(void *ud, const char *key, char *holder, size_t size)
{
    faultstore *f = ud;
    return tick(f, "lookup") ? PSS_ESTORAGE : CALL(f, lookup, key, holder, size);
}

static int fs_append(void *ud, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    faultstore *f = ud;
    return tick(f, "append") ? PSS_ESTORAGE : CALL(f, append, subject, payload, len, seq);
}

static int fs_audit_scan(void *ud, const char *subject, uint64_t after_seq, pss_audit_fn fn,
                         void *arg)
{
    faultstore *f = ud;
    return tick(f, "audit_scan") ? PSS_ESTORAGE
                                 : CALL(f, audit_scan, subject, after_seq, fn, arg);
}

static const char *fs_errmsg(void *ud)
{
    faultstore *f = ud;
    if (f->last_injected)
        return f->message;
    return INNER(f)->errmsg ? INNER(f)->errmsg(INNER(f)->userdata) : NULL;
}

static void fs_free(void *ud)
{
    free(ud); /* the inner store belongs to the caller */
}

int faultstore_new(pss_storage *inner, pss_storage **out)
{
    if (!out)
        return PSS_EINVAL;
    *out = NULL;
    if (!inner)
        return PSS_EINVAL;
    faultstore *f = calloc(1, sizeof *f);
    if (!f)
        return PSS_ENOMEM;
    f->inner = inner;
    pss_storage t = PSS_STORAGE_INIT;
    t.userdata = f;
    t.begin = fs_begin;
    t.commit = fs_commit;
    t.rollback = fs_rollback;
    t.get = fs_get;
    t.put = fs_put;
    t.scan = fs_scan;
    t.claim = fs_claim;
    t.release = fs_release;
    t.lookup = fs_lookup;
    t.append = fs_append;
    t.audit_scan = fs_audit_scan;
    t.errmsg = fs_errmsg;
    t.free = fs_free;
    f->vtable = t;
    *out = &f->vtable;
    return 0;
}

void faultstore_arm(pss_storage *fs, long nth)
{
    if (!fs)
        return;
    faultstore *f = fs->userdata;
    f->fail_at = nth > 0 ? f->calls + nth : 0;
    f->fired = 0;
}

void faultstore_conflict_puts(pss_storage *fs, const char *kind, int times)
{
    if (!fs)
        return;
    faultstore *f = fs->userdata;
    snprintf(f->conflict_kind, sizeof f->conflict_kind, "%s", kind);
    f->conflicts = times;
}

int faultstore_conflicts_left(const pss_storage *fs)
{
    return fs ? ((const faultstore *)fs->userdata)->conflicts : 0;
}

long faultstore_calls(const pss_storage *fs)
{
    return fs ? ((const faultstore *)fs->userdata)->calls : 0;
}

int faultstore_fired(const pss_storage *fs)
{
    return fs ? ((const faultstore *)fs->userdata)->fired : 0;
}

pss_storage *faultstore_inner(const pss_storage *fs)
{
    return fs ? ((const faultstore *)fs->userdata)->inner : NULL;
}
