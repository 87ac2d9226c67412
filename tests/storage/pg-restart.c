/* pg-restart.c: the server crashes mid-shift (pg_ctl restart -m immediate: recovery replays
 * the WAL). Every acknowledged order is there, a transaction open at the crash left nothing,
 * the till's next call reconnects by itself, verify agrees and the session closes balanced.
 * Needs a server of its own (pg-server.sh run-own). Usage: pg-restart PG_SERVER_SH DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

static char conninfo[1024];
static const char *server_sh;

static void crash_server(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "bash '%s' restart '%s' immediate", server_sh,
             getenv("PSS_PG_SERVER_DIR") ? getenv("PSS_PG_SERVER_DIR") : "");
    CHECK_I64(system(cmd), 0);
}

static long long count_orders(PGconn **raw)
{
    PQreset(*raw); /* the test's own connection died with the server too */
    return pgtest_number(*raw, "SELECT count(*) FROM pss_record WHERE kind = 'order'");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("Bail out! usage: pg-restart PG_SERVER_SH DATABASE\n");
        return 1;
    }
    server_sh = argv[1];
    PGconn *raw = pgtest_setup(argc - 1, argv + 1, conninfo, sizeof conninfo);
    if (!raw)
        return 1;
    pss_storage *st = pgtest_store(conninfo, NULL);
    pss_ctx *ctx = fix_ctx(st);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 1000);
    int acknowledged = 0;
    for (int i = 1; i <= 10; i++)
        acknowledged += fix_submit_nth(s, i) == 0;
    CHECK_I64(acknowledged, 10);

    crash_server();
    for (int i = 11; i <= 20; i++) /* the first begin finds the connection dead, resets it */
        acknowledged += fix_submit_nth(s, i) == 0;
    CHECK_I64(acknowledged, 20);
    CHECK_I64(count_orders(&raw), 20);

    /* a transaction open at the crash */
    pss_record r = {"note", "lost", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
    crash_server();
    /* a second create of "lost" would be answered from what the transaction holds (it
     * exists): the next call that reaches the server is another record's */
    pss_record other = {"note", "lost-2", "", 0, "{}", 2};
    CHECK_I64(st->put(st->userdata, &other, 0, &rev), PSS_ESTORAGE);
    CHECK_CONTAINS(st->errmsg(st->userdata), "connection to the server was lost");
    CHECK_I64(st->rollback(st->userdata), 0);
    CHECK_I64(count_orders(&raw), 20);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id LIKE 'lost%'"), 0);

    /* the shift goes on and closes balanced */
    CHECK_OK(ctx, fix_submit_nth(s, 21));
    fix_verify_and_close(ctx, s, 21 * 100 + 21 * 22 / 2);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    PQfinish(raw);
    return check_done();
}
