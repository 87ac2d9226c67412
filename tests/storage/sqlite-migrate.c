/* sqlite-migrate.c: a file written by release 1.1 (schema version 1, data/README.md), and one
 * written by main at schema version 2, opened by today's store are upgraded in one
 * transaction and read back exactly as they did: every record (with its seq), scan, claim
 * and audit entry through the storage contract, the view `records` as the old table, and
 * everything the library's public calls tell (the readout the writing library made of the
 * same file, pss_session_verify on every session); the shift then goes on. An upgrade that
 * fails, or is killed with SIGKILL half-way, leaves the file at its version as it was; a newer
 * version than the library knows is refused and left alone.
 * Usage: sqlite-migrate DATA_DIR WORK_DIR (WORK_DIR is created; its files are replaced). */
#include <possession/sqlite.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "readout.h"
#include "text.h"

static const char *data_dir, *work_dir;

/* The schema version this library writes, as PRAGMA user_version prints it. */
#define CURRENT "3\n"

/* ---- files ---- */

static void remove_file(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    fix_text t = {NULL, 0};
    char buf[65536];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fix_text_write(&t, buf, n);
    if (f)
        fclose(f);
    *len = t.len;
    return t.data ? t.data : calloc(1, 1);
}

/* A fresh copy of data/NAME in the work directory; its path. */
static const char *copy_of(const char *name, const char *as)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4], from[1024];
    snprintf(from, sizeof from, "%s/%s", data_dir, name);
    snprintf(p, sizeof path[0], "%s/%s", work_dir, as);
    remove_file(p);
    size_t len;
    char *bytes = read_file(from, &len);
    FILE *f = fopen(p, "wb");
    CHECK(len > 4096 && f && fwrite(bytes, 1, len, f) == len);
    if (f)
        fclose(f);
    free(bytes);
    return p;
}

/* ---- the file seen with SQLite itself ---- */

