/* pg-views.c: doc/sql/postgres-store-views.sql and doc/sql/postgres-views.sql on a database
 * the PostgreSQL store wrote: a session with orders (taxes included and on top, a discount,
 * cash with change, a card payment, a refund), cash movements (one voided), closed; every
 * figure the views give must be the one the library's getters give.
 * Usage: pg-views DATABASE STORE_VIEWS_SQL ORDER_VIEWS_SQL. */
#include "possession/pg.h"

#include "fixture.h"
#include "pgtest.h"

static pss_ctx *ctx;
static pss_storage *store;
static pss_session *session;
static PGconn *raw;

static const char *const VAT10[] = {"VAT10"};
static const char *const VAT20[] = {"VAT20"};

#define SALE "00000000-0000-4000-8000-0000000000b1"
#define CARD "00000000-0000-4000-8000-0000000000b2"
#define REFUND "00000000-0000-4000-8000-0000000000b3"
static const char *const ORDERS[] = {SALE, CARD, REFUND};

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

/* One value of a parameterized query as text ("" for NULL, "?" when it fails). */
static const char *value(char *out, size_t size, const char *sql, const char *param)
{
    PGresult *r = PQexecParams(raw, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    else
        snprintf(out, size, "?%s", PQerrorMessage(raw));
    PQclear(r);
    return out;
}

static long long number(const char *sql, const char *param)
{
    char v[512];
    value(v, sizeof v, sql, param);
    return v[0] == '?' ? -999999 : atoll(v);
}

static void record_session(void)
{
    pss_line_input l[3] = {fix_line("cake", 2000, 325, VAT10, 1), fix_line("tea", 1000, 180, NULL, 0),
                           fix_line("cheese", 1250, 333, VAT20, 1)};
    l[1].product_name = "Tea \"Earl Grey\"";
    l[1].category = "books";
    l[2].discount_ppm = 100000;
    pss_payment_input cash = fix_pay("Cash", 2000);
    pss_order_input in = fix_order(SALE, l, &cash);
    in.n_lines = 3;
    in.note = "table 4";
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, NULL));
    pss_line_input mug = fix_line("mug", 1000, 1250, VAT20, 1);
    pss_payment_input card = fix_pay("Card", 1500);
    card.state = PSS_PAYMENT_DONE;
    pss_order_input c = fix_order(CARD, &mug, &card);
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &c, NULL));
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input repay = fix_pay("Cash", -325);
    pss_order_input r = fix_order(REFUND, &back, &repay);
    r.refund_of = SALE;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &r, NULL));
    pss_cash_input in_cash = PSS_CASH_INPUT_INIT;
    in_cash.kind = PSS_CASH_IN;
    in_cash.amount = 5000;
    in_cash.reason = "float";
    CHECK_OK(ctx, pss_cash_move(session, &FIX_ALICE, &in_cash, NULL));
    pss_cash_input out = PSS_CASH_INPUT_INIT;
    out.kind = PSS_CASH_OUT;
    out.amount = 700;
    out.reason = "to the bank";
    char out_id[PSS_ID_SIZE];
    CHECK_OK(ctx, pss_cash_move(session, &FIX_ALICE, &out, out_id));
    CHECK_OK(ctx, pss_cash_void(session, &FIX_ALICE, out_id, "counted twice"));
}

static void check_order(const char *id)
{
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(session, id, &o));
    if (!o)
        return;
    pss_order_totals t = fix_totals(ctx, o);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT untaxed || '/' || tax || '/' || total || '/' || number "
             "FROM pss_orders WHERE id = $1");
    char want[128], got[512];
    snprintf(want, sizeof want, "%lld/%lld/%lld/%lld", (long long)t.untaxed, (long long)t.tax,
             (long long)t.total, (long long)pss_order_number(o));
    CHECK_STR(value(got, sizeof got, sql, id), want);
    CHECK_I64(number("SELECT count(*) FROM pss_order_lines WHERE order_id = $1", id),
              pss_order_line_count(o));
    for (size_t i = 0; i < pss_order_line_count(o); i++) {
        pss_line_info l = fix_line_info(ctx, o, i);
        snprintf(sql, sizeof sql, "SELECT product || '/' || qty || '/' || untaxed || '/' || tax "
                 "|| '/' || income_account FROM pss_order_lines WHERE order_id = $1 AND line = %zu", i);
        snprintf(want, sizeof want, "%s/%lld/%lld/%lld/%s", l.product_id, (long long)l.quantity,
                 (long long)l.untaxed, (long long)l.tax, l.income_account);
        CHECK_STR(value(got, sizeof got, sql, id), want);
    }
    int64_t paid = 0, change = 0;
    for (size_t i = 0; i < pss_order_payment_count(o); i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_payment(o, i, &p));
        paid += p.amount;
        change += p.change;
    }
    CHECK_I64(number("SELECT sum(amount) FROM pss_order_payments WHERE order_id = $1", id), paid);
    CHECK_I64(number("SELECT sum(change) FROM pss_order_payments WHERE order_id = $1", id), change);
    CHECK_I64(change, t.change);
    pss_order_free(o);
}

