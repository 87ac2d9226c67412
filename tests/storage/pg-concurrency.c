/* pg-concurrency.c: writers on PostgreSQL. A write transaction's get locks the row, so a
 * second writer of one session waits and then reads the first one's commit (its revision,
 * its new order through scan_last); a stale compare-and-swap loses; tills of two configs
 * never wait on each other; two processes opening one config's session get one session;
 * two processes submitting to one session record every order once; two closing one session
 * post one entry. Usage: pg-concurrency
 * DATABASE (created afresh on the server PSS_PG_CONNINFO names). */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char conninfo[1024];
static PGconn *raw;

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static pss_storage *open_store(int lock_timeout_ms)
{
    pss_pg_options o = PSS_PG_OPTIONS_INIT;
    o.lock_timeout_ms = lock_timeout_ms;
    return pgtest_store(conninfo, &o);
}

static int put(pss_storage *st, const char *kind, const char *id, const char *parent,
               const char *payload, uint64_t expected)
{
    pss_record r = {kind, id, parent, 0, payload, strlen(payload)};
    uint64_t rev = 0;
    return st->put(st->userdata, &r, expected, &rev);
}

static int grab_text(const pss_record *r, void *arg)
{
    snprintf(arg, 128, "%s r%llu %s", r->id, (unsigned long long)r->rev, r->payload);
    return 0;
}

/* ---- the store: a locked row, a stale CAS ------------------------------------------------ */

typedef struct second_writer {
    pss_storage *st;
    int get_rc, scan_rc, put_rc;
    char session[128], last_order[128];
    long long waited_ms;
} second_writer;

/* What the library will do for an order: lock the session, read the last order, write. */
static void *second_writer_run(void *arg)
{
    second_writer *w = arg;
    long long t0 = now_ms();
    w->st->begin(w->st->userdata, PSS_TXN_WRITE);
    w->get_rc = w->st->get(w->st->userdata, "session", "s1", grab_text, w->session);
    w->waited_ms = now_ms() - t0;
    w->scan_rc = w->st->scan_last(w->st->userdata, "order", "s1", 1, grab_text, w->last_order);
    w->put_rc = put(w->st, "order", "o2", "s1", "{\"number\":2}", 0);
    w->st->commit(w->st->userdata);
    return NULL;
}

static void test_locked_row_then_latest(void)
{
    pss_storage *a = open_store(5000), *b = open_store(5000);
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(a, "session", "s1", "c1", "{\"n\":0}", 0), 0);
    CHECK_I64(a->commit(a->userdata), 0);

    char seen[128] = "";
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "session", "s1", grab_text, seen), 0); /* locks s1 */
    second_writer w = {b, 99, 99, 99, "", "", 0};
    pthread_t t;
    pthread_create(&t, NULL, second_writer_run, &w);
    sleep_ms(300);
    CHECK_I64(put(a, "order", "o1", "s1", "{\"number\":1}", 0), 0);
    CHECK_I64(put(a, "session", "s1", "c1", "{\"n\":1}", 1), 0);
    CHECK_I64(a->commit(a->userdata), 0);
    pthread_join(t, NULL);
    CHECK_I64(w.get_rc, 0);
    CHECK(w.waited_ms >= 250); /* it queued on the row */
    printf("# the second writer waited %lld ms for the session row\n", w.waited_ms);
    CHECK_STR(w.session, "s1 r2 {\"n\":1}");             /* the first one's commit */
    CHECK_I64(w.scan_rc, 0);
    CHECK_STR(w.last_order, "o1 r1 {\"number\":1}");    /* and its order */
    CHECK_I64(w.put_rc, 0);
    pss_storage_free(a);
    pss_storage_free(b);
}

typedef struct stale_writer {
    pss_storage *st;
    int rc;
    char detail[256];
} stale_writer;

static void *stale_writer_run(void *arg)
{
    stale_writer *w = arg;
    w->st->begin(w->st->userdata, PSS_TXN_WRITE);
    w->rc = put(w->st, "session", "s1", "c1", "{\"n\":\"stale\"}", 2); /* read before */
    snprintf(w->detail, sizeof w->detail, "%s", w->st->errmsg(w->st->userdata));
    w->st->rollback(w->st->userdata);
    return NULL;
}

