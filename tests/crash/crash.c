/* crash.c: a till killed mid-shift loses nothing. A child process runs a scripted shift on a
 * SQLite file and acknowledges every call that returned success; the parent kills it with
 * SIGKILL at 60 points spread over the shift (opening, orders, payments, cash movements,
 * counting, closing), sometimes right after an acknowledgement and sometimes a moment later,
 * inside the next call. Each time it reopens the file and checks that every acknowledged call
 * is there, that verify agrees with the stored orders (nothing half-applied), and that the
 * session can be resumed and closed with a balanced entry. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include <possession/sqlite.h>

#define SESSION_ID "5e5510e0-0000-4000-8000-00000000c0de"
#define KILL_POINTS 60

typedef enum step_kind {
    CREATE, OPEN, ORDER, LINE, PAY_CASH, PAY_CARD, CONFIRM, SUBMIT, MOVE, VOID, START_CLOSING,
    COUNT, CLOSE
} step_kind;

typedef struct step {
    step_kind kind;
    int ref; /* order or movement number */
} step;

static step script[128];
static int n_steps;

static void add(step_kind kind, int ref)
{
    script[n_steps++] = (step){kind, ref};
}

static void build_script(void)
{
    add(CREATE, 0);
    add(OPEN, 0);
    for (int i = 1; i <= 12; i++) {
        add(ORDER, i);
        add(LINE, i);
        add(LINE, i);
        if (i % 3 == 0) {
            add(PAY_CARD, i);
            add(CONFIRM, i);
        } else {
            add(PAY_CASH, i);
        }
        if (i % 4 == 0)
            add(SUBMIT, 100 + i);
        if (i % 5 == 0)
            add(MOVE, i);
    }
    add(VOID, 5);
    add(START_CLOSING, 0);
    add(COUNT, 0);
    add(CLOSE, 0);
}

static void order_id(int ref, char out[PSS_ID_SIZE])
{
    snprintf(out, PSS_ID_SIZE, "00000000-0000-4000-8000-%012d", ref);
}

static void movement_id(int ref, char out[PSS_ID_SIZE])
{
    snprintf(out, PSS_ID_SIZE, "00000000-0000-4000-9000-%012d", ref);
}

static pss_ctx *open_file(const char *path, pss_storage **store)
{
    pss_ctx *ctx = fix_ctx(NULL);
    if (pss_sqlite_open(ctx, path, NULL, store) != 0 || pss_ctx_set_storage(ctx, *store) != 0) {
        fprintf(stderr, "open %s: %s\n", path, pss_ctx_errmsg(ctx));
        exit(98);
    }
    return ctx;
}

/* ---- the child: run the script, acknowledge each success ---- */

static const char *VAT10[] = {"VAT10"};

static int order_step(pss_ctx *ctx, pss_session *s, const step *st)
{
    char id[PSS_ID_SIZE];
    order_id(st->ref, id);
    pss_order *o = NULL;
    int rc;
    if (st->kind == ORDER) {
        pss_order_input in = PSS_ORDER_INPUT_INIT;
        in.id = id;
        rc = pss_order_create(s, &FIX_ALICE, &in, &o);
        pss_order_free(o);
        return rc;
    }
    if ((rc = pss_order_load(s, id, &o)))
        return rc;
    pss_line_input l = fix_line("bread", 1000 * st->ref, 275, VAT10, 1);
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    pss_payment_input cash = fix_pay("Cash", t.total + 50), card = fix_pay("Card", t.total);
    switch (st->kind) {
    case LINE: rc = pss_order_add_line(o, &FIX_ALICE, &l, NULL); break;
    case PAY_CASH: rc = pss_order_add_payment(o, &FIX_ALICE, &cash, NULL); break;
    case PAY_CARD: rc = pss_order_add_payment(o, &FIX_ALICE, &card, NULL); break;
    default: rc = pss_order_confirm_payment(o, &FIX_ALICE, 0); break;
    }
    (void)ctx;
    pss_order_free(o);
    return rc;
}

static int submit_step(pss_session *s, int ref)
{
    char id[PSS_ID_SIZE];
    order_id(ref, id);
    pss_line_input l = fix_line("cake", 2000, 450, VAT10, 1);
    pss_payment_input p = fix_pay("Cash", 900);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &p;
    in.n_payments = 1;
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
}

