/* report.c: the closing summary and report: a snapshot of a session's figures (expected
 * cash and its parts, methods, taxes, products, counts, who and when), readable at any time
 * in O(methods + taxes + products), and its plain-text rendering with aligned columns. */
#include "close/journal_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/money_internal.h"
#include "order/order_internal.h"
#include "store/store.h"
#include "util/strbuf.h"

#define N_FIGURES 28
#define N_TEXTS 13

typedef struct rmethod {
    char *name, *account;
    int is_cash;
    int64_t payments, amount, change, net, expected, counted, difference;
} rmethod;

typedef struct rtax {
    char *code, *account;
    int64_t base, amount, refund_base, refund_amount;
} rtax;

typedef struct rproduct {
    char *id, *name;
    int64_t sold, refunded;
} rproduct;

struct pss_report {
    pss_ctx *ctx;
    int exponent;
    int64_t figures[N_FIGURES];
    char *texts[N_TEXTS];
    rmethod *methods;
    size_t n_methods;
    rtax *taxes;
    size_t n_taxes, cap_taxes;
    rproduct *products;
    size_t n_products, cap_products;
};

void pss_report_free(pss_report *r)
{
    if (!r)
        return;
    pss_ctx *ctx = r->ctx;
    for (int i = 0; i < N_TEXTS; i++)
        PSS_FREE(ctx, r->texts[i]);
    for (size_t i = 0; i < r->n_methods; i++) {
        PSS_FREE(ctx, r->methods[i].name);
        PSS_FREE(ctx, r->methods[i].account);
    }
    for (size_t i = 0; i < r->n_taxes; i++) {
        PSS_FREE(ctx, r->taxes[i].code);
        PSS_FREE(ctx, r->taxes[i].account);
    }
    for (size_t i = 0; i < r->n_products; i++) {
        PSS_FREE(ctx, r->products[i].id);
        PSS_FREE(ctx, r->products[i].name);
    }
    PSS_FREE(ctx, r->methods);
    PSS_FREE(ctx, r->taxes);
    PSS_FREE(ctx, r->products);
    PSS_FREE(ctx, r);
}

static bool set_text(pss_report *r, pss_report_text which, const char *s)
{
    r->texts[which] = PSS_STRDUP(r->ctx, s ? s : "");
    return r->texts[which] != NULL;
}

static bool fill_texts(pss_report *r, const pss_session *s)
{
    const pss_session_core *c = &s->core;
    return set_text(r, PSS_TEXT_SESSION_NAME, c->name) && set_text(r, PSS_TEXT_SESSION_ID, c->id) &&
           set_text(r, PSS_TEXT_CONFIG_NAME, s->config->name) &&
           set_text(r, PSS_TEXT_CURRENCY, s->config->currency) &&
           set_text(r, PSS_TEXT_OPERATING_DATE, c->date) &&
           set_text(r, PSS_TEXT_STATE, pss_session_state_name(c->state)) &&
           set_text(r, PSS_TEXT_OPENED_BY, c->opened_by) &&
           set_text(r, PSS_TEXT_CLOSED_BY, c->closed_by) &&
           set_text(r, PSS_TEXT_RESPONSIBLE, c->user) &&
           set_text(r, PSS_TEXT_ENTRY_ID, c->entry_id) &&
           set_text(r, PSS_TEXT_OPENING_NOTE, c->opening_note) &&
           set_text(r, PSS_TEXT_CLOSING_NOTE, c->closing_note);
}

