/* resign.c: pss_fiscal_resign(): a config's events that carry no signature (the signer was
 * offline, failed or gave garbage, or none was set) signed later, in seq order, each record
 * rewritten with its signature; the hash it signs, and so the chain, is unchanged. One write
 * transaction: the chain walked and verified, the backlog collected, then signed until the
 * signer first declines. */
#include "possession/fiscal.h"

#include <inttypes.h>
#include <string.h>

#include "base/internal.h"
#include "fiscal/record.h"
#include "fiscal/sign.h"
#include "fiscal/verify.h"
#include "store/store.h"

typedef struct backlog {
    pss_ctx *ctx;
    pss__fiscal_event *items;
    size_t n, cap;
} backlog;

/* Keeps a copy of each unsigned event the walk passes. */
static int collect(void *arg, const pss__fiscal_event *e)
{
    backlog *b = arg;
    if (e->sig)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        pss__fiscal_event *grown = pss__realloc(b->ctx->alloc, b->items, cap * sizeof *grown);
        if (!grown)
            return pss__oom(b->ctx);
        b->items = grown;
        b->cap = cap;
    }
    pss__fiscal_event *copy = &b->items[b->n];
    *copy = *e;
    copy->sig = copy->key = NULL;
    if (!(copy->form = PSS_STRDUP(b->ctx, e->form)))
        return pss__oom(b->ctx);
    b->n++;
    return 0;
}

static void backlog_free(backlog *b)
{
    for (size_t i = 0; i < b->n; i++)
        pss__fiscal_event_free(b->ctx, &b->items[i]);
    PSS_FREE(b->ctx, b->items);
}

/* Signs the backlog in order; stops at the first event the signer does not sign. */
static int sign_backlog(backlog *b, const char *config_id, uint64_t *done)
{
    for (size_t i = 0; i < b->n; i++) {
        pss__signature sig;
        pss__fiscal_sign(b->ctx, b->items[i].hash, &sig);
        if (!sig.made) {
            pss__log(b->ctx, PSS_LOG_WARN, "fiscal event %" PRIu64 " of config %s stays "
                     "unsigned: %s", b->items[i].seq, config_id, sig.error);
            return 0;
        }
        int rc = pss__fiscal_put(b->ctx, config_id, &b->items[i], &sig);
        if (rc)
            return rc;
        ++*done;
    }
    return 0;
}

static int resign_in_txn(pss_ctx *ctx, const char *config_id, uint64_t *done)
{
    backlog b = {ctx, NULL, 0, 0};
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    int rc = pss__fiscal_walk(ctx, config_id, &v, collect, &b);
    if (!rc)
        rc = sign_backlog(&b, config_id, done);
    backlog_free(&b);
    return rc;
}

int pss_fiscal_resign(pss_ctx *ctx, const char *config_id, uint64_t *signed_now)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    uint64_t done = 0;
    if (signed_now)
        *signed_now = 0;
    int rc = pss__fiscal_check_config(ctx, config_id);
    if (!rc && !ctx->signer.sign)
        rc = pss__fail(ctx, PSS_ESTATE, "the context has no signer (pss_ctx_set_signer)");
    if (rc || (rc = pss__txn_begin(ctx, true)))
        return rc;
    rc = resign_in_txn(ctx, config_id, &done);
    rc = rc ? (pss__txn_rollback(ctx), rc) : pss__txn_commit_only(ctx);
    if (!rc && signed_now)
        *signed_now = done;
    return rc;
}