static void check_movements(void)
{
    pss_cash_list *list = NULL;
    CHECK_OK(ctx, pss_cash_list_load(session, &list));
    CHECK_I64(number("SELECT count(*) FROM pss_cash_movements WHERE session_id = $1",
                     pss_session_id(session)), pss_cash_list_count(list));
    for (size_t i = 0; list && i < pss_cash_list_count(list); i++) {
        pss_cash_info m = PSS_CASH_INFO_INIT;
        CHECK_OK(ctx, pss_cash_list_get(list, i, &m));
        char want[256], got[512];
        snprintf(want, sizeof want, "%s/%lld/%s/%s/%s", pss_cash_kind_name(m.kind),
                 (long long)m.amount, m.account, m.voided ? "true" : "false",
                 m.void_reason ? m.void_reason : "-");
        CHECK_STR(value(got, sizeof got, "SELECT kind || '/' || amount || '/' || account || '/' "
                        "|| voided || '/' || coalesce(void_reason, '-') FROM pss_cash_movements "
                        "WHERE id = $1", m.id), want);
    }
    pss_cash_list_free(list);
}

static void check_session_and_entry(void)
{
    const char *sid = pss_session_id(session);
    char got[512];
    CHECK_STR(value(got, sizeof got, "SELECT name || '/' || state || '/' || user_name FROM "
                    "pss_sessions WHERE id = $1", sid), "POS-0001/00001/closed/alice");
    CHECK_STR(value(got, sizeof got, "SELECT name FROM pss_sessions WHERE id = $1", sid),
              pss_session_name(session));
    int64_t current = 0, posted = 0;
    CHECK_OK(ctx, pss_session_balance(session, &current, &posted));
    CHECK_I64(number("SELECT paid_total FROM pss_sessions WHERE id = $1", sid), posted);
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(session, &e));
    if (!e)
        return;
    CHECK_STR(value(got, sizeof got, "SELECT entry_id FROM pss_sessions WHERE id = $1", sid),
              pss_entry_id(e));
    const char *eid = pss_entry_id(e);
    CHECK_I64(number("SELECT total FROM pss_entries WHERE id = $1", eid), pss_entry_total(e));
    CHECK_STR(value(got, sizeof got, "SELECT reference FROM pss_entries WHERE id = $1", eid),
              pss_entry_reference(e));
    CHECK_I64(number("SELECT count(*) FROM pss_entry_lines WHERE entry_id = $1", eid),
              pss_entry_line_count(e));
    CHECK_I64(number("SELECT sum(debit) - sum(credit) FROM pss_entry_lines WHERE entry_id = $1",
                     eid), 0);
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        CHECK_OK(ctx, pss_entry_get_line(e, i, &l));
        char sql[256], want[256];
        snprintf(sql, sizeof sql, "SELECT account || '/' || debit || '/' || credit || '/' || kind "
                 "FROM pss_entry_lines WHERE entry_id = $1 AND line = %zu", i);
        snprintf(want, sizeof want, "%s/%lld/%lld/%s", l.account, (long long)l.debit,
                 (long long)l.credit, l.kind);
        CHECK_STR(value(got, sizeof got, sql, eid), want);
    }
    pss_entry_free(e);
    /* the close attempt is in the audit view */
    CHECK_I64(number("SELECT count(*) FROM pss_audit_entries WHERE subject = $1 AND "
                     "action = 'session.close' AND outcome = 0", sid), 1);
}

int main(int argc, char **argv)
{
    char conninfo[1024];
    if (argc < 4 || !(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    store = pgtest_store(conninfo, NULL);
    ctx = fix_ctx(store);
    fix_save_config(ctx, NULL);
    session = fix_open(ctx, 10000);
    record_session();
    pss_entry *e = fix_close_expected(ctx, session, &FIX_ALICE);
    pss_entry_free(e);
    for (int i = 2; i <= 3; i++) {
        char *sql = read_file(argv[i]);
        CHECK(sql != NULL);
        CHECK_I64(sql ? pgtest_exec(raw, sql) : -1, 0);
        free(sql);
    }
    for (size_t i = 0; i < sizeof ORDERS / sizeof ORDERS[0]; i++)
        check_order(ORDERS[i]);
    check_movements();
    check_session_and_entry();
    pss_session_free(session);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    PQfinish(raw);
    return check_done();
}
