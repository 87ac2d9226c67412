/* customers.c: a customer (partner) id on an order, and split receivables: with the config's
 * split_receivables, the invoiced orders of each customer post their receivable on a line of
 * their own (Odoo's split receivables), the rest on one combined line; without it, one line
 * for all (doc/concepts.md, "Customers"). */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static void start(int split)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.split_receivables = split;
    fix_world(&fo, &store, &ctx);
}

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "000000c5-0000-4000-8000-%012d", ++counter);
    return id;
}

static int sell_to(pss_session *s, const char *customer, int invoiced, int64_t price,
                   const char *id)
{
    pss_line_input l = fix_line("desk", 1000, price, NULL, 0);
    pss_payment_input p = fix_pay("Voucher", price);
    pss_order_input in = fix_order(id, &l, &p);
    in.customer = customer;
    in.invoiced = invoiced;
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
}

/* The day: C-1 buys twice on invoice (12.00 and 8.00), C-2 once (5.00), someone without a
 * customer once (3.00), and C-1 once more without an invoice (4.00, a plain sale). */
static void day(pss_session *s)
{
    char id[PSS_ID_SIZE];
    CHECK_OK(ctx, sell_to(s, "C-1", 1, 1200, next_id(id)));
    CHECK_OK(ctx, sell_to(s, "C-2", 1, 500, next_id(id)));
    CHECK_OK(ctx, sell_to(s, "C-1", 1, 800, next_id(id)));
    CHECK_OK(ctx, sell_to(s, NULL, 1, 300, next_id(id)));
    CHECK_OK(ctx, sell_to(s, "C-1", 0, 400, next_id(id)));
}

static char *close_and_receivables(pss_session *s)
{
    pss_entry *e = fix_close_expected(ctx, s, &FIX_ALICE);
    fix_text t = {NULL, 0};
    char row[256];
    for (size_t i = 0; e && i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(e, i, &l);
        if (strcmp(l.kind, "receivable") != 0)
            continue;
        const char *partner = pss_entry_line_partner(e, i);
        snprintf(row, sizeof row, "%s | %lld | %s | %s\n", l.account, (long long)l.credit,
                 l.label, partner ? partner : "-");
        fix_text_write(&t, row, strlen(row));
    }
    CHECK_I64(e ? pss_entry_total(e) : 0, 3200);
    pss_entry_free(e);
    return t.data ? t.data : calloc(1, 1);
}

static void split(void)
{
    start(1);
    pss_session *s = fix_open(ctx, 0);
    day(s);
    CHECK_OK(ctx, pss_session_verify(s));
    char *r = close_and_receivables(s);
    CHECK_SAME_TEXT(r, "Assets:POS Receivable | 2000 | Invoiced orders of C-1 | C-1\n"
                       "Assets:POS Receivable | 500 | Invoiced orders of C-2 | C-2\n"
                       "Assets:POS Receivable | 300 | Invoiced orders | -\n");
    free(r);
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write,
                                                 &t));
    CHECK_CONTAINS(t.data, "    Assets:POS Receivable  EUR -20.00  ; Invoiced orders of C-1\n");
    fix_text_free(&t);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

static void combined(void)
{
    start(0);
    pss_session *s = fix_open(ctx, 0);
    day(s);
    char *r = close_and_receivables(s);
    CHECK_SAME_TEXT(r, "Assets:POS Receivable | 2800 | Invoiced orders | -\n");
    free(r);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* The customer is part of the order's content and of its record (version 3); bad ids are
 * refused and change nothing. */
static void content_and_input(void)
{
    start(1);
    pss_session *s = fix_open(ctx, 0);
    char id[PSS_ID_SIZE];
    CHECK_OK(ctx, sell_to(s, "C-\xc3\xa9", 1, 1200, next_id(id)));
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    CHECK_STR(pss_order_customer(o), "C-\xc3\xa9");
    pss_order_free(o);
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "order", id, fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strncmp(r.payload, "{\"v\":4,", 7) == 0);
    CHECK_CONTAINS(r.payload, "\"invoiced\":true,\"customer\":\"C-\xc3\xa9\",\"at\":");
    char *before = fix_dump(store);
    CHECK_RC(ctx, sell_to(s, "C-2", 1, 1200, id), PSS_ECONFLICT);
    CHECK_RC(ctx, sell_to(s, "C-\t1", 1, 1200, next_id(id)), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "customer id");
    char longer[202]; /* one past the 200 bytes an id may have (doc/concepts.md) */
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    CHECK_RC(ctx, sell_to(s, longer, 1, 1200, next_id(id)), PSS_EINVAL);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

/* A draft's customer and return reason outlive its changes: each change works on a copy of
 * the order, and the copy must own its texts (the model tester saw them read back as freed
 * memory after a payment). */
static void texts_survive_changes(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.allow_receiptless_returns = 1;
    fix_world(&fo, &store, &ctx);
    pss_session *s = fix_open(ctx, 5000);
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA)); /* a return takes a manager */
    char id[PSS_ID_SIZE];
    pss_line_input desk = fix_line("desk", 1000, 1200, NULL, 0);
    pss_order_input in = fix_order(next_id(id), &desk, NULL);
    in.customer = "C-7";
    in.return_reason = "old one back";
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_MIA, &in, &o));
    pss_line_input back = fix_line("chair", -1000, 300, NULL, 0);
    CHECK_OK(ctx, pss_order_add_line(o, &FIX_MIA, &back, NULL));
    pss_payment_input cash = fix_pay("Cash", 900);
    CHECK_OK(ctx, pss_order_add_payment(o, &FIX_MIA, &cash, NULL));
    CHECK_STR(pss_order_customer(o), "C-7");
    CHECK_STR(pss_order_return_reason(o), "old one back");
    pss_order *again = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &again));
    CHECK_STR(pss_order_customer(again), "C-7");
    CHECK_STR(pss_order_return_reason(again), "old one back");
    CHECK_OK(ctx, pss_session_verify(s));
    pss_order_free(again);
    pss_order_free(o);
    pss_session_free(s);
    fix_world_free(store, ctx);
}

int main(void)
{
    texts_survive_changes();
    split();
    combined();
    content_and_input();
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
