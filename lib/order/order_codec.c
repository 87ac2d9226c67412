/* order_codec.c: an order's record payload: which version is written (4 when it gives the
 * order back exactly, order_record4.c), the reader of every version, and versions 1 to 3:
 * lines with their tax snapshot, payments, the posting groups and the totals, by member name
 * (its memory: order_data.c). */
#include "order/order_record4.h"

#include <stdio.h>
#include <string.h>

#include "base/names.h"
#include "store/store.h"
#include "base/text.h"
#include "store/records.h"

/* ---- encode ---- */

/* The record's shape is written out here as literals (jsonc.h); order_record_text in
 * tests/core/orders.c holds the exact text and checks it against jansson. */

/* Ids are canonical (pss_id_normalize), hashes hex and state names plain words: nothing in
 * them needs escaping. */
static void encode_plain(pss_jsonc *c, const char *s)
{
    pss__jsonc_plain(c, s, strlen(s));
}

/* Versions 2 and 3: the order's tax table holds each code's snapshot (rate, included,
 * account) once, taken from its first use; the lines' and groups' taxes then write only what
 * differs from it (a refund line made under another rate, say). */
static void encode_table(const tax_table *t, pss_jsonc *c)
{
    if (t->n == 0)
        return;
    PSS_JSONC_LIT(c, ",\"taxes\":{");
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            PSS_JSONC_LIT(c, ",");
        pss__jsonc_str(c, t->e[i].code);
        PSS_JSONC_LIT(c, ":{\"rate_ppm\":");
        pss__jsonc_int(c, t->e[i].rate_ppm);
        PSS_JSONC_LIT(c, ",\"included\":");
        pss__jsonc_bool(c, t->e[i].included);
        PSS_JSONC_LIT(c, ",\"account\":");
        pss__jsonc_str(c, t->e[i].account);
        PSS_JSONC_OPT_INT(c, "per_unit", t->e[i].per_unit);
        if (t->e[i].affects_base) /* absent reads as false */
            PSS_JSONC_LIT(c, ",\"affects_base\":true");
        PSS_JSONC_LIT(c, "}");
    }
    PSS_JSONC_LIT(c, "}");
}

/* The code, then the snapshot fields that differ from the table (all of them without an
 * entry). */
static void encode_snapshot(const tax_table *t, const tax_entry *s, pss_jsonc *c)
{
    const tax_entry *e = s->code ? pss__table_find(t, s->code) : NULL;
    PSS_JSONC_LIT(c, "{\"code\":");
    pss__jsonc_str(c, s->code);
    if (!e || e->rate_ppm != s->rate_ppm) {
        PSS_JSONC_LIT(c, ",\"rate_ppm\":");
        pss__jsonc_int(c, s->rate_ppm);
    }
    if (!e || e->included != s->included) {
        PSS_JSONC_LIT(c, ",\"included\":");
        pss__jsonc_bool(c, s->included);
    }
    if (!e || !pss__same_text(e->account, s->account)) {
        PSS_JSONC_LIT(c, ",\"account\":");
        pss__jsonc_str(c, s->account);
    }
    if ((e ? e->per_unit : 0) != s->per_unit) {
        PSS_JSONC_LIT(c, ",\"per_unit\":");
        pss__jsonc_int(c, s->per_unit);
    }
    bool table_affects = e && e->affects_base;
    if (table_affects != s->affects_base) {
        if (s->affects_base)
            PSS_JSONC_LIT(c, ",\"affects_base\":true");
        else
            PSS_JSONC_LIT(c, ",\"affects_base\":false");
    }
}

static void encode_line_tax(const tax_table *t, const pss_line_tax *lt, pss_jsonc *c)
{
    tax_entry e = pss__line_entry(lt);
    encode_snapshot(t, &e, c);
    PSS_JSONC_LIT(c, ",\"amount\":");
    pss__jsonc_int(c, lt->amount);
    PSS_JSONC_LIT(c, "}");
}

