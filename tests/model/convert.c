/* convert.c: the library's input structs from the generator's plain inputs. */
#include <string.h>

#include "convert.h"

const char *cv_str(const g_str *s)
{
    return s->null ? NULL : s->s;
}

const pss_actor *cv_actor(const g_actor *a, pss_actor *out)
{
    if (a->null)
        return NULL;
    out->version = (uint32_t)a->version;
    out->user = cv_str(&a->user);
    out->role = (pss_role)a->role;
    out->device = cv_str(&a->device);
    return out;
}

void cv_line(const g_line *g, pss_line_input *l, const char **taxes, int bad_version)
{
    pss_line_input init = PSS_LINE_INPUT_INIT;
    *l = init;
    if (bad_version)
        l->version = 99;
    l->product_id = cv_str(&g->product);
    l->product_name = cv_str(&g->name);
    l->category = cv_str(&g->category);
    l->quantity = g->quantity;
    l->unit_price = g->unit_price;
    l->discount_ppm = g->discount_ppm;
    for (int k = 0; k < g->n_taxes && k < G_MAXLT; k++)
        taxes[k] = g->taxes[k];
    l->taxes = g->n_taxes ? taxes : NULL;
    l->n_taxes = (size_t)g->n_taxes;
    l->refund_line = g->refund_line;
}

void cv_pay(const g_pay *g, pss_payment_input *p, int bad_version)
{
    pss_payment_input init = PSS_PAYMENT_INPUT_INIT;
    *p = init;
    if (bad_version)
        p->version = 99;
    p->method = cv_str(&g->method);
    p->amount = g->amount;
    p->state = (pss_payment_state)g->state;
    p->reference = cv_str(&g->reference);
}

void cv_order(const g_order *g, conv_order *c, int bad_input, int bad_line, int bad_pay)
{
    pss_order_input init = PSS_ORDER_INPUT_INIT;
    c->in = init;
    if (bad_input)
        c->in.version = 99;
    c->in.id = cv_str(&g->id);
    c->in.refund_of = cv_str(&g->refund_of);
    c->in.invoiced = g->invoiced;
    c->in.note = cv_str(&g->note);
    c->in.meta = meta_text(g->meta);
    c->in.discount_amount = g->disc_amount;
    c->in.discount_ppm = g->disc_ppm;
    c->in.customer = g->customer.null || !g->customer.s[0] ? NULL : g->customer.s;
    c->in.return_reason = g->return_reason.null || !g->return_reason.s[0] ? NULL
                                                                          : g->return_reason.s;
    for (int i = 0; i < g->n_lines; i++)
        cv_line(&g->lines[i], &c->lines[i], c->taxes[i], bad_line);
    c->in.lines = g->n_lines ? c->lines : NULL;
    c->in.n_lines = (size_t)g->n_lines;
    for (int i = 0; i < g->n_payments; i++)
        cv_pay(&g->payments[i], &c->pays[i], bad_pay);
    c->in.payments = g->n_payments ? c->pays : NULL;
    c->in.n_payments = (size_t)g->n_payments;
}

void cv_count(const g_count *g, pss_count_input *c, pss_denomination_count *d,
              pss_method_count *m)
{
    pss_count_input init = PSS_COUNT_INPUT_INIT;
    *c = init;
    c->cash_total = g->cash_total;
    for (int i = 0; i < g->n_denoms; i++) {
        d[i].value = g->denoms[i].value;
        d[i].count = g->denoms[i].count;
    }
    c->denominations = g->n_denoms >= 0 ? d : NULL;
    c->n_denominations = g->n_denoms > 0 ? (size_t)g->n_denoms : 0;
    for (int i = 0; i < g->n_methods; i++) {
        m[i].method = g->methods[i];
        m[i].amount = g->method_amounts[i];
    }
    c->methods = g->n_methods ? m : NULL;
    c->n_methods = (size_t)g->n_methods;
}

void cv_cash(const g_cash *g, pss_cash_input *c)
{
    pss_cash_input init = PSS_CASH_INPUT_INIT;
    *c = init;
    c->id = cv_str(&g->id);
    c->kind = (pss_cash_kind)g->kind;
    c->amount = g->amount;
    c->reason = cv_str(&g->reason);
    c->account = cv_str(&g->account);
    c->meta = meta_text(g->meta);
}

