/* regressions.c: one test per defect an independent model-based tester found (issue 14),
 * each stating the figures of the case that went wrong and what must happen instead: tax
 * sets keyed by code, cash rounding that keeps every session closable and rounds once,
 * audited refusals that change nothing else, refund tallies of figures, bounds that keep
 * every sum in 64 bits, account names hledger reads as given, damaged records, idempotent
 * late orders, and one convention for line numbers in messages. */
#include "fixture.h"

#include "close/journal_internal.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

/* The fixture's register plus X10 (10% excluded) and VAT15 (15% excluded). */
static void start(const fix_config_opts *fo)
{
    fix_config_opts defaults = FIX_CONFIG_OPTS_INIT;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    pss_config *c = fix_config_with(ctx, fo ? fo : &defaults);
    pss_tax_input x10 = {.version = PSS_TAX_INPUT_VERSION, .code = "X10", .name = "Tax 10%", .rate_ppm = 100000,
                           .included = 0, .account = "Liabilities:X10"};
    pss_tax_input vat15 = {.version = PSS_TAX_INPUT_VERSION, .code = "VAT15", .name = "VAT 15%", .rate_ppm = 150000,
                           .included = 0, .account = "Liabilities:VAT15"};
    CHECK_OK(ctx, pss_config_add_tax(c, &x10));
    CHECK_OK(ctx, pss_config_add_tax(c, &vat15));
    CHECK_OK(ctx, pss_config_save(c, &FIX_MIA));
    pss_config_free(c);
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

/* A message with one id in it, for exact detail checks. */
static const char *with_id(const char *fmt, const char *id)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, fmt, id);
    return buf;
}

static pss_order *draft(pss_session *s, const pss_line_input *lines, size_t n)
{
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    return o;
}

static pss_order_totals totals_of(const pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    CHECK_OK(ctx, pss_order_get_totals(o, &t));
    return t;
}

static int64_t order_tax(const pss_order *o, const char *code)
{
    for (size_t i = 0; i < pss_order_tax_count(o); i++) {
        pss_tax_info t = PSS_TAX_INFO_INIT;
        if (pss_order_get_tax(o, i, &t) == 0 && strcmp(t.code, code) == 0)
            return t.amount;
    }
    return PSS_UNSET;
}

/* Sum of the entry lines of a kind on an account, debit positive. */
static int64_t entry_sum(const pss_entry *e, const char *kind, const char *account)
{
    int64_t sum = 0;
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        if ((!kind || strcmp(l.kind, kind) == 0) && (!account || strcmp(l.account, account) == 0))
            sum += l.debit - l.credit;
    }
    return sum;
}

/* Start closing, count what is expected, close as alice; the entry, or NULL. */
static pss_entry *close_counted(pss_session *s)
{
    int64_t expected = 0;
    CHECK_OK(ctx, pss_session_expected_cash(s, &expected));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = expected;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(s, &e));
    return e;
}

/* ---- 1: a tax set is keyed by its codes, never by position ---- */

static void tax_codes_in_any_order(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    static const char *const ab[] = {"X10", "VAT20"}, *const ba[] = {"VAT20", "X10"};
    pss_line_input lines[] = {fix_line("a", 1000, 1000, ab, 2), fix_line("b", 1000, 10000, ba, 2)};
    pss_order *o = draft(s, lines, 2);
    CHECK_I64(order_tax(o, "X10"), 1100);   /* 1.00 + 10.00 */
    CHECK_I64(order_tax(o, "VAT20"), 2200); /* 2.00 + 20.00 */
    CHECK_I64(totals_of(o).total, 14300);
    pss_payment_input cash = fix_pay("Cash", 14300);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    for (size_t i = 0; i < pss_report_tax_count(r); i++) {
        pss_report_tax t = PSS_REPORT_TAX_INIT;
        pss_report_get_tax(r, i, &t);
        CHECK_I64(t.amount, strcmp(t.code, "X10") == 0 ? 1100 : 2200);
        CHECK_I64(t.base, 11000);
    }
    pss_report_free(r);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, "tax", "Liabilities:X10"), -1100);
    CHECK_I64(entry_sum(e, "tax", "Liabilities:VAT20"), -2200);
    CHECK_I64(entry_sum(e, "sales", "Income:Sales"), -11000);
    pss_entry_free(e);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* ---- 2 and 3: cash rounding keeps every session closable and rounds once ---- */

static fix_config_opts rounding_opts(pss_cash_rounding_scope scope, int64_t inc, pss_rounding mode)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_rounding = scope;
    fo.cash_rounding_increment = inc;
    fo.cash_rounding_mode = mode;
    return fo;
}

