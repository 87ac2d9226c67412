/* fixed_taxes.c: fixed taxes (an amount per unit: deposits, eco-taxes), alone or beside
 * percent taxes on one line, included in the price or added on top, and taxes that join the
 * base of the taxes listed after them, where the order of a line's taxes then counts
 * (doc/concepts.md, "Fixed taxes and taxes on taxes"). */
#include "fixture.h"

#include "order/order_internal.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

/* The fixture's register plus DEPOSIT (0.25 a unit, on top), ECO (0.50 a unit, on top, in
 * the base of the taxes after it) and DEPINC (0.10 a unit, included in the price). */
static void start(pss_tax_rounding rounding)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.tax_rounding = rounding;
    fo.allow_receiptless_returns = 1;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    pss_config *c = fix_config_with(ctx, &fo);
    pss_tax_input dep = PSS_TAX_INPUT_INIT, eco = PSS_TAX_INPUT_INIT, inc = PSS_TAX_INPUT_INIT;
    dep.code = "DEPOSIT", dep.per_unit = 25, dep.account = "Liabilities:Deposits";
    eco.code = "ECO", eco.per_unit = 50, eco.affects_base = 1, eco.account = "Liabilities:Eco";
    inc.code = "DEPINC", inc.per_unit = 10, inc.included = 1, inc.account = "Liabilities:Dep";
    CHECK_OK(ctx, pss_config_add_tax(c, &dep));
    CHECK_OK(ctx, pss_config_add_tax(c, &eco));
    CHECK_OK(ctx, pss_config_add_tax(c, &inc));
    /* Odoo's (addons/account/tests/test_tax.py): fixed 10 on top, the same in the base of what
     * follows, fixed 10 included, 10% on top, 21% included */
    pss_tax_input odoo[] = {PSS_TAX_INPUT_INIT, PSS_TAX_INPUT_INIT, PSS_TAX_INPUT_INIT,
                            PSS_TAX_INPUT_INIT, PSS_TAX_INPUT_INIT};
    odoo[0].code = "FIX10", odoo[0].per_unit = 1000;
    odoo[1].code = "FIX10B", odoo[1].per_unit = 1000, odoo[1].affects_base = 1;
    odoo[2].code = "FIX10I", odoo[2].per_unit = 1000, odoo[2].included = 1;
    odoo[3].code = "P10", odoo[3].rate_ppm = 100000;
    odoo[4].code = "P21I", odoo[4].rate_ppm = 210000, odoo[4].included = 1;
    for (size_t i = 0; i < 5; i++) {
        odoo[i].account = "Liabilities:Odoo";
        CHECK_OK(ctx, pss_config_add_tax(c, &odoo[i]));
    }
    CHECK_OK(ctx, pss_config_save(c, &FIX_MIA));
    pss_config_free(c);
}

/* The stored order record read by the library's reader: what its groups come to. */
static pss_order_data *decoded(const char *id, const fix_record *r)
{
    pss_record rec = {"order", id, r->parent, r->rev, r->payload, strlen(r->payload)};
    pss_order_data *d = NULL;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    return d;
}

static void stop(void)
{
    fix_world_free(store, ctx);
}

static pss_order *draft(pss_session *s, const pss_line_input *lines, size_t n)
{
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "0000000f-0000-4000-8000-%012d", ++counter);
    pss_order_input in = fix_order(id, lines, NULL);
    in.n_lines = n;
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

/* Six bottles of water at 0.80 with a 0.25 deposit and 20% VAT on top: the deposit is 1.50,
 * VAT 0.96 on 4.80 (the deposit is not in its base), total 7.26. 1.5 kg at 0.25 a unit is
 * 0.375, rounded half up to 0.38. */
