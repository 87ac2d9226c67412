/* scenario.c: the register days of scenario.h, played through the public API only. Every call
 * must succeed: a failure is a broken set-up (exit 99), never a finding. */
#include "scenario.h"

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const pss_actor sc_alice = {PSS_ACTOR_VERSION, "alice", PSS_ROLE_CASHIER, "till-1"};
const pss_actor sc_bob = {PSS_ACTOR_VERSION, "bob", PSS_ROLE_CASHIER, "till-2"};
const pss_actor sc_mia = {PSS_ACTOR_VERSION, "mia", PSS_ROLE_MANAGER, "office"};
const pss_actor sc_ada = {PSS_ACTOR_VERSION, "ada", PSS_ROLE_ADMIN, "office"};

static int64_t sc_now = SC_T0;

int64_t sc_clock(void *userdata)
{
    (void)userdata;
    return sc_now;
}

void sc_clock_reset(void)
{
    sc_now = SC_T0;
}

void sc_clock_advance(int64_t ms)
{
    sc_now += ms;
}

/* ---- plumbing ---- */

typedef struct sc {
    pss_ctx *ctx;
    pss_storage *store;
    sc_checkpoint_fn cp;
    void *arg;
} sc;

static void ok(const sc *w, int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "scenario: %s failed: %d %s\n", what, rc, pss_ctx_errmsg(w->ctx));
        exit(99);
    }
}

static void step(const sc *w)
{
    sc_clock_advance(60000);
    if (w->cp)
        w->cp(w->store, w->arg);
}

typedef struct cfg_opts {
    const char *id, *name, *code, *currency;
    int exponent, cash_control, one_per_day;
    pss_tax_rounding tax_rounding;
    pss_rounding rounding;
    pss_cash_rounding_scope cash_rounding;
    int64_t increment;
    pss_rounding cash_mode;
} cfg_opts;

static void set_accounts(pss_config_input *in)
{
    in->income_account = "Income:Sales";
    in->receivable_account = "Assets:POS Receivable";
    in->difference_gain_account = "Income:Cash Over";
    in->difference_loss_account = "Expenses:Cash Short";
    in->cash_in_account = "Assets:Safe";
    in->cash_out_account = "Assets:Bank Transit";
    in->expense_account = "Expenses:Petty";
    in->rounding_gain_account = "Income:Rounding";
    in->rounding_loss_account = "Expenses:Rounding";
}

static pss_config *new_config(const sc *w, const cfg_opts *o)
{
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.id = o->id;
    in.name = o->name;
    in.code = o->code;
    in.currency = o->currency;
    in.currency_exponent = o->exponent;
    in.cash_control = o->cash_control;
    in.max_difference = 1000;
    in.one_session_per_day = o->one_per_day;
    in.tax_rounding = o->tax_rounding;
    in.rounding = o->rounding;
    in.cash_rounding = o->cash_rounding;
    in.cash_rounding_increment = o->increment;
    in.cash_rounding_mode = o->cash_mode;
    set_accounts(&in);
    pss_config *c = NULL;
    ok(w, pss_config_new(w->ctx, &in, &c), "config");
    return c;
}

static void add_method(const sc *w, pss_config *c, const char *name, pss_method_kind kind,
                       const char *account, int electronic)
{
    pss_method_input m = {PSS_METHOD_INPUT_VERSION, name, kind, account, electronic};
    ok(w, pss_config_add_method(c, &m), name);
}

static void add_tax(const sc *w, pss_config *c, const char *code, int64_t rate, int included)
{
    char name[64], account[64];
    snprintf(name, sizeof name, "Tax %s", code);
    snprintf(account, sizeof account, "Liabilities:%s", code);
    pss_tax_input t = {.version = PSS_TAX_INPUT_VERSION, .code = code, .name = name, .rate_ppm = rate,
                           .included = included, .account = account};
    ok(w, pss_config_add_tax(c, &t), code);
}

static void add_denominations(const sc *w, pss_config *c, const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ok(w, pss_config_add_denomination(c, v[i]), "denomination");
}

