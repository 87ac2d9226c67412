/* refund.c: what a refund takes back. Each refunded sale has a tally record: per line of the
 * sale, the quantity refunded so far and the figures paid back (its amount and each tax). A
 * refund line's figures come from the sale line and the tally, never from the formulas
 * (doc/concepts.md, "Refunds"): for each figure F = R(F_sold x (R + q) / Q) - F_refunded,
 * kept between nothing and what is left of it. Refunding a line piece by piece so never
 * pays back more than the sale took, and the last piece takes exactly what is left. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "base/money_internal.h"
#include "store/store.h"
#include "store/records.h"

#define FIGURES (1 + PSS_MAX_LINE_TAXES) /* the amount, then each tax of the sale line */

/* What is refunded of one sale line: quantity and figures, positive. */
typedef struct taken {
    int64_t qty;
    int64_t fig[FIGURES];
} taken;

typedef struct tally {
    taken *lines; /* one per sale line */
    size_t n;
    uint64_t rev; /* 0: no record yet */
} tally;

static int64_t sold_figure(const pss_line *sale, size_t k)
{
    return k == 0 ? sale->amount : sale->taxes[k - 1].amount;
}

static size_t figure_count(const pss_line *sale)
{
    return 1 + sale->n_taxes;
}

/* R(F_sold x qty / Q): the share of a figure that a refunded quantity takes. */
static int64_t share_of(const pss_config *cfg, const pss_line *sale, size_t k, int64_t qty)
{
    int64_t out = 0;
    /* |F_sold| <= PSS_AMOUNT_MAX, 0 <= qty <= Q: the share fits */
    pss__round_div128((__int128)sold_figure(sale, k) * qty, sale->qty, cfg->rounding, &out);
    return out;
}

/* ---- the tally record ---- */

typedef struct tally_read {
    pss_ctx *ctx;
    const pss_config *cfg;
    const pss_order_data *sale;
    tally *t;
} tally_read;

static void decode_figures(pss_jr *r, tally_read *tr, json_t *figs, size_t i)
{
    const pss_line *sale = &tr->sale->lines[i];
    taken *tk = &tr->t->lines[i];
    json_t *row = json_array_get(figs, i);
    if (!figs) { /* written by 1.0: quantities only; the figures are the shares they took */
        for (size_t k = 0; k < figure_count(sale); k++)
            tk->fig[k] = share_of(tr->cfg, sale, k, tk->qty);
        return;
    }
    if (!json_is_array(row) || json_array_size(row) != figure_count(sale)) {
        pss__jr_fail(r, "figures[%zu] is not a list of %zu amounts", i, figure_count(sale));
        return;
    }
    for (size_t k = 0; k < figure_count(sale); k++) {
        json_t *v = json_array_get(row, k);
        int64_t sold = sold_figure(sale, k); /* a tax may be negative: rounding up included */
        int64_t f = json_is_integer(v) ? (int64_t)json_integer_value(v) : sold + (sold < 0 ? -1 : 1);
        if (sold >= 0 ? f < 0 || f > sold : f > 0 || f < sold) /* between nothing and sold */
            pss__jr_fail(r, "figures[%zu][%zu] is not within what line %zu sold", i, k, i);
        tk->fig[k] = f;
    }
}

static int on_tally(const pss_record *rec, void *arg)
{
    tally_read *tr = arg;
    pss_jr r;
    json_t *doc = pss__jr_record(&r, tr->ctx, PSS__KIND_REFUND_TALLY, rec);
    if (!doc)
        return r.rc;
    json_t *qty = pss__jr_array(&r, doc, "refunded");
    json_t *figs = json_object_get(doc, "figures");
    if (!r.rc && (json_array_size(qty) != tr->t->n || (figs && !json_is_array(figs))))
        pss__jr_fail(&r, "it does not list the %zu lines of order %s", tr->t->n, tr->sale->id);
    for (size_t i = 0; !r.rc && i < tr->t->n; i++) {
        json_t *v = json_array_get(qty, i);
        int64_t q = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
        int64_t sold = tr->sale->lines[i].qty > 0 ? tr->sale->lines[i].qty : 0; /* a return: 0 */
        if (q < 0 || q > sold)
            pss__jr_fail(&r, "refunded[%zu] is not a quantity line %zu sold", i, i);
        tr->t->lines[i].qty = q;
        if (!r.rc)
            decode_figures(&r, tr, figs, i);
    }
    json_decref(doc);
    tr->t->rev = rec->rev;
    return r.rc;
}