static void deposit_beside_vat(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    static const char *const taxes[] = {"DEPOSIT", "VAT20"};
    pss_line_input lines[] = {fix_line("water", 6000, 80, taxes, 2),
                              fix_line("nuts", 1500, 400, taxes, 1)};
    pss_order *o = draft(s, lines, 2);
    pss_line_info w = line_of(o, 0);
    CHECK_I64(w.untaxed, 480);
    CHECK_I64(w.tax, 246);
    CHECK_I64(w.total, 726);
    CHECK_I64(line_of(o, 1).tax, 38);
    CHECK_I64(totals_of(o).total, 726 + 600 + 38);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* A fridge of 300.00 with an eco-tax of 0.50 in VAT's base: VAT is 20% of 300.50 = 60.10, the
 * total 360.60. Listed the other way round, VAT comes before the eco-tax and does not see
 * it: 60.00, total 360.50; the two lines post in two groups, their taxes kept in order. */
static void eco_tax_in_vat_base(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    static const char *const eco_first[] = {"ECO", "VAT20"};
    static const char *const vat_first[] = {"VAT20", "ECO"};
    pss_line_input lines[] = {fix_line("fridge", 1000, 30000, eco_first, 2),
                              fix_line("fridge", 1000, 30000, vat_first, 2)};
    pss_order *o = draft(s, lines, 2);
    CHECK_I64(line_of(o, 0).tax, 6060);
    CHECK_I64(line_of(o, 0).total, 36060);
    CHECK_I64(line_of(o, 1).tax, 6050);
    CHECK_I64(line_of(o, 1).total, 36050);
    CHECK_STR(pss_order_line_tax(o, 1, 0), "VAT20");
    pss_payment_input card = fix_pay("Voucher", 72110);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", pss_order_id(o), fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strncmp(r.payload, "{\"v\":4,", 7) == 0);
    CHECK_CONTAINS(r.payload, "\"ECO\":[0,false,\"Liabilities:Eco\",50,true]");
    CHECK_CONTAINS(r.payload, "[\"fridge\",1000,30000,[[\"ECO\",50],[\"VAT20\",6010]]]");
    CHECK_CONTAINS(r.payload, "[\"fridge\",1000,30000,[[\"VAT20\",6000],[\"ECO\",50]]]");
    /* the taxes' order kept: two groups, each with its tax set in its line's order */
    pss_order_data *d = decoded(pss_order_id(o), &r);
    CHECK_I64(d ? d->n_groups : 0, 2);
    if (d && d->n_groups == 2) {
        CHECK_STR(d->groups[0].taxset, "ECO,VAT20");
        CHECK_STR(d->groups[1].taxset, "VAT20,ECO");
        CHECK_I64(d->groups[0].tax, 6060);
        CHECK_I64(d->groups[1].tax, 6050);
    }
    pss__order_data_free(ctx, d);
    /* the refund of the first fridge gives back exactly what it took */
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "0000000f-0000-4000-8000-%012d", ++counter);
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input repay = fix_pay("Voucher", -36060);
    pss_order_input refund = fix_order(id, &back, &repay);
    refund.refund_of = pss_order_id(o);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &refund, NULL));
    CHECK_OK(ctx, pss_session_verify(s));
    pss_entry *e = fix_close_expected(ctx, s, &FIX_ALICE);
    int64_t eco = 0, vat = 0;
    for (size_t i = 0; e && i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        if (strcmp(l.account, "Liabilities:Eco") == 0)
            eco += l.credit - l.debit;
        if (strcmp(l.account, "Liabilities:VAT20") == 0)
            vat += l.credit - l.debit;
    }
    CHECK_I64(eco, 50);
    CHECK_I64(vat, 6000); /* the second fridge's: the first came back with its 60.10 */
    pss_entry_free(e);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* Two bottles of juice at 1.10, the price including a 0.10 deposit and 10% VAT: the deposits
 * 0.20 come out first, VAT10 from what is left, 2.00 / 11 = 0.18; untaxed 1.82, total 2.20.
 * A price below its included deposit is refused. */
static void included_deposit(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    static const char *const taxes[] = {"DEPINC", "VAT10"};
    pss_line_input juice = fix_line("juice", 2000, 110, taxes, 2);
    pss_order *o = draft(s, &juice, 1);
    CHECK_I64(line_of(o, 0).untaxed, 182);
    CHECK_I64(line_of(o, 0).tax, 38);
    CHECK_I64(line_of(o, 0).total, 220);
    pss_order_free(o);
    /* taken back without a receipt, and given away (100% off): the included deposit of -0.10
     * exceeds the amount of 0.00 as it would on a sale; the magnitudes count, not the signs */
    pss_line_input sip_back = fix_line("sip", -1000, 5, taxes, 2);
    sip_back.discount_ppm = 1000000;
    char back_id[PSS_ID_SIZE];
    snprintf(back_id, sizeof back_id, "0000000f-0000-4000-8000-%012d", ++counter);
    pss_order_input ret = fix_order(back_id, &sip_back, NULL);
    ret.return_reason = "spilt";
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    pss_order *none_back = NULL;
    CHECK_RC(ctx, pss_order_create(s, &FIX_MIA, &ret, &none_back), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "line of 'sip': the fixed taxes included in its price 0.00 "
                                   "exceed it (-0.10)");
    pss_line_input cheap = fix_line("sip", 1000, 5, taxes, 2);
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "0000000f-0000-4000-8000-%012d", ++counter);
    pss_order_input in = fix_order(id, &cheap, NULL);
    char *before = fix_dump(store);
    pss_order *none = NULL;
    CHECK_RC(ctx, pss_order_create(s, &FIX_MIA, &in, &none), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "line of 'sip': the fixed taxes included in its price 0.05 "
                                   "exceed it (0.10)");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    pss_session_free(s);
    stop();
}

