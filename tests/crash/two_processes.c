/* two_processes.c: two processes on one SQLite file, each with its own connection. Pressing
 * "open" at the same moment gives one session and one PSS_EEXISTS; closing the same session
 * at the same moment gives one CLOSED session, one journal entry and one PSS_ECLOSED. */
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include <possession/sqlite.h>

#define ROUNDS 10

enum { WON = 0, LOST = 1, BROKEN = 2 };

static pss_ctx *open_file(const char *path, pss_storage **store)
{
    pss_ctx *ctx = fix_ctx(NULL);
    if (pss_sqlite_open(ctx, path, NULL, store) != 0 || pss_ctx_set_storage(ctx, *store) != 0) {
        fprintf(stderr, "open %s: %s\n", path, pss_ctx_errmsg(ctx));
        exit(98);
    }
    return ctx;
}

typedef enum race { RACE_OPEN, RACE_CLOSE } race;

/* A child: its own connection, says it is ready, waits for the start signal, then opens or
 * closes. */
static void racer(const char *path, int ready_fd, int go_fd, race what, int lost_code)
{
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    pss_session *s = NULL;
    if (what == RACE_CLOSE && pss_session_find_open(ctx, FIX_CONFIG_ID, &s) != 0) {
        fprintf(stderr, "racer: %s\n", pss_ctx_errmsg(ctx));
        _exit(BROKEN);
    }
    if (write(ready_fd, "r", 1) != 1)
        _exit(BROKEN);
    close(ready_fd);
    char go;
    if (read(go_fd, &go, 1) != 1)
        _exit(BROKEN);
    int rc = what == RACE_OPEN ? pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, NULL, &s)
                               : pss_session_close(s, &FIX_MIA, NULL);
    if (rc && rc != lost_code)
        fprintf(stderr, "racer: %s\n", pss_ctx_errmsg(ctx));
    _exit(rc == 0 ? WON : rc == lost_code ? LOST : BROKEN);
}

/* Starts two racers and lets them go together once both are connected (under valgrind a
 * child takes long to start: a fixed pause let the first close before the second had even
 * found the session). Returns their exit codes. */
static void run_race(const char *path, race what, int lost_code, int codes[2])
{
    int go[2], ready[2];
    if (pipe(go) != 0 || pipe(ready) != 0)
        exit(99);
    pid_t pids[2];
    fflush(stdout);
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(go[1]);
            close(ready[0]);
            racer(path, ready[1], go[0], what, lost_code);
        }
    }
    close(go[0]);
    close(ready[1]);
    char r;
    for (int i = 0; i < 2; i++) /* a child that broke closes its end: read returns 0 */
        if (read(ready[0], &r, 1) != 1)
            break;
    close(ready[0]);
    if (write(go[1], "gg", 2) != 2)
        exit(99);
    close(go[1]);
    for (int i = 0; i < 2; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : BROKEN;
    }
}

static void opening_race(const char *path)
{
    fix_remove_db(path);
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    fix_save_config(ctx, NULL);
    for (int round = 0; round < ROUNDS; round++) {
        int codes[2];
        run_race(path, RACE_OPEN, PSS_EEXISTS, codes);
        CHECK_I64((codes[0] == WON) + (codes[1] == WON), 1);
        CHECK_I64((codes[0] == LOST) + (codes[1] == LOST), 1);
        pss_session *s = NULL;
        CHECK_OK(ctx, pss_session_find_open(ctx, FIX_CONFIG_ID, &s));
        pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
        fi.reason = "next round";
        CHECK_OK(ctx, pss_session_force_close(s, &FIX_ADA, &fi));
        pss_session_free(s);
    }
    pss_strlist *list = NULL;
    CHECK_OK(ctx, pss_session_list(ctx, FIX_CONFIG_ID, PSS_SESSION_ANY_STATE, &list));
    CHECK_I64(pss_strlist_count(list), ROUNDS); /* never two for one round */
    pss_strlist_free(list);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static int count_entries(pss_ctx *ctx)
{
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger_range(ctx, FIX_CONFIG_ID, NULL, NULL, fix_text_write, &t));
    int n = 0;
    for (const char *p = t.data; p && (p = strstr(p, "; session:")); p++)
        n++;
    fix_text_free(&t);
    return n;
}

static void closing_race(const char *path)
{
    fix_remove_db(path);
    pss_storage *store;
    pss_ctx *ctx = open_file(path, &store);
    fix_save_config(ctx, NULL);
    int64_t float_cash = 0;
    for (int round = 0; round < ROUNDS; round++) {
        pss_session *s = fix_open(ctx, float_cash);
        pss_line_input l = fix_line("tea", 1000, 300, NULL, 0);
        pss_payment_input p = fix_pay("Cash", 300);
        char id[PSS_ID_SIZE];
        pss_id_generate(id);
        pss_order_input in = PSS_ORDER_INPUT_INIT;
        in.id = id;
        in.lines = &l;
        in.n_lines = 1;
        in.payments = &p;
        in.n_payments = 1;
        CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
        CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
        float_cash += 300;
        pss_count_input c = PSS_COUNT_INPUT_INIT;
        c.cash_total = float_cash;
        CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &c));
        int codes[2];
        run_race(path, RACE_CLOSE, PSS_ECLOSED, codes);
        CHECK_I64((codes[0] == WON) + (codes[1] == WON), 1);
        CHECK_I64((codes[0] == LOST) + (codes[1] == LOST), 1);
        CHECK_OK(ctx, pss_session_refresh(s));
        CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
        pss_session_free(s);
    }
    CHECK_I64(count_entries(ctx), ROUNDS); /* one entry per session, never two */
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "two-processes.db";
    opening_race(path);
    closing_race(path);
    fix_remove_db(path);
    return check_done();
}
