/* journal.c: the balanced journal entry (debits equal credits) a session posts when it
 * closes, built in O(methods + accounts + taxes) from the running totals, checked to
 * balance, stored, and read back. Positive amounts are debits, negative ones credits; zero lines are left out. */
#include "close/journal_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "base/money_internal.h"
#include "store/store.h"
#include "store/records.h"

void pss_entry_free(pss_entry *e)
{
    if (!e)
        return;
    pss_ctx *ctx = e->ctx;
    for (size_t i = 0; i < e->n_lines; i++) {
        PSS_FREE(ctx, e->lines[i].account);
        PSS_FREE(ctx, e->lines[i].label);
        PSS_FREE(ctx, e->lines[i].method);
        PSS_FREE(ctx, e->lines[i].tax);
        PSS_FREE(ctx, e->lines[i].partner);
    }
    for (size_t i = 0; i < e->n_products; i++) {
        PSS_FREE(ctx, e->products[i].product_id);
        PSS_FREE(ctx, e->products[i].name);
    }
    PSS_FREE(ctx, e->lines);
    PSS_FREE(ctx, e->products);
    PSS_FREE(ctx, e);
}

static char *dup_or_null(pss_ctx *ctx, const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *copy = PSS_STRDUP(ctx, s);
    if (!copy)
        *failed = true;
    return copy;
}

static const char *const line_kinds[] = {
    "payment", "sales", "refund", "tax", "tax_refund", "receivable", "cash_in", "cash_out",
    "expense", "correction", "rounding", "opening_difference", "closing_difference", NULL};

static const char *kind_static(const char *kind)
{
    for (int i = 0; line_kinds[i]; i++)
        if (strcmp(line_kinds[i], kind) == 0)
            return line_kinds[i];
    return NULL;
}

/* Adds a line for a signed amount (debit when positive); zero amounts add nothing. */
static int add_line(pss_entry *e, const char *account, int64_t amount, const char *label,
                    const char *kind, const char *method, const char *tax)
{
    pss_ctx *ctx = e->ctx;
    if (amount == 0)
        return 0;
    if (amount == INT64_MIN)
        return pss__fail(ctx, PSS_EOVERFLOW, "journal line '%s' overflows", label);
    if (!account)
        return pss__fail(ctx, PSS_ECONFIG, "journal line '%s' has no account in config", label);
    if (pss__grow(ctx->alloc, (void **)&e->lines, &e->cap_lines, e->n_lines + 1,
                  sizeof *e->lines))
        return pss__oom(ctx);
    bool failed = false;
    pss_jline *l = &e->lines[e->n_lines];
    memset(l, 0, sizeof *l);
    l->account = dup_or_null(ctx, account, &failed);
    l->label = dup_or_null(ctx, label, &failed);
    l->method = dup_or_null(ctx, method, &failed);
    l->tax = dup_or_null(ctx, tax, &failed);
    l->kind = kind_static(kind);
    l->debit = amount > 0 ? amount : 0;
    l->credit = amount < 0 ? -amount : 0;
    e->n_lines++; /* counted even on failure so pss_entry_free releases the strings */
    if (failed)
        return pss__oom(ctx);
    if (__builtin_add_overflow(e->debits, l->debit, &e->debits) ||
        __builtin_add_overflow(e->credits, l->credit, &e->credits))
        return pss__fail(ctx, PSS_EOVERFLOW, "journal entry totals overflow");
    return 0;
}

/* A pair of lines that moves an amount from `from` to `to` (debit to, credit from). */
static int add_pair(pss_entry *e, const char *to, const char *from, int64_t amount,
                    const char *label, const char *kind, const char *method)
{
    if (amount == INT64_MIN)
        return pss__fail(e->ctx, PSS_EOVERFLOW, "journal line '%s' overflows", label);
    int rc = add_line(e, to, amount, label, kind, method, NULL);
    return rc ? rc : add_line(e, from, -amount, label, kind, method, NULL);
}

