/* sqlite-views.c: doc/sql/sqlite-views.sql on a file the library wrote: every order's head,
 * lines, taxes and payments as the views give them must be the figures the library's getters
 * give, for orders of version 4 (sales with taxes included and on top, a discount, a
 * category, change, a refund, a draft with a pending payment, a cancelled order, an order
 * discount, a customer, a tax with its own snapshot) and for records of versions 3 and 1
 * that an older library wrote.
 * Usage: sqlite-views FILE VIEWS_SQL (the file and its -wal and -shm are deleted first). */
#include "possession/sqlite.h"

#include "fixture.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <unistd.h>

static pss_ctx *ctx;
static pss_storage *store;
static pss_session *session;
static sqlite3 *db;

static const char *const VAT10[] = {"VAT10"};
static const char *const VAT20[] = {"VAT20"};
static const char *const BOTH[] = {"VAT10", "VAT20"};

#define SALE "00000000-0000-4000-8000-0000000000a1"
#define REFUND "00000000-0000-4000-8000-0000000000a2"
#define DRAFT "00000000-0000-4000-8000-0000000000a3"
#define CANCELLED "00000000-0000-4000-8000-0000000000a4"
#define DISCOUNTED "00000000-0000-4000-8000-0000000000a5"
#define OWN_SNAPSHOT "00000000-0000-4000-8000-0000000000a6"
#define V3 "00000000-0000-4000-8000-0000000000a7"
#define V1 "00000000-0000-4000-8000-0000000000a8"

/* ---- the orders ---- */

static void sale_and_refund(void)
{
    pss_line_input l[4] = {fix_line("cake", 2000, 325, VAT10, 1),
                           fix_line("tea", 1000, 180, NULL, 0),
                           fix_line("cheese", 1250, 333, VAT20, 1),
                           fix_line("mug", 1000, 1250, BOTH, 2)};
    l[1].product_name = "Tea \"Earl Grey\"";
    l[1].category = "books";
    l[2].product_name = "Comté";
    l[2].discount_ppm = 100000;
    pss_payment_input cash = fix_pay("Cash", 3000);
    pss_order_input in = fix_order(SALE, l, &cash);
    in.n_lines = 4;
    in.note = "table 4";
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, NULL));
    pss_line_input back[2] = {PSS_LINE_INPUT_INIT, PSS_LINE_INPUT_INIT};
    back[0].refund_line = 2;
    back[0].quantity = -1250;
    back[1].refund_line = 0;
    back[1].quantity = -1000;
    pss_payment_input repay = fix_pay("Cash", -774);
    pss_order_input r = fix_order(REFUND, back, &repay);
    r.n_lines = 2;
    r.refund_of = SALE;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &r, NULL));
}

static void draft_and_cancelled(void)
{
    pss_line_input l = fix_line("pie", 1500, 401, VAT20, 1);
    pss_order_input in = fix_order(DRAFT, &l, NULL);
    pss_order *o = NULL;
    fix_advance(60000);
    CHECK_OK(ctx, pss_order_create(session, &FIX_ALICE, &in, &o));
    pss_payment_input card = fix_pay("Card", 722);
    card.reference = "T-9";
    fix_advance(5000);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    pss_order_free(o);
    in.id = CANCELLED;
    CHECK_OK(ctx, pss_order_create(session, &FIX_ALICE, &in, &o));
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_MIA, "wrong table"));
    pss_order_free(o);
}

static void discounted(void)
{
    pss_line_input l[2] = {fix_line("desk", 1000, 12000, VAT20, 1),
                           fix_line("lamp", 2000, 2500, VAT10, 1)};
    pss_payment_input voucher = fix_pay("Voucher", 0);
    pss_order_input in = fix_order(DISCOUNTED, l, NULL);
    in.n_lines = 2;
    in.discount_amount = 1500;
    in.customer = "C-1042";
    in.invoiced = 1;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(session, &FIX_ALICE, &in, &o));
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    CHECK_OK(ctx, pss_order_get_totals(o, &t));
    voucher.amount = t.due;
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &voucher, NULL));
    pss_order_free(o);
}

/* Records put behind the library's back, as a store holds them. They are numbered in turn
 * after the library's own five: a session's orders are gapless, and a load counts the ones
 * its record does not (a submit leaves the record of a trading session as it is). */