static int tally_read_of(pss_stage *st, const pss_order_data *sale, tally *t)
{
    pss_ctx *ctx = st->s->ctx;
    t->n = sale->n_lines;
    t->rev = 0;
    t->lines = PSS_CALLOC(ctx, t->n ? t->n : 1, sizeof *t->lines);
    if (!t->lines)
        return pss__oom(ctx);
    tally_read tr = {ctx, st->s->config, sale, t};
    int rc = pss__get(ctx, PSS__KIND_REFUND_TALLY, sale->id, on_tally, &tr);
    return rc == PSS_ENOTFOUND ? 0 : rc;
}

static int tally_write(pss_stage *st, const pss_order_data *sale, const tally *t)
{
    pss_ctx *ctx = st->s->ctx;
    pss_jsonw w;
    pss__jsonw_begin(&w, st->buf);
    pss__jsonw_str(&w, "order", sale->id);
    pss__jsonw_array(&w, "refunded");
    for (size_t i = 0; i < t->n; i++)
        pss__jsonw_int(&w, NULL, t->lines[i].qty);
    pss__jsonw_end(&w);
    pss__jsonw_array(&w, "figures");
    for (size_t i = 0; i < t->n; i++) {
        pss__jsonw_array(&w, NULL);
        for (size_t k = 0; k < figure_count(&sale->lines[i]); k++)
            pss__jsonw_int(&w, NULL, t->lines[i].fig[k]);
        pss__jsonw_end(&w);
    }
    pss__jsonw_end(&w);
    int rc = pss__jsonw_finish(ctx, &w);
    if (!rc)
        rc = pss__put(ctx, PSS__KIND_REFUND_TALLY, sale->id, sale->id, st->buf->data, st->buf->len,
                      t->rev, NULL);
    if (rc == PSS_ECONFLICT)
        rc = pss__fail(ctx, PSS_ECONFLICT, "refund tally of order %s changed underneath",
                       sale->id);
    return rc;
}

/* ---- what a refund order takes ---- */

/* Adds sign x what refund line l takes back (its quantity and figures, made positive). */
static int add_taken(taken *tk, const pss_line *l, int sign)
{
    int64_t fig[FIGURES] = {-l->amount};
    for (size_t k = 0; k < l->n_taxes; k++)
        fig[1 + k] = -l->taxes[k].amount;
    if (__builtin_add_overflow(tk->qty, sign * -l->qty, &tk->qty))
        return PSS_EOVERFLOW;
    for (size_t k = 0; k < 1 + l->n_taxes; k++)
        if (__builtin_add_overflow(tk->fig[k], sign * fig[k], &tk->fig[k]))
            return PSS_EOVERFLOW;
    return 0;
}

/* What a refund order's lines take from each sale line (nothing once it is cancelled). */
static int use_of(const pss_order_data *d, taken *use, size_t n, int sign)
{
    if (!d || d->state == PSS_ORDER_CANCELLED)
        return 0;
    for (size_t i = 0; i < d->n_lines; i++) {
        const pss_line *l = &d->lines[i];
        if (l->refund_line >= 0 && (size_t)l->refund_line < n &&
            add_taken(&use[l->refund_line], l, sign))
            return PSS_EOVERFLOW;
    }
    return 0;
}

static const char *fmt_qty(char buf[PSS_MONEY_BUFSIZE], int64_t qty)
{
    return pss__fmt(buf, qty, 3);
}

static int too_much(pss_ctx *ctx, const pss_order_data *sale, size_t line, int64_t before,
                    int64_t more)
{
    char s[PSS_MONEY_BUFSIZE], a[PSS_MONEY_BUFSIZE], w[PSS_MONEY_BUFSIZE];
    const pss_line *l = &sale->lines[line];
    pss__fail(ctx, PSS_EREFUND, "line %zu ('%s') of order %s sold %s and %s are already "
                                "refunded; refunding %s more is refused", line,
              l->product_name, sale->id, fmt_qty(s, l->qty), fmt_qty(a, before),
              fmt_qty(w, more));
    pss__figure(ctx, "available", l->qty - before);
    return PSS_EREFUND;
}

/* ---- a refund line's figures ---- */

/* Keeps a figure's delta between nothing and what is left of it, in the sale's sign. */
static int64_t within(int64_t delta, int64_t left)
{
    if (left >= 0)
        return delta < 0 ? 0 : delta > left ? left : delta;
    return delta > 0 ? 0 : delta < left ? left : delta;
}

static void set_figures(const pss_config *cfg, const pss_line *sale, const taken *before,
                        int64_t qty, pss_line *l)
{
    int64_t after = before->qty + qty;
    int64_t fig[FIGURES];
    for (size_t k = 0; k < figure_count(sale); k++) {
        int64_t left = sold_figure(sale, k) - before->fig[k];
        fig[k] = within(share_of(cfg, sale, k, after) - before->fig[k], left);
    }
    l->amount = -fig[0];
    l->tax = 0;
    int64_t included = 0;
    for (size_t k = 0; k < l->n_taxes; k++) {
        l->taxes[k].amount = -fig[1 + k];
        l->tax += l->taxes[k].amount; /* each within the sale's: the sums fit */
        if (l->taxes[k].included)
            included += l->taxes[k].amount;
    }
    l->untaxed = l->amount - included;
    l->total = l->untaxed + l->tax;
}

