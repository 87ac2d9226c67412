/* order_codec.c: an order's memory (allocation, deep copy) and its record payload: lines
 * with their tax snapshot, payments, the posting groups and the totals. */
#include "order_internal.h"

#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "jsonw.h"
#include "names.h"
#include "store.h"
#include "text.h"

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
static bool dup_into(pss_ctx *ctx, pss_pool *pool, char **dst, const char *src)
{
    *dst = pss__pool_strdup(ctx->alloc, pool, src);
    return !src || *dst;
}

/* A copy of n items in the pool (NULL when n is 0); false when out of memory. */
static bool copy_items(pss_ctx *ctx, pss_pool *pool, void *dst, const void *src, size_t n,
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

bool pss__line_clone(pss_ctx *ctx, pss_pool *pool, pss_line *dst, const pss_line *src)
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

static bool clone_payment(pss_ctx *ctx, pss_pool *pool, pss_payment *dst, const pss_payment *src)
{
    *dst = *src;
    return dup_into(ctx, pool, &dst->method, src->method) &&
           dup_into(ctx, pool, &dst->reference, src->reference) &&
           dup_into(ctx, pool, &dst->reason, src->reason);
}

/* groups are recomputed by pss__order_compute; copy them so an unchanged order keeps its
 * posting figures without a recompute */
static bool clone_group(pss_ctx *ctx, pss_pool *pool, pss_group *dst, const pss_group *src)
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
    pss_pool *pool = &d->pool;
    if (!dup_into(ctx, pool, &d->note, src->note))
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
    d->note = NULL;
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

/* ---- encode ---- */

static void encode_line(const pss_line *l, pss_jsonw *w)
{
    pss__jsonw_object(w, NULL);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("product"), l->product_id);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("name"), l->product_name);
    if (l->category) /* absent reads as null, and json_extract gives NULL either way */
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("category"), l->category);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("income_account"), l->income_account);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("qty"), l->qty);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("price"), l->price);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("discount_ppm"), l->discount_ppm);
    if (l->refund_line >= 0)
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("refund_line"), l->refund_line);
    pss__jsonw_array_lit(w, PSS_JSONW_NAME("taxes"));
    for (size_t i = 0; i < l->n_taxes; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("code"), l->taxes[i].code);
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("rate_ppm"), l->taxes[i].rate_ppm);
        pss__jsonw_bool_lit(w, PSS_JSONW_NAME("included"), l->taxes[i].included);
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("account"), l->taxes[i].account);
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("amount"), l->taxes[i].amount);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("amount"), l->amount);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("untaxed"), l->untaxed);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("tax"), l->tax);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("total"), l->total);
    pss__jsonw_end(w);
}

static void encode_payment(const pss_payment *p, pss_jsonw *w)
{
    pss__jsonw_object(w, NULL);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("method"), p->method);
    pss__jsonw_bool_lit(w, PSS_JSONW_NAME("cash"), p->cash);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("amount"), p->amount);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("state"), pss__name_of(pss_payment_state_names, p->state));
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("change"), p->change);
    if (p->reference)
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("reference"), p->reference);
    if (p->reason)
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("reason"), p->reason);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("at"), p->at);
    pss__jsonw_end(w);
}

static void encode_group(const pss_group *g, pss_jsonw *w)
{
    pss__jsonw_object(w, NULL);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("account"), g->account);
    pss__jsonw_str_lit(w, PSS_JSONW_NAME("taxes"), g->taxset);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("amount"), g->amount);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("untaxed"), g->untaxed);
    pss__jsonw_int_lit(w, PSS_JSONW_NAME("tax"), g->tax);
    pss__jsonw_array_lit(w, PSS_JSONW_NAME("tax_lines"));
    for (size_t i = 0; i < g->n_taxes; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("code"), g->taxes[i].code);
        pss__jsonw_str_lit(w, PSS_JSONW_NAME("account"), g->taxes[i].account);
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("rate_ppm"), g->taxes[i].rate_ppm);
        pss__jsonw_bool_lit(w, PSS_JSONW_NAME("included"), g->taxes[i].included);
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("base"), g->taxes[i].base);
        pss__jsonw_int_lit(w, PSS_JSONW_NAME("amount"), g->taxes[i].amount);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    pss__jsonw_end(w);
}

