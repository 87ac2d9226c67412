/* contract.c: the storage contract of possession/storage.h, checked the same way on every
 * shipped store. Usage: storage-contract memory | storage-contract sqlite PATH (PATH and its
 * -wal and -shm files are deleted first) | storage-contract pg DATABASE (created afresh on
 * the server PSS_PG_CONNINFO names). */
#include "possession.h"
#ifdef HAVE_SQLITE
#include "possession/sqlite.h"
#endif
#ifdef HAVE_PG
#include "possession/pg.h"
#include "pgtest.h"
#endif

#include "check.h"
#include "text.h"

#include <unistd.h>

static pss_storage *st;
static int is_memory;
#ifdef HAVE_PG
static PGconn *pg_raw; /* the pg store's database, to settle its audit trail before reading */
#endif

/* ---- calls through the table ---------------------------------------------------------- */

static int put(const char *kind, const char *id, const char *parent, const char *payload,
               uint64_t expected, uint64_t *rev)
{
    /* rev 99 proves that the store ignores record->rev */
    pss_record r = {kind, id, parent, 99, payload, strlen(payload)};
    uint64_t got = 0;
    int rc = st->put(st->userdata, &r, expected, &got);
    if (rev)
        *rev = got;
    return rc;
}

static int begin(int write)
{
    return st->begin(st->userdata, write ? PSS_TXN_WRITE : 0);
}

static int commit(void)
{
    return st->commit(st->userdata);
}

static int rollback(void)
{
    return st->rollback(st->userdata);
}

static int claim(const char *key, const char *owner, char *holder, size_t size)
{
    return st->claim(st->userdata, key, owner, holder, size);
}

static int release(const char *key, const char *owner)
{
    return st->release(st->userdata, key, owner);
}

static int append(const char *subject, const char *payload, uint64_t *seq)
{
    return st->append(st->userdata, subject, payload, strlen(payload), seq);
}

/* ---- reading back as text --------------------------------------------------------------- */

static int record_to_text(const pss_record *r, void *arg)
{
    text_printf(arg, "%s/%s@%s r%llu %.*s;", r->kind, r->id, r->parent,
                (unsigned long long)r->rev, (int)r->payload_len, r->payload);
    if (strlen(r->payload) != r->payload_len)
        text_printf(arg, "(payload_len %zu wrong)", r->payload_len);
    return 0;
}

static const char *get_text(text *t, const char *kind, const char *id)
{
    text_reset(t);
    int rc = st->get(st->userdata, kind, id, record_to_text, t);
    if (rc)
        text_printf(t, "rc %d", rc);
    return t->data;
}

static const char *scan_text(text *t, const char *kind, const char *parent)
{
    text_reset(t);
    int rc = st->scan(st->userdata, kind, parent, record_to_text, t);
    if (rc)
        text_printf(t, "rc %d", rc);
    return t->data;
}

static int audit_to_text(const pss_audit_item *item, void *arg)
{
    text_printf(arg, "%llu %s %.*s;", (unsigned long long)item->seq, item->subject,
                (int)item->payload_len, item->payload);
    return 0;
}

static const char *audit_text(text *t, const char *subject, uint64_t after)
{
#ifdef HAVE_PG
    if (pg_raw)
        pgtest_settle_audit(pg_raw);
#endif
    text_reset(t);
    int rc = st->audit_scan(st->userdata, subject, after, audit_to_text, t);
    if (rc)
        text_printf(t, "rc %d", rc);
    return t->data;
}

static const char *holder_text(text *t, const char *key)
{
    char holder[64] = "";
    text_reset(t);
    int rc = st->lookup(st->userdata, key, holder, sizeof holder);
    if (rc)
        text_printf(t, "rc %d", rc);
    else
        text_printf(t, "%s", holder);
    return t->data;
}

/* ---- records ----------------------------------------------------------------------------- */