static void put(const char *id, const char *payload)
{
    pss_record rec = {"order", id, pss_session_id(session), 0, payload, strlen(payload)};
    uint64_t rev;
    CHECK_I64(store->begin(store->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(store->put(store->userdata, &rec, 0, &rev), 0);
    CHECK_I64(store->commit(store->userdata), 0);
}

static void written_elsewhere(void)
{
    char text[4096];
    /* a line made under an older rate carries its own snapshot */
    put(OWN_SNAPSHOT,
        "{\"v\":4,\"no\":6,\"at\":1795248000000,\"by\":\"alice\",\"income\":\"Income:Sales\","
        "\"taxes\":{\"VAT10\":[100000,true,\"Liabilities:VAT10\"]},\"lines\":["
        "[\"cake\",1000,110,[[\"VAT10\",10]]],"
        "[\"cake\",1000,105,[[\"VAT10\",5,50000,true,\"Liabilities:Old\"]],103,null,null,20000],"
        "[\"tea\",1000,180,[],null,\"Tea\",\"Income:Books\",null,null,null,\"books\"]],"
        "\"payments\":[[\"Cash\",true,500,null,null,107]]}");
    snprintf(text, sizeof text,
             "{\"v\":3,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":7,"
             "\"state\":\"paid\",\"customer\":\"C-7\",\"created_at\":1795248000000,"
             "\"created_by\":\"bob\",\"paid_at\":1795248060000,"
             "\"input_hash\":\"2:32dad9b7e9ee2c9f\","
             "\"taxes\":{\"VAT20\":{\"rate_ppm\":200000,\"included\":false,"
             "\"account\":\"Liabilities:VAT20\"}},\"lines\":[{\"product\":\"pen\",\"name\":\"Pen\","
             "\"income_account\":\"Income:Sales\",\"qty\":2000,\"price\":150,"
             "\"discount_ppm\":250000,"
             "\"taxes\":[{\"code\":\"VAT20\",\"amount\":45}],\"amount\":225,\"untaxed\":225,"
             "\"tax\":45,\"total\":270}],\"payments\":[{\"method\":\"Cash\",\"cash\":true,"
             "\"amount\":300,\"state\":\"done\",\"change\":30,\"at\":1795248060000}],"
             "\"groups\":[{\"account\":\"Income:Sales\",\"taxes\":\"VAT20\",\"amount\":225,"
             "\"untaxed\":225,\"tax\":45,\"tax_lines\":[{\"code\":\"VAT20\",\"base\":225,"
             "\"amount\":45}]}],\"totals\":{\"untaxed\":225,\"tax\":45,\"total\":270}}",
             V3, pss_session_id(session), FIX_CONFIG_ID);
    put(V3, text);
    snprintf(text, sizeof text,
             "{\"v\":1,\"id\":\"%s\",\"session\":\"%s\",\"config\":\"%s\",\"number\":8,"
             "\"state\":\"paid\",\"invoiced\":false,\"created_at\":1795248000000,"
             "\"created_by\":\"alice\",\"paid_at\":1795248000000,\"lines\":[{\"product\":\"cake\","
             "\"name\":\"cake\",\"income_account\":\"Income:Sales\",\"qty\":2000,\"price\":325,"
             "\"discount_ppm\":0,\"taxes\":[{\"code\":\"VAT10\",\"rate_ppm\":100000,"
             "\"included\":true,\"account\":\"Liabilities:VAT10\",\"amount\":59}],\"amount\":650,"
             "\"untaxed\":591,\"tax\":59,\"total\":650}],\"payments\":[{\"method\":\"Card\","
             "\"cash\":false,\"amount\":650,\"state\":\"done\",\"change\":0,\"at\":1795248000000}],"
             "\"groups\":[{\"account\":\"Income:Sales\",\"taxes\":\"VAT10\",\"amount\":650,"
             "\"untaxed\":591,\"tax\":59,\"tax_lines\":[{\"code\":\"VAT10\","
             "\"account\":\"Liabilities:VAT10\",\"rate_ppm\":100000,\"included\":true,"
             "\"base\":591,\"amount\":59}]}],\"totals\":{\"untaxed\":591,\"tax\":59,\"total\":650,"
             "\"rounding\":0}}",
             V1, pss_session_id(session), FIX_CONFIG_ID);
    put(V1, text);
}

/* ---- the views against the getters ---- */

/* The rows of a query with one parameter, columns joined by '|', rows ended by '\n'
 * (NULL as "-"). */
static void rows(const char *query, const char *id, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, query, -1, &st, NULL);
    CHECK_I64(rc, SQLITE_OK);
    if (rc != SQLITE_OK) {
        printf("# %s\n", sqlite3_errmsg(db));
        return;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *v = sqlite3_column_text(st, c);
            bool last = c + 1 == sqlite3_column_count(st);
            n += (size_t)snprintf(out + n, size - n, "%s%s", v ? (const char *)v : "-",
                                  last ? "\n" : "|");
        }
    sqlite3_finalize(st);
}

static size_t add(char *out, size_t size, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out + n, size - n, fmt, ap);
    va_end(ap);
    return n + (k > 0 ? (size_t)k : 0);
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

static void check_head(const pss_order *o)
{
    char want[512], got[512];
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    CHECK_OK(ctx, pss_order_get_totals(o, &t));
    snprintf(want, sizeof want, "%s|%lld|%s|%d|%s|%s|%lld|%lld|%lld|%lld\n",
             pss_order_session_id(o), (long long)pss_order_number(o),
             pss_order_state_name(pss_order_state_of(o)),
             pss_order_is_invoiced(o), or_dash(pss_order_refund_of(o)),
             or_dash(pss_order_customer(o)), (long long)t.untaxed, (long long)t.tax,
             (long long)t.total, (long long)t.rounding);
    rows("SELECT session_id, number, state, invoiced, refund_of, customer, untaxed, tax, total, "
         "rounding FROM pss_orders WHERE id = ?1", pss_order_id(o), got, sizeof got);
    CHECK_STR(got, want);
}

static void check_lines(const pss_order *o)
{
    char want[4096], got[4096];
    size_t n = 0;
    for (size_t i = 0; i < pss_order_line_count(o); i++) {
        pss_line_info l = PSS_LINE_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_line(o, i, &l));
        char refunds[24] = "-";
        if (l.refund_line >= 0)
            snprintf(refunds, sizeof refunds, "%lld", (long long)l.refund_line);
        n = add(want, sizeof want, n, "%zu|%s|%s|%s|%s|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%s\n",
                i, l.product_id, l.product_name, or_dash(l.category), l.income_account,
                (long long)l.quantity, (long long)l.unit_price, (long long)l.discount_ppm,
                (long long)pss_order_line_discount_share(o, i), (long long)l.untaxed,
                (long long)l.tax, (long long)l.total, refunds);
    }
    rows("SELECT line, product, name, category, income_account, qty, price, discount_ppm, "
         "order_discount, untaxed, tax, total, refund_line FROM pss_order_lines "
         "WHERE order_id = ?1 ORDER BY line", pss_order_id(o), got, sizeof got);
    CHECK_SAME_TEXT(got, want);
    n = 0;
    for (size_t i = 0; i < pss_order_line_count(o); i++) {
        pss_line_info l = PSS_LINE_INFO_INIT;
        pss_order_get_line(o, i, &l);
        for (size_t k = 0; k < l.n_taxes; k++)
            n = add(want, sizeof want, n, "%zu|%zu|%s\n", i, k, pss_order_line_tax(o, i, k));
    }
    want[n] = '\0';
    rows("SELECT line, position, code FROM pss_order_line_taxes WHERE order_id = ?1 "
         "ORDER BY line, position", pss_order_id(o), got, sizeof got);
    CHECK_SAME_TEXT(got, want);
}

