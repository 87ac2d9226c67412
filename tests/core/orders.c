/* orders.c: order states, payments (change, electronic, overpay, split, fail, void), cash
 * rounding, refunds and their limits, the invoiced flag, the offline submit (idempotent,
 * conflicting, batched, recorded under the older input hash), the order record's exact text
 * and bad input, with exact figures and a verify after each part. */
#include <jansson.h>

#include "fixture.h"

#include "order/order_internal.h"
#include "session/session_internal.h"

static pss_ctx *ctx;
static pss_storage *store;
static pss_session *session;
static int counter;

static const char *VAT10[] = {"VAT10"};
static const char *VAT20[] = {"VAT20"};

static void start_with(const fix_config_opts *fo)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, fo);
    session = fix_open(ctx, 10000);
}

static void start(void)
{
    start_with(NULL);
}

static void stop(void)
{
    CHECK_OK(ctx, pss_session_verify(session));
    pss_session_free(session);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "00000000-0000-4000-8000-%012d", ++counter);
    return id;
}

static pss_order *draft(const pss_line_input *lines, size_t n)
{
    char id[PSS_ID_SIZE];
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(session, &FIX_ALICE, &in, &o));
    return o;
}

static pss_order_totals totals_of(pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    return t;
}

static int64_t expected_cash(void)
{
    int64_t v = 0;
    pss_session_expected_cash(session, &v);
    return v;
}

static int pay(pss_order *o, const char *method, int64_t amount)
{
    pss_payment_input p = fix_pay(method, amount);
    return pss_order_add_payment(o, &FIX_ALICE, &p, NULL);
}

static void cash_with_change(void)
{
    start();
    pss_line_input l[2] = {fix_line("croissant", 2000, 150, VAT10, 1),
                           fix_line("jam", 1000, 2898, VAT20, 1)};
    pss_order *o = draft(l, 2);
    pss_order_totals t = totals_of(o);
    CHECK_I64(t.total, 300 + 2898 + 580); /* 3.00 incl. + 28.98 + 5.796 -> 5.80 */
    int64_t current, posted;
    pss_session_balance(session, &current, &posted);
    CHECK_I64(current, 3778);
    CHECK_I64(posted, 0);
    size_t drafts;
    pss_session_blockers(session, &drafts, NULL);
    CHECK_I64(drafts, 1);
    CHECK_OK(ctx, pay(o, "Cash", 5000));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    t = totals_of(o);
    CHECK_I64(t.paid, 5000);
    CHECK_I64(t.change, 1222);
    CHECK_I64(t.remaining, 0);
    pss_payment_info pi = PSS_PAYMENT_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_payment(o, 0, &pi));
    CHECK_I64(pi.change, 1222);
    CHECK_I64(pi.state, PSS_PAYMENT_DONE);
    CHECK_I64(expected_cash(), 10000 + 3778);
    pss_session_balance(session, &current, &posted);
    CHECK_I64(current, 3778);
    CHECK_I64(posted, 3778);
    pss_session_blockers(session, &drafts, NULL);
    CHECK_I64(drafts, 0);
    /* lines change only in DRAFT */
    pss_line_input more = fix_line("tea", 1000, 100, NULL, 0);
    CHECK_RC(ctx, pss_order_add_line(o, &FIX_ALICE, &more, NULL), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is paid; cannot add a line");
    CHECK_RC(ctx, pay(o, "Cash", 100), PSS_ESTATE);
    pss_order_free(o);
    stop();
}

static void electronic_and_split(void)
{
    start();
    pss_line_input l = fix_line("shoes", 1000, 8990, NULL, 0);
    pss_order *o = draft(&l, 1);
    CHECK_RC(ctx, pay(o, "Card", 9000), PSS_EOVERPAY);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "Card payment of 90.00 exceeds the 89.90 left to pay");
    int64_t remaining = 0;
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "remaining", &remaining));
    CHECK_I64(remaining, 8990);
    CHECK_OK(ctx, pay(o, "Card", 5000));
    pss_payment_info pi = PSS_PAYMENT_INFO_INIT;
    pss_order_get_payment(o, 0, &pi);
    CHECK_I64(pi.state, PSS_PAYMENT_PENDING);
    size_t pending;
    pss_session_blockers(session, NULL, &pending);
    CHECK_I64(pending, 1);
    CHECK_RC(ctx, pay(o, "Cash", 4000), PSS_ESTATE); /* the terminal is still working */
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has a pending payment");
    CHECK_OK(ctx, pss_order_fail_payment(o, &FIX_ALICE, 0, "declined"));
    pss_order_get_payment(o, 0, &pi);
    CHECK_I64(pi.state, PSS_PAYMENT_FAILED);
    CHECK_I64(totals_of(o).remaining, 8990);
    CHECK_OK(ctx, pay(o, "Card", 5000));
    CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_MIA, 1)); /* a manager may confirm */
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_DRAFT);
    CHECK_OK(ctx, pay(o, "Voucher", 1000));
    CHECK_RC(ctx, pay(o, "Voucher", 3000), PSS_EOVERPAY);
    CHECK_OK(ctx, pay(o, "Cash", 5000)); /* 29.90 left: 20.10 change */
    pss_order_totals t = totals_of(o);
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(t.paid, 5000 + 1000 + 5000);
    CHECK_I64(t.change, 2010);
    CHECK_I64(expected_cash(), 10000 + 5000 - 2010);
    pss_session_blockers(session, NULL, &pending);
    CHECK_I64(pending, 0);
    pss_order_free(o);

    /* a DONE payment is voided on a draft; a paid order cannot be voided */
    pss_line_input l2 = fix_line("socks", 1000, 500, NULL, 0);
    o = draft(&l2, 1);
    CHECK_OK(ctx, pay(o, "Cash", 200));
    CHECK_I64(expected_cash(), 10000 + 5000 - 2010 + 200);
    CHECK_RC(ctx, pss_order_cancel(o, &FIX_ALICE, "changed mind"), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has 1 done and 0 pending payments");
    CHECK_RC(ctx, pss_order_void_payment(o, &FIX_ALICE, 0, NULL), PSS_EINVAL);
    CHECK_OK(ctx, pss_order_void_payment(o, &FIX_ALICE, 0, "cash handed back"));
    CHECK_I64(expected_cash(), 10000 + 5000 - 2010);
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "changed mind"));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_CANCELLED);
    CHECK_RC(ctx, pay(o, "Cash", 500), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is cancelled; cannot take a payment");
    CHECK_RC(ctx, pss_order_void_payment(o, &FIX_ALICE, 7, "x"), PSS_ENOTFOUND);
    pss_order_free(o);

    /* a zero order is validated, an empty one is not */
    pss_line_input gift = fix_line("sample", 1000, 300, NULL, 0);
    gift.discount_ppm = 1000000;
    o = draft(&gift, 1);
    CHECK_RC(ctx, pay(o, "Cash", 100), PSS_ESTATE);
    CHECK_OK(ctx, pss_order_validate(o, &FIX_ALICE));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    pss_order_free(o);
    o = draft(NULL, 0);
    CHECK_RC(ctx, pss_order_validate(o, &FIX_ALICE), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has no lines; cancel it instead");
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "empty"));
    pss_order_free(o);
    stop();
}

