/* pg-failover.c: the primary dies mid-shift (SIGKILL) and its synchronous hot standby is
 * promoted; the till, whose conninfo names both (target_session_attrs=read-write), carries
 * on: every acknowledged order is on the new primary, a transaction open at the crash left
 * nothing, verify agrees and the session closes balanced. Runs under
 * tests/support/pg-failover.sh. Usage: pg-failover DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

static char conninfo[1024];

static void failover(const char *step)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "bash '%s' %s", getenv("PSS_PG_FAILOVER"), step);
    CHECK_I64(system(cmd), 0);
}

static long long orders_on_primary(void)
{
    PGconn *c = PQconnectdb(conninfo); /* read-write: whichever is the primary now */
    long long n = pgtest_number(c, "SELECT count(*) FROM pss_record WHERE kind = 'order'");
    PQfinish(c);
    return n;
}

int main(int argc, char **argv)
{
    if (!getenv("PSS_PG_FAILOVER")) {
        printf("Bail out! run under tests/support/pg-failover.sh\n");
        return 1;
    }
    PGconn *raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo);
    if (!raw)
        return 1;
    PQfinish(raw);
    pss_storage *st = pgtest_store(conninfo, NULL);
    pss_ctx *ctx = fix_ctx(st);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 0);
    int acknowledged = 0;
    for (int i = 1; i <= 10; i++)
        acknowledged += fix_submit_nth(s, i) == 0;
    CHECK_I64(acknowledged, 10);

    pss_record r = {"note", "in-flight", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
    failover("kill-primary");
    failover("promote");
    /* the next call that reaches the server (a second create of "in-flight" would be
     * answered from what the transaction holds: it exists) */
    pss_record other = {"note", "in-flight-2", "", 0, "{}", 2};
    CHECK_I64(st->put(st->userdata, &other, 0, &rev), PSS_ESTORAGE);
    CHECK_I64(st->rollback(st->userdata), 0);

    for (int i = 11; i <= 20; i++) /* the next begin reconnects, to the new primary */
        acknowledged += fix_submit_nth(s, i) == 0;
    CHECK_I64(acknowledged, 20);
    CHECK_I64(orders_on_primary(), 20);
    PGconn *now = PQconnectdb(conninfo);
    CHECK_I64(pgtest_number(now, "SELECT count(*) FROM pss_record WHERE id LIKE 'in-flight%'"), 0);
    CHECK_I64(pgtest_number(now, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END"), 0);
    PQfinish(now);

    fix_verify_and_close(ctx, s, 20 * 100 + 20 * 21 / 2);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return check_done();
}
