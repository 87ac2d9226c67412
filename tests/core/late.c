/* late.c: orders a till submits, made offline, to a session that no longer trades: being
 * counted (CLOSING_CONTROL) or closed. The config's policy routes them to the open session
 * while it trades, else to a rescue session (route, the default), always to a rescue session
 * (rescue), or refuses them (refuse); the session being counted takes none under any policy
 * (doc/close-flow.md, "Late orders"). */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static void start(pss_late_orders policy)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.late_orders = policy;
    fix_world(&fo, &store, &ctx);
}

static void stop(void)
{
    fix_world_free(store, ctx);
}

/* A paid 12.50 order of tea with a fresh id, paid by card (the drawer stays as it is). */
static pss_order_input tea_order(char id[PSS_ID_SIZE], pss_line_input *line,
                                 pss_payment_input *pay)
{
    snprintf(id, PSS_ID_SIZE, "0000000a-0000-4000-8000-%012d", ++counter);
    *line = fix_line("tea", 1000, 1250, NULL, 0);
    *pay = fix_pay("Voucher", 1250);
    return fix_order(id, line, pay);
}

/* What the session's paid orders total. */
static int64_t session_paid(pss_session *s)
{
    int64_t posted = -1;
    CHECK_OK(ctx, pss_session_balance(s, NULL, &posted));
    return posted;
}

/* route (the default): a session being counted sends a late order to a rescue session made
 * for it, since the open session is the one being counted; the counted session is untouched. */
static void route_while_counted(void)
{
    start(PSS_LATE_ROUTE);
    pss_session *s = fix_open(ctx, 0);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    char id[PSS_ID_SIZE];
    pss_line_input line;
    pss_payment_input pay;
    pss_order_input late = tea_order(id, &line, &pay);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_BOB, &late, &res));
    CHECK_I64(res.routed, 1);
    CHECK_I64(res.rescue, 1);
    CHECK_I64(res.state, PSS_ORDER_PAID);
    CHECK(strcmp(res.session_id, pss_session_id(s)) != 0);
    pss_session *rescue = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, res.session_id, &rescue));
    CHECK_STR(pss_session_name(rescue), "POS-0001/RESCUE-00001");
    CHECK_I64(session_paid(rescue), 1250);
    CHECK_OK(ctx, pss_session_refresh(s));
    CHECK_I64(session_paid(s), 0);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSING_CONTROL);
    /* the retry is answered where it went, also to someone else than the cashier */
    pss_submit_result again = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_BOB, &late, &again));
    CHECK_I64(again.duplicate, 1);
    CHECK_I64(again.routed, 1);
    CHECK_STR(again.session_id, res.session_id);
    /* the counted session still closes with its own figures */
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));
    pss_session_free(rescue);
    pss_session_free(s);
    stop();
}

/* route once closed, with the next session trading: the late order goes there. rescue: the
 * same late order goes to a rescue session although a session trades. */
static void route_or_rescue_after_close(pss_late_orders policy)
{
    start(policy);
    pss_session *s = fix_open(ctx, 0);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_session *next = fix_open(ctx, 0);
    char id[PSS_ID_SIZE];
    pss_line_input line;
    pss_payment_input pay;
    pss_order_input late = tea_order(id, &line, &pay);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &late, &res));
    CHECK_I64(res.routed, 1);
    CHECK_OK(ctx, pss_session_refresh(next));
    if (policy == PSS_LATE_ROUTE) {
        CHECK_I64(res.rescue, 0);
        CHECK_STR(res.session_id, pss_session_id(next));
        CHECK_I64(session_paid(next), 1250);
    } else {
        CHECK_I64(res.rescue, 1);
        CHECK(strcmp(res.session_id, pss_session_id(next)) != 0);
        CHECK_I64(session_paid(next), 0);
    }
    pss_session_free(next);
    pss_session_free(s);
    stop();
}

/* refuse: PSS_ESTATE while counted, PSS_ECLOSED once closed, with the policy named; nothing
 * changes (no rescue session, no audit entry). */
static void refuse(void)
{
    start(PSS_LATE_REFUSE);
    pss_session *s = fix_open(ctx, 0);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    char id[PSS_ID_SIZE];
    pss_line_input line;
    pss_payment_input pay;
    pss_order_input late = tea_order(id, &line, &pay);
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &late, NULL), PSS_ESTATE);
    CHECK_STR(pss_ctx_errmsg(ctx), "session POS-0001/00001 is being counted and config 'Main "
                                   "register' refuses late orders (late_orders: refuse); "
                                   "record the order in a session that trades");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    before = fix_dump(store);
    const pss_order_input *batch[] = {&late};
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    size_t accepted = 9;
    CHECK_RC(ctx, pss_session_submit_batch(s, &FIX_ALICE, batch, 1, &res, &accepted),
             PSS_ECLOSED);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "session POS-0001/00001 is closed and config 'Main "
                                        "register' refuses late orders");
    CHECK_I64(res.status, PSS_ECLOSED);
    CHECK_I64(accepted, 0);
    after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    pss_session_free(s);
    stop();
}

/* The policy is stored with the config (version 2 records), read back, and a config record
 * of version 1 (written before policies existed) reads as route. A policy out of the enum
 * is refused. */
