/* shift.c: a day at a café till on the embedded SQLite store: open the session with the
 * counted float, ring up a few dozen orders in cash and by card, refund one, take cash to
 * the safe, count the drawer (a little short), close, and print the closing report and the
 * journal entry in ledger format. Run it again and the next session expects the cash this
 * one counted.
 *
 *   shift [database]        (default: shift.db in the current directory)
 */
#include <possession.h>
#include <possession/sqlite.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_ID "c0ffee00-0000-4000-8000-000000000001"

static const pss_actor CASHIER = {PSS_ACTOR_VERSION, "sanne", PSS_ROLE_CASHIER, "till-1"};
static const pss_actor MANAGER = {PSS_ACTOR_VERSION, "joost", PSS_ROLE_MANAGER, "office"};

static int fail(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "shift: %s: %s (%s)\n", what, pss_ctx_errmsg(ctx),
            pss_strerror(pss_ctx_errcode(ctx)));
    return 1;
}

static int print_out(void *userdata, const char *data, size_t len)
{
    (void)userdata;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* ---- the register ---- */

typedef struct product {
    const char *id, *name, *category, *tax;
    int64_t price; /* cents, VAT included */
} product;

static const product menu[] = {
    {"P-CRO", "Croissant", "bakery", "VAT9", 185},  {"P-APP", "Appeltaart", "bakery", "VAT9", 395},
    {"P-STR", "Stroopwafel", "bakery", "VAT9", 137}, {"P-BRD", "Sourdough loaf", "bakery", "VAT9", 520},
    {"P-KOF", "Koffie", "drinks", "VAT9", 290},      {"P-CAP", "Cappuccino", "drinks", "VAT9", 365},
    {"P-THE", "Verse muntthee", "drinks", "VAT9", 340}, {"P-MUG", "Café mug", "shop", "VAT21", 1295},
};
#define MENU_SIZE (sizeof menu / sizeof menu[0])

/* A Dutch café: prices include VAT, cash is rounded to 0.05, the drawer may be 5.00 off. */
static int make_config(pss_ctx *ctx)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = CONFIG_ID;
    in.name = "Café De Gouden Lepel, till 1";
    in.code = "LEPEL-1";
    in.currency = "EUR";
    in.max_difference = 500;
    in.cash_rounding = PSS_CASH_ROUNDING_CASH;
    in.cash_rounding_increment = 5;
    in.income_account = "Income:Other";
    in.receivable_account = "Assets:Receivable:POS";
    in.difference_gain_account = "Income:Cash Over";
    in.difference_loss_account = "Expenses:Cash Short";
    in.cash_in_account = "Assets:Safe";
    in.cash_out_account = "Assets:Safe";
    in.expense_account = "Expenses:Petty Cash";
    in.rounding_gain_account = "Income:Cash Rounding";
    in.rounding_loss_account = "Expenses:Cash Rounding";
    pss_config *c = NULL;
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "Assets:Cash:Till 1", 0};
    pss_method_input pin = {PSS_METHOD_INPUT_VERSION, "PIN", PSS_METHOD_CARD, "Assets:Card Clearing", 1};
    pss_tax_input vat9 = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT9", .name = "BTW 9%", .rate_ppm = 90000,
                           .included = 1, .account = "Liabilities:VAT 9"};
    pss_tax_input vat21 = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT21", .name = "BTW 21%", .rate_ppm = 210000,
                           .included = 1, .account = "Liabilities:VAT 21"};
    static const int64_t coins[] = {5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    int rc = pss_config_new(ctx, &in, &c);
    if (!rc)
        rc = pss_config_add_method(c, &cash) || pss_config_add_method(c, &pin) ||
             pss_config_add_tax(c, &vat9) || pss_config_add_tax(c, &vat21) ||
             pss_config_add_category(c, "bakery", "Income:Bakery") ||
             pss_config_add_category(c, "drinks", "Income:Drinks") ||
             pss_config_add_category(c, "shop", "Income:Shop");
    for (size_t i = 0; !rc && i < sizeof coins / sizeof coins[0]; i++)
        rc = pss_config_add_denomination(c, coins[i]);
    if (!rc)
        rc = pss_config_save(c, &MANAGER);
    pss_config_free(c);
    return rc;
}

