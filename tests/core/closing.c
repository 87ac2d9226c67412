/* closing.c: the close flow: summary at any time, counts (total, denominations, card batch),
 * refusals (drafts, pending payments, no count, the difference limit) each audited, the
 * override, races between two contexts, nothing changing after CLOSED, reopen, force close,
 * late orders routed to the open or a rescue session, and the report's text. */
#include <pthread.h>

#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static void start(const fix_config_opts *fo)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, fo);
}

static void stop(void)
{
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "00000000-0000-4000-8000-%012d", ++counter);
    return id;
}

/* A paid sale of `amount` (no tax) by `method`. */
static void sale(pss_session *s, const char *method, int64_t amount, pss_submit_result *res)
{
    char id[PSS_ID_SIZE];
    pss_line_input l = fix_line("item", 1000, amount, NULL, 0);
    pss_payment_input p = fix_pay(method, amount);
    p.state = PSS_PAYMENT_DONE;
    pss_order_input in = fix_order(next_id(id), &l, &p);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, res));
}

static void count_cash(pss_session *s, int64_t cash)
{
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = cash;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
}

static pss_audit_record last_audit(pss_session *s, pss_audit **keep)
{
    pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), keep));
    pss_audit_get(*keep, pss_audit_count(*keep) - 1, &rec);
    return rec;
}

static void summary_and_counts(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 5000);
    sale(s, "Cash", 3000, NULL);
    sale(s, "Card", 2000, NULL);
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = PSS_CASH_IN;
    in.amount = 1000;
    in.reason = "change from the safe";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    in.kind = PSS_CASH_EXPENSE;
    in.amount = 250;
    in.reason = "stamps";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    in.kind = PSS_CASH_OUT;
    in.amount = 4000;
    in.reason = "to the bank";
    char out_id[PSS_ID_SIZE];
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, out_id));
    /* the summary is there at any time */
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    CHECK_I64(pss_report_get(r, PSS_FIG_OPENING_COUNTED), 5000);
    CHECK_I64(pss_report_get(r, PSS_FIG_CASH_PAYMENTS), 3000);
    CHECK_I64(pss_report_get(r, PSS_FIG_CASH_IN), 1000);
    CHECK_I64(pss_report_get(r, PSS_FIG_CASH_OUT), 4000);
    CHECK_I64(pss_report_get(r, PSS_FIG_EXPENSES), 250);
    CHECK_I64(pss_report_get(r, PSS_FIG_EXPECTED_CASH), 5000 + 3000 + 1000 - 4000 - 250);
    CHECK_I64(pss_report_get(r, PSS_FIG_COUNTED_CASH), PSS_UNSET);
    pss_report_method m = PSS_REPORT_METHOD_INIT;
    CHECK_OK(ctx, pss_report_get_method(r, 1, &m));
    CHECK_STR(m.name, "Card");
    CHECK_I64(m.amount, 2000);
    CHECK_I64(m.payments, 1);
    pss_report_free(r);
    /* a movement is voided while open */
    CHECK_OK(ctx, pss_cash_void(s, &FIX_ALICE, out_id, "entered twice"));
    CHECK_RC(ctx, pss_cash_void(s, &FIX_ALICE, out_id, "again"), PSS_ESTATE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is already voided (entered twice)");
    CHECK_RC(ctx, pss_cash_void(s, &FIX_ALICE, "00000000-0000-4000-8000-0000000000ff", "x"),
             PSS_ENOTFOUND);
    in.amount = 3500;
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    int64_t expected;
    pss_session_expected_cash(s, &expected);
    CHECK_I64(expected, 5000 + 3000 + 1000 - 3500 - 250);
    pss_cash_list *list = NULL;
    CHECK_OK(ctx, pss_cash_list_load(s, &list));
    CHECK_I64(pss_cash_list_count(list), 4);
    pss_cash_info ci = PSS_CASH_INFO_INIT;
    CHECK_OK(ctx, pss_cash_list_get(list, 2, &ci));
    CHECK_I64(ci.voided, 1);
    CHECK_STR(ci.void_reason, "entered twice");
    CHECK_STR(ci.account, "Assets:Bank Transit");
    CHECK_STR(pss_cash_kind_name(ci.kind), "out");
    pss_cash_list_free(list);

    /* counting needs closing control */
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = 5250;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_ESTATE);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    /* by denomination: 2 x 20.00 + 1 x 10.00 + 5 x 0.50 + 1 x 0.05 = 52.55 */
    pss_denomination_count coins[] = {{2000, 2}, {1000, 1}, {50, 5}, {5, 1}};
    pss_method_count card[] = {{"Card", 1990}};
    c.cash_total = PSS_UNSET;
    c.denominations = coins;
    c.n_denominations = 4;
    c.methods = card;
    c.n_methods = 1;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
    CHECK_OK(ctx, pss_session_report(s, &r));
    CHECK_I64(pss_report_get(r, PSS_FIG_COUNTED_CASH), 5255);
    CHECK_I64(pss_report_get(r, PSS_FIG_DIFFERENCE), 5);
    pss_report_get_method(r, 1, &m);
    CHECK_I64(m.counted, 1990);
    CHECK_I64(m.difference, -10);
    pss_report_free(r);
    /* bad counts change nothing */
    char *before = fix_dump(store);
    pss_denomination_count odd[] = {{3, 1}};
    c.denominations = odd;
    c.n_denominations = 1;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "0.03 is not a coin or note of config 'Main register'");
    pss_denomination_count negative[] = {{100, -1}};
    c.denominations = negative;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    c.cash_total = 100;
    c.denominations = coins;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "as a total or by denomination, not both");
    pss_method_count cash_as_method[] = {{"Cash", 100}};
    c.n_denominations = 0;
    c.methods = cash_as_method;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is the cash method");
    c.cash_total = PSS_UNSET; /* with cash control the count must give the cash */
    c.n_denominations = 0;
    c.n_methods = 0;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the count has no cash: give a total or coins and notes");
    pss_denomination_count huge[] = {{5000, INT64_MAX / 4000}};
    c.denominations = huge;
    c.n_denominations = 1;
    c.n_methods = 0;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL); /* beyond the bound */
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "beyond 10000000000000.00 (PSS_AMOUNT_MAX)");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);
    /* within the limit (10.00) the cashier closes; the card difference is within too */
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    CHECK_OK(ctx, pss_session_report(s, &r));
    CHECK_STR(pss_report_text_of(r, PSS_TEXT_CLOSED_BY), "alice");
    CHECK_I64(pss_report_get(r, PSS_FIG_CLOSED_AT), FIX_T0);
    pss_report_free(r);
    pss_session_free(s);
    stop();
}