static void stored_policy(void)
{
    start(PSS_LATE_RESCUE);
    pss_config *c = NULL;
    CHECK_OK(ctx, pss_config_load(ctx, FIX_CONFIG_ID, &c));
    char *json = NULL;
    CHECK_OK(ctx, pss_config_to_json(c, &json));
    CHECK(strncmp(json, "{\"v\":2,", 7) == 0);
    CHECK_CONTAINS(json, "\"allow_zero_price\":false,\"late_orders\":\"rescue\","
                         "\"allow_negative_drawer\":false,\"split_receivables\":false,"
                         "\"receiptless_returns\":false,\"receiptless_return_role\":"
                         "\"manager\",\"accounts\":");
    pss_free(ctx, json);
    pss_config_free(c);
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "config", FIX_CONFIG_ID, fix_grab, &r);
    store->commit(store->userdata);
    char old[sizeof r.payload];
    char *at = strstr(r.payload, ",\"late_orders\"");
    char *rest = strstr(r.payload, ",\"accounts\"");
    CHECK(at && rest);
    snprintf(old, sizeof old, "{\"v\":1,%.*s%s", (int)(at - r.payload - 7), r.payload + 7, rest);
    CHECK_OK(ctx, fix_overwrite(store, "config", FIX_CONFIG_ID, old));
    CHECK_OK(ctx, pss_config_load(ctx, FIX_CONFIG_ID, &c));
    CHECK_OK(ctx, pss_config_to_json(c, &json));
    CHECK_CONTAINS(json, "\"late_orders\":\"route\",\"allow_negative_drawer\":false,"
                         "\"split_receivables\":false");
    pss_free(ctx, json);
    pss_config_free(c);
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.name = "x";
    in.code = "X";
    in.currency = "EUR";
    in.late_orders = (pss_late_orders)4;
    CHECK_RC(ctx, pss_config_new(ctx, &in, &c), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "late-order policy 4 is not route, rescue or refuse");
    /* a caller built against version 1 of the struct: the policy is not read */
    in.version = 1;
    in.income_account = "Income";
    in.receivable_account = "Receivable";
    in.cash_in_account = "Safe";
    in.cash_out_account = "Bank";
    in.difference_gain_account = "Over";
    in.difference_loss_account = "Short";
    CHECK_OK(ctx, pss_config_new(ctx, &in, &c));
    CHECK_OK(ctx, pss_config_to_json(c, &json));
    CHECK_CONTAINS(json, "\"late_orders\":\"route\"");
    pss_free(ctx, json);
    pss_config_free(c);
    stop();
}

/* A late order reports what already happened at the till: a cash refund it gave offline is
 * not weighed against the drawer of the session it is recorded in. Two teas sold by voucher
 * in a session that opened with nothing; each comes back for 12.50 in cash after the till's
 * session stopped trading: the first goes to a rescue session (its drawer at 0.00), the
 * second, once the next session trades with 0.00, to that one. Both are recorded; each
 * session's expected cash is -12.50. A refund submitted to the trading session on time
 * still meets the drawer rule. */
static void late_cash_refunds(void)
{
    start(PSS_LATE_ROUTE);
    pss_session *s = fix_open(ctx, 0);
    char sale[PSS_ID_SIZE], id[PSS_ID_SIZE];
    pss_line_input line;
    pss_payment_input pay;
    pss_order_input teas = tea_order(sale, &line, &pay);
    line.quantity = 2000;
    pay.amount = 2500;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &teas, NULL));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input cash = fix_pay("Cash", -1250);
    pss_order_input refund = fix_order(id, &back, &cash);
    refund.refund_of = sale;
    snprintf(id, PSS_ID_SIZE, "0000000a-0000-4000-8000-%012d", ++counter);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_BOB, &refund, &res));
    CHECK_I64(res.rescue, 1);
    pss_session *rescue = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, res.session_id, &rescue));
    int64_t expected = 0;
    CHECK_OK(ctx, pss_session_expected_cash(rescue, &expected));
    CHECK_I64(expected, -1250);
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_session *next = fix_open(ctx, 0);
    /* on time, in the trading session: refused with the figures */
    snprintf(id, PSS_ID_SIZE, "0000000a-0000-4000-8000-%012d", ++counter);
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_submit(next, &FIX_ALICE, &refund, NULL), PSS_EDRAWER);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "the drawer holds 0.00, cash refund 12.50");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    /* late, routed to it: recorded */
    pss_submit_result late = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_BOB, &refund, &late));
    CHECK_I64(late.routed, 1);
    CHECK_I64(late.rescue, 0);
    CHECK_STR(late.session_id, pss_session_id(next));
    CHECK_OK(ctx, pss_session_refresh(next));
    CHECK_OK(ctx, pss_session_expected_cash(next, &expected));
    CHECK_I64(expected, -1250);
    CHECK_OK(ctx, pss_session_verify(next));
    CHECK_OK(ctx, pss_session_verify(rescue));
    pss_session_free(next);
    pss_session_free(rescue);
    pss_session_free(s);
    stop();
}

int main(void)
{
    route_while_counted();
    route_or_rescue_after_close(PSS_LATE_ROUTE);
    route_or_rescue_after_close(PSS_LATE_RESCUE);
    refuse();
    stored_policy();
    late_cash_refunds();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
