/* discount.c: order-level discounts, a fixed amount or a percent of the order, shared over
 * the lines by largest remainder (earliest line first on a tie) so that the shares add up to
 * the order's discount to the minor unit, with taxes computed on the discounted amounts
 * (doc/concepts.md, "Order discounts"). The first cases are ERPNext's own
 * (erpnext/controllers/tests/test_taxes_and_totals.py), with its figures. */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static const char *const VAT10[] = {"VAT10"}; /* 10%, included in the price */
static const char *const VAT20[] = {"VAT20"}; /* 20%, excluded */

static void start(pss_tax_rounding rounding)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.tax_rounding = rounding;
    fix_world(&fo, &store, &ctx);
}

static void stop(void)
{
    fix_world_free(store, ctx);
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "000000d1-0000-4000-8000-%012d", ++counter);
    return id;
}

/* An order of the lines with the discount (id is its own buffer). */
static pss_order_input discounted(char id[PSS_ID_SIZE], const pss_line_input *lines, size_t n,
                                  int64_t amount, int64_t ppm)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.lines = lines;
    in.n_lines = n;
    in.discount_amount = amount;
    in.discount_ppm = ppm;
    return in;
}

/* A draft of the lines with the discount; the caller frees it. */
static pss_order *draft(pss_session *s, const pss_line_input *lines, size_t n, int64_t amount,
                        int64_t ppm)
{
    char id[PSS_ID_SIZE];
    pss_order_input in = discounted(id, lines, n, amount, ppm);
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    return o;
}

static pss_line_info line_of(const pss_order *o, size_t i)
{
    return fix_line_info(ctx, o, i);
}

static pss_order_totals totals_of(const pss_order *o)
{
    return fix_totals(ctx, o);
}

/* ERPNext test_distributed_discount_amount: 5 x 100.00 and 5 x 200.00, 100.00 off the net
 * total: shares 33.33 and 66.67, net 466.67 and 933.33, total 1400.00. */
static void erpnext_net_total(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input lines[] = {fix_line("item", 5000, 10000, NULL, 0),
                              fix_line("item", 5000, 20000, NULL, 0)};
    pss_order *o = draft(s, lines, 2, 10000, 0);
    CHECK_I64(pss_order_line_discount_share(o, 0), 3333);
    CHECK_I64(pss_order_line_discount_share(o, 1), 6667);
    CHECK_I64(line_of(o, 0).total, 46667);
    CHECK_I64(line_of(o, 1).total, 93333);
    CHECK_I64(totals_of(o).total, 140000);
    int64_t amount = -1, ppm = -1, applied = -1;
    CHECK_OK(ctx, pss_order_get_discount(o, &amount, &ppm, &applied));
    CHECK_I64(amount, 10000);
    CHECK_I64(ppm, 0);
    CHECK_I64(applied, 10000);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* ERPNext test_distributed_discount_amount_with_taxes: the same lines with a 10% tax
 * included in the price, 100.00 off the grand total: the shares come off the tax-included
 * amounts (466.67 and 933.33), the net is 424.25 and 848.48 (net total 1272.73), the grand
 * total 1400.00; per order, the group's tax is 127.27 on 1400.00 with the same net total. */
static void erpnext_included_tax(pss_tax_rounding rounding)
{
    start(rounding);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input lines[] = {fix_line("item", 5000, 10000, VAT10, 1),
                              fix_line("item", 5000, 20000, VAT10, 1)};
    pss_order *o = draft(s, lines, 2, 10000, 0);
    pss_order_totals t = totals_of(o);
    CHECK_I64(t.total, 140000);
    CHECK_I64(t.untaxed, 127273);
    CHECK_I64(t.tax, 12727);
    CHECK_I64(line_of(o, 0).total, 46667);
    CHECK_I64(line_of(o, 1).total, 93333);
    CHECK_I64(line_of(o, 0).untaxed, 42425);
    CHECK_I64(line_of(o, 1).untaxed, 84848);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* ERPNext test_distributed_discount_amount_with_rounding_adjustment: three lines of 100.00,
 * 10.00 off: 3.33 each and one minor unit left over; net total 290.00, the shares add up to
 * 10.00. ERPNext lands the unit on the second line; our rule (largest remainder, the earlier
 * line first on a tie) lands it on the first. */
static void erpnext_rounding_adjustment(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("item", 1000, 10000, NULL, 0);
    pss_line_input lines[] = {l, l, l};
    pss_order *o = draft(s, lines, 3, 1000, 0);
    CHECK_I64(pss_order_line_discount_share(o, 0), 334);
    CHECK_I64(pss_order_line_discount_share(o, 1), 333);
    CHECK_I64(pss_order_line_discount_share(o, 2), 333);
    CHECK_I64(line_of(o, 0).total, 9666);
    CHECK_I64(line_of(o, 1).total, 9667);
    CHECK_I64(totals_of(o).total, 29000);
    pss_order_free(o);
    /* 10% of it: 30.00, exactly 10.00 a line */
    o = draft(s, lines, 3, 0, 100000);
    CHECK_I64(pss_order_line_discount_share(o, 2), 1000);
    CHECK_I64(totals_of(o).total, 27000);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* A percent is rounded once, by the config's rule, then shared: a third of 0.15 is 0.05
 * (half up); shares 0.0333.. and 0.0166..: floors 3 and 1, the unit left to the larger
 * remainder (the second line). An excluded tax is computed on the discounted amount. */
static void percent_and_excluded_tax(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input lines[] = {fix_line("a", 1000, 10, NULL, 0), fix_line("b", 1000, 5, NULL, 0)};
    pss_order *o = draft(s, lines, 2, 0, 333333);
    CHECK_I64(pss_order_line_discount_share(o, 0), 3);
    CHECK_I64(pss_order_line_discount_share(o, 1), 2);
    CHECK_I64(totals_of(o).total, 10);
    pss_order_free(o);
    pss_line_input taxed[] = {fix_line("lamp", 1000, 4000, VAT20, 1),
                              fix_line("bulb", 2000, 500, VAT20, 1)};
    o = draft(s, taxed, 2, 1000, 0); /* 10.00 off 50.00 net: 8.00 and 2.00 */
    CHECK_I64(pss_order_line_discount_share(o, 0), 800);
    CHECK_I64(pss_order_line_discount_share(o, 1), 200);
    CHECK_I64(line_of(o, 0).untaxed, 3200);
    CHECK_I64(line_of(o, 0).tax, 640);
    CHECK_I64(line_of(o, 1).tax, 160);
    CHECK_I64(totals_of(o).total, 4800);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

static void refused(pss_session *s, const pss_line_input *lines, size_t n, int64_t amount,
                    int64_t ppm, const char *refund_of, const char *message)
{
    char id[PSS_ID_SIZE];
    pss_order_input in = discounted(id, lines, n, amount, ppm);
    in.refund_of = refund_of;
    char *before = fix_dump(store);
    pss_order *o = NULL;
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &o), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), message);
    CHECK(o == NULL);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
}

static void bad_discounts(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 1000, NULL, 0);
    refused(s, &l, 1, 1001, 0, NULL, "order discount of 10.01 is larger than order ");
    refused(s, &l, 1, 1001, 0, NULL, " (10.00)");
    refused(s, &l, 1, 100, 100000, NULL,
            "an order discount is an amount or a percent, not both");
    refused(s, &l, 1, 0, 1000001, NULL, "order discount of 1000001 ppm is outside 0 to 1000000");
    refused(s, &l, 1, -1, 0, NULL, "order discount -1 is outside 0 to the bound of an amount");
    refused(s, NULL, 0, 100, 0, NULL, "order discount of 1.00 is larger than order ");
    /* a refund takes its discounts from the sale */
    char sale_id[PSS_ID_SIZE];
    pss_payment_input p = fix_pay("Cash", 1000);
    pss_order_input sale = fix_order(next_id(sale_id), &l, &p);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &sale, NULL));
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    refused(s, &back, 1, 100, 0, sale_id, "a refund takes its discounts from the sale");
    /* the whole order off is allowed: 100% */
    pss_order *o = draft(s, &l, 1, 0, 1000000);
    CHECK_I64(totals_of(o).total, 0);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* A draft re-shares its discount as lines change; a line removed so that the discount is
 * larger than what is left is refused. A refund of a discounted sale takes the discounted
 * amount back. The stored record is version 3 with the discount as given and each share. */
