/* chain_register.c: one register of a shop on the chain's PostgreSQL database: its config
 * (saved once, by whichever register starts first), a session opened with the float, a run
 * of orders in cash and by card submitted as a till syncing them would, cash to the safe,
 * the drawer counted, the close, and the closing report printed. Four of these at once on
 * one database is what examples/run-chain.sh shows; each waits only on its own rows.
 *
 *   chain_register CONNINFO REGISTER [ORDERS]   (REGISTER 1..99, ORDERS default 40)
 */
#include <possession.h>
#include <possession/pg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pss_actor MANAGER = {PSS_ACTOR_VERSION, "joost", PSS_ROLE_MANAGER, "office"};

static int fail(pss_ctx *ctx, const char *what)
{
    fprintf(stderr, "chain_register: %s: %s (%s)\n", what, pss_ctx_errmsg(ctx),
            pss_strerror(pss_ctx_errcode(ctx)));
    return 1;
}

static int print_out(void *userdata, const char *data, size_t len)
{
    (void)userdata;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* Register n of the shop: its own config, so that registers never share a session. */
static int save_config(pss_ctx *ctx, const char *id, int n)
{
    char name[64], code[16];
    snprintf(name, sizeof name, "Shop Centrum, register %d", n);
    snprintf(code, sizeof code, "CTR-%02d", n);
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = id;
    in.name = name;
    in.code = code;
    in.currency = "EUR";
    in.max_difference = 500;
    in.income_account = "Income:Sales";
    in.receivable_account = "Assets:POS Receivable";
    in.difference_gain_account = "Income:Cash Over";
    in.difference_loss_account = "Expenses:Cash Short";
    in.cash_in_account = "Assets:Safe";
    in.cash_out_account = "Assets:Safe";
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0};
    pss_method_input card = {PSS_METHOD_INPUT_VERSION, "Card", PSS_METHOD_CARD, "Assets:Card", 0};
    pss_tax_input vat = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT9", .name = "VAT 9%",
                         .rate_ppm = 90000, .included = 1, .account = "Liabilities:VAT9"};
    pss_config *c = NULL;
    int rc = pss_config_new(ctx, &in, &c);
    if (!rc)
        rc = pss_config_add_method(c, &cash) || pss_config_add_method(c, &card) ||
             pss_config_add_tax(c, &vat) ? pss_ctx_errcode(ctx) : 0;
    if (!rc)
        rc = pss_config_save(c, &MANAGER);
    pss_config_free(c);
    return rc;
}

static const char *const VAT9[] = {"VAT9"};

/* Order i of register n: one to three lines, cash or card, paid in full. */
static int submit(pss_session *s, const pss_actor *cashier, int n, int i)
{
    static const char *const products[] = {"bread", "coffee", "cake", "juice"};
    static const int64_t prices[] = {320, 290, 395, 250};
    pss_line_input lines[3];
    int64_t total = 0;
    size_t count = 1 + (size_t)(i % 3);
    for (size_t k = 0; k < count; k++) {
        pss_line_input l = PSS_LINE_INPUT_INIT;
        l.product_id = products[(i + (int)k) % 4];
        l.product_name = l.product_id;
        l.quantity = 1000;
        l.unit_price = prices[(i + (int)k) % 4];
        l.taxes = VAT9;
        l.n_taxes = 1;
        lines[k] = l;
        total += l.unit_price;
    }
    pss_payment_input pay = PSS_PAYMENT_INPUT_INIT;
    pay.method = i % 2 ? "Card" : "Cash";
    pay.amount = total;
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "0c4a1000-%04x-4000-8000-%012x", n, i);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = count;
    in.payments = &pay;
    in.n_payments = 1;
    return pss_session_submit(s, cashier, &in, NULL);
}

static int close_and_report(pss_ctx *ctx, pss_session *s, const pss_actor *cashier)
{
    pss_cash_input out = PSS_CASH_INPUT_INIT;
    out.kind = PSS_CASH_OUT;
    out.amount = 2000;
    out.reason = "to the safe";
    int64_t expected = 0;
    if (pss_cash_move(s, cashier, &out, NULL) || pss_session_expected_cash(s, &expected) ||
        pss_session_start_closing(s, cashier))
        return fail(ctx, "closing");
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = expected - 10; /* ten cents short: within the allowed 5.00 */
    if (pss_session_count(s, cashier, &count) || pss_session_close(s, cashier, NULL))
        return fail(ctx, "close");
    pss_report *report = NULL;
    int rc = pss_session_report(s, &report);
    if (!rc)
        rc = pss_report_write_text(report, print_out, NULL);
    pss_report_free(report);
    return rc ? fail(ctx, "report") : 0;
}

static int run(pss_ctx *ctx, int n, int orders)
{
    char config_id[PSS_ID_SIZE], user[16], device[16];
    snprintf(config_id, sizeof config_id, "c4a10000-0000-4000-8000-%012d", n);
    snprintf(user, sizeof user, "cashier%d", n);
    snprintf(device, sizeof device, "register-%d", n);
    pss_actor cashier = {PSS_ACTOR_VERSION, user, PSS_ROLE_CASHIER, device};
    if (save_config(ctx, config_id, n))
        return fail(ctx, "config");
    pss_session *s = NULL;
    pss_opening_input open = PSS_OPENING_INPUT_INIT;
    open.counted_cash = 10000;
    if (pss_session_create(ctx, config_id, &cashier, NULL, &s) ||
        pss_session_open(s, &cashier, &open)) {
        pss_session_free(s);
        return fail(ctx, "open");
    }
    int rc = 0;
    for (int i = 1; i <= orders && !rc; i++)
        rc = submit(s, &cashier, n, i) ? fail(ctx, "submit") : 0;
    if (!rc)
        rc = close_and_report(ctx, s, &cashier);
    pss_session_free(s);
    return rc;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 0, orders = argc > 3 ? atoi(argv[3]) : 40;
    if (argc < 3 || n < 1 || n > 99 || orders < 1) {
        fprintf(stderr, "usage: chain_register CONNINFO REGISTER(1..99) [ORDERS]\n");
        return 2;
    }
    pss_ctx *ctx = NULL;
    pss_storage *store = NULL;
    if (pss_ctx_new(&ctx, NULL))
        return 1;
    int rc = pss_pg_open(ctx, argv[1], NULL, &store) || pss_ctx_set_storage(ctx, store)
                 ? fail(ctx, "store")
                 : run(ctx, n, orders);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return rc;
}