static void refusals_and_override(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 500000);
    /* a draft and a pending card payment */
    pss_line_input l = fix_line("bike", 1000, 20000, NULL, 0);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    char id[PSS_ID_SIZE];
    in.id = next_id(id);
    in.lines = &l;
    in.n_lines = 1;
    pss_order *draft = NULL, *card = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &draft));
    in.id = next_id(id);
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &card));
    pss_payment_input p = fix_pay("Card", 20000);
    CHECK_OK(ctx, pss_order_add_payment(card, &FIX_ALICE, &p, NULL));
    in.id = next_id(id);
    pss_order *pending = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &pending));
    CHECK_OK(ctx, pss_order_add_payment(pending, &FIX_ALICE, &p, NULL));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    /* pending payments first: the terminal is still working on them */
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_EPAYPENDING);
    char want[256];
    snprintf(want, sizeof want, "session POS-0001/00001 has 2 pending payments: payment 0 of "
                                "order %s, payment 0 of order %s; confirm or fail them before "
                                "closing",
             pss_order_id(card), pss_order_id(pending));
    CHECK_STR(pss_ctx_errmsg(ctx), want);
    /* they can be resolved in closing control; new orders cannot be made */
    CHECK_OK(ctx, pss_order_confirm_payment(card, &FIX_ALICE, 0));
    CHECK_I64(pss_order_state_of(card), PSS_ORDER_PAID);
    CHECK_OK(ctx, pss_order_fail_payment(pending, &FIX_ALICE, 0, "declined"));
    in.id = next_id(id);
    pss_order *late = NULL;
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &late), PSS_ESTATE);
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_EPENDING);
    snprintf(want, sizeof want, "session POS-0001/00001 has 2 draft orders: %s, %s; cancel them, "
                                "or have a manager reopen the session to finish them, before "
                                "closing", pss_order_id(draft), pss_order_id(pending));
    CHECK_STR(pss_ctx_errmsg(ctx), want);
    int64_t count = 0;
    pss_ctx_error_figure(ctx, "count", &count);
    CHECK_I64(count, 2);
    /* the cashier cancels drafts in closing control; finishing one needs the session back */
    CHECK_OK(ctx, pss_order_cancel(draft, &FIX_ALICE, "test"));
    CHECK_RC(ctx, pss_order_add_payment(pending, &FIX_ALICE, &p, NULL), PSS_ESTATE);
    CHECK_RC(ctx, pss_session_reopen(s, &FIX_ALICE, "x"), PSS_EACCESS);
    CHECK_OK(ctx, pss_order_cancel(pending, &FIX_ALICE, "declined"));
    /* with cash control the drawer must be counted */
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_ESTATE);
    CHECK_STR(pss_ctx_errmsg(ctx), "session POS-0001/00001 has cash control and nobody counted "
                                   "the drawer; count it first (expected 5000.00)");
    /* 150.00 short with 10.00 allowed: a cashier may not close, a manager may */
    count_cash(s, 485000);
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_ELIMIT);
    CHECK_STR(pss_ctx_errmsg(ctx), "expected 5000.00, counted 4850.00, difference -150.00, "
                                   "allowed 10.00; only a manager may close session "
                                   "POS-0001/00001 with this difference");
    int64_t fig = 0;
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "expected", &fig));
    CHECK_I64(fig, 500000);
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "counted", &fig));
    CHECK_I64(fig, 485000);
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "difference", &fig));
    CHECK_I64(fig, -15000);
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "allowed", &fig));
    CHECK_I64(fig, 1000);
    CHECK_RC(ctx, pss_ctx_error_figure(ctx, "nonsense", &fig), PSS_ENOTFOUND);
    char *after = fix_dump(store);
    /* the refusal is in the trail, and nothing else changed */
    CHECK(strlen(after) > strlen(before));
    CHECK(strncmp(after, before, strstr(before, "\naudit") - before) == 0);
    free(before);
    free(after);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSING_CONTROL);
    CHECK_RC(ctx, pss_session_close(s, &FIX_BOB, NULL), PSS_EACCESS);
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));

    /* every close attempt is in the audit trail, with its figures and outcome */
    pss_audit *a = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), &a));
    int codes[8], n = 0;
    pss_audit_record limit = PSS_AUDIT_RECORD_INIT, ok = PSS_AUDIT_RECORD_INIT;
    for (size_t i = 0; i < pss_audit_count(a); i++) {
        pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
        pss_audit_get(a, i, &rec);
        if (strcmp(rec.action, "session.close") != 0 || n >= 8)
            continue;
        codes[n++] = rec.outcome;
        if (rec.outcome == PSS_ELIMIT)
            limit = rec;
        if (rec.outcome == 0)
            ok = rec;
    }
    CHECK_I64(n, 6);
    int want_codes[] = {PSS_EPAYPENDING, PSS_EPENDING, PSS_ESTATE, PSS_ELIMIT, PSS_EACCESS, 0};
    for (int i = 0; i < 6 && i < n; i++)
        CHECK_I64(codes[i], want_codes[i]);
    CHECK_STR(limit.user, "alice");
    CHECK_I64(limit.expected, 500000);
    CHECK_I64(limit.counted, 485000);
    CHECK_I64(limit.difference, -15000);
    CHECK_I64(limit.allowed, 1000);
    CHECK_CONTAINS(limit.detail, "difference -150.00, allowed 10.00");
    CHECK_STR(ok.user, "mia");
    CHECK_I64(ok.difference, -15000);
    CHECK_CONTAINS(ok.json, "\"counted_source\":\"count\"");
    pss_audit_free(a);

    /* CLOSED is final: every change is refused, orders read as DONE */
    char *closed_dump = fix_dump(store);
    CHECK_I64(pss_order_state_of(card), PSS_ORDER_DONE);
    CHECK_RC(ctx, pss_order_set_invoiced(card, &FIX_MIA, 1), PSS_ECLOSED);
    CHECK_RC(ctx, pss_order_cancel(draft, &FIX_ALICE, "x"), PSS_ECLOSED);
    pss_cash_input move = PSS_CASH_INPUT_INIT;
    move.amount = 100;
    move.reason = "late";
    CHECK_RC(ctx, pss_cash_move(s, &FIX_ALICE, &move, NULL), PSS_ECLOSED);
    CHECK_RC(ctx, pss_session_reopen(s, &FIX_MIA, "x"), PSS_ECLOSED);
    CHECK_RC(ctx, pss_session_take_over(s, &FIX_MIA), PSS_ECLOSED);
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = 1;
    CHECK_RC(ctx, pss_session_count(s, &FIX_MIA, &c), PSS_ECLOSED);
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = "x";
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_ADA, &fi), PSS_ECLOSED);
    CHECK_RC(ctx, pss_session_close(s, &FIX_MIA, NULL), PSS_ECLOSED);
    char *still = fix_dump(store);
    /* only the audit trail grew (the refused close and force close are recorded) */
    CHECK(strncmp(still, closed_dump, strstr(closed_dump, "\naudit") - closed_dump) == 0);
    free(closed_dump);
    free(still);
    pss_order_free(draft);
    pss_order_free(card);
    pss_order_free(pending);
    pss_session_free(s);
    stop();
}