static int add_payments(pss_entry *e, const pss_method_figures *m, size_t n)
{
    char label[PSS_NAME_MAX + 32];
    for (size_t i = 0; i < n; i++) {
        snprintf(label, sizeof label, "Payments %s", m[i].method->name);
        int rc = add_line(e, m[i].method->account, m[i].net, label, "payment",
                          m[i].method->name, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_sales(pss_entry *e, const pss_total_view *v, size_t n)
{
    char label[PSS_MAX_LINE_TAXES * 65 + 32]; /* the longest tax set fits */
    for (size_t i = 0; i < n; i++) {
        if (v[i].type != PSS_TOTAL_SALES)
            continue;
        bool refund = strcmp(v[i].c, "refund") == 0;
        snprintf(label, sizeof label, "%s %s", refund ? "Refunds" : "Sales",
                 v[i].b[0] ? v[i].b : "without tax");
        int rc = add_line(e, v[i].a, -v[i].v[0], label, refund ? "refund" : "sales", NULL,
                          v[i].b[0] ? v[i].b : NULL);
        if (rc)
            return rc;
    }
    return 0;
}

static bool same_tax_line(const pss_total_view *a, const pss_total_view *b)
{
    return a->type == PSS_TOTAL_TAX && b->type == PSS_TOTAL_TAX && strcmp(a->b, b->b) == 0 &&
           strcmp(a->c, b->c) == 0;
}

/* The line of one (tax account, side): the taxes sharing the account are summed and named. */
static int add_tax_line(pss_entry *e, const pss_total_view *v, size_t n, size_t first,
                        pss__strbuf *codes, pss__strbuf *label)
{
    int64_t amount = 0;
    pss__strbuf_reset(codes);
    for (size_t k = first; k < n; k++) {
        if (!same_tax_line(&v[first], &v[k]))
            continue;
        if (__builtin_add_overflow(amount, v[k].v[1], &amount))
            return pss__fail(e->ctx, PSS_EOVERFLOW, "tax total overflows");
        pss__strbuf_printf(codes, "%s%s", codes->len ? "," : "", v[k].a);
    }
    bool refund = strcmp(v[first].c, "refund") == 0;
    pss__strbuf_reset(label);
    pss__strbuf_printf(label, "%s %s", refund ? "Refunded tax" : "Tax", pss__strbuf_str(codes));
    if (codes->failed || label->failed)
        return pss__oom(e->ctx);
    return add_line(e, v[first].b, -amount, label->data, refund ? "tax_refund" : "tax", NULL,
                    codes->data);
}

/* One line per (tax account, side). */
static int add_taxes(pss_entry *e, const pss_total_view *v, size_t n)
{
    pss__strbuf codes, label;
    pss__strbuf_init(&codes, e->ctx->alloc);
    pss__strbuf_init(&label, e->ctx->alloc);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = same_tax_line(&v[k], &v[i]);
        if (v[i].type == PSS_TOTAL_TAX && !seen)
            rc = add_tax_line(e, v, n, i, &codes, &label);
    }
    pss__strbuf_free(&codes);
    pss__strbuf_free(&label);
    return rc;
}

static int add_movements(pss_entry *e, const pss_config *cfg, const pss_total_view *v, size_t n)
{
    const pss_method *cash = pss__config_cash_method(cfg);
    for (size_t i = 0; i < n; i++) {
        if (v[i].type != PSS_TOTAL_MOVE)
            continue;
        if (!cash)
            return pss__fail(e->ctx, PSS_ECONFIG, "config '%s' has no cash method for its cash "
                                                  "movements", cfg->name);
        const char *kind = v[i].a;
        int64_t amount = v[i].v[0];
        int rc;
        if (strcmp(kind, "in") == 0)
            rc = add_pair(e, cash->account, v[i].b, amount, "Cash in", "cash_in", NULL);
        else if (strcmp(kind, "out") == 0)
            rc = add_pair(e, v[i].b, cash->account, amount, "Cash out", "cash_out", NULL);
        else if (strcmp(kind, "expense") == 0)
            rc = add_pair(e, v[i].b, cash->account, amount, "Expenses", "expense", NULL);
        else
            rc = add_pair(e, cash->account, v[i].b, amount, "Cash correction", "correction",
                          NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/* A difference between counted and expected: over goes to the gain account, short to the
 * loss account, against the method's own account. */
static int add_difference(pss_entry *e, const pss_config *cfg, const char *account,
                          int64_t difference, const char *label, const char *kind,
                          const char *method)
{
    if (difference == 0)
        return 0;
    const char *other = difference > 0 ? cfg->accounts[PSS_ACC_DIFF_GAIN]
                                       : cfg->accounts[PSS_ACC_DIFF_LOSS];
    if (!other)
        return pss__fail(e->ctx, PSS_ECONFIG, "config '%s' has no difference %s account for "
                                              "a %s", cfg->name,
                         difference > 0 ? "gain" : "loss", label);
    return add_pair(e, account, other, difference, label, kind, method);
}

static int add_rounding(pss_entry *e, const pss_config *cfg, int64_t rounding)
{
    if (rounding == 0)
        return 0;
    const char *account = rounding > 0 ? cfg->accounts[PSS_ACC_ROUND_GAIN]
                                       : cfg->accounts[PSS_ACC_ROUND_LOSS];
    return add_line(e, account, -rounding, "Cash rounding", "rounding", NULL, NULL);
}

static int add_products(pss_entry *e, const pss_total_view *v, size_t n)
{
    pss_ctx *ctx = e->ctx;
    for (size_t i = 0; i < n; i++) {
        if (v[i].type != PSS_TOTAL_PRODUCT || (v[i].v[0] == 0 && v[i].v[1] == 0))
            continue;
        if (pss__grow(ctx->alloc, (void **)&e->products, &e->cap_products, e->n_products + 1,
                      sizeof *e->products))
            return pss__oom(ctx);
        bool failed = false;
        pss_jproduct *p = &e->products[e->n_products++];
        p->product_id = dup_or_null(ctx, v[i].a, &failed);
        p->name = dup_or_null(ctx, v[i].label ? v[i].label : v[i].a, &failed);
        if (failed)
            return pss__oom(ctx);
        if (__builtin_sub_overflow(v[i].v[0], v[i].v[1], &p->quantity))
            return pss__fail(ctx, PSS_EOVERFLOW, "quantity of %s overflows", v[i].a);
    }
    return 0;
}

static int add_differences(pss_entry *e, const pss_session_core *c, const pss_config *cfg,
                           const pss_method_figures *m, size_t n)
{
    const pss_method *cash = pss__config_cash_method(cfg);
    int rc = 0;
    if (cash && c->opening_counted != PSS_UNSET)
        rc = add_difference(e, cfg, cash->account, c->opening_counted - c->opening_expected,
                            "Opening cash difference", "opening_difference", cash->name);
    char label[PSS_NAME_MAX + 32];
    for (size_t i = 0; !rc && i < n; i++) {
        if (m[i].counted == PSS_UNSET)
            continue;
        bool is_cash = m[i].method->kind == PSS_METHOD_CASH;
        snprintf(label, sizeof label, is_cash ? "Cash difference" : "%s difference",
                 m[i].method->name);
        rc = add_difference(e, cfg, m[i].method->account, m[i].difference, label,
                            "closing_difference", m[i].method->name);
    }
    return rc;
}

/* Invoiced orders are posted by the host's invoice: the session credits the POS receivable
 * with what they took. With split receivables a customer's orders get a line of their own
 * (the partner), the rest one combined line; else one line for all. */
static int add_receivables(pss_entry *e, const pss_config *cfg, const pss_session_core *c,
                           const pss_total_view *v, size_t n)
{
    const char *account = cfg->accounts[PSS_ACC_RECEIVABLE];
    int64_t rest = c->totals.invoiced;
    char label[PSS_NAME_MAX + 32];
    for (size_t i = 0; cfg->split_receivables && i < n; i++) {
        if (v[i].type != PSS_TOTAL_RECEIVABLE || v[i].v[0] == 0)
            continue;
        snprintf(label, sizeof label, "Invoiced orders of %s", v[i].a);
        int rc = add_line(e, account, -v[i].v[0], label, "receivable", NULL, NULL);
        if (rc)
            return rc;
        if (!(e->lines[e->n_lines - 1].partner = PSS_STRDUP(e->ctx, v[i].a)))
            return pss__oom(e->ctx);
        rest -= v[i].v[0]; /* a part of the invoiced total: within its bound */
    }
    return add_line(e, account, -rest, "Invoiced orders", "receivable", NULL, NULL);
}

static int add_all(pss_entry *e, pss_stage *st, const pss_method_figures *m, size_t n_m,
                   const pss_total_view *v, size_t n)
{
    const pss_config *cfg = st->s->config;
    const pss_session_core *c = &st->core;
    int rc;
    if ((rc = add_payments(e, m, n_m)) || (rc = add_sales(e, v, n)) || (rc = add_taxes(e, v, n)) ||
        (rc = add_receivables(e, cfg, c, v, n)) ||
        (rc = add_movements(e, cfg, v, n)) || (rc = add_rounding(e, cfg, c->totals.rounding)) ||
        (rc = add_differences(e, c, cfg, m, n_m)))
        return rc;
    return add_products(e, v, n);
}

static pss_entry *entry_new(pss_stage *st)
{
    pss_ctx *ctx = st->s->ctx;
    pss_entry *e = PSS_CALLOC(ctx, 1, sizeof *e);
    if (!e)
        return NULL;
    e->ctx = ctx;
    pss_id_generate(e->id);
    memcpy(e->session_id, st->core.id, PSS_ID_SIZE);
    memcpy(e->config_id, st->core.config_id, PSS_ID_SIZE);
    snprintf(e->reference, sizeof e->reference, "%s", st->core.name);
    memcpy(e->date, st->core.date, PSS_DATE_SIZE);
    memcpy(e->currency, st->s->config->currency, 4);
    e->exponent = st->s->config->exponent;
    e->posted_at = pss_ctx_now(ctx);
    return e;
}

static int check_balance(pss_entry *e)
{
    if (e->debits == e->credits)
        return 0;
    char d[PSS_MONEY_BUFSIZE], c[PSS_MONEY_BUFSIZE], x[PSS_MONEY_BUFSIZE];
    int64_t imbalance = e->debits - e->credits;
    pss__fail(e->ctx, PSS_EUNBALANCED,
              "the journal entry of session %s does not balance: debits %s, credits %s, "
              "difference %s; nothing was posted", e->reference,
              pss__fmt(d, e->debits, e->exponent), pss__fmt(c, e->credits, e->exponent),
              pss__fmt(x, imbalance, e->exponent));
    pss__figure(e->ctx, "imbalance", imbalance);
    return PSS_EUNBALANCED;
}

int pss__entry_build(pss_stage *st, const pss_method_figures *m, size_t n_m, pss_entry **out)
{
    pss_ctx *ctx = st->s->ctx;
    pss_entry *e = entry_new(st);
    if (!e)
        return pss__oom(ctx);
    pss_total_view *v = NULL;
    size_t n = 0;
    int rc = pss__total_view(st->s, st, &v, &n);
    if (!rc)
        rc = add_all(e, st, m, n_m, v, n);
    PSS_FREE(ctx, v);
    if (!rc && ctx->journal_hook)
        ctx->journal_hook(e, ctx->journal_hook_userdata);
    if (!rc)
        rc = check_balance(e);
    if (rc) {
        pss_entry_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

/* ---- record ---- */

int pss__entry_put(pss_ctx *ctx, const pss_entry *e, pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str(&w, "id", e->id);
    pss__jsonw_str(&w, "session", e->session_id);
    pss__jsonw_str(&w, "config", e->config_id);
    pss__jsonw_str(&w, "reference", e->reference);
    pss__jsonw_str(&w, "date", e->date);
    pss__jsonw_str(&w, "currency", e->currency);
    pss__jsonw_int(&w, "exponent", e->exponent);
    pss__jsonw_int(&w, "posted_at", e->posted_at);
    pss__jsonw_int(&w, "total", e->debits);
    pss__jsonw_array(&w, "lines");
    for (size_t i = 0; i < e->n_lines; i++) {
        const pss_jline *l = &e->lines[i];
        pss__jsonw_object(&w, NULL);
        pss__jsonw_str(&w, "account", l->account);
        pss__jsonw_int(&w, "debit", l->debit);
        pss__jsonw_int(&w, "credit", l->credit);
        pss__jsonw_str(&w, "label", l->label);
        pss__jsonw_str(&w, "kind", l->kind);
        pss__jsonw_str(&w, "method", l->method);
        pss__jsonw_str(&w, "tax", l->tax);
        if (l->partner) /* absent reads as null */
            pss__jsonw_str(&w, "partner", l->partner);
        pss__jsonw_end(&w);
    }
    pss__jsonw_end(&w);
    pss__jsonw_array(&w, "products");
    for (size_t i = 0; i < e->n_products; i++) {
        pss__jsonw_object(&w, NULL);
        pss__jsonw_str(&w, "product", e->products[i].product_id);
        pss__jsonw_str(&w, "name", e->products[i].name);
        pss__jsonw_int(&w, "quantity", e->products[i].quantity);
        pss__jsonw_end(&w);
    }
    pss__jsonw_end(&w);
    int rc = pss__jsonw_finish(ctx, &w);
    if (!rc)
        rc = pss__put(ctx, PSS__KIND_ENTRY, e->id, e->config_id, buf->data, buf->len, 0, NULL);
    if (rc == PSS_ECONFLICT)
        rc = pss__fail(ctx, PSS_ECONFLICT, "journal entry id %s already exists", e->id);
    return rc;
}

static void copy_into(pss_jr *r, char *dst, size_t size, const char *src, const char *field)
{
    if (r->rc)
        return;
    if (strlen(src) >= size) {
        pss__jr_fail(r, "field '%s' is too long", field);
        return;
    }
    memcpy(dst, src, strlen(src) + 1);
}

static void decode_lines(pss_jr *r, json_t *doc, pss_entry *e)
{
    json_t *lines = pss__jr_array(r, doc, "lines");
    for (size_t i = 0; !r->rc && i < json_array_size(lines); i++) {
        json_t *o = pss__jr_item(r, lines, i, "lines");
        if (!r->rc && pss__grow(r->ctx->alloc, (void **)&e->lines, &e->cap_lines, e->n_lines + 1,
                                sizeof *e->lines)) {
            r->rc = pss__oom(r->ctx);
            return;
        }
        if (r->rc)
            return;
        pss_jline *l = &e->lines[e->n_lines++];
        memset(l, 0, sizeof *l);
        l->account = pss__jr_dup(r, pss__jr_str(r, o, "account"));
        /* an entry's lines sum parts of the session's volume (bounds.h) */
        l->debit = pss__jr_range(r, o, "debit", 0, 10 * PSS_SESSION_VOLUME_MAX);
        l->credit = pss__jr_range(r, o, "credit", 0, 10 * PSS_SESSION_VOLUME_MAX);
        l->label = pss__jr_dup(r, pss__jr_str(r, o, "label"));
        const char *kind = pss__jr_str(r, o, "kind");
        l->kind = r->rc ? NULL : kind_static(kind);
        if (!r->rc && !l->kind)
            pss__jr_fail(r, "line %zu has unknown kind '%s'", i, kind);
        l->method = pss__jr_dup(r, pss__jr_str_or_null(r, o, "method"));
        l->partner = pss__jr_dup(r, pss__jr_str_or_null(r, o, "partner"));
        l->tax = pss__jr_dup(r, pss__jr_str_or_null(r, o, "tax"));
        if (!r->rc && ((l->debit < 0 || l->credit < 0) || (l->debit && l->credit)))
            pss__jr_fail(r, "line %zu has debit %lld and credit %lld", i, (long long)l->debit,
                         (long long)l->credit);
        if (!r->rc && (__builtin_add_overflow(e->debits, l->debit, &e->debits) ||
                       __builtin_add_overflow(e->credits, l->credit, &e->credits)))
            pss__jr_fail(r, "totals overflow");
    }
}

static void decode_products(pss_jr *r, json_t *doc, pss_entry *e)
{
    json_t *products = pss__jr_array(r, doc, "products");
    for (size_t i = 0; !r->rc && i < json_array_size(products); i++) {
        json_t *o = pss__jr_item(r, products, i, "products");
        if (!r->rc && pss__grow(r->ctx->alloc, (void **)&e->products, &e->cap_products,
                                e->n_products + 1, sizeof *e->products)) {
            r->rc = pss__oom(r->ctx);
            return;
        }
        if (r->rc)
            return;
        pss_jproduct *p = &e->products[e->n_products++];
        memset(p, 0, sizeof *p);
        p->product_id = pss__jr_dup(r, pss__jr_str(r, o, "product"));
        p->name = pss__jr_dup(r, pss__jr_str(r, o, "name"));
        p->quantity = pss__jr_range(r, o, "quantity", -INT64_MAX, INT64_MAX);
    }
}

int pss__entry_decode(pss_ctx *ctx, const pss_record *rec, pss_entry **out)
{
    pss_jr r;
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_ENTRY, rec);
    if (!doc)
        return r.rc;
    pss_entry *e = PSS_CALLOC(ctx, 1, sizeof *e);
    if (!e) {
        json_decref(doc);
        return pss__oom(ctx);
    }
    e->ctx = ctx;
    pss__jr_id(&r, doc, "id", e->id);
    pss__jr_id(&r, doc, "session", e->session_id);
    pss__jr_id(&r, doc, "config", e->config_id);
    if (!r.rc && strcmp(e->id, rec->id) != 0)
        pss__jr_fail(&r, "it says its id is %s", e->id);
    copy_into(&r, e->reference, sizeof e->reference, pss__jr_str(&r, doc, "reference"),
              "reference");
    copy_into(&r, e->date, sizeof e->date, pss__jr_str(&r, doc, "date"), "date");
    if (!r.rc && !pss__date_valid(e->date))
        pss__jr_fail(&r, "field 'date' is '%.16s', not a date", e->date);
    copy_into(&r, e->currency, sizeof e->currency, pss__jr_str(&r, doc, "currency"), "currency");
    e->exponent = (int)pss__jr_range(&r, doc, "exponent", 0, 4);
    e->posted_at = pss__jr_time(&r, doc, "posted_at");
    decode_lines(&r, doc, e);
    decode_products(&r, doc, e);
    if (!r.rc && e->debits != e->credits)
        pss__jr_fail(&r, "debits %lld and credits %lld differ", (long long)e->debits,
                     (long long)e->credits);
    json_decref(doc);
    if (r.rc) {
        pss_entry_free(e);
        return r.rc;
    }
    *out = e;
    return 0;
}

static int decode_entry(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return pss__entry_decode(ctx, rec, out);
}

int pss__entry_read(pss_ctx *ctx, const char *id, pss_entry **out)
{
    *out = NULL;
    int rc = pss__get_decoded(ctx, PSS__KIND_ENTRY, id, decode_entry, out);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ENOTFOUND, "journal entry %s is not in the store", id);
    return rc;
}

/* ---- API ---- */

int pss_entry_load(pss_ctx *ctx, const char *entry_id, pss_entry **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char id[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "entry id", entry_id, id);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    return pss__txn_end(ctx, pss__entry_read(ctx, id, out));
}

int pss_session_entry(pss_session *s, pss_entry **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    int rc = pss__txn_begin(ctx, false);
    if (rc)
        return rc;
    rc = pss__session_sync(s);
    if (!rc && s->core.state != PSS_SESSION_CLOSED)
        rc = pss__fail(ctx, PSS_ESTATE, "session %s is %s; its entry is posted when it closes",
                       s->core.name, pss_session_state_name(s->core.state));
    if (!rc)
        rc = pss__entry_read(ctx, s->core.entry_id, out);
    return pss__txn_end(ctx, rc);
}

const char *pss_entry_id(const pss_entry *e)
{
    return e ? e->id : NULL;
}

const char *pss_entry_session_id(const pss_entry *e)
{
    return e ? e->session_id : NULL;
}

const char *pss_entry_reference(const pss_entry *e)
{
    return e ? e->reference : NULL;
}

const char *pss_entry_date(const pss_entry *e)
{
    return e ? e->date : NULL;
}

const char *pss_entry_currency(const pss_entry *e)
{
    return e ? e->currency : NULL;
}

int pss_entry_exponent(const pss_entry *e)
{
    return e ? e->exponent : 0;
}

int64_t pss_entry_total(const pss_entry *e)
{
    return e ? e->debits : 0;
}

size_t pss_entry_line_count(const pss_entry *e)
{
    return e ? e->n_lines : 0;
}

int pss_entry_get_line(const pss_entry *e, size_t index, pss_entry_line *out)
{
    if (!e || !out)
        return PSS_EINVAL;
    char owner[PSS_ID_SIZE + 16];
    snprintf(owner, sizeof owner, "entry %s", e->id);
    int rc = pss__check_item(e->ctx, out, out->version, PSS_ENTRY_LINE_VERSION, "pss_entry_line",
                             index, e->n_lines, owner, "lines");
    if (rc)
        return rc;
    const pss_jline *l = &e->lines[index];
    out->account = l->account;
    out->debit = l->debit;
    out->credit = l->credit;
    out->label = l->label;
    out->kind = l->kind;
    out->method = l->method;
    out->tax = l->tax;
    return 0;
}

const char *pss_entry_line_partner(const pss_entry *e, size_t index)
{
    return e && index < e->n_lines ? e->lines[index].partner : NULL;
}

size_t pss_entry_product_count(const pss_entry *e)
{
    return e ? e->n_products : 0;
}

int pss_entry_get_product(const pss_entry *e, size_t index, pss_entry_product *out)
{
    if (!e || !out)
        return PSS_EINVAL;
    char owner[PSS_ID_SIZE + 16];
    snprintf(owner, sizeof owner, "entry %s", e->id);
    int rc = pss__check_item(e->ctx, out, out->version, PSS_ENTRY_PRODUCT_VERSION,
                             "pss_entry_product", index, e->n_products, owner, "products");
    if (rc)
        return rc;
    out->product_id = e->products[index].product_id;
    out->name = e->products[index].name;
    out->quantity = e->products[index].quantity;
    return 0;
}
