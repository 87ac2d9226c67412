/* taxes.c: line and order figures to the minor unit on the awkward cases: included and
 * excluded taxes alone and together, per-line against per-order rounding, discounts,
 * weights, large quantities, the largest amounts before overflow, and overflow itself. */
#include "fixture.h"

static pss_ctx *ctx;
static pss_storage *store;
static pss_session *session;
static int counter;

static void start(pss_tax_rounding mode)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.tax_rounding = mode;
    fix_save_config(ctx, &fo);
    session = fix_open(ctx, 0);
}

static void stop(void)
{
    CHECK_OK(ctx, pss_session_verify(session));
    pss_session_free(session);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

/* A draft order of the given lines; NULL when refused (the code goes to *rc). */
static pss_order *draft(const pss_line_input *lines, size_t n, int *rc)
{
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++counter);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = lines;
    in.n_lines = n;
    pss_order *o = NULL;
    *rc = pss_order_create(session, &FIX_ALICE, &in, &o);
    return o;
}

static pss_order_totals totals_of(pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    return t;
}

#define CHECK_TOTALS(o, u, x, tot)                                                     \
    do {                                                                               \
        pss_order_totals t_ = totals_of(o);                                            \
        CHECK_I64(t_.untaxed, u);                                                      \
        CHECK_I64(t_.tax, x);                                                          \
        CHECK_I64(t_.total, tot);                                                      \
    } while (0)

static const char *VAT10[] = {"VAT10"};
static const char *VAT20[] = {"VAT20"};
static const char *TAX7[] = {"TAX7"};
static const char *TAX7_VAT10[] = {"TAX7", "VAT10"};

static void included_on_twenty(void)
{
    int rc;
    pss_line_input l = fix_line("wine", 1000, 2000, VAT10, 1);
    pss_order *o = draft(&l, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_TOTALS(o, 1818, 182, 2000); /* 20.00 / 1.1 = 18.1818.. */
    pss_line_info li = PSS_LINE_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_line(o, 0, &li));
    CHECK_I64(li.untaxed, 1818);
    CHECK_I64(li.tax, 182);
    CHECK_I64(li.total, 2000);
    CHECK_STR(li.income_account, "Income:Sales");
    pss_tax_info ti = PSS_TAX_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_tax(o, 0, &ti));
    CHECK_STR(ti.code, "VAT10");
    CHECK_I64(ti.base, 1818);
    CHECK_I64(ti.amount, 182);
    pss_order_free(o);
}

static void three_lines_of_996(pss_tax_rounding mode)
{
    int rc;
    pss_line_input l[3] = {fix_line("a", 1000, 996, TAX7, 1), fix_line("b", 1000, 996, TAX7, 1),
                           fix_line("c", 1000, 996, TAX7, 1)};
    pss_order *o = draft(l, 3, &rc);
    CHECK_RC(ctx, rc, 0);
    if (mode == PSS_TAX_ROUND_PER_LINE)
        CHECK_TOTALS(o, 2988, 210, 3198); /* 0.6972 -> 0.70 three times */
    else
        CHECK_TOTALS(o, 2988, 209, 3197); /* 29.88 x 7% = 2.0916 -> 2.09 once */
    pss_line_info li = PSS_LINE_INFO_INIT;
    CHECK_OK(ctx, pss_order_get_line(o, 2, &li));
    /* per order, the lines share the order's 2.09 (0.70, 0.70, 0.69) so they add up to it */
    CHECK_I64(li.tax, mode == PSS_TAX_ROUND_PER_LINE ? 70 : 69);
    pss_order_free(o);
}