static void save_config(const sc *w, pss_config *c)
{
    ok(w, pss_config_save(c, &sc_mia), "config save");
    pss_config_free(c);
    step(w);
}

static pss_line_input refund_line(int64_t index, int64_t qty)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = index;
    l.quantity = qty;
    return l;
}

static pss_order *create_order(const sc *w, pss_session *s, const char *id,
                               const pss_line_input *lines, size_t n, const char *refund_of,
                               int invoiced)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.refund_of = refund_of;
    in.invoiced = invoiced;
    in.note = invoiced ? "invoice to ACME" : NULL;
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    ok(w, pss_order_create(s, &sc_alice, &in, &o), "order create");
    step(w);
    return o;
}

static void pay(const sc *w, pss_order *o, const char *method, int64_t amount,
                const char *reference)
{
    pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
    p.method = method;
    p.amount = amount;
    p.reference = reference;
    ok(w, pss_order_add_payment(o, &sc_alice, &p, NULL), "payment");
    step(w);
}

/* What is left to pay in cash (cash rounding applied). */
static int64_t cash_due(const sc *w, pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    ok(w, pss_order_get_totals(o, &t), "order totals");
    return t.cash_due;
}

static int64_t remaining(const sc *w, pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    ok(w, pss_order_get_totals(o, &t), "order totals");
    return t.remaining;
}

static void move_cash(const sc *w, pss_session *s, const char *id, pss_cash_kind kind,
                      int64_t amount, const char *reason, const char *account)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.id = id;
    in.kind = kind;
    in.amount = amount;
    in.reason = reason;
    in.account = account;
    ok(w, pss_cash_move(s, &sc_alice, &in, NULL), "cash move");
    step(w);
}

static pss_session *open_session(const sc *w, const char *config_id, const char *id,
                                 const char *date, int64_t counted, int via_opening)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = id;
    si.operating_date = date;
    ok(w, pss_session_create(w->ctx, config_id, &sc_alice, &si, &s), "session create");
    step(w);
    if (via_opening) {
        ok(w, pss_session_start_opening(s, &sc_alice), "start opening");
        step(w);
    }
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = counted;
    oi.note = via_opening ? "float from the safe" : NULL;
    ok(w, pss_session_open(s, &sc_alice, &oi), "open");
    step(w);
    return s;
}

/* The methods' expected figures, to count them as the terminals say (give or take). */
static void count_session(const sc *w, pss_session *s, int64_t cash_delta, int by_denoms,
                          const int64_t *denoms, size_t n_denoms)
{
    pss_report *r = NULL;
    ok(w, pss_session_report(s, &r), "report");
    pss_method_count methods[8];
    size_t n = 0;
    int64_t cash = 0;
    for (size_t i = 0; i < pss_report_method_count(r) && n < 8; i++) {
        pss_report_method m = PSS_REPORT_METHOD_INIT;
        ok(w, pss_report_get_method(r, i, &m), "report method");
        if (m.is_cash)
            cash = m.expected + cash_delta;
        else
            methods[n++] = (pss_method_count){m.name, m.expected};
    }
    pss_denomination_count dc[16];
    size_t n_dc = 0;
    int64_t left = cash;
    for (size_t i = n_denoms; by_denoms && i-- > 0 && n_dc < 16;) {
        if (left >= denoms[i]) {
            dc[n_dc++] = (pss_denomination_count){denoms[i], left / denoms[i]};
            left %= denoms[i];
        }
    }
    pss_count_input ci = PSS_COUNT_INPUT_INIT;
    ci.cash_total = by_denoms ? PSS_UNSET : cash;
    ci.denominations = by_denoms ? dc : NULL;
    ci.n_denominations = by_denoms ? n_dc : 0;
    ci.methods = methods;
    ci.n_methods = n;
    ci.note = "counted twice";
    ok(w, pss_session_count(s, &sc_alice, &ci), "count");
    pss_report_free(r);
    step(w);
}

static void submit_input(const sc *w, pss_session *s, const pss_order_input *in)
{
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    ok(w, pss_session_submit(s, &sc_alice, in, &res), "submit");
    step(w);
}

