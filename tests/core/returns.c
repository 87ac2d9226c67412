/* returns.c: exchanges (refund lines of a sale and new sale lines in one order, the customer
 * paying or getting back the difference) and returns without a receipt (a negative line with
 * no original, allowed by the config and a role, with a reason, audited), each posted as
 * refunds and sales in their own groups (doc/concepts.md, "Returns and exchanges"). */
#include "fixture.h"

#include "order/order_internal.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static const char *const VAT20[] = {"VAT20"}; /* 20%, excluded */
static const char *const VAT10[] = {"VAT10"}; /* 10%, included */

/* The stored order record read by the library's reader: what its groups come to. */
static pss_order_data *decoded(const char *id, const fix_record *r)
{
    pss_record rec = {"order", id, r->parent, r->rev, r->payload, strlen(r->payload)};
    pss_order_data *d = NULL;
    CHECK_OK(ctx, pss__order_decode(ctx, &rec, &d));
    return d;
}

static void start(int receiptless, pss_tax_rounding rounding)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.allow_receiptless_returns = receiptless;
    fo.tax_rounding = rounding;
    fix_world(&fo, &store, &ctx);
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "000000e1-0000-4000-8000-%012d", ++counter);
    return id;
}

static pss_line_input back_line(int64_t line, int64_t qty)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = line;
    l.quantity = qty;
    return l;
}

/* Submits an order of the lines paid by one cash payment of amount (none when 0). */
static int submit(pss_session *s, const pss_actor *who, const char *refund_of,
                  const pss_line_input *lines, size_t n, int64_t cash, const char *reason,
                  char id[PSS_ID_SIZE])
{
    pss_payment_input pay = fix_pay("Cash", cash);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.refund_of = refund_of;
    in.lines = lines;
    in.n_lines = n;
    in.payments = cash ? &pay : NULL;
    in.n_payments = cash ? 1 : 0;
    in.return_reason = reason;
    return pss_session_submit(s, who, &in, NULL);
}

/* Closes with the expected cash counted; the entry's lines, one a row. */
static char *close_lines(pss_session *s)
{
    pss_entry *e = fix_close_expected(ctx, s, &FIX_MIA);
    fix_text t = {NULL, 0};
    char row[256];
    for (size_t i = 0; e && i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        snprintf(row, sizeof row, "%s | %lld | %lld | %s\n", l.account, (long long)l.debit,
                 (long long)l.credit, l.label);
        fix_text_write(&t, row, strlen(row));
    }
    pss_entry_free(e);
    return t.data ? t.data : calloc(1, 1);
}

static int64_t order_total(pss_session *s, const char *id)
{
    pss_order *o = NULL;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    CHECK_OK(ctx, pss_order_get_totals(o, &t));
    pss_order_free(o);
    return t.total;
}

/* Two mugs sold at 12.00 + 20% (28.80 in cash). One comes back for a cup of 15.00 + 20%:
 * -14.40 + 18.00, the customer pays 3.60. The other comes back for a spoon of 5.00 + 20%:
 * -14.40 + 6.00, the customer gets 8.40 back. A third mug cannot come back: two were sold. */