int pss__order_encode(pss_ctx *ctx, const pss_order_data *d, pss_strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str_lit(&w, PSS_JSONW_NAME("id"), d->id);
    pss__jsonw_str_lit(&w, PSS_JSONW_NAME("session"), d->session_id);
    pss__jsonw_str_lit(&w, PSS_JSONW_NAME("config"), d->config_id);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("number"), d->number);
    pss__jsonw_str_lit(&w, PSS_JSONW_NAME("state"), pss__name_of(pss_order_state_names, d->state));
    pss__jsonw_bool_lit(&w, PSS_JSONW_NAME("invoiced"), d->invoiced);
    if (d->refund_of[0]) /* like category: written only when set */
        pss__jsonw_str_lit(&w, PSS_JSONW_NAME("refund_of"), d->refund_of);
    if (d->note)
        pss__jsonw_str_lit(&w, PSS_JSONW_NAME("note"), d->note);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("created_at"), d->created_at);
    pss__jsonw_str_lit(&w, PSS_JSONW_NAME("created_by"), d->created_by);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("paid_at"), d->paid_at);
    if (d->input_hash[0])
        pss__jsonw_str_lit(&w, PSS_JSONW_NAME("input_hash"), d->input_hash);
    pss__jsonw_array_lit(&w, PSS_JSONW_NAME("lines"));
    for (size_t i = 0; i < d->n_lines; i++)
        encode_line(&d->lines[i], &w);
    pss__jsonw_end(&w);
    pss__jsonw_array_lit(&w, PSS_JSONW_NAME("payments"));
    for (size_t i = 0; i < d->n_payments; i++)
        encode_payment(&d->payments[i], &w);
    pss__jsonw_end(&w);
    pss__jsonw_array_lit(&w, PSS_JSONW_NAME("groups"));
    for (size_t i = 0; i < d->n_groups; i++)
        encode_group(&d->groups[i], &w);
    pss__jsonw_end(&w);
    pss__jsonw_object_lit(&w, PSS_JSONW_NAME("totals"));
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("untaxed"), d->untaxed);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("tax"), d->tax);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("total"), d->total);
    pss__jsonw_int_lit(&w, PSS_JSONW_NAME("rounding"), d->rounding);
    pss__jsonw_end(&w);
    return pss__jsonw_finish(ctx, &w);
}

/* ---- decode ---- */

/* pss__jr_dup into the order's pool. */
static char *pool_dup(pss_jr *r, pss_pool *pool, const char *s)
{
    if (r->rc || !s)
        return NULL;
    char *copy = pss__pool_strdup(r->ctx->alloc, pool, s);
    if (!copy)
        r->rc = pss__oom(r->ctx);
    return copy;
}

static void decode_id_into(pss_jr *r, const char *s, char out[PSS_ID_SIZE], const char *field)
{
    out[0] = '\0';
    if (r->rc || !s)
        return;
    if (pss_id_normalize(s, out) != 0)
        pss__jr_fail(r, "field '%s' is not a UUID", field);
}

static void decode_line_taxes(pss_jr *r, pss_pool *pool, json_t *lo, pss_line *l)
{
    json_t *taxes = pss__jr_array(r, lo, "taxes");
    size_t n = json_array_size(taxes);
    if (r->rc)
        return;
    if (n > PSS_MAX_LINE_TAXES) {
        pss__jr_fail(r, "a line has %zu taxes; at most %d", n, PSS_MAX_LINE_TAXES);
        return;
    }
    if (n && !(l->taxes = pss__pool_calloc(r->ctx->alloc, pool, n, sizeof *l->taxes))) {
        r->rc = pss__oom(r->ctx);
        return;
    }
    for (size_t i = 0; i < n && !r->rc; i++) {
        json_t *t = pss__jr_item(r, taxes, i, "taxes");
        pss_line_tax *lt = &l->taxes[i];
        l->n_taxes = i + 1;
        lt->code = pool_dup(r, pool, pss__jr_str(r, t, "code"));
        lt->rate_ppm = pss__jr_range(r, t, "rate_ppm", 0, 10000000);
        lt->included = pss__jr_bool(r, t, "included");
        lt->account = pool_dup(r, pool, pss__jr_str(r, t, "account"));
        lt->amount = pss__jr_int(r, t, "amount");
    }
}