/* The config is stored once; later runs find it. */
static int ensure_config(pss_ctx *ctx)
{
    pss_config *c = NULL;
    int rc = pss_config_load(ctx, CONFIG_ID, &c);
    pss_config_free(c);
    return rc == PSS_ENOTFOUND ? make_config(ctx) : rc;
}

/* ---- the shift ---- */

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* What a customer hands over for `due` cents: exact, or the next note up. */
static int64_t tendered(int64_t due, unsigned *seed)
{
    static const int64_t notes[] = {500, 1000, 2000, 5000};
    if (next_random(seed) % 3 == 0)
        return due;
    for (size_t i = 0; i < 4; i++)
        if (notes[i] >= due)
            return notes[i];
    return due;
}

static int ring_up(pss_session *s, unsigned *seed, char first_order[PSS_ID_SIZE], bool rounding)
{
    pss_line_input lines[4];
    const char *taxes[4][1];
    size_t n = rounding ? 1 : 1 + next_random(seed) % 4;
    for (size_t i = 0; i < n; i++) {
        /* the day's first customer buys two stroopwafels (2.74) with a 5-euro note: the
         * cash due is rounded to 2.75 */
        const product *p = rounding ? &menu[2] : &menu[next_random(seed) % MENU_SIZE];
        taxes[i][0] = p->tax;
        lines[i] = (pss_line_input)PSS_LINE_INPUT_INIT;
        lines[i].product_id = p->id;
        lines[i].product_name = p->name;
        lines[i].category = p->category;
        lines[i].quantity = rounding ? 2000 : 1000 * (1 + (int64_t)(next_random(seed) % 2));
        lines[i].unit_price = p->price;
        lines[i].taxes = taxes[i];
        lines[i].n_taxes = 1;
    }
    char id[PSS_ID_SIZE];
    pss_id_generate(id);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    int rc = pss_order_create(s, &CASHIER, &in, &o);
    if (rc)
        return rc;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
    bool by_card = !rounding && next_random(seed) % 5 < 2;
    pay.method = by_card ? "PIN" : "Cash";
    /* cash settles the cash due: what is left, rounded to 0.05 */
    pay.amount = by_card ? t.total : rounding ? 500 : tendered(t.cash_due, seed);
    rc = pss_order_add_payment(o, &CASHIER, &pay, NULL);
    if (!rc && by_card) /* the terminal approves */
        rc = pss_order_confirm_payment(o, &CASHIER, 0);
    if (!rc && first_order[0] == '\0' && !by_card)
        memcpy(first_order, id, PSS_ID_SIZE);
    pss_order_free(o);
    return rc;
}

/* The customer of the first cash order brings one item back. */
static int refund_one(pss_session *s, const char *order_id)
{
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    char id[PSS_ID_SIZE];
    pss_id_generate(id);
    in.id = id;
    in.refund_of = order_id;
    in.lines = &back;
    in.n_lines = 1;
    pss_order *o = NULL;
    int rc = pss_order_create(s, &CASHIER, &in, &o);
    if (rc)
        return rc;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
    pay.method = "Cash";
    pay.amount = t.cash_due; /* paid back rounded to 0.05, like cash taken in */
    rc = pss_order_add_payment(o, &CASHIER, &pay, NULL);
    pss_order_free(o);
    return rc;
}

static int to_the_safe(pss_session *s, int64_t amount)
{
    pss_cash_input out = PSS_CASH_INPUT_INIT;
    out.kind = PSS_CASH_OUT;
    out.amount = amount;
    out.reason = "Midday drop to the safe";
    return pss_cash_move(s, &CASHIER, &out, NULL);
}

/* Counts `amount` back as notes and coins, the way a cashier would. */
static int count_drawer(pss_session *s, int64_t amount)
{
    static const int64_t values[] = {5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5};
    pss_denomination_count counts[10];
    size_t n = 0;
    for (size_t i = 0; i < 10; i++) {
        if (amount >= values[i]) {
            counts[n].value = values[i];
            counts[n].count = amount / values[i];
            amount %= values[i];
            n++;
        }
    }
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.denominations = counts;
    c.n_denominations = n;
    c.note = "Counted by Sanne";
    return pss_session_count(s, &CASHIER, &c);
}

