/* sqlite-files.c: the SQLite store's file: what is written survives closing and reopening,
 * the schema is created and upgraded from version 0 in one transaction, a newer schema is
 * refused with PSS_EVERSION, files that are not ours are refused with a clear detail, the
 * payload is JSON that SQL can query, two connections isolate and lock like SQLite does, and
 * the seqs they stamp keep creation order, across them and across a move.
 * Usage: sqlite-files DIR (created if missing; the files used in it are deleted first). */
#include "possession.h"
#include "possession/sqlite.h"

#include "check.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;
static pss_ctx *ctx;

/* A fresh path in DIR: the file and its -wal and -shm are deleted. */
static const char *fresh(const char *name)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4], side[1100];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    unlink(p);
    snprintf(side, sizeof side, "%s-wal", p);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", p);
    unlink(side);
    return p;
}

static pss_storage *open_ok(const char *path)
{
    pss_storage *st = NULL;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, NULL, &st));
    return st;
}

/* Runs SQL on the file with SQLite itself: without out, any number of statements; with out,
 * one query whose last row's first column goes to out. */
static int sql(const char *path, const char *query, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK && !out) {
        rc = sqlite3_exec(db, query, NULL, NULL, NULL);
        sqlite3_close(db);
        return rc;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, query, -1, &st, NULL);
    if (out && size)
        out[0] = '\0';
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if (out && size) {
            const unsigned char *v = sqlite3_column_text(st, 0);
            snprintf(out, size, "%s", v ? (const char *)v : "NULL");
            rc = SQLITE_OK;
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : rc;
}

static int copy_payload(const pss_record *r, void *arg)
{
    snprintf(arg, 128, "%s r%llu %s", r->parent, (unsigned long long)r->rev, r->payload);
    return 0;
}

static int copy_audit(const pss_audit_item *item, void *arg)
{
    snprintf(arg, 128, "%llu %s %s", (unsigned long long)item->seq, item->subject, item->payload);
    return 0;
}

static void test_persistence(void)
{
    const char *path = fresh("persist.sqlite");
    pss_storage *st = open_ok(path);
    if (!st)
        return;
    pss_record r = {"order", "o1", "s1", 0, "{\"state\":\"PAID\",\"total\":1250}", 30};
    uint64_t rev, seq;
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, 0, &rev), 0);
    CHECK_I64(st->put(st->userdata, &r, 1, &rev), 0);
    CHECK_I64(st->claim(st->userdata, "open-session:c1", "s1", NULL, 0), 0);
    CHECK_I64(st->append(st->userdata, "s1", "{\"close\":\"refused\"}", 19, &seq), 0);
    CHECK_I64(st->commit(st->userdata), 0);
    pss_storage_free(st);

    st = open_ok(path);
    if (!st)
        return;
    char got[128] = "", holder[32] = "";
    CHECK_I64(st->get(st->userdata, "order", "o1", copy_payload, got), 0);
    CHECK_STR(got, "s1 r2 {\"state\":\"PAID\",\"total\":1250}");
    CHECK_I64(st->lookup(st->userdata, "open-session:c1", holder, sizeof holder), 0);
    CHECK_STR(holder, "s1");
    CHECK_I64(st->audit_scan(st->userdata, "s1", 0, copy_audit, got), 0);
    CHECK_STR(got, "1 s1 {\"close\":\"refused\"}");
    pss_storage_free(st);

    CHECK_I64(sql(path, "SELECT json_extract(payload, '$.state') || ' ' ||"
                        " json_extract(payload, '$.total') FROM records WHERE kind = 'order'",
                  got, sizeof got), 0);
    CHECK_STR(got, "PAID 1250");
    CHECK_I64(sql(path, "PRAGMA journal_mode", got, sizeof got), 0);
    CHECK_STR(got, "wal");
}