/* Per order: three items of 0.33 with ECO and VAT20; the eco-taxes stay each line's own
 * (1.50 in all) and VAT is computed once on 0.99 + 1.50 = 2.49: 0.50 (per line it would be
 * 3 x 0.17 = 0.51). */
static void per_order(void)
{
    start(PSS_TAX_ROUND_PER_ORDER);
    pss_session *s = fix_open(ctx, 0);
    static const char *const taxes[] = {"ECO", "VAT20"};
    pss_line_input l = fix_line("bulb", 1000, 33, taxes, 2);
    pss_line_input lines[] = {l, l, l};
    pss_order *o = draft(s, lines, 3);
    pss_order_totals t = totals_of(o);
    CHECK_I64(t.untaxed, 99);
    CHECK_I64(t.tax, 200);
    CHECK_I64(t.total, 299);
    pss_order_free(o);
    /* two bags given away (100% off) still carry their eco-tax: VAT is 20% of the 1.00 of
     * eco-taxes, 0.20, and with no amounts to share it by the first line takes it */
    pss_line_input bag = fix_line("bag", 1000, 10, taxes, 2);
    bag.discount_ppm = 1000000;
    pss_line_input bags[] = {bag, bag};
    o = draft(s, bags, 2);
    CHECK_I64(line_of(o, 0).tax, 70);
    CHECK_I64(line_of(o, 1).tax, 50);
    CHECK_I64(totals_of(o).total, 120);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* Odoo's test_tax.py figures: a fixed 10 and 10% on 200 are 10 + 20 (total 230); with the
 * fixed tax in the base, 10 + 21 (231); a fixed 10 included in a price of 100 taken twice
 * leaves 180 (total 200); 21% included in 7.00 is 1.21 on 5.79. */
static void odoo_cases(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    static const char *const group[] = {"FIX10", "P10"}, *const based[] = {"FIX10B", "P10"},
                             *const fixin[] = {"FIX10I"}, *const p21[] = {"P21I"};
    pss_line_input lines[] = {fix_line("a", 1000, 20000, group, 2),
                              fix_line("b", 1000, 20000, based, 2),
                              fix_line("c", 2000, 10000, fixin, 1),
                              fix_line("d", 1000, 700, p21, 1)};
    pss_order *o = draft(s, lines, 4);
    CHECK_I64(line_of(o, 0).tax, 3000);
    CHECK_I64(line_of(o, 0).total, 23000);
    CHECK_I64(line_of(o, 1).tax, 3100);
    CHECK_I64(line_of(o, 1).total, 23100);
    CHECK_I64(line_of(o, 2).untaxed, 18000);
    CHECK_I64(line_of(o, 2).tax, 2000);
    CHECK_I64(line_of(o, 2).total, 20000);
    CHECK_I64(line_of(o, 3).untaxed, 579);
    CHECK_I64(line_of(o, 3).tax, 121);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

static void bad_taxes(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    pss_config *c = fix_config(ctx);
    pss_tax_input t = PSS_TAX_INPUT_INIT;
    t.code = "BOTH", t.rate_ppm = 50000, t.per_unit = 10, t.account = "Tax";
    CHECK_RC(ctx, pss_config_add_tax(c, &t), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "tax 'BOTH' has a rate and an amount per unit; a fixed tax "
                                   "has no rate");
    t.rate_ppm = 0, t.per_unit = -1;
    CHECK_RC(ctx, pss_config_add_tax(c, &t), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has -1 per unit");
    t.per_unit = 0, t.rate_ppm = 100000, t.included = 1, t.affects_base = 1;
    CHECK_RC(ctx, pss_config_add_tax(c, &t), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "tax 'BOTH' is included in the price; only a tax added on "
                                   "top may affect the base of the taxes after it");
    pss_config_free(c);
    /* stored and read back */
    CHECK_OK(ctx, pss_config_load(ctx, FIX_CONFIG_ID, &c));
    char *json = NULL;
    CHECK_OK(ctx, pss_config_to_json(c, &json));
    CHECK_CONTAINS(json, "{\"code\":\"ECO\",\"name\":\"ECO\",\"rate_ppm\":0,\"included\":false,"
                         "\"account\":\"Liabilities:Eco\",\"per_unit\":50,\"affects_base\":true}");
    pss_config *again = NULL;
    CHECK_OK(ctx, pss_config_from_json(ctx, json, &again));
    char *json2 = NULL;
    CHECK_OK(ctx, pss_config_to_json(again, &json2));
    CHECK_STR(json2, json);
    pss_free(ctx, json);
    pss_free(ctx, json2);
    pss_config_free(again);
    pss_config_free(c);
    stop();
}

int main(void)
{
    deposit_beside_vat();
    eco_tax_in_vat_base();
    included_deposit();
    per_order();
    odoo_cases();
    bad_taxes();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