static void encode_line(const tax_table *t, const pss_line *l, pss_jsonc *c)
{
    PSS_JSONC_LIT(c, "{\"product\":");
    pss__jsonc_str(c, l->product_id);
    PSS_JSONC_LIT(c, ",\"name\":");
    pss__jsonc_str(c, l->product_name);
    PSS_JSONC_OPT_STR(c, "category", l->category);
    PSS_JSONC_LIT(c, ",\"income_account\":");
    pss__jsonc_str(c, l->income_account);
    PSS_JSONC_LIT(c, ",\"qty\":");
    pss__jsonc_int(c, l->qty);
    PSS_JSONC_LIT(c, ",\"price\":");
    pss__jsonc_int(c, l->price);
    PSS_JSONC_OPT_INT(c, "discount_ppm", l->discount_ppm);
    PSS_JSONC_OPT_INT(c, "order_discount", l->order_discount);
    if (l->refund_line >= 0) {
        PSS_JSONC_LIT(c, ",\"refund_line\":");
        pss__jsonc_int(c, l->refund_line);
    }
    PSS_JSONC_LIT(c, ",\"taxes\":[");
    for (size_t i = 0; i < l->n_taxes; i++) {
        if (i)
            PSS_JSONC_LIT(c, ",");
        encode_line_tax(t, &l->taxes[i], c);
    }
    PSS_JSONC_LIT(c, "],\"amount\":");
    pss__jsonc_int(c, l->amount);
    PSS_JSONC_LIT(c, ",\"untaxed\":");
    pss__jsonc_int(c, l->untaxed);
    PSS_JSONC_LIT(c, ",\"tax\":");
    pss__jsonc_int(c, l->tax);
    PSS_JSONC_LIT(c, ",\"total\":");
    pss__jsonc_int(c, l->total);
    PSS_JSONC_LIT(c, "}");
}

static void encode_payment(const pss_payment *p, pss_jsonc *c)
{
    PSS_JSONC_LIT(c, "{\"method\":");
    pss__jsonc_str(c, p->method);
    PSS_JSONC_LIT(c, ",\"cash\":");
    pss__jsonc_bool(c, p->cash);
    PSS_JSONC_LIT(c, ",\"amount\":");
    pss__jsonc_int(c, p->amount);
    PSS_JSONC_LIT(c, ",\"state\":");
    encode_plain(c, pss__name_of(pss__payment_state_names, p->state));
    PSS_JSONC_OPT_INT(c, "change", p->change);
    PSS_JSONC_OPT_INT(c, "rounding", p->rounding);
    PSS_JSONC_OPT_STR(c, "reference", p->reference);
    PSS_JSONC_OPT_STR(c, "reason", p->reason);
    PSS_JSONC_LIT(c, ",\"at\":");
    pss__jsonc_int(c, p->at);
    PSS_JSONC_LIT(c, "}");
}

static void encode_group_tax(const tax_table *t, const pss_group_tax *gt, pss_jsonc *c)
{
    tax_entry e = pss__group_entry(gt);
    encode_snapshot(t, &e, c);
    PSS_JSONC_LIT(c, ",\"base\":");
    pss__jsonc_int(c, gt->base);
    PSS_JSONC_LIT(c, ",\"amount\":");
    pss__jsonc_int(c, gt->amount);
    PSS_JSONC_LIT(c, "}");
}

/* Whether an order's groups are all on its own side (all refunds for a refund, all sales
 * for a sale): exchanges and returns without a receipt have groups of the other side. */
static bool one_sided(const pss_order_data *d)
{
    for (size_t i = 0; i < d->n_groups; i++)
        if (d->groups[i].refund != (d->refund_of[0] != 0))
            return false;
    return true;
}

static void encode_group(const tax_table *t, const pss_group *g, bool refund_order,
                         pss_jsonc *c)
{
    PSS_JSONC_LIT(c, "{\"account\":");
    pss__jsonc_str(c, g->account);
    PSS_JSONC_LIT(c, ",\"taxes\":");
    pss__jsonc_str(c, g->taxset);
    if (g->refund != refund_order && g->refund) /* absent: the order's own side */
        PSS_JSONC_LIT(c, ",\"side\":\"refund\"");
    else if (g->refund != refund_order)
        PSS_JSONC_LIT(c, ",\"side\":\"sale\"");
    PSS_JSONC_LIT(c, ",\"amount\":");
    pss__jsonc_int(c, g->amount);
    PSS_JSONC_LIT(c, ",\"untaxed\":");
    pss__jsonc_int(c, g->untaxed);
    PSS_JSONC_LIT(c, ",\"tax\":");
    pss__jsonc_int(c, g->tax);
    PSS_JSONC_LIT(c, ",\"tax_lines\":[");
    for (size_t i = 0; i < g->n_taxes; i++) {
        if (i)
            PSS_JSONC_LIT(c, ",");
        encode_group_tax(t, &g->taxes[i], c);
    }
    PSS_JSONC_LIT(c, "]}");
}

