/* pg-connection.c: a lost connection on PostgreSQL (pg_terminate_backend from another
 * connection). A call mid-transaction fails with PSS_ESTORAGE and nothing of the
 * transaction remains; the next begin reconnects; a till killed mid-transaction leaves no
 * row, lock or claim behind; and an order whose commit was cut off,
 * before or after the server made it durable, resubmitted gives exactly one order.
 * Usage: pg-connection DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static char conninfo[1024], victim_info[1100];
static PGconn *raw;

/* Ends the store's backend (application_name=pss_victim) and waits until it is gone. */
static void kill_backend(void)
{
    CHECK_I64(pgtest_number(raw, "SELECT count(pg_terminate_backend(pid, 5000)) FROM "
                                 "pg_stat_activity WHERE application_name = 'pss_victim'"), 1);
}

static pss_storage *open_victim(void)
{
    return pgtest_store(victim_info, NULL);
}

static int grab_nothing(const pss_record *r, void *arg)
{
    (void)r;
    (void)arg;
    return 0;
}

static int put(pss_storage *st, const char *id, const char *payload, uint64_t expected)
{
    pss_record r = {"note", id, "", 0, payload, strlen(payload)};
    uint64_t rev = 0;
    return st->put(st->userdata, &r, expected, &rev);
}

static void test_lost_mid_transaction(void)
{
    pss_storage *st = open_victim();
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(st, "n1", "{\"a\":1}", 0), 0);
    CHECK_I64(st->append(st->userdata, "s1", "{}", 2, NULL), 0);
    kill_backend();
    CHECK_I64(put(st, "n2", "{\"a\":2}", 0), PSS_ESTORAGE);
    CHECK_CONTAINS(st->errmsg(st->userdata), "connection to the server was lost");
    CHECK_CONTAINS(st->errmsg(st->userdata), "put of note n2");
    CHECK_I64(st->rollback(st->userdata), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record"), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_audit"), 0);
    /* the next begin reconnects; the store works on */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(st, "n1", "{\"a\":1}", 0), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id = 'n1'"), 1);
    /* killed between calls: the begin finds the connection closed (no round trip: the
     * server's goodbye waits on the socket) and resets it */
    kill_backend();
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(st, "n1", "{\"a\":\"one\"}", 1), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    /* killed after begin (BEGIN is only queued): the first round trip meets the dead
     * connection, and as nothing of the transaction ran it begins again on a new one, also
     * when that round trip is not a read: the first audit entry (the transaction's id is
     * asked for), or a commit of nothing */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    kill_backend();
    CHECK_I64(st->append(st->userdata, "s1", "{\"first\":1}", 11, NULL), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_audit WHERE payload = "
                                 "'{\"first\":1}'"), 1);
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    kill_backend();
    CHECK_I64(st->commit(st->userdata), 0);
    /* the checks sent before it are sent again on the new connection: a wrong one still
     * fails the transaction there */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->check(st->userdata, "note", "n1", 2), 0);
    CHECK_I64(st->check(st->userdata, "note", "n1-none", 0), 0);
    kill_backend();
    CHECK_I64(st->get(st->userdata, "note", "n1", grab_nothing, NULL), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->check(st->userdata, "note", "n1", 1), 0);
    kill_backend();
    CHECK_I64(st->get(st->userdata, "note", "n2", grab_nothing, NULL), PSS_ECONFLICT);
    CHECK_CONTAINS(st->errmsg(st->userdata), "get of note n2: check of note n1: SQLSTATE "
                                             "PSS01: the note record n1 is at revision 2, not 1");
    CHECK_I64(st->rollback(st->userdata), 0);
    /* or it sends more hinted reads than one round trip holds before its first read */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    kill_backend();
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%d", i);
        CHECK_I64(st->prefetch(st->userdata, "note", id, 0), 0);
    }
    char seen[64];
    CHECK_I64(st->get(st->userdata, "note", "h7", grab_nothing, seen), PSS_ENOTFOUND);
    CHECK_I64(st->get(st->userdata, "note", "n1", grab_nothing, seen), 0);
    CHECK_I64(st->rollback(st->userdata), 0);
    /* the same with a record among the hints after the transaction began again: its read
     * gets its own answer, not one of a hint forgotten with the old connection */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(st, "h251", "{\"here\":1}", 0), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    kill_backend();
    for (int i = 0; i <= 251; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%d", i);
        CHECK_I64(st->prefetch(st->userdata, "note", id, 0), 0);
    }
    CHECK_I64(st->get(st->userdata, "note", "h251", grab_nothing, seen), 0);
    CHECK_I64(st->rollback(st->userdata), 0);
    /* a read outside a transaction on a connection the server closed reconnects first */
    kill_backend();
    char holder[32];
    CHECK_I64(st->lookup(st->userdata, "k", holder, sizeof holder), PSS_ENOTFOUND);
    /* a commit cut off: PSS_ESTORAGE, and nothing of it was kept */
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(st, "n3", "{}", 0), 0);
    kill_backend();
    CHECK_I64(st->commit(st->userdata), PSS_ESTORAGE);
    CHECK_I64(st->rollback(st->userdata), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id = 'n3'"), 0);
    pss_storage_free(st);
}