static void cash_short_of_rounded_rest(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_CASH, 10, PSS_ROUND_HALF_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("gum", 1000, 8, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    CHECK_I64(totals_of(o).cash_due, 10);
    pss_payment_input cash = fix_pay("Cash", 9);
    CHECK_RC(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx),
              with_id("Cash payment of 0.09 on order %s: 0.08 is left, 0.10 with the cash "
                      "rounding (steps of 0.10, half up); pay 0.10 to settle the order (more is "
                      "change), or less than 0.08 as a part payment", pss_order_id(o)));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_DRAFT);
    CHECK_I64(pss_order_payment_count(o), 0);
    cash.amount = 10;
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    pss_order_totals t = totals_of(o);
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(t.rounding, 2);
    CHECK_I64(t.due, 10);
    CHECK_I64(t.change, 0);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, "payment", "Assets:Cash"), 10);
    CHECK_I64(entry_sum(e, "rounding", "Income:Rounding"), -2);
    CHECK_I64(entry_sum(e, NULL, NULL), 0);
    pss_entry_free(e);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* Rounding on every method, up to 0.05: a voucher 9.98 and 0.03 cash on 10.00. */
static void rounding_all_voucher_then_cash(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_ALL, 5, PSS_ROUND_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("book", 1000, 1000, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    CHECK_I64(totals_of(o).rounding, 0); /* nothing is rounded before the order is settled */
    pss_payment_input voucher = fix_pay("Voucher", 998), cash = fix_pay("Cash", 3);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &voucher, NULL));
    CHECK_I64(totals_of(o).remaining, 2);
    CHECK_I64(totals_of(o).cash_due, 5);
    CHECK_RC(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), ": 0.02 is left, 0.05 with the cash rounding (steps of "
                                        "0.05, up); pay 0.05 to settle the order");
    cash.amount = 5;
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    pss_order_totals t = totals_of(o);
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(t.rounding, 3);
    CHECK_I64(t.due, 1003);
    CHECK_I64(t.paid, 1003);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, "rounding", "Income:Rounding"), -3);
    CHECK_I64(entry_sum(e, "payment", "Liabilities:Vouchers"), 998);
    CHECK_I64(entry_sum(e, "payment", "Assets:Cash"), 5);
    pss_entry_free(e);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* 0.09 paid out on a 0.08 refund, cash rounded to 0.10 half up. */
static void refund_paid_out_short_of_rounded(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_CASH, 10, PSS_ROUND_HALF_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 100);
    pss_line_input l = fix_line("gum", 1000, 8, NULL, 0);
    pss_order *sale = draft(s, &l, 1);
    pss_payment_input cash = fix_pay("Cash", 10);
    CHECK_OK(ctx, pss_order_add_payment(sale, &FIX_ALICE, &cash, NULL));
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.quantity = -1000;
    back.refund_line = 0;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.refund_of = pss_order_id(sale);
    in.lines = &back;
    in.n_lines = 1;
    pss_order *refund = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &refund));
    CHECK_I64(totals_of(refund).total, -8);
    CHECK_I64(totals_of(refund).cash_due, -10);
    cash.amount = -9;
    CHECK_RC(ctx, pss_order_add_payment(refund, &FIX_ALICE, &cash, NULL), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "-0.08 is left, -0.10 with the cash rounding");
    cash.amount = -11;
    CHECK_RC(ctx, pss_order_add_payment(refund, &FIX_ALICE, &cash, NULL), PSS_EOVERPAY);
    cash.amount = -10;
    CHECK_OK(ctx, pss_order_add_payment(refund, &FIX_ALICE, &cash, NULL));
    CHECK_I64(totals_of(refund).rounding, -2);
    CHECK_I64(pss_order_state_of(refund), PSS_ORDER_PAID);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, "rounding", NULL), 0); /* +0.02 on the sale, -0.02 on the refund */
    CHECK_I64(entry_sum(e, "payment", "Assets:Cash"), 0);
    pss_entry_free(e);
    pss_order_free(refund);
    pss_order_free(sale);
    pss_session_free(s);
    stop();
}

/* Odoo's test: rounding on every method up to 0.05, 15% excluded tax, 13.67 (total 15.72);
 * 0.64 by card, then the rest in cash: 15.08 rounds to 15.10, rounding 0.02, paid 15.74. */
static void rounding_once_at_settlement(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_ALL, 5, PSS_ROUND_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    static const char *const vat15[] = {"VAT15"};
    pss_line_input l = fix_line("lamp", 1000, 1367, vat15, 1);
    pss_order *o = draft(s, &l, 1);
    CHECK_I64(totals_of(o).total, 1572);
    CHECK_I64(totals_of(o).due, 1572);
    CHECK_I64(totals_of(o).cash_due, 1575);
    pss_payment_input card = fix_pay("Card", 64), cash = fix_pay("Cash", 1510);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_ALICE, 0));
    CHECK_I64(totals_of(o).cash_due, 1510);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    pss_order_totals t = totals_of(o);
    CHECK_I64(t.rounding, 2);
    CHECK_I64(t.due, 1574);
    CHECK_I64(t.paid, 1574);
    CHECK_I64(t.change, 0);
    pss_order_free(o);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, "rounding", "Income:Rounding"), -2);
    CHECK_I64(entry_sum(e, "tax", "Liabilities:VAT15"), -205);
    pss_entry_free(e);
    pss_session_free(s);
    stop();
}

