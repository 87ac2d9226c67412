/* order.c: orders and their lines: checking what the host sends, refund lines copied from
 * the order they refund (with the per-line refund tally), the commit every order change goes
 * through, and the order API. Payments live in payment.c, the offline submit in submit.c. */
#include "order/order_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/meta_record.h"
#include "json/codec.h"
#include "base/bounds.h"
#include "base/money_internal.h"
#include "base/names.h"
#include "store/store.h"
#include "base/text.h"
#include "store/records.h"



static const char *fmt_qty(char buf[PSS_MONEY_BUFSIZE], int64_t qty)
{
    return pss__fmt(buf, qty, 3);
}

int pss__no_such_item(pss_ctx *ctx, int code, const char *order_id, size_t n, const char *what,
                      int64_t index)
{
    if (n == 0)
        return pss__fail(ctx, code, "order %s has no %ss; %s %lld does not exist", order_id,
                         what, what, (long long)index);
    return pss__fail(ctx, code, "order %s has %zu %s%s (0 to %zu); %s %lld does not exist",
                     order_id, n, what, n == 1 ? "" : "s", n - 1, what, (long long)index);
}

/* ---- line input ---- */

static int dup_text(pss_ctx *ctx, pss__pool *pool, char **dst, const char *src)
{
    *dst = NULL;
    if (!src || !src[0])
        return 0;
    *dst = pss__pool_strdup(ctx->alloc, pool, src);
    return *dst ? 0 : pss__oom(ctx);
}

static int check_tax_codes(pss_ctx *ctx, const pss_config *cfg, const pss_line_input *in)
{
    if (in->n_taxes > PSS_MAX_LINE_TAXES)
        return pss__fail(ctx, PSS_EINVAL, "line of '%s' has %zu taxes; at most %d",
                         in->product_id, in->n_taxes, PSS_MAX_LINE_TAXES);
    if (in->n_taxes && !in->taxes)
        return pss__fail(ctx, PSS_EINVAL, "line of '%s' has %zu taxes but no tax list",
                         in->product_id, in->n_taxes);
    for (size_t i = 0; i < in->n_taxes; i++) {
        int rc = pss__check_text(ctx, "tax code", in->taxes[i], PSS_TEXT_REQUIRED, 64);
        if (rc)
            return rc;
        if (!pss__config_tax(cfg, in->taxes[i]))
            return pss__fail(ctx, PSS_EINVAL, "tax '%s' on line of '%s' is not in config '%s'",
                             in->taxes[i], in->product_id, cfg->name);
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->taxes[k], in->taxes[i]) == 0)
                return pss__fail(ctx, PSS_EINVAL, "tax '%s' appears twice on line of '%s'",
                                 in->taxes[i], in->product_id);
    }
    return 0;
}

/* A line the till rings up: a sale, or (a negative quantity, checked by check_receiptless) a
 * product taken back without a receipt. */
static int check_sale_line(pss_ctx *ctx, const pss_config *cfg, const pss_line_input *in)
{
    char p[PSS_MONEY_BUFSIZE];
    int rc;
    if ((rc = pss__check_text(ctx, "product id", in->product_id, PSS_TEXT_REQUIRED,
                              PSS_NAME_MAX)) ||
        (rc = pss__check_text(ctx, "product name", in->product_name, PSS_TEXT_OPTIONAL,
                              PSS_NAME_MAX)) ||
        (rc = pss__check_text(ctx, "category", in->category, PSS_TEXT_OPTIONAL, PSS_NAME_MAX)))
        return rc;
    if (in->quantity == 0)
        return pss__fail(ctx, PSS_EINVAL, "line of '%s' has quantity 0", in->product_id);
    if ((rc = pss__check_quantityf(ctx, in->quantity, "line of '%s'", in->product_id)) ||
        (rc = pss__check_amountf(ctx, in->unit_price, cfg->exponent, "line of '%s'",
                                 in->product_id)))
        return rc;
    if (in->unit_price < 0 || (in->unit_price == 0 && !cfg->allow_zero_price))
        return pss__fail(ctx, PSS_EINVAL,
                         "line of '%s' has unit price %s; prices must be positive%s",
                         in->product_id, pss__fmt(p, in->unit_price, cfg->exponent),
                         in->unit_price == 0 ? " (config does not allow free items)" : "");
    if (in->discount_ppm < 0 || in->discount_ppm > 1000000)
        return pss__fail(ctx, PSS_EINVAL, "line of '%s' has discount %lld ppm, outside 0 to "
                                          "1000000 (100%%)",
                         in->product_id, (long long)in->discount_ppm);
    if (!pss__config_income_account(cfg, in->category))
        return pss__fail(ctx, PSS_EINVAL, "category '%s' of '%s' is not in config '%s'",
                         in->category, in->product_id, cfg->name);
    return check_tax_codes(ctx, cfg, in);
}