static void cash_rounding(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_rounding = PSS_CASH_ROUNDING_CASH;
    fo.cash_rounding_increment = 5;
    start_with(&fo);
    pss_line_input l = fix_line("bread", 1000, 1002, NULL, 0);
    pss_order *o = draft(&l, 1);
    CHECK_I64(totals_of(o).remaining, 1002);
    CHECK_I64(totals_of(o).cash_due, 1000);
    CHECK_OK(ctx, pay(o, "Cash", 1000)); /* 10.02 rounds down to 10.00 in cash */
    pss_order_totals t = totals_of(o);
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(t.total, 1002);
    CHECK_I64(t.rounding, -2);
    CHECK_I64(t.due, 1000);
    CHECK_I64(t.change, 0);
    pss_order_free(o);
    l.unit_price = 1003;
    o = draft(&l, 1);
    CHECK_OK(ctx, pay(o, "Cash", 2000)); /* 10.03 -> 10.05, change 9.95 */
    t = totals_of(o);
    CHECK_I64(t.rounding, 2);
    CHECK_I64(t.change, 995);
    pss_order_free(o);
    l.unit_price = 1003;
    o = draft(&l, 1);
    CHECK_OK(ctx, pay(o, "Card", 1003)); /* cards pay to the minor unit */
    CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_ALICE, 0));
    CHECK_I64(totals_of(o).rounding, 0);
    pss_order_free(o);
    CHECK_I64(expected_cash(), 10000 + 1000 + 1005);
    /* 0.02 left after a card paid 10.00: nothing more changes hands in cash */
    l.unit_price = 1002;
    o = draft(&l, 1);
    CHECK_OK(ctx, pay(o, "Card", 1000));
    CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_ALICE, 0));
    CHECK_I64(totals_of(o).cash_due, 0);
    CHECK_OK(ctx, pss_order_validate(o, &FIX_ALICE));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(totals_of(o).rounding, -2);
    pss_order_free(o);
    pss_report *r;
    CHECK_OK(ctx, pss_session_report(session, &r));
    CHECK_I64(pss_report_get(r, PSS_FIG_ROUNDING), -2); /* -0.02 + 0.02 - 0.02 */
    CHECK_I64(pss_report_get(r, PSS_FIG_POSTED_TOTAL), 1002 + 1003 + 1003 + 1002);
    pss_report_free(r);
    stop();
}

static pss_order *paid_sale(void)
{
    pss_line_input l[2] = {fix_line("croissant", 3000, 150, VAT10, 1),
                           fix_line("juice", 1000, 420, VAT20, 1)};
    pss_order *o = draft(l, 2);
    CHECK_OK(ctx, pay(o, "Cash", totals_of(o).total));
    return o;
}

static pss_order *refund(const char *of, const pss_line_input *lines, size_t n, int *rc)
{
    char id[PSS_ID_SIZE];
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.refund_of = of;
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    *rc = pss_order_create(session, &FIX_ALICE, &in, &o);
    return o;
}

static pss_line_input refund_line(int64_t line, int64_t qty)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = line;
    l.quantity = qty;
    return l;
}