static void test_stale_cas_loses(void)
{
    pss_storage *a = open_store(5000), *b = open_store(5000);
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(a, "session", "s1", "c1", "{\"n\":2}", 2), 0);
    stale_writer w = {b, 99, ""};
    pthread_t t;
    pthread_create(&t, NULL, stale_writer_run, &w);
    sleep_ms(200);
    CHECK_I64(a->commit(a->userdata), 0);
    pthread_join(t, NULL);
    CHECK_I64(w.rc, PSS_ECONFLICT);
    CHECK_CONTAINS(w.detail, "revision 2 is not the stored one");
    char seen[128] = "";
    CHECK_I64(b->get(b->userdata, "session", "s1", grab_text, seen), 0);
    CHECK_STR(seen, "s1 r3 {\"n\":2}");
    pss_storage_free(a);
    pss_storage_free(b);
}

/* A lock held beyond lock_timeout is PSS_EBUSY, naming SQLSTATE 55P03. */
static void test_lock_timeout(void)
{
    pss_storage *a = open_store(5000), *b = open_store(200);
    char seen[128] = "";
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "session", "s1", grab_text, seen), 0);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    long long t0 = now_ms();
    CHECK_I64(b->get(b->userdata, "session", "s1", grab_text, seen), PSS_EBUSY);
    long long waited = now_ms() - t0;
    CHECK(waited >= 150 && waited < 3000);
    CHECK_CONTAINS(b->errmsg(b->userdata), "SQLSTATE 55P03");
    CHECK_CONTAINS(b->errmsg(b->userdata), "get of session s1");
    CHECK_I64(b->rollback(b->userdata), 0);
    CHECK_I64(a->rollback(a->userdata), 0);
    pss_storage_free(a);
    pss_storage_free(b);
}

/* ---- the library: two configs, one session, one open session ----------------------------- */

static void save_config(pss_ctx *ctx, const char *id, const char *code)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    pss_config *c = fix_config_as(ctx, &fo, id, code);
    if (pss_config_save(c, &FIX_MIA)) {
        printf("Bail out! config %s: %s\n", id, pss_ctx_errmsg(ctx));
        exit(1);
    }
    pss_config_free(c);
}

static pss_session *open_session(pss_ctx *ctx, const char *config_id)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-21";
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 0;
    if (pss_session_create(ctx, config_id, &FIX_ALICE, &si, &s) ||
        pss_session_open(s, &FIX_ALICE, &oi)) {
        printf("Bail out! session of %s: %s\n", config_id, pss_ctx_errmsg(ctx));
        exit(1);
    }
    return s;
}

static int submit(pss_session *s, const char *order_id, int64_t price)
{
    pss_line_input line = fix_line("cake", 1000, price, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", price);
    pss_order_input in = fix_order(order_id, &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
}

#define CONFIG_A "0c0f1a00-0000-4000-8000-00000000000a"
#define CONFIG_B "0c0f1a00-0000-4000-8000-00000000000b"

static void test_two_configs_do_not_wait(void)
{
    pss_storage *sa = open_store(300), *sb = open_store(2000);
    pss_ctx *ca = fix_ctx(sa), *cb = fix_ctx(sb);
    save_config(ca, CONFIG_A, "POS-A");
    save_config(cb, CONFIG_B, "POS-B");
    pss_session *a = open_session(ca, CONFIG_A), *b = open_session(cb, CONFIG_B);

    /* another transaction holds config A's session row, as a till mid-call would */
    char sql[256];
    snprintf(sql, sizeof sql, "BEGIN; SELECT 1 FROM pss_record WHERE kind = 'session' AND "
             "id = '%s' FOR UPDATE", pss_session_id(a));
    CHECK_I64(pgtest_exec(raw, sql), 0);
    long long t0 = now_ms();
    CHECK_OK(cb, submit(b, "0bde0000-0000-4000-8000-000000000001", 450));
    long long took = now_ms() - t0;
    CHECK(took < 1000);
    printf("# config B's submit took %lld ms while config A's session row was locked\n", took);
    CHECK_RC(ca, submit(a, "0ade0000-0000-4000-8000-000000000001", 450), PSS_EBUSY);
    CHECK_CONTAINS(pss_ctx_errmsg(ca), "55P03");
    CHECK_I64(pgtest_exec(raw, "ROLLBACK"), 0);
    CHECK_OK(ca, submit(a, "0ade0000-0000-4000-8000-000000000001", 450));
    pss_strlist *orders = NULL;
    CHECK_OK(ca, pss_order_list(a, ~0u, &orders));
    CHECK_I64(pss_strlist_count(orders), 1);
    pss_strlist_free(orders);
    pss_session_free(a);
    pss_session_free(b);
    pss_ctx_free(ca);
    pss_ctx_free(cb);
    pss_storage_free(sa);
    pss_storage_free(sb);
}

/* Child processes start at once when the parent closes the pipe. */
static pid_t child(const int go[2], int (*fn)(int), int arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]); /* else the pipe never reads as closed */
        (void)!read(go[0], &c, 1);
        _exit(fn(arg));
    }
    return pid;
}