static int run_step(pss_ctx *ctx, pss_session **s, const step *st)
{
    char id[PSS_ID_SIZE];
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    pss_cash_input move = PSS_CASH_INPUT_INIT;
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    int64_t expected;
    switch (st->kind) {
    case CREATE:
        si.id = SESSION_ID;
        return pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, s);
    case OPEN:
        oi.counted_cash = 10000;
        return pss_session_open(*s, &FIX_ALICE, &oi);
    case SUBMIT:
        return submit_step(*s, st->ref);
    case MOVE:
        movement_id(st->ref, id);
        move.id = id;
        move.kind = PSS_CASH_OUT;
        move.amount = 500 * st->ref;
        move.reason = "to the safe";
        return pss_cash_move(*s, &FIX_ALICE, &move, NULL);
    case VOID:
        movement_id(st->ref, id);
        return pss_cash_void(*s, &FIX_ALICE, id, "counted twice");
    case START_CLOSING:
        return pss_session_start_closing(*s, &FIX_ALICE);
    case COUNT:
        pss_session_expected_cash(*s, &expected);
        count.cash_total = expected - 10;
        return pss_session_count(*s, &FIX_ALICE, &count);
    case CLOSE:
        return pss_session_close(*s, &FIX_ALICE, NULL);
    default:
        return order_step(ctx, *s, st);
    }
}

static void child(const char *path, int ack_fd)
{
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    pss_session *s = NULL;
    for (int i = 0; i < n_steps; i++) {
        int rc = run_step(ctx, &s, &script[i]);
        if (rc) {
            fprintf(stderr, "child: step %d failed: %s\n", i, pss_ctx_errmsg(ctx));
            _exit(3);
        }
        if (write(ack_fd, &i, sizeof i) != (ssize_t)sizeof i)
            _exit(4);
    }
    _exit(0);
}

/* ---- the parent: kill, then check ---- */

/* Whether the effect of an acknowledged step is in the store. */
static int step_visible(pss_ctx *ctx, pss_session *s, const step *st)
{
    char id[PSS_ID_SIZE];
    pss_session_state state = pss_session_state_of(s);
    pss_order *o = NULL;
    int ok = 0;
    switch (st->kind) {
    case CREATE: return 1; /* the session loaded */
    case OPEN: return state >= PSS_SESSION_IN_PROGRESS;
    case START_CLOSING: return state >= PSS_SESSION_CLOSING_CONTROL;
    case COUNT: return state == PSS_SESSION_CLOSED || pss_session_state_of(s) == PSS_SESSION_CLOSING_CONTROL;
    case CLOSE: return state == PSS_SESSION_CLOSED;
    case MOVE:
    case VOID: {
        pss_cash_list *list = NULL;
        movement_id(st->ref, id);
        if (pss_cash_list_load(s, &list) == 0) {
            for (size_t i = 0; i < pss_cash_list_count(list); i++) {
                pss_cash_info ci = PSS_CASH_INFO_INIT;
                pss_cash_list_get(list, i, &ci);
                if (strcmp(ci.id, id) == 0)
                    ok = st->kind == MOVE || ci.voided;
            }
        }
        pss_cash_list_free(list);
        return ok;
    }
    default:
        break;
    }
    order_id(st->ref, id);
    if (pss_order_load(s, id, &o) != 0)
        return 0;
    pss_order_state os = pss_order_state_of(o);
    if (st->kind == ORDER)
        ok = 1;
    else if (st->kind == LINE)
        ok = pss_order_line_count(o) >= 1;
    else if (st->kind == PAY_CARD)
        ok = pss_order_payment_count(o) >= 1;
    else
        ok = os == PSS_ORDER_PAID || os == PSS_ORDER_DONE;
    (void)ctx;
    pss_order_free(o);
    return ok;
}

