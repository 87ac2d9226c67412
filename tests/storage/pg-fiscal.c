/* pg-fiscal.c: a config's fiscal chain in PostgreSQL, altered with SQL as someone with the
 * database's owner role would (doc/fiscal.md, "Verification"): a payload updated, an event
 * deleted, a forged one inserted, two swapped, each in a database of its own.
 * pss_fiscal_verify() finds each, at its seq. Usage: pg-fiscal DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"

#define ID(n) "'" FIX_CONFIG_ID ":0000000000000000000" n "'"
#define ROW(n) "kind = 'fiscal' AND id = " ID(n)

static const char *base_name;

static void make_chain(const char *conninfo)
{
    pss_storage *st = pgtest_store(conninfo, NULL);
    pss_ctx *ctx = fix_ctx(st);
    fix_cash_shift(ctx);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

static pss_fiscal_verdict verify_db(const char *conninfo, int expected_rc)
{
    pss_storage *st = pgtest_store(conninfo, NULL);
    pss_ctx *ctx = fix_ctx(st);
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    CHECK_RC(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &v), expected_rc);
    printf("# %s\n", expected_rc ? pss_ctx_errmsg(ctx) : "whole");
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return v;
}

static void altered(const char *name, const char *sql, uint64_t seq, pss_fiscal_problem what)
{
    char db[128], conninfo[1024];
    snprintf(db, sizeof db, "%s_%s", base_name, name);
    CHECK_I64(pgtest_fresh_db(db, conninfo, sizeof conninfo), 0);
    make_chain(conninfo);
    CHECK_I64(verify_db(conninfo, 0).events, 4); /* open and three cash movements */
    PGconn *raw = pgtest_connect(db);
    CHECK(raw != NULL);
    if (!raw)
        return;
    CHECK_I64(pgtest_exec(raw, sql), 0);
    PQfinish(raw);
    pss_fiscal_verdict v = verify_db(conninfo, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, (int64_t)seq);
    CHECK_STR(pss_fiscal_problem_name(v.problem), pss_fiscal_problem_name(what));
    CHECK_I64(v.events, (int64_t)seq - 1);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        printf("Bail out! usage: pg-fiscal DATABASE\n");
        return 1;
    }
    base_name = argv[1];
    altered("update", "UPDATE pss_record SET payload = replace(payload, 'amount=200', "
                      "'amount=2000') WHERE " ROW("3"), 3, PSS_FISCAL_CHANGED);
    altered("delete", "DELETE FROM pss_record WHERE " ROW("2"), 2, PSS_FISCAL_MISSING);
    /* a copy of event 4 made event 5 by hand, under the id of 5: its link is event 3's */
    altered("insert", "INSERT INTO pss_record (kind, id, parent, rev, payload) SELECT kind, "
                      "replace(id, ':00000000000000000004', ':00000000000000000005'), parent, "
                      "1, replace(replace(payload, '\"seq\":4,', '\"seq\":5,'), 'seq=4', "
                      "'seq=5') FROM pss_record WHERE " ROW("4"), 5, PSS_FISCAL_BROKEN_LINK);
    altered("swap", "UPDATE pss_record a SET payload = b.payload FROM pss_record b WHERE "
                    "a.kind = 'fiscal' AND b.kind = 'fiscal' AND ((a.id = " ID("2") " AND b.id "
                    "= " ID("3") ") OR (a.id = " ID("3") " AND b.id = " ID("2") "))",
            2, PSS_FISCAL_MISPLACED);
    return check_done();
}