static char race_config[64];

/* Exit 0: created the session; 1: PSS_EEXISTS; 2: PSS_ECONFLICT; 3: anything else. */
static int race_open(int arg)
{
    (void)arg;
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    int rc = pss_session_create(ctx, race_config, &FIX_ALICE, NULL, &s);
    if (rc && rc != PSS_EEXISTS && rc != PSS_ECONFLICT)
        printf("# race_open: %d %s\n", rc, pss_ctx_errmsg(ctx));
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return rc == 0 ? 0 : rc == PSS_EEXISTS ? 1 : rc == PSS_ECONFLICT ? 2 : 3;
}

static void run_children(int n, int (*fn)(int), int *codes)
{
    int go[2];
    if (pipe(go))
        exit(1);
    pid_t pids[8];
    for (int i = 0; i < n; i++)
        pids[i] = child(go, fn, i);
    close(go[0]);
    close(go[1]); /* every child's read returns: they start together */
    for (int i = 0; i < n; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
    }
}

static void test_open_race(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    int winners = 0, eexists = 0, econflict = 0, other = 0;
    for (int round = 0; round < 10; round++) {
        snprintf(race_config, sizeof race_config, "0c0f1a00-0000-4000-8000-0000000001%02d", round);
        save_config(ctx, race_config, "POS-R");
        int codes[4];
        run_children(4, race_open, codes);
        int won = 0;
        for (int i = 0; i < 4; i++) {
            won += codes[i] == 0;
            eexists += codes[i] == 1;
            econflict += codes[i] == 2;
            other += codes[i] > 2;
        }
        winners += won == 1;
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pss_record WHERE kind = 'session' AND "
                 "parent = '%s'", race_config);
        CHECK_I64(pgtest_number(raw, sql), 1);
    }
    CHECK_I64(winners, 10); /* one session each round, four processes racing */
    CHECK_I64(other, 0);
    CHECK_I64(eexists + econflict, 30);
    printf("# losers: %d PSS_EEXISTS, %d PSS_ECONFLICT\n", eexists, econflict);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

static char shared_session[64];

/* Submits 15 orders to the shared session; a conflict re-reads the session and retries.
 * Exits with the number of orders recorded. */
