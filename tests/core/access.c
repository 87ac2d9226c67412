/* access.c: the whole role x state x call matrix of doc/concepts.md ("Who may make which
 * call"): every mutating call on a session, by each kind of actor (the responsible cashier
 * on its device and on another, another cashier, a manager, an admin, an actor without a
 * role), in each session state. Each cell starts from a fresh store; the expected code is
 * derived here from the documented tables, not from the library. */
#include <stdbool.h>

#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;
static int counter;

typedef enum rule { OPERATE, SUPERVISE, MANAGER, ADMIN, ANY } rule;

typedef enum actor_kind {
    RESPONSIBLE, OTHER_DEVICE, OTHER_CASHIER, A_MANAGER, AN_ADMIN, NO_ROLE, N_ACTORS
} actor_kind;

static const pss_actor ALICE_ELSEWHERE = {PSS_ACTOR_VERSION, "alice", PSS_ROLE_CASHIER, "till-9"};
static const pss_actor NOBODY = {PSS_ACTOR_VERSION, "nobody", PSS_ROLE_NONE, "till-1"};

static const pss_actor *actor_of(actor_kind k)
{
    static const pss_actor *const actors[] = {&FIX_ALICE, &ALICE_ELSEWHERE, &FIX_BOB,
                                              &FIX_MIA,   &FIX_ADA,         &NOBODY};
    return actors[k];
}

static const char *const actor_names[] = {"responsible", "responsible elsewhere",
                                          "other cashier", "manager", "admin", "no role"};

#define BIT(s) PSS_SESSION_STATE_BIT(PSS_SESSION_##s)
#define NOT_CLOSED (BIT(NEW) | BIT(OPENING_CONTROL) | BIT(IN_PROGRESS) | BIT(CLOSING_CONTROL))
#define OPEN (BIT(IN_PROGRESS) | BIT(CLOSING_CONTROL))

/* What a cell prepares before the session reaches the state under test. */
typedef struct world {
    pss_session *s;
    pss_order *draft;   /* a draft order: one line, no payment */
    pss_order *pending; /* a draft with a pending card payment */
    pss_order *partly;  /* a draft with a done voucher part payment */
    pss_order *tiny;    /* a draft of 0.02: validate rounds it away */
    char movement[PSS_ID_SIZE];
} world;

typedef struct call {
    const char *name;
    rule rule;
    unsigned states;
    bool needs_orders; /* prepared in IN_PROGRESS: not for NEW and OPENING_CONTROL */
    int (*run)(world *w, const pss_actor *a);
} call;

static const char *next_id(char id[PSS_ID_SIZE])
{
    snprintf(id, PSS_ID_SIZE, "00000000-0000-4000-8000-%012d", ++counter);
    return id;
}

/* ---- the calls, each with input that is otherwise valid ---- */

static int do_start_opening(world *w, const pss_actor *a)
{
    return pss_session_start_opening(w->s, a);
}

static int do_open(world *w, const pss_actor *a)
{
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 0;
    return pss_session_open(w->s, a, &oi);
}

static int do_cash_move(world *w, const pss_actor *a)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.amount = 500;
    in.reason = "float";
    return pss_cash_move(w->s, a, &in, NULL);
}

static int do_cash_void(world *w, const pss_actor *a)
{
    return pss_cash_void(w->s, a, w->movement, "typo");
}

static int do_start_closing(world *w, const pss_actor *a)
{
    return pss_session_start_closing(w->s, a);
}

static int do_count(world *w, const pss_actor *a)
{
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = 0;
    return pss_session_count(w->s, a, &c);
}

static int do_close(world *w, const pss_actor *a)
{
    do_count(w, &FIX_ALICE); /* with cash control the drawer is counted first (when it can be) */
    return pss_session_close(w->s, a, NULL);
}

static int do_reopen(world *w, const pss_actor *a)
{
    return pss_session_reopen(w->s, a, "recount");
}

static int do_force_close(world *w, const pss_actor *a)
{
    pss_force_close_input fc = PSS_FORCE_CLOSE_INPUT_INIT;
    fc.reason = "stuck";
    fc.void_pending = 1;
    return pss_session_force_close(w->s, a, &fc);
}

static int do_take_over(world *w, const pss_actor *a)
{
    return pss_session_take_over(w->s, a);
}

static int do_heartbeat(world *w, const pss_actor *a)
{
    return pss_session_heartbeat(w->s, a);
}

static pss_line_input tea(void)
{
    return fix_line("tea", 1000, 300, NULL, 0);
}