static void refunds(void)
{
    start();
    pss_order *sale = paid_sale();
    CHECK_I64(totals_of(sale).total, 450 + 420 + 84);
    int rc;
    pss_line_input r1 = refund_line(0, -1000);
    pss_order *back = refund(pss_order_id(sale), &r1, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    pss_order_totals t = totals_of(back);
    CHECK_I64(t.total, -150);
    CHECK_I64(t.tax, -14); /* round(-150 / 11) */
    CHECK_STR(pss_order_refund_of(back), pss_order_id(sale));
    pss_line_info li = PSS_LINE_INFO_INIT;
    pss_order_get_line(back, 0, &li);
    CHECK_STR(li.product_id, "croissant");
    CHECK_I64(li.unit_price, 150);
    CHECK_I64(li.refund_line, 0);
    CHECK_RC(ctx, pay(back, "Cash", 150), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "a refund is paid back with negative amounts");
    CHECK_RC(ctx, pay(back, "Cash", -200), PSS_EOVERPAY);
    CHECK_OK(ctx, pay(back, "Cash", -150));
    CHECK_I64(pss_order_state_of(back), PSS_ORDER_PAID);
    pss_order_free(back);

    /* two of three croissants remain refundable */
    char *before = fix_dump(store);
    pss_line_input r2 = refund_line(0, -2500);
    back = refund(pss_order_id(sale), &r2, 1, &rc);
    CHECK(back == NULL);
    CHECK_I64(rc, PSS_EREFUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "line 0 ('croissant') of order");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "sold 3.000 and 1.000 are already refunded; refunding "
                                        "2.500 more is refused");
    int64_t available = 0;
    pss_ctx_error_figure(ctx, "available", &available);
    CHECK_I64(available, 2000);
    pss_line_input r3 = refund_line(5, -1000);
    back = refund(pss_order_id(sale), &r3, 1, &rc);
    CHECK_I64(rc, PSS_EREFUND); /* "references nothing refundable" */
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has 2 lines (0 to 1); line 5 does not exist");
    /* (a sale line beside refund lines makes an exchange: tests/core/returns.c) */
    back = refund("00000000-0000-4000-8000-999999999999", &r1, 1, &rc);
    CHECK_I64(rc, PSS_EREFUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "to refund does not exist");
    pss_line_input positive = refund_line(0, 1000);
    back = refund(pss_order_id(sale), &positive, 1, &rc);
    CHECK_I64(rc, PSS_EINVAL);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);

    /* a cancelled refund gives its quantity back */
    pss_line_input r4 = refund_line(0, -2000);
    back = refund(pss_order_id(sale), &r4, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    pss_order *more = refund(pss_order_id(sale), &r1, 1, &rc);
    CHECK_I64(rc, PSS_EREFUND);
    CHECK_OK(ctx, pss_order_cancel(back, &FIX_ALICE, "wrong item"));
    more = refund(pss_order_id(sale), &r4, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_OK(ctx, pay(more, "Card", -300));
    CHECK_OK(ctx, pss_order_confirm_payment(more, &FIX_ALICE, 0));
    pss_order_free(more);
    pss_order_free(back);

    /* a draft cannot be refunded, nor a refund */
    pss_line_input l = fix_line("tea", 1000, 100, NULL, 0);
    pss_order *d = draft(&l, 1);
    back = refund(pss_order_id(d), &r1, 1, &rc);
    CHECK_I64(rc, PSS_EREFUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is not paid; only paid sales can be refunded");
    CHECK_OK(ctx, pss_order_cancel(d, &FIX_ALICE, "test"));
    pss_order_free(d);

    pss_report *r;
    CHECK_OK(ctx, pss_session_report(session, &r));
    CHECK_I64(pss_report_get(r, PSS_FIG_ORDERS), 1);
    CHECK_I64(pss_report_get(r, PSS_FIG_REFUNDS), 2);
    CHECK_I64(pss_report_get(r, PSS_FIG_POSTED_TOTAL), 954 - 150 - 300);
    pss_report_product rp = PSS_REPORT_PRODUCT_INIT;
    CHECK_OK(ctx, pss_report_get_product(r, 0, &rp));
    CHECK_STR(rp.product_id, "croissant");
    CHECK_I64(rp.sold, 3000);
    CHECK_I64(rp.refunded, 3000);
    CHECK_I64(rp.net, 0);
    pss_report_free(r);
    pss_order_free(sale);
    stop();
}

static void invoiced(void)
{
    start();
    pss_order *o = paid_sale();
    int64_t cash = expected_cash();
    CHECK_OK(ctx, pss_order_set_invoiced(o, &FIX_ALICE, 1));
    CHECK_I64(pss_order_is_invoiced(o), 1);
    CHECK_I64(expected_cash(), cash); /* the cash count does not change */
    pss_report *r;
    pss_session_report(session, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_INVOICED), 954);
    CHECK_I64(pss_report_get(r, PSS_FIG_UNTAXED), 0);
    CHECK_I64(pss_report_get(r, PSS_FIG_TAX), 0);
    CHECK_I64(pss_report_tax_count(r), 2);
    pss_report_tax rt = PSS_REPORT_TAX_INIT;
    pss_report_get_tax(r, 0, &rt);
    CHECK_I64(rt.amount, 0); /* invoiced orders post their taxes through the invoice */
    pss_report_free(r);
    CHECK_OK(ctx, pss_order_set_invoiced(o, &FIX_MIA, 0));
    pss_session_report(session, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_INVOICED), 0);
    CHECK_I64(pss_report_get(r, PSS_FIG_UNTAXED), 450 - 41 + 420);
    pss_report_free(r);
    pss_order_free(o);
    stop();
}

static pss_order_input submitted(const char *id, pss_line_input *lines, size_t n_lines,
                                 pss_payment_input *pays, size_t n_pays)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n_lines;
    in.payments = pays;
    in.n_payments = n_pays;
    return in;
}

static void offline_submit(void)
{
    start();
    char id[PSS_ID_SIZE];
    next_id(id);
    pss_line_input l[1] = {fix_line("cake", 2000, 325, VAT10, 1)};
    pss_payment_input p[1] = {fix_pay("Card", 650)};
    p[0].state = PSS_PAYMENT_DONE; /* approved by the terminal while offline */
    pss_order_input in = submitted(id, l, 1, p, 1);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    CHECK_I64(res.status, 0);
    CHECK_I64(res.duplicate, 0);
    CHECK_I64(res.state, PSS_ORDER_PAID);
    CHECK_STR(res.order_id, id);
    CHECK_STR(res.session_id, pss_session_id(session));
    char *before = fix_dump(store);
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    CHECK_I64(res.duplicate, 1);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before); /* the same order again changes nothing */
    free(after);
    l[0].quantity = 3000;
    CHECK_RC(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res), PSS_ECONFLICT);
    CHECK_I64(res.status, PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "was already recorded");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "with other content");
    after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);

    /* a batch: fine, duplicate, invalid, conflicting within the batch, fine */
    char ids[5][PSS_ID_SIZE];
    pss_line_input good = fix_line("bun", 1000, 120, NULL, 0), bad = fix_line("bun", 0, 120, NULL, 0);
    pss_payment_input cash = fix_pay("Cash", 120);
    pss_order_input a = submitted(next_id(ids[0]), &good, 1, &cash, 1);
    pss_order_input dup = submitted(next_id(ids[1]), &good, 1, &cash, 1);
    dup.id = a.id;
    pss_order_input invalid = submitted(next_id(ids[2]), &bad, 1, &cash, 1);
    pss_line_input other = fix_line("bun", 2000, 120, NULL, 0);
    pss_payment_input cash2 = fix_pay("Cash", 240);
    pss_order_input conflict = submitted(a.id, &other, 1, &cash2, 1);
    pss_order_input e = submitted(next_id(ids[4]), &good, 1, &cash, 1);
    const pss_order_input *batch[5] = {&a, &dup, &invalid, &conflict, &e};
    pss_submit_result results[5] = {PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT,
                                    PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT,
                                    PSS_SUBMIT_RESULT_INIT};
    size_t accepted = 0;
    int64_t cash_before = expected_cash();
    CHECK_OK(ctx, pss_session_submit_batch(session, &FIX_ALICE, batch, 5, results, &accepted));
    CHECK_I64(accepted, 3);
    CHECK_I64(results[0].status, 0);
    CHECK_I64(results[1].status, 0);
    CHECK_I64(results[1].duplicate, 1);
    CHECK_I64(results[2].status, PSS_EINVAL);
    CHECK_I64(results[3].status, PSS_ECONFLICT);
    CHECK_I64(results[4].status, 0);
    CHECK_I64(results[4].state, PSS_ORDER_PAID);
    CHECK_I64(expected_cash(), cash_before + 240);
    pss_report *r;
    pss_session_report(session, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_ORDERS), 3);
    pss_report_free(r);
    stop();
}