/* The order's taxes per code (pss_order_get_tax: its groups' tax lines): the sums of its
 * lines' taxes of that code, on the untaxed amounts of those lines, with the snapshot of the
 * first line that has it (a group's snapshot is its first line's). */
static void check_taxes(const pss_order *o)
{
    char want[2048], got[2048];
    size_t n = 0;
    want[0] = '\0';
    for (size_t i = 0; i < pss_order_tax_count(o); i++) {
        pss_tax_info t = PSS_TAX_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_tax(o, i, &t));
        n = add(want, sizeof want, n, "%s|%s|%lld|%d|%lld|%lld\n", t.code, t.account,
                (long long)t.rate_ppm, t.included, (long long)t.base, (long long)t.amount);
    }
    rows("SELECT g.code, f.account, f.rate_ppm, f.included, g.base, g.amount "
         "FROM (SELECT t.code, sum(l.untaxed) AS base, sum(t.amount) AS amount, "
         "             min(t.line * 8 + t.position) AS first "
         "      FROM pss_order_line_taxes t JOIN pss_order_lines l "
         "      ON l.order_id = t.order_id AND l.line = t.line WHERE t.order_id = ?1 "
         "      GROUP BY t.code) g "
         "JOIN pss_order_line_taxes f ON f.order_id = ?1 AND f.line * 8 + f.position = g.first "
         "ORDER BY g.first", pss_order_id(o), got, sizeof got);
    CHECK_SAME_TEXT(got, want);
}

static void check_payments(const pss_order *o)
{
    char want[2048], got[2048];
    size_t n = 0;
    want[0] = '\0';
    for (size_t i = 0; i < pss_order_payment_count(o); i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_payment(o, i, &p));
        n = add(want, sizeof want, n, "%zu|%s|%lld|%s|%lld|%s\n", i, p.method,
                (long long)p.amount, pss_payment_state_name(p.state), (long long)p.change,
                or_dash(p.reference));
    }
    rows("SELECT payment, method, amount, state, change, reference FROM pss_order_payments "
         "WHERE order_id = ?1 ORDER BY payment", pss_order_id(o), got, sizeof got);
    CHECK_SAME_TEXT(got, want);
}