static int fill_sale_line(pss_ctx *ctx, const pss_config *cfg, const pss_line_input *in,
                          pss__pool *pool, pss_line *l)
{
    l->refund_line = -1;
    l->qty = in->quantity;
    l->price = in->unit_price;
    l->discount_ppm = in->discount_ppm;
    int rc;
    if ((rc = dup_text(ctx, pool, &l->product_id, in->product_id)) ||
        (rc = dup_text(ctx, pool, &l->product_name,
                       in->product_name && in->product_name[0] ? in->product_name
                                                               : in->product_id)) ||
        (rc = dup_text(ctx, pool, &l->category, in->category)) ||
        (rc = dup_text(ctx, pool, &l->income_account,
                       pss__config_income_account(cfg, in->category))))
        return rc;
    if (in->n_taxes &&
        !(l->taxes = pss__pool_calloc(ctx->alloc, pool, in->n_taxes, sizeof *l->taxes)))
        return pss__oom(ctx);
    for (size_t i = 0; i < in->n_taxes; i++) {
        const pss_tax *t = pss__config_tax(cfg, in->taxes[i]);
        l->n_taxes = i + 1;
        if ((rc = dup_text(ctx, pool, &l->taxes[i].code, t->code)) ||
            (rc = dup_text(ctx, pool, &l->taxes[i].account, t->account)))
            return rc;
        l->taxes[i].rate_ppm = t->rate_ppm;
        l->taxes[i].included = t->included;
        l->taxes[i].per_unit = t->per_unit;
        l->taxes[i].affects_base = t->affects_base;
    }
    return pss__taxset_of(ctx, pool, l);
}

/* A refund line is a negative copy of the original's line (same product, price, discount,
 * income account and tax snapshot) whose figures come from the refund tally (refund.c). */
static int fill_refund_line(pss_stage *st, pss_order_data *d, const pss_order_data *orig,
                            const pss_line_input *in, pss_line *l)
{
    pss_ctx *ctx = st->s->ctx;
    char q[PSS_MONEY_BUFSIZE];
    if (in->refund_line < 0 || (size_t)in->refund_line >= orig->n_lines) /* nothing to refund */
        return pss__no_such_item(ctx, PSS_EREFUND, orig->id, orig->n_lines, "line",
                                 in->refund_line);
    if (in->quantity >= 0 || in->quantity < -PSS_QUANTITY_MAX)
        return pss__fail(ctx, PSS_EINVAL, "refund line of line %lld has quantity %s; refunded "
                                          "quantities are negative, down to -%s",
                         (long long)in->refund_line, fmt_qty(q, in->quantity),
                         fmt_qty(q, PSS_QUANTITY_MAX));
    if (!pss__line_clone(ctx, &d->pool, l, &orig->lines[in->refund_line]))
        return pss__oom(ctx);
    l->qty = in->quantity;
    l->refund_line = in->refund_line;
    l->order_discount = 0; /* its figures are the sale's, discount included (refund.c) */
    return pss__refund_line(st, d, orig, l);
}

static int grow_lines(pss_ctx *ctx, pss_order_data *d)
{
    if (d->n_lines >= PSS__ORDER_LINES_MAX)
        return pss__fail(ctx, PSS_EINVAL, "order %s already has %d lines", d->id,
                         PSS__ORDER_LINES_MAX);
    if (pss__grow(ctx->alloc, (void **)&d->lines, &d->cap_lines, d->n_lines + 1,
                  sizeof *d->lines))
        return pss__oom(ctx);
    memset(&d->lines[d->n_lines], 0, sizeof *d->lines);
    return 0;
}

/* Loads the order being refunded and checks that it can be. */
static int read_original(pss_ctx *ctx, const char *id, pss_order_data **out)
{
    int rc = pss__order_read(ctx, id, out);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_EREFUND, "order %s to refund does not exist", id);
    if (rc)
        return rc;
    const pss_order_data *o = *out;
    const char *why = o->refund_of[0]         ? "is itself a refund"
                      : o->state != PSS_ORDER_PAID ? "is not paid"
                                                   : NULL;
    if (!why)
        return 0;
    rc = pss__fail(ctx, PSS_EREFUND, "order %s (number %lld) %s; only paid sales can be "
                                     "refunded", id, (long long)o->number, why);
    pss__order_data_free(ctx, *out);
    *out = NULL;
    return rc;
}

/* A product taken back without a receipt: only where the config allows it, by the role it
 * names, and with the order's reason. */
static int check_receiptless(pss_stage *st, const pss_order_data *d, const pss_line_input *in)
{
    pss_ctx *ctx = st->s->ctx;
    const pss_config *cfg = st->s->config;
    const pss_actor *a = st->actor;
    const char *product = in->product_id ? in->product_id : "?";
    if (!cfg->allow_receiptless_returns)
        return pss__fail(ctx, PSS_EINVAL, "line of '%s' takes it back without a receipt, and "
                                          "config '%s' does not allow returns without a "
                                          "receipt (give refund_of and refund_line)",
                         product, cfg->name);
    if (a->role < cfg->receiptless_return_role)
        return pss__fail(ctx, PSS_EACCESS, "%s (%s) may not take back '%s' without a receipt: "
                                           "it takes %s %s", a->user, pss__role_name(a->role),
                         product, cfg->receiptless_return_role == PSS_ROLE_ADMIN ? "an" : "a",
                         pss__role_name(cfg->receiptless_return_role));
    if (!d->return_reason)
        return pss__fail(ctx, PSS_EINVAL, "order %s takes back '%s' without a receipt and "
                                          "gives no return_reason", d->id, product);
    return 0;
}