/* The stored input_hash of an order, or with `replace` given, that value put in its place
 * behind the library's back (as a record written by an older version would hold it). */
static void stored_hash(const char *id, char *out, size_t size, const char *replace)
{
    fix_record r;
    store->begin(store->userdata, PSS_TXN_WRITE);
    store->get(store->userdata, "order", id, fix_grab, &r);
    char *at = strstr(r.payload, "\"hash\":\""); /* version 4's name of input_hash */
    char *value = at ? at + strlen("\"hash\":\"") : NULL;
    char *end = value ? strchr(value, '"') : NULL;
    snprintf(out, size, "%.*s", end ? (int)(end - value) : 0, value ? value : "");
    if (replace && end) {
        char text[8192];
        snprintf(text, sizeof text, "%.*s%s%s", (int)(value - r.payload), r.payload, replace, end);
        pss_record rec = {"order", id, r.parent, 0, text, strlen(text)};
        uint64_t rev;
        CHECK_I64(store->put(store->userdata, &rec, r.rev, &rev), 0);
    }
    store->commit(store->userdata);
}

/* Orders recorded before the word hash hold 16 hex digits of FNV-1a over the same canonical
 * form: a till that sends such an order again still finds it the same, or a conflict. */
static void legacy_input_hash(void)
{
    start();
    char id[PSS_ID_SIZE], hash[64];
    next_id(id);
    pss_line_input l[2] = {fix_line("cake", 2000, 325, VAT10, 1),
                           fix_line("tea", 1000, 180, NULL, 0)};
    pss_payment_input p[2] = {fix_pay("Card", 500), fix_pay("Cash", 330)};
    p[0].state = PSS_PAYMENT_DONE;
    p[0].reference = "T-118";
    pss_order_input in = submitted(id, l, 2, p, 2);
    in.note = "table 4";
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    /* the word hash of this content: a change of algorithm would turn resubmits into conflicts */
    stored_hash(id, hash, sizeof hash, "ec68f697c2406d5f");
    CHECK_STR(hash, "2:44cbdd136bc30328");
    char *before = fix_dump(store);
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    CHECK_I64(res.duplicate, 1);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    p[0].reference = "T-119";
    CHECK_RC(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "with other content");
    p[0].reference = "T-118";
    l[1].category = "";
    CHECK_RC(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res), PSS_ECONFLICT);
    l[1].category = NULL;
    /* a hash in neither form is a damaged record */
    stored_hash(id, hash, sizeof hash, "EC68F697C2406D5F");
    CHECK_RC(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "'hash' is not a hash");
    stored_hash(id, hash, sizeof hash, "ec68f697c2406d5f");
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    CHECK_I64(res.duplicate, 1);
    free(before);
    stop();
}

/* Reads text as the payload of order id and writes the order again: the text it gives. */
static void read_and_write(const char *id, const char *text, const char *want)
{
    pss_record rec = {"order", id, pss_session_id(session), 1, text, strlen(text)};
    pss_order_data *d = NULL;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    if (d)
        CHECK_OK(ctx, pss__order_encode(ctx, d, &buf));
    CHECK_SAME_TEXT(d ? buf.data : "", want);
    pss__order_data_free(ctx, d);
    pss__strbuf_free(&buf);
}

/* The order record's exact text (lib/order/order_record4.c writes its shape by hand), and
 * jansson reading it and writing the same text back. The same order as versions 1 and 2
 * wrote it reads as the same order and is written again as version 4. */