static void test_create_and_cas(void)
{
    text t = TEXT_INIT;
    uint64_t rev = 0;
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("config", "c1", "", "{\"name\":\"Till 1\"}", 0, &rev), 0);
    CHECK_I64(rev, 1);
    CHECK_STR(get_text(&t, "config", "c1"), "config/c1@ r1 {\"name\":\"Till 1\"};");
    CHECK_I64(put("config", "c1", "", "{\"name\":\"Till 1b\"}", 1, &rev), 0);
    CHECK_I64(rev, 2);
    CHECK_I64(put("config", "c1", "", "{\"stale\":1}", 1, &rev), PSS_ECONFLICT);
    CHECK_I64(put("config", "c1", "", "{\"future\":1}", 3, &rev), PSS_ECONFLICT);
    CHECK_I64(put("config", "c1", "", "{\"again\":1}", 0, &rev), PSS_ECONFLICT);
    CHECK_I64(put("config", "nobody", "", "{}", 1, &rev), PSS_ECONFLICT);
    CHECK_I64(put("config", "c1", "", "{\"name\":\"Till 1c\"}", 2, &rev), 0);
    CHECK_I64(rev, 3);
    CHECK_I64(commit(), 0);
    CHECK_STR(get_text(&t, "config", "c1"), "config/c1@ r3 {\"name\":\"Till 1c\"};");
    CHECK(st->errmsg == NULL || st->errmsg(st->userdata) != NULL); /* after the conflicts */
    text_free(&t);
}

static void test_same_id_other_kind(void)
{
    text t = TEXT_INIT;
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("session", "c1", "", "{\"kind\":\"session\"}", 0, NULL), 0);
    CHECK_I64(commit(), 0);
    CHECK_STR(get_text(&t, "session", "c1"), "session/c1@ r1 {\"kind\":\"session\"};");
    CHECK_STR(get_text(&t, "config", "c1"), "config/c1@ r3 {\"name\":\"Till 1c\"};");
    text_free(&t);
}

static void test_get_missing(void)
{
    text t = TEXT_INIT;
    CHECK_STR(get_text(&t, "config", "missing"), "rc -3");
    CHECK_STR(get_text(&t, "nokind", "c1"), "rc -3");
    text_free(&t);
}

static int return_seven(const pss_record *r, void *arg)
{
    (void)r;
    (void)arg;
    return 7;
}

static void test_get_callback_result(void)
{
    CHECK_I64(st->get(st->userdata, "config", "c1", return_seven, NULL), 7);
}

static void test_payload_bytes(void)
{
    text t = TEXT_INIT;
    const char *payload = "{\"note\":\"tab\\there\\nline\",\"name\":\"Caf\xc3\xa9 \xe2\x82\xac\"}";
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("note", "n1", "", payload, 0, NULL), 0);
    CHECK_I64(commit(), 0);
    text expected = TEXT_INIT;
    text_printf(&expected, "note/n1@ r1 %s;", payload);
    CHECK_STR(get_text(&t, "note", "n1"), expected.data);
    text_free(&expected);
    text_free(&t);
}

static void test_scan_order(void)
{
    text t = TEXT_INIT;
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("order", "o3", "s1", "{\"n\":1}", 0, NULL), 0);
    CHECK_I64(put("order", "o9", "s2", "{\"n\":2}", 0, NULL), 0);
    CHECK_I64(put("order", "o1", "s1", "{\"n\":3}", 0, NULL), 0);
    CHECK_I64(put("session", "x", "s1", "{\"n\":4}", 0, NULL), 0);
    CHECK_I64(put("order", "o2", "s1", "{\"n\":5}", 0, NULL), 0);
    CHECK_I64(put("order", "o3", "s1", "{\"n\":6}", 1, NULL), 0); /* updates keep their place */
    CHECK_I64(commit(), 0);
    CHECK_STR(scan_text(&t, "order", "s1"),
              "order/o3@s1 r2 {\"n\":6};order/o1@s1 r1 {\"n\":3};order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_text(&t, "order", "s2"), "order/o9@s2 r1 {\"n\":2};");
    CHECK_STR(scan_text(&t, "session", "s1"), "session/x@s1 r1 {\"n\":4};");
    CHECK_STR(scan_text(&t, "order", "s3"), "");
    CHECK_STR(scan_text(&t, "config", ""), "config/c1@ r3 {\"name\":\"Till 1c\"};");
    text_free(&t);
}