static void exchanges(void)
{
    start(0, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    char sale[PSS_ID_SIZE], id[PSS_ID_SIZE];
    pss_line_input mugs = fix_line("mug", 2000, 1200, VAT20, 1);
    CHECK_OK(ctx, submit(s, &FIX_ALICE, NULL, &mugs, 1, 2880, NULL, sale));
    pss_line_input cup[] = {back_line(0, -1000), fix_line("cup", 1000, 1500, VAT20, 1)};
    CHECK_OK(ctx, submit(s, &FIX_ALICE, sale, cup, 2, 360, NULL, id));
    CHECK_I64(order_total(s, id), 360);
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", id, fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strncmp(r.payload, "{\"v\":4,", 7) == 0);
    CHECK_CONTAINS(r.payload, "[\"mug\",-1000,1200,[[\"VAT20\",-240]],null,null,null,null,null,0]");
    CHECK_CONTAINS(r.payload, "[\"cup\",1000,1500,[[\"VAT20\",300]]]");
    /* its groups, left out, come back from the lines: the mug's refund, the cup's sale */
    pss_order_data *d = decoded(id, &r);
    CHECK_I64(d ? d->n_groups : 0, 2);
    if (d && d->n_groups == 2) {
        CHECK_I64(d->groups[0].refund, 1);
        CHECK_I64(d->groups[0].amount, -1200);
        CHECK_I64(d->groups[1].refund, 0);
        CHECK_I64(d->groups[1].amount, 1500);
        CHECK_I64(d->groups[1].untaxed, 1500);
        CHECK_I64(d->groups[1].tax, 300);
    }
    pss__order_data_free(ctx, d);
    pss_line_input spoon[] = {back_line(0, -1000), fix_line("spoon", 1000, 500, VAT20, 1)};
    CHECK_OK(ctx, submit(s, &FIX_ALICE, sale, spoon, 2, -840, NULL, id));
    CHECK_I64(order_total(s, id), -840);
    pss_line_input third[] = {back_line(0, -1000), fix_line("cup", 1000, 1500, VAT20, 1)};
    char *before = fix_dump(store);
    CHECK_RC(ctx, submit(s, &FIX_ALICE, sale, third, 2, 360, NULL, id), PSS_EREFUND);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    CHECK_OK(ctx, pss_session_verify(s));
    char *lines = close_lines(s);
    /* cash: 28.80 + 3.60 - 8.40 = 24.00; sales 24.00 + 15.00 + 5.00, refunds 24.00 */
    CHECK_SAME_TEXT(lines, "Assets:Cash | 2400 | 0 | Payments Cash\n"
                           "Income:Sales | 0 | 4400 | Sales VAT20\n"
                           "Income:Sales | 2400 | 0 | Refunds VAT20\n"
                           "Liabilities:VAT20 | 0 | 880 | Tax VAT20\n"
                           "Liabilities:VAT20 | 480 | 0 | Refunded tax VAT20\n");
    free(lines);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* An even exchange (a mug for a mug of another colour) has nothing due: it is paid by no
 * payment, and posts a refund and a sale that cancel out. */
static void even_exchange(void)
{
    start(0, PSS_TAX_ROUND_PER_ORDER);
    pss_session *s = fix_open(ctx, 0);
    char sale[PSS_ID_SIZE], id[PSS_ID_SIZE];
    pss_line_input mug = fix_line("mug", 1000, 1200, VAT20, 1);
    CHECK_OK(ctx, submit(s, &FIX_ALICE, NULL, &mug, 1, 1440, NULL, sale));
    pss_line_input swap[] = {back_line(0, -1000), fix_line("mug-blue", 1000, 1200, VAT20, 1)};
    CHECK_OK(ctx, submit(s, &FIX_ALICE, sale, swap, 2, 0, NULL, id));
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    pss_order_free(o);
    char *lines = close_lines(s);
    CHECK_CONTAINS(lines, "Income:Sales | 0 | 2400 | Sales VAT20\n"
                          "Income:Sales | 1200 | 0 | Refunds VAT20\n");
    free(lines);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

static void refused(pss_session *s, const pss_actor *who, const pss_line_input *l,
                    const char *reason, int code, const char *message)
{
    char id[PSS_ID_SIZE];
    char *before = fix_dump(store);
    CHECK_RC(ctx, submit(s, who, NULL, l, 1, -2400, reason, id), code);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), message);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
}

/* A kettle of 20.00 + 20% taken back without its ticket: 24.00 in cash, by a manager, with a
 * reason, audited; posted as a refund at the price and tax given. */