static void decode_line(pss_jr *r, pss_pool *pool, json_t *lo, pss_line *l)
{
    l->product_id = pool_dup(r, pool, pss__jr_str(r, lo, "product"));
    l->product_name = pool_dup(r, pool, pss__jr_str(r, lo, "name"));
    l->category = pool_dup(r, pool, pss__jr_str_or_null(r, lo, "category"));
    l->income_account = pool_dup(r, pool, pss__jr_str(r, lo, "income_account"));
    l->qty = pss__jr_int(r, lo, "qty");
    l->price = pss__jr_int(r, lo, "price");
    l->discount_ppm = pss__jr_range(r, lo, "discount_ppm", 0, 1000000);
    l->refund_line = pss__jr_int_or(r, lo, "refund_line", -1);
    decode_line_taxes(r, pool, lo, l);
    l->amount = pss__jr_int(r, lo, "amount");
    l->untaxed = pss__jr_int(r, lo, "untaxed");
    l->tax = pss__jr_int(r, lo, "tax");
    l->total = pss__jr_int(r, lo, "total");
}

static void decode_lines(pss_jr *r, json_t *doc, pss_order_data *d)
{
    json_t *lines = pss__jr_array(r, doc, "lines");
    size_t n = json_array_size(lines);
    if (r->rc || n == 0)
        return;
    if (!(d->lines = PSS_CALLOC(r->ctx, n, sizeof *d->lines))) {
        r->rc = pss__oom(r->ctx);
        return;
    }
    d->cap_lines = n;
    for (size_t i = 0; i < n && !r->rc; i++) {
        d->n_lines = i + 1;
        decode_line(r, &d->pool, pss__jr_item(r, lines, i, "lines"), &d->lines[i]);
        if (!r->rc && pss__taxset_of(r->ctx, &d->pool, &d->lines[i]))
            r->rc = PSS_ENOMEM;
    }
}

static void decode_payments(pss_jr *r, json_t *doc, pss_order_data *d)
{
    json_t *payments = pss__jr_array(r, doc, "payments");
    size_t n = json_array_size(payments);
    if (r->rc || n == 0)
        return;
    if (!(d->payments = PSS_CALLOC(r->ctx, n, sizeof *d->payments))) {
        r->rc = pss__oom(r->ctx);
        return;
    }
    d->cap_payments = n;
    for (size_t i = 0; i < n && !r->rc; i++) {
        json_t *po = pss__jr_item(r, payments, i, "payments");
        pss_payment *p = &d->payments[i];
        d->n_payments = i + 1;
        p->method = pool_dup(r, &d->pool, pss__jr_str(r, po, "method"));
        p->cash = pss__jr_bool(r, po, "cash");
        p->amount = pss__jr_int(r, po, "amount");
        p->state = (pss_payment_state)pss__jr_enum(r, po, "state", pss_payment_state_names);
        p->change = pss__jr_int(r, po, "change");
        p->reference = pool_dup(r, &d->pool, pss__jr_str_or_null(r, po, "reference"));
        p->reason = pool_dup(r, &d->pool, pss__jr_str_or_null(r, po, "reason"));
        p->at = pss__jr_int(r, po, "at");
    }
}

static void decode_group(pss_jr *r, pss_pool *pool, json_t *go, pss_group *g)
{
    g->account = pool_dup(r, pool, pss__jr_str(r, go, "account"));
    g->taxset = pool_dup(r, pool, pss__jr_str(r, go, "taxes"));
    g->amount = pss__jr_int(r, go, "amount");
    g->untaxed = pss__jr_int(r, go, "untaxed");
    g->tax = pss__jr_int(r, go, "tax");
    json_t *taxes = pss__jr_array(r, go, "tax_lines");
    size_t n = json_array_size(taxes);
    if (r->rc || n == 0)
        return;
    if (n > PSS_MAX_LINE_TAXES) {
        pss__jr_fail(r, "a group has %zu taxes; at most %d", n, PSS_MAX_LINE_TAXES);
        return;
    }
    if (!(g->taxes = pss__pool_calloc(r->ctx->alloc, pool, n, sizeof *g->taxes))) {
        r->rc = pss__oom(r->ctx);
        return;
    }
    for (size_t k = 0; k < n && !r->rc; k++) {
        json_t *t = pss__jr_item(r, taxes, k, "tax_lines");
        pss_group_tax *gt = &g->taxes[k];
        g->n_taxes = k + 1;
        gt->code = pool_dup(r, pool, pss__jr_str(r, t, "code"));
        gt->account = pool_dup(r, pool, pss__jr_str(r, t, "account"));
        gt->rate_ppm = pss__jr_int(r, t, "rate_ppm");
        gt->included = pss__jr_bool(r, t, "included");
        gt->base = pss__jr_int(r, t, "base");
        gt->amount = pss__jr_int(r, t, "amount");
    }
}

