/* robustness.c: the context's hooks (allocator, logger) are used and balanced, and the
 * library never trusts what storage returns: every kind of record, corrupted in many ways,
 * gives PSS_ECORRUPT (or PSS_EVERSION for a newer schema) and never a crash. */
#include "fixture.h"

#include "base/text.h"

typedef struct counting {
    long allocs, frees;
} counting;

static void *count_malloc(void *ud, size_t size)
{
    ((counting *)ud)->allocs++;
    return malloc(size);
}

static void *count_realloc(void *ud, void *p, size_t size)
{
    if (!p)
        ((counting *)ud)->allocs++;
    return realloc(p, size);
}

static void count_free(void *ud, void *p)
{
    if (p)
        ((counting *)ud)->frees++;
    free(p);
}

typedef struct logged {
    int errors, debug;
    char last[512];
} logged;

static void logger(void *ud, pss_log_level level, const char *msg)
{
    logged *l = ud;
    if (level == PSS_LOG_ERROR) {
        l->errors++;
        snprintf(l->last, sizeof l->last, "%s", msg);
    }
    if (level == PSS_LOG_DEBUG)
        l->debug++;
}

static void hooks(void)
{
    counting c = {0, 0};
    logged l = {0, 0, ""};
    pss_allocator a = {PSS_ALLOCATOR_VERSION, count_malloc, count_realloc, count_free, &c};
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    o.allocator = &a;
    o.clock = fix_clock_read;
    o.clock_userdata = &fix_time;
    o.log = logger;
    o.log_userdata = &l;
    o.log_level = PSS_LOG_DEBUG;
    pss_ctx *ctx = NULL;
    CHECK_RC(NULL, pss_ctx_new(&ctx, &o), 0);
    pss_storage *store;
    pss_memstore_new(&store);
    pss_ctx_set_storage(ctx, store);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 0);
    pss_line_input line = fix_line("x", 1000, 100, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", 100);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-000000000abc";
    in.lines = &line;
    in.n_lines = 1;
    in.payments = &pay;
    in.n_payments = 1;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    CHECK_RC(ctx, pss_session_start_closing(s, &FIX_BOB), PSS_EACCESS);
    CHECK(c.allocs > 50);
    CHECK(l.errors >= 1);
    CHECK(l.debug > 5); /* transactions begin and end */
    CHECK_CONTAINS(l.last, "not allowed for this user or role: session POS-0001/00001 is held by "
                           "alice");
    pss_session_free(s);
    pss_ctx_free(ctx);
    CHECK_I64(c.allocs, c.frees); /* everything the library took through the hooks came back */
    pss_storage_free(store);

    pss_allocator broken = {PSS_ALLOCATOR_VERSION, count_malloc, NULL, count_free, &c};
    o.allocator = &broken;
    CHECK_RC(NULL, pss_ctx_new(&ctx, &o), PSS_EINVAL);
    o.version = 99;
    CHECK_RC(NULL, pss_ctx_new(&ctx, &o), PSS_EVERSION);
    CHECK_RC(NULL, pss_ctx_new(NULL, NULL), PSS_EINVAL);
}

/* ---- corrupted records ---- */

#include <jansson.h>

static pss_storage *store;
static pss_ctx *ctx;
static pss_session *session;
static char order_id[PSS_ID_SIZE], movement_id[PSS_ID_SIZE], entry_id[PSS_ID_SIZE];
static char bucket_id[128];

/* Replaces a record's payload behind the library's back. */
static void overwrite(const char *kind, const char *id, const char *payload)
{
    if (fix_overwrite(store, kind, id, payload) != 0)
        printf("# could not overwrite %s %s\n", kind, id);
}

