/* pg-concurrency.c: writers on PostgreSQL. A write transaction's get locks the row, so a
 * second writer of one session waits and then reads the first one's commit (its revision,
 * its new order through scan_last); a stale compare-and-swap loses; tills of two configs
 * never wait on each other; two processes opening one config's session get one session;
 * two processes submitting to one session record every order once, and the same orders
 * once each; a queued create that meets another's record fails its transaction at the next
 * answer and at the commit; two closing one session
 * post one entry; late orders racing a close are each stored once where their result says
 * (route, rescue), two late orders at once make one rescue session, and refuse stores none
 * of them. Usage: pg-concurrency
 * DATABASE (created afresh on the server PSS_PG_CONNINFO names). */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
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

/* A create queued in the pipeline (its record was looked up missing) meets the record
 * another transaction made and committed since: the put said 0, and the transaction fails
 * with PSS_ECONFLICT naming that put at its next call that waits for an answer, every call
 * after and its commit; nothing of it stays. */
static void test_queued_create_conflict(void)
{
    pss_storage *a = open_store(5000), *b = open_store(5000);
    char seen[128] = "";
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "order", "q1", grab_text, seen), PSS_ENOTFOUND);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(b, "order", "q1", "s9", "{\"by\":\"b\"}", 0), 0);
    CHECK_I64(b->commit(b->userdata), 0);
    CHECK_I64(put(a, "order", "q1", "s9", "{\"by\":\"a\"}", 0), 0); /* queued */
    /* the next call that waits for an answer meets it, and every later one */
    CHECK_I64(a->get(a->userdata, "order", "q2", grab_text, seen), PSS_ECONFLICT);
    CHECK_CONTAINS(a->errmsg(a->userdata), "get of order q2: put of order q1");
    CHECK_CONTAINS(a->errmsg(a->userdata), "SQLSTATE 23505");
    CHECK_I64(a->append(a->userdata, "s9", "{}", 2, NULL), PSS_ECONFLICT);
    CHECK_I64(a->commit(a->userdata), PSS_ECONFLICT);
    CHECK_CONTAINS(a->errmsg(a->userdata), "put of order q1");
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id = 'q1' AND "
                                 "payload = '{\"by\":\"b\"}'"), 1);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_audit WHERE subject = 's9'"), 0);
    /* the store goes on: the next transaction sees b's record */
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "order", "q1", grab_text, seen), 0);
    CHECK_STR(seen, "q1 r1 {\"by\":\"b\"}");
    CHECK_I64(a->rollback(a->userdata), 0);
    pss_storage_free(a);
    pss_storage_free(b);
}

/* The same queued create rolled back before anything synced it: the rollback sends it and
 * its failure, then ROLLBACK on its own, and the connection is left with no transaction
 * (calls outside one and the next transaction work). */
static void test_queued_create_rolled_back(void)
{
    pss_storage *a = open_store(5000), *b = open_store(5000);
    char seen[128] = "", holder[64];
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "order", "q3", grab_text, seen), PSS_ENOTFOUND);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(b, "order", "q3", "s9", "{\"by\":\"b\"}", 0), 0);
    CHECK_I64(b->commit(b->userdata), 0);
    CHECK_I64(put(a, "order", "q3", "s9", "{\"by\":\"a\"}", 0), 0); /* queued */
    CHECK_I64(a->rollback(a->userdata), 0);
    CHECK_I64(a->lookup(a->userdata, "no/such/key", holder, sizeof holder), PSS_ENOTFOUND);
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->get(a->userdata, "order", "q3", grab_text, seen), 0);
    CHECK_STR(seen, "q3 r1 {\"by\":\"b\"}");
    CHECK_I64(a->commit(a->userdata), 0);
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
/* Submits count orders to the shared session from a till of its own, each retried while
 * the library answers a conflict (another till's handle moved the session on): how many
 * were answered 0. Ids are prefix and the order's number; order i costs price + i. */
static int submit_series(const char *prefix, int count, int64_t price)
{
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    int answered = 0;
    if (pss_session_load(ctx, shared_session, &s))
        _exit(200);
    for (int i = 0; i < count; i++) {
        char id[64];
        snprintf(id, sizeof id, "%s%012d", prefix, i);
        int rc = PSS_ECONFLICT;
        for (int tries = 0; tries < 100 && rc == PSS_ECONFLICT; tries++) {
            rc = submit(s, id, price + i);
            if (rc == PSS_ECONFLICT)
                pss_session_refresh(s);
        }
        answered += rc == 0;
        if (rc)
            printf("# submit_series %s: %d %s\n", prefix, rc, pss_ctx_errmsg(ctx));
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return answered;
}

static int submit_many(int who)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "0d%02x0000-0000-4000-8000-", who);
    return submit_series(prefix, 15, 100);
}