/* Every row of a query as text, a line each, columns separated by tabs. */
static void sql_rows(const char *path, const char *query, text *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    text_reset(out);
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, query, -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            text_printf(out, "%s%s", i ? "\t" : "", v ? (const char *)v : "NULL");
        }
        text_printf(out, "\n");
    }
    if (rc != SQLITE_OK)
        text_printf(out, "error %d: %s", rc, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    CHECK_I64(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_I64(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static const char *user_version(const char *path, text *t)
{
    sql_rows(path, "PRAGMA user_version", t);
    return t->data;
}

/* Everything a version 1 file holds, in the order of its keys. */
#define V1_RECORDS "SELECT seq, kind, id, parent, rev, payload FROM records ORDER BY seq"
#define CLAIMS "SELECT key, owner FROM claims ORDER BY key"
#define AUDIT "SELECT seq, subject, payload FROM audit ORDER BY seq"

static void snapshot_v1(const char *path, text *out)
{
    text t = TEXT_INIT;
    text_reset(out);
    static const char *const queries[] = {
        V1_RECORDS, CLAIMS, AUDIT, "SELECT type, name, sql FROM sqlite_master ORDER BY name"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        sql_rows(path, queries[i], &t);
        text_printf(out, "%s--\n", t.data);
    }
    text_free(&t);
}

/* ---- the file seen through the storage contract ---- */

static int record_line(const pss_record *r, void *arg)
{
    text_printf(arg, "%s\t%s\t%s\t%llu\t%.*s\n", r->kind, r->id, r->parent,
                (unsigned long long)r->rev, (int)r->payload_len, r->payload);
    return 0;
}

static int audit_line(const pss_audit_item *a, void *arg)
{
    text_printf(arg, "%llu\t%s\t%.*s\n", (unsigned long long)a->seq, a->subject,
                (int)a->payload_len, a->payload);
    return 0;
}

/* A version 1 row: seq, kind, id, parent, then "rev\tpayload". */
typedef struct v1_row {
    char *kind, *id, *parent, *rest;
} v1_row;

typedef struct v1_rows {
    v1_row rows[256];
    int n;
    char *text; /* the rows' strings point into it */
} v1_rows;

/* Splits the next tab-separated field off *p. */
static char *field(char **p)
{
    char *start = *p, *tab = strchr(start, '\t');
    if (tab) {
        *tab = '\0';
        *p = tab + 1;
    } else {
        *p = start + strlen(start);
    }
    return start;
}

/* Parses V1_RECORDS' text (in seq order). */
static void parse_v1(const text *v1, v1_rows *out)
{
    out->n = 0;
    out->text = strdup(v1->data);
    for (char *line = out->text, *next; *line && out->n < 256; line = next) {
        next = strchr(line, '\n');
        *next++ = '\0';
        v1_row *r = &out->rows[out->n++];
        char *p = line;
        field(&p); /* seq */
        r->kind = field(&p), r->id = field(&p), r->parent = field(&p), r->rest = p;
    }
}

static void row_line(const v1_row *r, text *out)
{
    text_printf(out, "%s\t%s\t%s\t%s\n", r->kind, r->id, r->parent, r->rest);
}

/* Each version 1 record read with get is the same record (its seq aside); there are n. */
static void compare_gets(pss_storage *st, const v1_rows *v1, int n)
{
    int same = 0;
    for (int i = 0; i < v1->n; i++) {
        const v1_row *r = &v1->rows[i];
        text want = TEXT_INIT, got = TEXT_INIT;
        row_line(r, &want);
        int rc = st->get(st->userdata, r->kind, r->id, record_line, &got);
        same += rc == 0 && strcmp(got.data, want.data) == 0;
        if (rc || strcmp(got.data, want.data) != 0)
            printf("# get %s %s: rc %d, got %s# want %s", r->kind, r->id, rc, got.data, want.data);
        text_free(&want);
        text_free(&got);
    }
    CHECK_I64(v1->n, n);
    CHECK_I64(same, v1->n);
}

static int same_group(const v1_row *a, const v1_row *b)
{
    return strcmp(a->kind, b->kind) == 0 && strcmp(a->parent, b->parent) == 0;
}

/* Each (kind, parent) of the version 1 records scans to its records in their seq order. */
static void compare_scans(pss_storage *st, const v1_rows *v1)
{
    int groups = 0, same = 0;
    for (int i = 0; i < v1->n; i++) {
        int first = 1;
        for (int j = 0; j < i && first; j++)
            first = !same_group(&v1->rows[j], &v1->rows[i]);
        if (!first)
            continue;
        text want = TEXT_INIT, got = TEXT_INIT;
        for (int j = i; j < v1->n; j++)
            if (same_group(&v1->rows[j], &v1->rows[i]))
                row_line(&v1->rows[j], &want);
        CHECK_I64(st->scan(st->userdata, v1->rows[i].kind, v1->rows[i].parent, record_line, &got),
                  0);
        groups++;
        same += strcmp(got.data, want.data) == 0;
        text_free(&want);
        text_free(&got);
    }
    CHECK(groups >= 10);
    CHECK_I64(same, groups);
}

static void compare_claims_and_audit(pss_storage *st, const char *path, const text *v1_audit)
{
    text claims = TEXT_INIT, got = TEXT_INIT;
    sql_rows(path, CLAIMS, &claims);
    int n = 0;
    for (char *line = claims.data, *next; *line; line = next, n++) {
        next = strchr(line, '\n');
        *next++ = '\0';
        char *p = line, *key = field(&p), holder[64] = "";
        CHECK_I64(st->lookup(st->userdata, key, holder, sizeof holder), 0);
        CHECK_STR(holder, p);
    }
    CHECK_I64(n, 4);
    CHECK_I64(st->audit_scan(st->userdata, NULL, 0, audit_line, &got), 0);
    CHECK_STR(got.data, v1_audit->data);
    text_free(&claims);
    text_free(&got);
}

/* ---- the upgrade ---- */

static pss_ctx *open_ctx(const char *path, pss_storage **st)
{
    pss_ctx *ctx = fix_ctx(NULL);
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, st));
    if (*st)
        CHECK_OK(ctx, pss_ctx_set_storage(ctx, *st));
    return ctx;
}

/* The readout the library that wrote a file made of it (data/NAME). */
static char *release_readout(const char *name)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    return read_file(path, &len);
}