int pss__order_audit_returns(pss_stage *st, const pss_order_data *d, size_t from)
{
    for (size_t i = from; i < d->n_lines; i++) {
        const pss_line *l = &d->lines[i];
        if (l->refund_line >= 0 || l->qty >= 0)
            continue;
        pss__audit_extra x = {0};
        pss__extra_str(&x, "order", d->id);
        pss__extra_str(&x, "product", l->product_id);
        pss__extra_int(&x, "quantity", l->qty);
        pss__extra_int(&x, "total", l->total);
        int rc = pss__audit_staged(st, "order.return", d->return_reason, &x);
        if (rc)
            return rc;
    }
    return 0;
}

int pss__order_add_line_input(pss_stage *st, pss_order_data *d, const pss_line_input *in)
{
    pss_ctx *ctx = st->s->ctx;
    const pss_config *cfg = st->s->config;
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_LINE_INPUT_VERSION,
                                "pss_line_input");
    if (rc || (rc = grow_lines(ctx, d)))
        return rc;
    pss_line *l = &d->lines[d->n_lines];
    bool comes_back = in->refund_line < 0 && in->quantity < 0; /* no receipt */
    if (in->refund_line >= 0 && d->refund_of[0]) {
        pss_order_data *orig = NULL;
        if (!(rc = read_original(ctx, d->refund_of, &orig)))
            rc = fill_refund_line(st, d, orig, in, l);
        pss__order_data_free(ctx, orig);
    } else if (in->refund_line >= 0) {
        return pss__fail(ctx, PSS_EINVAL, "line refers to refund_line %lld but order %s "
                                          "refunds nothing (set refund_of)",
                         (long long)in->refund_line, d->id);
    } else if ((!comes_back || !(rc = check_receiptless(st, d, in))) &&
               !(rc = check_sale_line(ctx, cfg, in)) &&
               !(rc = fill_sale_line(ctx, cfg, in, &d->pool, l))) {
        rc = pss__line_compute(ctx, cfg, l); /* a sale, also beside refund lines: an exchange */
    }
    if (rc) {
        pss__line_clear(l);
        return rc;
    }
    d->n_lines++;
    return 0;
}