/* A settling card payment that fails takes its rounding back. */
static void failed_settlement_takes_rounding_back(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_ALL, 5, PSS_ROUND_HALF_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("pen", 1000, 1002, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    pss_payment_input card = fix_pay("Card", 1000);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    CHECK_I64(totals_of(o).rounding, -2);
    CHECK_OK(ctx, pss_order_fail_payment(o, &FIX_ALICE, 0, "declined"));
    CHECK_I64(totals_of(o).rounding, 0);
    CHECK_I64(totals_of(o).remaining, 1002);
    pss_payment_input cash = fix_pay("Cash", 2000);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    CHECK_I64(totals_of(o).rounding, -2);
    CHECK_I64(totals_of(o).change, 1000);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_order_free(o);
    pss_entry_free(close_counted(s));
    pss_session_free(s);
    stop();
}

/* What is left rounds to nothing in cash: no cash is taken, validate settles it. */
static void rest_that_rounds_to_nothing(void)
{
    fix_config_opts fo = rounding_opts(PSS_CASH_ROUNDING_CASH, 5, PSS_ROUND_HALF_UP);
    start(&fo);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("pen", 1000, 1002, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    pss_payment_input voucher = fix_pay("Voucher", 1000), cash = fix_pay("Cash", 5);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &voucher, NULL));
    CHECK_I64(totals_of(o).cash_due, 0);
    CHECK_RC(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL), PSS_ESTATE);
    CHECK_OK(ctx, pss_order_validate(o, &FIX_ALICE));
    CHECK_I64(pss_order_state_of(o), PSS_ORDER_PAID);
    CHECK_I64(totals_of(o).rounding, -2);
    pss_order_free(o);
    pss_entry_free(close_counted(s));
    pss_session_free(s);
    stop();
}

/* ---- 4 and 12: an audited refusal adds its audit entry and nothing else ---- */

static void unbalance(struct pss_entry *e, void *userdata)
{
    (void)userdata;
    if (e->n_lines)
        e->lines[0].debit += 1;
    e->debits += 1;
}

/* Lines of a dump that are not audit entries. */
static char *without_audit(char *dump, size_t *audit_lines)
{
    char *out = calloc(1, strlen(dump) + 1), *w = out;
    *audit_lines = 0;
    for (char *line = strtok(dump, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "audit", 5) == 0) {
            ++*audit_lines;
            continue;
        }
        w += sprintf(w, "%s\n", line);
    }
    free(dump);
    return out;
}

static pss_audit_record last_audit(const char *subject, pss_audit **keep)
{
    pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
    CHECK_OK(ctx, pss_audit_load(ctx, subject, keep));
    pss_audit_get(*keep, pss_audit_count(*keep) - 1, &rec);
    return rec;
}

static void refused_force_close_changes_nothing(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 500, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    pss_payment_input voucher = fix_pay("Voucher", 200);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &voucher, NULL));
    size_t audit_before, audit_after;
    char *before = without_audit(fix_dump(store), &audit_before);
    ctx->journal_hook = unbalance;
    pss_force_close_input fc = PSS_FORCE_CLOSE_INPUT_INIT;
    fc.reason = "till 3 died overnight";
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_ADA, &fc), PSS_EUNBALANCED);
    ctx->journal_hook = NULL;
    char *after = without_audit(fix_dump(store), &audit_after);
    CHECK_SAME_TEXT(after, before);
    CHECK_I64(audit_after, audit_before + 1);
    pss_audit *a = NULL;
    pss_audit_record rec = last_audit(pss_session_id(s), &a);
    CHECK_STR(rec.action, "session.force_close");
    CHECK_I64(rec.outcome, PSS_EUNBALANCED);
    CHECK_STR(rec.reason, "till 3 died overnight");
    pss_audit_free(a);
    CHECK_OK(ctx, pss_session_verify(s));
    size_t drafts = 0;
    CHECK_OK(ctx, pss_session_blockers(s, &drafts, NULL));
    CHECK_I64(drafts, 1);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_IN_PROGRESS);
    CHECK_OK(ctx, pss_session_force_close(s, &FIX_ADA, &fc));
    CHECK_OK(ctx, pss_session_verify(s));
    free(before);
    free(after);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

static void pending_refusal_names_the_reason(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 500, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    pss_payment_input card = fix_pay("Card", 500);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    pss_force_close_input fc = PSS_FORCE_CLOSE_INPUT_INIT;
    fc.reason = "register stolen";
    CHECK_RC(ctx, pss_session_force_close(s, &FIX_ADA, &fc), PSS_EPAYPENDING);
    pss_audit *a = NULL;
    pss_audit_record rec = last_audit(pss_session_id(s), &a);
    CHECK_STR(rec.action, "session.force_close");
    CHECK_I64(rec.outcome, PSS_EPAYPENDING);
    CHECK_STR(rec.reason, "register stolen");
    CHECK_CONTAINS(rec.detail, "1 pending payment");
    pss_audit_free(a);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

/* ---- 5: refunds never pay back more than the sale took ---- */

static pss_order *refund_of(pss_session *s, const pss_order *sale, size_t line, int64_t qty)
{
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.quantity = qty;
    back.refund_line = (int64_t)line;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.refund_of = pss_order_id(sale);
    in.lines = &back;
    in.n_lines = 1;
    pss_order *r = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &r));
    return r;
}