/* What the library reads equals what the writing library read from the same file (data/NAME). */
static void compare_readout(pss_ctx *ctx, const char *name)
{
    char *want = release_readout(name);
    fix_text got = {NULL, 0};
    CHECK_I64(readout_config(ctx, FIX_CONFIG_ID, &got), 0);
    CHECK(got.data && strcmp(got.data, want) == 0);
    if (got.data && strcmp(got.data, want) != 0) { /* the first line that differs */
        size_t i = 0, line = 0;
        while (got.data[i] && got.data[i] == want[i])
            line = want[i++] == '\n' ? i : line;
        printf("# readout differs at: %.200s\n# %s has: %.200s\n", got.data + line, name,
               want + line);
    }
    CHECK(strstr(want, "verify 0") && !strstr(want, "verify -"));
    fix_text_free(&got);
    free(want);
}

/* A file the library wrote at an older version (data/FILE: its version, records, readout). */
typedef struct old_file {
    const char *file, *version, *readout;
    int records;
} old_file;

static const old_file release_1_1 = {"release-1.1.sqlite", "1\n", "release-1.1.txt", 57};
static const old_file schema_2 = {"schema-2.sqlite", "2\n", "schema-2.txt", 53};

/* The version 1 table, or version 2's view of the same columns, before and after the upgrade:
 * seqs included, so every record keeps its own. */
static void test_upgrade(const old_file *old)
{
    const char *path = copy_of(old->file, "release.sqlite");
    text v1 = TEXT_INIT, v1_audit = TEXT_INIT, t = TEXT_INIT, view = TEXT_INIT;
    CHECK_STR(user_version(path, &t), old->version);
    sql_rows(path, V1_RECORDS, &v1);
    sql_rows(path, AUDIT, &v1_audit);
    pss_storage *st = NULL;
    pss_ctx *ctx = open_ctx(path, &st);
    CHECK_STR(user_version(path, &t), CURRENT);
    v1_rows rows;
    parse_v1(&v1, &rows);
    if (st) {
        compare_gets(st, &rows, old->records);
        compare_scans(st, &rows);
        compare_claims_and_audit(st, path, &v1_audit);
        compare_readout(ctx, old->readout);
    }
    sql_rows(path, V1_RECORDS, &view); /* the view reads as the old table did */
    CHECK_STR(view.data, v1.data);
    sql_rows(path, "PRAGMA integrity_check", &t);
    CHECK_STR(t.data, "ok\n");
    pss_ctx_free(ctx);
    pss_storage_free(st);
    text_free(&v1);
    text_free(&v1_audit);
    text_free(&t);
    text_free(&view);
    free(rows.text);
}

/* The upgraded file opens again without another upgrade, reads the same, and the day goes on:
 * the open session takes an order, settles its drafts and closes; the rescue session too. */
static void cancel_draft(pss_ctx *ctx, pss_session *s, const char *id)
{
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, id, &o));
    for (size_t i = 0; o && i < pss_order_payment_count(o); i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        CHECK_OK(ctx, pss_order_get_payment(o, i, &p));
        if (p.state == PSS_PAYMENT_PENDING)
            CHECK_OK(ctx, pss_order_fail_payment(o, &FIX_MIA, i, "terminal offline"));
    }
    if (o)
        CHECK_OK(ctx, pss_order_cancel(o, &FIX_MIA, "end of the day"));
    pss_order_free(o);
}

/* A manager cancels what is left open, counts the expected cash and closes. */
static void close_open_session(pss_ctx *ctx, pss_session *s)
{
    pss_strlist *drafts = NULL;
    CHECK_OK(ctx, pss_session_drafts(s, &drafts));
    for (size_t i = 0; drafts && i < pss_strlist_count(drafts); i++)
        cancel_draft(ctx, s, pss_strlist_get(drafts, i));
    pss_strlist_free(drafts);
    int64_t expected = 0;
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    CHECK_OK(ctx, pss_session_expected_cash(s, &expected));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_MIA));
    count.cash_total = expected;
    CHECK_OK(ctx, pss_session_count(s, &FIX_MIA, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);
}