int pss__order_fill_lines(pss_stage *st, pss_order_data *d, const pss_line_input *lines,
                          size_t n)
{
    if (n == 0)
        return 0;
    size_t stride = pss__line_input_stride(lines[0].version);
    for (size_t i = 0; i < n; i++) {
        const pss_line_input *in = (const pss_line_input *)((const char *)lines + i * stride);
        if (in->version != lines[0].version)
            return pss__fail(st->s->ctx, PSS_EINVAL, "line %zu has version %u, line 0 has %u; "
                                                     "all lines must have the same version",
                             i, (unsigned)in->version, (unsigned)lines[0].version);
        int rc = pss__order_add_line_input(st, d, in);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- order input ---- */

static int check_order_discount(pss_ctx *ctx, const pss_order_input *in)
{
    if (in->discount_amount < 0 || in->discount_amount > PSS_AMOUNT_MAX)
        return pss__fail(ctx, PSS_EINVAL, "order discount %lld is outside 0 to the bound of an "
                                          "amount", (long long)in->discount_amount);
    if (in->discount_ppm < 0 || in->discount_ppm > 1000000)
        return pss__fail(ctx, PSS_EINVAL, "order discount of %lld ppm is outside 0 to 1000000",
                         (long long)in->discount_ppm);
    if (in->discount_amount && in->discount_ppm)
        return pss__fail(ctx, PSS_EINVAL, "an order discount is an amount or a percent, not "
                                          "both");
    if ((in->discount_amount || in->discount_ppm) && in->refund_of)
        return pss__fail(ctx, PSS_EINVAL, "a refund takes its discounts from the sale; it "
                                          "has no order discount of its own");
    return 0;
}

int pss__check_order_input(pss_ctx *ctx, const pss_order_input *in, bool need_id,
                           char id[PSS_ID_SIZE])
{
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_ORDER_INPUT_VERSION,
                                "pss_order_input");
    char refunded[PSS_ID_SIZE];
    id[0] = '\0';
    if (rc)
        return rc;
    if ((in->id || need_id) && (rc = pss__check_id(ctx, "order id", in->id, id)))
        return rc;
    if (in->refund_of &&
        (rc = pss__check_id(ctx, "refunded order id", in->refund_of, refunded)))
        return rc;
    if ((rc = pss__check_text(ctx, "order note", in->note, PSS_TEXT_OPTIONAL, PSS_NOTE_MAX)) ||
        (in->version >= 2 && (rc = pss__check_meta(ctx, "order meta", in->meta))) ||
        (in->version >= 2 && (rc = check_order_discount(ctx, in))) ||
        (in->version >= 2 && (rc = pss__check_text(ctx, "customer id", in->customer,
                                                   PSS_TEXT_OPTIONAL, PSS_NAME_MAX))) ||
        (in->version >= 2 && (rc = pss__check_text(ctx, "return reason", in->return_reason,
                                                   PSS_TEXT_OPTIONAL, PSS_NOTE_MAX))))
        return rc;
    if (in->n_lines > PSS__ORDER_LINES_MAX || (in->n_lines && !in->lines))
        return pss__fail(ctx, PSS_EINVAL, "order has %zu lines %s", in->n_lines,
                         in->n_lines > PSS__ORDER_LINES_MAX ? "(more than 10000)"
                                                            : "but no line array");
    if (in->n_payments > PSS__ORDER_PAYMENTS_MAX || (in->n_payments && !in->payments))
        return pss__fail(ctx, PSS_EINVAL, "order has %zu payments %s", in->n_payments,
                         in->n_payments > PSS__ORDER_PAYMENTS_MAX ? "(more than 100)"
                                                       : "but no payment array");
    return 0;
}

int pss__order_start(pss_stage *st, pss_order_data *d, const pss_order_input *in,
                     const char *id)
{
    pss_ctx *ctx = st->s->ctx;
    pss_session_core *core = &st->core;
    pss__copy_text(d->id, sizeof d->id, id);
    pss__copy_text(d->session_id, sizeof d->session_id, core->id);
    pss__copy_text(d->config_id, sizeof d->config_id, core->config_id);
    d->number = core->next_order++;
    d->state = PSS_ORDER_DRAFT;
    d->invoiced = in->invoiced != 0;
    d->discount_amount = in->version >= 2 ? in->discount_amount : 0;
    d->discount_ppm = in->version >= 2 ? in->discount_ppm : 0;
    d->created_at = pss_ctx_now(ctx);
    pss__copy_text(d->created_by, sizeof d->created_by, st->actor->user);
    int rc = dup_text(ctx, &d->pool, &d->note, in->note);
    if (!rc && in->version >= 2 && in->customer && in->customer[0])
        rc = dup_text(ctx, &d->pool, &d->customer, in->customer);
    if (!rc && in->version >= 2 && in->return_reason && in->return_reason[0])
        rc = dup_text(ctx, &d->pool, &d->return_reason, in->return_reason);
    if (rc || !in->refund_of)
        return rc;
    pss_id_normalize(in->refund_of, d->refund_of);
    pss_order_data *orig = NULL;
    rc = read_original(ctx, d->refund_of, &orig);
    pss__order_data_free(ctx, orig);
    return rc;
}

/* ---- commit ---- */

typedef struct order_install {
    pss_ctx *ctx;
    pss_order *handle;
    pss_order_data *next;
} order_install;

static void install_order(void *arg, bool committed)
{
    order_install *oi = arg;
    if (committed && oi->handle) {
        pss__order_data_free(oi->ctx, oi->handle->d);
        oi->handle->d = oi->next;
    } else {
        pss__order_data_free(oi->ctx, oi->next);
    }
    PSS_FREE(oi->ctx, oi);
}

static int order_events(pss_stage *st, const pss_order_data *old, const pss_order_data *next)
{
    pss_ctx *ctx = st->s->ctx;
    const char *cfg = st->core.config_id, *sid = st->core.id;
    int rc = 0;
    if (next->state == PSS_ORDER_PAID && (!old || old->state != PSS_ORDER_PAID))
        rc = pss__event(ctx, PSS_EVENT_ORDER_PAID, cfg, sid, next->id, NULL);
    if (!rc && next->state == PSS_ORDER_CANCELLED && (!old || old->state != PSS_ORDER_CANCELLED))
        rc = pss__event(ctx, PSS_EVENT_ORDER_CANCELLED, cfg, sid, next->id, NULL);
    if (!rc && old && old->invoiced != next->invoiced)
        rc = pss__event(ctx, PSS_EVENT_ORDER_INVOICED, cfg, sid, next->id, NULL);
    return rc;
}

static int put_order(pss_stage *st, const pss_order_data *old, pss_order_data *next)
{
    pss_ctx *ctx = st->s->ctx;
    /* a version 4 record leaves its config out (its session's): an order read from one
     * that is written again in an older form (order_codec.c) names it */
    if (!next->config_id[0])
        pss__copy_text(next->config_id, sizeof next->config_id, st->core.config_id);
    int rc = pss__order_encode(ctx, next, st->buf);
    if (rc)
        return rc;
    rc = pss__put(ctx, PSS__KIND_ORDER, next->id, next->session_id, st->buf->data, st->buf->len,
                  old ? old->rev : 0, &next->rev);
    if (rc == PSS_ECONFLICT)
        return pss__fail(ctx, PSS_ECONFLICT, old ? "order %s was changed by another context; "
                                                   "load it again"
                                                 : "order id %s already exists",
                         next->id);
    if (!rc && !old) { /* the session's newest order, which a sync looks for */
        pss__copy_text(st->last_order, sizeof st->last_order, next->id);
        st->last_order_at = next->created_at;
    }
    return rc;
}

static int write_order(pss_stage *st, const pss_order_data *old, pss_order_data *next)
{
    int rc = 0;
    if (next->refund_of[0] && (rc = pss__refund_apply(st, old, next)))
        return rc;
    if ((rc = pss__order_transition(st, old, next)) || (rc = put_order(st, old, next)))
        return rc;
    return order_events(st, old, next);
}

int pss__order_put_meta(pss_stage *st, const pss_order_input *in, const char *id)
{
    if (in->version < 2 || !in->meta)
        return 0;
    pss_ctx *ctx = st->s->ctx;
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    int rc = pss__meta_put(ctx, PSS_META_ORDER, id, in->meta, &buf);
    pss__strbuf_free(&buf);
    return rc;
}

int pss__order_commit(pss_stage *st, pss_order *handle, const pss_order_data *old,
                      pss_order_data *next)
{
    pss_ctx *ctx = st->s->ctx;
    int rc = pss__stage_check_volume(st, pss__order_volume(next) - pss__order_volume(old));
    if (rc) {
        pss__order_data_free(ctx, next);
        return rc;
    }
    if (!handle) { /* nobody keeps it: no need to hold it until the commit (batches) */
        rc = write_order(st, old, next);
        pss__order_data_free(ctx, next);
        return rc;
    }
    order_install *oi = PSS_CALLOC(ctx, 1, sizeof *oi);
    if (!oi) {
        pss__order_data_free(ctx, next);
        return pss__oom(ctx);
    }
    *oi = (order_install){ctx, handle, next};
    rc = pss__stage_on_commit(st, install_order, oi);
    return rc ? rc : write_order(st, old, next);
}

/* ---- the API ---- */

typedef struct create_args {
    const pss_order_input *in;
    char id[PSS_ID_SIZE];
    pss_order *handle;
} create_args;

static int op_create(pss_stage *st, void *arg)
{
    create_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    if (a->in->n_payments)
        return pss__fail(ctx, PSS_EINVAL, "pss_order_create takes no payments; add them with "
                                          "pss_order_add_payment or use pss_session_submit");
    pss_order_data *d = pss__order_data_new(ctx);
    if (!d)
        return pss__oom(ctx);
    int rc = pss__order_start(st, d, a->in, a->id);
    if (!rc)
        rc = pss__order_fill_lines(st, d, a->in->lines, a->in->n_lines);
    if (!rc)
        rc = pss__order_compute(ctx, st->s->config, d);
    if (rc) {
        pss__order_data_free(ctx, d);
        return rc;
    }
    if ((rc = pss__order_audit_returns(st, d, 0))) {
        pss__order_data_free(ctx, d);
        return rc;
    }
    rc = pss__order_commit(st, a->handle, NULL, d);
    return rc ? rc : pss__order_put_meta(st, a->in, a->id);
}

static pss_order *order_handle(pss_session *s)
{
    pss_order *o = PSS_CALLOC(s->ctx, 1, sizeof *o);
    if (o) {
        o->s = s;
        s->refs++;
    }
    return o;
}

int pss_order_create(pss_session *s, const pss_actor *actor, const pss_order_input *in,
                     pss_order **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    create_args a = {in, "", NULL};
    int rc = pss__check_order_input(ctx, in, false, a.id);
    if (rc)
        return rc;
    if (!a.id[0])
        pss_id_generate(a.id);
    if (!(a.handle = order_handle(s)))
        return pss__oom(ctx);
    pss_op op = {PSS_ACCESS_OPERATE, PSS__IN_PROGRESS, "create an order", op_create, &a};
    rc = pss__mutate_settled(s, actor, op);
    if (rc) {
        pss_order_free(a.handle);
        return rc;
    }
    *out = a.handle;
    return 0;
}

/* The order as storage has it now (another context may have changed it). */
static int fresh_base(pss_stage *st, pss_order *o, pss_order_data **fresh)
{
    *fresh = NULL;
    uint64_t rev = 0;
    pss_ctx *ctx = st->s->ctx;
    int rc = pss__get(ctx, PSS__KIND_ORDER, o->d->id, pss__rev_of, &rev);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ENOTFOUND, "order %s is no longer in the store", o->d->id);
    if (rc || rev == o->d->rev)
        return rc;
    rc = pss__order_read(ctx, o->d->id, fresh);
    return rc;
}

