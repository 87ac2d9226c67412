/* bench_order.h: what every benchmark records, so that their figures compare: one config
 * ("Bench": Cash, Card, a 10% VAT included in the prices) and one paid order of 3 lines and 1
 * payment, two thirds of them in cash. Header-only: each benchmark is a program of its own. */
#ifndef BENCH_ORDER_H
#define BENCH_ORDER_H

#include <possession.h>
#include <string.h>

static const char *const BENCH_VAT[] = {"VAT10"};

typedef struct bench_order {
    char id[PSS_ID_SIZE];
    pss_line_input lines[3];
    pss_payment_input pay;
    pss_order_input in;
} bench_order;

/* Order number n under id (copied; it may be o->id itself). */
static inline void bench_order_fill(bench_order *o, const char *id, long n)
{
    static const char *const products[] = {"P-01", "P-02", "P-03", "P-04", "P-05", "P-06",
                                           "P-07", "P-08", "P-09", "P-10"};
    memmove(o->id, id, PSS_ID_SIZE);
    int64_t total = 0;
    for (int i = 0; i < 3; i++) {
        pss_line_input l = PSS_LINE_INPUT_INIT;
        l.product_id = products[(n + i * 3) % 10];
        l.quantity = 1000 * (1 + (n + i) % 3);
        l.unit_price = 100 + (n * 7 + i * 13) % 900;
        l.taxes = BENCH_VAT;
        l.n_taxes = 1;
        o->lines[i] = l;
        total += l.quantity / 1000 * l.unit_price;
    }
    o->pay = (pss_payment_input)PSS_PAYMENT_INPUT_INIT;
    o->pay.method = n % 3 ? "Cash" : "Card";
    o->pay.amount = total;
    o->in = (pss_order_input)PSS_ORDER_INPUT_INIT;
    o->in.id = o->id;
    o->in.lines = o->lines;
    o->in.n_lines = 3;
    o->in.payments = &o->pay;
    o->in.n_payments = 1;
}

/* Saves the config under config_id, by actor: 0 or the library's code (detail on ctx). */
static inline int bench_save_config(pss_ctx *ctx, const char *config_id, const pss_actor *actor)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = config_id;
    in.name = "Bench";
    in.code = "BENCH";
    in.currency = "EUR";
    in.cash_control = 0;
    in.income_account = "Income:Sales";
    in.receivable_account = "Assets:Receivable";
    in.cash_in_account = "Assets:Safe";
    in.cash_out_account = "Assets:Safe";
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0};
    pss_method_input card = {PSS_METHOD_INPUT_VERSION, "Card", PSS_METHOD_CARD, "Assets:Card", 0};
    pss_tax_input vat = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT10", .name = NULL,
                         .rate_ppm = 100000, .included = 1, .account = "Liabilities:VAT"};
    pss_config *c = NULL;
    int rc = pss_config_new(ctx, &in, &c);
    if (!rc)
        rc = pss_config_add_method(c, &cash);
    if (!rc)
        rc = pss_config_add_method(c, &card);
    if (!rc)
        rc = pss_config_add_tax(c, &vat);
    if (!rc)
        rc = pss_config_save(c, actor);
    pss_config_free(c);
    return rc;
}

#endif
