/* hledger_scenario.c: three sessions over two days (cash, card and voucher, included and
 * excluded taxes, a refund, cash movements, cash rounding, an invoiced order, opening and
 * closing differences) written as a ledger journal, next to the library's own balance per
 * account. tests/core/hledger_check.py feeds the journal to hledger and compares. */
#include "fixture.h"

static pss_ctx *ctx;
static int counter;

static const char *VAT10[] = {"VAT10"};
static const char *VAT20[] = {"VAT20"};
static const char *BOTH[] = {"TAX7", "VAT10"};

typedef struct balance {
    char account[128];
    int64_t amount;
} balance;

static balance balances[64];
static int n_balances;

static void add_balance(const char *account, int64_t amount)
{
    for (int i = 0; i < n_balances; i++) {
        if (strcmp(balances[i].account, account) == 0) {
            balances[i].amount += amount;
            return;
        }
    }
    snprintf(balances[n_balances].account, sizeof balances[0].account, "%s", account);
    balances[n_balances++].amount = amount;
}

static void order(pss_session *s, pss_line_input *lines, size_t n, pss_payment_input *pays,
                  size_t n_pays, const char *refund_of, int invoiced, char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "00000000-0000-4000-8000-%012d", ++counter);
    for (size_t i = 0; i < n_pays; i++)
        pays[i].state = PSS_PAYMENT_DONE;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    in.payments = pays;
    in.n_payments = n_pays;
    in.refund_of = refund_of;
    in.invoiced = invoiced;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &res));
    CHECK_I64(res.state, PSS_ORDER_PAID);
}

static void close_session(pss_session *s, int64_t counted, const pss_actor *closer)
{
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = counted;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
    CHECK_OK(ctx, pss_session_close(s, closer, NULL));
    CHECK_OK(ctx, pss_session_verify(s));
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(s, &e));
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        add_balance(l.account, l.debit - l.credit);
    }
    pss_entry_free(e);
}

static void move(pss_session *s, pss_cash_kind kind, int64_t amount, const char *account)
{
    pss_cash_input m = PSS_CASH_INPUT_INIT;
    m.kind = kind;
    m.amount = amount;
    m.account = account;
    m.reason = "scenario";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &m, NULL));
}

static void day_one(void)
{
    char id[PSS_ID_SIZE], sale[PSS_ID_SIZE];
    pss_session *s = fix_open(ctx, 0);
    move(s, PSS_CASH_IN, 20000, NULL);
    pss_line_input l1[2] = {fix_line("wine", 2000, 1295, VAT10, 1),
                            fix_line("cheese", 1250, 1999, VAT20, 1)};
    pss_payment_input p1[2] = {fix_pay("Card", 2000), fix_pay("Cash", 5000)};
    order(s, l1, 2, p1, 2, NULL, 0, sale);
    pss_line_input l2 = fix_line("gift box", 1000, 1000, BOTH, 2);
    pss_payment_input p2 = fix_pay("Voucher", 1064);
    order(s, &l2, 1, &p2, 1, NULL, 0, id);
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input p3 = fix_pay("Cash", -1295);
    order(s, &back, 1, &p3, 1, sale, 0, id);
    pss_line_input l4 = fix_line("bread", 1000, 1003, NULL, 0);
    pss_payment_input p4 = fix_pay("Cash", 1005); /* 0.05 rounding: due 10.05 */
    order(s, &l4, 1, &p4, 1, NULL, 0, id);
    move(s, PSS_CASH_EXPENSE, 425, NULL);
    move(s, PSS_CASH_OUT, 10000, NULL);
    int64_t expected;
    pss_session_expected_cash(s, &expected);
    close_session(s, expected - 75, &FIX_ALICE); /* 0.75 short */
    pss_session_free(s);
}

static void day_two(void)
{
    char id[PSS_ID_SIZE];
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-22";
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    int64_t expected_open;
    pss_session_opening(s, &expected_open, NULL);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = expected_open + 100; /* an opening difference */
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    pss_line_input l1 = fix_line("laptop", 1000, 89900, VAT20, 1);
    pss_payment_input p1 = fix_pay("Card", 107880);
    order(s, &l1, 1, &p1, 1, NULL, 1, id); /* invoiced by the ERP */
    pss_line_input l2[3] = {fix_line("pen", 3000, 199, VAT20, 1), fix_line("pad", 2000, 349, VAT20, 1),
                            fix_line("ink", 1000, 1250, VAT10, 1)};
    pss_payment_input p2 = fix_pay("Cash", 5000);
    order(s, l2, 3, &p2, 1, NULL, 0, id);
    move(s, PSS_CASH_CORRECTION, 50, "Income:Cash Over");
    /* names hledger must read as given: brackets inside, symbols, single spaces, UTF-8 */
    move(s, PSS_CASH_OUT, 1000, "Assets:Safe (back office)");
    move(s, PSS_CASH_EXPENSE, 300, "Expenses:Café & Bar #2 [fees]");
    move(s, PSS_CASH_CORRECTION, -25, "Income:Over/Short 100% = *ok*");
    int64_t expected;
    pss_session_expected_cash(s, &expected);
    close_session(s, expected - 2500, &FIX_MIA); /* beyond the limit: the manager closes */
    pss_session_free(s);
    /* a third session the same day, closed even */
    s = fix_open(ctx, expected - 2500);
    pss_line_input l3 = fix_line("tea", 1000, 450, VAT10, 1);
    pss_payment_input p3 = fix_pay("Card", 450);
    order(s, &l3, 1, &p3, 1, NULL, 0, id);
    pss_session_expected_cash(s, &expected);
    close_session(s, expected, &FIX_ALICE);
    pss_session_free(s);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text ? text : "", f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s journal-file balances-file\n", argv[0]);
        return 2;
    }
    pss_storage *store;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_rounding = PSS_CASH_ROUNDING_CASH;
    fo.cash_rounding_increment = 5;
    fix_save_config(ctx, &fo);
    day_one();
    day_two();
    fix_text journal = {NULL, 0}, table = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, "2026-11-01", "2026-11-30",
                                                 fix_text_write, &journal));
    for (int i = 0; i < n_balances; i++) {
        char amount[PSS_MONEY_BUFSIZE], row[512];
        pss_money_format(balances[i].amount, 2, amount, sizeof amount);
        snprintf(row, sizeof row, "%.127s\t%.31s\n", balances[i].account, amount);
        fix_text_write(&table, row, strlen(row));
    }
    CHECK(write_file(argv[1], journal.data) == 0);
    CHECK(write_file(argv[2], table.data) == 0);
    CHECK(n_balances > 12);
    fix_text_free(&journal);
    fix_text_free(&table);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return check_done();
}