typedef struct change_args {
    pss_order *o;
    pss_order_change_fn fn;
    void *arg;
} change_args;

static int op_change(pss_stage *st, void *arg)
{
    change_args *c = arg;
    pss_ctx *ctx = st->s->ctx;
    pss_order_data *fresh, *next;
    int rc = fresh_base(st, c->o, &fresh);
    if (rc)
        return rc;
    const pss_order_data *base = fresh ? fresh : c->o->d;
    if ((rc = pss__order_data_clone(ctx, base, &next))) {
        pss__order_data_free(ctx, fresh);
        return rc;
    }
    rc = c->fn(st, next, c->arg);
    if (rc) {
        pss__order_data_free(ctx, next);
        pss__order_data_free(ctx, fresh);
        return rc;
    }
    rc = pss__order_commit(st, c->o, base, next);
    pss__order_data_free(ctx, fresh);
    return rc;
}

int pss__order_change(pss_order *o, const pss_actor *actor, pss_access access, unsigned states,
                      const char *doing, pss_order_change_fn fn, void *arg)
{
    change_args c = {o, fn, arg};
    pss_op op = {access, states, doing, op_change, &c};
    return pss__mutate_settled(o->s, actor, op);
}

static int require_draft(pss_ctx *ctx, const pss_order_data *d, const char *doing)
{
    if (d->state == PSS_ORDER_DRAFT)
        return 0;
    return pss__fail(ctx, PSS_ESTATE, "order %s (number %lld) is %s; cannot %s", d->id,
                     (long long)d->number, pss__name_of(pss__order_state_names, d->state), doing);
}

