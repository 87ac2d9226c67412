/* fixture.h: what the C tests share: a context on an in-memory store with a clock the test
 * moves, a realistic config, the usual actors, and small helpers that keep the tests about
 * figures rather than plumbing. */
#ifndef PSS_TEST_FIXTURE_H
#define PSS_TEST_FIXTURE_H

#include <possession.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* 2026-11-21 08:00:00 UTC */
#define FIX_T0 1795248000000LL

typedef struct fix_clock {
    int64_t now;
} fix_clock;

static inline int64_t fix_clock_read(void *userdata)
{
    return ((fix_clock *)userdata)->now;
}

static fix_clock fix_time = {FIX_T0};

static inline void fix_advance(int64_t ms)
{
    fix_time.now += ms;
}

static inline pss_ctx *fix_ctx(pss_storage *store)
{
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    o.clock = fix_clock_read;
    o.clock_userdata = &fix_time;
    pss_ctx *ctx = NULL;
    if (pss_ctx_new(&ctx, &o) != 0 || (store && pss_ctx_set_storage(ctx, store) != 0)) {
        fprintf(stderr, "cannot make a context\n");
        exit(99);
    }
    return ctx;
}

static const pss_actor FIX_ALICE = {PSS_ACTOR_VERSION, "alice", PSS_ROLE_CASHIER, "till-1"};
static const pss_actor FIX_BOB = {PSS_ACTOR_VERSION, "bob", PSS_ROLE_CASHIER, "till-2"};
static const pss_actor FIX_MIA = {PSS_ACTOR_VERSION, "mia", PSS_ROLE_MANAGER, "office"};
static const pss_actor FIX_ADA = {PSS_ACTOR_VERSION, "ada", PSS_ROLE_ADMIN, "office"};

#define FIX_CONFIG_ID "0c0f1a00-0000-4000-8000-000000000001"

/* Options of the standard config that tests change. */
typedef struct fix_config_opts {
    int64_t max_difference;
    pss_tax_rounding tax_rounding;
    pss_cash_rounding_scope cash_rounding;
    int64_t cash_rounding_increment;
    int one_session_per_day;
    int cash_control;
    int exponent;
    const char *currency;
    pss_rounding cash_rounding_mode;
    pss_rounding rounding; /* of line amounts, discounts and taxes */
    pss_late_orders late_orders;
    int allow_negative_drawer;
    const char *meta; /* host metadata, written with the first save */
    int split_receivables;
    int allow_receiptless_returns;
} fix_config_opts;

#define FIX_CONFIG_OPTS_INIT                                                               \
    { 1000, PSS_TAX_ROUND_PER_LINE, PSS_CASH_ROUNDING_OFF, 0, 0, 1, 2, "EUR", PSS_ROUND_HALF_UP, \
      PSS_ROUND_HALF_UP, PSS_LATE_ROUTE, 0, NULL, 0, 0 }

/* A register (fix_config_as: under another id and code, for tests of several): Cash, Card
 * (electronic), Voucher; taxes VAT10 (10% included), VAT20 (20% excluded), TAX7 (7%
 * excluded); category "books" with its own income account; coins and notes from 0.01 to
 * 50.00. */