/* ---- two contexts closing one session at once ---- */

typedef struct closer {
    pthread_barrier_t *barrier;
    pss_ctx *ctx;
    pss_session *s;
    int rc;
} closer;

static void *race_close(void *arg)
{
    closer *c = arg;
    pthread_barrier_wait(c->barrier);
    c->rc = pss_session_close(c->s, &FIX_MIA, NULL);
    return NULL;
}

static int count_entries(pss_ctx *c)
{
    fix_text t = {NULL, 0};
    pss_journal_write_csv_range(c, FIX_CONFIG_ID, NULL, NULL, fix_text_write, &t);
    int lines = 0;
    for (size_t i = 0; i < t.len; i++)
        lines += t.data[i] == '\n';
    fix_text_free(&t);
    return lines - 1; /* header */
}

static void racing_closes(void)
{
    start(NULL);
    pss_ctx *c1 = fix_ctx(store), *c2 = fix_ctx(store);
    for (int round = 0; round < 10; round++) {
        pss_session *s = fix_open(ctx, round * 1000); /* the float grows by one sale a day */
        sale(s, "Cash", 1000, NULL);
        CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
        count_cash(s, (round + 1) * 1000);
        pss_session *h1 = NULL, *h2 = NULL;
        pss_session_load(c1, pss_session_id(s), &h1);
        pss_session_load(c2, pss_session_id(s), &h2);
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, 2);
        closer a = {&barrier, c1, h1, 0}, b = {&barrier, c2, h2, 0};
        pthread_t ta, tb;
        pthread_create(&ta, NULL, race_close, &a);
        pthread_create(&tb, NULL, race_close, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&barrier);
        CHECK_I64((a.rc == 0) + (b.rc == 0), 1);
        CHECK_I64((a.rc == PSS_ECLOSED) + (b.rc == PSS_ECLOSED), 1);
        pss_ctx *loser = a.rc ? c1 : c2;
        CHECK_CONTAINS(pss_ctx_errmsg(loser), "was closed by mia at");
        CHECK_I64(pss_session_state_of(h1), PSS_SESSION_CLOSED);
        CHECK_I64(pss_session_state_of(h2), PSS_SESSION_CLOSED);
        pss_session_free(h1);
        pss_session_free(h2);
        pss_session_free(s);
    }
    /* one entry per session: one cash line and one sales line each */
    CHECK_I64(count_entries(ctx), 10 * 2);
    pss_ctx_free(c1);
    pss_ctx_free(c2);
    stop();
}