static void order_record_text(void)
{
    start();
    char id[PSS_ID_SIZE], hash[64];
    next_id(id);
    pss_line_input l[2] = {fix_line("cake", 2000, 325, VAT10, 1),
                           fix_line("tea", 1000, 180, NULL, 0)};
    l[1].product_name = "Tea \"Earl Grey\"";
    l[1].category = "books";
    pss_payment_input p[1] = {fix_pay("Card", 830)};
    p[0].state = PSS_PAYMENT_DONE;
    p[0].reference = "T-118";
    pss_order_input in = submitted(id, l, 2, p, 1);
    in.note = "table 4 \\ window";
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, &res));
    stored_hash(id, hash, sizeof hash, NULL);
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", id, fix_grab, &r);
    store->commit(store->userdata);
    CHECK_STR(r.parent, pss_session_id(session)); /* the session the record leaves out */
    char expected[4096], v2[4096], v1[4096];
    /* no state (paid), no paid_at (when created), cake's amount 2 x 3.25 left out, the tea's
     * name, account (from its category) and category written, the Card payment's state
     * (done) and time (the order's) left out before its reference */
    snprintf(expected, sizeof expected,
             "{\"v\":4,\"no\":1,\"note\":\"table 4 \\\\ window\",\"at\":1795248000000,"
             "\"by\":\"alice\",\"hash\":\"%s\",\"income\":\"Income:Sales\","
             "\"taxes\":{\"VAT10\":[100000,true,\"Liabilities:VAT10\"]},"
             "\"lines\":[[\"cake\",2000,325,[[\"VAT10\",59]]],"
             "[\"tea\",1000,180,[],null,\"Tea \\\"Earl Grey\\\"\",\"Income:Books\",null,null,"
             "null,\"books\"]],"
             "\"payments\":[[\"Card\",false,830,null,null,null,null,\"T-118\"]]}",
             hash);
    CHECK_SAME_TEXT(r.payload, expected);
    json_t *doc = json_loads(r.payload, JSON_REJECT_DUPLICATES, NULL);
    char *again = json_dumps(doc, JSON_COMPACT);
    CHECK_STR(again, r.payload);
    free(again);
    json_decref(doc);

    /* what it gives back: the figures left out, as version 2 held them */
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(session, id, &o));
    pss_order_totals t = totals_of(o);
    CHECK_I64(t.untaxed, 771);
    CHECK_I64(t.tax, 59);
    CHECK_I64(t.total, 830);
    pss_line_info li = PSS_LINE_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_line(o, 0, &li));
    CHECK_STR(li.product_name, "cake");
    CHECK_I64(li.untaxed, 591);
    CHECK_I64(li.total, 650);
    CHECK_STR(pss_order_session_id(o), pss_session_id(session));
    pss_payment_info pi = PSS_PAYMENT_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_payment(o, 0, &pi));
    CHECK_I64(pi.state, PSS_PAYMENT_DONE);
    CHECK_STR(pi.reference, "T-118");
    pss_order_free(o);

    /* version 2, as this library wrote it before version 4 */
    snprintf(v2, sizeof v2,
             "{\"v\":2,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":1,"
             "\"state\":\"paid\",\"note\":\"table 4 \\\\ window\","
             "\"created_at\":1795248000000,\"created_by\":\"alice\",\"paid_at\":1795248000000,"
             "\"input_hash\":\"%s\",\"taxes\":{\"VAT10\":{\"rate_ppm\":100000,"
             "\"included\":true,\"account\":\"Liabilities:VAT10\"}},"
             "\"lines\":[{\"product\":\"cake\",\"name\":\"cake\","
             "\"income_account\":\"Income:Sales\",\"qty\":2000,\"price\":325,"
             "\"taxes\":[{\"code\":\"VAT10\",\"amount\":59}],\"amount\":650,\"untaxed\":591,"
             "\"tax\":59,\"total\":650},{\"product\":\"tea\",\"name\":\"Tea \\\"Earl Grey\\\"\","
             "\"category\":\"books\",\"income_account\":\"Income:Books\",\"qty\":1000,"
             "\"price\":180,\"taxes\":[],\"amount\":180,\"untaxed\":180,"
             "\"tax\":0,\"total\":180}],\"payments\":[{\"method\":\"Card\",\"cash\":false,"
             "\"amount\":830,\"state\":\"done\",\"reference\":\"T-118\","
             "\"at\":1795248000000}],\"groups\":[{\"account\":\"Income:Sales\",\"taxes\":\"VAT10\","
             "\"amount\":650,\"untaxed\":591,\"tax\":59,\"tax_lines\":[{\"code\":\"VAT10\","
             "\"base\":591,\"amount\":59}]},{\"account\":\"Income:Books\",\"taxes\":\"\","
             "\"amount\":180,\"untaxed\":180,\"tax\":0,\"tax_lines\":[]}],"
             "\"totals\":{\"untaxed\":771,\"tax\":59,\"total\":830}}",
             id, pss_session_id(session), FIX_CONFIG_ID, hash);
    read_and_write(id, v2, expected);

    /* version 1: every snapshot and default spelled out */
    snprintf(v1, sizeof v1,
             "{\"v\":1,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":1,"
             "\"state\":\"paid\",\"invoiced\":false,\"note\":\"table 4 \\\\ window\","
             "\"created_at\":1795248000000,\"created_by\":\"alice\",\"paid_at\":1795248000000,"
             "\"input_hash\":\"%s\",\"lines\":[{\"product\":\"cake\",\"name\":\"cake\","
             "\"income_account\":\"Income:Sales\",\"qty\":2000,\"price\":325,\"discount_ppm\":0,"
             "\"taxes\":[{\"code\":\"VAT10\",\"rate_ppm\":100000,\"included\":true,"
             "\"account\":\"Liabilities:VAT10\",\"amount\":59}],\"amount\":650,\"untaxed\":591,"
             "\"tax\":59,\"total\":650},{\"product\":\"tea\",\"name\":\"Tea \\\"Earl Grey\\\"\","
             "\"category\":\"books\",\"income_account\":\"Income:Books\",\"qty\":1000,"
             "\"price\":180,\"discount_ppm\":0,\"taxes\":[],\"amount\":180,\"untaxed\":180,"
             "\"tax\":0,\"total\":180}],\"payments\":[{\"method\":\"Card\",\"cash\":false,"
             "\"amount\":830,\"state\":\"done\",\"change\":0,\"reference\":\"T-118\","
             "\"at\":1795248000000}],\"groups\":[{\"account\":\"Income:Sales\",\"taxes\":\"VAT10\","
             "\"amount\":650,\"untaxed\":591,\"tax\":59,\"tax_lines\":[{\"code\":\"VAT10\","
             "\"account\":\"Liabilities:VAT10\",\"rate_ppm\":100000,\"included\":true,"
             "\"base\":591,\"amount\":59}]},{\"account\":\"Income:Books\",\"taxes\":\"\","
             "\"amount\":180,\"untaxed\":180,\"tax\":0,\"tax_lines\":[]}],"
             "\"totals\":{\"untaxed\":771,\"tax\":59,\"total\":830,\"rounding\":0}}",
             id, pss_session_id(session), FIX_CONFIG_ID, hash);
    read_and_write(id, v1, expected);
    stop();
}

/* A version 3 record (this library wrote them for exchanges, customers, order discounts,
 * fixed taxes): an exchange with an order discount taken back and a new line sold, each
 * group on its side, read with every figure it holds, and written again as version 4,
 * whose reader gives the same groups and totals back from the lines. */
