/* pg-schema.c: the PostgreSQL store's schema. An open creates it at pss_pg_schema_version()
 * and a second open leaves it; two processes opening an empty database at once both
 * succeed with one schema; a newer version is refused with PSS_EVERSION and left alone; a
 * version table without our row is PSS_ECORRUPT; bad options and arguments are refused.
 * Usage: pg-schema DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "pgtest.h"

#include <sys/wait.h>
#include <unistd.h>

static char conninfo[1024];
static PGconn *raw;

static int open_with(pss_ctx *ctx, const pss_pg_options *o)
{
    pss_storage *st = NULL;
    int rc = pss_pg_open(ctx, conninfo, o, &st);
    pss_storage_free(st);
    return rc;
}

static void test_create_and_reopen(void)
{
    CHECK_I64(pss_pg_schema_version(), 2);
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        fflush(stdout);
        if ((pids[i] = fork()) == 0) {
            pss_ctx *ctx = NULL;
            pss_ctx_new(&ctx, NULL);
            int rc = open_with(ctx, NULL);
            if (rc)
                printf("# process %d: %s\n", i, pss_ctx_errmsg(ctx));
            fflush(stdout);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    int ok = 0;
    for (int i = 0; i < 3; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    CHECK_I64(ok, 3); /* the advisory lock lets one create, the others find it */
    CHECK_I64(pgtest_number(raw, "SELECT version FROM pss_schema"), 2);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_schema"), 1);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pg_proc WHERE proname IN "
                                 "('pss_check', 'pss_check_last')"), 2);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pg_tables WHERE tablename IN "
                                 "('pss_record', 'pss_claim', 'pss_audit', 'pss_schema')"), 4);
    CHECK_I64(open_with(NULL, NULL), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_schema"), 1);
}

static void test_newer_refused(void)
{
    pss_ctx *ctx = NULL;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    CHECK_I64(pgtest_exec(raw, "UPDATE pss_schema SET version = 3"), 0);
    CHECK_RC(ctx, open_with(ctx, NULL), PSS_EVERSION);
    CHECK_STR(pss_ctx_errmsg(ctx), "cannot open PostgreSQL store: its schema version is 3, this "
                                   "libpossession-pg knows versions up to 2; use a newer library");
    CHECK_I64(pgtest_number(raw, "SELECT version FROM pss_schema"), 3); /* left alone */
    CHECK_I64(pgtest_exec(raw, "DELETE FROM pss_schema"), 0);
    CHECK_RC(ctx, open_with(ctx, NULL), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "pss_schema holds 0 rows");
    /* a database of version 1 (before checks) is upgraded by the next open */
    CHECK_I64(pgtest_exec(raw, "INSERT INTO pss_schema VALUES (1)"), 0);
    CHECK_I64(pgtest_exec(raw, "DROP FUNCTION pss_check; DROP FUNCTION pss_check_last"), 0);
    CHECK_OK(ctx, open_with(ctx, NULL));
    CHECK_I64(pgtest_number(raw, "SELECT version FROM pss_schema"), 2);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pg_proc WHERE proname IN "
                                 "('pss_check', 'pss_check_last')"), 2);
    pss_ctx_free(ctx);
}

static void test_bad_arguments(void)
{
    pss_ctx *ctx = NULL;
    pss_storage *st = (pss_storage *)1;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    CHECK_RC(ctx, pss_pg_open(ctx, NULL, NULL, &st), PSS_EINVAL);
    CHECK(st == NULL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "conninfo is NULL");
    CHECK_RC(ctx, pss_pg_open(ctx, conninfo, NULL, NULL), PSS_EINVAL);
    pss_pg_options o = PSS_PG_OPTIONS_INIT;
    o.version = 99;
    CHECK_RC(ctx, open_with(ctx, &o), PSS_EVERSION);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "pss_pg_options has version 99");
    pss_pg_options neg = PSS_PG_OPTIONS_INIT;
    neg.lock_timeout_ms = -1;
    CHECK_RC(ctx, open_with(ctx, &neg), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "lock timeout -1 ms");
    neg = (pss_pg_options)PSS_PG_OPTIONS_INIT;
    neg.reconnect_attempts = -2;
    CHECK_RC(ctx, open_with(ctx, &neg), PSS_EINVAL);
    pss_ctx_free(ctx);
}

/* A search_path in the conninfo puts the tables in a schema of the host's choosing. */
static void test_search_path(void)
{
    CHECK_I64(pgtest_exec(raw, "CREATE SCHEMA pos"), 0);
    char info[1200];
    snprintf(info, sizeof info, "%s options='-c search_path=pos'", conninfo);
    pss_storage *st = NULL;
    CHECK_I64(pss_pg_open(NULL, info, NULL, &st), 0);
    pss_storage_free(st);
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pg_tables WHERE schemaname = 'pos'"), 4);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    test_create_and_reopen();
    test_newer_refused();
    test_bad_arguments();
    test_search_path();
    PQfinish(raw);
    return check_done();
}