static void without_receipt(pss_tax_rounding rounding)
{
    start(1, rounding);
    pss_session *s = fix_open(ctx, 5000);
    pss_line_input kettle = fix_line("kettle", -1000, 2000, VAT20, 1);
    refused(s, &FIX_ALICE, &kettle, "no ticket", PSS_EACCESS,
            "alice (cashier) may not take back 'kettle' without a receipt: it takes a manager");
    refused(s, &FIX_MIA, &kettle, NULL, PSS_EINVAL, "gives no return_reason");
    char id[PSS_ID_SIZE];
    CHECK_OK(ctx, submit(s, &FIX_MIA, NULL, &kettle, 1, -2400, "no ticket, regular customer",
                         id));
    CHECK_I64(order_total(s, id), -2400);
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    CHECK_STR(pss_order_return_reason(o), "no ticket, regular customer");
    pss_order_free(o);
    char *dump = fix_dump(store);
    CHECK_CONTAINS(dump, "\"action\":\"order.return\"");
    CHECK_CONTAINS(dump, "\"reason\":\"no ticket, regular customer\"");
    CHECK_CONTAINS(dump, "\"extra\":{\"order\":\"000000e1-0000-4000-8000-");
    CHECK_CONTAINS(dump, "\"product\":\"kettle\",\"quantity\":-1000,\"total\":-2400}}");
    free(dump);
    CHECK_OK(ctx, pss_session_verify(s));
    /* the kettle's line is no sale: refunding it is refused */
    char rid[PSS_ID_SIZE];
    pss_line_input undo = back_line(0, -1000);
    CHECK_RC(ctx, submit(s, &FIX_MIA, id, &undo, 1, 0, NULL, rid), PSS_EREFUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "line 0 ('kettle') of order ");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), " took 1.000 back without a receipt; only sold lines "
                                        "can be refunded");
    int64_t available = -1;
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "available", &available));
    CHECK_I64(available, 0);
    char *lines = close_lines(s);
    CHECK_SAME_TEXT(lines, "Assets:Cash | 0 | 2400 | Payments Cash\n"
                           "Income:Sales | 2000 | 0 | Refunds VAT20\n"
                           "Liabilities:VAT20 | 400 | 0 | Refunded tax VAT20\n"
                           "Assets:Cash | 5000 | 0 | Opening cash difference\n"
                           "Income:Cash Over | 0 | 5000 | Opening cash difference\n");
    free(lines);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* A sale that also took a kettle back without a receipt: its sold mug can still be refunded
 * (the return line is not refundable, and is no obstacle to the others). */
static void refund_beside_a_return(void)
{
    start(1, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 5000);
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    char sale[PSS_ID_SIZE], rid[PSS_ID_SIZE];
    pss_line_input lines[] = {fix_line("mug", 1000, 1200, VAT20, 1),
                              fix_line("kettle", -1000, 2000, VAT20, 1)};
    CHECK_OK(ctx, submit(s, &FIX_MIA, NULL, lines, 2, -960, "swapped for a mug", sale));
    pss_line_input mug_back = back_line(0, -1000);
    CHECK_OK(ctx, submit(s, &FIX_MIA, sale, &mug_back, 1, -1440, NULL, rid));
    CHECK_I64(order_total(s, rid), -1440);
    CHECK_OK(ctx, pss_session_verify(s));
    /* the tally written for it reads back: a second refund of the mug is the tally's refusal */
    pss_line_input again = back_line(0, -1000);
    CHECK_RC(ctx, submit(s, &FIX_MIA, sale, &again, 1, -1440, NULL, rid), PSS_EREFUND);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "sold 1.000 and 1.000 are already refunded");
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* In a batch, a return the submitter's role may not make is refused on its own; the sale
 * beside it is recorded. */
