/* sessions.c: the session lifecycle: legal transitions only, one open session per config
 * (also when two contexts race on threads), one session per day, the opening-cash chain,
 * responsible user, device lease and take-over, resume from storage, listing, the audit
 * trail of every state change, observer events and bad input that changes nothing. */
#include <pthread.h>

#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;

static void start(const fix_config_opts *fo)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, fo);
}

static void stop(void)
{
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static pss_session *create(pss_ctx *c, const char *date, int *rc)
{
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = date;
    pss_session *s = NULL;
    *rc = pss_session_create(c, FIX_CONFIG_ID, &FIX_ALICE, &si, &s);
    return s;
}

static void close_with(pss_session *s, int64_t counted)
{
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = counted;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));
}

static void lifecycle(void)
{
    start(NULL);
    int rc;
    pss_session *s = create(ctx, "2026-11-21", &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_NEW);
    CHECK_STR(pss_session_name(s), "POS-0001/00001");
    CHECK_STR(pss_session_user(s), "alice");
    CHECK_STR(pss_session_operating_date(s), "2026-11-21");
    CHECK_STR(pss_session_state_name(pss_session_state_of(s)), "new");
    int64_t expected, counted;
    pss_session_opening(s, &expected, &counted);
    CHECK_I64(expected, 0);
    CHECK_I64(counted, PSS_UNSET);
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_start_closing(s, &FIX_ALICE), PSS_ESTATE);
    CHECK_STR(pss_ctx_errmsg(ctx), "session POS-0001/00001 is new; cannot start closing the "
                                   "session");
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "count the opening cash: config 'Main register' has cash "
                                   "control (expected 0.00)");
    oi.counted_cash = -1;
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "opening cash -0.01 is negative");
    oi.counted_cash = 15000;
    CHECK_RC(ctx, pss_session_open(s, &FIX_BOB, &oi), PSS_EACCESS);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);
    CHECK_OK(ctx, pss_session_start_opening(s, &FIX_ALICE));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_OPENING_CONTROL);
    CHECK_RC(ctx, pss_session_start_opening(s, &FIX_ALICE), PSS_ESTATE);
    oi.note = "float from the safe";
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_IN_PROGRESS);
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_ESTATE);
    pss_session_opening(s, &expected, &counted);
    CHECK_I64(counted, 15000);

    /* one open session per config */
    pss_session *other = create(ctx, "2026-11-21", &rc);
    CHECK(other == NULL);
    CHECK_I64(rc, PSS_EEXISTS);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Main register' already has an open session "
                                   "POS-0001/00001 (in_progress, held by alice); close it "
                                   "before opening another");

    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    CHECK_OK(ctx, pss_session_reopen(s, &FIX_MIA, "forgot a sale"));
    CHECK_RC(ctx, pss_session_reopen(s, &FIX_MIA, "again"), PSS_ESTATE);
    close_with(s, 15000);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
    CHECK_RC(ctx, pss_session_start_closing(s, &FIX_ALICE), PSS_ECLOSED);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "session POS-0001/00001 was closed by mia at 2026-11-21 "
                                        "08:00:00 UTC; it and its orders never change");

    /* the next session expects what was counted at the close */
    pss_session *next = create(ctx, "2026-11-22", &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_STR(pss_session_name(next), "POS-0001/00002");
    pss_session_opening(next, &expected, NULL);
    CHECK_I64(expected, 15000);
    pss_opening_input short_open = PSS_OPENING_INPUT_INIT;
    short_open.counted_cash = 14950; /* an opening difference */
    CHECK_OK(ctx, pss_session_open(next, &FIX_ALICE, &short_open));
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(next, &r));
    CHECK_I64(pss_report_get(r, PSS_FIG_OPENING_DIFFERENCE), -50);
    CHECK_I64(pss_report_get(r, PSS_FIG_EXPECTED_CASH), 14950);
    pss_report_free(r);

    /* the audit trail of the first session, in order */
    pss_audit *a = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), &a));
    const char *actions[] = {"session.create", "session.start_opening", "session.open",
                             "session.start_closing", "session.reopen", "session.start_closing",
                             "session.count", "session.close"};
    CHECK_I64(pss_audit_count(a), 8);
    for (size_t i = 0; i < 8 && i < pss_audit_count(a); i++) {
        pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
        CHECK_OK(ctx, pss_audit_get(a, i, &rec));
        CHECK_STR(rec.action, actions[i]);
        CHECK_I64(rec.outcome, 0);
        CHECK_I64(rec.time, FIX_T0);
    }
    pss_audit_record open_rec = PSS_AUDIT_RECORD_INIT;
    pss_audit_get(a, 2, &open_rec);
    CHECK_I64(open_rec.counted, 15000);
    CHECK_STR(open_rec.reason, "float from the safe");
    pss_audit_record reopen = PSS_AUDIT_RECORD_INIT;
    pss_audit_get(a, 4, &reopen);
    CHECK_STR(reopen.user, "mia");
    CHECK_I64(reopen.role, PSS_ROLE_MANAGER);
    CHECK_STR(reopen.reason, "forgot a sale");
    pss_audit_free(a);

    /* listing by state */
    pss_strlist *list = NULL;
    CHECK_OK(ctx, pss_session_list(ctx, FIX_CONFIG_ID, PSS_SESSION_ANY_STATE, &list));
    CHECK_I64(pss_strlist_count(list), 2);
    CHECK_STR(pss_strlist_get(list, 0), pss_session_id(s));
    pss_strlist_free(list);
    CHECK_OK(ctx, pss_session_list(ctx, FIX_CONFIG_ID,
                                   PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS), &list));
    CHECK_I64(pss_strlist_count(list), 1);
    CHECK_STR(pss_strlist_get(list, 0), pss_session_id(next));
    CHECK(pss_strlist_get(list, 1) == NULL);
    pss_strlist_free(list);
    pss_session *found = NULL;
    CHECK_OK(ctx, pss_session_find_open(ctx, FIX_CONFIG_ID, &found));
    CHECK_STR(pss_session_id(found), pss_session_id(next));
    pss_session_free(found);
    pss_session_free(next);
    pss_session_free(s);
    stop();
}