/* What only version 3 records hold: an order discount, a customer, a return reason, groups
 * of both sides (an exchange, a return without a receipt), fixed taxes or taxes on taxes. */
static bool has_new_taxes(const pss_order_data *d)
{
    for (size_t i = 0; i < d->n_lines; i++)
        for (size_t k = 0; k < d->lines[i].n_taxes; k++)
            if (d->lines[i].taxes[k].per_unit || d->lines[i].taxes[k].affects_base)
                return true;
    return false;
}

static bool needs_v3(const pss_order_data *d)
{
    return d->discount_amount || d->discount_ppm || d->customer || d->return_reason ||
           !one_sided(d) || has_new_taxes(d);
}

static void encode_head(const pss_order_data *d, pss_jsonc *c)
{
    /* an order discount or a customer makes the record version 3: a library that reads up
     * to 2 refuses it instead of rewriting a draft without them */
    if (needs_v3(d))
        PSS_JSONC_LIT(c, "{\"v\":" PSS_STRINGIFY(PSS_ORDER_SCHEMA_VERSION_3) ",\"id\":");
    else
        PSS_JSONC_LIT(c, "{\"v\":" PSS_STRINGIFY(PSS_ORDER_SCHEMA_VERSION) ",\"id\":");
    encode_plain(c, d->id);
    PSS_JSONC_LIT(c, ",\"session\":");
    encode_plain(c, d->session_id);
    PSS_JSONC_LIT(c, ",\"config\":");
    encode_plain(c, d->config_id);
    PSS_JSONC_LIT(c, ",\"number\":");
    pss__jsonc_int(c, d->number);
    PSS_JSONC_LIT(c, ",\"state\":");
    encode_plain(c, pss__name_of(pss__order_state_names, d->state));
    pss__order_encode_about(d, c);
    PSS_JSONC_LIT(c, ",\"created_at\":");
    pss__jsonc_int(c, d->created_at);
    PSS_JSONC_LIT(c, ",\"created_by\":");
    pss__jsonc_str(c, d->created_by);
    PSS_JSONC_LIT(c, ",\"paid_at\":");
    pss__jsonc_int(c, d->paid_at);
    if (d->input_hash[0]) {
        PSS_JSONC_LIT(c, ",\"input_hash\":");
        encode_plain(c, d->input_hash);
    }
}

/* Versions 2 and 3: what this library wrote before version 4, and still writes for an
 * order read from such a record whose figures version 4 cannot give back (a 1.0 order under
 * per-order rounding, whose lines kept their own rounding). */
static int encode_v3(pss_ctx *ctx, const pss_order_data *d, pss__strbuf *buf)
{
    pss_jsonc c;
    tax_table table;
    pss__tax_table_build(d, true, &table);
    pss__jsonc_begin(&c, buf);
    encode_head(d, &c);
    encode_table(&table, &c);
    PSS_JSONC_LIT(&c, ",\"lines\":[");
    for (size_t i = 0; i < d->n_lines; i++) {
        if (i)
            PSS_JSONC_LIT(&c, ",");
        encode_line(&table, &d->lines[i], &c);
    }
    PSS_JSONC_LIT(&c, "],\"payments\":[");
    for (size_t i = 0; i < d->n_payments; i++) {
        if (i)
            PSS_JSONC_LIT(&c, ",");
        encode_payment(&d->payments[i], &c);
    }
    PSS_JSONC_LIT(&c, "],\"groups\":[");
    for (size_t i = 0; i < d->n_groups; i++) {
        if (i)
            PSS_JSONC_LIT(&c, ",");
        encode_group(&table, &d->groups[i], d->refund_of[0] != 0, &c);
    }
    PSS_JSONC_LIT(&c, "],\"totals\":{\"untaxed\":");
    pss__jsonc_int(&c, d->untaxed);
    PSS_JSONC_LIT(&c, ",\"tax\":");
    pss__jsonc_int(&c, d->tax);
    PSS_JSONC_LIT(&c, ",\"total\":");
    pss__jsonc_int(&c, d->total);
    if (d->rounding) {
        PSS_JSONC_LIT(&c, ",\"rounding\":");
        pss__jsonc_int(&c, d->rounding);
    }
    PSS_JSONC_LIT(&c, "}}");
    return pss__jsonc_finish(ctx, &c);
}