/* Two processes run till on one new session of config: each answered `each` orders, the
 * session holds `orders` orders, verifies and has `posted` posted. The session stays open. */
static pss_session *two_tills_submit(pss_ctx *ctx, const char *config, const char *code,
                                     int (*till)(int), int each, int64_t orders,
                                     int64_t posted)
{
    save_config(ctx, config, code);
    pss_session *s = open_session(ctx, config);
    snprintf(shared_session, sizeof shared_session, "%s", pss_session_id(s));
    int codes[2];
    run_children(2, till, codes);
    CHECK_I64(codes[0], each);
    CHECK_I64(codes[1], each);
    CHECK_OK(ctx, pss_session_refresh(s));
    pss_strlist *listed = NULL;
    CHECK_OK(ctx, pss_order_list(s, ~0u, &listed));
    CHECK_I64((int64_t)pss_strlist_count(listed), orders);
    pss_strlist_free(listed);
    CHECK_OK(ctx, pss_session_verify(s));
    int64_t current = 0, got = 0;
    CHECK_OK(ctx, pss_session_balance(s, &current, &got));
    CHECK_I64(got, posted);
    return s;
}

static void test_one_session_two_processes(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    /* 2 x (100 + 101 + ... + 114) posted */
    pss_session *s = two_tills_submit(ctx, "0c0f1a00-0000-4000-8000-000000000099", "POS-S",
                                      submit_many, 15, 30, 2 * (15 * 100 + 105));
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

/* One till of two submitting the same ten orders to one session at once. */
static int submit_same(int who)
{
    (void)who;
    return submit_series("0e000000-0000-4000-8000-", 10, 200);
}

/* Two processes submit the same orders at once, their orders' lookups sent with the
 * session's locked read (doc/postgres-store.md, "Round trips"): the lock orders them, the
 * second's lookups run once the first committed and find its orders, answered as the
 * duplicates they are. Every submit succeeds, and each order is stored once. */
static void test_same_orders_two_processes(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    /* 200 + 201 + ... + 209 posted, once each */
    pss_session *s = two_tills_submit(ctx, "0c0f1a00-0000-4000-8000-000000000098", "POS-D",
                                      submit_same, 10, 10, 10 * 200 + 45);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

/* Twelve cash movements to the shared session from a till of its own, each retried while
 * the library answers a conflict: how many were answered 0. */
static int cash_series(int who)
{
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    int answered = 0;
    if (pss_session_load(ctx, shared_session, &s))
        _exit(200);
    for (int i = 0; i < 12; i++) {
        int rc = PSS_ECONFLICT;
        for (int tries = 0; tries < 100 && rc == PSS_ECONFLICT; tries++)
            if ((rc = fix_cash(s, PSS_CASH_IN, 100 * (who + 1))) == PSS_ECONFLICT)
                pss_session_refresh(s);
        answered += rc == 0;
        if (rc)
            printf("# cash_series %d: %d %s\n", who, rc, pss_ctx_errmsg(ctx));
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return answered;
}

/* Two tills moving cash in one session at once each add the next event of the config's
 * fiscal chain (doc/fiscal.md, "Events"): the session's row orders them (each holds it
 * while it reads the chain's head and adds its event; were two writers ever to take one seq,
 * the store's create would let one win and the library run the other again), so the chain
 * is gapless, 1 to 25, and verifies. */
static void test_fiscal_chain_two_processes(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    const char *config = "0c0f1a00-0000-4000-8000-000000000097";
    save_config(ctx, config, "POS-F");
    pss_session *s = open_session(ctx, config);
    snprintf(shared_session, sizeof shared_session, "%s", pss_session_id(s));
    int codes[2];
    run_children(2, cash_series, codes);
    CHECK_I64(codes[0], 12);
    CHECK_I64(codes[1], 12);
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    CHECK_OK(ctx, pss_fiscal_verify(ctx, config, &v));
    CHECK_I64(v.events, 25); /* the open, then 24 cash movements */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) * 1000 + max((payload::jsonb->>'seq')::int) FROM "
             "pss_record WHERE kind = 'fiscal' AND parent = '%s'", config);
    CHECK_I64(pgtest_number(raw, sql), 25 * 1000 + 25);
    CHECK_OK(ctx, pss_session_refresh(s));
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_CASH_IN), 12 * 100 + 12 * 200);
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

