/* deltas.c: the staging of the running totals' changes: deltas are summed during a call,
 * written once, and installed on the handle after the commit; and the views of the totals as
 * they are or as a staged call will leave them. */
#include "session/stage.h"

#include <stdio.h>
#include <string.h>

#include "store/records.h"
#include "store/store.h"

/* ---- staging ---- */

static void delta_free(pss_ctx *ctx, pss_total_delta *d)
{
    PSS_FREE(ctx, d->key);
    PSS_FREE(ctx, d->a);
    PSS_FREE(ctx, d->b);
    PSS_FREE(ctx, d->c);
    PSS_FREE(ctx, d->label);
}

void pss__stage_deltas_free(pss_stage *st)
{
    for (size_t i = 0; i < st->n_deltas; i++)
        delta_free(st->s->ctx, &st->deltas[i]);
    PSS_FREE(st->s->ctx, st->deltas);
    st->deltas = NULL;
    st->n_deltas = st->cap_deltas = 0;
    PSS_FREE(st->s->ctx, st->folds);
    st->folds = NULL;
    st->n_folds = st->cap_folds = 0;
    pss__map_clear(&st->delta_index);
}

static int new_delta(pss_stage *st, const char *key, pss_total_type type, const char *a,
                     const char *b, const char *c, pss_total_delta **out)
{
    pss_ctx *ctx = st->s->ctx;
    if (pss__grow(ctx->alloc, (void **)&st->deltas, &st->cap_deltas, st->n_deltas + 1,
                  sizeof *st->deltas))
        return pss__oom(ctx);
    pss_total_delta *d = &st->deltas[st->n_deltas];
    memset(d, 0, sizeof *d);
    d->type = type;
    const pss_allocator *al = ctx->alloc;
    if (pss__strdup_opt(al, &d->key, key) || pss__strdup_opt(al, &d->a, a) ||
        pss__strdup_opt(al, &d->b, b) || pss__strdup_opt(al, &d->c, c)) {
        delta_free(ctx, d);
        return pss__oom(ctx);
    }
    if (pss__map_put(&st->delta_index, key, (void *)(uintptr_t)(st->n_deltas + 1))) {
        delta_free(ctx, d);
        return pss__oom(ctx);
    }
    st->n_deltas++;
    *out = d;
    return 0;
}

int pss__stage_total(pss_stage *st, pss_total_type type, const char *a, const char *b,
                      const char *c, const char *label, const int64_t d[PSS_TOTAL_VALUES])
{
    pss_ctx *ctx = st->s->ctx;
    if (pss__total_key(st->buf, type, a, b, c))
        return pss__oom(ctx);
    uintptr_t at = (uintptr_t)pss__map_get(&st->delta_index, st->buf->data);
    pss_total_delta *delta = NULL;
    if (at) {
        delta = &st->deltas[at - 1];
    } else {
        int rc = new_delta(st, st->buf->data, type, a, b, c, &delta);
        if (rc)
            return rc;
    }
    for (int i = 0; i < PSS_TOTAL_VALUES; i++)
        if (__builtin_add_overflow(delta->d[i], d[i], &delta->d[i]))
            return pss__fail(ctx, PSS_EOVERFLOW, "running total '%s' overflows", a ? a : "");
    if (label && (!delta->label || strcmp(delta->label, label) != 0)) {
        char *copy = PSS_STRDUP(ctx, label);
        if (!copy)
            return pss__oom(ctx);
        PSS_FREE(ctx, delta->label);
        delta->label = copy;
    }
    return 0;
}

static bool all_zero(const int64_t v[PSS_TOTAL_VALUES])
{
    for (int i = 0; i < PSS_TOTAL_VALUES; i++)
        if (v[i])
            return false;
    return true;
}

static bool label_changed(const pss_total *b, const pss_total_delta *d)
{
    return d->label && (!b->label || strcmp(b->label, d->label) != 0);
}

/* Computes the delta's new values from its running total, checked. */
static int resolve_delta(pss_stage *st, pss_total_delta *d, const pss_total *b)
{
    for (int i = 0; i < PSS_TOTAL_VALUES; i++) {
        int64_t base = b ? b->v[i] : 0;
        if (__builtin_add_overflow(base, d->d[i], &d->v[i]))
            return pss__fail(st->s->ctx, PSS_EOVERFLOW,
                             "running total of '%s' in session %s overflows", d->a ? d->a : "",
                             st->core.name);
    }
    if (b) {
        if (!d->label && b->label)
            d->label = PSS_STRDUP(st->s->ctx, b->label);
        if (b->label && !d->label)
            return pss__oom(st->s->ctx);
    }
    d->resolved = true;
    return 0;
}