/* A record moved to another parent is listed there in creation order too. */
static void test_parent_change(void)
{
    text t = TEXT_INIT;
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("order", "o1", "s2", "{\"moved\":1}", 1, NULL), 0);
    CHECK_I64(commit(), 0);
    CHECK_STR(scan_text(&t, "order", "s1"),
              "order/o3@s1 r2 {\"n\":6};order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_text(&t, "order", "s2"),
              "order/o9@s2 r1 {\"n\":2};order/o1@s2 r2 {\"moved\":1};");
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("order", "o1", "s1", "{\"n\":3}", 2, NULL), 0);
    CHECK_I64(commit(), 0);
    CHECK_STR(scan_text(&t, "order", "s1"),
              "order/o3@s1 r2 {\"n\":6};order/o1@s1 r3 {\"n\":3};order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_text(&t, "order", "s2"), "order/o9@s2 r1 {\"n\":2};");
    text_free(&t);
}

typedef struct counter {
    int seen, stop_at;
} counter;

static int stop_at_count(const pss_record *r, void *arg)
{
    (void)r;
    counter *c = arg;
    return ++c->seen == c->stop_at ? 42 : 0;
}

static void test_scan_stop(void)
{
    counter c = {0, 2};
    CHECK_I64(st->scan(st->userdata, "order", "s1", stop_at_count, &c), 42);
    CHECK_I64(c.seen, 2);
}

static const char *scan_last_text(text *t, const char *kind, const char *parent, size_t n)
{
    text_reset(t);
    int rc = st->scan_last(st->userdata, kind, parent, n, record_to_text, t);
    if (rc)
        text_printf(t, "rc %d", rc);
    return t->data;
}

/* scan_last (version 2): the last n records scan would pass, in scan's order. */
static void test_scan_last(void)
{
    text t = TEXT_INIT;
    CHECK(st->version >= 2);
    CHECK(st->scan_last != NULL);
    CHECK_STR(scan_last_text(&t, "order", "s1", 2),
              "order/o1@s1 r3 {\"n\":3};order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_last_text(&t, "order", "s1", 1), "order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_last_text(&t, "order", "s1", 9),
              "order/o3@s1 r2 {\"n\":6};order/o1@s1 r3 {\"n\":3};order/o2@s1 r1 {\"n\":5};");
    CHECK_STR(scan_last_text(&t, "order", "s3", 4), "");
    CHECK_STR(scan_last_text(&t, "order", "s1", 0), "");
    counter c = {0, 1};
    CHECK_I64(st->scan_last(st->userdata, "order", "s1", 3, stop_at_count, &c), 42);
    CHECK_I64(c.seen, 1);
    text_free(&t);
}

/* prefetch (version 3): a hint changes no answer, and a put of its kind makes the hinted
 * read read again. A store without hints has nothing to test here. */