static int do_order_create(world *w, const pss_actor *a)
{
    pss_line_input l = tea();
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    int rc = pss_order_create(w->s, a, &in, &o);
    pss_order_free(o);
    return rc;
}

static int do_add_line(world *w, const pss_actor *a)
{
    pss_line_input l = tea();
    return pss_order_add_line(w->draft, a, &l, NULL);
}

static int do_remove_line(world *w, const pss_actor *a)
{
    return pss_order_remove_line(w->draft, a, 0);
}

static int do_add_payment(world *w, const pss_actor *a)
{
    pss_payment_input p = fix_pay("Cash", 300);
    return pss_order_add_payment(w->draft, a, &p, NULL);
}

static int do_validate(world *w, const pss_actor *a)
{
    return pss_order_validate(w->tiny, a);
}

static int do_confirm(world *w, const pss_actor *a)
{
    return pss_order_confirm_payment(w->pending, a, 0);
}

static int do_fail(world *w, const pss_actor *a)
{
    return pss_order_fail_payment(w->pending, a, 0, "declined");
}

static int do_void_payment(world *w, const pss_actor *a)
{
    return pss_order_void_payment(w->partly, a, 0, "customer left");
}

static int do_cancel(world *w, const pss_actor *a)
{
    return pss_order_cancel(w->draft, a, "mistake");
}

static int do_set_invoiced(world *w, const pss_actor *a)
{
    return pss_order_set_invoiced(w->draft, a, 1);
}

static int do_submit(world *w, const pss_actor *a)
{
    char id[PSS_ID_SIZE];
    pss_line_input l = tea();
    pss_payment_input p = fix_pay("Voucher", 300);
    pss_order_input in = fix_order(next_id(id), &l, &p);
    return pss_session_submit(w->s, a, &in, NULL);
}

/* The tables of doc/concepts.md. A submit to a session being counted or closed is a late
 * order: any actor of role cashier or above. */
static const call calls[] = {
    {"start_opening", SUPERVISE, BIT(NEW), false, do_start_opening},
    {"open", SUPERVISE, BIT(NEW) | BIT(OPENING_CONTROL), false, do_open},
    {"cash_move", SUPERVISE, BIT(IN_PROGRESS), false, do_cash_move},
    {"cash_void", SUPERVISE, OPEN, true, do_cash_void},
    {"start_closing", SUPERVISE, BIT(IN_PROGRESS), false, do_start_closing},
    {"count", SUPERVISE, BIT(CLOSING_CONTROL), false, do_count},
    {"close", SUPERVISE, BIT(CLOSING_CONTROL), false, do_close},
    {"reopen", MANAGER, BIT(CLOSING_CONTROL), false, do_reopen},
    {"force_close", ADMIN, NOT_CLOSED, false, do_force_close},
    {"take_over", ANY, NOT_CLOSED, false, do_take_over},
    {"heartbeat", OPERATE, NOT_CLOSED, false, do_heartbeat},
    {"order_create", OPERATE, BIT(IN_PROGRESS), false, do_order_create},
    {"add_line", OPERATE, BIT(IN_PROGRESS), true, do_add_line},
    {"remove_line", OPERATE, BIT(IN_PROGRESS), true, do_remove_line},
    {"add_payment", OPERATE, BIT(IN_PROGRESS), true, do_add_payment},
    {"validate", OPERATE, BIT(IN_PROGRESS), true, do_validate},
    {"confirm_payment", SUPERVISE, OPEN, true, do_confirm},
    {"fail_payment", SUPERVISE, OPEN, true, do_fail},
    {"void_payment", SUPERVISE, OPEN, true, do_void_payment},
    {"cancel", SUPERVISE, OPEN, true, do_cancel},
    {"set_invoiced", SUPERVISE, OPEN, true, do_set_invoiced},
    {"submit", SUPERVISE, BIT(IN_PROGRESS), false, do_submit},
};

/* ---- the expected code, from the tables ---- */

static pss_role min_role(rule r)
{
    return r == ADMIN ? PSS_ROLE_ADMIN : r == MANAGER ? PSS_ROLE_MANAGER : PSS_ROLE_CASHIER;
}

static int user_and_lease(const call *c, actor_kind k)
{
    const pss_actor *a = actor_of(k);
    if (c->rule == MANAGER || c->rule == ADMIN)
        return 0;
    if (c->rule == ANY) /* take over: a cashier only once the lease expired */
        return a->role >= PSS_ROLE_MANAGER || k == RESPONSIBLE ? 0 : PSS_ELOCKED;
    if (c->rule == SUPERVISE && a->role >= PSS_ROLE_MANAGER)
        return 0;
    if (k != RESPONSIBLE && k != OTHER_DEVICE)
        return PSS_EACCESS;
    return k == OTHER_DEVICE ? PSS_ELOCKED : 0;
}