/* ---- late orders: a close racing submits, a rescue claim, refusals ------------------------ */

static void save_config_policy(pss_ctx *ctx, const char *id, const char *code,
                               pss_late_orders policy)
{
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.late_orders = policy;
    pss_config *c = fix_config_as(ctx, &fo, id, code);
    if (pss_config_save(c, &FIX_MIA)) {
        printf("Bail out! config %s: %s\n", id, pss_ctx_errmsg(ctx));
        exit(1);
    }
    pss_config_free(c);
}

/* An order of one tea paid by voucher: it leaves the drawer as it is, so a close counts 0.00
 * whichever orders made it in. A conflict re-reads the session and submits again (counted in
 * *retries). */
static int submit_late(pss_session *s, const char *order_id, int64_t price,
                       pss_submit_result *res, int *retries)
{
    pss_line_input line = fix_line("tea", 1000, price, NULL, 0);
    pss_payment_input pay = fix_pay("Voucher", price);
    pss_order_input in = fix_order(order_id, &line, &pay);
    int rc = PSS_ECONFLICT;
    for (int tries = 0; tries < 100 && rc == PSS_ECONFLICT; tries++) {
        pss_submit_result r = PSS_SUBMIT_RESULT_INIT;
        rc = pss_session_submit(s, &FIX_ALICE, &in, &r);
        *res = r;
        if (rc == PSS_ECONFLICT) {
            ++*retries;
            pss_session_refresh(s);
        }
    }
    return rc;
}

#define LATE_SUBMITTERS 2
#define LATE_ORDERS 12 /* per submitter and round */
#define LATE_BEFORE 6  /* orders acknowledged before the closer starts closing */

typedef struct late_sub {
    char id[PSS_ID_SIZE];
    int64_t price;
    int rc;
    pss_submit_result res;
} late_sub;

/* What the processes of a round tell the parent, in memory shared across fork. */
typedef struct late_board {
    atomic_int acked;
    atomic_int ready; /* processes connected, their session loaded */
    char session[PSS_ID_SIZE], config[PSS_ID_SIZE];
    int round;
    pss_late_orders policy;
    int closer;    /* process 0 closes the session (else it does nothing) */
    int open_next; /* the closer opens the config's next session once closed */
    char next[PSS_ID_SIZE];
    int close_rc, retries[1 + LATE_SUBMITTERS];
    char refusal[512];
    late_sub sub[LATE_SUBMITTERS][LATE_ORDERS];
} late_board;

static late_board *board;

static int late_step_retry(pss_session *s, int step)
{
    int rc = PSS_ECONFLICT;
    for (int tries = 0; tries < 100 && rc == PSS_ECONFLICT; tries++) {
        pss_count_input count = PSS_COUNT_INPUT_INIT;
        count.cash_total = 0;
        rc = step == 0   ? pss_session_start_closing(s, &FIX_ALICE)
             : step == 1 ? pss_session_count(s, &FIX_ALICE, &count)
                         : pss_session_close(s, &FIX_ALICE, NULL);
        if (rc == PSS_ECONFLICT) {
            board->retries[0]++;
            pss_session_refresh(s);
        }
    }
    return rc;
}

/* Process 0 closes the shared session once LATE_BEFORE orders are in (and opens the next one
 * when told); processes 1 and 2 submit LATE_ORDERS orders each to the handle they loaded
 * before. Exit 0, or 1 with a comment. */