static void refund_piece_by_piece(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 1000);
    static const char *const vat20[] = {"VAT20"};
    pss_line_input l = fix_line("clip", 3000, 33, vat20, 1);
    pss_order *sale = draft(s, &l, 1);
    CHECK_I64(totals_of(sale).total, 119);
    pss_payment_input cash = fix_pay("Cash", 119);
    CHECK_OK(ctx, pss_order_add_payment(sale, &FIX_ALICE, &cash, NULL));
    static const int64_t totals[] = {-40, -39, -40}, taxes[] = {-7, -6, -7};
    for (int i = 0; i < 3; i++) {
        pss_order *r = refund_of(s, sale, 0, -1000);
        CHECK_I64(totals_of(r).total, totals[i]);
        CHECK_I64(order_tax(r, "VAT20"), taxes[i]);
        cash.amount = totals[i];
        CHECK_OK(ctx, pss_order_add_payment(r, &FIX_ALICE, &cash, NULL));
        pss_order_free(r);
    }
    pss_order *more = NULL;
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.quantity = -1;
    back.refund_line = 0;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.refund_of = pss_order_id(sale);
    in.lines = &back;
    in.n_lines = 1;
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &more), PSS_EREFUND);
    CHECK_STR(pss_ctx_errmsg(ctx),
              with_id("line 0 ('clip') of order %s sold 3.000 and 3.000 are already refunded; "
                      "refunding 0.001 more is refused", pss_order_id(sale)));
    pss_report *rep = NULL;
    CHECK_OK(ctx, pss_session_report(s, &rep));
    pss_report_tax t = PSS_REPORT_TAX_INIT;
    CHECK_OK(ctx, pss_report_get_tax(rep, 0, &t));
    CHECK_I64(t.amount, 20);
    CHECK_I64(t.refund_amount, -20);
    CHECK_I64(t.refund_base, -99);
    CHECK_I64(pss_report_get(rep, PSS_FIG_CASH_PAYMENTS), 0);
    pss_report_free(rep);
    pss_entry *e = close_counted(s);
    CHECK_I64(entry_sum(e, NULL, "Liabilities:VAT20"), 0);
    CHECK_I64(entry_sum(e, NULL, "Income:Sales"), 0);
    pss_entry_free(e);
    pss_order_free(sale);
    pss_session_free(s);
    stop();
}

/* A cancelled refund gives its quantity and figures back to the tally. */
static void cancelled_refund_gives_back(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 1000);
    static const char *const vat20[] = {"VAT20"};
    pss_line_input l = fix_line("clip", 3000, 33, vat20, 1);
    pss_order *sale = draft(s, &l, 1);
    pss_payment_input cash = fix_pay("Cash", 119);
    CHECK_OK(ctx, pss_order_add_payment(sale, &FIX_ALICE, &cash, NULL));
    pss_order *first = refund_of(s, sale, 0, -1000);
    pss_order *second = refund_of(s, sale, 0, -1000);
    CHECK_I64(totals_of(first).total, -40);
    CHECK_I64(totals_of(second).total, -39);
    CHECK_OK(ctx, pss_order_cancel(first, &FIX_ALICE, "wrong item"));
    pss_order *rest = refund_of(s, sale, 0, -2000); /* the two pieces left */
    CHECK_I64(totals_of(rest).total, -80);          /* 1.19 - 0.39 */
    CHECK_I64(order_tax(rest, "VAT20"), -14);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_order_free(rest);
    pss_order_free(second);
    pss_order_free(first);
    pss_order_free(sale);
    pss_session_free(s);
    stop();
}

/* Rounding up, two included taxes on a price of 1 yen take 1 each: the line's excluded tax
 * is then negative. Its refund tally holds that sign and reads back (the model tester). */
static void refund_of_a_negative_tax(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.currency = "JPY";
    fo.exponent = 0;
    fo.rounding = PSS_ROUND_UP;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    pss_config *c = fix_config_with(ctx, &fo);
    pss_tax_input in5 = {.version = PSS_TAX_INPUT_VERSION, .code = "IN5", .name = NULL, .rate_ppm = 50000,
                           .included = 1, .account = "Liabilities:IN5"};
    CHECK_OK(ctx, pss_config_add_tax(c, &in5));
    CHECK_OK(ctx, pss_config_save(c, &FIX_MIA));
    pss_config_free(c);
    pss_session *s = fix_open(ctx, 100);
    static const char *const three[] = {"VAT10", "IN5", "VAT20"};
    pss_line_input l = fix_line("gum", 1000, 1, three, 3);
    pss_order *sale = draft(s, &l, 1);
    CHECK_I64(order_tax(sale, "VAT10"), 1);
    CHECK_I64(order_tax(sale, "IN5"), 1);
    CHECK_I64(order_tax(sale, "VAT20"), -1); /* on an untaxed of -1 */
    CHECK_I64(totals_of(sale).total, 0);
    CHECK_OK(ctx, pss_order_validate(sale, &FIX_ALICE));
    pss_order *r = refund_of(s, sale, 0, -1000);
    CHECK_I64(order_tax(r, "VAT20"), 1);
    CHECK_OK(ctx, pss_order_cancel(r, &FIX_ALICE, "mistake"));
    pss_order_free(r);
    r = refund_of(s, sale, 0, -1000);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_order_free(r);
    pss_order_free(sale);
    pss_session_free(s);
    stop();
}