/* A till killed (SIGKILL) mid-transaction, holding a row lock and a claim: the server rolls
 * it all back, and another till takes the row and the claim at once. */
static void test_till_killed(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pss_storage *st = pgtest_store(conninfo, NULL);
        char seen[16];
        st->begin(st->userdata, PSS_TXN_WRITE);
        st->get(st->userdata, "note", "n1", grab_nothing, seen); /* locks n1 */
        put(st, "dead", "{}", 0);
        st->claim(st->userdata, "open/killed", "dead-till", NULL, 0);
        st->append(st->userdata, "s1", "{\"dead\":1}", 10, NULL);
        raise(SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    pss_pg_options o = PSS_PG_OPTIONS_INIT;
    o.lock_timeout_ms = 10000; /* the server notices the dead client's socket at once */
    pss_storage *st = pgtest_store(conninfo, &o);
    char seen[16];
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->get(st->userdata, "note", "n1", grab_nothing, seen), 0);
    CHECK_I64(st->claim(st->userdata, "open/killed", "alive-till", NULL, 0), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id = 'dead'"), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_audit WHERE payload LIKE '%dead%'"), 0);
    pss_storage_free(st);
}

/* ---- a till whose commit is cut off --------------------------------------------------- */

/* Wraps the victim store: the commit chosen by `cut` loses its connection, before the
 * server commits (BEFORE) or after it has, with the answer lost on the way (AFTER). */
enum { CUT_NONE, CUT_BEFORE, CUT_AFTER };

typedef struct cutter {
    pss_storage table, *inner;
    int cut;
} cutter;

#define INNER(u) (((cutter *)(u))->inner)
#define IN(u) INNER(u)->userdata

static int cut_begin(void *u, unsigned f) { return INNER(u)->begin(IN(u), f); }
static int cut_rollback(void *u) { return INNER(u)->rollback(IN(u)); }
static int cut_get(void *u, const char *k, const char *id, pss_record_fn fn, void *a)
{
    return INNER(u)->get(IN(u), k, id, fn, a);
}
static int cut_put(void *u, const pss_record *r, uint64_t e, uint64_t *n)
{
    return INNER(u)->put(IN(u), r, e, n);
}
static int cut_scan(void *u, const char *k, const char *p, pss_record_fn fn, void *a)
{
    return INNER(u)->scan(IN(u), k, p, fn, a);
}
static int cut_scan_last(void *u, const char *k, const char *p, size_t n, pss_record_fn fn,
                         void *a)
{
    return INNER(u)->scan_last(IN(u), k, p, n, fn, a);
}
static int cut_claim(void *u, const char *k, const char *o, char *h, size_t n)
{
    return INNER(u)->claim(IN(u), k, o, h, n);
}
static int cut_release(void *u, const char *k, const char *o)
{
    return INNER(u)->release(IN(u), k, o);
}
static int cut_lookup(void *u, const char *k, char *h, size_t n)
{
    return INNER(u)->lookup(IN(u), k, h, n);
}
static int cut_append(void *u, const char *s, const char *p, size_t n, uint64_t *q)
{
    return INNER(u)->append(IN(u), s, p, n, q);
}
static int cut_audit_scan(void *u, const char *s, uint64_t a, pss_audit_fn fn, void *arg)
{
    return INNER(u)->audit_scan(IN(u), s, a, fn, arg);
}
static const char *cut_errmsg(void *u) { return INNER(u)->errmsg(IN(u)); }