static int late_race(int who)
{
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    if (pss_session_load(ctx, board->session, &s))
        _exit(200);
    int failed = 0;
    if (who == 0 && board->closer) {
        long long t0 = now_ms();
        while (atomic_load(&board->acked) < LATE_BEFORE && now_ms() - t0 < 10000)
            sleep_ms(1);
        int rc = 0;
        for (int step = 0; step < 3 && !rc; step++)
            rc = late_step_retry(s, step);
        board->close_rc = rc;
        if (rc)
            printf("# late_race closer: %d %s\n", rc, pss_ctx_errmsg(ctx));
        if (!rc && board->open_next) {
            pss_session *next = NULL;
            pss_session_input si = PSS_SESSION_INPUT_INIT;
            si.operating_date = "2026-11-22";
            pss_opening_input oi = PSS_OPENING_INPUT_INIT;
            oi.counted_cash = 0;
            rc = pss_session_create(ctx, board->config, &FIX_ALICE, &si, &next);
            if (!rc)
                rc = pss_session_open(next, &FIX_ALICE, &oi);
            if (!rc)
                snprintf(board->next, sizeof board->next, "%s", pss_session_id(next));
            else
                printf("# late_race next session: %d %s\n", rc, pss_ctx_errmsg(ctx));
            pss_session_free(next);
        }
        failed = rc != 0;
    } else if (who > 0) {
        for (int i = 0; i < LATE_ORDERS; i++) {
            late_sub *u = &board->sub[who - 1][i];
            snprintf(u->id, sizeof u->id, "0e%02x%02x%02x-0000-4000-8000-000000000000",
                     board->round & 0xff, who & 0xff, i & 0xff);
            u->price = 100 * who + i + 1;
            u->rc = submit_late(s, u->id, u->price, &u->res, &board->retries[who]);
            if (u->rc == 0)
                atomic_fetch_add(&board->acked, 1);
            else if ((u->rc == PSS_ESTATE || u->rc == PSS_ECLOSED) && !board->refusal[0])
                snprintf(board->refusal, sizeof board->refusal, "%s", pss_ctx_errmsg(ctx));
            else if (board->policy != PSS_LATE_REFUSE)
                printf("# late_race %d: %s: %d %s\n", who, u->id, u->rc, pss_ctx_errmsg(ctx));
            sleep_ms(1);
        }
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return failed;
}

static late_board *new_board(void)
{
    /* /dev/zero mapped shared: what MAP_ANONYMOUS does, within _POSIX_C_SOURCE */
    int fd = open("/dev/zero", O_RDWR);
    late_board *b = fd < 0 ? MAP_FAILED
                           : mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (fd >= 0)
        close(fd);
    if (b == MAP_FAILED) {
        printf("Bail out! mmap\n");
        exit(1);
    }
    return b;
}

static void reset_board(int round, pss_late_orders policy, int open_next, const char *config,
                        const char *session)
{
    memset(board, 0, sizeof *board);
    atomic_init(&board->acked, 0);
    atomic_init(&board->ready, 0);
    board->closer = 1;
    board->round = round;
    board->policy = policy;
    board->open_next = open_next;
    snprintf(board->config, sizeof board->config, "%s", config);
    snprintf(board->session, sizeof board->session, "%s", session);
}

/* How many of a config's sessions are rescue sessions; *all receives how many there are. */
static int rescue_sessions(pss_ctx *ctx, const char *config, int *all)
{
    pss_strlist *ids = NULL;
    int n = 0;
    CHECK_OK(ctx, pss_session_list(ctx, config, PSS_SESSION_ANY_STATE, &ids));
    *all = (int)pss_strlist_count(ids);
    for (size_t i = 0; i < pss_strlist_count(ids); i++) {
        pss_session *s = NULL;
        if (pss_session_load(ctx, pss_strlist_get(ids, i), &s) == 0)
            n += pss_session_is_rescue(s);
        pss_session_free(s);
    }
    pss_strlist_free(ids);
    return n;
}

/* A session holds exactly `orders` orders paid `posted` in all, and verify agrees. */
static void check_session_holds(pss_ctx *ctx, const char *id, size_t orders, int64_t posted)
{
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, id, &s));
    if (!s)
        return;
    pss_strlist *list = NULL;
    CHECK_OK(ctx, pss_order_list(s, PSS_ORDER_ANY_STATE, &list));
    CHECK_I64(pss_strlist_count(list), orders);
    pss_strlist_free(list);
    int64_t current = -1, paid = -1;
    CHECK_OK(ctx, pss_session_balance(s, &current, &paid));
    CHECK_I64(paid, posted);
    CHECK_I64(current, posted);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
}

/* The closed session's entry: debits equal credits equal the entry's total, and the voucher
 * debit and the sales credit are what its orders were paid. */
static void check_entry_balances(pss_ctx *ctx, const char *id, int64_t posted)
{
    pss_session *s = NULL;
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, id, &s));
    CHECK_OK(ctx, pss_session_entry(s, &e));
    if (!e) {
        pss_session_free(s);
        return;
    }
    int64_t debit = 0, credit = 0, vouchers = 0, sales = 0;
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        CHECK_OK(ctx, pss_entry_get_line(e, i, &l));
        debit += l.debit;
        credit += l.credit;
        if (l.account && strcmp(l.account, "Liabilities:Vouchers") == 0)
            vouchers += l.debit - l.credit;
        if (l.account && strcmp(l.account, "Income:Sales") == 0)
            sales += l.credit - l.debit;
    }
    CHECK_I64(debit, credit);
    CHECK_I64(debit, pss_entry_total(e));
    CHECK_I64(vouchers, posted);
    CHECK_I64(sales, posted);
    pss_entry_free(e);
    pss_session_free(s);
}