static void test_newer_schema_refused(void)
{
    const char *path = fresh("newer.sqlite");
    char got[128];
    CHECK_I64(sql(path, "PRAGMA user_version = 99", NULL, 0), 0);
    pss_storage *st = NULL;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_EVERSION);
    CHECK(st == NULL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "schema version is 99");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), path);
    CHECK_I64(sql(path, "PRAGMA user_version", got, sizeof got), 0);
    CHECK_STR(got, "99"); /* left as it was */
}

static void test_upgrade_from_version_0(void)
{
    const char *path = fresh("v0.sqlite");
    char got[256];
    CHECK_I64(sql(path, "CREATE TABLE host_things (x); INSERT INTO host_things VALUES (7)",
                  NULL, 0), 0);
    pss_storage *st = open_ok(path);
    pss_storage_free(st);
    snprintf(got, sizeof got, "%d", pss_sqlite_schema_version());
    char version[128];
    CHECK_I64(sql(path, "PRAGMA user_version", version, sizeof version), 0);
    CHECK_STR(version, got);
    CHECK_I64(sql(path, "SELECT group_concat(name, ',') FROM (SELECT type || ' ' || name AS name"
                        " FROM sqlite_master WHERE type IN ('table', 'view')"
                        " AND name NOT LIKE 'sqlite_%' ORDER BY name)",
                  got, sizeof got), 0);
    CHECK_STR(got, "table audit,table claims,table host_things,table kinds,table record,"
                   "table record_live,table record_order,table record_range,view records");
    CHECK_I64(sql(path, "SELECT x FROM host_things", got, sizeof got), 0);
    CHECK_STR(got, "7");
    CHECK(pss_sqlite_schema_version() >= 1);
}

static void test_empty_file(void)
{
    const char *path = fresh("empty.sqlite");
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    pss_storage_free(open_ok(path));
}

/* A failing step leaves the file at its old version: the upgrade is one transaction. */
static void test_failed_upgrade_changes_nothing(void)
{
    const char *path = fresh("clash.sqlite");
    char got[128];
    CHECK_I64(sql(path, "CREATE TABLE audit (something_else)", NULL, 0), 0);
    pss_storage *st = NULL;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_ESTORAGE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "creating the schema");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "audit");
    CHECK_I64(sql(path, "PRAGMA user_version", got, sizeof got), 0);
    CHECK_STR(got, "0");
    CHECK_I64(sql(path, "SELECT count(*) FROM sqlite_master WHERE name = 'records'", got,
                  sizeof got), 0);
    CHECK_STR(got, "0");
}

static void test_not_ours(void)
{
    const char *path = fresh("garbage.sqlite");
    FILE *f = fopen(path, "w");
    if (f) {
        for (int i = 0; i < 64; i++)
            fputs("this is not a database file. ", f);
        fclose(f);
    }
    pss_storage *st = NULL;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), path);

    path = fresh("no-tables.sqlite");
    CHECK_I64(sql(path, "PRAGMA user_version = 1", NULL, 0), 0);
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, NULL, &st), PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "do not match");

    char missing[1100];
    snprintf(missing, sizeof missing, "%s/no/such/dir/x.sqlite", dir);
    CHECK_RC(ctx, pss_sqlite_open(ctx, missing, NULL, &st), PSS_ESTORAGE);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), missing);
    CHECK_I64(pss_sqlite_open(NULL, missing, NULL, &st), PSS_ESTORAGE); /* ctx may be NULL */
}

static void test_options(void)
{
    pss_storage *st = NULL;
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    const char *path = fresh("options.sqlite");
    CHECK_I64(o.busy_timeout_ms, 5000);
    CHECK_I64(o.sync, PSS_SQLITE_SYNC_FULL);
    o.version = 0;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, &o, &st), PSS_EVERSION);
    o.version = PSS_SQLITE_OPTIONS_VERSION;
    o.sync = (pss_sqlite_sync)7;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, &o, &st), PSS_EINVAL);
    o.sync = PSS_SQLITE_SYNC_NORMAL;
    o.busy_timeout_ms = -1;
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, &o, &st), PSS_EINVAL);
    CHECK_RC(ctx, pss_sqlite_open(ctx, NULL, &o, &st), PSS_EINVAL);
    CHECK_RC(ctx, pss_sqlite_open(ctx, path, &o, NULL), PSS_EINVAL);
    o.busy_timeout_ms = 0;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, &o, &st));
    pss_storage_free(st);
}

