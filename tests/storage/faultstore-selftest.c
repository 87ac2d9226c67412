/* faultstore-selftest.c: the fault-injecting wrapper counts every call, fails exactly the armed
 * one without reaching the inner store, always lets rollback through, names the failed call,
 * and leaves the inner store alone when freed. */
#include "possession.h"

#include "check.h"
#include "faultstore.h"

static pss_storage *inner, *fs;

static int found(const pss_record *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

static int put(pss_storage *s, const char *id, uint64_t expected)
{
    pss_record r = {"order", id, "s1", 0, "{}", 2};
    uint64_t rev;
    return s->put(s->userdata, &r, expected, &rev);
}

static int exists(const char *id)
{
    return inner->get(inner->userdata, "order", id, found, NULL) == 0;
}

static void test_counting(void)
{
    CHECK_I64(faultstore_calls(fs), 0);
    CHECK(faultstore_inner(fs) == inner);
    CHECK_I64(fs->begin(fs->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(fs, "o1", 0), 0);
    CHECK_I64(fs->commit(fs->userdata), 0);
    fs->errmsg(fs->userdata); /* not counted */
    CHECK_I64(faultstore_calls(fs), 3);
    CHECK_I64(faultstore_fired(fs), 0);
    CHECK(exists("o1"));
}

static void test_fails_nth_call_without_inner(void)
{
    faultstore_arm(fs, 2);
    CHECK_I64(fs->begin(fs->userdata, PSS_TXN_WRITE), 0); /* call 4 */
    CHECK_I64(faultstore_fired(fs), 0);
    CHECK_I64(put(fs, "o2", 0), PSS_ESTORAGE);            /* call 5 */
    CHECK_I64(faultstore_fired(fs), 1);
    CHECK_STR(fs->errmsg(fs->userdata), "injected failure at call 5 (put)");
    CHECK(!exists("o2"));
    CHECK_I64(put(fs, "o2", 0), 0); /* fires once */
    CHECK_I64(fs->rollback(fs->userdata), 0);
    CHECK(!exists("o2"));
    CHECK_I64(faultstore_calls(fs), 7);
}

static void test_inner_failure_message(void)
{
    CHECK_I64(put(fs, "o1", 0), PSS_ECONFLICT);
    const char *msg = fs->errmsg(fs->userdata);
    CHECK(msg != NULL && strstr(msg, "injected") == NULL);
}

static void test_rollback_always_reaches_inner(void)
{
    CHECK_I64(fs->begin(fs->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(fs, "o3", 0), 0);
    faultstore_arm(fs, 1);
    CHECK_I64(fs->rollback(fs->userdata), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(fs->userdata), "(rollback)");
    CHECK(!exists("o3"));
    /* the inner transaction is over: the inner store takes a new one */
    CHECK_I64(inner->begin(inner->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(inner->commit(inner->userdata), 0);
}

static void test_failed_commit_keeps_transaction(void)
{
    CHECK_I64(fs->begin(fs->userdata, PSS_TXN_WRITE), 0);
    CHECK_I64(put(fs, "o4", 0), 0);
    faultstore_arm(fs, 1);
    CHECK_I64(fs->commit(fs->userdata), PSS_ESTORAGE);
    CHECK_I64(fs->rollback(fs->userdata), 0); /* what the library does after a failed commit */
    CHECK(!exists("o4"));
}

static void test_failed_begin(void)
{
    faultstore_arm(fs, 1);
    CHECK_I64(fs->begin(fs->userdata, PSS_TXN_WRITE), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(fs->userdata), "(begin)");
    CHECK_I64(inner->begin(inner->userdata, 0), 0); /* the inner store was never entered */
    CHECK_I64(inner->commit(inner->userdata), 0);
}

static int audit_item(const pss_audit_item *item, void *arg)
{
    (void)item, (void)arg;
    return 0;
}

/* Each callback, armed as the next call, fails with a message naming it. */
static void test_every_callback_named(void)
{
    char holder[32];
    uint64_t seq;
    pss_record r = {"order", "o9", "", 0, "{}", 2};
    void *u = fs->userdata;
    faultstore_arm(fs, 1);
    CHECK_I64(fs->get(u, "order", "o1", found, NULL), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(get)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->put(u, &r, 0, &seq), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(put)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->scan(u, "order", "s1", found, NULL), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(scan)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->claim(u, "k", "a", holder, sizeof holder), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(claim)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->release(u, "k", "a"), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(release)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->lookup(u, "k", holder, sizeof holder), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(lookup)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->append(u, "s1", "{}", 2, &seq), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(append)");
    faultstore_arm(fs, 1);
    CHECK_I64(fs->audit_scan(u, NULL, 0, audit_item, NULL), PSS_ESTORAGE);
    CHECK_CONTAINS(fs->errmsg(u), "(audit_scan)");
    faultstore_arm(fs, 1);
    faultstore_arm(fs, 0); /* disarmed */
    CHECK_I64(fs->lookup(u, "k", holder, sizeof holder), PSS_ENOTFOUND);
    CHECK_I64(faultstore_fired(fs), 0);
}

static void test_with_context(void)
{
    pss_ctx *ctx = NULL;
    CHECK_I64(pss_ctx_new(&ctx, NULL), 0);
    CHECK_OK(ctx, pss_ctx_set_storage(ctx, fs));
    pss_ctx_free(ctx);
    pss_storage *none = fs;
    CHECK_I64(faultstore_new(NULL, &none), PSS_EINVAL);
    CHECK(none == NULL);
}

static int ignore_text(void *userdata, const char *data, size_t len)
{
    (void)userdata, (void)data, (void)len;
    return 0;
}

int main(void)
{
    CHECK_I64(pss_memstore_new(&inner), 0);
    CHECK_I64(faultstore_new(inner, &fs), 0);
    test_counting();
    test_fails_nth_call_without_inner();
    test_inner_failure_message();
    test_rollback_always_reaches_inner();
    test_failed_commit_keeps_transaction();
    test_failed_begin();
    test_every_callback_named();
    CHECK_I64(pss_memstore_dump(fs, ignore_text, NULL), PSS_EINVAL); /* not a memstore */
    test_with_context();
    pss_storage_free(fs); /* frees the wrapper only */
    CHECK(exists("o1"));
    CHECK_I64(pss_memstore_dump(inner, ignore_text, NULL), 0);
    pss_storage_free(inner);
    return check_done();
}