static int require_no_payments(pss_ctx *ctx, const pss_order_data *d, const char *doing)
{
    pss_paid paid;
    pss__order_paid(d, &paid);
    if (paid.n_done == 0 && paid.n_pending == 0)
        return 0;
    return pss__fail(ctx, PSS_ESTATE, "order %s has %zu done and %zu pending payments; void "
                                      "them before you %s", d->id, paid.n_done, paid.n_pending,
                     doing);
}

static int change_add_line(pss_stage *st, pss_order_data *next, void *arg)
{
    pss_ctx *ctx = st->s->ctx;
    int rc = require_draft(ctx, next, "add a line");
    if (!rc)
        rc = require_no_payments(ctx, next, "change lines");
    size_t added = next->n_lines;
    if (!rc)
        rc = pss__order_add_line_input(st, next, arg);
    if (!rc)
        rc = pss__order_compute(ctx, st->s->config, next);
    return rc ? rc : pss__order_audit_returns(st, next, added);
}

int pss_order_add_line(pss_order *o, const pss_actor *actor, const pss_line_input *line,
                       size_t *index)
{
    if (!o)
        return PSS_EINVAL;
    int rc = pss__order_change(o, actor, PSS_ACCESS_OPERATE, PSS__IN_PROGRESS, "add an order line",
                               change_add_line, (void *)line);
    if (!rc && index)
        *index = o->d->n_lines - 1;
    return rc;
}

static int change_remove_line(pss_stage *st, pss_order_data *next, void *arg)
{
    pss_ctx *ctx = st->s->ctx;
    size_t index = *(size_t *)arg;
    int rc = require_draft(ctx, next, "remove a line");
    if (!rc)
        rc = require_no_payments(ctx, next, "change lines");
    if (rc)
        return rc;
    if (index >= next->n_lines)
        return pss__no_such_item(ctx, PSS_ENOTFOUND, next->id, next->n_lines, "line",
                                 (int64_t)index);
    pss__line_clear(&next->lines[index]);
    memmove(&next->lines[index], &next->lines[index + 1],
            (next->n_lines - index - 1) * sizeof *next->lines);
    next->n_lines--;
    return pss__order_compute(ctx, st->s->config, next);
}

int pss_order_remove_line(pss_order *o, const pss_actor *actor, size_t index)
{
    if (!o)
        return PSS_EINVAL;
    return pss__order_change(o, actor, PSS_ACCESS_OPERATE, PSS__IN_PROGRESS, "remove an order line",
                             change_remove_line, &index);
}

static int change_cancel(pss_stage *st, pss_order_data *next, void *arg)
{
    pss_ctx *ctx = st->s->ctx;
    int rc = require_draft(ctx, next, "cancel it");
    if (!rc)
        rc = require_no_payments(ctx, next, "cancel the order");
    if (rc)
        return rc;
    next->state = PSS_ORDER_CANCELLED;
    pss__audit_extra x = {0};
    pss__extra_str(&x, "order", next->id);
    pss__extra_int(&x, "total", next->total);
    return pss__audit_staged(st, "order.cancel", arg, &x);
}

int pss_order_cancel(pss_order *o, const pss_actor *actor, const char *reason)
{
    if (!o)
        return PSS_EINVAL;
    pss__clear(o->s->ctx);
    int rc = pss__check_text(o->s->ctx, "cancel reason", reason, PSS_TEXT_REQUIRED, PSS_NOTE_MAX);
    if (rc)
        return rc;
    return pss__order_change(o, actor, PSS_ACCESS_SUPERVISE, PSS__OPEN_STATES, "cancel an order",
                             change_cancel, (void *)reason);
}