/* ---- 6: bounds chosen so that every sum of a session fits ---- */

static void absurd_cash_payment_is_refused(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 500);
    pss_line_input l = fix_line("tea", 1000, 100, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    char *before = fix_dump(store);
    pss_payment_input cash = fix_pay("Cash", INT64_MAX);
    CHECK_RC(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "Cash payment has amount 92233720368547758.07, beyond "
                                   "10000000000000.00 (PSS_AMOUNT_MAX)");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    cash.amount = PSS_AMOUNT_MAX; /* the largest amount is taken, and its change given */
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &cash, NULL));
    CHECK_I64(totals_of(o).change, PSS_AMOUNT_MAX - 100);
    int64_t expected = 0;
    CHECK_OK(ctx, pss_session_expected_cash(s, &expected));
    CHECK_I64(expected, 600);
    pss_line_input big = fix_line("gold", 1000, PSS_AMOUNT_MAX, NULL, 0);
    pss_payment_input card = fix_pay("Voucher", PSS_AMOUNT_MAX);
    pss_order *b = draft(s, &big, 1);
    CHECK_OK(ctx, pss_order_add_payment(b, &FIX_ALICE, &card, NULL));
    pss_entry *e = close_counted(s);
    CHECK_I64(pss_entry_total(e), PSS_AMOUNT_MAX + 600); /* 5.00 over at opening */
    pss_entry_free(e);
    free(before);
    free(after);
    pss_order_free(b);
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

static void bounds_of_lines_and_counts(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_order *o = NULL;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    pss_line_input l = fix_line("sand", PSS_QUANTITY_MAX + 1, 1, NULL, 0);
    in.lines = &l;
    in.n_lines = 1;
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &o), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "beyond 1000000000.000 (PSS_QUANTITY_MAX)");
    l = fix_line("sand", 2000, PSS_AMOUNT_MAX, NULL, 0); /* 2 x the largest price */
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &o), PSS_EOVERFLOW);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "20000000000000.00");
    l = fix_line("sand", 1000, PSS_AMOUNT_MAX + 1, NULL, 0);
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &o), PSS_EINVAL);
    pss_cash_input mv = PSS_CASH_INPUT_INIT;
    mv.kind = PSS_CASH_IN;
    mv.amount = PSS_AMOUNT_MAX + 1;
    mv.reason = "float";
    CHECK_RC(ctx, pss_cash_move(s, &FIX_ALICE, &mv, NULL), PSS_EINVAL);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_denomination_count coins[] = {{5000, PSS_AMOUNT_MAX / 5000 + 1}};
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.denominations = coins;
    c.n_denominations = 1;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    c.denominations = NULL;
    c.n_denominations = 0;
    c.cash_total = PSS_AMOUNT_MAX + 1;
    CHECK_RC(ctx, pss_session_count(s, &FIX_ALICE, &c), PSS_EINVAL);
    pss_session_free(s);
    stop();
}

/* A session records at most PSS_SESSION_VOLUME_MAX in all: 50 orders of 10^15 paid by
 * voucher make 10^17; the 51st is refused and the session still closes. */
static void session_volume_bound(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("gold", 1000, PSS_AMOUNT_MAX, NULL, 0);
    pss_payment_input v = fix_pay("Voucher", PSS_AMOUNT_MAX);
    v.state = PSS_PAYMENT_DONE;
    pss_order_input in = fix_order(NULL, &l, &v);
    char id[PSS_ID_SIZE];
    for (int i = 0; i < 50; i++) {
        in.id = next_id(id);
        CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    }
    in.id = next_id(id);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL), PSS_EOVERFLOW);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "1000000000000000.00 (PSS_SESSION_VOLUME_MAX)");
    pss_entry *e = close_counted(s);
    CHECK_I64(pss_entry_total(e), 50 * PSS_AMOUNT_MAX);
    pss_entry_free(e);
    pss_session_free(s);
    stop();
}

/* ---- 7: account names hledger reads as given ---- */