static inline pss_config *fix_config_as(pss_ctx *ctx, const fix_config_opts *fo, const char *id,
                                        const char *code)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = id;
    in.name = "Main register";
    in.code = code;
    in.currency = fo->currency;
    in.currency_exponent = fo->exponent;
    in.cash_control = fo->cash_control;
    in.max_difference = fo->max_difference;
    in.tax_rounding = fo->tax_rounding;
    in.cash_rounding = fo->cash_rounding;
    in.cash_rounding_increment = fo->cash_rounding_increment;
    in.cash_rounding_mode = fo->cash_rounding_mode;
    in.rounding = fo->rounding;
    in.one_session_per_day = fo->one_session_per_day;
    in.late_orders = fo->late_orders;
    in.allow_negative_drawer = fo->allow_negative_drawer;
    in.meta = fo->meta;
    in.split_receivables = fo->split_receivables;
    in.allow_receiptless_returns = fo->allow_receiptless_returns;
    in.income_account = "Income:Sales";
    in.receivable_account = "Assets:POS Receivable";
    in.difference_gain_account = "Income:Cash Over";
    in.difference_loss_account = "Expenses:Cash Short";
    in.cash_in_account = "Assets:Safe";
    in.cash_out_account = "Assets:Bank Transit";
    in.expense_account = "Expenses:Petty";
    in.rounding_gain_account = "Income:Rounding";
    in.rounding_loss_account = "Expenses:Rounding";
    pss_config *c = NULL;
    if (pss_config_new(ctx, &in, &c) != 0) {
        fprintf(stderr, "config: %s\n", pss_ctx_errmsg(ctx));
        exit(99);
    }
    pss_method_input cash = {PSS_METHOD_INPUT_VERSION, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0};
    pss_method_input card = {PSS_METHOD_INPUT_VERSION, "Card", PSS_METHOD_CARD, "Assets:Card", 1};
    pss_method_input voucher = {PSS_METHOD_INPUT_VERSION, "Voucher", PSS_METHOD_OTHER,
                                "Liabilities:Vouchers", 0};
    pss_tax_input vat10 = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT10", .name = "VAT 10%", .rate_ppm = 100000,
                           .included = 1, .account = "Liabilities:VAT10"};
    pss_tax_input vat20 = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT20", .name = "VAT 20%", .rate_ppm = 200000,
                           .included = 0, .account = "Liabilities:VAT20"};
    pss_tax_input tax7 = {.version = PSS_TAX_INPUT_VERSION, .code = "TAX7", .name = "Tax 7%", .rate_ppm = 70000,
                           .included = 0, .account = "Liabilities:TAX7"};
    static const int64_t denoms[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    int rc = pss_config_add_method(c, &cash) || pss_config_add_method(c, &card) ||
             pss_config_add_method(c, &voucher) || pss_config_add_tax(c, &vat10) ||
             pss_config_add_tax(c, &vat20) || pss_config_add_tax(c, &tax7) ||
             pss_config_add_category(c, "books", "Income:Books");
    for (size_t i = 0; !rc && i < sizeof denoms / sizeof denoms[0]; i++)
        rc = pss_config_add_denomination(c, denoms[i]);
    if (rc) {
        fprintf(stderr, "config: %s\n", pss_ctx_errmsg(ctx));
        exit(99);
    }
    return c;
}

static inline pss_config *fix_config_with(pss_ctx *ctx, const fix_config_opts *fo)
{
    return fix_config_as(ctx, fo, FIX_CONFIG_ID, "POS-0001");
}

static inline pss_config *fix_config(pss_ctx *ctx)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    return fix_config_with(ctx, &fo);
}

static inline void fix_save_config(pss_ctx *ctx, const fix_config_opts *fo)
{
    fix_config_opts defaults = FIX_CONFIG_OPTS_INIT;
    pss_config *c = fix_config_with(ctx, fo ? fo : &defaults);
    if (pss_config_save(c, &FIX_MIA) != 0) {
        fprintf(stderr, "save config: %s\n", pss_ctx_errmsg(ctx));
        exit(99);
    }
    pss_config_free(c);
}

/* A fresh in-memory store, a context on it and the standard config saved with fo (NULL: the
 * defaults): what most tests start from. */
static inline void fix_world(const fix_config_opts *fo, pss_storage **store, pss_ctx **ctx)
{
    if (pss_memstore_new(store) != 0) {
        fprintf(stderr, "cannot make a store\n");
        exit(99);
    }
    *ctx = fix_ctx(*store);
    fix_save_config(*ctx, fo);
}