/* Closes a session the late orders went to (a rescue session has no cash count) and checks
 * that its entry posts what its orders were paid. */
static void close_and_check(pss_ctx *ctx, const char *id, int64_t posted)
{
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, id, &s));
    if (!s)
        return;
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    if (!pss_session_is_rescue(s)) {
        pss_count_input count = PSS_COUNT_INPUT_INIT;
        count.cash_total = 0;
        CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    }
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
    pss_session_free(s);
    check_entry_balances(ctx, id, posted);
}

/* Orders stored under one of config's sessions. */
static long long config_orders(const char *config)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pss_record o JOIN pss_record s ON "
             "s.kind = 'session' AND s.id = o.parent WHERE o.kind = 'order' AND "
             "s.parent = '%s'", config);
    return pgtest_number(raw, sql);
}

/* Copies of an order id stored (any session) * 100 + copies under the given session. */
static long long stored_copies(const char *order, const char *session)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) * 100 + count(*) FILTER (WHERE parent = '%s') "
             "FROM pss_record WHERE kind = 'order' AND id = '%s'", session, order);
    return pgtest_number(raw, sql);
}

/* Per round a close (start closing, count, close, then under route the next session opened)
 * races two processes submitting 12 orders each to the session's handle they loaded before
 * it started: route and rescue alternate over 8 rounds. Every order is acknowledged and
 * stored once, where its result says: in the closed session (routed 0), in the rescue
 * session (routed 1, rescue 1; at most one per round) or in the next session (routed 1,
 * rescue 0; route only). Verify agrees for each, each closes and its entry posts its
 * orders' total. */
