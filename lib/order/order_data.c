/* order_data.c: an order's memory: allocation, deep copy and freeing of its lines (with the
 * sorted tax-set key each line is grouped by), payments and posting groups. */
#include "order/order_internal.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pss__taxset_of(pss_ctx *ctx, pss__pool *pool, pss_line *l)
{
    const char *codes[PSS_MAX_LINE_TAXES];
    size_t len = 1;
    bool ordered = false; /* a tax on taxes makes the order of a line's taxes count */
    for (size_t i = 0; i < l->n_taxes; i++) {
        codes[i] = l->taxes[i].code;
        len += strlen(codes[i]) + 1;
        ordered |= l->taxes[i].affects_base;
    }
    if (!ordered)
        qsort(codes, l->n_taxes, sizeof codes[0], cmp_str);
    l->taxset = pss__pool_calloc(ctx->alloc, pool, len, 1);
    if (!l->taxset)
        return pss__oom(ctx);
    l->taxset[0] = '\0';
    for (size_t i = 0; i < l->n_taxes; i++) {
        if (i)
            strcat(l->taxset, ",");
        strcat(l->taxset, codes[i]);
    }
    return 0;
}

pss_order_data *pss__order_data_new(pss_ctx *ctx)
{
    return PSS_CALLOC(ctx, 1, sizeof(pss_order_data));
}

void pss__line_clear(pss_line *l)
{
    memset(l, 0, sizeof *l);
}

void pss__order_data_free(pss_ctx *ctx, pss_order_data *d)
{
    if (!d)
        return;
    PSS_FREE(ctx, d->lines);
    PSS_FREE(ctx, d->payments);
    pss__pool_free(ctx->alloc, &d->pool);
    PSS_FREE(ctx, d);
}

/* Copies *src into the pool; NULL stays NULL. */
static bool dup_into(pss_ctx *ctx, pss__pool *pool, char **dst, const char *src)
{
    *dst = pss__pool_strdup(ctx->alloc, pool, src);
    return !src || *dst;
}

/* A copy of n items in the pool (NULL when n is 0); false when out of memory. */
static bool copy_items(pss_ctx *ctx, pss__pool *pool, void *dst, const void *src, size_t n,
                       size_t size)
{
    void **out = dst;
    *out = NULL;
    if (n == 0)
        return true;
    if (!(*out = pss__pool_calloc(ctx->alloc, pool, n, size)))
        return false;
    memcpy(*out, src, n * size);
    return true;
}

bool pss__line_clone(pss_ctx *ctx, pss__pool *pool, pss_line *dst, const pss_line *src)
{
    *dst = *src;
    if (!dup_into(ctx, pool, &dst->product_id, src->product_id) ||
        !dup_into(ctx, pool, &dst->product_name, src->product_name) ||
        !dup_into(ctx, pool, &dst->category, src->category) ||
        !dup_into(ctx, pool, &dst->income_account, src->income_account) ||
        !dup_into(ctx, pool, &dst->taxset, src->taxset) ||
        !copy_items(ctx, pool, &dst->taxes, src->taxes, src->n_taxes, sizeof *src->taxes))
        return false;
    for (size_t i = 0; i < src->n_taxes; i++)
        if (!dup_into(ctx, pool, &dst->taxes[i].code, src->taxes[i].code) ||
            !dup_into(ctx, pool, &dst->taxes[i].account, src->taxes[i].account))
            return false;
    return true;
}

static bool clone_payment(pss_ctx *ctx, pss__pool *pool, pss_payment *dst, const pss_payment *src)
{
    *dst = *src;
    return dup_into(ctx, pool, &dst->method, src->method) &&
           dup_into(ctx, pool, &dst->reference, src->reference) &&
           dup_into(ctx, pool, &dst->reason, src->reason);
}

/* groups are recomputed by pss__order_compute; copy them so an unchanged order keeps its
 * posting figures without a recompute */
static bool clone_group(pss_ctx *ctx, pss__pool *pool, pss_group *dst, const pss_group *src)
{
    *dst = *src;
    if (!dup_into(ctx, pool, &dst->account, src->account) ||
        !dup_into(ctx, pool, &dst->taxset, src->taxset) ||
        !copy_items(ctx, pool, &dst->taxes, src->taxes, src->n_taxes, sizeof *src->taxes))
        return false;
    for (size_t k = 0; k < src->n_taxes; k++)
        if (!dup_into(ctx, pool, &dst->taxes[k].code, src->taxes[k].code) ||
            !dup_into(ctx, pool, &dst->taxes[k].account, src->taxes[k].account))
            return false;
    return true;
}

static bool clone_parts(pss_ctx *ctx, const pss_order_data *src, pss_order_data *d)
{
    pss__pool *pool = &d->pool;
    if (!dup_into(ctx, pool, &d->note, src->note) ||
        !dup_into(ctx, pool, &d->customer, src->customer) ||
        !dup_into(ctx, pool, &d->return_reason, src->return_reason))
        return false;
    if (src->n_lines && !(d->lines = PSS_CALLOC(ctx, src->n_lines, sizeof *d->lines)))
        return false;
    d->cap_lines = src->n_lines;
    for (; d->n_lines < src->n_lines; d->n_lines++)
        if (!pss__line_clone(ctx, pool, &d->lines[d->n_lines], &src->lines[d->n_lines]))
            return false;
    if (src->n_payments && !(d->payments = PSS_CALLOC(ctx, src->n_payments, sizeof *d->payments)))
        return false;
    d->cap_payments = src->n_payments;
    for (; d->n_payments < src->n_payments; d->n_payments++)
        if (!clone_payment(ctx, pool, &d->payments[d->n_payments], &src->payments[d->n_payments]))
            return false;
    if (!copy_items(ctx, pool, &d->groups, src->groups, src->n_groups, sizeof *src->groups))
        return false;
    for (; d->n_groups < src->n_groups; d->n_groups++)
        if (!clone_group(ctx, pool, &d->groups[d->n_groups], &src->groups[d->n_groups]))
            return false;
    return true;
}

int pss__order_data_clone(pss_ctx *ctx, const pss_order_data *src, pss_order_data **out)
{
    pss_order_data *d = pss__order_data_new(ctx);
    if (!d)
        return pss__oom(ctx);
    *d = *src;
    d->note = d->customer = d->return_reason = NULL; /* the texts are copied into d's pool */
    d->lines = NULL, d->n_lines = d->cap_lines = 0;
    d->payments = NULL, d->n_payments = d->cap_payments = 0;
    d->groups = NULL, d->n_groups = 0;
    d->pool.chunks = NULL;
    if (!clone_parts(ctx, src, d)) {
        pss__order_data_free(ctx, d);
        return pss__oom(ctx);
    }
    *out = d;
    return 0;
}
