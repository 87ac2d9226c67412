/* checkstore.c: the wrapper whose checks are answered at commit (see checkstore.h). A check
 * is verified when it is made, as a server verifies it when its statement runs, before the
 * transaction's later writes (the inner store serializes transactions, so it still holds at
 * commit); what it found waits for the commit. */
#include "checkstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pending {
    char kind[64], key[128], last[128];
    uint64_t rev;
    int is_last; /* a check_last: last is the id expected newest under key */
} pending;

typedef struct checkstore {
    pss_storage vtable; /* first: the table handed out is the wrapper itself */
    pss_storage *inner;
    int in_write;
    int n_checks;
    int broken;         /* the first broken check's result, kept for the commit */
    char broken_message[512];
    checkstore_counts counts;
    char message[512];
    int own_message;
} checkstore;

#define INNER(c) ((c)->inner)
#define CALL(c, cb, ...) (INNER(c)->cb(INNER(c)->userdata, __VA_ARGS__))

static int cs_begin(void *ud, unsigned flags)
{
    checkstore *c = ud;
    c->own_message = 0;
    int rc = CALL(c, begin, flags);
    c->in_write = !rc && (flags & PSS_TXN_WRITE);
    c->n_checks = c->broken = 0;
    return rc;
}

static int rev_of(const pss_record *r, void *arg)
{
    *(uint64_t *)arg = r->rev;
    return 0;
}

static int id_of(const pss_record *r, void *arg)
{
    snprintf(arg, 128, "%s", r->id);
    return 0;
}

/* 0 when the check holds, else PSS_ECONFLICT with the message set. */
static int verify(checkstore *c, const pending *p)
{
    if (p->is_last) {
        char newest[128] = "";
        int rc = CALL(c, scan_last, p->kind, p->key, 1, id_of, newest);
        if (rc)
            return rc;
        if (!strcmp(newest, p->last))
            return 0;
        snprintf(c->message, sizeof c->message, "check broken: the newest %s under %s is '%s', "
                 "not '%s'", p->kind, p->key, newest, p->last);
    } else {
        uint64_t rev = 0;
        int rc = CALL(c, get, p->kind, p->key, rev_of, &rev);
        if (rc && rc != PSS_ENOTFOUND)
            return rc;
        if (rev == p->rev)
            return 0;
        snprintf(c->message, sizeof c->message, "check broken: %s %s is at revision %llu, not "
                 "%llu", p->kind, p->key, (unsigned long long)rev, (unsigned long long)p->rev);
    }
    return PSS_ECONFLICT;
}

static int cs_commit(void *ud)
{
    checkstore *c = ud;
    int rc = c->broken;
    c->n_checks = c->broken = 0;
    c->in_write = 0;
    if (rc) {
        c->counts.broken_commits++;
        memcpy(c->message, c->broken_message, sizeof c->message);
        c->own_message = 1;
        INNER(c)->rollback(INNER(c)->userdata);
        return rc;
    }
    return INNER(c)->commit(INNER(c)->userdata);
}

static int cs_rollback(void *ud)
{
    checkstore *c = ud;
    c->n_checks = c->broken = 0;
    c->in_write = 0;
    return INNER(c)->rollback(INNER(c)->userdata);
}

/* Verifies a check now; a broken one is kept for the commit (the first only). */
static int make_check(checkstore *c, pending *p)
{
    if (!c->in_write)
        return PSS_EINVAL;
    c->n_checks++;
    c->counts.checks++;
    int rc = verify(c, p);
    c->own_message = 0;
    if (rc == PSS_ECONFLICT && !c->broken) {
        c->broken = rc;
        memcpy(c->broken_message, c->message, sizeof c->message);
    }
    return rc == PSS_ECONFLICT ? 0 : rc;
}

