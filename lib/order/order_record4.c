/* order_record4.c: version 4 of the order record (doc/storage.md, "order"): the head by
 * member name, lines, taxes and payments as tuples (a field's place says what it is), and
 * nothing that is an exact sum or difference of what is kept: no id, session or config (the
 * record's id and parent), no groups or totals (the lines' sums), no line untaxed, tax or
 * total, no amount that is exactly quantity x price / 1000. Every figure a rounding rule
 * produced is kept as it was charged; the reader only adds and subtracts. */
#include "order/order_record4.h"

#include <stdio.h>
#include <string.h>

#include "base/names.h"
#include "base/text.h"

/* Where each field of a tuple stands; trailing fields at their default are left out, and a
 * null stands for one at its default before a field that is written. */
enum line_pos {
    L_PRODUCT, L_QTY, L_PRICE, L_TAXES, /* always there */
    L_AMOUNT, L_NAME, L_ACCOUNT, L_DISCOUNT, L_ORDER_DISCOUNT, L_REFUND_LINE, L_CATEGORY,
    L_FIELDS
};
enum tax_pos { T_CODE, T_AMOUNT, T_RATE, T_INCLUDED, T_ACCOUNT, T_PER_UNIT, T_AFFECTS, T_FIELDS };
enum entry_pos { E_RATE, E_INCLUDED, E_ACCOUNT, E_PER_UNIT, E_AFFECTS, E_FIELDS };
enum pay_pos {
    P_METHOD, P_CASH, P_AMOUNT, /* always there */
    P_STATE, P_AT, P_CHANGE, P_ROUNDING, P_REFERENCE, P_REASON, P_FIELDS
};

/* ---- what version 4 leaves out ---- */

/* A line's amount is left out when it is exactly quantity x price / 1000, a product that fits
 * in 64 bits (so that SQL's integer arithmetic gives it back too). */
static bool amount_is_product(const pss_line *l)
{
    __int128 p = (__int128)l->qty * l->price;
    return p >= INT64_MIN && p <= INT64_MAX && p % 1000 == 0 && p / 1000 == l->amount;
}

/* The line's untaxed, tax and total are its amount less its included taxes, the sum of its
 * taxes and the sum of those two; its codes are distinct and hold no ',' (config.c refuses
 * both), so that its group is found by its tax set. */
static bool line_fits(const pss_line *l)
{
    int64_t tax = 0, included = 0, untaxed, total;
    for (size_t k = 0; k < l->n_taxes; k++) {
        const pss_line_tax *t = &l->taxes[k];
        if (!t->code || !t->account || strchr(t->code, ','))
            return false;
        for (size_t j = 0; j < k; j++)
            if (strcmp(l->taxes[j].code, t->code) == 0)
                return false;
        if (__builtin_add_overflow(tax, t->amount, &tax) ||
            (t->included && __builtin_add_overflow(included, t->amount, &included)))
            return false;
    }
    return !__builtin_sub_overflow(l->amount, included, &untaxed) &&
           !__builtin_add_overflow(untaxed, tax, &total) && untaxed == l->untaxed &&
           tax == l->tax && total == l->total;
}

bool pss__order_v4_fits(const pss_order_data *d)
{
    /* what the reader refuses beyond (an order never holds more: order.c, payment.c) */
    if (d->n_lines > PSS__ORDER_LINES_MAX || d->n_payments > PSS__ORDER_PAYMENTS_MAX)
        return false;
    for (size_t i = 0; i < d->n_lines; i++)
        if (!line_fits(&d->lines[i]))
            return false;
    return pss__groups_are_line_sums(d);
}

/* ---- encode ---- */

static void put_plain(pss_jsonc *c, const char *s)
{
    pss__jsonc_plain(c, s, strlen(s));
}

