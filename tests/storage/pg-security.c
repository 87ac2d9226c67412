/* pg-security.c: what the PostgreSQL store must not let through. Kinds, ids, parents, keys,
 * owners, subjects and payloads with quotes, backslashes, SQL and JSON's \u0000 come back
 * byte for byte (they are parameters, never SQL text); a NUL byte inside a payload is
 * refused; and a password given in the conninfo never appears in an error detail.
 * Usage: pg-security DATABASE. */
#include "possession.h"
#include "possession/pg.h"

#include "check.h"
#include "fixture.h"
#include "pgtest.h"
#include "text.h"

static char conninfo[1024];
static PGconn *raw;

static int record_text(const pss_record *r, void *arg)
{
    text_printf(arg, "[%s|%s|%s|%llu|%.*s]", r->kind, r->id, r->parent,
                (unsigned long long)r->rev, (int)r->payload_len, r->payload);
    return 0;
}

static int audit_text(const pss_audit_item *item, void *arg)
{
    text_printf(arg, "[%s|%.*s]", item->subject, (int)item->payload_len, item->payload);
    return 0;
}

static const char *const nasty[] = {
    "it's",
    "\"quoted\"",
    "back\\slash\\\\",
    "'); DROP TABLE pss_record; --",
    "$1 $$ E'\\x00' %s %n",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\xb0",
    "tab\there\nnewline",
};
#define N_NASTY (sizeof nasty / sizeof nasty[0])

static void test_round_trip(pss_storage *st)
{
    const char *payload = "{\"note\":\"it's \\\"x\\\" \\\\ \\u0000 end\",\"sql\":\"'; --\"}";
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    for (size_t i = 0; i < N_NASTY; i++) {
        pss_record r = {nasty[i], nasty[(i + 1) % N_NASTY], nasty[(i + 2) % N_NASTY], 0, payload,
                        strlen(payload)};
        uint64_t rev = 0;
        CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
        CHECK_I64(st->put(st->userdata, &r, 1, &rev), 0);
        CHECK_I64(rev, 2);
        CHECK_I64(st->claim(st->userdata, nasty[i], nasty[(i + 3) % N_NASTY], NULL, 0), 0);
        CHECK_I64(st->append(st->userdata, nasty[i], payload, strlen(payload), NULL), 0);
    }
    CHECK_I64(st->commit(st->userdata), 0);
    pgtest_settle_audit(raw); /* other tests' transactions on the server may hold them back */
    for (size_t i = 0; i < N_NASTY; i++) {
        text got = TEXT_INIT, want = TEXT_INIT;
        text_printf(&want, "[%s|%s|%s|2|%s]", nasty[i], nasty[(i + 1) % N_NASTY],
                    nasty[(i + 2) % N_NASTY], payload);
        CHECK_I64(st->get(st->userdata, nasty[i], nasty[(i + 1) % N_NASTY], record_text, &got), 0);
        CHECK_STR(got.data, want.data);
        text_reset(&got);
        CHECK_I64(st->scan(st->userdata, nasty[i], nasty[(i + 2) % N_NASTY], record_text, &got), 0);
        CHECK_STR(got.data, want.data);
        char holder[128] = "";
        CHECK_I64(st->lookup(st->userdata, nasty[i], holder, sizeof holder), 0);
        CHECK_STR(holder, nasty[(i + 3) % N_NASTY]);
        text_reset(&got);
        text_reset(&want);
        text_printf(&want, "[%s|%s]", nasty[i], payload);
        CHECK_I64(st->audit_scan(st->userdata, nasty[i], 0, audit_text, &got), 0);
        CHECK_STR(got.data, want.data);
        text_free(&got);
        text_free(&want);
    }
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record"), (long long)N_NASTY);
    /* the server holds the bytes as given: the JSON escape stays six characters */
    CHECK_I64(pgtest_number(raw, "SELECT count(*) FROM pss_record WHERE "
                                 "position('\\u0000' IN payload) > 0"), (long long)N_NASTY);
}

/* A payload is taken by its length, and a NUL inside it is refused, not cut off. */
static void test_payload_bytes(pss_storage *st)
{
    const char with_nul[] = "{\"a\":\"x\0y\"}";
    pss_record r = {"note", "nul", "", 0, with_nul, sizeof with_nul - 1};
    uint64_t rev = 0;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), PSS_EINVAL);
    CHECK_CONTAINS(st->errmsg(st->userdata), "NUL byte");
    CHECK_I64(st->append(st->userdata, "s", with_nul, sizeof with_nul - 1, NULL), PSS_EINVAL);
    const char longer[] = "{\"a\":1}TRAILING";
    pss_record part = {"note", "part", "", 0, longer, 7};
    CHECK_I64(st->put(st->userdata, &part, 0, &rev), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    text got = TEXT_INIT;
    CHECK_I64(st->get(st->userdata, "note", "part", record_text, &got), 0);
    CHECK_STR(got.data, "[note|part||1|{\"a\":1}]");
    text_free(&got);
}