static void v3_record_read_back(void)
{
    start();
    char id[PSS_ID_SIZE], text[4096];
    next_id(id);
    snprintf(text, sizeof text,
             "{\"v\":3,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":7,"
             "\"state\":\"draft\",\"refund_of\":\"0de20000-0000-4000-8000-000000000001\","
             "\"customer\":\"C-1042\",\"return_reason\":\"broken\","
             "\"created_at\":1795251760000,\"created_by\":\"alice\",\"paid_at\":0,"
             "\"input_hash\":\"2:32dad9b7e9ee2c9f\",\"taxes\":{\"VAT20\":{\"rate_ppm\":200000,"
             "\"included\":false,\"account\":\"Liabilities:VAT20\"}},"
             "\"lines\":[{\"product\":\"pen\",\"name\":\"pen\",\"income_account\":\"Income:Sales\","
             "\"qty\":-1000,\"price\":150,\"discount_ppm\":250000,\"refund_line\":1,"
             "\"taxes\":[{\"code\":\"VAT20\",\"amount\":-22}],\"amount\":-112,\"untaxed\":-112,"
             "\"tax\":-22,\"total\":-134},{\"product\":\"pencil\",\"name\":\"Pencil HB\","
             "\"income_account\":\"Income:Sales\",\"qty\":1000,\"price\":100,"
             "\"taxes\":[{\"code\":\"VAT20\",\"amount\":20}],\"amount\":100,\"untaxed\":100,"
             "\"tax\":20,\"total\":120}],\"payments\":[{\"method\":\"Card\",\"cash\":false,"
             "\"amount\":-14,\"state\":\"pending\",\"at\":1795251770000}],"
             "\"groups\":[{\"account\":\"Income:Sales\",\"taxes\":\"VAT20\",\"amount\":-112,"
             "\"untaxed\":-112,\"tax\":-22,\"tax_lines\":[{\"code\":\"VAT20\",\"base\":-112,"
             "\"amount\":-22}]},{\"account\":\"Income:Sales\",\"taxes\":\"VAT20\","
             "\"side\":\"sale\",\"amount\":100,\"untaxed\":100,\"tax\":20,\"tax_lines\":"
             "[{\"code\":\"VAT20\",\"base\":100,\"amount\":20}]}],"
             "\"totals\":{\"untaxed\":-12,\"tax\":-2,\"total\":-14}}",
             id, pss_session_id(session), FIX_CONFIG_ID);
    pss_record rec = {"order", id, pss_session_id(session), 1, text, strlen(text)};
    pss_order_data *d = NULL, *back = NULL;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    if (!d) {
        stop();
        return;
    }
    CHECK_STR(d->customer, "C-1042");
    CHECK_STR(d->return_reason, "broken");
    CHECK_STR(d->refund_of, "0de20000-0000-4000-8000-000000000001");
    CHECK_STR(d->config_id, FIX_CONFIG_ID);
    CHECK_I64(d->n_groups, 2);
    CHECK_I64(d->groups[0].refund, 1);
    CHECK_I64(d->groups[1].refund, 0);
    CHECK_I64(d->groups[1].taxes[0].amount, 20);
    CHECK_I64(d->lines[0].discount_ppm, 250000);
    CHECK_I64(d->lines[0].refund_line, 1);
    CHECK_I64(d->payments[0].state, PSS_PAYMENT_PENDING);
    CHECK_I64(d->total, -14);
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    CHECK_OK(ctx, pss__order_encode(ctx, d, &buf));
    CHECK_SAME_TEXT(buf.data,
                    "{\"v\":4,\"no\":7,\"state\":\"draft\",\"refund_of\":"
                    "\"0de20000-0000-4000-8000-000000000001\",\"customer\":\"C-1042\","
                    "\"return_reason\":\"broken\",\"at\":1795251760000,\"by\":\"alice\","
                    "\"paid_at\":0,\"hash\":\"2:32dad9b7e9ee2c9f\",\"income\":\"Income:Sales\","
                    "\"taxes\":{\"VAT20\":[200000,false,\"Liabilities:VAT20\"]},"
                    "\"lines\":[[\"pen\",-1000,150,[[\"VAT20\",-22]],-112,null,null,250000,null,1],"
                    "[\"pencil\",1000,100,[[\"VAT20\",20]],null,\"Pencil HB\"]],"
                    "\"payments\":[[\"Card\",false,-14,\"pending\",1795251770000]]}");
    rec.payload = buf.data;
    rec.payload_len = buf.len;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &back));
    if (back) {
        CHECK(pss__groups_are_line_sums(d) && pss__groups_are_line_sums(back));
        CHECK_I64(back->n_groups, 2);
        for (size_t i = 0; i < 2 && back->n_groups == 2; i++) {
            CHECK_I64(back->groups[i].refund, d->groups[i].refund);
            CHECK_I64(back->groups[i].amount, d->groups[i].amount);
            CHECK_I64(back->groups[i].untaxed, d->groups[i].untaxed);
            CHECK_I64(back->groups[i].taxes[0].base, d->groups[i].taxes[0].base);
            CHECK_I64(back->groups[i].taxes[0].amount, d->groups[i].taxes[0].amount);
        }
        CHECK_I64(back->lines[0].total, -134);
        CHECK_I64(back->lines[1].untaxed, 100);
        CHECK_I64(back->untaxed, -12);
        CHECK_I64(back->tax, -2);
        CHECK_I64(back->total, -14);
        CHECK_I64(back->payments[0].at, 1795251770000);
        CHECK_STR(back->customer, "C-1042");
    }
    pss__order_data_free(ctx, back);
    pss__order_data_free(ctx, d);
    pss__strbuf_free(&buf);
    stop();
}

/* Damaged version 4 records: each refused with PSS_ECORRUPT naming the position and field,
 * or what does not add up. */