static int cut_commit(void *u)
{
    cutter *c = u;
    int how = c->cut;
    c->cut = CUT_NONE;
    if (how == CUT_BEFORE)
        kill_backend();
    int rc = c->inner->commit(c->inner->userdata);
    if (how == CUT_AFTER) {
        kill_backend();
        return rc ? rc : PSS_ESTORAGE; /* durable, but the till never heard so */
    }
    return rc;
}

static void cutter_init(cutter *c, pss_storage *inner)
{
    pss_storage t = PSS_STORAGE_INIT;
    t.userdata = c;
    t.begin = cut_begin;
    t.commit = cut_commit;
    t.rollback = cut_rollback;
    t.get = cut_get;
    t.put = cut_put;
    t.scan = cut_scan;
    t.scan_last = cut_scan_last;
    t.claim = cut_claim;
    t.release = cut_release;
    t.lookup = cut_lookup;
    t.append = cut_append;
    t.audit_scan = cut_audit_scan;
    t.errmsg = cut_errmsg;
    c->table = t;
    c->inner = inner;
    c->cut = CUT_NONE;
}

static int submit(pss_session *s, const char *id, pss_submit_result *res)
{
    pss_line_input line = fix_line("cake", 2000, 325, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", 650);
    pss_order_input in = fix_order(id, &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, res);
}

/* What a till does after an unknown outcome: submit again, re-reading the session when it
 * changed underneath (the library will do this itself; until then the test does). */
static int resubmit(pss_session *s, const char *id, pss_submit_result *res)
{
    int rc = submit(s, id, res);
    for (int tries = 0; rc == PSS_ECONFLICT && tries < 5; tries++) {
        pss_session_refresh(s);
        rc = submit(s, id, res);
    }
    return rc;
}

static long long orders_in(const char *session)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pss_record WHERE kind = 'order' AND "
             "parent = '%s'", session);
    return pgtest_number(raw, sql);
}

static void test_resubmit_after_cut(void)
{
    pss_storage *inner = open_victim();
    cutter c;
    cutter_init(&c, inner);
    pss_ctx *ctx = fix_ctx(&c.table);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 0);
    const char *sid = pss_session_id(s);
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;

    c.cut = CUT_BEFORE; /* never committed */
    CHECK_RC(ctx, submit(s, "0e000000-0000-4000-8000-000000000001", &res), PSS_ESTORAGE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "connection");
    CHECK_I64(orders_in(sid), 0);
    CHECK_OK(ctx, resubmit(s, "0e000000-0000-4000-8000-000000000001", &res));
    CHECK_I64(res.duplicate, 0);
    CHECK_I64(orders_in(sid), 1);

    c.cut = CUT_AFTER; /* committed, the answer lost */
    CHECK_RC(ctx, submit(s, "0e000000-0000-4000-8000-000000000002", &res), PSS_ESTORAGE);
    CHECK_I64(orders_in(sid), 2);
    CHECK_OK(ctx, resubmit(s, "0e000000-0000-4000-8000-000000000002", &res));
    CHECK_I64(res.duplicate, 1);
    CHECK_I64(orders_in(sid), 2); /* exactly one order for the id */
    CHECK_OK(ctx, resubmit(s, "0e000000-0000-4000-8000-000000000002", &res));
    CHECK_I64(res.duplicate, 1);

    fix_verify_and_close(ctx, s, 1300);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(inner);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    snprintf(victim_info, sizeof victim_info, "%s application_name=pss_victim", conninfo);
    test_lost_mid_transaction();
    test_till_killed();
    test_resubmit_after_cut();
    PQfinish(raw);
    return check_done();
}