static void submit(const sc *w, pss_session *s, const char *id, const pss_line_input *lines,
                   size_t n, const pss_payment_input *payments, size_t n_payments)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    in.payments = payments;
    in.n_payments = n_payments;
    submit_input(w, s, &in);
}

/* ---- the main register ---- */

static const int64_t EUR_DENOMS[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
static const char *const VAT10[] = {"VAT10"};
static const char *const VAT20[] = {"VAT20"};
static const char *const BOOK_TAXES[] = {"VAT20", "TAX7"};
static const char *const ALL_TAXES[] = {"TAX7", "VAT10", "VAT20"};

/* Orders of record version 3: an invoiced one with a customer and a discount, and an
 * exchange (a pen of P1 back for a pencil). */
static void v3_orders(const sc *w, pss_session *s2)
{
    pss_line_input lines[2] = {fix_line("desk", 1000, 12000, VAT20, 1),
                               fix_line("lamp", 2000, 2500, VAT10, 1)};
    pss_payment_input card = PSS_PAYMENT_INPUT_INIT;
    card.method = "Voucher";
    card.amount = 15300; /* 120.00 + 20% and 50.00 less a 10% discount */
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "0de20000-0000-4000-8000-000000000006";
    in.lines = lines;
    in.n_lines = 2;
    in.discount_ppm = 100000;
    in.customer = "C-1042";
    in.invoiced = 1;
    in.payments = &card;
    in.n_payments = 1;
    submit_input(w, s2, &in);
    pss_line_input swap[2] = {PSS_LINE_INPUT_INIT, fix_line("pencil", 1000, 100, VAT20, 1)};
    swap[0].refund_line = 1;
    swap[0].quantity = -1000;
    pss_order_input ex = PSS_ORDER_INPUT_INIT;
    ex.id = "0de20000-0000-4000-8000-000000000007";
    ex.refund_of = SC_P1;
    ex.lines = swap;
    ex.n_lines = 2;
    submit_input(w, s2, &ex); /* a pen back for a pencil */
}

static void main_config(const sc *w)
{
    cfg_opts o = {SC_CFG_MAIN, "Main register", "POS-0001", "EUR", 2, 1, 0,
                  PSS_TAX_ROUND_PER_LINE, PSS_ROUND_HALF_UP, PSS_CASH_ROUNDING_OFF, 0,
                  PSS_ROUND_HALF_UP};
    pss_config *c = new_config(w, &o);
    add_method(w, c, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0);
    add_method(w, c, "Card", PSS_METHOD_CARD, "Assets:Card", 1);
    add_method(w, c, "Voucher", PSS_METHOD_OTHER, "Liabilities:Vouchers", 0);
    add_tax(w, c, "VAT10", 100000, 1);
    add_tax(w, c, "VAT20", 200000, 0);
    add_tax(w, c, "TAX7", 70000, 0);
    ok(w, pss_config_add_category(c, "books", "Income:Books"), "category");
    add_denominations(w, c, EUR_DENOMS, sizeof EUR_DENOMS / sizeof EUR_DENOMS[0]);
    save_config(w, c);
}

/* Cash with change, then a card payment confirmed, then one failed and made up by voucher
 * and cash. */
static void s1_sales(const sc *w, pss_session *s, pss_order **out)
{
    pss_line_input l1[2] = {fix_line("cake", 2000, 325, VAT10, 1),
                            fix_line("atlas", 1000, 1990, BOOK_TAXES, 2)};
    l1[1].category = "books";
    l1[1].discount_ppm = 100000;
    out[0] = create_order(w, s, SC_O1, l1, 2, NULL, 0);
    pay(w, out[0], "Cash", cash_due(w, out[0]) + 360, NULL);

    pss_line_input l2[1] = {fix_line("coffee", 3000, 250, ALL_TAXES, 3)};
    out[1] = create_order(w, s, "0de10000-0000-4000-8000-000000000002", l2, 1, NULL, 0);
    pay(w, out[1], "Card", remaining(w, out[1]), "TERM-0001");
    ok(w, pss_order_confirm_payment(out[1], &sc_alice, 0), "confirm");
    step(w);

    pss_line_input l3[1] = {fix_line("tea", 1500, 480, VAT20, 1)};
    out[2] = create_order(w, s, "0de10000-0000-4000-8000-000000000003", l3, 1, NULL, 0);
    pay(w, out[2], "Card", remaining(w, out[2]), "TERM-0002");
    ok(w, pss_order_fail_payment(out[2], &sc_alice, 0, "declined"), "fail");
    step(w);
    pay(w, out[2], "Voucher", 300, "V-77");
    pay(w, out[2], "Cash", cash_due(w, out[2]), NULL);
}

/* A draft whose voucher payment is voided before it is cancelled, an invoiced order paid by
 * card, a submitted order, a refund paid back in cash. */
static void s1_others(const sc *w, pss_session *s, pss_order **out)
{
    pss_line_input l4[1] = {fix_line("scarf", 1000, 2500, VAT20, 1)};
    out[0] = create_order(w, s, "0de10000-0000-4000-8000-000000000004", l4, 1, NULL, 0);
    pay(w, out[0], "Voucher", 1000, "V-78");
    ok(w, pss_order_void_payment(out[0], &sc_alice, 0, "wrong voucher"), "void payment");
    step(w);
    ok(w, pss_order_cancel(out[0], &sc_alice, "customer left"), "cancel");
    step(w);

    pss_line_input l5[1] = {fix_line("service", 1000, 10000, VAT20, 1)};
    out[1] = create_order(w, s, "0de10000-0000-4000-8000-000000000005", l5, 1, NULL, 1);
    pay(w, out[1], "Card", remaining(w, out[1]), "TERM-0003");
    ok(w, pss_order_confirm_payment(out[1], &sc_alice, 0), "confirm");
    step(w);

    pss_line_input l6[2] = {fix_line("bread", 500, 420, VAT10, 1),
                            fix_line("milk", 2000, 119, NULL, 0)};
    pss_payment_input p6[1] = {PSS_PAYMENT_INPUT_INIT};
    p6[0].method = "Cash";
    p6[0].amount = 1000;
    submit(w, s, "0de10000-0000-4000-8000-000000000006", l6, 2, p6, 1);

    pss_line_input r1[1] = {refund_line(0, -1000)};
    out[2] = create_order(w, s, "0de10000-0000-4000-8000-000000000007", r1, 1, SC_O1, 0);
    pay(w, out[2], "Cash", remaining(w, out[2]), NULL);
}

static void s1_orders(const sc *w, pss_session *s)
{
    pss_order *all[6] = {NULL};
    s1_sales(w, s, all);
    s1_others(w, s, all + 3);
    for (size_t i = 0; i < 6; i++)
        pss_order_free(all[i]);
}

static void s1_cash(const sc *w, pss_session *s)
{
    move_cash(w, s, "ca5a1000-0000-4000-8000-000000000001", PSS_CASH_IN, 5000, "change from the safe", NULL);
    move_cash(w, s, "ca5a1000-0000-4000-8000-000000000002", PSS_CASH_OUT, 2000, "to the bank", NULL);
    move_cash(w, s, "ca5a1000-0000-4000-8000-000000000003", PSS_CASH_EXPENSE, 300, "stamps", "Expenses:Postage");
    move_cash(w, s, "ca5a1000-0000-4000-8000-000000000004", PSS_CASH_CORRECTION, -50, "miscounted float", "Expenses:Cash Short");
    ok(w, pss_cash_void(s, &sc_alice, "ca5a1000-0000-4000-8000-000000000004", "counted again"), "cash void");
    step(w);
}

static void close_s1(const sc *w, pss_session *s)
{
    ok(w, pss_session_start_closing(s, &sc_alice), "start closing");
    step(w);
    count_session(w, s, -40, 1, EUR_DENOMS, sizeof EUR_DENOMS / sizeof EUR_DENOMS[0]);
    pss_close_input ci = PSS_CLOSE_INPUT_INIT;
    ci.note = "short by 0.40";
    ok(w, pss_session_close(s, &sc_alice, &ci), "close");
    step(w);
}

/* S2: opened from S1's count, a sale with a partial refund, a draft, a pending card payment,
 * a voucher sale, cash in, and a late order of S1 routed here. */
static void s2_day(const sc *w, pss_session *s2, pss_session *s1)
{
    pss_line_input l1[2] = {fix_line("atlas", 2000, 1990, BOOK_TAXES, 2),
                            fix_line("pen", 3000, 150, VAT20, 1)};
    l1[0].category = "books";
    l1[1].discount_ppm = 250000;
    pss_order *p1 = create_order(w, s2, SC_P1, l1, 2, NULL, 0);
    pay(w, p1, "Cash", cash_due(w, p1), NULL);
    ok(w, pss_meta_set(w->ctx, &sc_alice, PSS_META_ORDER, SC_P1,
                       "{\"erp\": \"pos.order/4711\", \"lines\": [1, 2], \"note\": \"caf\u00e9\"}"),
       "P1 meta");
    pss_line_input r[1] = {refund_line(1, -1500)};
    pss_order *rp = create_order(w, s2, "0de20000-0000-4000-8000-000000000002", r, 1, SC_P1, 0);
    pay(w, rp, "Cash", remaining(w, rp), NULL);

    pss_line_input l3[1] = {fix_line("cake", 1000, 325, VAT10, 1)};
    pss_order *p3 = create_order(w, s2, "0de20000-0000-4000-8000-000000000003", l3, 1, NULL, 0);
    pss_line_input l4[1] = {fix_line("coffee", 2000, 250, VAT10, 1)};
    pss_order *p4 = create_order(w, s2, "0de20000-0000-4000-8000-000000000004", l4, 1, NULL, 0);
    pay(w, p4, "Card", remaining(w, p4), "TERM-0004");
    pss_line_input l5[1] = {fix_line("gift card", 1000, 5000, NULL, 0)};
    pss_order *p5 = create_order(w, s2, "0de20000-0000-4000-8000-000000000005", l5, 1, NULL, 0);
    pay(w, p5, "Voucher", remaining(w, p5), "V-79");
    move_cash(w, s2, "ca5a2000-0000-4000-8000-000000000001", PSS_CASH_IN, 1000, "coins", NULL);
    v3_orders(w, s2);

    pss_line_input late[1] = {fix_line("late tea", 1000, 480, VAT20, 1)};
    pss_payment_input pl[1] = {PSS_PAYMENT_INPUT_INIT};
    pl[0].method = "Card";
    pl[0].amount = 576;
    pl[0].state = PSS_PAYMENT_DONE;
    submit(w, s1, "0de10000-0000-4000-8000-000000000008", late, 1, pl, 1);

    pss_order *all[] = {p1, rp, p3, p4, p5};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        pss_order_free(all[i]);
}

static void force_close(const sc *w, pss_session *s, const char *reason)
{
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = reason;
    fi.void_pending = 1;
    ok(w, pss_session_force_close(s, &sc_ada, &fi), "force close");
    step(w);
}

/* After S2's force close no session is open: a late order of S1 opens a rescue session. */
static void rescue(const sc *w, pss_session *s1)
{
    pss_line_input late[1] = {fix_line("late cake", 1000, 325, VAT10, 1)};
    pss_payment_input pl[1] = {PSS_PAYMENT_INPUT_INIT};
    pl[0].method = "Cash";
    pl[0].amount = 325;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "0de10000-0000-4000-8000-000000000009";
    in.lines = late;
    in.n_lines = 1;
    in.payments = pl;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    ok(w, pss_session_submit(s1, &sc_alice, &in, &res), "late submit");
    step(w);
    pss_session *r = NULL;
    ok(w, pss_session_load(w->ctx, res.session_id, &r), "rescue load");
    force_close(w, r, "rescue session of late orders");
    pss_session_free(r);
}

void sc_main(pss_ctx *ctx, pss_storage *store, int full, sc_checkpoint_fn cp, void *arg)
{
    sc w = {ctx, store, cp, arg};
    main_config(&w);
    pss_session *s1 = open_session(&w, SC_CFG_MAIN, SC_S1, "2026-11-21", 10000, 1);
    s1_orders(&w, s1);
    s1_cash(&w, s1);
    close_s1(&w, s1);
    int64_t expected = 0;
    pss_session *s2 = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = SC_S2;
    si.operating_date = "2026-11-22";
    si.meta = "{\"batch\":\"B-17\"}";
    ok(&w, pss_session_create(ctx, SC_CFG_MAIN, &sc_bob, &si, &s2), "S2 create");
    step(&w);
    ok(&w, pss_session_opening(s2, &expected, NULL), "S2 opening");
    sc_clock_advance(1000000); /* bob's lease runs out */
    ok(&w, pss_session_take_over(s2, &sc_alice), "S2 take over");
    step(&w);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = expected;
    ok(&w, pss_session_open(s2, &sc_alice, &oi), "S2 open");
    step(&w);
    s2_day(&w, s2, s1);
    if (full) {
        force_close(&w, s2, "till broken, closing from the office");
        rescue(&w, s1);
    }
    pss_session_free(s2);
    pss_session_free(s1);
}

/* ---- other registers ---- */

static const int64_t CHF_DENOMS[] = {5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
static const int64_t JPY_DENOMS[] = {1, 5, 10, 50, 100, 500, 1000, 5000, 10000};
static const char *const MWST[] = {"MWST81"};
static const char *const JCT[] = {"JCT10", "JCT8"};

static void chf_register(const sc *w)
{
    cfg_opts o = {"0c0f1a00-0000-4000-8000-000000000002", "Kiosk Bahnhof", "KIOSK-01", "CHF", 2,
                  1, 1, PSS_TAX_ROUND_PER_ORDER, PSS_ROUND_HALF_EVEN, PSS_CASH_ROUNDING_CASH, 5,
                  PSS_ROUND_HALF_UP};
    pss_config *c = new_config(w, &o);
    add_method(w, c, "Bargeld", PSS_METHOD_CASH, "Aktiven:Kasse", 0);
    add_method(w, c, "Twint", PSS_METHOD_OTHER, "Aktiven:Twint", 0);
    add_tax(w, c, "MWST81", 81000, 1);
    add_denominations(w, c, CHF_DENOMS, sizeof CHF_DENOMS / sizeof CHF_DENOMS[0]);
    save_config(w, c);
    pss_session *s = open_session(w, o.id, "5e551000-0000-4000-8000-000000000011", "2026-11-21", 0, 0);
    pss_line_input l[2] = {fix_line("Gipfeli", 3000, 133, MWST, 1),
                           fix_line("Zeitung", 1000, 420, MWST, 1)};
    pss_order *a = create_order(w, s, "0de30000-0000-4000-8000-000000000001", l, 2, NULL, 0);
    pay(w, a, "Bargeld", cash_due(w, a) + 1000, NULL);
    pss_order *b = create_order(w, s, "0de30000-0000-4000-8000-000000000002", l + 1, 1, NULL, 0);
    pay(w, b, "Twint", remaining(w, b), "TW-1");
    pss_line_input r[1] = {refund_line(0, -1000)};
    pss_order *c2 = create_order(w, s, "0de30000-0000-4000-8000-000000000003", r, 1,
                                 "0de30000-0000-4000-8000-000000000001", 0);
    pay(w, c2, "Bargeld", cash_due(w, c2), NULL);
    ok(w, pss_session_start_closing(s, &sc_alice), "start closing");
    step(w);
    count_session(w, s, 0, 0, NULL, 0);
    ok(w, pss_session_close(s, &sc_alice, NULL), "close");
    step(w);
    pss_order_free(a);
    pss_order_free(b);
    pss_order_free(c2);
    pss_session_free(s);
}

static void jpy_register(const sc *w)
{
    cfg_opts o = {"0c0f1a00-0000-4000-8000-000000000003", "Shibuya", "SHB", "JPY", 0, 1, 0,
                  PSS_TAX_ROUND_PER_LINE, PSS_ROUND_DOWN, PSS_CASH_ROUNDING_ALL, 10,
                  PSS_ROUND_HALF_EVEN};
    pss_config *c = new_config(w, &o);
    add_method(w, c, "Genkin", PSS_METHOD_CASH, "Assets:Cash", 0);
    add_method(w, c, "Kado", PSS_METHOD_CARD, "Assets:Card", 0);
    add_tax(w, c, "JCT10", 100000, 0);
    add_tax(w, c, "JCT8", 80000, 1);
    add_denominations(w, c, JPY_DENOMS, sizeof JPY_DENOMS / sizeof JPY_DENOMS[0]);
    save_config(w, c);
    pss_session *s = open_session(w, o.id, "5e551000-0000-4000-8000-000000000021", "2026-11-21", 30000, 1);
    pss_line_input l[2] = {fix_line("onigiri", 2000, 158, JCT, 2),
                           fix_line("ocha", 1000, 143, JCT + 1, 1)};
    pss_order *a = create_order(w, s, "0de40000-0000-4000-8000-000000000001", l, 2, NULL, 0);
    pay(w, a, "Genkin", cash_due(w, a), NULL);
    pss_order *b = create_order(w, s, "0de40000-0000-4000-8000-000000000002", l + 1, 1, NULL, 0);
    pay(w, b, "Kado", cash_due(w, b), NULL); /* rounding on every method */
    move_cash(w, s, "ca5a4000-0000-4000-8000-000000000001", PSS_CASH_OUT, 10000, "safe drop", NULL);
    ok(w, pss_session_start_closing(s, &sc_alice), "start closing");
    step(w);
    count_session(w, s, -5000, 1, JPY_DENOMS, sizeof JPY_DENOMS / sizeof JPY_DENOMS[0]);
    if (pss_session_close(s, &sc_alice, NULL) != PSS_ELIMIT)
        ok(w, -1, "close beyond the limit must be refused");
    step(w);
    ok(w, pss_session_close(s, &sc_mia, NULL), "override close");
    step(w);
    pss_order_free(a);
    pss_order_free(b);
    pss_session_free(s);
}

static void saved_only(const sc *w)
{
    cfg_opts o3 = {"0c0f1a00-0000-4000-8000-000000000004", "Souq", "KW-1", "KWD", 3, 0, 0,
                   PSS_TAX_ROUND_PER_ORDER, PSS_ROUND_UP, PSS_CASH_ROUNDING_OFF, 0,
                   PSS_ROUND_HALF_UP};
    pss_config *c = new_config(w, &o3);
    add_method(w, c, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0);
    add_method(w, c, "KNET", PSS_METHOD_CARD, "Assets:KNET", 1);
    add_tax(w, c, "ZERO", 0, 0);
    save_config(w, c);
    cfg_opts o4 = {"0c0f1a00-0000-4000-8000-000000000005", "Lab register", "LAB", "XTS", 4, 1, 1,
                   PSS_TAX_ROUND_PER_LINE, PSS_ROUND_HALF_UP, PSS_CASH_ROUNDING_ALL, 50,
                   PSS_ROUND_DOWN};
    c = new_config(w, &o4);
    add_method(w, c, "Cash", PSS_METHOD_CASH, "Assets:Cash", 0);
    add_tax(w, c, "HIGH", 10000000, 0);
    add_tax(w, c, "INC", 250000, 1);
    ok(w, pss_config_add_category(c, "fees", "Income:Fees"), "category");
    ok(w, pss_config_add_category(c, "goods", "Income:Goods"), "category");
    add_denominations(w, c, (const int64_t[]){1, 100, 10000}, 3);
    save_config(w, c);
}

void sc_others(pss_ctx *ctx, pss_storage *store, sc_checkpoint_fn cp, void *arg)
{
    sc w = {ctx, store, cp, arg};
    chf_register(&w);
    jpy_register(&w);
    saved_only(&w);
}