static void force_close(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 1000);
    sale(s, "Cash", 500, NULL);
    char id[PSS_ID_SIZE];
    pss_line_input l = fix_line("coat", 1000, 9000, NULL, 0);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = next_id(id);
    in.lines = &l;
    in.n_lines = 1;
    pss_order *half = NULL, *pending = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &half));
    pss_payment_input cash = fix_pay("Cash", 4000);
    CHECK_OK(ctx, pss_order_add_payment(half, &FIX_ALICE, &cash, NULL));
    in.id = next_id(id);
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &pending));
    pss_payment_input card = fix_pay("Card", 9000);
    CHECK_OK(ctx, pss_order_add_payment(pending, &FIX_ALICE, &card, NULL));
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = "till died overnight";
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_MIA, &fi), PSS_EACCESS);
    CHECK_STR(pss_ctx_errmsg(ctx), "mia (manager) may not force-close the session: it takes an "
                                   "admin");
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_ADA, &fi), PSS_EPAYPENDING);
    fi.void_pending = 1;
    fi.reason = NULL;
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_ADA, &fi), PSS_EINVAL);
    fi.reason = "till died overnight";
    CHECK_OK(ctx, pss_session_force_close(s, &FIX_ADA, &fi));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
    pss_report *r;
    pss_session_report(s, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_CANCELLED), 2);
    CHECK_I64(pss_report_get(r, PSS_FIG_EXPECTED_CASH), 1500); /* the half payment was voided */
    CHECK_I64(pss_report_get(r, PSS_FIG_COUNTED_CASH), 1500);  /* nobody counted: expected */
    pss_report_free(r);
    pss_audit *a = NULL;
    pss_audit_record rec = last_audit(s, &a);
    CHECK_STR(rec.action, "session.force_close");
    CHECK_STR(rec.user, "ada");
    CHECK_STR(rec.reason, "till died overnight");
    char want[256];
    snprintf(want, sizeof want, "\"cancelled_orders\":[\"%s\",\"%s\"]", pss_order_id(half),
             pss_order_id(pending));
    CHECK_CONTAINS(rec.json, want);
    CHECK_CONTAINS(rec.json, "\"voided_payments\":2");
    CHECK_CONTAINS(rec.json, "\"counted_source\":\"expected\"");
    pss_audit_free(a);
    pss_session_free(s);
    pss_order_free(half);
    pss_order_free(pending);

    /* a session stuck before it was even opened */
    pss_session *stuck = NULL;
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_BOB, NULL, &stuck));
    fi.counted_cash = 1450;
    CHECK_OK(ctx, pss_session_force_close(stuck, &FIX_ADA, &fi));
    pss_session_report(stuck, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_OPENING_EXPECTED), 1500);
    CHECK_I64(pss_report_get(r, PSS_FIG_COUNTED_CASH), 1450);
    CHECK_I64(pss_report_get(r, PSS_FIG_DIFFERENCE), -50);
    pss_report_free(r);
    pss_session_free(stuck);
    stop();
}