static void test_prefetch(void)
{
    if (st->version < 3 || !st->prefetch) {
        printf("# this store takes no prefetch hints\n");
        return;
    }
    text t = TEXT_INIT;
    uint64_t rev = 0;
    CHECK_I64(st->prefetch(st->userdata, "order", "o1", 0), 0); /* outside: ignored */
    CHECK_STR(get_text(&t, "order", "o1"), "order/o1@s1 r3 {\"n\":3};");
    CHECK_I64(begin(1), 0);
    CHECK_I64(st->prefetch(st->userdata, "order", "o1", 0), 0);
    CHECK_I64(st->prefetch(st->userdata, "order", "nobody", 0), 0);
    CHECK_I64(st->prefetch(st->userdata, "order", "s1", 1), 0);
    CHECK_I64(st->prefetch(st->userdata, "order", "s1", 1), 0); /* twice: one read */
    CHECK_I64(st->prefetch(st->userdata, "order", "o2", 0), 0); /* never read: harmless */
    CHECK_STR(get_text(&t, "order", "nobody"), "rc -3");
    CHECK_STR(get_text(&t, "order", "o1"), "order/o1@s1 r3 {\"n\":3};");
    CHECK_STR(get_text(&t, "order", "o1"), "order/o1@s1 r3 {\"n\":3};"); /* read again */
    CHECK_I64(put("order", "hinted", "s1", "{\"n\":9}", 0, &rev), 0);
    CHECK_STR(scan_last_text(&t, "order", "s1", 1), "order/hinted@s1 r1 {\"n\":9};");
    CHECK_I64(st->prefetch(st->userdata, "order", "o1", 0), 0);
    CHECK_I64(put("order", "o1", "s1", "{\"n\":4}", 3, &rev), 0);
    CHECK_STR(get_text(&t, "order", "o1"), "order/o1@s1 r4 {\"n\":4};");
    CHECK_I64(put("order", "o1", "s1", "{\"n\":5}", 3, &rev), PSS_ECONFLICT); /* held: r4 */
    CHECK_I64(rollback(), 0);
    CHECK_STR(get_text(&t, "order", "o1"), "order/o1@s1 r3 {\"n\":3};");
    CHECK_STR(get_text(&t, "order", "hinted"), "rc -3");
    text_free(&t);
}

/* A check that fails fails at once or fails the commit, which then keeps nothing. */
static int check_then_commit(int rc_of_check)
{
    if (rc_of_check) {
        rollback();
        return rc_of_check;
    }
    return commit();
}

/* Checks (version 4): a write transaction depends on a revision, or on the newest record
 * under a parent, without reading it. */
static void test_check(void)
{
    if (st->version < 4 || !st->check) {
        printf("# this store makes no checks\n");
        return;
    }
    text t = TEXT_INIT;
    uint64_t rev = 0;
    CHECK_I64(begin(1), 0);
    CHECK_I64(put("chk", "c1", "cp", "{\"n\":1}", 0, &rev), 0);
    CHECK_I64(put("chk", "c2", "cp", "{\"n\":2}", 0, &rev), 0);
    CHECK_I64(put("chk", "c1", "cp", "{\"n\":3}", 1, &rev), 0);
    CHECK_I64(commit(), 0);
    CHECK_I64(st->check(st->userdata, "chk", "c1", 2), PSS_EINVAL); /* no transaction */
    CHECK_I64(begin(0), 0);
    CHECK_I64(st->check(st->userdata, "chk", "c1", 2), PSS_EINVAL); /* a read transaction */
    CHECK_I64(st->check_last(st->userdata, "chk", "cp", "c2"), PSS_EINVAL);
    CHECK_I64(rollback(), 0);
    /* what holds commits; a put may follow a check, expecting its revision */
    CHECK_I64(begin(1), 0);
    CHECK_I64(st->check(st->userdata, "chk", "c1", 2), 0);
    CHECK_I64(st->check(st->userdata, "chk", "nobody", 0), 0);
    CHECK_I64(st->check_last(st->userdata, "chk", "cp", "c2"), 0); /* by creation, not rev */
    CHECK_I64(st->check_last(st->userdata, "chk", "no-parent", ""), 0);
    CHECK_I64(put("chk", "c1", "cp", "{\"n\":4}", 2, &rev), 0);
    CHECK_I64(rev, 3);
    CHECK_I64(st->check(st->userdata, "chk", "c1", 3), 0); /* its own write */
    CHECK_I64(commit(), 0);
    CHECK_STR(get_text(&t, "chk", "c1"), "chk/c1@cp r3 {\"n\":4};");
    /* what does not hold fails, at once or in commit, and nothing of the transaction stays */
    const struct {
        const char *key, *id; /* id NULL: a check of rev */
        uint64_t rev;
    } wrong[] = {{"c1", NULL, 2}, {"c1", NULL, 0},  {"nobody", NULL, 1},
                 {"cp", "c1", 0}, {"cp", "", 0},    {"no-parent", "c1", 0}};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        CHECK_I64(begin(1), 0);
        CHECK_I64(put("chk", "made", "elsewhere", "{}", 0, &rev), 0);
        int rc = wrong[i].id ? st->check_last(st->userdata, "chk", wrong[i].key, wrong[i].id)
                             : st->check(st->userdata, "chk", wrong[i].key, wrong[i].rev);
        CHECK_I64(check_then_commit(rc), PSS_ECONFLICT);
        CHECK_STR(get_text(&t, "chk", "made"), "rc -3");
    }
    CHECK_STR(get_text(&t, "chk", "c1"), "chk/c1@cp r3 {\"n\":4};");
    text_free(&t);
}