static void ledger_account_names(void)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    pss_config *c = fix_config(ctx);
    static const char *const refused[] = {"(Assets:Cash)", "[Assets:Cash]", "* Assets:Cash",
                                          "! Assets:Cash", "*Assets", "(Assets", "[x]"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        pss_method_input m = {PSS_METHOD_INPUT_VERSION, "Cheque", PSS_METHOD_OTHER, refused[i], 0};
        CHECK_RC(ctx, pss_config_add_method(c, &m), PSS_EINVAL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), "may not begin with '(', '[', '*' or '!'");
        pss_tax_input t = {.version = PSS_TAX_INPUT_VERSION, .code = "T", .name = NULL, .rate_ppm = 1000,
                           .included = 0, .account = refused[i]};
        CHECK_RC(ctx, pss_config_add_tax(c, &t), PSS_EINVAL);
        CHECK_RC(ctx, pss_config_add_category(c, "odd", refused[i]), PSS_EINVAL);
    }
    /* a C1 control character (U+0085, NEL) is a control character too */
    pss_method_input nel = {PSS_METHOD_INPUT_VERSION, "Cheque", PSS_METHOD_OTHER,
                            "Assets:C1\xc2\x85", 0};
    CHECK_RC(ctx, pss_config_add_method(c, &nel), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "payment method account contains a control character "
                                   "(U+0085 at byte 9)");
    /* spaces other than U+0020 come back from hledger as plain ones (the model tester) */
    static const char *const spaces[] = {"Till \xc2\xa0" "2", "Ventes\xe3\x80\x80" "Est",
                                         "A\xe2\x80\x89" "B", "A\xe2\x80\xaf" "B"};
    for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
        pss_method_input m = {PSS_METHOD_INPUT_VERSION, "Cheque", PSS_METHOD_OTHER, spaces[i], 0};
        CHECK_RC(ctx, pss_config_add_method(c, &m), PSS_EINVAL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), "holds a space other than the plain space");
    }
    pss_method_input ok = {PSS_METHOD_INPUT_VERSION, "Cheque", PSS_METHOD_OTHER,
                           "Assets:Cheques (to bank)", 0};
    CHECK_OK(ctx, pss_config_add_method(c, &ok));
    pss_config_free(c);
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    in.name = "x", in.code = "X", in.currency = "EUR";
    in.income_account = "[Income]";
    CHECK_RC(ctx, pss_config_new(ctx, &in, &c), PSS_EINVAL);
    stop();
}

/* ---- 9: damaged records that decode ---- */

/* Replaces `from` by `to` in a stored record, behind the library's back. */
static void overwrite(const char *kind, const char *id, const char *from, const char *to)
{
    fix_record f;
    store->begin(store->userdata, 0);
    store->get(store->userdata, kind, id, fix_grab, &f);
    store->commit(store->userdata);
    char *at = strstr(f.payload, from), payload[sizeof f.payload + 64];
    if (!at) {
        printf("# '%s' is not in %s %s\n", from, kind, id);
        return;
    }
    snprintf(payload, sizeof payload, "%.*s%s%s", (int)(at - f.payload), f.payload, to,
             at + strlen(from));
    if (fix_overwrite(store, kind, id, payload) != 0)
        printf("# could not overwrite %s %s\n", kind, id);
}

static void out_of_range_stored_values(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 500, NULL, 0);
    pss_order *o = draft(s, &l, 1);
    char oid[PSS_ID_SIZE];
    snprintf(oid, sizeof oid, "%s", pss_order_id(o));
    pss_order_free(o);
    static const struct {
        const char *from, *to;
    } damage[] = {
        /* a line is [product, qty, price, taxes, amount...] (doc/storage.md) */
        {"[\"tea\",1000,", "[\"tea\",-9223372036854775808,"},
        {"[\"tea\",1000,", "[\"tea\",0,"},
        {",500,[]", ",-500,[]"},
        {",500,[]", ",1000000000000001,[]"},
        {",500,[]]", ",500,[],9223372036854775807]"},
        /* 0.333 x 5.00 is no whole amount: its amount must be written */
        {"[\"tea\",1000,500,[]]", "[\"tea\",333,500,[]]"},
        {"\"no\":1", "\"no\":-1"},
    };
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        overwrite("order", oid, damage[i].from, damage[i].to);
        pss_order *back = NULL;
        CHECK_RC(ctx, pss_order_load(s, oid, &back), PSS_ECORRUPT);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is corrupt");
        CHECK_RC(ctx, pss_session_verify(s), PSS_ECORRUPT);
        overwrite("order", oid, damage[i].to, damage[i].from);
    }
    pss_cash_input mv = PSS_CASH_INPUT_INIT;
    mv.kind = PSS_CASH_IN;
    mv.amount = 1000;
    mv.reason = "float";
    char mid[PSS_ID_SIZE];
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &mv, mid));
    fix_record f;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "movement", mid, fix_grab, &f);
    store->commit(store->userdata);
    char *t = strstr(f.payload, "\"time\":");
    char time_field[64];
    snprintf(time_field, sizeof time_field, "%.*s", (int)strcspn(t, ",}"), t);
    overwrite("movement", mid, time_field, "\"time\":1000000000000000000");
    pss_cash_list *cl = NULL;
    CHECK_RC(ctx, pss_cash_list_load(s, &cl), PSS_ECORRUPT);
    overwrite("movement", mid, "\"time\":1000000000000000000", time_field);
    overwrite("movement", mid, "\"amount\":1000", "\"amount\":-9223372036854775807");
    CHECK_RC(ctx, pss_cash_list_load(s, &cl), PSS_ECORRUPT);
    pss_session_free(s);
    stop();
}

