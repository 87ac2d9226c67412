/* journal.c: every line of the entry a close posts, for a cash-and-card day, refunds with a
 * net-zero cash method, taxes included and excluded on one line, cash rounding, an invoiced
 * order, cash movements, a cash difference within and beyond the limit, an opening
 * difference; the balance guard; the stored entry; and the ledger and CSV exports. */
#include "fixture.h"

#include "base/internal.h"
#include "close/journal_internal.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;
static char last_id[PSS_ID_SIZE];

static const char *VAT10[] = {"VAT10"};
static const char *VAT20[] = {"VAT20"};
static const char *TAX7_VAT10[] = {"TAX7", "VAT10"};

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

static void submit(pss_session *s, pss_line_input *lines, size_t n, pss_payment_input *pays,
                   size_t n_pays, int invoiced)
{
    char *id = last_id;
    snprintf(id, sizeof last_id, "00000000-0000-4000-8000-%012d", ++counter);
    for (size_t i = 0; i < n_pays; i++)
        pays[i].state = PSS_PAYMENT_DONE;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    in.payments = pays;
    in.n_payments = n_pays;
    in.invoiced = invoiced;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &res));
    CHECK_I64(res.state, PSS_ORDER_PAID);
}

static void sell(pss_session *s, const char *product, int64_t qty, int64_t price,
                 const char *const *taxes, size_t n_taxes, const char *method, int64_t paid)
{
    pss_line_input l = fix_line(product, qty, price, taxes, n_taxes);
    pss_payment_input p = fix_pay(method, paid);
    submit(s, &l, 1, &p, 1, 0);
}

/* Closes with the given count and returns the entry's lines, one per row:
 * "account | debit | credit | kind | label". */
static char *close_and_lines(pss_session *s, int64_t counted, const pss_actor *closer,
                             pss_entry **entry_out)
{
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = counted;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
    CHECK_OK(ctx, pss_session_close(s, closer, NULL));
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(s, &e));
    fix_text t = {NULL, 0};
    char row[512];
    for (size_t i = 0; e && i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        char d[PSS_MONEY_BUFSIZE], cr[PSS_MONEY_BUFSIZE];
        pss_money_format(l.debit, 2, d, sizeof d);
        pss_money_format(l.credit, 2, cr, sizeof cr);
        snprintf(row, sizeof row, "%s | %s | %s | %s | %s\n", l.account, l.debit ? d : "",
                 l.credit ? cr : "", l.kind, l.label);
        fix_text_write(&t, row, strlen(row));
    }
    if (e)
        CHECK_I64(pss_entry_total(e), e->debits);
    if (entry_out)
        *entry_out = e;
    else
        pss_entry_free(e);
    return t.data ? t.data : calloc(1, 1);
}