/* The page size goes to a file the open creates; an existing file keeps its own; a bad one
 * is refused before anything is created; options of version 1 (without the field) still
 * open, with SQLite's default. */
static void test_page_size(void)
{
    pss_storage *st = NULL;
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    char got[64];
    CHECK_I64(o.version, 2);
    CHECK_I64(o.page_size, 0);
    const char *path = fresh("pages.sqlite");
    static const int bad[] = {-1, 100, 256, 1000, 3072, 131072};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.page_size = bad[i];
        CHECK_RC(ctx, pss_sqlite_open(ctx, path, &o, &st), PSS_EINVAL);
        CHECK_CONTAINS(pss_ctx_errmsg(ctx), "is not a power of two from 512 to 65536");
        CHECK_I64(access(path, F_OK), -1);
    }
    o.page_size = 16384;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, &o, &st));
    pss_storage_free(st);
    CHECK_I64(sql(path, "PRAGMA page_size", got, sizeof got), 0);
    CHECK_STR(got, "16384");
    o.page_size = 1024; /* the file has its pages: it keeps them */
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, &o, &st));
    pss_storage_free(st);
    CHECK_I64(sql(path, "PRAGMA page_size", got, sizeof got), 0);
    CHECK_STR(got, "16384");

    struct { /* what a caller built against version 1 of the header passes */
        uint32_t version;
        pss_sqlite_sync sync;
        int busy_timeout_ms;
    } v1 = {1, PSS_SQLITE_SYNC_NORMAL, 100};
    path = fresh("pages-v1.sqlite");
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, (const pss_sqlite_options *)(const void *)&v1, &st));
    pss_storage_free(st);
    CHECK_I64(sql(path, "PRAGMA page_size", got, sizeof got), 0);
    CHECK_STR(got, "4096");
}

/* Two stores on one file, as two contexts would have: a writer locks out the other writer
 * (PSS_EBUSY after the busy timeout) and readers see only what was committed. */