int pss__order_encode(pss_ctx *ctx, const pss_order_data *d, pss__strbuf *buf)
{
    return pss__order_v4_fits(d) ? pss__order_encode_v4(ctx, d, buf) : encode_v3(ctx, d, buf);
}

/* ---- decode ---- */

static void decode_id_into(pss_jr *r, const char *s, char out[PSS_ID_SIZE], const char *field)
{
    out[0] = '\0';
    if (r->rc || !s)
        return;
    if (pss_id_normalize(s, out) != 0)
        pss__jr_fail(r, "field '%s' is not a UUID", field);
}

/* A tax's snapshot: each field from the tax itself when there, else from the order's table
 * (version 2); version 1 records have every field on every tax and no table. */
static void decode_snapshot(pss_jr *r, json_t *table, json_t *t, tax_entry *out)
{
    out->code = pss__jr_str(r, t, "code");
    json_t *entry = !r->rc && table ? json_object_get(table, out->code) : NULL;
    if (entry && !json_is_object(entry)) {
        pss__jr_fail(r, "tax table entry '%s' is not an object", out->code);
        entry = NULL;
    }
    out->rate_ppm = pss__jr_range(r, json_object_get(t, "rate_ppm") ? t : entry, "rate_ppm", 0,
                                  10000000);
    out->included = pss__jr_bool(r, json_object_get(t, "included") ? t : entry, "included");
    out->account = pss__jr_str(r, json_object_get(t, "account") ? t : entry, "account");
    json_t *from = json_object_get(t, "per_unit") ? t : entry;
    out->per_unit = from ? pss__jr_range_or(r, from, "per_unit", 0, 0, PSS_AMOUNT_MAX) : 0;
    from = json_object_get(t, "affects_base") ? t : entry;
    out->affects_base = from ? pss__jr_bool_or(r, from, "affects_base", false) : false;
    if (!r->rc && out->per_unit && out->rate_ppm)
        pss__jr_fail(r, "tax '%.64s' has a rate and an amount per unit", out->code);
}

static void decode_line_taxes(pss_jr *r, pss__pool *pool, json_t *table, json_t *lo, pss_line *l)
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
        tax_entry e;
        decode_snapshot(r, table, t, &e);
        lt->code = pss__order_pool_dup(r, pool, e.code);
        lt->rate_ppm = e.rate_ppm;
        lt->included = e.included;
        lt->per_unit = e.per_unit;
        lt->affects_base = e.affects_base;
        lt->account = pss__order_pool_dup(r, pool, e.account);
        lt->amount = pss__jr_amount(r, t, "amount");
    }
}

static void decode_line(pss_jr *r, pss__pool *pool, json_t *table, json_t *lo, pss_line *l)
{
    l->product_id = pss__order_pool_dup(r, pool, pss__jr_str(r, lo, "product"));
    l->product_name = pss__order_pool_dup(r, pool, pss__jr_str(r, lo, "name"));
    l->category = pss__order_pool_dup(r, pool, pss__jr_str_or_null(r, lo, "category"));
    l->income_account = pss__order_pool_dup(r, pool, pss__jr_str(r, lo, "income_account"));
    l->qty = pss__jr_range(r, lo, "qty", -PSS_QUANTITY_MAX, PSS_QUANTITY_MAX);
    if (!r->rc && l->qty == 0)
        pss__jr_fail(r, "a line has quantity 0");
    l->price = pss__jr_range(r, lo, "price", 0, PSS_AMOUNT_MAX);
    l->discount_ppm = 0; /* absent in version 2 when 0 */
    if (json_object_get(lo, "discount_ppm"))
        l->discount_ppm = pss__jr_range(r, lo, "discount_ppm", 0, 1000000);
    l->order_discount = pss__jr_range_or(r, lo, "order_discount", 0, 0, PSS_AMOUNT_MAX);
    l->refund_line = pss__jr_range_or(r, lo, "refund_line", -1, 0, 9999);
    decode_line_taxes(r, pool, table, lo, l);
    l->amount = pss__jr_amount(r, lo, "amount");
    l->untaxed = pss__jr_amount(r, lo, "untaxed");
    l->tax = pss__jr_amount(r, lo, "tax");
    l->total = pss__jr_amount(r, lo, "total");
}