static void decode_groups(pss_jr *r, json_t *doc, pss_order_data *d)
{
    json_t *groups = pss__jr_array(r, doc, "groups");
    size_t n = json_array_size(groups);
    if (r->rc || n == 0)
        return;
    if (!(d->groups = pss__pool_calloc(r->ctx->alloc, &d->pool, n, sizeof *d->groups))) {
        r->rc = pss__oom(r->ctx);
        return;
    }
    for (size_t i = 0; i < n && !r->rc; i++) {
        d->n_groups = i + 1;
        decode_group(r, &d->pool, pss__jr_item(r, groups, i, "groups"), &d->groups[i]);
    }
}

static void decode_head(pss_jr *r, json_t *doc, pss_order_data *d)
{
    decode_id_into(r, pss__jr_str(r, doc, "id"), d->id, "id");
    decode_id_into(r, pss__jr_str(r, doc, "session"), d->session_id, "session");
    decode_id_into(r, pss__jr_str(r, doc, "config"), d->config_id, "config");
    d->number = pss__jr_int(r, doc, "number");
    d->state = (pss_order_state)pss__jr_enum(r, doc, "state", pss_order_state_names);
    if (!r->rc && d->state == PSS_ORDER_DONE)
        pss__jr_fail(r, "order state 'done' is never stored (paid orders of closed sessions)");
    d->invoiced = pss__jr_bool(r, doc, "invoiced");
    decode_id_into(r, pss__jr_str_or_null(r, doc, "refund_of"), d->refund_of, "refund_of");
    d->note = pool_dup(r, &d->pool, pss__jr_str_or_null(r, doc, "note"));
    d->created_at = pss__jr_int(r, doc, "created_at");
    const char *by = pss__jr_str(r, doc, "created_by");
    if (!r->rc && strlen(by) > PSS_NAME_MAX)
        pss__jr_fail(r, "field 'created_by' is too long");
    if (!r->rc)
        pss__copy_text(d->created_by, sizeof d->created_by, by);
    d->paid_at = pss__jr_int(r, doc, "paid_at");
    const char *hash = pss__jr_str_or_null(r, doc, "input_hash");
    if (!r->rc && hash && strlen(hash) != PSS_HASH_SIZE - 1)
        pss__jr_fail(r, "field 'input_hash' is not a hash");
    if (!r->rc && hash)
        memcpy(d->input_hash, hash, PSS_HASH_SIZE);
    json_t *totals = pss__jr_object(r, doc, "totals");
    d->untaxed = pss__jr_int(r, totals, "untaxed");
    d->tax = pss__jr_int(r, totals, "tax");
    d->total = pss__jr_int(r, totals, "total");
    d->rounding = pss__jr_int(r, totals, "rounding");
}

int pss__order_decode(pss_ctx *ctx, const pss_record *rec, pss_order_data **out)
{
    pss_jr r;
    pss__jr_init(&r, ctx, "order", rec->id);
    json_t *doc = pss__jr_parse(&r, rec->payload, rec->payload_len);
    if (!doc)
        return r.rc;
    pss_order_data *d = pss__order_data_new(ctx);
    if (!d) {
        json_decref(doc);
        return pss__oom(ctx);
    }
    decode_head(&r, doc, d);
    decode_lines(&r, doc, d);
    decode_payments(&r, doc, d);
    decode_groups(&r, doc, d);
    json_decref(doc);
    if (!r.rc && strcmp(d->id, rec->id) != 0)
        pss__jr_fail(&r, "it says its id is %s", d->id);
    if (r.rc) {
        pss__order_data_free(ctx, d);
        return r.rc;
    }
    d->rev = rec->rev;
    *out = d;
    return 0;
}

typedef struct order_read {
    pss_ctx *ctx;
    pss_order_data *d;
} order_read;

static int on_order_record(const pss_record *rec, void *arg)
{
    order_read *or = arg;
    return pss__order_decode(or->ctx, rec, &or->d);
}

int pss__order_read(pss_ctx *ctx, const char *id, pss_order_data **out)
{
    order_read or = {ctx, NULL};
    int rc = pss__get(ctx, "order", id, on_order_record, &or);
    if (rc)
        return rc;
    *out = or.d;
    return 0;
}