static void test_two_connections(void)
{
    const char *path = fresh("two.sqlite");
    pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
    o.busy_timeout_ms = 50;
    pss_storage *a = NULL, *b = NULL;
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, &o, &a));
    CHECK_OK(ctx, pss_sqlite_open(ctx, path, &o, &b));
    if (!a || !b)
        return;
    pss_record r = {"order", "o1", "s1", 0, "{}", 2};
    uint64_t rev;
    char got[128];
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->put(a->userdata, &r, 0, &rev), 0);
    CHECK_I64(b->get(b->userdata, "order", "o1", copy_payload, got), PSS_ENOTFOUND);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), PSS_EBUSY);
    CHECK(b->errmsg(b->userdata) != NULL);
    CHECK_I64(b->rollback(b->userdata), 0); /* nothing open: a no-op */
    CHECK_I64(a->commit(a->userdata), 0);
    CHECK_I64(b->get(b->userdata, "order", "o1", copy_payload, got), 0);
    CHECK_I64(b->begin(b->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(b->put(b->userdata, &r, 0, &rev), PSS_ECONFLICT);
    CHECK_I64(b->put(b->userdata, &r, 1, &rev), 0);
    CHECK_I64(b->commit(b->userdata), 0);
    pss_storage_free(a);
    pss_storage_free(b);
}

static int list_ids(const pss_record *r, void *arg)
{
    size_t n = strlen(arg);
    snprintf((char *)arg + n, 128 - n, "%s%s", n ? "," : "", r->id);
    return 0;
}

static const char *scan_ids(pss_storage *st, const char *parent, char out[128])
{
    out[0] = '\0';
    CHECK_I64(st->scan(st->userdata, "order", parent, list_ids, out), 0);
    return out;
}

static void put_one(pss_storage *st, const char *id, const char *parent, uint64_t rev)
{
    pss_record r = {"order", id, parent, 0, "{}", 2};
    CHECK_I64(st->begin(st->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(st->put(st->userdata, &r, rev, NULL), 0);
    CHECK_I64(st->commit(st->userdata), 0);
}

/* seq is a creation stamp (doc/sqlite-store.md, "Schema"): records created by two stores on
 * one file, one of them reopened, compare by their creation, so a record moved to another
 * parent goes to its place there: between two records (those after it move up a place), or
 * at the end; and an insert after that goes past the end. */
static void test_seq_stamps(void)
{
    const char *path = fresh("stamps.sqlite");
    pss_storage *a = open_ok(path), *b = open_ok(path);
    if (!a || !b)
        return;
    char got[128];
    put_one(a, "o1", "s1", 0);
    put_one(b, "o2", "s2", 0);
    pss_storage_free(a);
    a = open_ok(path);
    if (!a)
        return;
    put_one(a, "o3", "s1", 0);
    put_one(b, "o2", "s1", 1); /* moved: created between o1 and o3 */
    CHECK_STR(scan_ids(a, "s1", got), "o1,o2,o3");
    put_one(a, "o1", "s2", 1); /* moved to the range it left empty */
    put_one(b, "o4", "s1", 0);
    CHECK_STR(scan_ids(a, "s1", got), "o2,o3,o4");
    CHECK_STR(scan_ids(b, "s2", got), "o1");
    CHECK_I64(sql(path, "SELECT count(DISTINCT place) || ' ' || count(*) || ' ' ||"
                        " sum(place < 0) FROM record_order", got, sizeof got), 0);
    CHECK_STR(got, "4 4 0");
    CHECK_I64(sql(path, "PRAGMA integrity_check", got, sizeof got), 0);
    CHECK_STR(got, "ok");
    pss_storage_free(a);
    pss_storage_free(b);
}

/* A store remembers the last range it used (lib/store-sqlite/ranges.c); a rollback that undid
 * its making must not leave it remembered: another store may give its slot to another parent. */
static void test_range_after_rollback(void)
{
    const char *path = fresh("ranges.sqlite");
    pss_storage *a = open_ok(path), *b = open_ok(path);
    if (!a || !b)
        return;
    char got[128];
    pss_record r = {"order", "o1", "p9", 0, "{}", 2};
    CHECK_I64(a->begin(a->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(a->put(a->userdata, &r, 0, NULL), 0);
    CHECK_I64(a->rollback(a->userdata), 0);
    put_one(b, "o2", "q9", 0); /* the slot p9 had in a's rolled back transaction */
    put_one(a, "o3", "p9", 0);
    CHECK_STR(scan_ids(b, "p9", got), "o3");
    CHECK_STR(scan_ids(a, "q9", got), "o2");
    CHECK_I64(sql(path, "SELECT group_concat(parent || ':' || (place >> 32), ',') FROM"
                        " (SELECT parent, place FROM record_order ORDER BY place)",
                  got, sizeof got), 0);
    CHECK_STR(got, "q9:1,p9:2");
    pss_storage_free(a);
    pss_storage_free(b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: %s DIR\n", argv[0]);
        return 1;
    }
    dir = argv[1];
    mkdir(dir, 0755);
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    test_persistence();
    test_newer_schema_refused();
    test_upgrade_from_version_0();
    test_empty_file();
    test_failed_upgrade_changes_nothing();
    test_not_ours();
    test_options();
    test_page_size();
    test_two_connections();
    test_seq_stamps();
    test_range_after_rollback();
    pss_ctx_free(ctx);
    return check_done();
}
