/* pg-audit.c: the audit trail on PostgreSQL in commit order. A reader never sees an entry
 * while an older transaction that appended is still open (it could still commit below it);
 * a follower paging with after_seq collects every entry exactly once; pss_pg_wait wakes on
 * a commit that appended and times out otherwise; the table refuses UPDATE, DELETE and
 * TRUNCATE whoever asks. Usage: pg-audit DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "pgtest.h"
#include "text.h"

#include <pthread.h>
#include <time.h>

static char conninfo[1024];
static PGconn *raw;

static pss_storage *open_store(void)
{
    return pgtest_store(conninfo, NULL);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int append(pss_storage *st, const char *subject, const char *payload, uint64_t *seq)
{
    return st->append(st->userdata, subject, payload, strlen(payload), seq);
}

/* What a follower has collected: the payloads in order, and the last seq. */
typedef struct follower {
    text seen;
    uint64_t last;
    int out_of_order;
} follower;

static int collect(const pss_audit_item *item, void *arg)
{
    follower *f = arg;
    if (item->seq <= f->last)
        f->out_of_order++;
    f->last = item->seq;
    text_printf(&f->seen, "%.*s;", (int)item->payload_len, item->payload);
    return 0;
}

/* One page of the follower, as it reads at once (entries may be held back). */
static void follow_now(pss_storage *st, follower *f)
{
    CHECK_I64(st->audit_scan(st->userdata, NULL, f->last, collect, f), 0);
}

/* The follower once what committed is no longer held back by other tests' transactions on
 * the shared server (pgtest_settle_audit). */
static void follow(pss_storage *st, follower *f)
{
    pgtest_settle_audit(raw);
    follow_now(st, f);
}

/* A appends (the lower seq) and stays open; B appends and commits. */
static void test_reader_waits_for_older_transaction(void)
{
    pss_storage *a = open_store(), *b = open_store(), *r = open_store();
    follower f = {TEXT_INIT, 0, 0};
    uint64_t seq_a = 0, seq_b = 0;
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(a, "s1", "{\"e\":\"A\"}", &seq_a), 0);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(b, "s2", "{\"e\":\"B\"}", &seq_b), 0);
    CHECK_I64(b->commit(b->userdata), 0);
    CHECK(seq_a < seq_b);
    follow_now(r, &f);
    CHECK_STR(f.seen.data, ""); /* B's entry is held back behind A */
    CHECK_I64(f.last, 0);
    follower by_subject = {TEXT_INIT, 0, 0};
    CHECK_I64(r->audit_scan(r->userdata, "s2", 0, collect, &by_subject), 0);
    CHECK_STR(by_subject.seen.data, "");
    CHECK_I64(a->commit(a->userdata), 0);
    follow(r, &f);
    CHECK_STR(f.seen.data, "{\"e\":\"A\"};{\"e\":\"B\"};");
    CHECK_I64(f.last, seq_b);
    CHECK_I64(f.out_of_order, 0);
    text_free(&f.seen);
    pss_storage_free(a);
    pss_storage_free(b);
    pss_storage_free(r);
}

/* The case a plain sequence gets wrong: B's transaction has the older id (it wrote a record
 * first) but appends after A, so B's entry numbers after A's in time and before it in id. */
static void test_follower_misses_nothing(void)
{
    pss_storage *a = open_store(), *b = open_store(), *r = open_store();
    follower f = {TEXT_INIT, 0, 0};
    follow(r, &f); /* the entries of the test before */
    text_reset(&f.seen);
    pss_record rec = {"note", "n1", "", 0, "{}", 2};
    uint64_t rev, seq_a = 0, seq_b = 0;
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(b->put(b->userdata, &rec, 0, &rev), 0); /* B's transaction id first */
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(a, "s1", "{\"e\":\"A2\"}", &seq_a), 0);
    CHECK_I64(append(b, "s1", "{\"e\":\"B2\"}", &seq_b), 0);
    CHECK_I64(a->commit(a->userdata), 0);
    follow_now(r, &f);
    CHECK_STR(f.seen.data, ""); /* A's is held back behind B, older */
    CHECK_I64(b->commit(b->userdata), 0);
    follow(r, &f);
    CHECK_STR(f.seen.data, "{\"e\":\"B2\"};{\"e\":\"A2\"};"); /* in id order: nothing skipped */
    CHECK(seq_b < seq_a);
    CHECK_I64(f.out_of_order, 0);
    /* the reader's own transaction sees its own entry at once */
    uint64_t own = 0;
    text_reset(&f.seen);
    CHECK_I64(r->begin(r->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(r, "s9", "{\"e\":\"own\"}", &own), 0);
    follower mine = {TEXT_INIT, 0, 0};
    CHECK_I64(r->audit_scan(r->userdata, "s9", 0, collect, &mine), 0);
    CHECK_STR(mine.seen.data, "{\"e\":\"own\"};");
    CHECK_I64(r->rollback(r->userdata), 0);
    text_free(&mine.seen);
    text_free(&f.seen);
    pss_storage_free(a);
    pss_storage_free(b);
    pss_storage_free(r);
}

/* Random interleavings of three writers, a follower paging after each step: at the end it
 * has every committed entry once, in increasing seq. */