int pss__refund_line(pss_stage *st, const pss_order_data *d, const pss_order_data *sale,
                     pss_line *l)
{
    pss_ctx *ctx = st->s->ctx;
    size_t line = (size_t)l->refund_line;
    char q[PSS_MONEY_BUFSIZE];
    if (sale->lines[line].qty < 0) { /* a return without a receipt: nothing was sold there */
        pss__fail(ctx, PSS_EREFUND, "line %zu ('%s') of order %s took %s back without a receipt; "
                                    "only sold lines can be refunded", line,
                  sale->lines[line].product_name, sale->id, fmt_qty(q, -sale->lines[line].qty));
        pss__figure(ctx, "available", 0);
        return PSS_EREFUND;
    }
    tally t;
    int rc = tally_read_of(st, sale, &t);
    taken before = {0, {0}};
    if (!rc)
        before = t.lines[line];
    PSS_FREE(ctx, t.lines);
    /* A new order's lines are not in the tally yet; a stored one's already are. */
    for (size_t i = 0; !rc && d->rev == 0 && i < d->n_lines; i++)
        if (d->lines[i].refund_line == l->refund_line && add_taken(&before, &d->lines[i], 1))
            rc = pss__fail(ctx, PSS_EOVERFLOW, "refunded quantity overflows");
    if (rc)
        return rc;
    int64_t qty = -l->qty;
    if (qty > sale->lines[line].qty - before.qty)
        return too_much(ctx, sale, line, before.qty, qty);
    set_figures(st->s->config, &sale->lines[line], &before, qty, l);
    return 0;
}

static bool any_taken(const taken *use, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (use[i].qty)
            return true;
        for (size_t k = 0; k < FIGURES; k++)
            if (use[i].fig[k])
                return true;
    }
    return false;
}

static int add_delta(taken *t, const taken *d)
{
    if (__builtin_add_overflow(t->qty, d->qty, &t->qty))
        return PSS_EOVERFLOW;
    for (size_t k = 0; k < FIGURES; k++)
        if (__builtin_add_overflow(t->fig[k], d->fig[k], &t->fig[k]))
            return PSS_EOVERFLOW;
    return 0;
}

/* The tally after the change from old to next: what next takes minus what old took. */
static int apply_delta(pss_stage *st, const pss_order_data *sale, const taken *delta)
{
    pss_ctx *ctx = st->s->ctx;
    tally t;
    int rc = tally_read_of(st, sale, &t);
    for (size_t i = 0; !rc && i < t.n; i++) {
        int64_t before = t.lines[i].qty;
        /* a line taken back without a receipt sold nothing: it stays at 0 (pss__refund_line) */
        int64_t sold = sale->lines[i].qty > 0 ? sale->lines[i].qty : 0;
        if (add_delta(&t.lines[i], &delta[i]))
            rc = pss__fail(ctx, PSS_EOVERFLOW, "refunded quantity overflows");
        else if (t.lines[i].qty > sold)
            rc = too_much(ctx, sale, i, before, delta[i].qty);
        else if (t.lines[i].qty < 0) /* the stored refund takes back what the tally lacks */
            rc = pss__fail(ctx, PSS_ECORRUPT, "refund tally of order %s line %zu is %lld, less "
                                              "than its stored refunds take back", sale->id, i,
                           (long long)before);
    }
    if (!rc)
        rc = tally_write(st, sale, &t);
    PSS_FREE(ctx, t.lines);
    return rc;
}

int pss__refund_apply(pss_stage *st, const pss_order_data *old, const pss_order_data *next)
{
    pss_ctx *ctx = st->s->ctx;
    pss_order_data *sale = NULL;
    int rc = pss__order_read(ctx, next->refund_of, &sale);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_EREFUND, "order %s to refund does not exist", next->refund_of);
    if (rc)
        return rc;
    size_t n = sale->n_lines;
    taken *delta = PSS_CALLOC(ctx, n ? n : 1, sizeof *delta);
    if (!delta)
        rc = pss__oom(ctx);
    if (!rc && (use_of(next, delta, n, 1) || use_of(old, delta, n, -1)))
        rc = pss__fail(ctx, PSS_EOVERFLOW, "refunded quantity overflows");
    if (!rc && any_taken(delta, n))
        rc = apply_delta(st, sale, delta);
    PSS_FREE(ctx, delta);
    pss__order_data_free(ctx, sale);
    return rc;
}
