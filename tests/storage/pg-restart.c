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

static int submit(pss_session *s, int i)
{
    char id[64];
    snprintf(id, sizeof id, "0a000000-0000-4000-8000-%012d", i);
    pss_line_input line = fix_line("cake", 1000, 100 + i, NULL, 0);
    pss_payment_input pay = fix_pay(i % 2 ? "Card" : "Cash", 100 + i);
    pay.state = PSS_PAYMENT_DONE;
    pss_order_input in = fix_order(id, &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
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
        acknowledged += submit(s, i) == 0;
    CHECK_I64(acknowledged, 10);

    crash_server();
    for (int i = 11; i <= 20; i++) /* the first begin finds the connection dead, resets it */
        acknowledged += submit(s, i) == 0;
    CHECK_I64(acknowledged, 20);
    CHECK_I64(count_orders(&raw), 20);

    /* a transaction open at the crash */
    pss_record r = {"note", "lost", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
    crash_server();
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), PSS_ESTORAGE);
    CHECK_CONTAINS(st->errmsg(st->userdata), "connection to the server was lost");
    CHECK_I64(st->rollback(st->userdata), 0);
    CHECK_I64(count_orders(&raw), 20);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE id = 'lost'"), 0);

    /* the shift goes on and closes balanced */
    CHECK_OK(ctx, submit(s, 21));
    CHECK_OK(ctx, pss_session_verify(s));
    int64_t current = 0, posted = 0;
    CHECK_OK(ctx, pss_session_balance(s, &current, &posted));
    CHECK_I64(posted, 21 * 100 + 21 * 22 / 2);
    pss_entry *e = fix_close_expected(ctx, s, &FIX_ALICE);
    CHECK(e != NULL);
    if (e) {
        int64_t debit = 0, credit = 0;
        for (size_t i = 0; i < pss_entry_line_count(e); i++) {
            pss_entry_line l = PSS_ENTRY_LINE_INIT;
            CHECK_OK(ctx, pss_entry_get_line(e, i, &l));
            debit += l.debit;
            credit += l.credit;
        }
        CHECK_I64(debit, credit);
        CHECK_I64(debit, pss_entry_total(e));
        pss_entry_free(e);
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    PQfinish(raw);
    return check_done();
}