static void batch_role(void)
{
    start(1, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 5000);
    char a[PSS_ID_SIZE], b[PSS_ID_SIZE];
    pss_line_input kettle = fix_line("kettle", -1000, 2000, VAT20, 1);
    pss_line_input mug = fix_line("mug", 1000, 1200, VAT20, 1);
    pss_payment_input back = fix_pay("Cash", -2400), pay = fix_pay("Cash", 1440);
    pss_order_input ret = fix_order(next_id(a), &kettle, &back);
    ret.return_reason = "no ticket";
    pss_order_input sale = fix_order(next_id(b), &mug, &pay);
    const pss_order_input *batch[] = {&ret, &sale};
    pss_submit_result res[2] = {PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT};
    size_t accepted = 9;
    CHECK_OK(ctx, pss_session_submit_batch(s, &FIX_ALICE, batch, 2, res, &accepted));
    CHECK_I64(accepted, 1);
    CHECK_I64(res[0].status, PSS_EACCESS);
    CHECK_I64(res[1].status, 0);
    CHECK_I64(order_total(s, b), 1440);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

static void not_allowed(void)
{
    start(0, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 5000);
    pss_line_input kettle = fix_line("kettle", -1000, 2000, VAT20, 1);
    refused(s, &FIX_ADA, &kettle, "no ticket", PSS_EINVAL,
            "line of 'kettle' takes it back without a receipt, and config 'Main register' does "
            "not allow returns without a receipt (give refund_of and refund_line)");
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* An order discount is a discount on what the order sells: lines taken back without a
 * receipt take no share of it, as refund lines take none. A mug of 1.00 sold beside two
 * spoons of 0.01 taken back, 0.49 off: the mug takes all 0.49 (sold for 0.51), each spoon
 * comes back at 0.01, the order is 0.49. (Shared over lines of both signs, the exact shares
 * 0.50, -0.005, -0.005 once made floors that added up to more than the discount.) */
static void discount_beside_a_return(void)
{
    start(1, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 5000);
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    pss_line_input lines[] = {fix_line("mug", 1000, 100, NULL, 0),
                              fix_line("spoon", -1000, 1, NULL, 0),
                              fix_line("spoon", -1000, 1, NULL, 0)};
    char id[PSS_ID_SIZE];
    pss_payment_input pay = fix_pay("Cash", 49);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.lines = lines;
    in.n_lines = 3;
    in.payments = &pay;
    in.n_payments = 1;
    in.return_reason = "spoons bent";
    in.discount_amount = 49;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_MIA, &in, NULL));
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    CHECK_I64(pss_order_line_discount_share(o, 0), 49);
    CHECK_I64(pss_order_line_discount_share(o, 1), 0);
    CHECK_I64(pss_order_line_discount_share(o, 2), 0);
    CHECK_I64(fix_line_info(ctx, o, 0).total, 51);
    CHECK_I64(fix_line_info(ctx, o, 1).total, -1);
    CHECK_I64(fix_totals(ctx, o).total, 49);
    pss_order_free(o);
    /* the discount is weighed against what is sold (1.00), not the order's 0.98 */
    pss_order_input more = in;
    more.id = next_id(id);
    more.discount_amount = 101;
    more.payments = NULL;
    more.n_payments = 0;
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_MIA, &more, NULL), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "order discount of 1.01 is larger than order ");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), " (1.00)");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* Odoo's test_order_refund (point_of_sale/tests/test_point_of_sale_flow.py): 2 x 450.00 and
 * 3 x 300.00, each line 5% off, no tax: 855.00 + 855.00 = 1710.00 paid in cash; the refund
 * of both lines is -1710.00 ("the refund cancels the order"), paid back in cash, and the
 * session closes with no cash left from them. */