static const char *acc(const m_config *c, int i)
{
    return c->has_acc[i] ? c->acc[i] : NULL;
}

static void cv_config_input(const m_config *c, pss_config_input *in)
{
    pss_config_input init = PSS_CONFIG_INPUT_INIT;
    *in = init;
    in->id = c->id;
    in->name = c->name;
    in->code = c->code;
    in->currency = c->currency;
    in->currency_exponent = c->exponent;
    in->cash_control = c->cash_control;
    in->max_difference = c->max_diff;
    in->override_role = (pss_role)c->override_role;
    in->one_session_per_day = c->per_day;
    in->tax_rounding = (pss_tax_rounding)c->tax_rounding;
    in->rounding = (pss_rounding)c->rounding;
    in->cash_rounding = (pss_cash_rounding_scope)c->cr_scope;
    in->cash_rounding_increment = c->cr_inc;
    in->cash_rounding_mode = (pss_rounding)c->cr_mode;
    in->lease_seconds = c->lease_s;
    in->allow_zero_price = c->allow_zero;
    in->late_orders = (pss_late_orders)c->late_orders;
    in->allow_negative_drawer = c->allow_negative;
    in->split_receivables = c->split_recv;
    in->allow_receiptless_returns = c->allow_rr;
    in->receiptless_return_role = (pss_role)c->rr_role;
    in->meta = meta_text(c->meta);
    in->income_account = acc(c, A_INCOME);
    in->receivable_account = acc(c, A_RECV);
    in->difference_gain_account = acc(c, A_GAIN);
    in->difference_loss_account = acc(c, A_LOSS);
    in->cash_in_account = acc(c, A_IN);
    in->cash_out_account = acc(c, A_OUT);
    in->expense_account = acc(c, A_EXPENSE);
    in->rounding_gain_account = acc(c, A_RGAIN);
    in->rounding_loss_account = acc(c, A_RLOSS);
}

static int add_method(pss_config *config, const m_method *m)
{
    pss_method_input in = PSS_METHOD_INPUT_INIT;
    in.name = m->name;
    in.kind = (pss_method_kind)m->kind;
    in.account = m->account[0] ? m->account : NULL;
    in.electronic = m->electronic;
    return pss_config_add_method(config, &in);
}

static int add_tax(pss_config *config, const m_tax *t)
{
    pss_tax_input in = PSS_TAX_INPUT_INIT;
    in.code = t->code;
    in.name = t->name;
    in.rate_ppm = t->rate;
    in.included = t->included;
    in.per_unit = t->per_unit;
    in.affects_base = t->affects_base;
    in.account = t->account[0] ? t->account : NULL;
    return pss_config_add_tax(config, &in);
}

static int add_range(pss_config *config, const m_config *c, const int from[4], int *rc)
{
    for (int i = from[0]; i < c->nm; i++)
        if ((*rc = add_method(config, &c->m[i])) != 0)
            return 1 + i;
    for (int i = from[1]; i < c->nt; i++)
        if ((*rc = add_tax(config, &c->t[i])) != 0)
            return 100 + i;
    for (int i = from[2]; i < c->nc; i++)
        if ((*rc = pss_config_add_category(config, c->c[i].name, c->c[i].account)) != 0)
            return 200 + i;
    for (int i = from[3]; i < c->nd; i++)
        if ((*rc = pss_config_add_denomination(config, c->d[i])) != 0)
            return 300 + i;
    return -1;
}

int cv_config(pss_ctx *ctx, const m_config *c, pss_config **out, int *rc)
{
    pss_config_input in;
    cv_config_input(c, &in);
    *out = NULL;
    if ((*rc = pss_config_new(ctx, &in, out)) != 0)
        return 0;
    static const int zero[4] = {0, 0, 0, 0};
    return add_range(*out, c, zero, rc);
}

int cv_config_add(pss_config *config, const m_config *before, const m_config *after)
{
    int from[4] = {before->nm, before->nt, before->nc, before->nd}, rc = 0;
    add_range(config, after, from, &rc);
    return rc;
}