static void v4_damage(void)
{
    start();
    char id[PSS_ID_SIZE];
    next_id(id);
    static const char *const head = "{\"v\":4,\"no\":3,\"at\":1795248000000,\"by\":\"alice\","
                                    "\"income\":\"Income:Sales\",\"taxes\":{\"VAT10\":"
                                    "[100000,true,\"Liabilities:VAT10\"]},";
    static const struct {
        const char *rest, *says;
    } damage[] = {
        {"\"lines\":[[\"cake\",1000,110]],\"payments\":[]}", "lines[0] is not a list of 4 to 11"},
        {"\"lines\":[[\"cake\",\"1000\",110,[]]],\"payments\":[]}", "lines[0][1] (qty) is not an"},
        {"\"lines\":[[\"cake\",1000,110,[[\"GST\",10]]]],\"payments\":[]}",
         "lines[0][3][0][0] (code) 'GST' has no entry in the order's taxes"},
        {"\"lines\":[[\"cake\",1000,110,[[\"VAT10\",10],[\"VAT10\",1]]]],\"payments\":[]}",
         "'VAT10' is on the line twice"},
        {"\"lines\":[[\"cake\",1000,110,[[\"VAT10\",10,5]]]],\"payments\":[]}", "has 3 fields"},
        {"\"lines\":[[\"cake\",1000,110,[],null,null,null,null,null,null,null,1]],"
         "\"payments\":[]}", "lines[0] is not a list of 4 to 11"},
        {"\"lines\":[[\"cake\",1000,110,[[\"VAT10\",1000000000000000],"
         "[\"X\",1000000000000000,0,false,\"Liabilities:X\"]]]],\"payments\":[]}",
         "lines[0] comes to"},
        {"\"lines\":[],\"payments\":[[\"Cash\",true,0]]}", "payments[0][2] (amount) is 0"},
        {"\"lines\":[],\"payments\":[[\"Cash\",true,5,\"lost\"]]}",
         "payments[0][3] (state) has unknown value 'lost'"},
        {"\"lines\":[],\"payments\":[[\"Cash\",1,5]]}", "payments[0][1] (cash) is not true or"},
        {"\"lines\":[]}", "field 'payments' is missing"},
        {"\"state\":\"done\",\"lines\":[],\"payments\":[]}", "'done' is never stored"},
    };
    char text[1024];
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        snprintf(text, sizeof text, "%s%s", head, damage[i].rest);
        pss_record rec = {"order", id, pss_session_id(session), 1, text, strlen(text)};
        pss_order_data *d = NULL;
        CHECK_RC(ctx, pss__order_decode(ctx, &rec, &d), PSS_ECORRUPT);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), damage[i].says);
        pss__order_data_free(ctx, d);
    }
    /* a line without an account of its own in an order without "income" */
    snprintf(text, sizeof text, "{\"v\":4,\"no\":3,\"at\":1,\"by\":\"alice\",\"lines\":"
                                "[[\"tea\",1000,180,[]]],\"payments\":[]}");
    pss_record rec = {"order", id, pss_session_id(session), 1, text, strlen(text)};
    pss_order_data *d = NULL;
    CHECK_RC(ctx, pss__order_decode(ctx, &rec, &d), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "lines[0][6] (account) is left out and the order has no");
    /* the record's id and parent are the order's: a record under no UUID is damaged */
    snprintf(text, sizeof text, "%s\"lines\":[],\"payments\":[]}", head);
    rec.payload = text;
    rec.payload_len = strlen(text);
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    pss__order_data_free(ctx, d);
    d = NULL;
    rec.parent = "";
    CHECK_RC(ctx, pss__order_decode(ctx, &rec, &d), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "its record's parent (its session) is not a UUID");
    stop();
}

/* A tax whose snapshot differs from the order's table (a line made under an older rate)
 * carries the fields that differ, and reads back as it was; a tax with neither its own
 * fields nor a table entry is damage. */
static void tax_table_overrides(void)
{
    start();
    char id[PSS_ID_SIZE], text[2048];
    next_id(id);
    const char *form =
        "{\"v\":2,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":2,"
        "\"state\":\"paid\",\"created_at\":1,\"created_by\":\"alice\",\"paid_at\":1,"
        "\"taxes\":{\"VAT10\":{\"rate_ppm\":100000,\"included\":true,"
        "\"account\":\"Liabilities:VAT10\"}},\"lines\":[{\"product\":\"cake\",\"name\":\"cake\","
        "\"income_account\":\"Income:Sales\",\"qty\":1000,\"price\":110,\"taxes\":[{\"code\":"
        "\"VAT10\",\"amount\":10}],\"amount\":110,\"untaxed\":100,\"tax\":10,\"total\":110},"
        "{\"product\":\"cake\",\"name\":\"cake\",\"income_account\":\"Income:Sales\","
        "\"qty\":1000,\"price\":105,\"discount_ppm\":20000,\"taxes\":[{\"code\":\"%s\","
        "\"rate_ppm\":50000,\"account\":\"Liabilities:Old\",\"amount\":5}],\"amount\":103,"
        "\"untaxed\":98,\"tax\":5,\"total\":103}],\"payments\":[],\"groups\":[],"
        "\"totals\":{\"untaxed\":198,\"tax\":15,\"total\":213}}";
    snprintf(text, sizeof text, form, id, pss_session_id(session), FIX_CONFIG_ID, "VAT10");
    pss_record rec = {"order", id, pss_session_id(session), 1, text, strlen(text)};
    pss_order_data *d = NULL;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    if (d) {
        CHECK_I64(d->lines[0].taxes[0].rate_ppm, 100000);
        CHECK_STR(d->lines[0].taxes[0].account, "Liabilities:VAT10");
        CHECK_I64(d->lines[1].taxes[0].rate_ppm, 50000);
        CHECK_I64(d->lines[1].taxes[0].included, 1); /* from the table */
        CHECK_STR(d->lines[1].taxes[0].account, "Liabilities:Old");
        CHECK_I64(d->lines[1].discount_ppm, 20000);
        CHECK_I64(d->lines[0].discount_ppm, 0);
        CHECK_I64(d->invoiced, 0);
        CHECK_I64(d->rounding, 0);
        pss__strbuf buf;
        pss__strbuf_init(&buf, NULL);
        CHECK_OK(ctx, pss__order_encode(ctx, d, &buf));
        CHECK_SAME_TEXT(buf.data, text);
        pss__strbuf_free(&buf);
        pss__order_data_free(ctx, d);
    }
    /* VAT20 has no table entry and no rate of its own */
    snprintf(text, sizeof text, form, id, pss_session_id(session), FIX_CONFIG_ID, "VAT20");
    const char *own_rate = "\"rate_ppm\":50000,";
    char *rate = strstr(text, own_rate);
    memmove(rate, rate + strlen(own_rate), strlen(rate + strlen(own_rate)) + 1);
    rec.payload_len = strlen(text);
    d = NULL;
    CHECK_RC(ctx, pss__order_decode(ctx, &rec, &d), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "field 'rate_ppm' is missing");
    stop();
}