static int fill_figures(pss_report *r, const pss_session *s, const rmethod *cash)
{
    const pss_session_core *c = &s->core;
    const pss_scalars *t = &c->totals;
    int64_t *f = r->figures, expected, current;
    if (pss__expected_cash(c, &expected) ||
        __builtin_add_overflow(t->paid_total, t->draft_total, &current))
        return pss__fail(r->ctx, PSS_EOVERFLOW, "session %s figures overflow", c->name);
    f[PSS_FIG_OPENING_EXPECTED] = c->opening_expected;
    f[PSS_FIG_OPENING_COUNTED] = c->opening_counted;
    f[PSS_FIG_OPENING_DIFFERENCE] =
        c->opening_counted == PSS_UNSET ? 0 : c->opening_counted - c->opening_expected;
    f[PSS_FIG_CASH_PAYMENTS] = t->cash_payments;
    f[PSS_FIG_CHANGE] = t->change;
    f[PSS_FIG_CASH_IN] = t->cash_in;
    f[PSS_FIG_CASH_OUT] = t->cash_out;
    f[PSS_FIG_EXPENSES] = t->expenses;
    f[PSS_FIG_CORRECTIONS] = t->corrections;
    f[PSS_FIG_EXPECTED_CASH] = expected;
    f[PSS_FIG_COUNTED_CASH] = cash ? cash->counted : PSS_UNSET;
    f[PSS_FIG_DIFFERENCE] = cash ? cash->difference : 0;
    f[PSS_FIG_ALLOWED] = s->config->max_difference;
    f[PSS_FIG_ORDERS] = t->orders;
    f[PSS_FIG_REFUNDS] = t->refunds;
    f[PSS_FIG_CANCELLED] = t->cancelled;
    f[PSS_FIG_DRAFTS] = (int64_t)c->n_drafts;
    f[PSS_FIG_PENDING] = (int64_t)c->n_pending;
    f[PSS_FIG_POSTED_TOTAL] = t->paid_total;
    f[PSS_FIG_CURRENT_TOTAL] = current;
    f[PSS_FIG_ROUNDING] = t->rounding;
    f[PSS_FIG_INVOICED] = t->invoiced;
    f[PSS_FIG_UNTAXED] = t->untaxed;
    f[PSS_FIG_TAX] = t->tax;
    f[PSS_FIG_OPENED_AT] = c->opened_at;
    f[PSS_FIG_CLOSED_AT] = c->closed_at;
    f[PSS_FIG_CREATED_AT] = c->created_at;
    return 0;
}

static int fill_methods(pss_report *r, pss_session *s, const rmethod **cash)
{
    pss_method_figures *m;
    size_t n;
    int rc = pss__method_figures(s, NULL, &s->core, &m, &n);
    if (rc)
        return rc;
    r->methods = PSS_CALLOC(r->ctx, n ? n : 1, sizeof *r->methods);
    for (size_t i = 0; r->methods && i < n; i++) {
        rmethod *x = &r->methods[i];
        r->n_methods = i + 1;
        x->name = PSS_STRDUP(r->ctx, m[i].method->name);
        x->account = PSS_STRDUP(r->ctx, m[i].method->account);
        if (!x->name || !x->account)
            rc = pss__oom(r->ctx);
        x->is_cash = m[i].method->kind == PSS_METHOD_CASH;
        x->payments = m[i].payments, x->amount = m[i].amount, x->change = m[i].change;
        x->net = m[i].net, x->expected = m[i].expected, x->counted = m[i].counted;
        x->difference = m[i].counted == PSS_UNSET ? 0 : m[i].difference;
        /* a closed session without a count posted what was expected */
        if (x->is_cash && s->core.state == PSS_SESSION_CLOSED && x->counted == PSS_UNSET)
            x->counted = x->expected;
        if (x->is_cash)
            *cash = x;
    }
    PSS_FREE(r->ctx, m);
    return rc ? rc : (r->methods ? 0 : pss__oom(r->ctx));
}

static rtax *tax_row(pss_report *r, const pss_total_view *v)
{
    for (size_t i = 0; i < r->n_taxes; i++)
        if (strcmp(r->taxes[i].code, v->a) == 0 && strcmp(r->taxes[i].account, v->b) == 0)
            return &r->taxes[i];
    if (pss__grow(r->ctx->alloc, (void **)&r->taxes, &r->cap_taxes, r->n_taxes + 1,
                  sizeof *r->taxes))
        return NULL;
    rtax *t = &r->taxes[r->n_taxes++];
    memset(t, 0, sizeof *t);
    t->code = PSS_STRDUP(r->ctx, v->a);
    t->account = PSS_STRDUP(r->ctx, v->b);
    return t->code && t->account ? t : NULL;
}