/* Puts one running total's record: the one it has, or a new one numbered in the session. */
static int put_total(pss_stage *st, const pss_total_delta *view, const pss_total *b,
                     char record_id[PSS_ID_SIZE + 24], uint64_t *rev)
{
    pss_ctx *ctx = st->s->ctx;
    bool has_record = b && b->record_id[0];
    if (has_record)
        pss__copy_text(record_id, PSS_ID_SIZE + 24, b->record_id);
    else
        snprintf(record_id, PSS_ID_SIZE + 24, "%s:%lld", st->core.id,
                 (long long)st->core.next_total++);
    int rc = pss__total_encode(ctx, st->core.id, view, st->buf);
    if (!rc)
        rc = pss__put(ctx, PSS__KIND_TOTAL, record_id, st->core.id, st->buf->data, st->buf->len,
                      has_record ? b->rev : 0, rev);
    if (rc == PSS_ECONFLICT)
        rc = pss__fail(ctx, PSS_ECONFLICT, "running total %s of session %s changed underneath",
                       record_id, st->core.name);
    return rc;
}

/* Resolves a delta, and writes it unless the call defers its totals. A dirty total is
 * written by a fold even when this call does not change it. */
static int write_delta(pss_stage *st, pss_total_delta *d, bool write)
{
    const pss_total *b = pss__map_get(&st->s->keyed_totals, d->key);
    if (!b && all_zero(d->d))
        return 0;
    if (b && all_zero(d->d) && !label_changed(b, d) && !(write && b->dirty))
        return 0;
    int rc = resolve_delta(st, d, b);
    if (rc || !write)
        return rc;
    return put_total(st, d, b, d->record_id, &d->rev);
}

/* A running total written by a fold with the values it has in memory. */
typedef struct pss_fold_write {
    pss_total *total;
    char record_id[PSS_ID_SIZE + 24];
    uint64_t rev;
} pss_fold_write;

static int fold_one(pss_stage *st, pss_total *b)
{
    pss_ctx *ctx = st->s->ctx;
    if (pss__grow(ctx->alloc, (void **)&st->folds, &st->cap_folds, st->n_folds + 1,
                  sizeof *st->folds))
        return pss__oom(ctx);
    pss_fold_write *f = &st->folds[st->n_folds];
    pss_total_delta view;
    memset(&view, 0, sizeof view);
    view.type = b->type, view.a = b->a, view.b = b->b, view.c = b->c, view.label = b->label;
    memcpy(view.v, b->v, sizeof view.v);
    f->total = b;
    int rc = put_total(st, &view, b, f->record_id, &f->rev);
    if (!rc)
        st->n_folds++;
    return rc;
}

/* Writes every dirty total the call's deltas did not: the session's keyed totals are then all
 * in their records, and no order is left to replay. */
static int fold_dirty(pss_stage *st)
{
    pss__map_entry *e;
    for (size_t i = 0; pss__map_next(&st->s->keyed_totals, &i, &e);) {
        pss_total *b = e->value;
        if (!b->dirty || pss__map_get(&st->delta_index, e->key))
            continue;
        int rc = fold_one(st, b);
        if (rc)
            return rc;
    }
    st->core.folded_from = st->core.next_order;
    return 0;
}

/* A call writes its deltas, except one that only records new orders (defer_totals): their
 * contributions stay in memory and in the orders until PSS__FOLD_EVERY orders wait, or until
 * any other call on a handle that knows them (tail_settled). A handle that does not know
 * them writes its own deltas, which the orders cannot replay, and folds nothing. */
int pss__stage_write_deltas(pss_stage *st)
{
    bool settled = st->s->tail_settled || st->tail_replayed;
    PSS_ASSERT(!st->defer_totals || settled);
    int64_t waiting = st->core.next_order - st->core.folded_from;
    bool fold = !st->replay && !st->skip_session && settled &&
                (!st->defer_totals || waiting >= PSS__FOLD_EVERY);
    bool write = !st->replay && (fold || !st->defer_totals);
    for (size_t i = 0; i < st->n_deltas; i++) {
        int rc = write_delta(st, &st->deltas[i], write);
        if (rc)
            return rc;
    }
    return fold ? fold_dirty(st) : 0;
}