/* rate, included, account, then per_unit and affects_base when not at their defaults. */
static void encode_snapshot(const tax_entry *e, pss_jsonc *c)
{
    pss__jsonc_int(c, e->rate_ppm);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_bool(c, e->included);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_str(c, e->account);
    if (e->per_unit || e->affects_base) {
        PSS_JSONC_LIT(c, ",");
        pss__jsonc_int(c, e->per_unit);
    }
    if (e->affects_base)
        PSS_JSONC_LIT(c, ",true");
}

/* "taxes":{"VAT10":[100000,true,"Liabilities:VAT10"]} */
static void encode_table(const tax_table *t, pss_jsonc *c)
{
    if (t->n == 0)
        return;
    PSS_JSONC_LIT(c, ",\"taxes\":{");
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            PSS_JSONC_LIT(c, ",");
        pss__jsonc_str(c, t->e[i].code);
        PSS_JSONC_LIT(c, ":[");
        encode_snapshot(&t->e[i], c);
        PSS_JSONC_LIT(c, "]");
    }
    PSS_JSONC_LIT(c, "}");
}

static bool same_entry(const tax_entry *a, const tax_entry *b)
{
    return a->rate_ppm == b->rate_ppm && a->included == b->included &&
           pss__same_text(a->account, b->account) && a->per_unit == b->per_unit &&
           a->affects_base == b->affects_base;
}

/* [code, amount], with the whole snapshot after them when the table's differs or is none. */
static void encode_line_tax(const tax_table *t, const pss_line_tax *lt, pss_jsonc *c)
{
    tax_entry s = pss__line_entry(lt);
    const tax_entry *e = pss__table_find(t, s.code);
    PSS_JSONC_LIT(c, "[");
    pss__jsonc_str(c, s.code);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_int(c, lt->amount);
    if (!e || !same_entry(e, &s)) {
        PSS_JSONC_LIT(c, ",");
        encode_snapshot(&s, c);
    }
    PSS_JSONC_LIT(c, "]");
}

/* The optional fields of a line that are not at their defaults. */
static unsigned line_fields(const pss_line *l, const char *income)
{
    return (!amount_is_product(l) ? 1u << L_AMOUNT : 0) |
           (strcmp(l->product_name, l->product_id) != 0 ? 1u << L_NAME : 0) |
           (strcmp(l->income_account, income) != 0 ? 1u << L_ACCOUNT : 0) |
           (l->discount_ppm ? 1u << L_DISCOUNT : 0) |
           (l->order_discount ? 1u << L_ORDER_DISCOUNT : 0) |
           (l->refund_line >= 0 ? 1u << L_REFUND_LINE : 0) | (l->category ? 1u << L_CATEGORY : 0);
}

static void encode_line_field(const pss_line *l, int pos, pss_jsonc *c)
{
    switch (pos) {
    case L_AMOUNT: pss__jsonc_int(c, l->amount); break;
    case L_NAME: pss__jsonc_str(c, l->product_name); break;
    case L_ACCOUNT: pss__jsonc_str(c, l->income_account); break;
    case L_DISCOUNT: pss__jsonc_int(c, l->discount_ppm); break;
    case L_ORDER_DISCOUNT: pss__jsonc_int(c, l->order_discount); break;
    case L_REFUND_LINE: pss__jsonc_int(c, l->refund_line); break;
    default: pss__jsonc_str(c, l->category); break;
    }
}

/* Positions first to the last that is set: each set one's value, null for the others. */
static void encode_optional(unsigned set, int first, int count, pss_jsonc *c,
                            void (*field)(const void *, int, pss_jsonc *), const void *item)
{
    int last = first - 1;
    for (int pos = first; pos < count; pos++)
        if (set & (1u << pos))
            last = pos;
    for (int pos = first; pos <= last; pos++) {
        PSS_JSONC_LIT(c, ",");
        if (set & (1u << pos))
            field(item, pos, c);
        else
            PSS_JSONC_LIT(c, "null");
    }
}

static void line_field(const void *item, int pos, pss_jsonc *c)
{
    encode_line_field(item, pos, c);
}