static void test_interleavings(void)
{
    pss_storage *w[3] = {open_store(), open_store(), open_store()}, *r = open_store();
    follower f = {TEXT_INIT, 0, 0};
    follow(r, &f); /* the entries of the tests before */
    text_reset(&f.seen);
    int open[3] = {0, 0, 0}, committed = 0, pending[3] = {0, 0, 0}, seen = 0;
    unsigned x = 12345;
    for (int step = 0; step < 600; step++) {
        x = x * 1103515245u + 12345u;
        int i = (int)((x >> 16) % 3), what = (int)((x >> 20) % 4);
        pss_storage *st = w[i];
        if (!open[i]) {
            st->begin(st->userdata, PSS_TXN_WRITE);
            open[i] = 1;
        }
        if (what < 2) {
            append(st, "mix", "{}", NULL);
            pending[i]++;
        } else if (what == 2) {
            committed += st->commit(st->userdata) == 0 ? pending[i] : 0;
            open[i] = pending[i] = 0;
        } else {
            st->rollback(st->userdata);
            open[i] = pending[i] = 0;
        }
        follow_now(r, &f); /* the other writers are open: what they hold back stays */
    }
    for (int i = 0; i < 3; i++)
        if (open[i])
            committed += w[i]->commit(w[i]->userdata) == 0 ? pending[i] : 0;
    follow(r, &f);
    for (const char *p = f.seen.data; p && *p; p++)
        seen += *p == ';';
    CHECK_I64(seen, committed);
    CHECK_I64(f.out_of_order, 0);
    printf("# 600 steps of three writers: %d entries committed, %d followed\n", committed, seen);
    text_free(&f.seen);
    for (int i = 0; i < 3; i++)
        pss_storage_free(w[i]);
    pss_storage_free(r);
}

typedef struct waiter {
    pss_storage *st;
    int timeout, rc;
    long long took;
} waiter;

static void *wait_run(void *arg)
{
    waiter *w = arg;
    long long t0 = now_ms();
    w->rc = pss_pg_wait(w->st, w->timeout);
    w->took = now_ms() - t0;
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void test_wait(void)
{
    pss_storage *a = open_store(), *f = open_store();
    CHECK_I64(pss_pg_wait(f, 1000), 1); /* starts listening: scan now */
    long long t0 = now_ms();
    CHECK_I64(pss_pg_wait(f, 150), 0);   /* nothing committed */
    CHECK(now_ms() - t0 >= 140);
    waiter w = {f, 5000, 99, 0};
    pthread_t t;
    pthread_create(&t, NULL, wait_run, &w);
    sleep_ms(200);
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(a, "s1", "{\"e\":\"wake\"}", NULL), 0);
    CHECK_I64(append(a, "s1", "{\"e\":\"wake2\"}", NULL), 0);
    CHECK_I64(a->commit(a->userdata), 0);
    pthread_join(t, NULL);
    CHECK_I64(w.rc, 1);
    CHECK(w.took >= 150 && w.took < 2000);
    printf("# woken %lld ms after it started waiting (commit at about 200 ms)\n", w.took);
    CHECK_I64(pss_pg_wait(f, 100), 0); /* one notification for the two entries */
    /* a commit without an append wakes nobody */
    pss_record rec = {"note", "quiet", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->put(a->userdata, &rec, 0, &rev), 0);
    CHECK_I64(a->commit(a->userdata), 0);
    CHECK_I64(pss_pg_wait(f, 100), 0);
    CHECK_I64(f->begin(f->userdata, 0), 0);
    CHECK_I64(pss_pg_wait(f, 10), PSS_EINVAL);
    CHECK_CONTAINS(f->errmsg(f->userdata), "inside a transaction");
    CHECK_I64(f->rollback(f->userdata), 0);
    pss_storage *mem = NULL;
    CHECK_I64(pss_memstore_new(&mem), 0);
    CHECK_I64(pss_pg_wait(mem, 10), PSS_EINVAL);
    CHECK_I64(pss_pg_wait(NULL, 10), PSS_EINVAL);
    pss_storage_free(mem);
    pss_storage_free(a);
    pss_storage_free(f);
}

/* A notification while an older appending transaction is open: the wait returns once the
 * entries are readable, not before. */
static void test_wait_settles(void)
{
    pss_storage *a = open_store(), *b = open_store(), *f = open_store();
    follower got = {TEXT_INIT, 0, 0};
    CHECK_I64(pss_pg_wait(f, 0), 1);
    follow(f, &got);
    text_reset(&got.seen);
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(a, "s1", "{\"e\":\"old\"}", NULL), 0);
    waiter w = {f, 5000, 99, 0};
    pthread_t t;
    pthread_create(&t, NULL, wait_run, &w);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(append(b, "s1", "{\"e\":\"new\"}", NULL), 0);
    CHECK_I64(b->commit(b->userdata), 0); /* notifies; held back behind A */
    sleep_ms(300);
    CHECK_I64(a->commit(a->userdata), 0);
    pthread_join(t, NULL);
    CHECK_I64(w.rc, 1);
    CHECK(w.took >= 250);
    follow(f, &got);
    CHECK_STR(got.seen.data, "{\"e\":\"old\"};{\"e\":\"new\"};");
    text_free(&got.seen);
    pss_storage_free(a);
    pss_storage_free(b);
    pss_storage_free(f);
}

static void test_append_only(void)
{
    long long before = pgtest_number(raw, "SELECT count(*) FROM pss_audit");
    CHECK(before > 0);
    static const char *const refused[] = {
        "UPDATE pss_audit SET payload = '{}'",
        "DELETE FROM pss_audit",
        "TRUNCATE pss_audit",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        PGresult *res = PQexec(raw, refused[i]);
        CHECK_I64(PQresultStatus(res), PGRES_FATAL_ERROR);
        CHECK_STR(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42501");
        CHECK_CONTAINS(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), "append-only");
        PQclear(res);
    }
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_audit"), before);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    test_reader_waits_for_older_transaction();
    test_follower_misses_nothing();
    test_interleavings();
    test_wait();
    test_wait_settles();
    test_append_only();
    PQfinish(raw);
    return check_done();
}