static int expected(const call *c, actor_kind k, pss_session_state state)
{
    /* routed under the default policy, PSS_LATE_ROUTE (doc/close-flow.md, "Late orders") */
    bool late_submit = c->run == do_submit &&
                       (state == PSS_SESSION_CLOSED || state == PSS_SESSION_CLOSING_CONTROL);
    if (actor_of(k)->role < min_role(late_submit ? ANY : c->rule))
        return PSS_EACCESS;
    if (late_submit)
        return 0;
    if (!(c->states & PSS_SESSION_STATE_BIT(state)))
        return state == PSS_SESSION_CLOSED ? PSS_ECLOSED : PSS_ESTATE;
    return user_and_lease(c, k);
}

/* ---- a fresh world in a given state ---- */

static pss_order *make_draft(pss_session *s, int64_t price)
{
    pss_line_input lines[] = {fix_line("tea", 1000, price, NULL, 0),
                              fix_line("cake", 1000, price, NULL, 0)};
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = lines;
    in.n_lines = price < 100 ? 1 : 2;
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &in, &o));
    return o;
}

static void prepare_orders(world *w)
{
    w->draft = make_draft(w->s, 300);
    w->pending = make_draft(w->s, 300);
    w->partly = make_draft(w->s, 300);
    w->tiny = make_draft(w->s, 2);
    pss_payment_input card = fix_pay("Card", 600), voucher = fix_pay("Voucher", 100);
    CHECK_OK(ctx, pss_order_add_payment(w->pending, &FIX_ALICE, &card, NULL));
    CHECK_OK(ctx, pss_order_add_payment(w->partly, &FIX_ALICE, &voucher, NULL));
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.amount = 500;
    in.reason = "float";
    CHECK_OK(ctx, pss_cash_move(w->s, &FIX_ALICE, &in, w->movement));
}

static void reach(world *w, pss_session_state state, bool orders)
{
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-21";
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &w->s));
    if (state == PSS_SESSION_NEW)
        return;
    CHECK_OK(ctx, pss_session_start_opening(w->s, &FIX_ALICE));
    if (state == PSS_SESSION_OPENING_CONTROL)
        return;
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 0;
    CHECK_OK(ctx, pss_session_open(w->s, &FIX_ALICE, &oi));
    if (orders)
        prepare_orders(w);
    if (state == PSS_SESSION_IN_PROGRESS)
        return;
    if (state == PSS_SESSION_CLOSED) {
        pss_force_close_input fc = PSS_FORCE_CLOSE_INPUT_INIT;
        fc.reason = "end of day";
        fc.void_pending = 1;
        CHECK_OK(ctx, pss_session_force_close(w->s, &FIX_ADA, &fc));
        return;
    }
    CHECK_OK(ctx, pss_session_start_closing(w->s, &FIX_ALICE));
}

static void world_free(world *w)
{
    pss_order_free(w->draft);
    pss_order_free(w->pending);
    pss_order_free(w->partly);
    pss_order_free(w->tiny);
    pss_session_free(w->s);
}

static void cell(const call *c, actor_kind k, pss_session_state state)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.cash_rounding = PSS_CASH_ROUNDING_CASH;
    fo.cash_rounding_increment = 5;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, &fo);
    world w = {0};
    reach(&w, state, c->needs_orders);
    int want = expected(c, k, state), got = c->run(&w, actor_of(k));
    check_report_(got == want, __FILE__, __LINE__, c->name);
    if (got != want)
        printf("# %s by %s in %s: got %d (%s), expected %d (%s); detail: %s\n", c->name,
               actor_names[k], pss_session_state_name(state), got, pss_strerror(got), want,
               pss_strerror(want), pss_ctx_errmsg(ctx));
    world_free(&w);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int main(void)
{
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        for (int k = 0; k < N_ACTORS; k++)
            for (int st = PSS_SESSION_NEW; st <= PSS_SESSION_CLOSED; st++) {
                bool before_orders = st == PSS_SESSION_NEW || st == PSS_SESSION_OPENING_CONTROL;
                if (!(calls[i].needs_orders && before_orders))
                    cell(&calls[i], (actor_kind)k, (pss_session_state)st);
            }
    return check_done();
}