static void encode_line(const tax_table *t, const char *income, const pss_line *l, pss_jsonc *c)
{
    PSS_JSONC_LIT(c, "[");
    pss__jsonc_str(c, l->product_id);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_int(c, l->qty);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_int(c, l->price);
    PSS_JSONC_LIT(c, ",[");
    for (size_t k = 0; k < l->n_taxes; k++) {
        if (k)
            PSS_JSONC_LIT(c, ",");
        encode_line_tax(t, &l->taxes[k], c);
    }
    PSS_JSONC_LIT(c, "]");
    encode_optional(line_fields(l, income), L_AMOUNT, L_FIELDS, c, line_field, l);
    PSS_JSONC_LIT(c, "]");
}

typedef struct payment_of {
    const pss_payment *p;
    int64_t paid_at; /* the order's: a payment's time when absent */
} payment_of;

static void payment_field(const void *item, int pos, pss_jsonc *c)
{
    const pss_payment *p = ((const payment_of *)item)->p;
    switch (pos) {
    case P_STATE: put_plain(c, pss__name_of(pss__payment_state_names, p->state)); break;
    case P_AT: pss__jsonc_int(c, p->at); break;
    case P_CHANGE: pss__jsonc_int(c, p->change); break;
    case P_ROUNDING: pss__jsonc_int(c, p->rounding); break;
    case P_REFERENCE: pss__jsonc_str(c, p->reference); break;
    default: pss__jsonc_str(c, p->reason); break;
    }
}

static void encode_payment(const pss_payment *p, int64_t paid_at, pss_jsonc *c)
{
    unsigned set = (p->state != PSS_PAYMENT_DONE ? 1u << P_STATE : 0) |
                   (p->at != paid_at ? 1u << P_AT : 0) | (p->change ? 1u << P_CHANGE : 0) |
                   (p->rounding ? 1u << P_ROUNDING : 0) |
                   (p->reference ? 1u << P_REFERENCE : 0) | (p->reason ? 1u << P_REASON : 0);
    payment_of of = {p, paid_at};
    PSS_JSONC_LIT(c, "[");
    pss__jsonc_str(c, p->method);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_bool(c, p->cash);
    PSS_JSONC_LIT(c, ",");
    pss__jsonc_int(c, p->amount);
    encode_optional(set, P_STATE, P_FIELDS, c, payment_field, &of);
    PSS_JSONC_LIT(c, "]");
}

/* What the order is rather than what it charged: flags, texts, the discount as given. */

static void encode_head(const pss_order_data *d, pss_jsonc *c)
{
    PSS_JSONC_LIT(c, "{\"v\":" PSS_STRINGIFY(PSS_ORDER_SCHEMA_VERSION_4) ",\"no\":");
    pss__jsonc_int(c, d->number);
    if (d->state != PSS_ORDER_PAID) { /* absent: paid, what an order record ends as */
        PSS_JSONC_LIT(c, ",\"state\":");
        put_plain(c, pss__name_of(pss__order_state_names, d->state));
    }
    pss__order_encode_about(d, c);
    PSS_JSONC_LIT(c, ",\"at\":");
    pss__jsonc_int(c, d->created_at);
    PSS_JSONC_LIT(c, ",\"by\":");
    pss__jsonc_str(c, d->created_by);
    if (d->paid_at != d->created_at) { /* absent: paid when created (submitted orders) */
        PSS_JSONC_LIT(c, ",\"paid_at\":");
        pss__jsonc_int(c, d->paid_at);
    }
    if (d->input_hash[0]) {
        PSS_JSONC_LIT(c, ",\"hash\":");
        put_plain(c, d->input_hash);
    }
    PSS_JSONC_OPT_INT(c, "rounding", d->rounding);
    if (d->n_lines) { /* the lines' income account, unless a line says otherwise */
        PSS_JSONC_LIT(c, ",\"income\":");
        pss__jsonc_str(c, d->lines[0].income_account);
    }
}