static void bad_input(void)
{
    start();
    pss_line_input l = fix_line("pie", 1000, 400, NULL, 0);
    pss_order *o = draft(&l, 1);
    char *before = fix_dump(store);
    CHECK_RC(ctx, pay(o, "Bitcoin", 400), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "payment method 'Bitcoin' is not in config 'Main "
                                        "register' (it has: Cash, Card, Voucher)");
    CHECK_RC(ctx, pay(o, "Cash", 0), PSS_EINVAL);
    CHECK_RC(ctx, pay(o, "Cash", -5), PSS_EINVAL);
    struct {
        int64_t qty, price, discount;
        const char *tax, *category, *name, *want;
    } lines[] = {
        {0, 100, 0, NULL, NULL, "x", "has quantity 0"},
        {-1000, 100, 0, NULL, NULL, "x", "does not allow returns without a receipt"},
        {1000, 0, 0, NULL, NULL, "x", "config does not allow free items"},
        {1000, -100, 0, NULL, NULL, "x", "prices must be positive"},
        {1000, 100, 1000001, NULL, NULL, "x", "outside 0 to 1000000 (100%)"},
        {1000, 100, 0, "GST", NULL, "x", "tax 'GST' on line of 'x' is not in config"},
        {1000, 100, 0, NULL, "toys", "x", "category 'toys' of 'x' is not in config"},
        {1000, 100, 0, NULL, NULL, "bad\x01name", "contains a control character"},
        {1000, 100, 0, NULL, NULL, "bad\xff", "is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        const char *tax[1] = {lines[i].tax};
        pss_line_input b = fix_line(lines[i].name, lines[i].qty, lines[i].price, tax,
                                    lines[i].tax ? 1 : 0);
        b.discount_ppm = lines[i].discount;
        b.category = lines[i].category;
        CHECK_RC(ctx, pss_order_add_line(o, &FIX_ALICE, &b, NULL), PSS_EINVAL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), lines[i].want);
    }
    CHECK_RC(ctx, pss_order_add_line(o, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    pss_line_input v0 = l;
    v0.version = 0;
    CHECK_RC(ctx, pss_order_add_line(o, &FIX_ALICE, &v0, NULL), PSS_EVERSION);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "pss_line_input has version 0");
    CHECK_RC(ctx, pss_order_add_line(o, &FIX_BOB, &l, NULL), PSS_EACCESS);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "session POS-0001/00001 is held by alice; bob (cashier) "
                                        "may not add an order line");
    pss_actor nobody = {PSS_ACTOR_VERSION, "alice", PSS_ROLE_NONE, "till-1"};
    CHECK_RC(ctx, pss_order_add_line(o, &nobody, &l, NULL), PSS_EACCESS);
    pss_actor elsewhere = FIX_ALICE;
    elsewhere.device = "till-9";
    CHECK_RC(ctx, pss_order_add_line(o, &elsewhere, &l, NULL), PSS_ELOCKED);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is leased to device 'till-1' until 2026-11-21 08:15:00 "
                                        "UTC");
    CHECK_RC(ctx, pss_order_remove_line(o, &FIX_ALICE, 3), PSS_ENOTFOUND);
    pss_order_input dup = PSS_ORDER_INPUT_INIT;
    dup.id = pss_order_id(o);
    pss_order *again = NULL;
    CHECK_RC(ctx, pss_order_create(session, &FIX_ALICE, &dup, &again), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "already exists");
    dup.id = "not-a-uuid";
    CHECK_RC(ctx, pss_order_create(session, &FIX_ALICE, &dup, &again), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "order id 'not-a-uuid' is not a UUID");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);
    /* removing the only line, then the order is empty */
    CHECK_OK(ctx, pss_order_remove_line(o, &FIX_ALICE, 0));
    CHECK_I64(pss_order_line_count(o), 0);
    CHECK_I64(totals_of(o).total, 0);
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "empty"));
    pss_order_free(o);
    stop();
}

/* Orders are written through and released: the session holds one running total per
 * method, account, tax and product, whatever the number of orders. */
static void memory_does_not_grow(void)
{
    start();
    pss_line_input l[3] = {fix_line("a", 1000, 100, VAT10, 1), fix_line("b", 2000, 250, VAT20, 1),
                           fix_line("c", 1000, 399, NULL, 0)};
    pss_payment_input cash = fix_pay("Cash", 2000);
    size_t after_first = 0;
    for (int i = 0; i < 300; i++) {
        char id[PSS_ID_SIZE];
        pss_order_input in = PSS_ORDER_INPUT_INIT;
        in.id = next_id(id);
        in.lines = l;
        in.n_lines = 3;
        in.payments = &cash;
        in.n_payments = 1;
        CHECK_RC(ctx, pss_session_submit(session, &FIX_ALICE, &in, NULL), 0);
        if (i == 0)
            after_first = pss__map_count(&session->keyed_totals);
    }
    CHECK_I64(after_first, 9); /* Cash; 3 sales groups; 2 taxes; 3 products */
    CHECK_I64(pss__map_count(&session->keyed_totals), after_first);
    CHECK_I64(session->core.n_drafts, 0);
    CHECK_I64(session->core.totals.orders, 300);
    stop();
}

int main(void)
{
    memory_does_not_grow();
    cash_with_change();
    electronic_and_split();
    cash_rounding();
    refunds();
    invoiced();
    offline_submit();
    legacy_input_hash();
    order_record_text();
    v3_record_read_back();
    v4_damage();
    tax_table_overrides();
    bad_input();
    return check_done();
}