static void cash_and_card_day(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "wine", 1000, 1200, VAT10, 1, "Cash", 2000);   /* 12.00 incl. 1.09, change 8.00 */
    sell(s, "cheese", 1000, 2500, VAT20, 1, "Card", 3000); /* 25.00 + 5.00 */
    pss_entry *e = NULL;
    char *lines = close_and_lines(s, 1200, &FIX_ALICE, &e);
    CHECK_SAME_TEXT(lines, "Assets:Cash | 12.00 |  | payment | Payments Cash\n"
                           "Assets:Card | 30.00 |  | payment | Payments Card\n"
                           "Income:Sales |  | 10.91 | sales | Sales VAT10\n"
                           "Income:Sales |  | 25.00 | sales | Sales VAT20\n"
                           "Liabilities:VAT10 |  | 1.09 | tax | Tax VAT10\n"
                           "Liabilities:VAT20 |  | 5.00 | tax | Tax VAT20\n");
    CHECK_I64(pss_entry_total(e), 4200);
    CHECK_STR(pss_entry_reference(e), "POS-0001/00001");
    CHECK_STR(pss_entry_date(e), "2026-11-21");
    CHECK_STR(pss_entry_currency(e), "EUR");
    CHECK_STR(pss_entry_session_id(e), pss_session_id(s));
    pss_entry_line l = PSS_ENTRY_LINE_INIT;
    pss_entry_get_line(e, 0, &l);
    CHECK_STR(l.method, "Cash");
    pss_entry_get_line(e, 3, &l);
    CHECK_STR(l.tax, "VAT20");
    CHECK(l.method == NULL);
    CHECK_RC(ctx, pss_entry_get_line(e, 6, &l), PSS_ENOTFOUND);
    CHECK_I64(pss_entry_product_count(e), 2);
    pss_entry_product p = PSS_ENTRY_PRODUCT_INIT;
    pss_entry_get_product(e, 1, &p);
    CHECK_STR(p.product_id, "cheese");
    CHECK_I64(p.quantity, 1000);

    /* the stored entry reads back the same, and exports exactly */
    pss_entry *loaded = NULL;
    CHECK_OK(ctx, pss_entry_load(ctx, pss_entry_id(e), &loaded));
    CHECK_I64(pss_entry_line_count(loaded), 6);
    fix_text ledger = {NULL, 0}, csv = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger(loaded, fix_text_write, &ledger));
    char head[256];
    snprintf(head, sizeof head, "2026-11-21 POS-0001/00001  ; session:%s, entry:%s\n",
             pss_session_id(s), pss_entry_id(e));
    CHECK(strncmp(ledger.data, head, strlen(head)) == 0);
    CHECK_SAME_TEXT(ledger.data + strlen(head),
                    "    Assets:Cash  EUR 12.00  ; Payments Cash\n"
                    "    Assets:Card  EUR 30.00  ; Payments Card\n"
                    "    Income:Sales  EUR -10.91  ; Sales VAT10\n"
                    "    Income:Sales  EUR -25.00  ; Sales VAT20\n"
                    "    Liabilities:VAT10  EUR -1.09  ; Tax VAT10\n"
                    "    Liabilities:VAT20  EUR -5.00  ; Tax VAT20\n\n");
    CHECK_OK(ctx, pss_journal_write_csv(loaded, 1, fix_text_write, &csv));
    char want[1024];
    snprintf(want, sizeof want,
             "entry_id,date,reference,account,debit,credit,currency,kind,label,method,tax\r\n"
             "%s,2026-11-21,POS-0001/00001,Assets:Cash,12.00,,EUR,payment,Payments Cash,Cash,\r\n",
             pss_entry_id(e));
    CHECK(strncmp(csv.data, want, strlen(want)) == 0);
    CHECK_CONTAINS(csv.data, ",Liabilities:VAT20,,5.00,EUR,tax,Tax VAT20,,VAT20\r\n");
    fix_text_free(&ledger);
    fix_text_free(&csv);
    pss_entry_free(loaded);
    pss_entry_free(e);
    free(lines);
    pss_session_free(s);
    stop();
}

static void refunds_and_net_zero_cash(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "wine", 1000, 1000, VAT10, 1, "Cash", 1000);
    char wine[PSS_ID_SIZE];
    memcpy(wine, last_id, sizeof wine);
    sell(s, "bread", 2000, 250, VAT10, 1, "Card", 500);
    /* the wine comes back, paid back in cash: cash nets to zero */
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input out = fix_pay("Cash", -1000);
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++counter);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.refund_of = wine;
    in.lines = &back;
    in.n_lines = 1;
    in.payments = &out;
    in.n_payments = 1;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    char *lines = close_and_lines(s, 0, &FIX_ALICE, NULL);
    CHECK_SAME_TEXT(lines, "Assets:Card | 5.00 |  | payment | Payments Card\n"
                           "Income:Sales |  | 13.64 | sales | Sales VAT10\n"
                           "Income:Sales | 9.09 |  | refund | Refunds VAT10\n"
                           "Liabilities:VAT10 |  | 1.36 | tax | Tax VAT10\n"
                           "Liabilities:VAT10 | 0.91 |  | tax_refund | Refunded tax VAT10\n");
    free(lines);
    pss_session_free(s);
    stop();
}