int pss__order_encode_v4(pss_ctx *ctx, const pss_order_data *d, pss__strbuf *buf)
{
    pss_jsonc c;
    tax_table table;
    pss__tax_table_build(d, false, &table);
    pss__jsonc_begin(&c, buf);
    encode_head(d, &c);
    encode_table(&table, &c);
    const char *income = d->n_lines ? d->lines[0].income_account : "";
    PSS_JSONC_LIT(&c, ",\"lines\":[");
    for (size_t i = 0; i < d->n_lines; i++) {
        if (i)
            PSS_JSONC_LIT(&c, ",");
        encode_line(&table, income, &d->lines[i], &c);
    }
    PSS_JSONC_LIT(&c, "],\"payments\":[");
    for (size_t i = 0; i < d->n_payments; i++) {
        if (i)
            PSS_JSONC_LIT(&c, ",");
        encode_payment(&d->payments[i], d->paid_at, &c);
    }
    PSS_JSONC_LIT(&c, "]}");
    return pss__jsonc_finish(ctx, &c);
}

/* ---- decode ---- */

typedef struct reader4 {
    pss_jr *r;
    pss_order_data *d;
    json_t *table;      /* "taxes", or NULL */
    const char *income; /* "income", or NULL */
    char *income_copy;  /* its copy in the order's pool, which the lines giving none share */
} reader4;

static void snapshot_from(const pss_jt *t, size_t at, pss_line_tax *lt)
{
    lt->rate_ppm = pss__jt_range(t, at + E_RATE, "rate_ppm", 0, 10000000);
    lt->included = pss__jt_bool(t, at + E_INCLUDED, "included");
    lt->account = (char *)pss__jt_str(t, at + E_ACCOUNT, "account");
    lt->per_unit = pss__jt_range_or(t, at + E_PER_UNIT, "per_unit", 0, 0, PSS_AMOUNT_MAX);
    lt->affects_base = pss__jt_bool_or(t, at + E_AFFECTS, "affects_base", false);
    if (lt->per_unit && lt->rate_ppm)
        pss__jt_fail(t, at + E_PER_UNIT, "per_unit", "is set beside a rate");
}

/* A tax written as [code, amount] takes its snapshot from the order's table. */
static void snapshot_of_table(reader4 *rd, const pss_jt *t, pss_line_tax *lt)
{
    json_t *entry = rd->table ? json_object_get(rd->table, lt->code) : NULL;
    pss_jt e;
    if (!entry) {
        pss__jt_fail(t, T_CODE, "code", "'%.64s' has no entry in the order's taxes", lt->code);
        return;
    }
    if (pss__jt_open_member(&e, rd->r, entry, "taxes", lt->code, E_ACCOUNT + 1, E_FIELDS))
        snapshot_from(&e, 0, lt);
}

/* The line's codes are distinct and hold no ',': its tax set finds its group. */
static void check_code(const pss_jt *t, const pss_line *l, size_t k)
{
    const char *code = l->taxes[k].code;
    if (strchr(code, ','))
        pss__jt_fail(t, T_CODE, "code", "'%.64s' holds a ','", code);
    for (size_t j = 0; j < k; j++)
        if (strcmp(l->taxes[j].code, code) == 0)
            pss__jt_fail(t, T_CODE, "code", "'%.64s' is on the line twice", code);
}