static void drafts_refunds_and_record(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input a = fix_line("book", 1000, 3000, NULL, 0), b = fix_line("pen", 1000, 1000, NULL, 0);
    pss_order *o = draft(s, &a, 1, 2000, 0);
    CHECK_I64(pss_order_line_discount_share(o, 0), 2000);
    CHECK_OK(ctx, pss_order_add_line(o, &FIX_ALICE, &b, NULL));
    CHECK_I64(pss_order_line_discount_share(o, 0), 1500);
    CHECK_I64(pss_order_line_discount_share(o, 1), 500);
    CHECK_I64(totals_of(o).total, 2000);
    CHECK_RC(ctx, pss_order_remove_line(o, &FIX_ALICE, 0), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "order discount of 20.00 is larger than order ");
    CHECK_I64(pss_order_line_count(o), 2);
    pss_payment_input cash = fix_pay("Cash", 2000);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", pss_order_id(o), fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strncmp(r.payload, "{\"v\":4,", 7) == 0);
    CHECK_CONTAINS(r.payload, ",\"discount\":{\"amount\":2000},\"at\":");
    /* the book's amount after its share (15.00 of 30.00), then the share itself */
    CHECK_CONTAINS(r.payload, "[\"book\",1000,3000,[],1500,null,null,null,1500]");
    /* the pen's refund gives back 5.00, what it was sold for */
    char id[PSS_ID_SIZE];
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 1;
    back.quantity = -1000;
    pss_payment_input repay = fix_pay("Cash", -500);
    pss_order_input refund = fix_order(next_id(id), &back, &repay);
    refund.refund_of = pss_order_id(o);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &refund, NULL));
    pss_order *ro = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &ro));
    CHECK_I64(totals_of(ro).total, -500);
    /* the refund has no discount of its own: no shares, nothing applied */
    int64_t applied = -1;
    CHECK_OK(ctx, pss_order_get_discount(ro, NULL, NULL, &applied));
    CHECK_I64(applied, 0);
    CHECK_I64(pss_order_line_discount_share(ro, 0), 0);
    pss_order_free(ro);
    /* an order without discount is version 4 too */
    pss_order *plain = draft(s, &b, 1, 0, 0);
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", pss_order_id(plain), fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strncmp(r.payload, "{\"v\":4,", 7) == 0);
    pss_order_free(plain);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

int main(void)
{
    erpnext_net_total();
    erpnext_included_tax(PSS_TAX_ROUND_PER_LINE);
    erpnext_included_tax(PSS_TAX_ROUND_PER_ORDER);
    erpnext_rounding_adjustment();
    percent_and_excluded_tax();
    bad_discounts();
    drafts_refunds_and_record();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