/* A scan whose callback scans and gets again (the library reads orders while listing them). */
static int nested_scan(const pss_record *r, void *arg)
{
    text inner = TEXT_INIT;
    text_printf(arg, "%s[", r->id);
    st->scan(st->userdata, "order", "s2", record_to_text, &inner);
    st->get(st->userdata, "order", r->id, record_to_text, &inner);
    text_printf(arg, "%s]", inner.data);
    text_free(&inner);
    return 0;
}

static void test_nested_scan(void)
{
    text t = TEXT_INIT;
    CHECK_I64(st->scan(st->userdata, "order", "s1", nested_scan, &t), 0);
    CHECK_STR(t.data, "o3[order/o9@s2 r1 {\"n\":2};order/o3@s1 r2 {\"n\":6};]"
                      "o1[order/o9@s2 r1 {\"n\":2};order/o1@s1 r3 {\"n\":3};]"
                      "o2[order/o9@s2 r1 {\"n\":2};order/o2@s1 r1 {\"n\":5};]");
    text_free(&t);
}

static void test_bad_arguments(void)
{
    pss_record no_kind = {NULL, "x", "", 0, "{}", 2};
    uint64_t rev;
    CHECK_I64(st->put(st->userdata, &no_kind, 0, &rev), PSS_EINVAL);
    CHECK_I64(st->put(st->userdata, NULL, 0, &rev), PSS_EINVAL);
    CHECK_I64(st->get(st->userdata, NULL, "x", record_to_text, NULL), PSS_EINVAL);
    CHECK_I64(st->claim(st->userdata, "k", NULL, NULL, 0), PSS_EINVAL);
    CHECK_I64(st->append(st->userdata, NULL, "{}", 2, NULL), PSS_EINVAL);
}

/* ---- claims ------------------------------------------------------------------------------ */

static void test_claims(void)
{
    text t = TEXT_INIT;
    char holder[64] = "untouched", tiny[4] = "";
    CHECK_I64(begin(1), 0);
    CHECK_I64(claim("open-session:c1", "alice", holder, sizeof holder), 0);
    CHECK_I64(claim("open-session:c1", "alice", holder, sizeof holder), 0);
    CHECK_I64(claim("open-session:c1", "bob", holder, sizeof holder), PSS_EEXISTS);
    CHECK_STR(holder, "alice");
    CHECK_I64(claim("open-session:c1", "bob", tiny, sizeof tiny), PSS_EEXISTS);
    CHECK_STR(tiny, "ali"); /* truncated to the buffer, NUL-terminated */
    CHECK_I64(claim("open-session:c1", "bob", NULL, 0), PSS_EEXISTS);
    CHECK_I64(commit(), 0);
    CHECK_STR(holder_text(&t, "open-session:c1"), "alice");
    CHECK_STR(holder_text(&t, "open-session:c2"), "rc -3");
    CHECK_I64(begin(1), 0);
    CHECK_I64(release("open-session:c1", "bob"), PSS_ECONFLICT);
    CHECK_I64(release("free-key", "bob"), PSS_ENOTFOUND);
    CHECK_I64(release("open-session:c1", "alice"), 0);
    CHECK_I64(release("open-session:c1", "alice"), PSS_ENOTFOUND);
    CHECK_I64(claim("open-session:c1", "bob", holder, sizeof holder), 0);
    CHECK_I64(claim("day:c1:2024-05-01", "s1", holder, sizeof holder), 0);
    CHECK_I64(commit(), 0);
    CHECK_STR(holder_text(&t, "open-session:c1"), "bob");
    CHECK_STR(holder_text(&t, "day:c1:2024-05-01"), "s1");
    text_free(&t);
}