static void decode_lines(pss_jr *r, json_t *doc, json_t *table, pss_order_data *d)
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
        decode_line(r, &d->pool, table, pss__jr_item(r, lines, i, "lines"), &d->lines[i]);
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
        p->method = pss__order_pool_dup(r, &d->pool, pss__jr_str(r, po, "method"));
        p->cash = pss__jr_bool(r, po, "cash");
        p->amount = pss__jr_amount(r, po, "amount");
        if (!r->rc && p->amount == 0)
            pss__jr_fail(r, "payment %zu has amount 0", i);
        p->state = (pss_payment_state)pss__jr_enum(r, po, "state", pss__payment_state_names);
        p->change = pss__jr_range_or(r, po, "change", 0, 0, PSS_AMOUNT_MAX);
        p->rounding = pss__jr_range_or(r, po, "rounding", 0, -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
        p->reference = pss__order_pool_dup(r, &d->pool, pss__jr_str_or_null(r, po, "reference"));
        p->reason = pss__order_pool_dup(r, &d->pool, pss__jr_str_or_null(r, po, "reason"));
        p->at = pss__jr_time(r, po, "at");
    }
}

static void decode_group(pss_jr *r, pss__pool *pool, json_t *table, json_t *go, pss_group *g)
{
    g->account = pss__order_pool_dup(r, pool, pss__jr_str(r, go, "account"));
    g->taxset = pss__order_pool_dup(r, pool, pss__jr_str(r, go, "taxes"));
    g->amount = pss__jr_amount(r, go, "amount");
    g->untaxed = pss__jr_amount(r, go, "untaxed");
    g->tax = pss__jr_amount(r, go, "tax");
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
        tax_entry e;
        decode_snapshot(r, table, t, &e);
        gt->code = pss__order_pool_dup(r, pool, e.code);
        gt->account = pss__order_pool_dup(r, pool, e.account);
        gt->rate_ppm = e.rate_ppm;
        gt->included = e.included;
        gt->per_unit = e.per_unit;
        gt->affects_base = e.affects_base;
        gt->base = pss__jr_amount(r, t, "base");
        gt->amount = pss__jr_amount(r, t, "amount");
    }
}

/* A group's side: absent, the order's own (a refund's groups are refunds, a sale's sales);
 * exchanges and returns without a receipt write the groups that differ. */
static bool decode_side(pss_jr *r, json_t *go, bool default_refund)
{
    const char *side = pss__jr_str_or_null(r, go, "side");
    if (r->rc || !side)
        return default_refund;
    if (strcmp(side, "refund") != 0 && strcmp(side, "sale") != 0)
        pss__jr_fail(r, "a group's side is '%.16s', not sale or refund", side);
    return strcmp(side, "refund") == 0;
}

static void decode_groups(pss_jr *r, json_t *doc, json_t *table, pss_order_data *d)
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
        json_t *go = pss__jr_item(r, groups, i, "groups");
        decode_group(r, &d->pool, table, go, &d->groups[i]);
        d->groups[i].refund = decode_side(r, go, d->refund_of[0] != 0);
    }
}

