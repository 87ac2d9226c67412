/* sqlite-fiscal.c: a config's fiscal chain in a SQLite file, altered with the sqlite3 tool
 * as someone with the file would (doc/fiscal.md, "Verification"): a payload updated, an
 * event deleted, a forged one inserted, two swapped. pss_fiscal_verify() finds each, at its
 * seq. Usage: sqlite-fiscal DIRECTORY. */
#include "possession.h"
#include "possession/sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

static char base[1024];

/* The SQL names a fiscal event of the config by its seq in the record table. */
#define FISCAL_ROW(seq)                                                                   \
    "kind = (SELECT code FROM kinds WHERE name = 'fiscal') AND payload LIKE '%\"seq\":" seq \
    ",%'"

/* The SQL goes to the tool's standard input: no shell quoting of it. */
static void run_sql(const char *path, const char *sql)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "sqlite3 -bail '%s' >/dev/null", path);
    FILE *tool = popen(cmd, "w");
    CHECK(tool != NULL);
    if (!tool)
        return;
    fprintf(tool, "%s;\n", sql);
    CHECK_I64(pclose(tool), 0);
}

static void make_chain(const char *path)
{
    fix_remove_db(path);
    pss_storage *st = NULL;
    pss_ctx *ctx = fix_ctx(NULL);
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, &st));
    CHECK_OK(ctx, pss_ctx_set_storage(ctx, st));
    fix_cash_shift(ctx);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

/* Verifies the file's chain; the problem and seq it found. */
static pss_fiscal_verdict verify_file(const char *path, int expected_rc)
{
    pss_storage *st = NULL;
    pss_ctx *ctx = fix_ctx(NULL);
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, &st));
    CHECK_OK(ctx, pss_ctx_set_storage(ctx, st));
    CHECK_RC(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &v), expected_rc);
    printf("# %s\n", expected_rc ? pss_ctx_errmsg(ctx) : "whole");
    pss_ctx_free(ctx);
    pss_storage_free(st);
    return v;
}

static void altered(const char *name, const char *sql, uint64_t seq, pss_fiscal_problem what)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/fiscal-%s.sqlite", base, name);
    make_chain(path);
    CHECK_I64(verify_file(path, 0).events, 4); /* open and three cash movements */
    run_sql(path, sql);
    pss_fiscal_verdict v = verify_file(path, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, (int64_t)seq);
    CHECK_STR(pss_fiscal_problem_name(v.problem), pss_fiscal_problem_name(what));
    CHECK_I64(v.events, (int64_t)seq - 1);
    fix_remove_db(path);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: sqlite-fiscal DIRECTORY\n");
        return 1;
    }
    snprintf(base, sizeof base, "%s", argv[1]);
    altered("update", "UPDATE record SET payload = replace(payload, 'amount=200', "
                      "'amount=2000') WHERE " FISCAL_ROW("3"), 3, PSS_FISCAL_CHANGED);
    altered("delete", "DELETE FROM record WHERE " FISCAL_ROW("2"), 2, PSS_FISCAL_MISSING);
    /* a copy of event 4 made event 5 by hand and inserted: not where its seq puts it */
    altered("insert", "INSERT INTO record (kind, id, parent, rev, payload) SELECT kind, "
                      "replace(CAST(id AS TEXT), '00004', '00005'), parent, 1, "
                      "replace(replace(payload, '\"seq\":4,', '\"seq\":5,'), "
                      "'seq=4', 'seq=5') FROM record WHERE " FISCAL_ROW("4"),
            5, PSS_FISCAL_MISPLACED);
    /* the contents of events 2 and 3 swapped (each keeps its row) */
    altered("swap", "CREATE TEMP TABLE kept AS SELECT (SELECT payload FROM record WHERE "
                    FISCAL_ROW("2") ") AS two, (SELECT payload FROM record WHERE "
                    FISCAL_ROW("3") ") AS three; UPDATE record SET payload = CASE WHEN "
                    FISCAL_ROW("2") " THEN (SELECT three FROM kept) ELSE (SELECT two FROM "
                    "kept) END WHERE " FISCAL_ROW("2") " OR " FISCAL_ROW("3"),
            2, PSS_FISCAL_MISPLACED);
    return check_done();
}