/* ---- audit ------------------------------------------------------------------------------- */

static uint64_t audit_seq[4];

static void test_audit(void)
{
    text t = TEXT_INIT, expected = TEXT_INIT;
    CHECK_I64(begin(1), 0);
    CHECK_I64(append("s1", "{\"e\":1}", &audit_seq[0]), 0);
    CHECK_I64(append("s2", "{\"e\":2}", &audit_seq[1]), 0);
    CHECK_I64(append("s1", "{\"e\":3}", &audit_seq[2]), 0);
    CHECK_I64(commit(), 0);
    CHECK(audit_seq[0] > 0 && audit_seq[0] < audit_seq[1] && audit_seq[1] < audit_seq[2]);
    unsigned long long a = audit_seq[0], b = audit_seq[1], c = audit_seq[2];
    text_printf(&expected, "%llu s1 {\"e\":1};%llu s2 {\"e\":2};%llu s1 {\"e\":3};", a, b, c);
    CHECK_STR(audit_text(&t, NULL, 0), expected.data);
    text_reset(&expected);
    text_printf(&expected, "%llu s1 {\"e\":1};%llu s1 {\"e\":3};", a, c);
    CHECK_STR(audit_text(&t, "s1", 0), expected.data);
    text_reset(&expected);
    text_printf(&expected, "%llu s2 {\"e\":2};%llu s1 {\"e\":3};", b, c);
    CHECK_STR(audit_text(&t, NULL, a), expected.data);
    text_reset(&expected);
    text_printf(&expected, "%llu s1 {\"e\":3};", c);
    CHECK_STR(audit_text(&t, "s1", a), expected.data);
    CHECK_STR(audit_text(&t, "s1", c), "");
    CHECK_STR(audit_text(&t, "nobody", 0), "");
    text_free(&expected);
    text_free(&t);
}

static int stop_audit(const pss_audit_item *item, void *arg)
{
    (void)item;
    return ++*(int *)arg == 2 ? 5 : 0;
}

static void test_audit_stop(void)
{
    int seen = 0;
    CHECK_I64(st->audit_scan(st->userdata, NULL, 0, stop_audit, &seen), 5);
    CHECK_I64(seen, 2);
}

/* ---- transactions ------------------------------------------------------------------------ */

static int dump_to_text(void *userdata, const char *data, size_t len)
{
    text_add(userdata, data, len);
    return 0;
}

/* Everything the contract lets a caller see of the records, claims and audit used here. */
static void snapshot(text *out)
{
    static const char *const groups[][2] = {
        {"config", ""}, {"session", ""}, {"order", "s1"}, {"order", "s2"}, {"order", "s9"},
        {"note", ""},   {"bulk", "b0"},   {"bulk", "b1"},     {"bulk", "b2"},
    };
    static const char *const keys[] = {"open-session:c1", "day:c1:2024-05-01", "new-key",
                                       "bulk-7", "bulk-299"};
    text t = TEXT_INIT;
    text_reset(out);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        text_printf(out, "%s\n", scan_text(&t, groups[i][0], groups[i][1]));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        text_printf(out, "%s\n", holder_text(&t, keys[i]));
    text_printf(out, "%s\n", audit_text(&t, NULL, 0));
    if (is_memory) {
        text_reset(&t);
        CHECK_I64(pss_memstore_dump(st, dump_to_text, &t), 0);
        text_printf(out, "%s", t.data);
    }
    text_free(&t);
}