static void test_goes_on(const old_file *old)
{
    const char *path = copy_of(old->file, "goes-on.sqlite");
    pss_storage *st = NULL;
    pss_ctx *ctx = open_ctx(path, &st);
    pss_ctx_free(ctx);
    pss_storage_free(st);
    ctx = open_ctx(path, &st);
    compare_readout(ctx, old->readout);
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_find_open(ctx, FIX_CONFIG_ID, &s));
    static const char *const vat10[] = {"VAT10"};
    pss_line_input line = fix_line("espresso", 1000, 250, vat10, 1);
    pss_payment_input pay = fix_pay("Cash", 250);
    pss_order_input in = fix_order("0bde0000-0000-4000-8000-000000000021", &line, &pay);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_MIA, &in, NULL));
    pss_submit_result again = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_MIA, &in, &again));
    CHECK_I64(again.duplicate, 1);
    in = fix_order("0bde0000-0000-4000-8000-000000000001", &line, &pay); /* a 1.1 order's id */
    CHECK_RC(ctx, pss_session_submit(s, &FIX_MIA, &in, NULL), PSS_ECONFLICT);
    CHECK_OK(ctx, pss_session_verify(s));
    close_open_session(ctx, s);
    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
    pss_strlist *open = NULL;
    unsigned in_progress = PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS);
    CHECK_OK(ctx, pss_session_list(ctx, FIX_CONFIG_ID, in_progress, &open));
    CHECK_I64(open ? (int64_t)pss_strlist_count(open) : -1, 1); /* the rescue session */
    if (open && pss_strlist_count(open) == 1) {
        CHECK_OK(ctx, pss_session_load(ctx, pss_strlist_get(open, 0), &s));
        close_open_session(ctx, s);
        pss_session_free(s);
    }
    pss_strlist_free(open);
    pss_ctx_free(ctx);
    pss_storage_free(st);
}

/* A step that fails (here: a host's table in the way, named as one the step creates) leaves
 * the file exactly as it was, and the detail names the file, the step and SQLite's reason;
 * with the table out of the way the upgrade goes through. */
static void failed_upgrade(const old_file *old, const char *table, const char *step)
{
    const char *path = copy_of(old->file, "clash.sqlite");
    char sql[128], reason[128];
    snprintf(sql, sizeof sql, "CREATE TABLE %s (mine TEXT)", table);
    sql_exec(path, sql);
    text before = TEXT_INIT, after = TEXT_INIT;
    snapshot_v1(path, &before);
    pss_ctx *ctx = fix_ctx(NULL);
    pss_storage *st = NULL;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_ESTORAGE);
    CHECK(st == NULL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), path);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), step);
    snprintf(reason, sizeof reason, "table %s already exists", table);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), reason);
    snapshot_v1(path, &after);
    CHECK_STR(after.data, before.data);
    CHECK_STR(user_version(path, &after), old->version);
    snprintf(sql, sizeof sql, "DROP TABLE %s", table);
    sql_exec(path, sql);
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, &st));
    pss_storage_free(st);
    CHECK_STR(user_version(path, &after), CURRENT);
    pss_ctx_free(ctx);
    text_free(&before);
    text_free(&after);
}

static void test_failed_upgrade(void)
{
    failed_upgrade(&release_1_1, "record_live",
                   "upgrading the schema from version 1 to 2 (the file is left at version 1)");
    failed_upgrade(&schema_2, "record_v3",
                   "upgrading the schema from version 2 to 3 (the file is left at version 2)");
}

/* A version the library does not know is refused before anything is touched. */
static void test_newer_refused(void)
{
    const char *path = copy_of("release-1.1.sqlite", "newer.sqlite");
    pss_ctx *ctx = fix_ctx(NULL);
    pss_storage *st = NULL;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, &st));
    pss_storage_free(st);
    st = NULL;
    text before = TEXT_INIT, after = TEXT_INIT;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pss_sqlite_schema_version() + 1);
    sql_exec(path, sql);
    sql_rows(path, "SELECT * FROM records ORDER BY seq", &before);
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_EVERSION);
    CHECK(st == NULL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "its schema version is 4, this libpossession-sqlite "
                                        "knows versions up to 3; use a newer library");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), path);
    CHECK_STR(user_version(path, &after), "4\n");
    sql_rows(path, "SELECT * FROM records ORDER BY seq", &after);
    CHECK_STR(after.data, before.data);
    pss_ctx_free(ctx);
    text_free(&before);
    text_free(&after);
}

/* ---- SIGKILL in the middle of an upgrade ---- */

/* A version 1 file of n orders in one session, written with SQLite as 1.1 laid it out (the
 * upgrade then takes long enough to be killed in). */