static void decode_head(pss_jr *r, json_t *doc, pss_order_data *d)
{
    decode_id_into(r, pss__jr_str(r, doc, "id"), d->id, "id");
    decode_id_into(r, pss__jr_str(r, doc, "session"), d->session_id, "session");
    decode_id_into(r, pss__jr_str(r, doc, "config"), d->config_id, "config");
    d->number = pss__jr_range(r, doc, "number", 1, INT64_MAX);
    d->state = (pss_order_state)pss__jr_enum(r, doc, "state", pss__order_state_names);
    pss__order_check_state(r, d->state);
    pss__order_decode_common(r, doc, d);
    d->created_at = pss__jr_time(r, doc, "created_at");
    const char *by = pss__jr_str(r, doc, "created_by");
    if (!r->rc && strlen(by) > PSS_NAME_MAX)
        pss__jr_fail(r, "field 'created_by' is too long");
    if (!r->rc)
        pss__copy_text(d->created_by, sizeof d->created_by, by);
    d->paid_at = pss__jr_time(r, doc, "paid_at");
    const char *hash = pss__jr_str_or_null(r, doc, "input_hash");
    if (!r->rc && hash && !pss__input_hash_valid(hash))
        pss__jr_fail(r, "field 'input_hash' is not a hash");
    if (!r->rc && hash)
        pss__copy_text(d->input_hash, sizeof d->input_hash, hash);
    json_t *totals = pss__jr_object(r, doc, "totals");
    d->untaxed = pss__jr_amount(r, totals, "untaxed");
    d->tax = pss__jr_amount(r, totals, "tax");
    d->total = pss__jr_amount(r, totals, "total");
    d->rounding = pss__jr_range_or(r, totals, "rounding", 0, -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
}

/* Versions 1 to 3. */
static void decode_v3(pss_jr *r, json_t *doc, const pss_record *rec, pss_order_data *d)
{
    json_t *table = json_object_get(doc, "taxes");
    if (table && !json_is_object(table))
        pss__jr_fail(r, "field 'taxes' is not an object");
    decode_head(r, doc, d);
    decode_lines(r, doc, table, d);
    decode_payments(r, doc, d);
    decode_groups(r, doc, table, d);
    if (!r->rc && strcmp(d->id, rec->id) != 0)
        pss__jr_fail(r, "it says its id is %s", d->id);
}

int pss__order_decode(pss_ctx *ctx, const pss_record *rec, pss_order_data **out)
{
    pss_jr r;
    pss__jr_init(&r, ctx, PSS__KIND_ORDER, rec->id);
    r.max_version = PSS_ORDER_SCHEMA_VERSION_4;
    json_t *doc = pss__jr_parse(&r, rec->payload, rec->payload_len);
    if (!doc)
        return r.rc;
    pss_order_data *d = pss__order_data_new(ctx);
    if (!d) {
        json_decref(doc);
        return pss__oom(ctx);
    }
    if (r.version >= PSS_ORDER_SCHEMA_VERSION_4)
        pss__order_decode_v4(&r, doc, rec, d);
    else
        decode_v3(&r, doc, rec, d);
    json_decref(doc);
    if (r.rc) {
        pss__order_data_free(ctx, d);
        return r.rc;
    }
    d->rev = rec->rev;
    *out = d;
    return 0;
}

int pss__order_brief_decode(pss_ctx *ctx, const pss_record *rec, pss__order_brief *out)
{
    pss_jr r;
    pss__jr_init(&r, ctx, PSS__KIND_ORDER, rec->id);
    r.max_version = PSS_ORDER_SCHEMA_VERSION_4;
    json_t *doc = pss__jr_parse(&r, rec->payload, rec->payload_len);
    if (!doc)
        return r.rc;
    memset(out, 0, sizeof *out);
    bool v4 = r.version >= PSS_ORDER_SCHEMA_VERSION_4; /* its id is the record's */
    decode_id_into(&r, v4 ? rec->id : pss__jr_str(&r, doc, "id"), out->id, "id");
    out->number = pss__jr_range(&r, doc, v4 ? "no" : "number", 1, INT64_MAX);
    out->state = v4 ? (pss_order_state)pss__jr_enum_or(&r, doc, "state", pss__order_state_names,
                                                       PSS_ORDER_PAID)
                    : (pss_order_state)pss__jr_enum(&r, doc, "state", pss__order_state_names);
    pss__order_check_state(&r, out->state);
    json_decref(doc);
    return r.rc;
}

static int decode_order(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return pss__order_decode(ctx, rec, out);
}

int pss__order_read(pss_ctx *ctx, const char *id, pss_order_data **out)
{
    *out = NULL;
    return pss__get_decoded(ctx, PSS__KIND_ORDER, id, decode_order, out);
}