static void odoo_order_refund(void)
{
    start(0, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    char sale[PSS_ID_SIZE], id[PSS_ID_SIZE];
    pss_line_input lines[] = {fix_line("PCSC234", 2000, 45000, NULL, 0),
                              fix_line("PCSC349", 3000, 30000, NULL, 0)};
    lines[0].discount_ppm = lines[1].discount_ppm = 50000;
    CHECK_OK(ctx, submit(s, &FIX_ALICE, NULL, lines, 2, 171000, NULL, sale));
    CHECK_I64(order_total(s, sale), 171000);
    pss_line_input back[] = {back_line(0, -2000), back_line(1, -3000)};
    CHECK_OK(ctx, submit(s, &FIX_ALICE, sale, back, 2, -171000, NULL, id));
    CHECK_I64(order_total(s, id), -171000);
    int64_t cash = -1;
    CHECK_OK(ctx, pss_session_expected_cash(s, &cash));
    CHECK_I64(cash, 0);
    char *rows = close_lines(s);
    CHECK_SAME_TEXT(rows, "Income:Sales | 0 | 171000 | Sales without tax\n"
                          "Income:Sales | 171000 | 0 | Refunds without tax\n");
    free(rows);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* Odoo's test_order_to_picking: three orders of 450.00 and 300.00 products, no tax, no
 * receipt behind the negative lines: 2 and 3 sold (900.00 + 900.00 = 1800.00); 2 and 3 taken
 * back (-1800.00, paid back); 2 taken back and 3 sold (-900.00 + 900.00 = 0.00, nothing due,
 * paid at once). */
static void odoo_order_to_picking(void)
{
    start(1, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 0);
    char a[PSS_ID_SIZE], b[PSS_ID_SIZE], c[PSS_ID_SIZE];
    pss_line_input sold[] = {fix_line("PCSC234", 2000, 45000, NULL, 0),
                             fix_line("PCSC349", 3000, 30000, NULL, 0)};
    CHECK_OK(ctx, submit(s, &FIX_MIA, NULL, sold, 2, 180000, NULL, a));
    pss_line_input returned[] = {fix_line("PCSC234", -2000, 45000, NULL, 0),
                                 fix_line("PCSC349", -3000, 30000, NULL, 0)};
    CHECK_OK(ctx, submit(s, &FIX_MIA, NULL, returned, 2, -180000, "OL/0003, OL/0004", b));
    pss_line_input mixed[] = {fix_line("PCSC234", -2000, 45000, NULL, 0),
                              fix_line("PCSC349", 3000, 30000, NULL, 0)};
    CHECK_OK(ctx, submit(s, &FIX_MIA, NULL, mixed, 2, 0, "OL/0005", c));
    CHECK_I64(order_total(s, a), 180000);
    CHECK_I64(order_total(s, b), -180000);
    CHECK_I64(order_total(s, c), 0);
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, c, &o));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    pss_order_free(o);
    CHECK_OK(ctx, pss_session_verify(s));
    char *rows = close_lines(s);
    /* sold 1800.00 + 900.00, taken back 1800.00 + 900.00; the cash nets to nothing */
    CHECK_SAME_TEXT(rows, "Income:Sales | 0 | 270000 | Sales without tax\n"
                          "Income:Sales | 270000 | 0 | Refunds without tax\n");
    free(rows);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* An order of lines the library must refuse with PSS_EOVERFLOW for one of its sums, by a
 * manager (returns without a receipt allowed): the detail starts with head (the order's id
 * follows it) and ends with tail, and nothing is stored. */
static void refused_beyond(const pss_line_input *lines, size_t n, const char *head,
                           const char *tail)
{
    start(1, PSS_TAX_ROUND_PER_LINE);
    pss_session *s = fix_open(ctx, 5000);
    char id[PSS_ID_SIZE];
    char *before = fix_dump(store);
    CHECK_RC(ctx, submit(s, &FIX_MIA, NULL, lines, n, 0, "swap", id), PSS_EOVERFLOW);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), head);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), tail);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* A posting group is a figure the library computes: two sales of 6,000,000,000,000.00 on
 * one account and taxes come to 12,000,000,000,000.00, beyond PSS_AMOUNT_MAX, although a
 * return of 5,000,000,000,000.00 beside them keeps the order's total at 7,000,000,000,000.00.
 * (It was once stored, and its own verify then called the record corrupt.) */
static void group_beyond_the_bound(void)
{
    pss_line_input lines[] = {fix_line("a", 1000, 600000000000000, NULL, 0),
                              fix_line("b", 1000, 600000000000000, NULL, 0),
                              fix_line("c", -1000, 500000000000000, NULL, 0)};
    refused_beyond(lines, 3, "the sales of order 000000e1-0000-4000-8000-",
                   " on Income:Sales without tax would be 12000000000000.00, beyond "
                   "10000000000000.00 (PSS_AMOUNT_MAX)");
}

/* The order's untaxed sum is a figure the library computes too: sales of 9,500,000,000,000.00
 * on two accounts beside a return of 9,000,000,000,000.00 with 10% tax included come to a
 * total of 10,000,000,000,000.00 (the bound, within it) but an untaxed sum of
 * 10,818,181,818,181.82 (beyond it). */
static void order_sum_beyond_the_bound(void)
{
    pss_line_input lines[] = {fix_line("a", 1000, 950000000000000, NULL, 0),
                              fix_line("b", 1000, 950000000000000, NULL, 0),
                              fix_line("c", -1000, 900000000000000, VAT10, 1)};
    lines[1].category = "books";
    refused_beyond(lines, 3, "the untaxed sum of order 000000e1-0000-4000-8000-",
                   " would be 10818181818181.82, beyond 10000000000000.00 (PSS_AMOUNT_MAX)");
}

int main(void)
{
    exchanges();
    even_exchange();
    without_receipt(PSS_TAX_ROUND_PER_LINE);
    without_receipt(PSS_TAX_ROUND_PER_ORDER);
    not_allowed();
    batch_role();
    refund_beside_a_return();
    discount_beside_a_return();
    odoo_order_refund();
    odoo_order_to_picking();
    group_beyond_the_bound();
    order_sum_beyond_the_bound();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
