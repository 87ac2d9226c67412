/* pg-paging.c: scans and audit scans on PostgreSQL read a thousand rows a statement and go
 * on after the last: 2500 records under one parent and 2500 audit entries come back whole,
 * once each, in order, a callback that calls the store between pages and one that stops in
 * the second page behave as with one statement. Usage: pg-paging DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "pgtest.h"

#define N 2500

static char conninfo[1024];
static PGconn *raw;
static pss_storage *st;

typedef struct walk {
    int seen, in_order, nested_ok, stop_at;
    uint64_t last_seq;
} walk;

static int nested_get(const pss_record *r, void *arg)
{
    (void)r;
    ++*(int *)arg;
    return 0;
}

static int walk_record(const pss_record *r, void *arg)
{
    walk *w = arg;
    char want[32];
    snprintf(want, sizeof want, "r%04d", w->seen); /* r1700, updated, keeps its place */
    w->in_order += strcmp(r->id, want) == 0;
    if (w->seen == 999 || w->seen == 1000) { /* a call back into the store at the page's end */
        int got = 0;
        w->nested_ok += st->get(st->userdata, "order", "r0001", nested_get, &got) == 0 && got == 1;
    }
    return ++w->seen == w->stop_at ? 77 : 0;
}

static int walk_audit(const pss_audit_item *item, void *arg)
{
    walk *w = arg;
    w->in_order += w->seen == 0 || item->seq > w->last_seq;
    w->last_seq = item->seq;
    return ++w->seen == w->stop_at ? 78 : 0;
}

static void test_records(void)
{
    int failures = 0;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    for (int i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%04d", i);
        pss_record r = {"order", id, "s1", 0, "{}", 2};
        uint64_t rev;
        failures += st->put(st->userdata, &r, 0, &rev) != 0;
    }
    pss_record moved = {"order", "r1700", "s1", 0, "{\"updated\":1}", 13};
    uint64_t rev;
    failures += st->put(st->userdata, &moved, 1, &rev) != 0;
    CHECK_I64(failures, 0);
    CHECK_I64(st->commit(st->userdata), 0);
    walk w = {0, 0, 0, -1, 0};
    CHECK_I64(st->scan(st->userdata, "order", "s1", walk_record, &w), 0);
    CHECK_I64(w.seen, N);
    CHECK_I64(w.in_order, N);
    CHECK_I64(w.nested_ok, 2);
    walk stop = {0, 0, 0, 1500, 0};
    CHECK_I64(st->scan(st->userdata, "order", "s1", walk_record, &stop), 77);
    CHECK_I64(stop.seen, 1500);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE parent = 's1'"), N);
}

static void test_audit(void)
{
    int failures = 0;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    for (int i = 0; i < N; i++)
        failures += st->append(st->userdata, i % 2 ? "odd" : "even", "{}", 2, NULL) != 0;
    CHECK_I64(failures, 0);
    CHECK_I64(st->commit(st->userdata), 0);
    pgtest_settle_audit(raw); /* other tests' transactions on the server may hold them back */
    walk w = {0, 0, 0, -1, 0};
    CHECK_I64(st->audit_scan(st->userdata, NULL, 0, walk_audit, &w), 0);
    CHECK_I64(w.seen, N);
    CHECK_I64(w.in_order, N);
    walk odd = {0, 0, 0, -1, 0};
    CHECK_I64(st->audit_scan(st->userdata, "odd", 0, walk_audit, &odd), 0);
    CHECK_I64(odd.seen, N / 2);
    CHECK_I64(odd.in_order, N / 2);
    walk stop = {0, 0, 0, 1200, 0};
    CHECK_I64(st->audit_scan(st->userdata, NULL, 0, walk_audit, &stop), 78);
    CHECK_I64(stop.seen, 1200);
    walk rest = {0, 0, 0, -1, 0};
    CHECK_I64(st->audit_scan(st->userdata, NULL, stop.last_seq, walk_audit, &rest), 0);
    CHECK_I64(rest.seen, N - 1200); /* paging by after_seq from where it stopped */
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    st = pgtest_store(conninfo, NULL);
    test_records();
    test_audit();
    pss_storage_free(st);
    PQfinish(raw);
    return check_done();
}