static int open_session(pss_ctx *ctx, pss_session **s)
{
    int rc = pss_session_create(ctx, CONFIG_ID, &CASHIER, NULL, s);
    if (rc)
        return rc;
    int64_t expected;
    pss_session_opening(*s, &expected, NULL);
    char buf[PSS_MONEY_BUFSIZE];
    pss_money_format(expected, 2, buf, sizeof buf);
    printf("Opening %s: the drawer should hold %s (the last closing count)\n",
           pss_session_name(*s), buf);
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    open.counted_cash = expected > 0 ? expected : 15000; /* the first day: a 150.00 float */
    open.note = expected > 0 ? "Float as counted last night" : "First float";
    if (expected == 0) {
        /* a new till is funded from the safe, not by an opening difference */
        open.counted_cash = 0;
        if ((rc = pss_session_open(*s, &CASHIER, &open)))
            return rc;
        pss_cash_input in = PSS_CASH_INPUT_INIT;
        in.kind = PSS_CASH_IN;
        in.amount = 15000;
        in.reason = "Float for the new till";
        return pss_cash_move(*s, &CASHIER, &in, NULL);
    }
    return pss_session_open(*s, &CASHIER, &open);
}

static int run_shift(pss_ctx *ctx, pss_session *s)
{
    /* a fixed seed: every run rings up the same shift, so its figures (and the rounding the
     * cash orders add up to) can be checked */
    unsigned seed = 20261121u;
    char first_cash[PSS_ID_SIZE] = "";
    int rc = 0;
    for (int i = 0; !rc && i < 36; i++) {
        rc = ring_up(s, &seed, first_cash, i == 0);
        if (!rc && i == 12)
            rc = refund_one(s, first_cash);
        if (!rc && i == 20)
            rc = to_the_safe(s, 10000);
    }
    return rc ? fail(ctx, "ringing up") : 0;
}

static int close_shift(pss_ctx *ctx, pss_session *s)
{
    int64_t expected;
    int rc = pss_session_start_closing(s, &CASHIER);
    if (!rc)
        rc = pss_session_expected_cash(s, &expected);
    if (!rc)
        rc = count_drawer(s, expected - 30); /* thirty cents short */
    if (!rc) {
        pss_close_input close = PSS_CLOSE_INPUT_INIT;
        close.note = "Quiet afternoon";
        rc = pss_session_close(s, &CASHIER, &close);
    }
    return rc ? fail(ctx, "closing") : 0;
}

static int print_results(pss_ctx *ctx, pss_session *s)
{
    pss_report *report = NULL;
    pss_entry *entry = NULL;
    int rc = pss_session_report(s, &report);
    if (!rc) {
        printf("\n");
        rc = pss_report_write_text(report, print_out, NULL);
    }
    if (!rc)
        rc = pss_session_entry(s, &entry);
    if (!rc) {
        printf("\nJournal entry (ledger format):\n\n");
        rc = pss_journal_write_ledger(entry, print_out, NULL);
    }
    pss_entry_free(entry);
    pss_report_free(report);
    return rc ? fail(ctx, "printing") : 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "shift.db";
    pss_ctx *ctx = NULL;
    pss_storage *store = NULL;
    pss_session *s = NULL;
    if (pss_ctx_new(&ctx, NULL) != 0)
        return 1;
    int rc = pss_sqlite_open(ctx, path, NULL, &store) ? fail(ctx, path) : 0;
    if (!rc && pss_ctx_set_storage(ctx, store))
        rc = fail(ctx, "store");
    if (!rc && ensure_config(ctx))
        rc = fail(ctx, "config");
    if (!rc && open_session(ctx, &s))
        rc = fail(ctx, "opening");
    if (!rc)
        rc = run_shift(ctx, s);
    if (!rc)
        rc = close_shift(ctx, s);
    if (!rc)
        rc = print_results(ctx, s);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return rc;
}