/* Every failure the test can provoke, with password=secret in the conninfo. */
static void test_password_never_shown(void)
{
    static const char *const secret_infos[] = {
        "%s password=secret dbname=no_such_database",
        "%s password=secret user=no_such_user",
        "%s password=secret host=/nonexistent/dir",
        "postgresql://postgres:secret@/no_such_database?host=/nonexistent/dir",
        "%s password=secret sslmode=bogus",
        "%s password='secret unterminated",
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof secret_infos / sizeof secret_infos[0]; i++) {
        char info[1200];
        snprintf(info, sizeof info, secret_infos[i], conninfo);
        pss_ctx *ctx = NULL;
        CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
        pss_storage *st = NULL;
        int rc = pss_pg_open(ctx, info, NULL, &st);
        failures += rc != 0;
        CHECK(rc == PSS_ESTORAGE || rc == PSS_EINVAL);
        CHECK(strstr(pss_ctx_errmsg(ctx), "secret") == NULL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), "cannot open PostgreSQL store");
        printf("# %s\n", pss_ctx_errmsg(ctx));
        pss_storage_free(st);
        pss_ctx_free(ctx);
    }
    CHECK_I64(failures, 6);

    /* a store that opened (trust ignores the password) and then fails in every way */
    char info[1200];
    snprintf(info, sizeof info, "%s password=secret application_name=secret", conninfo);
    pss_storage *st = NULL;
    CHECK_I64(pss_pg_open(NULL, info, NULL, &st), 0);
    pss_record r = {"secret", "secret", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(st->put(st->userdata, &r, 7, &rev), PSS_ECONFLICT);
    CHECK(strstr(st->errmsg(st->userdata), "secret") == NULL);
    CHECK_CONTAINS(st->errmsg(st->userdata), "put of ****** ******");
    /* a commit that loses its connection */
    pss_record note = {"note", "n", "", 0, "{}", 2};
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &note, 0, &rev), 0);
    CHECK_I64(pgtest_number(raw, "SELECT count(pg_terminate_backend(pid, 5000)) FROM "
                                 "pg_stat_activity WHERE application_name = 'secret'"), 1);
    CHECK_I64(st->commit(st->userdata), PSS_ESTORAGE);
    CHECK_CONTAINS(st->errmsg(st->userdata), "connection to the server was lost");
    CHECK(strstr(st->errmsg(st->userdata), "secret") == NULL);
    printf("# %s\n", st->errmsg(st->userdata));
    pss_storage_free(st);
}

/* The till's role doc/postgres-store.md ("Roles and privileges") grants: a shift runs on it
 * (reads, checks, creates, updates, claims, releases, audit entries), and the audit trail
 * cannot be changed through it. Roles are the server's: made once, granted per database. */
static void test_till_role(void)
{
    CHECK_I64(pgtest_exec(raw, "DO $$ BEGIN CREATE ROLE pss_till LOGIN; EXCEPTION WHEN "
                               "duplicate_object THEN NULL; END $$"), 0);
    CHECK_I64(pgtest_exec(raw, "GRANT USAGE ON SCHEMA public TO pss_till;"
                               "GRANT SELECT, INSERT, UPDATE ON pss_record TO pss_till;"
                               "GRANT SELECT, INSERT, DELETE ON pss_claim TO pss_till;"
                               "GRANT SELECT, INSERT ON pss_audit TO pss_till;"
                               "GRANT SELECT ON pss_schema TO pss_till"), 0);
    char info[1200];
    snprintf(info, sizeof info, "%s user=pss_till", conninfo);
    pss_storage *st = pgtest_store(info, NULL);
    pss_ctx *ctx = fix_ctx(st);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 1000);
    for (int i = 1; i <= 5; i++)
        CHECK_OK(ctx, fix_submit_nth(s, i));
    fix_verify_and_close(ctx, s, 5 * 100 + 5 * 6 / 2);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    PGconn *till = PQconnectdb(info);
    CHECK_I64(PQstatus(till), CONNECTION_OK);
    CHECK_I64(pgtest_exec(till, "DELETE FROM pss_audit"), -1);
    CHECK_I64(pgtest_exec(till, "UPDATE pss_audit SET payload = '{}'"), -1);
    CHECK_I64(pgtest_exec(till, "DELETE FROM pss_record"), -1);
    CHECK(pgtest_number(raw, "SELECT count(*) FROM pss_audit") > 5);
    PQfinish(till);
}

int main(int argc, char **argv)
{
    if (!(raw = pgtest_setup(argc, argv, conninfo, sizeof conninfo)))
        return 1;
    pss_storage *st = NULL;
    CHECK_I64(pss_pg_open(NULL, conninfo, NULL, &st), 0);
    if (!st)
        return check_done();
    test_round_trip(st);
    test_payload_bytes(st);
    pss_storage_free(st);
    test_password_never_shown();
    test_till_role();
    PQfinish(raw);
    return check_done();
}