static void decode_line_tax(reader4 *rd, const pss_jt *lt_list, json_t *taxes, pss_line *l,
                            size_t k)
{
    pss_jt t;
    if (!pss__jt_open(&t, rd->r, taxes, k, NULL, lt_list, L_TAXES, T_AMOUNT + 1, T_FIELDS))
        return;
    pss_line_tax *lt = &l->taxes[k];
    lt->code = (char *)pss__jt_str(&t, T_CODE, "code");
    lt->amount = pss__jt_range(&t, T_AMOUNT, "amount", -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
    size_t n = pss__jt_size(&t);
    if (n == T_AMOUNT + 1)
        snapshot_of_table(rd, &t, lt);
    else if (n >= T_ACCOUNT + 1)
        snapshot_from(&t, T_RATE, lt);
    else
        pss__jt_fail(&t, 0, NULL, "has %zu fields: a tax is a code and an amount, with its "
                                  "rate, included and account or none", n);
    check_code(&t, l, k);
    lt->code = pss__order_pool_dup(rd->r, &rd->d->pool, lt->code);
    lt->account = pss__order_pool_dup(rd->r, &rd->d->pool, lt->account);
}

static void decode_line_taxes(reader4 *rd, const pss_jt *t, pss_line *l)
{
    json_t *taxes = pss__jt_array(t, L_TAXES, "taxes");
    size_t n = json_array_size(taxes);
    if (rd->r->rc || n == 0)
        return;
    if (n > PSS_MAX_LINE_TAXES) {
        pss__jt_fail(t, L_TAXES, "taxes", "has %zu taxes; at most %d", n, PSS_MAX_LINE_TAXES);
        return;
    }
    l->taxes = pss__pool_calloc(rd->r->ctx->alloc, &rd->d->pool, n, sizeof *l->taxes);
    if (!l->taxes) {
        rd->r->rc = pss__oom(rd->r->ctx);
        return;
    }
    for (size_t k = 0; k < n && !rd->r->rc; k++) {
        l->n_taxes = k + 1;
        decode_line_tax(rd, t, taxes, l, k);
    }
}

/* Left out: exactly quantity x price / 1000, which must then be a whole amount. */
static int64_t decode_amount(const pss_jt *t, const pss_line *l)
{
    if (pss__jt_get(t, L_AMOUNT))
        return pss__jt_range(t, L_AMOUNT, "amount", -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
    __int128 p = (__int128)l->qty * l->price;
    if (p % 1000 != 0 || p / 1000 > PSS_AMOUNT_MAX || p / 1000 < -PSS_AMOUNT_MAX)
        pss__jt_fail(t, L_AMOUNT, "amount", "is left out, but quantity x price / 1000 is not a "
                                            "whole amount within the bounds");
    return (int64_t)(p / 1000);
}

static char *decode_account(reader4 *rd, const pss_jt *t)
{
    const char *account = pss__jt_str_or_null(t, L_ACCOUNT, "account");
    if (account)
        return pss__order_pool_dup(rd->r, &rd->d->pool, account);
    if (!rd->income && !rd->r->rc)
        pss__jt_fail(t, L_ACCOUNT, "account", "is left out and the order has no 'income'");
    if (!rd->income_copy)
        rd->income_copy = pss__order_pool_dup(rd->r, &rd->d->pool, rd->income);
    return rd->income_copy;
}

/* untaxed, tax and total: the line's amount less its included taxes, and sums. */
static void derive_line(const pss_jt *t, pss_line *l)
{
    pss__line_from_taxes(l); /* at most 8 taxes within the bounds: no overflow */
    if (l->tax > PSS_AMOUNT_MAX || l->tax < -PSS_AMOUNT_MAX || l->untaxed > PSS_AMOUNT_MAX ||
        l->untaxed < -PSS_AMOUNT_MAX || l->total > PSS_AMOUNT_MAX || l->total < -PSS_AMOUNT_MAX)
        pss__jt_fail(t, 0, NULL, "comes to %lld untaxed and %lld tax, beyond the bounds",
                     (long long)l->untaxed, (long long)l->tax);
}

static void decode_line(reader4 *rd, const pss_jt *t, pss_line *l)
{
    pss__pool *pool = &rd->d->pool;
    const char *product = pss__jt_str(t, L_PRODUCT, "product");
    l->product_id = pss__order_pool_dup(rd->r, pool, product);
    l->qty = pss__jt_range(t, L_QTY, "qty", -PSS_QUANTITY_MAX, PSS_QUANTITY_MAX);
    if (!rd->r->rc && l->qty == 0)
        pss__jt_fail(t, L_QTY, "qty", "is 0");
    l->price = pss__jt_range(t, L_PRICE, "price", 0, PSS_AMOUNT_MAX);
    decode_line_taxes(rd, t, l);
    l->amount = decode_amount(t, l);
    const char *name = pss__jt_str_or_null(t, L_NAME, "name");
    l->product_name = name ? pss__order_pool_dup(rd->r, pool, name) : l->product_id;
    l->income_account = decode_account(rd, t);
    l->discount_ppm = pss__jt_range_or(t, L_DISCOUNT, "discount_ppm", 0, 0, 1000000);
    l->order_discount =
        pss__jt_range_or(t, L_ORDER_DISCOUNT, "order_discount", 0, 0, PSS_AMOUNT_MAX);
    l->refund_line = pss__jt_range_or(t, L_REFUND_LINE, "refund_line", -1, 0, 9999);
    l->category = pss__order_pool_dup(rd->r, pool, pss__jt_str_or_null(t, L_CATEGORY, "category"));
    if (!rd->r->rc)
        derive_line(t, l);
    if (!rd->r->rc && pss__taxset_of(rd->r->ctx, pool, l))
        rd->r->rc = PSS_ENOMEM;
}

static void decode_lines(reader4 *rd, json_t *doc)
{
    pss_order_data *d = rd->d;
    json_t *lines = pss__jr_array(rd->r, doc, "lines");
    size_t n = json_array_size(lines);
    if (rd->r->rc || n == 0)
        return;
    if (n > PSS__ORDER_LINES_MAX) {
        pss__jr_fail(rd->r, "it has %zu lines; at most %d", n, PSS__ORDER_LINES_MAX);
        return;
    }
    if (!(d->lines = PSS_CALLOC(rd->r->ctx, n, sizeof *d->lines))) {
        rd->r->rc = pss__oom(rd->r->ctx);
        return;
    }
    d->cap_lines = n;
    for (size_t i = 0; i < n && !rd->r->rc; i++) {
        pss_jt t;
        d->n_lines = i + 1;
        if (pss__jt_open(&t, rd->r, lines, i, "lines", NULL, 0, L_TAXES + 1, L_FIELDS))
            decode_line(rd, &t, &d->lines[i]);
    }
}

static void decode_payment(reader4 *rd, const pss_jt *t, pss_payment *p)
{
    pss__pool *pool = &rd->d->pool;
    p->method = pss__order_pool_dup(rd->r, pool, pss__jt_str(t, P_METHOD, "method"));
    p->cash = pss__jt_bool(t, P_CASH, "cash");
    p->amount = pss__jt_range(t, P_AMOUNT, "amount", -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
    if (!rd->r->rc && p->amount == 0)
        pss__jt_fail(t, P_AMOUNT, "amount", "is 0");
    p->state = (pss_payment_state)pss__jt_enum_or(t, P_STATE, "state", pss__payment_state_names,
                                                  PSS_PAYMENT_DONE);
    p->at = pss__jt_range_or(t, P_AT, "at", rd->d->paid_at, PSS_TIME_MIN, PSS_TIME_MAX);
    p->change = pss__jt_range_or(t, P_CHANGE, "change", 0, 0, PSS_AMOUNT_MAX);
    p->rounding =
        pss__jt_range_or(t, P_ROUNDING, "rounding", 0, -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
    const char *reference = pss__jt_str_or_null(t, P_REFERENCE, "reference");
    p->reference = pss__order_pool_dup(rd->r, pool, reference);
    p->reason = pss__order_pool_dup(rd->r, pool, pss__jt_str_or_null(t, P_REASON, "reason"));
}

static void decode_payments(reader4 *rd, json_t *doc)
{
    pss_order_data *d = rd->d;
    json_t *payments = pss__jr_array(rd->r, doc, "payments");
    size_t n = json_array_size(payments);
    if (rd->r->rc || n == 0)
        return;
    if (n > PSS__ORDER_PAYMENTS_MAX) {
        pss__jr_fail(rd->r, "it has %zu payments; at most %d", n, PSS__ORDER_PAYMENTS_MAX);
        return;
    }
    if (!(d->payments = PSS_CALLOC(rd->r->ctx, n, sizeof *d->payments))) {
        rd->r->rc = pss__oom(rd->r->ctx);
        return;
    }
    d->cap_payments = n;
    for (size_t i = 0; i < n && !rd->r->rc; i++) {
        pss_jt t;
        d->n_payments = i + 1;
        if (pss__jt_open(&t, rd->r, payments, i, "payments", NULL, 0, P_AMOUNT + 1, P_FIELDS))
            decode_payment(rd, &t, &d->payments[i]);
    }
}

/* The record's id and parent are the order's id and session. */
static void decode_ids(pss_jr *r, const pss_record *rec, pss_order_data *d)
{
    if (pss_id_normalize(rec->id, d->id) != 0)
        pss__jr_fail(r, "its record id is not a UUID");
    else if (!rec->parent || pss_id_normalize(rec->parent, d->session_id) != 0)
        pss__jr_fail(r, "its record's parent (its session) is not a UUID");
}

static void decode_head(pss_jr *r, json_t *doc, const pss_record *rec, pss_order_data *d)
{
    decode_ids(r, rec, d);
    d->number = pss__jr_range(r, doc, "no", 1, INT64_MAX);
    d->state = (pss_order_state)pss__jr_enum_or(r, doc, "state", pss__order_state_names,
                                                PSS_ORDER_PAID);
    pss__order_check_state(r, d->state);
    pss__order_decode_common(r, doc, d);
    d->created_at = pss__jr_time(r, doc, "at");
    const char *by = pss__jr_str(r, doc, "by");
    if (!r->rc && strlen(by) > PSS_NAME_MAX)
        pss__jr_fail(r, "field 'by' is too long");
    if (!r->rc)
        pss__copy_text(d->created_by, sizeof d->created_by, by);
    d->paid_at = json_object_get(doc, "paid_at") ? pss__jr_time(r, doc, "paid_at")
                                                  : d->created_at;
    const char *hash = pss__jr_str_or_null(r, doc, "hash");
    if (!r->rc && hash && !pss__input_hash_valid(hash))
        pss__jr_fail(r, "field 'hash' is not a hash");
    if (!r->rc && hash)
        pss__copy_text(d->input_hash, sizeof d->input_hash, hash);
    d->rounding = pss__jr_range_or(r, doc, "rounding", 0, -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
}

static bool within(int64_t v)
{
    return v >= -PSS_AMOUNT_MAX && v <= PSS_AMOUNT_MAX;
}

/* The groups and totals the lines add up to, within the bounds a stored figure keeps. */
static void derive_order(pss_jr *r, pss_order_data *d)
{
    int rc = pss__order_sum_lines(r->ctx, d);
    if (rc == PSS_ENOMEM) {
        r->rc = rc;
        return;
    }
    if (rc || !within(d->untaxed) || !within(d->tax) || !within(d->total)) {
        pss__jr_fail(r, "its lines add up beyond the bounds of an order's figures");
        return;
    }
    for (size_t i = 0; i < d->n_groups; i++) {
        const pss_group *g = &d->groups[i];
        bool ok = within(g->amount) && within(g->untaxed) && within(g->tax);
        for (size_t k = 0; ok && k < g->n_taxes; k++)
            ok = within(g->taxes[k].amount);
        if (!ok) {
            pss__jr_fail(r, "its lines of group %zu add up beyond the bounds", i);
            return;
        }
    }
}

void pss__order_decode_v4(pss_jr *r, json_t *doc, const pss_record *rec, pss_order_data *d)
{
    reader4 rd = {r, d, json_object_get(doc, "taxes"), NULL, NULL};
    if (rd.table && !json_is_object(rd.table))
        pss__jr_fail(r, "field 'taxes' is not an object");
    decode_head(r, doc, rec, d);
    rd.income = pss__jr_str_or_null(r, doc, "income");
    decode_lines(&rd, doc);
    decode_payments(&rd, doc);
    if (!r->rc)
        derive_order(r, d);
}