static void included_and_excluded_on_one_line(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "gift box", 1000, 1000, TAX7_VAT10, 2, "Voucher", 1064);
    char *lines = close_and_lines(s, 0, &FIX_ALICE, NULL);
    CHECK_SAME_TEXT(lines, "Liabilities:Vouchers | 10.64 |  | payment | Payments Voucher\n"
                           "Income:Sales |  | 9.09 | sales | Sales TAX7,VAT10\n"
                           "Liabilities:TAX7 |  | 0.64 | tax | Tax TAX7\n"
                           "Liabilities:VAT10 |  | 0.91 | tax | Tax VAT10\n");
    free(lines);
    pss_session_free(s);
    stop();
}

static void cash_rounding(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_rounding = PSS_CASH_ROUNDING_CASH;
    fo.cash_rounding_increment = 5;
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "bread", 1000, 1002, NULL, 0, "Cash", 1000); /* rounded down: 0.02 lost */
    sell(s, "milk", 1000, 1004, NULL, 0, "Cash", 1005);  /* rounded up: 0.01 gained */
    char *lines = close_and_lines(s, 2005, &FIX_ALICE, NULL);
    CHECK_SAME_TEXT(lines, "Assets:Cash | 20.05 |  | payment | Payments Cash\n"
                           "Income:Sales |  | 20.06 | sales | Sales without tax\n"
                           "Expenses:Rounding | 0.01 |  | rounding | Cash rounding\n");
    free(lines);
    pss_session_free(s);
    stop();
}

static void invoiced_order(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("laptop", 1000, 120000, VAT20, 1);
    pss_payment_input p = fix_pay("Card", 144000);
    submit(s, &l, 1, &p, 1, 1);
    sell(s, "mouse", 1000, 2000, VAT20, 1, "Card", 2400);
    char *lines = close_and_lines(s, 0, &FIX_ALICE, NULL);
    CHECK_SAME_TEXT(lines, "Assets:Card | 1464.00 |  | payment | Payments Card\n"
                           "Income:Sales |  | 20.00 | sales | Sales VAT20\n"
                           "Liabilities:VAT20 |  | 4.00 | tax | Tax VAT20\n"
                           "Assets:POS Receivable |  | 1440.00 | receivable | Invoiced orders\n");
    free(lines);
    pss_session_free(s);
    stop();
}