static void one_per_day(void)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.one_session_per_day = 1;
    start(&fo);
    int rc;
    pss_session *s = create(ctx, "2026-11-21", &rc);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 0;
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    close_with(s, 0);
    pss_session *again = create(ctx, "2026-11-21", &rc);
    CHECK(again == NULL);
    CHECK_I64(rc, PSS_EEXISTS);
    CHECK_STR(pss_ctx_errmsg(ctx), "config 'Main register' allows one session per day and "
                                   "already had session POS-0001/00001 (closed, held by alice) "
                                   "on 2026-11-21");
    pss_session *tomorrow = create(ctx, "2026-11-22", &rc);
    CHECK_RC(ctx, rc, 0);
    CHECK_STR(pss_session_name(tomorrow), "POS-0001/00002");
    pss_session *bad = create(ctx, "2026-02-30", &rc);
    CHECK_I64(rc, PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "operating date '2026-02-30' is not a date of the form "
                                   "YYYY-MM-DD");
    CHECK(bad == NULL);
    pss_session_free(tomorrow);
    pss_session_free(s);
    stop();
}

static void lease_and_take_over(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 300, NULL, 0);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    CHECK_I64(pss_session_lease_expires(s), FIX_T0 + 900000);
    CHECK_STR(pss_session_lease_device(s), "till-1");
    CHECK_RC(ctx, pss_session_take_over(s, &FIX_BOB), PSS_ELOCKED);
    CHECK_STR(pss_ctx_errmsg(ctx), "session POS-0001/00001 is held by alice on device 'till-1' "
                                   "until 2026-11-21 08:15:00 UTC; bob (cashier) may take it over "
                                   "only after that, a manager at any time");
    fix_advance(600000);
    CHECK_OK(ctx, pss_session_heartbeat(s, &FIX_ALICE));
    CHECK_I64(pss_session_lease_expires(s), FIX_T0 + 600000 + 900000);
    fix_advance(900000 + 1);
    /* the lease ran out: another cashier may take over, and the till that vanished is out */
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_BOB));
    CHECK_STR(pss_session_user(s), "bob");
    CHECK_STR(pss_session_lease_device(s), "till-2");
    CHECK_RC(ctx, pss_order_create(s, &FIX_ALICE, &in, &o), PSS_EACCESS);
    CHECK_OK(ctx, pss_order_create(s, &FIX_BOB, &in, &o));
    pss_order_free(o);
    /* a manager takes over at any time */
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    CHECK_STR(pss_session_user(s), "mia");
    CHECK_RC(ctx, pss_order_create(s, &FIX_BOB, &in, &o), PSS_EACCESS);
    CHECK_STR(pss_ctx_errmsg(ctx), "session POS-0001/00001 is held by mia; bob (cashier) may not "
                                   "create an order (a manager may take it over)");
    pss_audit *a = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), &a));
    pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
    pss_audit_get(a, pss_audit_count(a) - 1, &rec);
    CHECK_STR(rec.action, "session.take_over");
    CHECK_CONTAINS(rec.json, "\"previous_user\":\"bob\"");
    pss_audit_free(a);
    pss_session_free(s);
    fix_time.now = FIX_T0;
    stop();
}