static int fill_lists(pss_report *r, pss_session *s)
{
    pss_total_view *v;
    size_t n;
    int rc = pss__total_view(s, NULL, &v, &n);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < n; i++) {
        if (v[i].type == PSS_TOTAL_TAX) {
            rtax *t = tax_row(r, &v[i]);
            if (!t) {
                rc = pss__oom(r->ctx);
            } else if (strcmp(v[i].c, "refund") == 0) {
                t->refund_base += v[i].v[0], t->refund_amount += v[i].v[1];
            } else {
                t->base += v[i].v[0], t->amount += v[i].v[1];
            }
        } else if (v[i].type == PSS_TOTAL_PRODUCT) {
            if (pss__grow(r->ctx->alloc, (void **)&r->products, &r->cap_products,
                          r->n_products + 1, sizeof *r->products)) {
                rc = pss__oom(r->ctx);
                break;
            }
            rproduct *p = &r->products[r->n_products++];
            p->id = PSS_STRDUP(r->ctx, v[i].a);
            p->name = PSS_STRDUP(r->ctx, v[i].label ? v[i].label : v[i].a);
            p->sold = v[i].v[0], p->refunded = v[i].v[1];
            if (!p->id || !p->name)
                rc = pss__oom(r->ctx);
        }
    }
    PSS_FREE(r->ctx, v);
    return rc;
}

/* A handle loaded while orders wait to be folded holds the total records alone: it reads the
 * store once (refreshing the handle) to replay them. A settled handle reports as it is. */
static int settle_for_report(pss_session *s)
{
    if (s->tail_settled)
        return 0;
    int rc = pss__txn_begin(s->ctx, false);
    if (rc)
        return rc;
    rc = pss__session_sync(s);
    if (!rc)
        rc = pss__session_settle(s);
    return pss__txn_end(s->ctx, rc);
}