static int load_all(void)
{
    pss_session *s = NULL;
    pss_order *o = NULL;
    pss_entry *e = NULL;
    pss_cash_list *cl = NULL;
    pss_config *c = NULL;
    int rc = pss_session_load(ctx, pss_session_id(session), &s);
    if (!rc)
        rc = pss_session_verify(s);
    if (!rc)
        rc = pss_order_load(s, order_id, &o);
    if (!rc)
        rc = pss_cash_list_load(s, &cl);
    if (!rc)
        rc = pss_entry_load(ctx, entry_id, &e);
    if (!rc)
        rc = pss_config_load(ctx, FIX_CONFIG_ID, &c);
    pss_config_free(c);
    pss_cash_list_free(cl);
    pss_entry_free(e);
    pss_order_free(o);
    pss_session_free(s);
    return rc;
}

static json_t *wrong_type(json_t *v)
{
    if (json_is_string(v))
        return json_integer(7);
    if (json_is_integer(v))
        return json_string("seven");
    if (json_is_array(v) || json_is_object(v))
        return json_true();
    return json_array();
}

/* Every top-level field removed, then given a wrong type, then the payload cut short: each
 * load fails cleanly or (for a field that may be absent) succeeds. */
static void corrupt(const char *kind, const char *id)
{
    fix_record original;
    store->begin(store->userdata, 0);
    store->get(store->userdata, kind, id, fix_grab, &original);
    store->commit(store->userdata);
    json_t *doc = json_loads(original.payload, 0, NULL);
    int refused = 0, tried = 0, bad_code = 0;
    const char *key;
    json_t *value;
    void *tmp;
    json_object_foreach_safe(doc, tmp, key, value) {
        for (int how = 0; how < 2; how++) {
            json_t *copy = json_deep_copy(doc);
            if (how == 0)
                json_object_del(copy, key);
            else
                json_object_set_new(copy, key, wrong_type(value));
            char *text = json_dumps(copy, JSON_COMPACT);
            overwrite(kind, id, text);
            int rc = load_all();
            tried++;
            refused += rc == PSS_ECORRUPT || rc == PSS_EVERSION;
            if (rc && rc != PSS_ECORRUPT && rc != PSS_EVERSION) {
                bad_code++;
                printf("# %s field '%s' (%s): %d %s\n", kind, key, how ? "wrong type" : "removed",
                       rc, pss_ctx_errmsg(ctx));
            }
            free(text);
            json_decref(copy);
        }
    }
    const char *garbage[] = {"", "{", "[]", "null", "{\"v\":1}", "{\"v\":\"1\"}", "{\"v\":0}",
                             "\xff\xfe", "{\"v\":1,\"v\":1}"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        overwrite(kind, id, garbage[i]);
        int rc = load_all();
        tried++;
        refused += rc == PSS_ECORRUPT;
        bad_code += rc != PSS_ECORRUPT;
    }
    size_t len = strlen(original.payload);
    for (size_t cut = 1; cut < len; cut += len / 10 + 1) {
        char truncated[16384];
        snprintf(truncated, sizeof truncated, "%.*s", (int)cut, original.payload);
        overwrite(kind, id, truncated);
        int rc = load_all();
        tried++;
        refused += rc == PSS_ECORRUPT;
        bad_code += rc != PSS_ECORRUPT;
    }
    /* one past what this library reads: orders up to version 4, sessions 3 (2 while orders
     * wait to be folded, 3 while orders may be stored without the record), configs 2, the
     * rest 1 */
    int newest = strcmp(kind, "order") == 0     ? 4
                 : strcmp(kind, "session") == 0 ? 3
                 : strcmp(kind, "config") == 0  ? 2
                                                : 1;
    char message[96];
    snprintf(message, sizeof message, "has schema version %d; this library reads up to %d",
             newest + 1, newest);
    doc = json_incref(doc);
    json_object_set_new(doc, "v", json_integer(newest + 1));
    char *newer = json_dumps(doc, JSON_COMPACT);
    overwrite(kind, id, newer);
    CHECK_RC(ctx, load_all(), PSS_EVERSION);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), message);
    free(newer);
    json_decref(doc);
    json_decref(doc);
    overwrite(kind, id, original.payload);
    CHECK_OK(ctx, load_all());
    printf("# %s: %d corruptions tried, %d refused as corrupt, the rest harmless\n", kind, tried,
           refused);
    CHECK(refused > tried / 2);
    CHECK_I64(bad_code, 0);
}