static void resume_and_stale_handles(void)
{
    start(NULL);
    pss_session *s = fix_open(ctx, 5000);
    const char *vat20[] = {"VAT20"};
    pss_line_input l = fix_line("lamp", 1000, 2500, vat20, 1);
    pss_payment_input cash = fix_pay("Cash", 3000);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-0000000000a1";
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &cash;
    in.n_payments = 1;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    pss_cash_input out = PSS_CASH_INPUT_INIT;
    out.kind = PSS_CASH_OUT;
    out.amount = 1000;
    out.reason = "to the safe";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &out, NULL));

    /* a second context over the same store: every figure is there */
    pss_ctx *ctx2 = fix_ctx(store);
    pss_session *r = NULL;
    CHECK_OK(ctx2, pss_session_load(ctx2, pss_session_id(s), &r));
    int64_t cash1, cash2, cur1, cur2;
    pss_session_expected_cash(s, &cash1);
    pss_session_expected_cash(r, &cash2);
    CHECK_I64(cash2, 5000 + 3000 - 0 - 1000);
    CHECK_I64(cash1, cash2);
    pss_session_balance(s, &cur1, NULL);
    pss_session_balance(r, &cur2, NULL);
    CHECK_I64(cur2, 3000);
    CHECK_I64(cur1, cur2);
    CHECK_OK(ctx2, pss_session_verify(r));

    /* the other context changes the session; this handle catches up on its next call */
    in.id = "00000000-0000-4000-8000-0000000000a2";
    CHECK_OK(ctx2, pss_session_submit(r, &FIX_ALICE, &in, NULL));
    in.id = "00000000-0000-4000-8000-0000000000a3";
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    pss_session_balance(s, &cur1, NULL);
    CHECK_I64(cur1, 9000);
    CHECK_OK(ctx, pss_session_refresh(r) == 0 ? 0 : -1);
    pss_session_balance(r, &cur2, NULL);
    CHECK_I64(cur2, 9000);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session *missing = NULL;
    CHECK_RC(ctx2, pss_session_load(ctx2, "00000000-0000-4000-8000-00000000beef", &missing),
             PSS_ENOTFOUND);
    CHECK_STR(pss_ctx_errmsg(ctx2), "session 00000000-0000-4000-8000-00000000beef is not in the "
                                    "store");
    CHECK_RC(ctx2, pss_session_load(ctx2, "garbage", &missing), PSS_EINVAL);
    pss_session_free(r);
    pss_ctx_free(ctx2);
    pss_session_free(s);
    stop();
}

/* ---- two tills pressing "open" at once ---- */

typedef struct racer {
    pthread_barrier_t *barrier;
    pss_ctx *ctx;
    int rc;
    pss_session *s;
} racer;

static void *race_open(void *arg)
{
    racer *r = arg;
    pthread_barrier_wait(r->barrier);
    r->rc = pss_session_create(r->ctx, FIX_CONFIG_ID, &FIX_ALICE, NULL, &r->s);
    return NULL;
}

static void racing_creates(void)
{
    start(NULL);
    pss_ctx *c1 = fix_ctx(store), *c2 = fix_ctx(store);
    int won = 0, lost = 0;
    for (int round = 0; round < 25; round++) {
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, 2);
        racer a = {&barrier, c1, 0, NULL}, b = {&barrier, c2, 0, NULL};
        pthread_t ta, tb;
        pthread_create(&ta, NULL, race_open, &a);
        pthread_create(&tb, NULL, race_open, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&barrier);
        won += (a.rc == 0) + (b.rc == 0);
        lost += (a.rc == PSS_EEXISTS) + (b.rc == PSS_EEXISTS);
        pss_session *winner = a.rc == 0 ? a.s : b.s;
        pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
        fi.reason = "race round over";
        if (winner)
            CHECK_OK(ctx, pss_session_force_close(winner, &FIX_ADA, &fi));
        pss_session_free(a.s);
        pss_session_free(b.s);
    }
    CHECK_I64(won, 25);
    CHECK_I64(lost, 25);
    pss_strlist *list = NULL;
    pss_session_list(ctx, FIX_CONFIG_ID, PSS_SESSION_ANY_STATE, &list);
    CHECK_I64(pss_strlist_count(list), 25);
    pss_strlist_free(list);
    pss_ctx_free(c1);
    pss_ctx_free(c2);
    stop();
}

/* ---- observer ---- */

typedef struct seen {
    pss_event_type types[32];
    int n;
} seen;

static void observe(const pss_event *ev, void *userdata)
{
    seen *s = userdata;
    if (s->n < 32)
        s->types[s->n++] = ev->type;
}

static void observer(void)
{
    start(NULL);
    seen got = {{0}, 0};
    CHECK_OK(ctx, pss_ctx_set_observer(ctx, observe, &got));
    pss_session *s = fix_open(ctx, 0);
    pss_line_input l = fix_line("tea", 1000, 300, NULL, 0);
    pss_payment_input cash = fix_pay("Cash", 300);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-0000000000b1";
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &cash;
    in.n_payments = 1;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    close_with(s, 300);
    pss_event_type want[] = {PSS_EVENT_SESSION_CREATED, PSS_EVENT_SESSION_OPENED,
                             PSS_EVENT_ORDER_PAID,      PSS_EVENT_SESSION_CLOSING,
                             PSS_EVENT_SESSION_CLOSED,  PSS_EVENT_ENTRY_POSTED};
    CHECK_I64(got.n, 6);
    for (int i = 0; i < 6; i++)
        CHECK_I64(got.types[i], want[i]);
    /* a refused call tells the observer nothing */
    int n = got.n;
    CHECK_RC(ctx, pss_session_close(s, &FIX_ALICE, NULL), PSS_ECLOSED);
    CHECK_I64(got.n, n);
    pss_session_free(s);
    stop();
}

int main(void)
{
    lifecycle();
    one_per_day();
    lease_and_take_over();
    resume_and_stale_handles();
    racing_creates();
    observer();
    return check_done();
}