int pss_session_report(pss_session *s, pss_report **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    int settled = settle_for_report(s);
    if (settled)
        return settled;
    pss_report *r = PSS_CALLOC(ctx, 1, sizeof *r);
    if (!r)
        return pss__oom(ctx);
    r->ctx = ctx;
    r->exponent = s->config->exponent;
    const rmethod *cash = NULL;
    int rc = fill_texts(r, s) ? 0 : pss__oom(ctx);
    if (!rc)
        rc = fill_methods(r, s, &cash);
    if (!rc)
        rc = fill_figures(r, s, cash);
    if (!rc)
        rc = fill_lists(r, s);
    if (rc) {
        pss_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int64_t pss_report_get(const pss_report *r, pss_report_figure figure)
{
    if (!r || figure < 1 || figure >= N_FIGURES)
        return 0;
    return r->figures[figure];
}

const char *pss_report_text_of(const pss_report *r, pss_report_text text)
{
    if (!r || text < 1 || text >= N_TEXTS)
        return "";
    return r->texts[text] ? r->texts[text] : "";
}

size_t pss_report_method_count(const pss_report *r)
{
    return r ? r->n_methods : 0;
}

int pss_report_get_method(const pss_report *r, size_t index, pss_report_method *out)
{
    if (!r || !out)
        return PSS_EINVAL;
    int rc = pss__check_item(r->ctx, out, out->version, PSS_REPORT_METHOD_VERSION,
                             "pss_report_method", index, r->n_methods, "the report", "methods");
    if (rc)
        return rc;
    const rmethod *m = &r->methods[index];
    out->name = m->name;
    out->account = m->account;
    out->is_cash = m->is_cash;
    out->payments = m->payments;
    out->amount = m->amount;
    out->change = m->change;
    out->net = m->net;
    out->expected = m->expected;
    out->counted = m->counted;
    out->difference = m->difference;
    return 0;
}

size_t pss_report_tax_count(const pss_report *r)
{
    return r ? r->n_taxes : 0;
}

int pss_report_get_tax(const pss_report *r, size_t index, pss_report_tax *out)
{
    if (!r || !out)
        return PSS_EINVAL;
    int rc = pss__check_item(r->ctx, out, out->version, PSS_REPORT_TAX_VERSION, "pss_report_tax",
                             index, r->n_taxes, "the report", "taxes");
    if (rc)
        return rc;
    const rtax *t = &r->taxes[index];
    out->code = t->code;
    out->account = t->account;
    out->base = t->base;
    out->amount = t->amount;
    out->refund_base = t->refund_base;
    out->refund_amount = t->refund_amount;
    return 0;
}

size_t pss_report_product_count(const pss_report *r)
{
    return r ? r->n_products : 0;
}

int pss_report_get_product(const pss_report *r, size_t index, pss_report_product *out)
{
    if (!r || !out)
        return PSS_EINVAL;
    int rc = pss__check_item(r->ctx, out, out->version, PSS_REPORT_PRODUCT_VERSION,
                             "pss_report_product", index, r->n_products, "the report", "products");
    if (rc)
        return rc;
    const rproduct *p = &r->products[index];
    out->product_id = p->id;
    out->name = p->name;
    out->sold = p->sold;
    out->refunded = p->refunded;
    out->net = p->sold - p->refunded;
    return 0;
}

/* ---- text ---- */

#define LABEL_WIDTH 28
#define COLUMN 13

/* Appends s padded on the right to `width` characters (UTF-8 aware). */
static void cell_left(pss__strbuf *b, const char *s, size_t width)
{
    pss__strbuf_puts(b, s);
    for (size_t w = pss__text_width(s); w < width; w++)
        pss__strbuf_add(b, " ", 1);
}

/* Appends s right-aligned in `width` characters. */
static void cell_right(pss__strbuf *b, const char *s, size_t width)
{
    for (size_t w = pss__text_width(s); w < width; w++)
        pss__strbuf_add(b, " ", 1);
    pss__strbuf_puts(b, s);
}

static void cell_amount(pss__strbuf *b, const pss_report *r, int64_t v)
{
    char buf[PSS_MONEY_BUFSIZE];
    cell_right(b, v == PSS_UNSET ? "-" : pss__fmt(buf, v, r->exponent), COLUMN);
}

static void cell_qty(pss__strbuf *b, int64_t v)
{
    char buf[PSS_MONEY_BUFSIZE];
    cell_right(b, pss__fmt(buf, v, 3), COLUMN);
}

static void cell_count(pss__strbuf *b, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    cell_right(b, buf, COLUMN);
}

static void row(pss__strbuf *b, const pss_report *r, const char *label, int64_t v)
{
    pss__strbuf_puts(b, "  ");
    cell_left(b, label, LABEL_WIDTH);
    cell_amount(b, r, v);
    pss__strbuf_puts(b, "\n");
}

static void header(pss__strbuf *b, const char *title, const char *const *columns, size_t n)
{
    pss__strbuf_puts(b, "\n");
    cell_left(b, title, LABEL_WIDTH + 2);
    for (size_t i = 0; i < n; i++)
        cell_right(b, columns[i], COLUMN);
    pss__strbuf_puts(b, "\n");
}

static void write_head(pss__strbuf *b, const pss_report *r)
{
    const int64_t *f = r->figures;
    char opened[PSS_TIME_SIZE] = "-", closed[PSS_TIME_SIZE] = "-";
    if (f[PSS_FIG_OPENED_AT])
        pss__time_text(f[PSS_FIG_OPENED_AT], opened);
    if (f[PSS_FIG_CLOSED_AT])
        pss__time_text(f[PSS_FIG_CLOSED_AT], closed);
    pss__strbuf_printf(b, "Session %s (%s), %s, %s, %s\n", r->texts[PSS_TEXT_SESSION_NAME],
                      r->texts[PSS_TEXT_CONFIG_NAME], r->texts[PSS_TEXT_OPERATING_DATE],
                      r->texts[PSS_TEXT_STATE], r->texts[PSS_TEXT_CURRENCY]);
    pss__strbuf_printf(b, "Opened by %s at %s\n",
                      r->texts[PSS_TEXT_OPENED_BY][0] ? r->texts[PSS_TEXT_OPENED_BY] : "-", opened);
    pss__strbuf_printf(b, "Closed by %s at %s\n",
                      r->texts[PSS_TEXT_CLOSED_BY][0] ? r->texts[PSS_TEXT_CLOSED_BY] : "-", closed);
}

static void write_drawer(pss__strbuf *b, const pss_report *r)
{
    const int64_t *f = r->figures;
    pss__strbuf_puts(b, "\nCash drawer\n");
    row(b, r, "Opening (expected)", f[PSS_FIG_OPENING_EXPECTED]);
    row(b, r, "Opening (counted)", f[PSS_FIG_OPENING_COUNTED]);
    row(b, r, "Cash payments", f[PSS_FIG_CASH_PAYMENTS]);
    row(b, r, "Change given", f[PSS_FIG_CHANGE]);
    row(b, r, "Cash in", f[PSS_FIG_CASH_IN]);
    row(b, r, "Cash out", f[PSS_FIG_CASH_OUT]);
    row(b, r, "Expenses", f[PSS_FIG_EXPENSES]);
    row(b, r, "Corrections", f[PSS_FIG_CORRECTIONS]);
    row(b, r, "Expected", f[PSS_FIG_EXPECTED_CASH]);
    row(b, r, "Counted", f[PSS_FIG_COUNTED_CASH]);
    row(b, r, "Difference", f[PSS_FIG_DIFFERENCE]);
    row(b, r, "Allowed difference", f[PSS_FIG_ALLOWED]);
}

static void write_methods(pss__strbuf *b, const pss_report *r)
{
    static const char *const cols[] = {"Payments", "Amount", "Change", "Net", "Expected",
                                       "Counted", "Difference"};
    header(b, "Payment methods", cols, 7);
    for (size_t i = 0; i < r->n_methods; i++) {
        const rmethod *m = &r->methods[i];
        pss__strbuf_puts(b, "  ");
        cell_left(b, m->name, LABEL_WIDTH);
        cell_count(b, m->payments);
        cell_amount(b, r, m->amount);
        cell_amount(b, r, m->change);
        cell_amount(b, r, m->net);
        cell_amount(b, r, m->expected);
        cell_amount(b, r, m->counted);
        cell_amount(b, r, m->counted == PSS_UNSET ? PSS_UNSET : m->difference);
        pss__strbuf_puts(b, "\n");
    }
}

static void write_taxes(pss__strbuf *b, const pss_report *r)
{
    static const char *const cols[] = {"Base", "Tax", "Refund base", "Refund tax"};
    header(b, "Taxes", cols, 4);
    for (size_t i = 0; i < r->n_taxes; i++) {
        const rtax *t = &r->taxes[i];
        pss__strbuf_puts(b, "  ");
        cell_left(b, t->code, LABEL_WIDTH);
        cell_amount(b, r, t->base);
        cell_amount(b, r, t->amount);
        cell_amount(b, r, t->refund_base);
        cell_amount(b, r, t->refund_amount);
        pss__strbuf_puts(b, "\n");
    }
}

static void write_products(pss__strbuf *b, const pss_report *r)
{
    static const char *const cols[] = {"Sold", "Refunded", "Net"};
    header(b, "Products", cols, 3);
    for (size_t i = 0; i < r->n_products; i++) {
        const rproduct *p = &r->products[i];
        pss__strbuf_puts(b, "  ");
        cell_left(b, p->name, LABEL_WIDTH);
        cell_qty(b, p->sold);
        cell_qty(b, p->refunded);
        cell_qty(b, p->sold - p->refunded);
        pss__strbuf_puts(b, "\n");
    }
}

static void write_totals(pss__strbuf *b, const pss_report *r)
{
    const int64_t *f = r->figures;
    pss__strbuf_puts(b, "\nOrders\n");
    row(b, r, "Sales total (posted)", f[PSS_FIG_POSTED_TOTAL]);
    row(b, r, "  untaxed", f[PSS_FIG_UNTAXED]);
    row(b, r, "  tax", f[PSS_FIG_TAX]);
    row(b, r, "  invoiced", f[PSS_FIG_INVOICED]);
    row(b, r, "Cash rounding", f[PSS_FIG_ROUNDING]);
    pss__strbuf_printf(b, "  %lld paid, %lld refunds, %lld cancelled, %lld drafts, %lld pending "
                         "payments\n",
                      (long long)f[PSS_FIG_ORDERS], (long long)f[PSS_FIG_REFUNDS],
                      (long long)f[PSS_FIG_CANCELLED], (long long)f[PSS_FIG_DRAFTS],
                      (long long)f[PSS_FIG_PENDING]);
}

int pss_report_write_text(const pss_report *r, pss_write_fn fn, void *userdata)
{
    if (!r || !fn)
        return PSS_EINVAL;
    pss__strbuf b;
    pss__strbuf_init(&b, r->ctx->alloc);
    write_head(&b, r);
    write_drawer(&b, r);
    write_methods(&b, r);
    write_taxes(&b, r);
    write_products(&b, r);
    write_totals(&b, r);
    int rc = 0;
    if (b.failed)
        rc = pss__oom(r->ctx);
    else if (fn(userdata, b.data, b.len) != 0)
        rc = pss__fail(r->ctx, PSS_EIO, "the report writer failed");
    pss__strbuf_free(&b);
    return rc;
}