static void movements_and_differences(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "tea", 1000, 4000, NULL, 0, "Cash", 4000);
    struct {
        pss_cash_kind kind;
        int64_t amount;
        const char *account;
    } moves[] = {{PSS_CASH_IN, 12000, NULL}, /* a float of 100.00 and 20.00 of change */
                 {PSS_CASH_OUT, 5000, NULL},
                 {PSS_CASH_EXPENSE, 350, "Expenses:Stamps"},
                 {PSS_CASH_CORRECTION, -100, "Expenses:Cash Short"}};
    for (size_t i = 0; i < 4; i++) {
        pss_cash_input m = PSS_CASH_INPUT_INIT;
        m.kind = moves[i].kind;
        m.amount = moves[i].amount;
        m.account = moves[i].account;
        m.reason = "day";
        CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &m, NULL));
    }
    /* expected 0 + 40 + 120 - 50 - 3.50 - 1.00 = 105.50; counted 105.00: 0.50 short */
    char *lines = close_and_lines(s, 10500, &FIX_ALICE, NULL);
    CHECK_SAME_TEXT(lines, "Assets:Cash | 40.00 |  | payment | Payments Cash\n"
                           "Income:Sales |  | 40.00 | sales | Sales without tax\n"
                           "Assets:Cash | 120.00 |  | cash_in | Cash in\n"
                           "Assets:Safe |  | 120.00 | cash_in | Cash in\n"
                           "Assets:Bank Transit | 50.00 |  | cash_out | Cash out\n"
                           "Assets:Cash |  | 50.00 | cash_out | Cash out\n"
                           "Expenses:Stamps | 3.50 |  | expense | Expenses\n"
                           "Assets:Cash |  | 3.50 | expense | Expenses\n"
                           "Assets:Cash |  | 1.00 | correction | Cash correction\n"
                           "Expenses:Cash Short | 1.00 |  | correction | Cash correction\n"
                           "Assets:Cash |  | 0.50 | closing_difference | Cash difference\n"
                           "Expenses:Cash Short | 0.50 |  | closing_difference | Cash difference\n");
    free(lines);

    /* the next day opens 0.50 over what was counted, and closes 20.00 short: beyond the
     * limit, so the manager closes it */
    pss_session *next = fix_open(ctx, 10550);
    sell(next, "tea", 1000, 4000, NULL, 0, "Card", 4000);
    CHECK_OK(ctx, pss_session_start_closing(next, &FIX_ALICE));
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = 8550;
    pss_method_count card = {"Card", 4010};
    c.methods = &card;
    c.n_methods = 1;
    CHECK_OK(ctx, pss_session_count(next, &FIX_ALICE, &c));
    CHECK_RC(ctx, pss_session_close(next, &FIX_ALICE, NULL), PSS_ELIMIT);
    CHECK_OK(ctx, pss_session_close(next, &FIX_MIA, NULL));
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(next, &e));
    fix_text t = {NULL, 0};
    pss_journal_write_ledger(e, fix_text_write, &t);
    CHECK_CONTAINS(t.data, "    Assets:Card  EUR 40.00  ; Payments Card\n"
                           "    Income:Sales  EUR -40.00  ; Sales without tax\n"
                           "    Assets:Cash  EUR 0.50  ; Opening cash difference\n"
                           "    Income:Cash Over  EUR -0.50  ; Opening cash difference\n"
                           "    Assets:Cash  EUR -20.00  ; Cash difference\n"
                           "    Expenses:Cash Short  EUR 20.00  ; Cash difference\n"
                           "    Assets:Card  EUR 0.10  ; Card difference\n"
                           "    Income:Cash Over  EUR -0.10  ; Card difference\n\n");
    fix_text_free(&t);
    pss_entry_free(e);

    /* ledger for both days, and for one */
    pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write, &t);
    CHECK_CONTAINS(t.data, "2026-11-21 POS-0001/00001");
    CHECK_CONTAINS(t.data, "2026-11-21 POS-0001/00002");
    fix_text_free(&t);
    pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, "2026-11-22", NULL, fix_text_write, &t);
    CHECK(t.data == NULL);
    CHECK_RC(ctx, pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, "2026-13-01", NULL,
                                                 fix_text_write, &t), PSS_EINVAL);
    pss_session_free(next);
    pss_session_free(s);
    stop();
}

/* CSV quotes what needs quoting */
static void csv_quoting(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_cash_input m = PSS_CASH_INPUT_INIT;
    m.kind = PSS_CASH_IN;
    m.amount = 1000;
    m.account = "Equity:\"Owner\", Float";
    m.reason = "float";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &m, NULL));
    pss_entry *e = NULL;
    free(close_and_lines(s, 1000, &FIX_ALICE, &e));
    fix_text t = {NULL, 0};
    pss_journal_write_csv(e, 0, fix_text_write, &t);
    CHECK_CONTAINS(t.data, ",\"Equity:\"\"Owner\"\", Float\",,10.00,EUR,cash_in,Cash in,,\r\n");
    CHECK(strncmp(t.data, "entry_id", 8) != 0);
    fix_text_free(&t);
    pss_entry_free(e);
    pss_session_free(s);
    stop();
}

/* A test-only hook spoils one line: the close must refuse and post nothing. */
static void unbalance(struct pss_entry *e, void *userdata)
{
    (void)userdata;
    e->lines[0].debit += 1;
    e->debits += 1;
}