static void excluded_and_included(void)
{
    int rc;
    pss_line_input l = fix_line("gift box", 1000, 1000, TAX7_VAT10, 2);
    pss_order *o = draft(&l, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    /* included 10% out of 10.00: 0.91; excluded 7% on 9.09: 0.6363 -> 0.64 */
    CHECK_TOTALS(o, 909, 155, 1064);
    CHECK_I64(pss_order_tax_count(o), 2);
    pss_tax_info ti = PSS_TAX_INFO_INIT;
    pss_order_get_tax(o, 0, &ti);
    CHECK_STR(ti.code, "TAX7");
    CHECK_I64(ti.amount, 64);
    CHECK_I64(ti.base, 909);
    pss_order_get_tax(o, 1, &ti);
    CHECK_STR(ti.code, "VAT10");
    CHECK_I64(ti.amount, 91);
    CHECK_STR(pss_order_line_tax(o, 0, 1), "VAT10");
    pss_order_free(o);
}

static void discounts_and_weights(void)
{
    int rc;
    pss_line_input l[2] = {fix_line("cheese", 250, 1999, NULL, 0), /* 0.250 kg at 19.99 */
                           fix_line("plates", 3000, 999, VAT20, 1)};
    l[1].discount_ppm = 100000; /* 10% of 29.97 = 2.997 -> 3.00 */
    pss_order *o = draft(l, 2, &rc);
    CHECK_RC(ctx, rc, 0);
    /* cheese 4.9975 -> 5.00; plates 26.97 + 20% = 5.394 -> 5.39 */
    CHECK_TOTALS(o, 500 + 2697, 539, 500 + 2697 + 539);
    pss_order_free(o);
    l[1].discount_ppm = 1000000; /* a free gift */
    o = draft(&l[1], 1, &rc);
    CHECK_TOTALS(o, 0, 0, 0);
    pss_order_free(o);
}

static void large_and_overflow(void)
{
    int rc;
    /* a million units at 12.34 with 20% on top */
    pss_line_input big = fix_line("bulk", 1000000000LL, 1234, VAT20, 1);
    pss_order *o = draft(&big, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_TOTALS(o, 1234000000LL, 246800000LL, 1480800000LL); /* 12,340,000.00 + 20% */
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "sample"));
    pss_order_free(o);

    /* the largest line: its total is exactly PSS_AMOUNT_MAX (doc/concepts.md, "Bounds") */
    pss_line_input max = fix_line("yacht", 1000, 833333333333333LL, VAT20, 1);
    o = draft(&max, 1, &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_TOTALS(o, 833333333333333LL, 166666666666667LL, PSS_AMOUNT_MAX);
    int64_t current = 0;
    CHECK_OK(ctx, pss_session_balance(session, &current, NULL));
    CHECK_I64(current, PSS_AMOUNT_MAX);
    pss_order_free(o);

    char *before = fix_dump(store);
    max.unit_price++; /* one minor unit more and the total is beyond the bound */
    o = draft(&max, 1, &rc);
    CHECK(o == NULL);
    CHECK_I64(rc, PSS_EOVERFLOW);
    CHECK_STR(pss_ctx_errmsg(ctx), "line of 'yacht' would be 10000000000000.01, beyond "
                                   "10000000000000.00 (PSS_AMOUNT_MAX)");
    pss_line_input twice = fix_line("yacht", 2000, PSS_AMOUNT_MAX, NULL, 0);
    o = draft(&twice, 1, &rc);
    CHECK_I64(rc, PSS_EOVERFLOW);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "line of 'yacht' would be 20000000000000.00");
    pss_line_input two[2] = {fix_line("a", 1000, PSS_AMOUNT_MAX, NULL, 0),
                             fix_line("b", 1000, 1, NULL, 0)};
    o = draft(two, 2, &rc);
    CHECK_I64(rc, PSS_EOVERFLOW);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "would be 10000000000000.01, beyond");
    pss_line_input priced = fix_line("yacht", 1000, INT64_MAX, NULL, 0);
    o = draft(&priced, 1, &rc);
    CHECK_I64(rc, PSS_EINVAL); /* a price beyond the bound is refused as given */
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "has amount 92233720368547758.07, beyond");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before); /* refused orders leave no trace */
    free(before);
    free(after);
}

static void per_order_groups_by_account(void)
{
    int rc;
    /* per-order rounding sums lines of the same income account and taxes only */
    pss_line_input l[3] = {fix_line("novel", 1000, 996, TAX7, 1), fix_line("atlas", 1000, 996, TAX7, 1),
                           fix_line("pen", 1000, 996, TAX7, 1)};
    l[0].category = "books";
    l[1].category = "books";
    pss_order *o = draft(l, 3, &rc);
    CHECK_RC(ctx, rc, 0);
    /* books: 19.92 x 7% = 1.3944 -> 1.39; pen: 0.6972 -> 0.70 */
    CHECK_TOTALS(o, 2988, 209, 3197);
    pss_order_free(o);
}

int main(void)
{
    start(PSS_TAX_ROUND_PER_LINE);
    included_on_twenty();
    three_lines_of_996(PSS_TAX_ROUND_PER_LINE);
    excluded_and_included();
    discounts_and_weights();
    stop();

    start(PSS_TAX_ROUND_PER_LINE);
    large_and_overflow();
    stop();

    start(PSS_TAX_ROUND_PER_ORDER);
    three_lines_of_996(PSS_TAX_ROUND_PER_ORDER);
    per_order_groups_by_account();
    included_on_twenty();
    stop();
    return check_done();
}