static void test_late_orders_race_close(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    const int rounds = 8;
    int on_time = 0, to_rescue = 0, to_next = 0, acked = 0, once = 0, where_said = 0;
    int wrong_place = 0, retries = 0, rounds_late = 0;
    for (int round = 0; round < rounds; round++) {
        pss_late_orders policy = round % 2 ? PSS_LATE_RESCUE : PSS_LATE_ROUTE;
        char config[64];
        snprintf(config, sizeof config, "0c0f1a00-0000-4000-8000-0000000003%02d", round);
        save_config_policy(ctx, config, "POS-L", policy);
        pss_session *s = open_session(ctx, config);
        char closing[PSS_ID_SIZE];
        snprintf(closing, sizeof closing, "%s", pss_session_id(s));
        reset_board(round, policy, policy == PSS_LATE_ROUTE, config, closing);
        int codes[1 + LATE_SUBMITTERS];
        run_children(1 + LATE_SUBMITTERS, late_race, codes);
        for (int i = 0; i <= LATE_SUBMITTERS; i++)
            CHECK_I64(codes[i], 0);
        CHECK_I64(board->close_rc, 0);
        char rescue[PSS_ID_SIZE] = "";
        int n_on_time = 0, n_rescue = 0, n_next = 0, n_acked = 0;
        int64_t paid_on_time = 0, paid_rescue = 0, paid_next = 0;
        for (int w = 0; w < LATE_SUBMITTERS; w++) {
            retries += board->retries[w + 1];
            for (int i = 0; i < LATE_ORDERS; i++) {
                const late_sub *u = &board->sub[w][i];
                if (u->rc != 0)
                    continue;
                n_acked++;
                long long copies = stored_copies(u->id, u->res.session_id);
                once += copies / 100 == 1;
                where_said += copies % 100 == 1;
                if (copies != 101)
                    printf("# round %d: order %s acknowledged in %s: %lld stored, %lld there\n",
                           round, u->id, u->res.session_id, copies / 100, copies % 100);
                if (!u->res.routed && !u->res.rescue && !strcmp(u->res.session_id, closing)) {
                    n_on_time++;
                    paid_on_time += u->price;
                } else if (u->res.routed && u->res.rescue && strcmp(u->res.session_id, closing) &&
                           (!rescue[0] || !strcmp(rescue, u->res.session_id))) {
                    snprintf(rescue, sizeof rescue, "%s", u->res.session_id);
                    n_rescue++;
                    paid_rescue += u->price;
                } else if (u->res.routed && !u->res.rescue && policy == PSS_LATE_ROUTE &&
                           board->next[0] && !strcmp(u->res.session_id, board->next)) {
                    n_next++;
                    paid_next += u->price;
                } else {
                    wrong_place++;
                    printf("# round %d: order %s in %s routed %d rescue %d\n", round, u->id,
                           u->res.session_id, u->res.routed, u->res.rescue);
                }
            }
        }
        retries += board->retries[0];
        CHECK_I64(n_acked, LATE_SUBMITTERS * LATE_ORDERS);
        /* 1.01 to 1.12 and 2.01 to 2.12, wherever they went */
        CHECK_I64(paid_on_time + paid_rescue + paid_next, 1278 + 2478);
        CHECK(n_on_time >= LATE_BEFORE);
        /* none lost, none twice, nothing else: the config's sessions hold exactly these */
        CHECK_I64(config_orders(config), n_acked);
        int all = 0;
        CHECK_I64(rescue_sessions(ctx, config, &all), n_rescue ? 1 : 0);
        CHECK_I64(all, 1 + (board->next[0] != 0) + (n_rescue ? 1 : 0));
        CHECK_OK(ctx, pss_session_refresh(s));
        CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
        check_session_holds(ctx, closing, n_on_time, paid_on_time);
        check_entry_balances(ctx, closing, paid_on_time);
        if (n_rescue) {
            check_session_holds(ctx, rescue, n_rescue, paid_rescue);
            close_and_check(ctx, rescue, paid_rescue);
        }
        if (policy == PSS_LATE_ROUTE) {
            CHECK(board->next[0] != 0);
            if (board->next[0]) {
                check_session_holds(ctx, board->next, n_next, paid_next);
                close_and_check(ctx, board->next, paid_next);
            }
        }
        printf("# round %d (%s): %d in the closed session (%lld.%02lld), %d rescued "
               "(%lld.%02lld), %d routed to the next session (%lld.%02lld)\n", round,
               policy == PSS_LATE_ROUTE ? "route" : "rescue", n_on_time,
               (long long)paid_on_time / 100, (long long)paid_on_time % 100, n_rescue,
               (long long)paid_rescue / 100, (long long)paid_rescue % 100, n_next,
               (long long)paid_next / 100, (long long)paid_next % 100);
        on_time += n_on_time;
        to_rescue += n_rescue;
        to_next += n_next;
        acked += n_acked;
        rounds_late += n_rescue + n_next > 0;
        pss_session_free(s);
    }
    CHECK_I64(acked, rounds * LATE_SUBMITTERS * LATE_ORDERS);
    CHECK_I64(once, acked);       /* every acknowledged order stored exactly once */
    CHECK_I64(where_said, acked); /* in the session its result names */
    CHECK_I64(wrong_place, 0);
    CHECK_I64(on_time + to_rescue + to_next, acked);
    CHECK(to_rescue + to_next > 0); /* the close did race the submits */
    printf("# late orders racing a close, %d rounds: %d orders, %d in the closed session, %d "
           "rescued, %d routed to the next session; late ones in %d rounds; %d conflicts "
           "retried\n", rounds, acked, on_time, to_rescue, to_next, rounds_late, retries);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

static char claim_order[2][PSS_ID_SIZE];

/* Submits one late order (claim_order[who], price by id) to the closed shared session. */
static int late_claim(int who)
{
    pss_storage *st = open_store(10000);
    pss_ctx *ctx = fix_ctx(st);
    pss_session *s = NULL;
    if (pss_session_load(ctx, board->session, &s))
        _exit(200);
    /* both connected and loaded before either submits: the claims meet */
    atomic_fetch_add(&board->ready, 1);
    for (long long t0 = now_ms(); atomic_load(&board->ready) < 2 && now_ms() - t0 < 10000;)
        ;
    late_sub *u = &board->sub[who][0];
    snprintf(u->id, sizeof u->id, "%s", claim_order[who]);
    u->price = strcmp(claim_order[0], claim_order[1]) ? 700 + who : 700;
    u->rc = submit_late(s, u->id, u->price, &u->res, &board->retries[who]);
    if (u->rc)
        printf("# late_claim %d: %d %s\n", who, u->rc, pss_ctx_errmsg(ctx));
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return u->rc != 0;
}

static pss_session *closed_session(pss_ctx *ctx, const char *config)
{
    pss_session *s = open_session(ctx, config);
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 0;
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    return s;
}

/* Under rescue two processes send a late order to one closed session at once, 10 rounds:
 * one rescue session is made each round and both orders are in it; in odd rounds both send
 * the same order: one records it, the other is answered as a duplicate, same session. */
static void test_late_rescue_claim(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    const int rounds = 10;
    int one_rescue = 0, both_there = 0, duplicates = 0, retries = 0;
    for (int round = 0; round < rounds; round++) {
        int same = round % 2;
        char config[64];
        snprintf(config, sizeof config, "0c0f1a00-0000-4000-8000-0000000004%02d", round);
        save_config_policy(ctx, config, "POS-Q", PSS_LATE_RESCUE);
        pss_session *s = closed_session(ctx, config);
        reset_board(round, PSS_LATE_RESCUE, 0, config, pss_session_id(s));
        for (int w = 0; w < 2; w++)
            snprintf(claim_order[w], sizeof claim_order[w],
                     "0e4%02x%03x-0000-4000-8000-000000000000", round, same ? 0 : w);
        int codes[2];
        run_children(2, late_claim, codes);
        CHECK_I64(codes[0] + codes[1], 0);
        const pss_submit_result *a = &board->sub[0][0].res, *b = &board->sub[1][0].res;
        retries += board->retries[0] + board->retries[1];
        CHECK_I64(a->routed + b->routed, 2);
        CHECK_I64(a->rescue + b->rescue, 2);
        CHECK_STR(a->session_id, b->session_id);
        int all = 0, n = rescue_sessions(ctx, config, &all);
        CHECK_I64(n, 1);
        CHECK_I64(all, 2);
        one_rescue += n == 1 && all == 2;
        pss_session *r = NULL;
        CHECK_OK(ctx, pss_session_load(ctx, a->session_id, &r));
        CHECK_STR(r ? pss_session_name(r) : NULL, "POS-Q/RESCUE-00001"); /* numbered once */
        pss_session_free(r);
        if (same) {
            CHECK_I64(a->duplicate + b->duplicate, 1);
            duplicates += a->duplicate + b->duplicate;
            check_session_holds(ctx, a->session_id, 1, 700);
            CHECK_I64(stored_copies(claim_order[0], a->session_id), 101);
            both_there += stored_copies(claim_order[0], a->session_id) == 101;
        } else {
            CHECK_I64(a->duplicate + b->duplicate, 0);
            check_session_holds(ctx, a->session_id, 2, 700 + 701);
            CHECK_I64(stored_copies(claim_order[0], a->session_id), 101);
            CHECK_I64(stored_copies(claim_order[1], a->session_id), 101);
            both_there += stored_copies(claim_order[0], a->session_id) == 101 &&
                          stored_copies(claim_order[1], a->session_id) == 101;
        }
        check_session_holds(ctx, pss_session_id(s), 0, 0);
        CHECK_I64(config_orders(config), same ? 1 : 2);
        pss_session_free(s);
    }
    CHECK_I64(one_rescue, rounds);
    CHECK_I64(both_there, rounds);
    CHECK_I64(duplicates, rounds / 2);
    printf("# rescue claims, %d rounds: one rescue session each round, the orders in it; %d "
           "duplicates answered; %d conflicts retried\n", rounds, duplicates, retries);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

/* Under refuse the same race as above, 4 rounds: an order that landed before the close
 * started is in the closed session, every later one is PSS_ESTATE (being counted) or
 * PSS_ECLOSED (closed) naming the policy and is stored nowhere; no rescue session. Then two
 * processes at once send 12 late orders each to a closed session: all PSS_ECLOSED, the
 * database unchanged (its records and audit trail). */
static void test_late_refuse(void)
{
    pss_storage *st = open_store(5000);
    pss_ctx *ctx = fix_ctx(st);
    const int rounds = 4;
    int on_time = 0, estate = 0, eclosed = 0, other = 0, absent = 0;
    for (int round = 0; round < rounds; round++) {
        char config[64];
        snprintf(config, sizeof config, "0c0f1a00-0000-4000-8000-0000000005%02d", round);
        save_config_policy(ctx, config, "POS-F", PSS_LATE_REFUSE);
        pss_session *s = open_session(ctx, config);
        reset_board(10 + round, PSS_LATE_REFUSE, 0, config, pss_session_id(s));
        int codes[1 + LATE_SUBMITTERS];
        run_children(1 + LATE_SUBMITTERS, late_race, codes);
        for (int i = 0; i <= LATE_SUBMITTERS; i++)
            CHECK_I64(codes[i], 0);
        int n_on_time = 0, n_refused = 0;
        int64_t paid = 0;
        for (int w = 0; w < LATE_SUBMITTERS; w++)
            for (int i = 0; i < LATE_ORDERS; i++) {
                const late_sub *u = &board->sub[w][i];
                if (u->rc == 0 && !u->res.routed && !strcmp(u->res.session_id, pss_session_id(s))) {
                    n_on_time++;
                    paid += u->price;
                    CHECK_I64(stored_copies(u->id, pss_session_id(s)), 101);
                } else if (u->rc == PSS_ESTATE || u->rc == PSS_ECLOSED) {
                    n_refused++;
                    estate += u->rc == PSS_ESTATE;
                    eclosed += u->rc == PSS_ECLOSED;
                    absent += stored_copies(u->id, pss_session_id(s)) == 0;
                } else {
                    other++;
                    printf("# round %d: order %s: %d, routed %d\n", round, u->id, u->rc,
                           u->res.routed);
                }
            }
        CHECK(n_on_time >= LATE_BEFORE);
        if (n_refused)
            CHECK_CONTAINS(board->refusal, "refuses late orders (late_orders: refuse)");
        int all = 0;
        CHECK_I64(rescue_sessions(ctx, config, &all), 0);
        CHECK_I64(all, 1);
        CHECK_I64(config_orders(config), n_on_time);
        check_session_holds(ctx, pss_session_id(s), n_on_time, paid);
        check_entry_balances(ctx, pss_session_id(s), paid);
        printf("# refuse round %d: %d in the closed session (%lld.%02lld), %d refused\n", round,
               n_on_time, (long long)paid / 100, (long long)paid % 100, n_refused);
        on_time += n_on_time;
        pss_session_free(s);
    }
    CHECK_I64(other, 0);
    CHECK_I64(absent, estate + eclosed); /* no refused order stored */
    CHECK_I64(on_time + estate + eclosed, rounds * LATE_SUBMITTERS * LATE_ORDERS);
    CHECK(estate + eclosed > 0);
    printf("# refuse racing a close, %d rounds: %d recorded on time, %d PSS_ESTATE, %d "
           "PSS_ECLOSED, none stored\n", rounds, on_time, estate, eclosed);

    /* all late: a closed session, two processes at once, nothing changes */
    const char *config = "0c0f1a00-0000-4000-8000-000000000599";
    save_config_policy(ctx, config, "POS-F", PSS_LATE_REFUSE);
    pss_session *s = closed_session(ctx, config);
    CHECK_I64(pgtest_settle_audit(raw), 0);
    const char *state_sql = "SELECT (SELECT count(*) FROM pss_record) * 1000000 + "
                            "(SELECT coalesce(sum(rev), 0) FROM pss_record) * 1000 + "
                            "(SELECT count(*) FROM pss_audit)";
    long long before = pgtest_number(raw, state_sql);
    reset_board(20, PSS_LATE_REFUSE, 0, config, pss_session_id(s));
    board->closer = 0; /* only the two submitters */
    int codes[1 + LATE_SUBMITTERS];
    run_children(1 + LATE_SUBMITTERS, late_race, codes);
    int closed_refusals = 0;
    for (int w = 0; w < LATE_SUBMITTERS; w++)
        for (int i = 0; i < LATE_ORDERS; i++)
            closed_refusals += board->sub[w][i].rc == PSS_ECLOSED;
    for (int i = 0; i <= LATE_SUBMITTERS; i++)
        CHECK_I64(codes[i], 0);
    CHECK_I64(closed_refusals, LATE_SUBMITTERS * LATE_ORDERS);
    CHECK_CONTAINS(board->refusal, "is closed and config 'Main register' refuses late orders");
    CHECK_I64(pgtest_settle_audit(raw), 0);
    CHECK_I64(pgtest_number(raw, state_sql), before);
    CHECK_I64(config_orders(config), 0);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    test_locked_row_then_latest();
    test_stale_cas_loses();
    test_queued_create_conflict();
    test_queued_create_rolled_back();
    test_lock_timeout();
    test_two_configs_do_not_wait();
    test_open_race();
    test_one_session_two_processes();
    test_same_orders_two_processes();
    test_fiscal_chain_two_processes();
    test_close_race();
    board = new_board();
    test_late_orders_race_close();
    test_late_rescue_claim();
    test_late_refuse();
    PQfinish(raw);
    return check_done();
}