/* Every kind of change inside one transaction, then rollback: nothing may remain. */
static void change_everything(void)
{
    uint64_t seq = 0;
    CHECK_I64(put("order", "o4", "s1", "{\"new\":1}", 0, NULL), 0);      /* create */
    CHECK_I64(put("order", "o9", "s9", "{\"brand\":\"new\"}", 0, NULL), PSS_ECONFLICT);
    CHECK_I64(put("order", "o5", "s9", "{\"new group\":1}", 0, NULL), 0);
    CHECK_I64(put("order", "o3", "s1", "{\"n\":7}", 2, NULL), 0);         /* update */
    CHECK_I64(put("order", "o3", "s1", "{\"n\":8}", 3, NULL), 0);         /* and again */
    CHECK_I64(put("order", "o2", "s2", "{\"moved\":1}", 1, NULL), 0);     /* other parent */
    CHECK_I64(put("order", "o4", "s1", "{\"new\":2}", 1, NULL), 0);       /* created, updated */
    CHECK_I64(claim("new-key", "carol", NULL, 0), 0);                     /* claim */
    CHECK_I64(release("open-session:c1", "bob"), 0);                      /* release */
    CHECK_I64(claim("open-session:c1", "dave", NULL, 0), 0);              /* and retake */
    CHECK_I64(append("s1", "{\"e\":4}", &seq), 0);                        /* append */
    CHECK(seq > audit_seq[2]);
    text t = TEXT_INIT;
    CHECK_STR(get_text(&t, "order", "o3"), "order/o3@s1 r4 {\"n\":8};"); /* own writes seen */
    CHECK_STR(holder_text(&t, "open-session:c1"), "dave");
    text_free(&t);
}

static void test_rollback(void)
{
    text before = TEXT_INIT, after = TEXT_INIT;
    snapshot(&before);
    CHECK_I64(begin(1), 0);
    change_everything();
    CHECK_I64(rollback(), 0);
    snapshot(&after);
    CHECK_STR(after.data, before.data);
    /* The store works on after a rollback, and what it assigns still grows. */
    uint64_t seq = 0, rev = 0;
    CHECK_I64(begin(1), 0);
    CHECK_I64(append("s1", "{\"e\":5}", &seq), 0);
    CHECK(seq > audit_seq[2]);
    CHECK_I64(put("order", "o3", "s1", "{\"n\":9}", 2, &rev), 0);
    CHECK_I64(rev, 3);
    CHECK_I64(rollback(), 0);
    snapshot(&after);
    CHECK_STR(after.data, before.data);
    text_free(&before);
    text_free(&after);
}

/* Enough changes in one transaction that every table and list grows while it is open. */
static void test_bulk_rollback(void)
{
    text before = TEXT_INIT, after = TEXT_INIT;
    char id[32], parent[8], key[32];
    int failures = 0;
    snapshot(&before);
    CHECK_I64(begin(1), 0);
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "bulk-%d", i);
        snprintf(parent, sizeof parent, "b%d", i % 3);
        failures += put("bulk", id, parent, "{\"bulk\":true}", 0, NULL) != 0;
        if (i % 2)
            failures += put("bulk", id, "b2", "{\"bulk\":2}", 1, NULL) != 0;
    }
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "bulk-%d", i);
        failures += claim(key, "bulk-owner", NULL, 0) != 0;
        failures += append(key, "{}", NULL) != 0;
    }
    failures += release("open-session:c1", "bob") != 0;
    CHECK_I64(failures, 0);
    CHECK_I64(rollback(), 0);
    snapshot(&after);
    CHECK_STR(after.data, before.data);
    text_free(&before);
    text_free(&after);
}

static void test_read_transaction(void)
{
    text t = TEXT_INIT;
    CHECK_I64(begin(0), 0);
    CHECK_STR(get_text(&t, "config", "c1"), "config/c1@ r3 {\"name\":\"Till 1c\"};");
    CHECK_I64(commit(), 0);
    CHECK_I64(begin(0), 0);
    CHECK_I64(rollback(), 0);
    text_free(&t);
}

static void test_context_accepts_store(void)
{
    pss_ctx *ctx = NULL;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    CHECK_OK(ctx, pss_ctx_set_storage(ctx, st));
    pss_ctx_free(ctx);
}

/* ---- the memstore's dump ----------------------------------------------------------------- */