static pss_total *install_new(pss_session *s, pss_total_delta *d)
{
    pss_total *b = PSS_CALLOC(s->ctx, 1, sizeof *b);
    if (!b || pss__map_put(&s->keyed_totals, d->key, b)) {
        PSS_FREE(s->ctx, b);
        return NULL;
    }
    b->type = d->type;
    b->a = d->a, b->b = d->b, b->c = d->c;
    d->a = d->b = d->c = NULL;
    return b;
}

/* After the commit: the resolved deltas become the handle's keyed_totals, dirty where they
 * were not written. Cannot fail halfway: a running total that cannot be allocated is dropped
 * and the handle reloads on its next sync. */
void pss__stage_install_deltas(pss_stage *st)
{
    pss_session *s = st->s;
    for (size_t i = 0; i < st->n_deltas; i++) {
        pss_total_delta *d = &st->deltas[i];
        if (!d->resolved)
            continue; /* nothing changed */
        pss_total *b = pss__map_get(&s->keyed_totals, d->key);
        if (!b && !(b = install_new(s, d))) {
            s->rev = 0; /* forces a reload */
            continue;
        }
        memcpy(b->v, d->v, sizeof b->v);
        if (d->label) {
            PSS_FREE(s->ctx, b->label);
            b->label = d->label;
            d->label = NULL;
        }
        b->dirty = !d->rev;
        if (d->rev) {
            pss__copy_text(b->record_id, sizeof b->record_id, d->record_id);
            b->rev = d->rev;
        }
    }
    for (size_t i = 0; i < st->n_folds; i++) {
        pss_fold_write *f = &st->folds[i];
        pss__copy_text(f->total->record_id, sizeof f->total->record_id, f->record_id);
        f->total->rev = f->rev;
        f->total->dirty = false;
    }
    if (st->tail_replayed)
        s->tail_settled = true;
}

/* ---- views: the running totals as they are, or as a staged call will leave them ---- */

static int view_push(pss_ctx *ctx, pss_total_view **items, size_t *n, size_t *cap,
                     pss_total_type type, const char *a, const char *b, const char *c,
                     const char *label, const int64_t v[PSS_TOTAL_VALUES])
{
    if (pss__grow(ctx->alloc, (void **)items, cap, *n + 1, sizeof **items))
        return pss__oom(ctx);
    pss_total_view *e = &(*items)[(*n)++];
    e->type = type, e->a = a, e->b = b, e->c = c, e->label = label;
    memcpy(e->v, v, sizeof e->v);
    return 0;
}

int pss__total_view(pss_session *s, pss_stage *st, pss_total_view **out, size_t *n_out)
{
    pss_ctx *ctx = s->ctx;
    pss_total_view *items = NULL;
    size_t n = 0, cap = 0;
    pss__map_entry *e;
    int rc = 0;
    for (size_t i = 0; !rc && pss__map_next(&s->keyed_totals, &i, &e);) {
        const pss_total *b = e->value;
        int64_t v[PSS_TOTAL_VALUES];
        memcpy(v, b->v, sizeof v);
        uintptr_t at = st ? (uintptr_t)pss__map_get(&st->delta_index, e->key) : 0;
        for (int k = 0; at && k < PSS_TOTAL_VALUES; k++)
            if (__builtin_add_overflow(v[k], st->deltas[at - 1].d[k], &v[k]))
                rc = pss__fail(ctx, PSS_EOVERFLOW, "running total '%s' overflows", b->a);
        if (!rc)
            rc = view_push(ctx, &items, &n, &cap, b->type, b->a, b->b, b->c, b->label, v);
    }
    for (size_t i = 0; !rc && st && i < st->n_deltas; i++) {
        const pss_total_delta *d = &st->deltas[i];
        if (!pss__map_get(&s->keyed_totals, d->key))
            rc = view_push(ctx, &items, &n, &cap, d->type, d->a, d->b, d->c, d->label, d->d);
    }
    if (rc) {
        PSS_FREE(ctx, items);
        return rc;
    }
    *out = items;
    *n_out = n;
    return 0;
}