static void balance_guard(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "tea", 1000, 1200, NULL, 0, "Cash", 1200);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = 1200;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
    ctx->journal_hook = unbalance;
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_EUNBALANCED);
    CHECK_STR(pss_ctx_errmsg(ctx), "the journal entry of session POS-0001/00001 does not "
                                   "balance: debits 12.01, credits 12.00, difference 0.01; "
                                   "nothing was posted");
    int64_t imbalance = 0;
    CHECK_OK(ctx, pss_ctx_error_figure(ctx, "imbalance", &imbalance));
    CHECK_I64(imbalance, 1);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSING_CONTROL);
    pss_entry *e = NULL;
    CHECK_RC(ctx, pss_session_entry(s, &e), PSS_ESTATE);
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_csv_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write, &t));
    CHECK_STR(t.data, "entry_id,date,reference,account,debit,credit,currency,kind,label,method,"
                      "tax\r\n"); /* no entry */
    fix_text_free(&t);
    pss_audit *a = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), &a));
    pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
    pss_audit_get(a, pss_audit_count(a) - 1, &rec);
    CHECK_I64(rec.outcome, PSS_EUNBALANCED);
    pss_audit_free(a);
    ctx->journal_hook = NULL;
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_session_free(s);
    stop();
}

static void exponent_zero(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.currency = "JPY";
    fo.exponent = 0;
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    sell(s, "ramen", 1000, 980, VAT10, 1, "Cash", 1000);
    pss_entry *e = NULL;
    free(close_and_lines(s, 980, &FIX_ALICE, &e));
    fix_text t = {NULL, 0};
    pss_journal_write_ledger(e, fix_text_write, &t);
    CHECK_CONTAINS(t.data, "    Assets:Cash  JPY 980  ; Payments Cash\n"
                           "    Income:Sales  JPY -891  ; Sales VAT10\n"
                           "    Liabilities:VAT10  JPY -89  ; Tax VAT10\n");
    fix_text_free(&t);
    pss_entry_free(e);
    pss_session_free(s);
    stop();
}

/* A session with nothing to post closes and has its entry (no lines, total 0), but the
 * exports write no empty transaction for it: the ledger range holds only the session that
 * sold, the CSV range only its rows. */
static void nothing_to_post(void)
{
    start(NULL);
    pss_session *empty = fix_open(ctx, 0);
    pss_entry *e = NULL;
    char *lines = close_and_lines(empty, 0, &FIX_ALICE, &e);
    CHECK_STR(lines, "");
    CHECK_I64(pss_entry_line_count(e), 0);
    CHECK_I64(pss_entry_total(e), 0);
    CHECK_STR(pss_entry_reference(e), "POS-0001/00001");
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger(e, fix_text_write, &t));
    CHECK(t.data == NULL);
    CHECK_OK(ctx, pss_journal_write_csv(e, 1, fix_text_write, &t));
    CHECK_STR(t.data, "entry_id,date,reference,account,debit,credit,currency,kind,label,"
                      "method,tax\r\n");
    fix_text_free(&t);
    pss_entry_free(e);
    free(lines);
    pss_session *sold = fix_open(ctx, 0);
    sell(sold, "tea", 1000, 400, NULL, 0, "Card", 400);
    free(close_and_lines(sold, 0, &FIX_ALICE, NULL));
    CHECK_OK(ctx, pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write,
                                                 &t));
    CHECK(t.data && !strstr(t.data, "POS-0001/00001"));
    CHECK(t.data && strstr(t.data, "2026-11-21 POS-0001/00002"));
    CHECK_I64(t.data ? (int64_t)(strstr(t.data, "\n\n") - t.data + 2) : 0, (int64_t)t.len);
    fix_text_free(&t);
    CHECK_OK(ctx, pss_journal_write_csv_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write,
                                              &t));
    CHECK(t.data && !strstr(t.data, "POS-0001/00001"));
    CHECK_CONTAINS(t.data, ",POS-0001/00002,Assets:Card,4.00,,EUR,payment,");
    fix_text_free(&t);
    pss_session_free(sold);
    pss_session_free(empty);
    stop();
}

int main(void)
{
    nothing_to_post();
    cash_and_card_day();
    refunds_and_net_zero_cash();
    included_and_excluded_on_one_line();
    cash_rounding();
    invoiced_order();
    movements_and_differences();
    csv_quoting();
    balance_guard();
    exponent_zero();
    return check_done();
}