static void test_dump_format(void)
{
    pss_storage *m = NULL;
    CHECK_I64(pss_memstore_new(&m), 0);
    const char *odd = "{\"a\":\"x\\ny\"}\n";
    pss_record b = {"order", "o-b", "s\t1", 0, odd, strlen(odd)};
    pss_record a = {"order", "o-a", "", 0, "{}", 2};
    uint64_t rev, seq;
    CHECK_I64(m->put(m->userdata, &b, 0, &rev), 0);
    CHECK_I64(m->put(m->userdata, &a, 0, &rev), 0);
    CHECK_I64(m->put(m->userdata, &a, 1, &rev), 0);
    CHECK_I64(m->claim(m->userdata, "key 2", "owner\\2", NULL, 0), 0);
    CHECK_I64(m->claim(m->userdata, "key 1", "owner 1", NULL, 0), 0);
    CHECK_I64(m->append(m->userdata, "s1", "{\"x\":1}", 7, &seq), 0);
    text t = TEXT_INIT;
    CHECK_I64(pss_memstore_dump(m, dump_to_text, &t), 0);
    CHECK_STR(t.data, "record\torder\to-a\t\t2\t{}\n"
                      "record\torder\to-b\ts\\t1\t1\t{\"a\":\"x\\\\ny\"}\\n\n"
                      "claim\tkey 1\towner 1\n"
                      "claim\tkey 2\towner\\\\2\n"
                      "audit\t1\ts1\t{\"x\":1}\n");
    pss_storage fake = PSS_STORAGE_INIT;
    CHECK_I64(pss_memstore_dump(&fake, dump_to_text, &t), PSS_EINVAL);
    CHECK_I64(pss_memstore_dump(NULL, dump_to_text, &t), PSS_EINVAL);
    CHECK_I64(pss_memstore_dump(m, NULL, &t), PSS_EINVAL);
    text_free(&t);
    pss_storage_free(m);
}

static int failing_writer(void *userdata, const char *data, size_t len)
{
    (void)userdata, (void)data, (void)len;
    return -1;
}

static void test_dump_writer_failure(void)
{
    CHECK_I64(pss_memstore_dump(st, failing_writer, NULL), PSS_EIO);
}

/* ---- main -------------------------------------------------------------------------------- */

static int open_store(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "memory") == 0) {
        is_memory = 1;
        return pss_memstore_new(&st);
    }
#ifdef HAVE_SQLITE
    if (argc >= 3 && strcmp(argv[1], "sqlite") == 0) {
        text side = TEXT_INIT;
        unlink(argv[2]);
        text_printf(&side, "%s-wal", argv[2]);
        unlink(side.data);
        text_reset(&side);
        text_printf(&side, "%s-shm", argv[2]);
        unlink(side.data);
        text_free(&side);
        return pss_sqlite_open(NULL, argv[2], NULL, &st);
    }
#endif
#ifdef HAVE_PG
    if (argc >= 3 && strcmp(argv[1], "pg") == 0) {
        char conninfo[1024];
        if (pgtest_fresh_db(argv[2], conninfo, sizeof conninfo) ||
            !(pg_raw = pgtest_connect(argv[2])))
            return PSS_ESTORAGE;
        return pss_pg_open(NULL, conninfo, NULL, &st);
    }
#endif
    fprintf(stderr, "usage: %s memory | sqlite PATH | pg DATABASE\n", argv[0]);
    return PSS_EINVAL;
}

int main(int argc, char **argv)
{
    int rc = open_store(argc, argv);
    if (rc) {
        printf("Bail out! cannot open the store: %s\n", pss_strerror(rc));
        return 1;
    }
    test_create_and_cas();
    test_same_id_other_kind();
    test_get_missing();
    test_get_callback_result();
    test_payload_bytes();
    test_scan_order();
    test_parent_change();
    test_scan_stop();
    test_scan_last();
    test_prefetch();
    test_check();
    test_nested_scan();
    test_bad_arguments();
    test_claims();
    test_audit();
    test_audit_stop();
    test_rollback();
    test_bulk_rollback();
    test_read_transaction();
    test_context_accepts_store();
    if (is_memory) {
        test_dump_format();
        test_dump_writer_failure();
    }
    pss_storage_free(st);
#ifdef HAVE_PG
    if (pg_raw)
        PQfinish(pg_raw);
#endif
    return check_done();
}