/* Finishes the day: a manager takes over, pays what is open, closes. */
static void resume_and_close(pss_ctx *ctx, pss_session *s)
{
    if (pss_session_state_of(s) == PSS_SESSION_CLOSED)
        return;
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    if (pss_session_state_of(s) < PSS_SESSION_IN_PROGRESS) {
        pss_opening_input oi = PSS_OPENING_INPUT_INIT;
        oi.counted_cash = 10000;
        CHECK_OK(ctx, pss_session_open(s, &FIX_MIA, &oi));
    }
    if (pss_session_state_of(s) == PSS_SESSION_CLOSING_CONTROL)
        CHECK_OK(ctx, pss_session_reopen(s, &FIX_MIA, "finish after the crash"));
    pss_strlist *drafts = NULL;
    pss_session_drafts(s, &drafts);
    for (size_t i = 0; i < pss_strlist_count(drafts); i++) {
        pss_order *o = NULL;
        CHECK_OK(ctx, pss_order_load(s, pss_strlist_get(drafts, i), &o));
        pss_payment_info pi = PSS_PAYMENT_INFO_INIT;
        if (pss_order_get_payment(o, 0, &pi) == 0 && pi.state == PSS_PAYMENT_PENDING) {
            CHECK_OK(ctx, pss_order_confirm_payment(o, &FIX_MIA, 0));
        } else if (pss_order_line_count(o) == 0) {
            CHECK_OK(ctx, pss_order_cancel(o, &FIX_MIA, "empty after the crash"));
        } else {
            pss_order_totals t = PSS_ORDER_TOTALS_INIT;
            pss_order_get_totals(o, &t);
            pss_payment_input p = fix_pay("Cash", t.remaining);
            CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
            CHECK_OK(ctx, pss_order_add_payment(o, &FIX_MIA, &p, NULL));
        }
        pss_order_free(o);
    }
    pss_strlist_free(drafts);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_MIA));
    int64_t expected;
    pss_session_expected_cash(s, &expected);
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.cash_total = expected;
    CHECK_OK(ctx, pss_session_count(s, &FIX_MIA, &c));
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));
}

static void check_after_kill(const char *path, int acked, int point)
{
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    pss_session *s = NULL;
    int missing = 0;
    if (acked >= 0) {
        CHECK_OK(ctx, pss_session_load(ctx, SESSION_ID, &s));
        for (int i = 0; s && i <= acked; i++)
            if (!step_visible(ctx, s, &script[i])) {
                printf("# kill point %d: acknowledged step %d (kind %d) is missing\n", point, i,
                       script[i].kind);
                missing++;
            }
    } else if (pss_session_load(ctx, SESSION_ID, &s) != 0) {
        /* killed before the session was created: the file may hold only the config */
        CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, NULL, &s));
    }
    CHECK_I64(missing, 0);
    if (s) {
        CHECK_OK(ctx, pss_session_verify(s));
        resume_and_close(ctx, s);
        pss_entry *e = NULL;
        CHECK_OK(ctx, pss_session_entry(s, &e));
        CHECK(e != NULL && pss_entry_total(e) > 0);
        pss_entry_free(e);
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static void prepare_db(const char *path)
{
    fix_remove_db(path);
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    fix_save_config(ctx, NULL);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

/* Reads acknowledgements until step `target`; returns the last one read. */
static int wait_for(int fd, int target)
{
    int last = -1, i;
    while (last < target && read(fd, &i, sizeof i) == (ssize_t)sizeof i)
        last = i;
    return last;
}

static int drain(int fd, int last)
{
    int i;
    while (read(fd, &i, sizeof i) == (ssize_t)sizeof i)
        last = i;
    return last;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "crash-test.db";
    build_script();
    printf("# the shift has %d steps; killing at %d points\n", n_steps, KILL_POINTS);
    for (int point = 0; point < KILL_POINTS; point++) {
        prepare_db(path);
        int fds[2];
        if (pipe(fds) != 0)
            return 99;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            child(path, fds[1]);
        }
        close(fds[1]);
        int target = point * (n_steps - 1) / KILL_POINTS;
        int last = target == 0 && point % 2 ? -1 : wait_for(fds[0], target);
        if (point % 2) { /* a moment later: inside the next call */
            struct timespec pause = {0, 200000L * (point % 7)};
            nanosleep(&pause, NULL);
        }
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        last = drain(fds[0], last);
        close(fds[0]);
        CHECK(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        check_after_kill(path, last, point);
    }
    fix_remove_db(path);
    return check_done();
}