static int change_invoiced(pss_stage *st, pss_order_data *next, void *arg)
{
    if (next->state != PSS_ORDER_DRAFT && next->state != PSS_ORDER_PAID)
        return pss__fail(st->s->ctx, PSS_ESTATE, "order %s is %s; only draft and paid orders "
                                                 "can be invoiced", next->id,
                         pss__name_of(pss__order_state_names, next->state));
    next->invoiced = *(int *)arg != 0;
    return 0;
}

int pss_order_set_invoiced(pss_order *o, const pss_actor *actor, int invoiced)
{
    if (!o)
        return PSS_EINVAL;
    return pss__order_change(o, actor, PSS_ACCESS_SUPERVISE, PSS__OPEN_STATES,
                             "change the invoiced flag", change_invoiced, &invoiced);
}

typedef struct load_args {
    pss_ctx *ctx;
    pss_order_data *d;
} load_args;

int pss_order_load(pss_session *s, const char *order_id, pss_order **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    char id[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "order id", order_id, id);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    pss_order_data *d = NULL;
    pss_session *owner = NULL;
    rc = pss__order_read(ctx, id, &d);
    if (rc == PSS_ENOTFOUND)
        rc = pss__fail(ctx, PSS_ENOTFOUND, "order %s is not in the store", id);
    if (!rc && strcmp(d->session_id, s->core.id) != 0)
        rc = pss__session_read(ctx, d->session_id, &owner);
    else if (!rc)
        rc = pss__session_sync(s);
    rc = pss__txn_end(ctx, rc);
    pss_order *o = rc ? NULL : order_handle(owner ? owner : s);
    if (owner)
        pss__session_release(owner); /* the handle holds its own reference */
    if (!rc && !o)
        rc = pss__oom(ctx);
    if (rc) {
        pss__order_data_free(ctx, d);
        return rc;
    }
    o->d = d;
    *out = o;
    return 0;
}

void pss_order_free(pss_order *o)
{
    if (!o)
        return;
    pss_session *s = o->s;
    pss__order_data_free(s->ctx, o->d);
    PSS_FREE(s->ctx, o);
    pss__session_release(s);
}

/* ---- getters ---- */

const char *pss_order_id(const pss_order *o)
{
    return o && o->d ? o->d->id : NULL;
}

const char *pss_order_session_id(const pss_order *o)
{
    return o && o->d ? o->d->session_id : NULL;
}

int64_t pss_order_number(const pss_order *o)
{
    return o && o->d ? o->d->number : 0;
}

pss_order_state pss_order_state_of(const pss_order *o)
{
    if (!o || !o->d)
        return (pss_order_state)0;
    if (o->d->state == PSS_ORDER_PAID && o->s->core.state == PSS_SESSION_CLOSED)
        return PSS_ORDER_DONE;
    return o->d->state;
}

const char *pss_order_state_name(pss_order_state state)
{
    return pss__name_of(pss__order_state_names, state);
}

const char *pss_payment_state_name(pss_payment_state state)
{
    return pss__name_of(pss__payment_state_names, state);
}

const char *pss_order_refund_of(const pss_order *o)
{
    return o && o->d && o->d->refund_of[0] ? o->d->refund_of : NULL;
}

int pss_order_is_invoiced(const pss_order *o)
{
    return o && o->d && o->d->invoiced;
}