static void late_orders(void)
{
    start(NULL);
    pss_session *first = fix_open(ctx, 0);
    pss_ctx *till = fix_ctx(store); /* the offline till still holds the first session */
    pss_session *offline = NULL;
    pss_session_load(till, pss_session_id(first), &offline);
    sale(first, "Cash", 700, NULL);
    CHECK_OK(ctx, pss_session_start_closing(first, &FIX_ALICE));
    count_cash(first, 700);
    CHECK_OK(ctx, pss_session_close(first, &FIX_ALICE, NULL));

    /* no open session: the late order goes to a rescue session */
    char id[PSS_ID_SIZE];
    pss_line_input l = fix_line("scarf", 1000, 1500, NULL, 0);
    pss_payment_input p = fix_pay("Cash", 1500);
    pss_order_input in = fix_order(next_id(id), &l, &p);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(till, pss_session_submit(offline, &FIX_ALICE, &in, &res));
    CHECK_I64(res.routed, 1);
    CHECK_I64(res.rescue, 1);
    CHECK(strcmp(res.session_id, pss_session_id(first)) != 0);
    pss_session *rescue = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, res.session_id, &rescue));
    CHECK_I64(pss_session_is_rescue(rescue), 1);
    CHECK_STR(pss_session_name(rescue), "POS-0001/RESCUE-00001");
    CHECK_I64(pss_session_state_of(rescue), PSS_SESSION_IN_PROGRESS);
    CHECK_I64(pss_session_state_of(offline), PSS_SESSION_CLOSED); /* never reopened */
    /* the same order again is a duplicate, not a second routing */
    pss_submit_result again = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(till, pss_session_submit(offline, &FIX_ALICE, &in, &again));
    CHECK_I64(again.duplicate, 1);
    CHECK_STR(again.session_id, res.session_id);
    /* a second late order joins the same rescue session */
    in.id = next_id(id);
    CHECK_OK(till, pss_session_submit(offline, &FIX_ALICE, &in, &res));
    CHECK_STR(res.session_id, pss_session_id(rescue));

    /* with a normal session open, late orders go there */
    pss_session *second = fix_open(ctx, 700);
    in.id = next_id(id);
    CHECK_OK(till, pss_session_submit(offline, &FIX_ALICE, &in, &res));
    CHECK_I64(res.routed, 1);
    CHECK_I64(res.rescue, 0);
    CHECK_STR(res.session_id, pss_session_id(second));
    pss_audit *a = NULL;
    pss_audit_record rec = last_audit(second, &a);
    CHECK_STR(rec.action, "order.routed");
    CHECK_CONTAINS(rec.json, "\"from_name\":\"POS-0001/00001\"");
    pss_audit_free(a);

    /* the rescue session closes without a count and leaves the opening-cash chain alone */
    CHECK_OK(ctx, pss_session_refresh(rescue));
    CHECK_OK(ctx, pss_session_start_closing(rescue, &FIX_MIA));
    CHECK_OK(ctx, pss_session_close(rescue, &FIX_MIA, NULL));
    pss_report *r;
    pss_session_report(rescue, &r);
    CHECK_I64(pss_report_get(r, PSS_FIG_POSTED_TOTAL), 3000);
    CHECK_I64(pss_report_get(r, PSS_FIG_DIFFERENCE), 0);
    pss_report_free(r);
    CHECK_OK(ctx, pss_session_start_closing(second, &FIX_ALICE));
    count_cash(second, 2200);
    CHECK_OK(ctx, pss_session_close(second, &FIX_ALICE, NULL));
    pss_session *third = fix_open(ctx, 2200);
    int64_t expected;
    pss_session_opening(third, &expected, NULL);
    CHECK_I64(expected, 2200); /* the second session's count, not the rescue's */
    CHECK_OK(ctx, pss_session_verify(third));
    pss_session_free(third);
    pss_session_free(second);
    pss_session_free(rescue);
    pss_session_free(offline);
    pss_session_free(first);
    pss_ctx_free(till);
    stop();
}

static void report_text(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 1000);
    sale(s, "Cash", 1250, NULL);
    sale(s, "Card", 999, NULL);
    pss_report *r;
    pss_session_report(s, &r);
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_report_write_text(r, fix_text_write, &t));
    CHECK_CONTAINS(t.data, "Session POS-0001/00001 (Main register), 2026-11-21, in_progress, EUR\n");
    CHECK_CONTAINS(t.data, "\n  Expected                            22.50\n");
    CHECK_CONTAINS(t.data, "\n  Card                                    1         9.99         0.00"
                           "         9.99         9.99            -            -\n");
    CHECK_STR(pss_report_text_of(r, PSS_TEXT_OPENED_BY), "alice");
    CHECK_STR(pss_report_text_of(r, PSS_TEXT_CLOSED_BY), "");
    fix_text_free(&t);
    pss_report_free(r);
    pss_session_free(s);
    stop();
}

int main(void)
{
    summary_and_counts();
    refusals_and_override();
    racing_closes();
    force_close();
    late_orders();
    report_text();
    return check_done();
}