static int cs_check(void *ud, const char *kind, const char *id, uint64_t rev)
{
    checkstore *c = ud;
    if (!kind || !id)
        return PSS_EINVAL;
    pending p;
    memset(&p, 0, sizeof p);
    snprintf(p.kind, sizeof p.kind, "%s", kind);
    snprintf(p.key, sizeof p.key, "%s", id);
    p.rev = rev;
    return make_check(c, &p);
}

static int cs_check_last(void *ud, const char *kind, const char *parent, const char *id)
{
    checkstore *c = ud;
    if (!kind || !parent || !id)
        return PSS_EINVAL;
    pending p;
    memset(&p, 0, sizeof p);
    snprintf(p.kind, sizeof p.kind, "%s", kind);
    snprintf(p.key, sizeof p.key, "%s", parent);
    snprintf(p.last, sizeof p.last, "%s", id);
    p.is_last = 1;
    return make_check(c, &p);
}

static int cs_get(void *ud, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    checkstore *c = ud;
    c->counts.gets++;
    return CALL(c, get, kind, id, fn, arg);
}

static int cs_put(void *ud, const pss_record *r, uint64_t expected, uint64_t *new_rev)
{
    checkstore *c = ud;
    return CALL(c, put, r, expected, new_rev);
}

static int cs_scan(void *ud, const char *kind, const char *parent, pss_record_fn fn, void *arg)
{
    checkstore *c = ud;
    return CALL(c, scan, kind, parent, fn, arg);
}

static int cs_scan_last(void *ud, const char *kind, const char *parent, size_t n,
                        pss_record_fn fn, void *arg)
{
    checkstore *c = ud;
    return CALL(c, scan_last, kind, parent, n, fn, arg);
}

static int cs_claim(void *ud, const char *key, const char *owner, char *holder, size_t size)
{
    checkstore *c = ud;
    return CALL(c, claim, key, owner, holder, size);
}

static int cs_release(void *ud, const char *key, const char *owner)
{
    checkstore *c = ud;
    return CALL(c, release, key, owner);
}

static int cs_lookup(void *ud, const char *key, char *holder, size_t size)
{
    checkstore *c = ud;
    return CALL(c, lookup, key, holder, size);
}

static int cs_append(void *ud, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    checkstore *c = ud;
    return CALL(c, append, subject, payload, len, seq);
}

static int cs_audit_scan(void *ud, const char *subject, uint64_t after, pss_audit_fn fn,
                         void *arg)
{
    checkstore *c = ud;
    return CALL(c, audit_scan, subject, after, fn, arg);
}

static const char *cs_errmsg(void *ud)
{
    checkstore *c = ud;
    if (c->own_message)
        return c->message;
    return INNER(c)->errmsg ? INNER(c)->errmsg(INNER(c)->userdata) : NULL;
}

static void cs_free(void *ud)
{
    free(ud); /* the inner store belongs to the caller */
}

int checkstore_new(pss_storage *inner, pss_storage **out)
{
    if (!out)
        return PSS_EINVAL;
    *out = NULL;
    if (!inner || inner->version < 2 || !inner->scan_last)
        return PSS_EINVAL;
    checkstore *c = calloc(1, sizeof *c);
    if (!c)
        return PSS_ENOMEM;
    c->inner = inner;
    pss_storage t = PSS_STORAGE_INIT;
    t.userdata = c;
    t.begin = cs_begin;
    t.commit = cs_commit;
    t.rollback = cs_rollback;
    t.get = cs_get;
    t.put = cs_put;
    t.scan = cs_scan;
    t.claim = cs_claim;
    t.release = cs_release;
    t.lookup = cs_lookup;
    t.append = cs_append;
    t.audit_scan = cs_audit_scan;
    t.errmsg = cs_errmsg;
    t.free = cs_free;
    t.scan_last = cs_scan_last;
    t.check = cs_check;
    t.check_last = cs_check_last;
    c->vtable = t;
    *out = &c->vtable;
    return 0;
}

checkstore_counts checkstore_counted(const pss_storage *cs)
{
    checkstore_counts none = {0, 0, 0};
    return cs ? ((const checkstore *)cs->userdata)->counts : none;
}