static void make_big_v1(const char *path, int n)
{
    sqlite3 *db = NULL;
    remove_file(path);
    CHECK_I64(sqlite3_open(path, &db), SQLITE_OK);
    static const char *const v1 =
        "PRAGMA journal_mode = WAL; BEGIN;"
        "CREATE TABLE records (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL,"
        " parent TEXT NOT NULL DEFAULT '', rev INTEGER NOT NULL, payload TEXT NOT NULL,"
        " UNIQUE (kind, id));"
        "CREATE INDEX records_by_parent ON records (kind, parent, seq);"
        "CREATE TABLE claims (key TEXT PRIMARY KEY, owner TEXT NOT NULL);"
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL,"
        " payload TEXT NOT NULL);"
        "CREATE INDEX audit_by_subject ON audit (subject, seq);"
        "PRAGMA user_version = 1;";
    CHECK_I64(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO records (kind, id, parent, rev, payload) SELECT 'order',"
             " printf('%%08x-0000-4000-8000-%%012x', abs(random()) %% 4294967296, i),"
             " '5e55a000-0000-4000-8000-000000000001', 1, printf('{\"n\":%%d,\"pad\":\"%%s\"}',"
             " i, hex(randomblob(300))) FROM n; COMMIT", n);
    CHECK_I64(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* A fresh copy of the pristine version 1 file at path, and a child upgrading it; its pid. */
static pid_t start_upgrade(const char *path, const char *pristine)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && rm -f '%s-wal' '%s-shm'", pristine, path, path,
             path);
    CHECK_I64(system(cmd), 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pss_storage *st = NULL;
        int rc = pss_sqlite_open(NULL, path, NULL, &st);
        pss_storage_free(st);
        _exit(rc == 0 ? 0 : 1);
    }
    return pid;
}

/* Killed after `delay` microseconds of the upgrade, the file is either still at version 1
 * with all its records or at the current version with all of them: never in between (nor
 * at version 2: every step runs in the one transaction). */
static void kill_upgrade(const char *path, const char *pristine, int n, long delay)
{
    pid_t pid = start_upgrade(path, pristine);
    struct timespec ts = {delay / 1000000, delay % 1000000 * 1000};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    text t = TEXT_INIT, count = TEXT_INIT;
    user_version(path, &t);
    sql_rows(path, "SELECT count(*) FROM records", &count);
    char want[32];
    snprintf(want, sizeof want, "%d\n", n);
    CHECK(strcmp(t.data, "1\n") == 0 || strcmp(t.data, CURRENT) == 0);
    CHECK_STR(count.data, want);
    sql_rows(path, "PRAGMA integrity_check", &count);
    CHECK_STR(count.data, "ok\n");
    printf("# killed after %ld us (%s): version %s", delay,
           WIFSIGNALED(status) ? "in the upgrade" : "after it", t.data);
    text_free(&t);
    text_free(&count);
}

/* How long an upgrade of the file takes when nothing kills it, in microseconds. */
static long upgrade_time(const char *path, const char *pristine)
{
    double t0 = now_us();
    int status = 0;
    waitpid(start_upgrade(path, pristine), &status, 0);
    long us = (long)(now_us() - t0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return us;
}

static void test_killed_upgrade(void)
{
    enum { ORDERS = 60000 };
    char pristine[1024], path[1024];
    snprintf(pristine, sizeof pristine, "%s/big-v1.sqlite", work_dir);
    snprintf(path, sizeof path, "%s/killed.sqlite", work_dir);
    make_big_v1(pristine, ORDERS);
    long full = upgrade_time(path, pristine);
    printf("# an upgrade of %d orders takes %ld ms\n", ORDERS, full / 1000);
    static const int percent[] = {2, 20, 50, 80, 95, 200};
    for (size_t i = 0; i < sizeof percent / sizeof percent[0]; i++)
        kill_upgrade(path, pristine, ORDERS, full * percent[i] / 100);
    remove_file(pristine);
    remove_file(path);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("Bail out! usage: %s DATA_DIR WORK_DIR\n", argv[0]);
        return 1;
    }
    data_dir = argv[1];
    work_dir = argv[2];
    mkdir(work_dir, 0755);
    test_upgrade(&release_1_1);
    test_upgrade(&schema_2);
    test_goes_on(&release_1_1);
    test_goes_on(&schema_2);
    test_failed_upgrade();
    test_newer_refused();
    test_killed_upgrade();
    return check_done();
}