static void corrupted_records(void)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, NULL);
    session = fix_open(ctx, 0);
    const char *vat[] = {"VAT10"};
    pss_line_input line = fix_line("bread", 2000, 325, vat, 1);
    pss_payment_input pay = fix_pay("Cash", 1000);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    snprintf(order_id, sizeof order_id, "00000000-0000-4000-8000-000000000bad");
    in.id = order_id;
    in.lines = &line;
    in.n_lines = 1;
    in.payments = &pay;
    in.n_payments = 1;
    CHECK_OK(ctx, pss_session_submit(session, &FIX_ALICE, &in, NULL));
    pss_cash_input move = PSS_CASH_INPUT_INIT;
    move.kind = PSS_CASH_OUT;
    move.amount = 100;
    move.reason = "safe";
    CHECK_OK(ctx, pss_cash_move(session, &FIX_ALICE, &move, movement_id));
    /* the entry of a closed session, then a second open session to load */
    CHECK_OK(ctx, pss_session_start_closing(session, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 550;
    CHECK_OK(ctx, pss_session_count(session, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(session, &FIX_ALICE, NULL));
    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(session, &e));
    snprintf(entry_id, sizeof entry_id, "%s", pss_entry_id(e));
    pss_entry_free(e);
    snprintf(bucket_id, sizeof bucket_id, "%s:1", pss_session_id(session));
    CHECK_OK(ctx, load_all());
    corrupt("session", pss_session_id(session));
    corrupt("order", order_id);
    corrupt("movement", movement_id);
    corrupt("entry", entry_id);
    corrupt("total", bucket_id);
    corrupt("config", FIX_CONFIG_ID);
    pss_session_free(session);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

/* NULL where a handle or an output goes: PSS_EINVAL (or a neutral value), never a crash. */
static void null_arguments(void)
{
    pss_storage *st;
    pss_memstore_new(&st);
    pss_ctx *c = fix_ctx(st);
    pss_session *s = NULL;
    pss_order *o = NULL;
    pss_config *cfg = NULL;
    pss_strlist *list = NULL;
    pss_report *r = NULL;
    pss_entry *e = NULL;
    pss_audit *a = NULL;
    int64_t v = 0;
    CHECK_RC(c, pss_session_create(NULL, FIX_CONFIG_ID, &FIX_ALICE, NULL, &s), PSS_EINVAL);
    CHECK_RC(c, pss_session_create(c, FIX_CONFIG_ID, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_create(c, NULL, &FIX_ALICE, NULL, &s), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(c), "config id is required");
    CHECK_RC(c, pss_session_create(c, FIX_CONFIG_ID, NULL, NULL, &s), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(c), "pss_actor is NULL");
    pss_actor nameless = {PSS_ACTOR_VERSION, NULL, PSS_ROLE_CASHIER, NULL};
    CHECK_RC(c, pss_session_create(c, FIX_CONFIG_ID, &nameless, NULL, &s), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(c), "actor user is required");
    CHECK_RC(c, pss_session_open(NULL, &FIX_ALICE, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_start_opening(NULL, &FIX_ALICE), PSS_EINVAL);
    CHECK_RC(c, pss_session_take_over(NULL, &FIX_ALICE), PSS_EINVAL);
    CHECK_RC(c, pss_session_heartbeat(NULL, &FIX_ALICE), PSS_EINVAL);
    CHECK_RC(c, pss_session_start_closing(NULL, &FIX_ALICE), PSS_EINVAL);
    CHECK_RC(c, pss_session_count(NULL, &FIX_ALICE, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_close(NULL, &FIX_ALICE, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_reopen(NULL, &FIX_MIA, "x"), PSS_EINVAL);
    CHECK_RC(c, pss_session_force_close(NULL, &FIX_ADA, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_verify(NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_refresh(NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_report(NULL, &r), PSS_EINVAL);
    CHECK_RC(c, pss_session_entry(NULL, &e), PSS_EINVAL);
    CHECK_RC(c, pss_session_drafts(NULL, &list), PSS_EINVAL);
    CHECK_RC(c, pss_session_submit(NULL, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_submit_batch(NULL, &FIX_ALICE, NULL, 0, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_session_balance(NULL, &v, &v), PSS_EINVAL);
    CHECK_RC(c, pss_session_expected_cash(NULL, &v), PSS_EINVAL);
    CHECK_RC(c, pss_session_opening(NULL, &v, &v), PSS_EINVAL);
    CHECK_RC(c, pss_session_blockers(NULL, NULL, NULL), PSS_EINVAL);
    CHECK(pss_session_id(NULL) == NULL && pss_session_name(NULL) == NULL);
    CHECK_RC(c, pss_order_create(NULL, &FIX_ALICE, NULL, &o), PSS_EINVAL);
    CHECK_RC(c, pss_order_add_line(NULL, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_order_add_payment(NULL, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_order_cancel(NULL, &FIX_ALICE, "x"), PSS_EINVAL);
    CHECK_RC(c, pss_order_get_totals(NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_order_load(NULL, FIX_CONFIG_ID, &o), PSS_EINVAL);
    CHECK(pss_order_line_count(NULL) == 0 && pss_order_id(NULL) == NULL);
    CHECK_RC(c, pss_cash_move(NULL, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_cash_void(NULL, &FIX_ALICE, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_config_new(c, NULL, &cfg), PSS_EINVAL);
    CHECK_RC(c, pss_config_add_method(NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_config_save(NULL, &FIX_MIA), PSS_EINVAL);
    CHECK_RC(c, pss_config_load(c, NULL, &cfg), PSS_EINVAL);
    CHECK_RC(c, pss_session_list(c, FIX_CONFIG_ID, PSS_SESSION_ANY_STATE, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_entry_load(c, NULL, &e), PSS_EINVAL);
    CHECK_RC(c, pss_audit_load(NULL, NULL, &a), PSS_EINVAL);
    CHECK_RC(c, pss_journal_write_ledger(NULL, fix_text_write, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_journal_write_csv_range(c, FIX_CONFIG_ID, NULL, NULL, NULL, NULL), PSS_EINVAL);
    CHECK_RC(c, pss_report_write_text(NULL, fix_text_write, NULL), PSS_EINVAL);
    CHECK(pss_report_get(NULL, PSS_FIG_ORDERS) == 0);
    CHECK_STR(pss_report_text_of(NULL, PSS_TEXT_STATE), "");
    CHECK(pss_strlist_count(NULL) == 0 && pss_strlist_get(NULL, 0) == NULL);
    CHECK_RC(c, pss_ctx_set_storage(NULL, st), PSS_EINVAL);
    CHECK_RC(c, pss_ctx_error_figure(NULL, "count", &v), PSS_EINVAL);
    /* the free functions take NULL */
    pss_session_free(NULL);
    pss_order_free(NULL);
    pss_config_free(NULL);
    pss_report_free(NULL);
    pss_entry_free(NULL);
    pss_audit_free(NULL);
    pss_strlist_free(NULL);
    pss_cash_list_free(NULL);
    pss_storage_free(NULL);
    pss_ctx_free(NULL);
    pss_ctx_free(c);
    pss_storage_free(st);
}

/* A detail longer than the buffer is cut at a character, never inside one: it goes into
 * audit entries as JSON text. */
static void long_details(void)
{
    pss_ctx *c = fix_ctx(NULL);
    char text[1600];
    for (size_t i = 0; i + 3 < sizeof text; i += 3)
        memcpy(text + i, "\xe2\x82\xac", 3); /* the euro sign */
    text[sizeof text - 1] = '\0';
    for (int shift = 0; shift < 3; shift++) {
        CHECK_I64(pss_ctx_fail(c, PSS_EINVAL, "%.*s%s", shift, "ab", text), PSS_EINVAL);
        CHECK(pss__utf8_valid(pss_ctx_errmsg(c), NULL));
        CHECK(strlen(pss_ctx_errmsg(c)) > 1000);
    }
    pss_ctx_free(c);
}

int main(void)
{
    long_details();
    null_arguments();
    hooks();
    corrupted_records();
    return check_done();
}