static inline void fix_world_free(pss_storage *store, pss_ctx *ctx)
{
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

/* Starts closing, counts the expected cash (alice) and closes (closer); the entry posted, or
 * NULL (the failures are checks). Free it with pss_entry_free. */
static inline pss_entry *fix_close_expected(pss_ctx *ctx, pss_session *s, const pss_actor *closer)
{
    int64_t expected = 0;
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_expected_cash(s, &expected));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    count.cash_total = expected;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, closer, NULL));
    CHECK_OK(ctx, pss_session_entry(s, &e));
    return e;
}

/* A line's and an order's figures as the API gives them (failures are checks). */
static inline pss_line_info fix_line_info(pss_ctx *ctx, const pss_order *o, size_t i)
{
    pss_line_info l = PSS_LINE_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_line(o, i, &l));
    return l;
}

static inline pss_order_totals fix_totals(pss_ctx *ctx, const pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    CHECK_OK(ctx, pss_order_get_totals(o, &t));
    return t;
}

/* A report's figure, read now. */
static inline int64_t fix_figure(pss_ctx *ctx, pss_session *s, pss_report_figure f)
{
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    int64_t v = pss_report_get(r, f);
    pss_report_free(r);
    return v;
}

/* A cash movement by alice with a reason of "float". */
static inline int fix_cash(pss_session *s, pss_cash_kind kind, int64_t amount)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = kind;
    in.amount = amount;
    in.reason = "float";
    return pss_cash_move(s, &FIX_ALICE, &in, NULL);
}

/* Creates and opens a session as alice with the given opening count. */
static inline pss_session *fix_open(pss_ctx *ctx, int64_t counted)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-21";
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = counted;
    if (pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s) != 0 ||
        pss_session_open(s, &FIX_ALICE, &oi) != 0) {
        fprintf(stderr, "open session: %s\n", pss_ctx_errmsg(ctx));
        exit(99);
    }
    return s;
}

/* A line of `qty` thousandths of a product at a price, with up to two taxes. */
static inline pss_line_input fix_line(const char *product, int64_t qty, int64_t price,
                                      const char *const *taxes, size_t n_taxes)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.product_id = product;
    l.product_name = product;
    l.quantity = qty;
    l.unit_price = price;
    l.taxes = taxes;
    l.n_taxes = n_taxes;
    return l;
}

static inline pss_payment_input fix_pay(const char *method, int64_t amount)
{
    pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
    p.method = method;
    p.amount = amount;
    return p;
}

/* A complete order of one line and (unless pay is NULL) one payment, as a till submits it. */
static inline pss_order_input fix_order(const char *id, const pss_line_input *line,
                                        const pss_payment_input *pay)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = line;
    in.n_lines = 1;
    in.payments = pay;
    in.n_payments = pay ? 1 : 0;
    return in;
}

/* The n-th order of a till's run: one cake at 1.00 + n cents, paid in full, in cash for an
 * even n and by card (approved) for an odd one; its id is made from n. 0 or the code. */