static void check_order(const char *id)
{
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(session, id, &o));
    if (!o)
        return;
    printf("# order %s\n", id);
    check_head(o);
    check_lines(o);
    check_taxes(o);
    check_payments(o);
    pss_order_free(o);
}

/* Figures a few rows hold, written out: what the views add up and leave as stored. */
static void check_figures(void)
{
    char got[1024];
    /* the cheese: 1.25 kg at 3.33 less 10%: 4.16 - 0.42 = 3.74, 20% on top 0.75 */
    rows("SELECT name, amount, untaxed, tax, total FROM pss_order_lines WHERE order_id = ?1 "
         "AND line = 2", SALE, got, sizeof got);
    CHECK_STR(got, "Comté|374|374|75|449\n");
    /* the mug: 10% included (1.14 of 12.50), 20% on the rest on top */
    rows("SELECT amount, untaxed, tax, total FROM pss_order_lines WHERE order_id = ?1 "
         "AND line = 3", SALE, got, sizeof got);
    CHECK_STR(got, "1250|1136|341|1477\n");
    rows("SELECT method, cash, amount, change, at FROM pss_order_payments WHERE order_id = ?1",
         SALE, got, sizeof got);
    CHECK_STR(got, "Cash|1|3000|244|1795248000000\n");
    rows("SELECT state, at, reference FROM pss_order_payments WHERE order_id = ?1", DRAFT, got,
         sizeof got);
    CHECK_STR(got, "pending|1795248065000|T-9\n");
    rows("SELECT version, state, paid_at, created_by, note FROM pss_orders WHERE id = ?1", SALE,
         got, sizeof got);
    CHECK_STR(got, "4|paid|1795248000000|alice|table 4\n");
    rows("SELECT version, paid_at, input_hash FROM pss_orders WHERE id = ?1", V3, got, sizeof got);
    CHECK_STR(got, "3|1795248060000|2:32dad9b7e9ee2c9f\n");
    rows("SELECT rate_ppm, account FROM pss_order_line_taxes WHERE order_id = ?1 AND line = 1",
         OWN_SNAPSHOT, got, sizeof got);
    CHECK_STR(got, "50000|Liabilities:Old\n");
    /* 15.00 off 120.00 + 50.00: 10.59 and 4.41 (largest remainder), taxes on what is left */
    rows("SELECT line, amount, order_discount, tax, total FROM pss_order_lines "
         "WHERE order_id = ?1 ORDER BY line", DISCOUNTED, got, sizeof got);
    CHECK_STR(got, "0|10941|1059|2188|13129\n1|4559|441|414|4559\n");
    /* 27.56 - 7.74 + 7.22 + 7.22 + 176.88 + 3.93 + 2.70 + 6.50 */
    rows("SELECT count(*), sum(total) FROM pss_orders WHERE session_id = ?1",
         pss_session_id(session), got, sizeof got);
    CHECK_STR(got, "8|22427\n");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE VIEWS_SQL\n", argv[0]);
        return 2;
    }
    char side[4200];
    unlink(argv[1]);
    snprintf(side, sizeof side, "%s-wal", argv[1]);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", argv[1]);
    unlink(side);
    ctx = fix_ctx(NULL);
    if (pss_sqlite_open(ctx, argv[1], NULL, &store) != 0 || pss_ctx_set_storage(ctx, store) != 0) {
        fprintf(stderr, "%s\n", pss_ctx_errmsg(ctx));
        return 99;
    }
    fix_save_config(ctx, NULL);
    session = fix_open(ctx, 10000);
    sale_and_refund();
    draft_and_cancelled();
    discounted();
    written_elsewhere();

    fix_text views = {NULL, 0};
    FILE *f = fopen(argv[2], "rb");
    char buf[4096];
    for (size_t k; f && (k = fread(buf, 1, sizeof buf, f)) > 0;)
        fix_text_write(&views, buf, k);
    if (f)
        fclose(f);
    CHECK(views.data != NULL);
    CHECK_I64(sqlite3_open(argv[1], &db), SQLITE_OK);
    char *err = NULL;
    CHECK_I64(sqlite3_exec(db, views.data ? views.data : "", NULL, NULL, &err), SQLITE_OK);
    if (err)
        printf("# %s\n", err);
    sqlite3_free(err);
    fix_text_free(&views);

    const char *ids[] = {SALE, REFUND, DRAFT, CANCELLED, DISCOUNTED, OWN_SNAPSHOT, V3, V1};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        check_order(ids[i]);
    check_figures();
    sqlite3_close(db);
    pss_session_free(session);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return check_done();
}