int pss_order_get_totals(const pss_order *o, pss_order_totals *out)
{
    if (!o || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = o->s->ctx;
    int rc = pss__check_version(ctx, out, out->version, PSS_ORDER_TOTALS_VERSION,
                                "pss_order_totals");
    if (rc)
        return rc;
    const pss_order_data *d = o->d;
    pss_paid paid;
    int64_t due;
    if (pss__order_paid(d, &paid) || pss__order_due(d, &due))
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s figures overflow", d->id);
    out->untaxed = d->untaxed;
    out->tax = d->tax;
    out->total = d->total;
    out->rounding = d->rounding;
    out->due = due;
    out->paid = paid.done;
    out->pending = paid.pending;
    out->change = paid.change;
    int64_t remaining = 0;
    if (d->state == PSS_ORDER_DRAFT &&
        (__builtin_sub_overflow(due, paid.done, &remaining) ||
         __builtin_sub_overflow(remaining, paid.pending, &remaining)))
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s figures overflow", d->id);
    out->remaining = remaining;
    out->cash_due = remaining;
    const pss_config *cfg = o->s->config;
    if (remaining && cfg->cash_rounding != PSS_CASH_ROUNDING_OFF &&
        pss_money_round_to(remaining, cfg->cash_rounding_increment, cfg->cash_rounding_mode,
                           &out->cash_due))
        return pss__fail(ctx, PSS_EOVERFLOW, "order %s figures overflow", d->id);
    return 0;
}

size_t pss_order_line_count(const pss_order *o)
{
    return o && o->d ? o->d->n_lines : 0;
}

int pss_order_get_line(const pss_order *o, size_t index, pss_line_info *out)
{
    if (!o || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = o->s->ctx;
    char owner[PSS_ID_SIZE + 16];
    snprintf(owner, sizeof owner, "order %s", o->d->id);
    int rc = pss__check_item(ctx, out, out->version, PSS_LINE_INFO_VERSION, "pss_line_info", index,
                             o->d->n_lines, owner, "lines");
    if (rc)
        return rc;
    const pss_line *l = &o->d->lines[index];
    out->product_id = l->product_id;
    out->product_name = l->product_name;
    out->category = l->category;
    out->income_account = l->income_account;
    out->quantity = l->qty;
    out->unit_price = l->price;
    out->discount_ppm = l->discount_ppm;
    out->untaxed = l->untaxed;
    out->tax = l->tax;
    out->total = l->total;
    out->n_taxes = l->n_taxes;
    out->refund_line = l->refund_line;
    return 0;
}

const char *pss_order_line_tax(const pss_order *o, size_t line, size_t tax)
{
    if (!o || line >= o->d->n_lines || tax >= o->d->lines[line].n_taxes)
        return NULL;
    return o->d->lines[line].taxes[tax].code;
}

int pss_order_get_discount(const pss_order *o, int64_t *amount, int64_t *ppm, int64_t *applied)
{
    if (!o || !o->d)
        return PSS_EINVAL;
    int64_t sum = 0;
    for (size_t i = 0; i < o->d->n_lines; i++)
        sum += o->d->lines[i].order_discount; /* within the order's bound */
    if (amount)
        *amount = o->d->discount_amount;
    if (ppm)
        *ppm = o->d->discount_ppm;
    if (applied)
        *applied = sum;
    return 0;
}

const char *pss_order_customer(const pss_order *o)
{
    return o && o->d ? o->d->customer : NULL;
}

const char *pss_order_return_reason(const pss_order *o)
{
    return o && o->d ? o->d->return_reason : NULL;
}

int64_t pss_order_line_discount_share(const pss_order *o, size_t line)
{
    if (!o || !o->d || line >= o->d->n_lines)
        return 0;
    return o->d->lines[line].order_discount;
}

/* The order's taxes summed by code over its groups, in first-seen order. */
static size_t tax_codes(const pss_order_data *d, const pss_group_tax **first, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_groups; i++) {
        for (size_t k = 0; k < d->groups[i].n_taxes; k++) {
            const pss_group_tax *t = &d->groups[i].taxes[k];
            size_t j = 0;
            while (j < n && strcmp(first[j]->code, t->code) != 0)
                j++;
            if (j == n && n < max)
                first[n++] = t;
        }
    }
    return n;
}

size_t pss_order_tax_count(const pss_order *o)
{
    if (!o)
        return 0;
    const pss_group_tax *first[64];
    return tax_codes(o->d, first, 64);
}

int pss_order_get_tax(const pss_order *o, size_t index, pss_tax_info *out)
{
    if (!o || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = o->s->ctx;
    int rc = pss__check_version(ctx, out, out->version, PSS_TAX_INFO_VERSION, "pss_tax_info");
    if (rc)
        return rc;
    const pss_group_tax *first[64];
    size_t n = tax_codes(o->d, first, 64);
    if (index >= n)
        return pss__fail(ctx, PSS_ENOTFOUND, "order %s has %zu taxes", o->d->id, n);
    out->code = first[index]->code;
    out->account = first[index]->account;
    out->rate_ppm = first[index]->rate_ppm;
    out->included = first[index]->included;
    out->base = 0;
    out->amount = 0;
    for (size_t i = 0; i < o->d->n_groups; i++)
        for (size_t k = 0; k < o->d->groups[i].n_taxes; k++)
            if (strcmp(o->d->groups[i].taxes[k].code, out->code) == 0) {
                out->base += o->d->groups[i].taxes[k].base;
                out->amount += o->d->groups[i].taxes[k].amount;
            }
    return 0;
}

size_t pss_order_payment_count(const pss_order *o)
{
    return o && o->d ? o->d->n_payments : 0;
}

int pss_order_get_payment(const pss_order *o, size_t index, pss_payment_info *out)
{
    if (!o || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = o->s->ctx;
    char owner[PSS_ID_SIZE + 16];
    snprintf(owner, sizeof owner, "order %s", o->d->id);
    int rc = pss__check_item(ctx, out, out->version, PSS_PAYMENT_INFO_VERSION, "pss_payment_info",
                             index, o->d->n_payments, owner, "payments");
    if (rc)
        return rc;
    const pss_payment *p = &o->d->payments[index];
    out->method = p->method;
    out->amount = p->amount;
    out->state = p->state;
    out->change = p->change;
    out->reference = p->reference;
    return 0;
}
