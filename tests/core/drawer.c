/* drawer.c: a payout of cash (cash out, an expense, a refund paid in cash) cannot take more
 * than the drawer holds, unless the config allows a negative drawer: refused with
 * PSS_EDRAWER, the figures "holds" and "amount", and nothing changed (doc/concepts.md, "The
 * drawer"). */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static void start(int allow_negative)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.allow_negative_drawer = allow_negative;
    fix_world(&fo, &store, &ctx);
}

static void stop(void)
{
    fix_world_free(store, ctx);
}

static int move(pss_session *s, pss_cash_kind kind, int64_t amount)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = kind;
    in.amount = amount;
    in.reason = "to the bank";
    return pss_cash_move(s, &FIX_ALICE, &in, NULL);
}

static int64_t figure(const char *name)
{
    int64_t v = -1;
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, name, &v));
    return v;
}

static int64_t expected_cash(pss_session *s)
{
    int64_t v = -1;
    CHECK_OK(ctx, pss_session_expected_cash(s, &v));
    return v;
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "0000000d-0000-4000-8000-%012d", ++counter);
    return id;
}

/* The drawer holds 45.00: cash out 50.00 and an expense of 45.01 are refused, an expense of
 * 45.00 empties it. */
static void movements(void)
{
    start(0);
    pss_session *s = fix_open(ctx, 4500);
    char *before = fix_dump(store);
    CHECK_RC(ctx, move(s, PSS_CASH_OUT, 5000), PSS_EDRAWER);
    CHECK_STR(pss_ctx_errmsg(ctx), "the drawer holds 45.00, cash out 50.00: session "
                                   "POS-0001/00001 cannot pay out more cash than it holds "
                                   "(config 'Main register' does not allow a negative drawer)");
    CHECK_I64(figure("holds"), 4500);
    CHECK_I64(figure("amount"), 5000);
    CHECK_RC(ctx, move(s, PSS_CASH_EXPENSE, 4501), PSS_EDRAWER);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "the drawer holds 45.00, expense 45.01: ");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    CHECK_STR(pss_strerror(PSS_EDRAWER), "the drawer does not hold that much cash");
    /* a correction may take the expected cash anywhere; cash in and corrections are not
     * payouts */
    CHECK_OK(ctx, move(s, PSS_CASH_EXPENSE, 4500));
    CHECK_I64(expected_cash(s), 0);
    CHECK_RC(ctx, move(s, PSS_CASH_OUT, 1), PSS_EDRAWER);
    CHECK_OK(ctx, move(s, PSS_CASH_IN, 1000));
    CHECK_OK(ctx, move(s, PSS_CASH_OUT, 1000));
    pss_session_free(s);
    stop();
}

/* A sale of 20.00 in cash, 15.00 taken to the bank: the drawer holds 5.00 (opening 0), so its
 * refund in cash is refused, submitted or taken on a draft, while a refund by card goes. */
static void cash_refund(void)
{
    start(0);
    pss_session *s = fix_open(ctx, 0);
    char sale_id[PSS_ID_SIZE], id[PSS_ID_SIZE];
    pss_line_input line = fix_line("kettle", 1000, 2000, NULL, 0);
    pss_payment_input cash = fix_pay("Cash", 2000);
    pss_order_input sale = fix_order(next_id(sale_id), &line, &cash);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &sale, NULL));
    CHECK_OK(ctx, move(s, PSS_CASH_OUT, 1500));
    CHECK_I64(expected_cash(s), 500);
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input repay = fix_pay("Cash", -2000);
    pss_order_input refund = fix_order(next_id(id), &back, &repay);
    refund.refund_of = sale_id;
    char *before = fix_dump(store);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &refund, &res), PSS_EDRAWER);
    CHECK_STR(pss_ctx_errmsg(ctx), "the drawer holds 5.00, cash refund 20.00: session "
                                   "POS-0001/00001 cannot pay out more cash than it holds "
                                   "(config 'Main register' does not allow a negative drawer)");
    CHECK_I64(res.status, PSS_EDRAWER);
    /* in a batch the refund is refused on its own, the sale beside it recorded */
    char other[PSS_ID_SIZE];
    pss_order_input more = fix_order(next_id(other), &line, &cash);
    const pss_order_input *batch[] = {&refund, &more};
    pss_submit_result results[2] = {PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT};
    size_t accepted = 9;
    CHECK_OK(ctx, pss_session_submit_batch(s, &FIX_ALICE, batch, 2, results, &accepted));
    CHECK_I64(accepted, 1);
    CHECK_I64(results[0].status, PSS_EDRAWER);
    CHECK_I64(results[1].status, 0);
    CHECK_I64(expected_cash(s), 2500);
    /* now it holds 25.00: the same refund goes */
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &refund, NULL));
    CHECK_I64(expected_cash(s), 500);
    /* taken on a draft refund of the second sale: 5.00 in the drawer, 20.00 refused */
    pss_order_input draft = PSS_ORDER_INPUT_INIT;
    draft.id = next_id(id);
    draft.refund_of = other;
    draft.lines = &back;
    draft.n_lines = 1;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &draft, &o));
    CHECK_RC(ctx, pss_order_add_payment(o, &FIX_ALICE, &repay, NULL), PSS_EDRAWER);
    CHECK_I64(figure("holds"), 500);
    CHECK_I64(figure("amount"), 2000);
    pss_payment_input card = fix_pay("Card", -2000);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    free(before);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* With allow_negative_drawer the payout goes: the expected cash is -5.00, the count of 0.00
 * is a difference of +5.00 within the limit, and the session closes. */
static void negative_allowed(void)
{
    start(1);
    pss_session *s = fix_open(ctx, 4500);
    CHECK_OK(ctx, move(s, PSS_CASH_OUT, 5000));
    CHECK_I64(expected_cash(s), -500);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
    pss_session_free(s);
    stop();
}

int main(void)
{
    movements();
    cash_refund();
    negative_allowed();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
