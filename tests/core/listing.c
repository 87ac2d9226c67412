/* listing.c: a config's sessions a page at a time, newest first, by state and operating
 * date (pss_session_list_page), and a session's orders by state (pss_order_list). */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "0000001e-0000-4000-8000-%012d", ++counter);
    return id;
}

/* The names of a list's sessions, space-separated. */
static char *names_of(const pss_strlist *list)
{
    fix_text t = {NULL, 0};
    for (size_t i = 0; i < pss_strlist_count(list); i++) {
        pss_session *s = NULL;
        CHECK_OK(ctx, pss_session_load(ctx, pss_strlist_get(list, i), &s));
        const char *name = s ? pss_session_name(s) : "?";
        if (i)
            fix_text_write(&t, " ", 1);
        fix_text_write(&t, name, strlen(name));
        pss_session_free(s);
    }
    return t.data ? t.data : calloc(1, 1);
}

static void close_counted(pss_session *s)
{
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
}

/* Sessions 00001..00009 on 2026-11-01..09, each closed before the next; a late order to
 * 00003 made RESCUE-00001 (dated the clock's day, 2026-11-21) while 00004 was counted; 00010
 * is open on 2026-11-10. */
static void make_year(void)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, NULL);
    pss_session *third = NULL;
    for (int day = 1; day <= 10; day++) {
        char date[16];
        snprintf(date, sizeof date, "2026-11-%02d", day);
        pss_session_input si = PSS_SESSION_INPUT_INIT;
        si.operating_date = date;
        pss_opening_input oi = PSS_OPENING_INPUT_INIT;
        oi.counted_cash = 0;
        pss_session *s = NULL;
        fix_advance(1000);
        CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
        CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
        if (day == 4) {
            char id[PSS_ID_SIZE];
            pss_line_input l = fix_line("tea", 1000, 300, NULL, 0);
            pss_payment_input p = fix_pay("Card", 300);
            pss_order_input late = fix_order(next_id(id), &l, &p);
            CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
            CHECK_OK(ctx, pss_session_submit(third, &FIX_ALICE, &late, NULL));
            CHECK_OK(ctx, pss_session_reopen(s, &FIX_MIA, "one more sale"));
        }
        if (day < 10)
            close_counted(s);
        if (day == 3)
            third = s;
        else
            pss_session_free(s);
    }
    pss_session_free(third);
}

static char *page(pss_session_query *q, int *more)
{
    pss_strlist *list = NULL;
    CHECK_OK(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, q, &list, more));
    char *names = names_of(list);
    if (list && pss_strlist_count(list)) {
        free((char *)q->after); /* the cursor of the page before */
        q->after = strdup(pss_strlist_get(list, pss_strlist_count(list) - 1));
    }
    pss_strlist_free(list);
    return names;
}

static void free_cursor(pss_session_query *q)
{
    free((char *)q->after);
    q->after = NULL;
}

static void pages_newest_first(void)
{
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    q.limit = 4;
    int more = -1;
    char *p = page(&q, &more);
    CHECK_STR(p, "POS-0001/RESCUE-00001 POS-0001/00010 POS-0001/00009 POS-0001/00008");
    CHECK_I64(more, 1);
    free(p);
    p = page(&q, &more);
    CHECK_STR(p, "POS-0001/00007 POS-0001/00006 POS-0001/00005 POS-0001/00004");
    CHECK_I64(more, 1);
    free(p);
    p = page(&q, &more);
    CHECK_STR(p, "POS-0001/00003 POS-0001/00002 POS-0001/00001");
    CHECK_I64(more, 0);
    free(p);
    free_cursor(&q);
}

static void by_state_and_date(void)
{
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    q.state_mask = PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS);
    int more = -1;
    char *p = page(&q, &more);
    CHECK_STR(p, "POS-0001/RESCUE-00001 POS-0001/00010");
    CHECK_I64(more, 0);
    free(p);
    free_cursor(&q);
    q.state_mask = PSS_SESSION_STATE_BIT(PSS_SESSION_CLOSED);
    q.from_date = "2026-11-03";
    q.to_date = "2026-11-06";
    q.limit = 3;
    p = page(&q, &more);
    CHECK_STR(p, "POS-0001/00006 POS-0001/00005 POS-0001/00004");
    CHECK_I64(more, 1);
    free(p);
    p = page(&q, &more);
    CHECK_STR(p, "POS-0001/00003");
    CHECK_I64(more, 0);
    free(p);
    free_cursor(&q);
    q.from_date = "2026-12-01";
    q.to_date = NULL;
    p = page(&q, &more);
    CHECK_STR(p, "");
    free(p);
}