/* ---- 10 and 11: late orders are idempotent: same answer, nothing created ---- */

static void late_order_retry(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_control = 0;
    start(&fo);
    pss_session *s = fix_open(ctx, PSS_UNSET);
    pss_entry_free(close_counted(s));
    char id[PSS_ID_SIZE];
    pss_line_input l = fix_line("tea", 1000, 500, NULL, 0);
    pss_payment_input p = fix_pay("Voucher", 500);
    pss_order_input in = fix_order(next_id(id), &l, &p);
    pss_submit_result first = PSS_SUBMIT_RESULT_INIT, again = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &first));
    CHECK_I64(first.routed, 1);
    CHECK_I64(first.rescue, 1);
    CHECK_I64(first.duplicate, 0);
    CHECK_I64(first.state, PSS_ORDER_PAID);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &again));
    CHECK_I64(again.duplicate, 1);
    CHECK_I64(again.routed, 1);
    CHECK_I64(again.rescue, 1);
    CHECK_STR(again.session_id, first.session_id);
    CHECK_I64(again.state, PSS_ORDER_PAID);
    pss_session *rescue = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, first.session_id, &rescue));
    CHECK_OK(ctx, pss_session_start_closing(rescue, &FIX_MIA));
    pss_submit_result counting = PSS_SUBMIT_RESULT_INIT; /* a retry while it is counted */
    CHECK_OK(ctx, pss_session_submit(rescue, &FIX_MIA, &in, &counting));
    CHECK_I64(counting.duplicate, 1);
    CHECK_I64(counting.routed, 0); /* submitted where it is recorded */
    CHECK_I64(counting.rescue, 1); /* which is a rescue session */
    CHECK_OK(ctx, pss_session_close(rescue, &FIX_MIA, NULL));
    char *before = fix_dump(store);
    pss_submit_result late = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &late));
    CHECK_I64(late.duplicate, 1);
    CHECK_I64(late.routed, 1);
    CHECK_I64(late.rescue, 1);
    CHECK_STR(late.session_id, first.session_id);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before); /* no new rescue session */
    free(after);
    /* a late batch whose orders are all refused makes nothing either */
    pss_line_input bad = fix_line("tea", 0, 500, NULL, 0);
    pss_order_input b = in;
    b.id = next_id(id);
    b.lines = &bad;
    const pss_order_input *batch[] = {&b};
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    size_t accepted = 9;
    CHECK_OK(ctx, pss_session_submit_batch(s, &FIX_ALICE, batch, 1, &res, &accepted));
    CHECK_I64(accepted, 0);
    CHECK_I64(res.status, PSS_EINVAL);
    after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    /* an empty batch may pass no array and no results */
    CHECK_OK(ctx, pss_session_submit_batch(s, &FIX_ALICE, NULL, 0, NULL, &accepted));
    CHECK_I64(accepted, 0);
    free(before);
    pss_session_free(rescue);
    pss_session_free(s);
    stop();
}

/* ---- 10: a till's retry batch while the session is counted, under a config that refuses
 * late orders: the recorded order is answered, the new one refused on its own (PSS_ESTATE),
 * and nothing changes (the default policy routes the new one: tests/core/late.c) ---- */

static void retry_batch_while_counted(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_control = 0;
    fo.late_orders = PSS_LATE_REFUSE;
    start(&fo);
    pss_session *s = fix_open(ctx, PSS_UNSET);
    char id1[PSS_ID_SIZE], id2[PSS_ID_SIZE];
    pss_line_input l = fix_line("tea", 1000, 500, NULL, 0);
    pss_payment_input p = fix_pay("Voucher", 500);
    pss_order_input old = fix_order(next_id(id1), &l, &p);
    pss_order_input fresh = fix_order(next_id(id2), &l, &p);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &old, NULL));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    char *before = fix_dump(store);
    const pss_order_input *batch[] = {&old, &fresh};
    pss_submit_result res[2] = {PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT};
    size_t accepted = 9;
    CHECK_OK(ctx, pss_session_submit_batch(s, &FIX_ALICE, batch, 2, res, &accepted));
    CHECK_I64(accepted, 1);
    CHECK_I64(res[0].status, 0);
    CHECK_I64(res[0].duplicate, 1);
    CHECK_I64(res[0].state, PSS_ORDER_PAID);
    CHECK_STR(res[0].session_id, pss_session_id(s));
    CHECK_I64(res[1].status, PSS_ESTATE);
    CHECK_I64(res[1].duplicate, 0);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    /* a batch of new orders only is refused whole */
    const pss_order_input *only_new[] = {&fresh};
    CHECK_RC(ctx, pss_session_submit_batch(s, &FIX_ALICE, only_new, 1, res, &accepted),
             PSS_ESTATE);
    CHECK_I64(res[0].status, PSS_ESTATE);
    CHECK_I64(accepted, 0);
    free(before);
    pss_session_free(s);
    stop();
}