static int submit_many(int who)
{
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    int recorded = 0;
    if (pss_session_load(ctx, shared_session, &s))
        _exit(200);
    for (int i = 0; i < 15; i++) {
        char id[64];
        snprintf(id, sizeof id, "0d%02x%04x-0000-4000-8000-000000000000", who, i);
        int rc = PSS_ECONFLICT;
        for (int tries = 0; tries < 100 && rc == PSS_ECONFLICT; tries++) {
            rc = submit(s, id, 100 + i);
            if (rc == PSS_ECONFLICT)
                pss_session_refresh(s);
        }
        recorded += rc == 0;
        if (rc)
            printf("# submit_many %d: %d %s\n", who, rc, pss_ctx_errmsg(ctx));
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return recorded;
}

static void test_one_session_two_processes(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    save_config(ctx, "0c0f1a00-0000-4000-8000-000000000099", "POS-S");
    pss_session *s = open_session(ctx, "0c0f1a00-0000-4000-8000-000000000099");
    snprintf(shared_session, sizeof shared_session, "%s", pss_session_id(s));
    int codes[2];
    run_children(2, submit_many, codes);
    CHECK_I64(codes[0], 15);
    CHECK_I64(codes[1], 15);
    CHECK_OK(ctx, pss_session_refresh(s));
    pss_strlist *orders = NULL;
    CHECK_OK(ctx, pss_order_list(s, ~0u, &orders));
    CHECK_I64(pss_strlist_count(orders), 30);
    pss_strlist_free(orders);
    CHECK_OK(ctx, pss_session_verify(s));
    int64_t current = 0, posted = 0;
    CHECK_OK(ctx, pss_session_balance(s, &current, &posted));
    /* 2 x (100 + 101 + ... + 114) */
    CHECK_I64(posted, 2 * (15 * 100 + 105));
    char sql[256];
    /* numbered 1 to 30, each once: the writers queued on the session row */
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT payload::jsonb->>'no') * 1000 + "
             "max((payload::jsonb->>'no')::int) FROM pss_record WHERE kind = 'order' AND "
             "parent = '%s'", shared_session);
    CHECK_I64(pgtest_number(raw, sql), 30 * 1000 + 30);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

static char closing_session[64];

/* Exit 0: closed the session; 1: PSS_ECLOSED or PSS_ESTATE; 2: PSS_ECONFLICT; 3: else. */
static int race_close(int arg)
{
    (void)arg;
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    int rc = pss_session_load(ctx, closing_session, &s);
    if (!rc)
        rc = pss_session_close(s, &FIX_ALICE, NULL);
    if (rc && rc != PSS_ECLOSED && rc != PSS_ESTATE && rc != PSS_ECONFLICT)
        printf("# race_close: %d %s\n", rc, pss_ctx_errmsg(ctx));
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return rc == 0 ? 0 : rc == PSS_ECLOSED || rc == PSS_ESTATE ? 1 : rc == PSS_ECONFLICT ? 2 : 3;
}

/* Two tills closing one counted session at once: one closed session, one journal entry. */
static void test_close_race(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    int winners = 0, refused = 0, conflicts = 0;
    for (int round = 0; round < 5; round++) {
        char config[64], sql[256];
        snprintf(config, sizeof config, "0c0f1a00-0000-4000-8000-0000000002%02d", round);
        save_config(ctx, config, "POS-C");
        pss_session *s = open_session(ctx, config);
        char order[64];
        snprintf(order, sizeof order, "0f0c0000-0000-4000-8000-0000000002%02d", round);
        CHECK_OK(ctx, submit(s, order, 500));
        CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
        pss_count_input count = PSS_COUNT_INPUT_INIT;
        count.cash_total = 500;
        CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
        snprintf(closing_session, sizeof closing_session, "%s", pss_session_id(s));
        int codes[2];
        run_children(2, race_close, codes);
        winners += (codes[0] == 0) + (codes[1] == 0);
        refused += (codes[0] == 1) + (codes[1] == 1);
        conflicts += (codes[0] == 2) + (codes[1] == 2);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pss_record WHERE kind = 'entry' AND "
                 "parent = '%s'", config);
        CHECK_I64(pgtest_number(raw, sql), 1);
        CHECK_OK(ctx, pss_session_refresh(s));
        CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
        pss_session_free(s);
    }
    CHECK_I64(winners, 5);
    CHECK_I64(refused + conflicts, 5);
    printf("# close races: 5 winners; losers %d refused (closed), %d PSS_ECONFLICT\n", refused,
           conflicts);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    test_locked_row_then_latest();
    test_stale_cas_loses();
    test_lock_timeout();
    test_two_configs_do_not_wait();
    test_open_race();
    test_one_session_two_processes();
    test_close_race();
    PQfinish(raw);
    return check_done();
}