static void bad_queries(void)
{
    pss_strlist *list = NULL;
    char *before = fix_dump(store);
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    q.limit = 0;
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "a page holds 1 to 1000 sessions, not 0");
    q.limit = 1001;
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    q.limit = 10;
    q.from_date = "2026-11-09";
    q.to_date = "2026-11-01";
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "from date 2026-11-09 is after to date 2026-11-01");
    q.to_date = "2026-02-30";
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "to date");
    q.from_date = q.to_date = NULL;
    q.state_mask = 0;
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the state mask selects no state");
    q.state_mask = 1u << 6; /* no session state has bit 6 */
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the state mask selects no state");
    q.state_mask = PSS_SESSION_ANY_STATE;
    q.after = "0c0f1a00-0000-4000-8000-000000000001";
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_ENOTFOUND);
    CHECK_STR(pss_ctx_errmsg(ctx), "page cursor 0c0f1a00-0000-4000-8000-000000000001 is not "
                                   "a session of config 0c0f1a00-0000-4000-8000-000000000001");
    q.after = "not an id";
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EINVAL);
    q.after = NULL;
    q.version = 2;
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, &q, &list, NULL), PSS_EVERSION);
    CHECK_RC(ctx, pss_session_list_page(ctx, FIX_CONFIG_ID, NULL, &list, NULL), PSS_EINVAL);
    CHECK(list == NULL);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
}

/* The open session 00010: a paid order (1), a draft (2), a cancelled one (3), another paid
 * (4). Listed by state in number order; once closed, paid orders list as DONE. */
static void orders_by_state(void)
{
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_find_open(ctx, FIX_CONFIG_ID, &s));
    /* a config without sessions pages none (ASan/UBSan once saw a sort of nothing at NULL) */
    pss_session_query empty = PSS_SESSION_QUERY_INIT;
    pss_strlist *nothing = NULL;
    int more = 9;
    CHECK_OK(ctx, pss_session_list_page(ctx, "0c0f1a00-0000-4000-8000-0000000000ff", &empty,
                                        &nothing, &more));
    CHECK_I64(pss_strlist_count(nothing), 0);
    CHECK_I64(more, 0);
    pss_strlist_free(nothing);
    /* a session without orders lists none (the same) */
    pss_strlist *none = NULL;
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_ANY_STATE, &none));
    CHECK_I64(pss_strlist_count(none), 0);
    pss_strlist_free(none);
    char ids[4][PSS_ID_SIZE];
    pss_line_input l = fix_line("cake", 1000, 250, NULL, 0);
    pss_payment_input p = fix_pay("Cash", 250);
    for (int i = 0; i < 4; i++) {
        pss_order_input in = fix_order(next_id(ids[i]), &l, i == 1 || i == 2 ? NULL : &p);
        CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    }
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, ids[2], &o));
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "customer left"));
    pss_order_free(o);
    pss_strlist *list = NULL;
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_STATE_BIT(PSS_ORDER_PAID), &list));
    CHECK_I64(pss_strlist_count(list), 2);
    CHECK_STR(pss_strlist_get(list, 0), ids[0]);
    CHECK_STR(pss_strlist_get(list, 1), ids[3]);
    pss_strlist_free(list);
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_ANY_STATE, &list));
    CHECK_I64(pss_strlist_count(list), 4);
    CHECK_STR(pss_strlist_get(list, 2), ids[2]);
    pss_strlist_free(list);
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_STATE_BIT(PSS_ORDER_DRAFT) |
                                        PSS_ORDER_STATE_BIT(PSS_ORDER_CANCELLED), &list));
    CHECK_I64(pss_strlist_count(list), 2);
    CHECK_STR(pss_strlist_get(list, 0), ids[1]);
    pss_strlist_free(list);
    CHECK_OK(ctx, pss_order_load(s, ids[1], &o));
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "never paid"));
    pss_order_free(o);
    close_counted(s);
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_STATE_BIT(PSS_ORDER_PAID), &list));
    CHECK_I64(pss_strlist_count(list), 0);
    pss_strlist_free(list);
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_STATE_BIT(PSS_ORDER_DONE), &list));
    CHECK_I64(pss_strlist_count(list), 2);
    CHECK_STR(pss_strlist_get(list, 1), ids[3]);
    pss_strlist_free(list);
    list = NULL;
    CHECK_RC(ctx, pss_order_list(s, 0, &list), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the state mask selects no order state");
    CHECK(list == NULL);
    /* bits that are no order state select none either: bit 0, bit 5 */
    CHECK_RC(ctx, pss_order_list(s, 1u, &list), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the state mask selects no order state");
    CHECK_RC(ctx, pss_order_list(s, 1u << 5, &list), PSS_EINVAL);
    CHECK(list == NULL);
    CHECK_RC(ctx, pss_order_list(NULL, PSS_ORDER_ANY_STATE, &list), PSS_EINVAL);
    pss_session_free(s);
}

int main(void)
{
    make_year();
    pages_newest_first();
    by_state_and_date();
    bad_queries();
    orders_by_state();
    pss_ctx_free(ctx);
    pss_storage_free(store);
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