/* ---- the bounds hold whatever the config: an opening count without cash control is still
 * checked (it was ignored, so -0.01 or INT64_MAX opened the session) ---- */

static void opening_count_without_cash_control(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_control = 0;
    start(&fo);
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    char *before = fix_dump(store);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = -1;
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "opening cash -0.01 is negative");
    oi.counted_cash = INT64_MAX;
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "beyond 10000000000000.00 (PSS_AMOUNT_MAX)");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    /* a count within the bounds: nothing is counted without cash control, the expected cash
     * (0.00 for the first session) is taken, as at the close */
    oi.counted_cash = 500;
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    int64_t expected = -1, counted = -1;
    CHECK_OK(ctx, pss_session_opening(s, &expected, &counted));
    CHECK_I64(expected, 0);
    CHECK_I64(counted, 0);
    pss_session_free(s);
    stop();
}

/* ---- 14: lines and payments are named by their index, from 0, in every message ---- */

static void line_numbers_in_messages(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input lines[] = {fix_line("a", 1000, 100, NULL, 0), fix_line("b", 1000, 100, NULL, 0),
                              fix_line("c", 1000, 100, NULL, 0)};
    pss_order *o = draft(s, lines, 3);
    CHECK_RC(ctx, pss_order_remove_line(o, &FIX_ALICE, 3), PSS_ENOTFOUND);
    CHECK_STR(pss_ctx_errmsg(ctx), with_id("order %s has 3 lines (0 to 2); line 3 does not exist",
                                           pss_order_id(o)));
    pss_payment_input card = fix_pay("Card", 300);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_ALICE, &card, NULL));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_EPAYPENDING);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), with_id("payment 0 of order %s", pss_order_id(o)));
    CHECK_RC(ctx, pss_order_confirm_payment(o, &FIX_ALICE, 1), PSS_ENOTFOUND);
    CHECK_STR(pss_ctx_errmsg(ctx), with_id("order %s has 1 payment (0 to 0); payment 1 does not "
                                           "exist", pss_order_id(o)));
    pss_order_free(o);
    pss_session_free(s);
    stop();
}

static void per_order_lines_add_up(void);

int main(void)
{
    tax_codes_in_any_order();
    cash_short_of_rounded_rest();
    rounding_all_voucher_then_cash();
    refund_paid_out_short_of_rounded();
    rounding_once_at_settlement();
    failed_settlement_takes_rounding_back();
    rest_that_rounds_to_nothing();
    refused_force_close_changes_nothing();
    pending_refusal_names_the_reason();
    refund_piece_by_piece();
    cancelled_refund_gives_back();
    per_order_lines_add_up();
    refund_of_a_negative_tax();
    absurd_cash_payment_is_refused();
    bounds_of_lines_and_counts();
    session_volume_bound();
    ledger_account_names();
    out_of_range_stored_values();
    late_order_retry();
    retry_batch_while_counted();
    opening_count_without_cash_control();
    line_numbers_in_messages();
    return check_done();
}

/* Per-order tax rounding: the group's tax is shared out over its lines, so that refunding
 * the lines one by one gives back exactly the order's tax (2.09, not 3 x 0.70). */
static void per_order_lines_add_up(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.tax_rounding = PSS_TAX_ROUND_PER_ORDER;
    start(&fo);
    pss_session *s = fix_open(ctx, 1000);
    static const char *const tax7[] = {"TAX7"};
    pss_line_input l = fix_line("pad", 1000, 996, tax7, 1);
    pss_line_input lines[] = {l, l, l};
    pss_order *sale = draft(s, lines, 3);
    CHECK_I64(order_tax(sale, "TAX7"), 209);
    static const int64_t shares[] = {70, 70, 69};
    for (size_t i = 0; i < 3; i++) {
        pss_line_info li = PSS_LINE_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_line(sale, i, &li));
        CHECK_I64(li.tax, shares[i]);
        CHECK_I64(li.untaxed, 996);
        CHECK_I64(li.total, 996 + shares[i]);
    }
    pss_payment_input cash = fix_pay("Cash", 3197);
    CHECK_OK(ctx, pss_order_add_payment(sale, &FIX_ALICE, &cash, NULL));
    int64_t refunded = 0;
    for (size_t i = 0; i < 3; i++) {
        pss_order *r = refund_of(s, sale, i, -1000);
        CHECK_I64(order_tax(r, "TAX7"), -shares[i]);
        refunded += order_tax(r, "TAX7");
        pss_order_free(r);
    }
    CHECK_I64(refunded, -209);
    pss_order_free(sale);
    pss_session_free(s);
    stop();
}