static inline int fix_submit_nth(pss_session *s, int n)
{
    char id[64];
    snprintf(id, sizeof id, "0a000000-0000-4000-8000-%012d", n);
    pss_line_input line = fix_line("cake", 1000, 100 + n, NULL, 0);
    pss_payment_input pay = fix_pay(n % 2 ? "Card" : "Cash", 100 + n);
    pay.state = PSS_PAYMENT_DONE;
    pss_order_input in = fix_order(id, &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
}

/* What a test of a store's faults ends with: the session re-read, verify agreeing, the
 * posted balance as expected, and a close at the expected cash whose entry balances
 * (failures are checks). */
static inline void fix_verify_and_close(pss_ctx *ctx, pss_session *s, int64_t posted_expected)
{
    CHECK_OK(ctx, pss_session_refresh(s));
    CHECK_OK(ctx, pss_session_verify(s));
    int64_t current = 0, posted = 0;
    CHECK_OK(ctx, pss_session_balance(s, &current, &posted));
    CHECK_I64(posted, posted_expected);
    pss_entry *e = fix_close_expected(ctx, s, &FIX_ALICE);
    CHECK(e != NULL);
    int64_t debit = 0, credit = 0;
    for (size_t i = 0; e && i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        CHECK_OK(ctx, pss_entry_get_line(e, i, &l));
        debit += l.debit;
        credit += l.credit;
    }
    CHECK_I64(debit, credit);
    CHECK_I64(debit, e ? pss_entry_total(e) : -1);
    pss_entry_free(e);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
}

/* A string collected from a writer callback. */
typedef struct fix_text {
    char *data;
    size_t len;
} fix_text;

static inline int fix_text_write(void *userdata, const char *data, size_t len)
{
    fix_text *t = userdata;
    char *grown = realloc(t->data, t->len + len + 1);
    if (!grown)
        return -1;
    memcpy(grown + t->len, data, len);
    t->len += len;
    grown[t->len] = '\0';
    t->data = grown;
    return 0;
}

static inline void fix_text_free(fix_text *t)
{
    free(t->data);
    t->data = NULL;
    t->len = 0;
}

/* A stored record as the store holds it, read behind the library's back (pss_record_fn). */
typedef struct fix_record {
    char payload[16384];
    char parent[256];
    uint64_t rev;
} fix_record;

static inline int fix_grab(const pss_record *rec, void *arg)
{
    fix_record *r = arg;
    snprintf(r->payload, sizeof r->payload, "%s", rec->payload);
    snprintf(r->parent, sizeof r->parent, "%s", rec->parent);
    r->rev = rec->rev;
    return 0;
}

/* Replaces a record's payload behind the library's back (a damaged store); 0 or the put's
 * code. */
static inline int fix_overwrite(pss_storage *store, const char *kind, const char *id,
                                const char *payload)
{
    fix_record f;
    store->begin(store->userdata, PSS_TXN_WRITE);
    store->get(store->userdata, kind, id, fix_grab, &f);
    pss_record rec = {kind, id, f.parent, 0, payload, strlen(payload)};
    uint64_t rev;
    int rc = store->put(store->userdata, &rec, f.rev, &rev);
    store->commit(store->userdata);
    return rc;
}

/* The config saved, a session opened with 1000 counted, and three cash movements in of
 * 100, 200 and 300: a fiscal chain of four events (open, cash.move x 3). */
static inline void fix_cash_shift(pss_ctx *ctx)
{
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 1000);
    for (int i = 1; i <= 3; i++)
        CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 100 * i));
    pss_session_free(s);
}

/* The payload of a stored record (read in a transaction of its own), into out. */
static inline void fix_stored_payload(pss_storage *store, const char *kind, const char *id,
                                      char *out, size_t size)
{
    fix_record r;
    memset(&r, 0, sizeof r);
    store->begin(store->userdata, 0);
    CHECK_I64(store->get(store->userdata, kind, id, fix_grab, &r), 0);
    store->rollback(store->userdata);
    snprintf(out, size, "%s", r.payload);
}

/* The verdict on the fixture config's fiscal chain, checking the code it returns. */
static inline pss_fiscal_verdict fix_fiscal_verify(pss_ctx *ctx, int expected_rc)
{
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    CHECK_RC(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &v), expected_rc);
    return v;
}

/* Removes a SQLite file and its -wal and -shm files. */
static inline void fix_remove_db(const char *path)
{
    char aux[1100];
    remove(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    remove(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    remove(aux);
}

/* The whole content of an in-memory store, to prove that a failed call changed nothing. */
static inline char *fix_dump(pss_storage *store)
{
    fix_text t = {NULL, 0};
    pss_memstore_dump(store, fix_text_write, &t);
    return t.data ? t.data : calloc(1, 1);
}

#endif
