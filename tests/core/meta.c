/* meta.c: host metadata on configs, sessions, orders and cash movements (possession/meta.h):
 * validated, stored beside its owner, returned byte for byte, settable again while its
 * session is open, audited, never part of an order's content; bad metadata changes nothing. */
#include "fixture.h"

static pss_storage *store;
static pss_ctx *ctx;

#define SESSION_ID "5e5510e0-0000-4000-8000-000000000001"
#define ORDER_ID "0000000e-0000-4000-8000-000000000001"
#define DRAFT_ID "0000000e-0000-4000-8000-000000000002"
#define MOVE_ID "0000000e-0000-4000-8000-000000000003"

/* Spaces, a decimal, an escape and a non-ASCII key: kept exactly as given. */
static const char *const BATCH = "{ \"batch\": \"B-17\", \"n\": 1.50, \"q\": \"\\\"x\\\"\", "
                                 "\"\xc3\xa9t\xc3\xa9\": [1, 2] }";

static char *meta_of(pss_meta_owner owner, const char *id)
{
    char *m = (char *)"(failed)";
    CHECK_OK(ctx, pss_meta_get(ctx, owner, id, &m));
    return m;
}

static void check_meta(pss_meta_owner owner, const char *id, const char *want)
{
    char *m = meta_of(owner, id);
    CHECK_STR(m, want);
    if (m && strcmp(m, "(failed)") != 0)
        pss_free(ctx, m);
}

static pss_session *open_with_meta(void)
{
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = SESSION_ID;
    si.operating_date = "2026-11-21";
    si.meta = "{\"shift\":\"morning\"}";
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 0;
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    return s;
}

static void given_at_creation(pss_session *s)
{
    pss_line_input l = fix_line("tea", 1000, 400, NULL, 0);
    pss_payment_input p = fix_pay("Cash", 400);
    pss_order_input in = fix_order(ORDER_ID, &l, &p);
    in.meta = BATCH;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL));
    pss_order_input draft = fix_order(DRAFT_ID, &l, NULL);
    draft.meta = "{}";
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &draft, &o));
    pss_order_free(o);
    pss_cash_input cash = PSS_CASH_INPUT_INIT;
    cash.id = MOVE_ID;
    cash.amount = 1000;
    cash.reason = "float";
    cash.meta = "{\"bag\":42}";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &cash, NULL));
    check_meta(PSS_META_SESSION, SESSION_ID, "{\"shift\":\"morning\"}");
    check_meta(PSS_META_ORDER, ORDER_ID, BATCH);
    check_meta(PSS_META_ORDER, DRAFT_ID, "{}");
    check_meta(PSS_META_MOVEMENT, MOVE_ID, "{\"bag\":42}");
    check_meta(PSS_META_CONFIG, FIX_CONFIG_ID, "{\"erp\":\"pos.config/7\"}");
    /* an owner without metadata, and one that does not exist, have none */
    check_meta(PSS_META_SESSION, "5e5510e0-0000-4000-8000-000000000099", NULL);
    /* the session's own record does not carry it */
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "session", SESSION_ID, fix_grab, &r);
    store->commit(store->userdata);
    CHECK(strstr(r.payload, "morning") == NULL);
    /* version 3: a trading session's record may count fewer orders than the store holds */
    CHECK(strncmp(r.payload, "{\"v\":3,", 7) == 0);
}

/* Metadata is not content: the same order again with other metadata is a duplicate, and
 * the metadata stays as it was. */
static void not_content(void)
{
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, SESSION_ID, &s));
    pss_line_input l = fix_line("tea", 1000, 400, NULL, 0);
    pss_payment_input p = fix_pay("Cash", 400);
    pss_order_input in = fix_order(ORDER_ID, &l, &p);
    in.meta = "{\"batch\":\"B-18\"}";
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &res));
    CHECK_I64(res.duplicate, 1);
    check_meta(PSS_META_ORDER, ORDER_ID, BATCH);
    pss_session_free(s);
}

static void set_again(void)
{
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_BOB, PSS_META_ORDER, ORDER_ID, "{\"batch\":\"B-19\"}"));
    check_meta(PSS_META_ORDER, ORDER_ID, "{\"batch\":\"B-19\"}");
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ALICE, PSS_META_MOVEMENT, MOVE_ID, NULL));
    check_meta(PSS_META_MOVEMENT, MOVE_ID, NULL);
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ALICE, PSS_META_SESSION, SESSION_ID,
                               "{\"shift\":\"late\"}"));
    check_meta(PSS_META_SESSION, SESSION_ID, "{\"shift\":\"late\"}");
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_MIA, PSS_META_CONFIG, FIX_CONFIG_ID, "{\"erp\":8}"));
    check_meta(PSS_META_CONFIG, FIX_CONFIG_ID, "{\"erp\":8}");
    /* audited under the session, with what was set */
    char *dump = fix_dump(store);
    CHECK_CONTAINS(dump, "\"user\":\"bob\",\"role\":\"cashier\",\"device\":\"till-2\","
                         "\"action\":\"meta.set\",\"session\":\"" SESSION_ID "\"");
    CHECK_CONTAINS(dump, "\"extra\":{\"owner\":\"order\",\"id\":\"" ORDER_ID "\"}}");
    CHECK_CONTAINS(dump, "\"action\":\"meta.set\",\"session\":\"\",\"config\":\"" FIX_CONFIG_ID);
    free(dump);
}

static void refused(const pss_actor *who, pss_meta_owner owner, const char *id,
                    const char *meta, int code, const char *message)
{
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_meta_set(ctx, who, owner, id, meta), code);
    CHECK_STR(pss_ctx_errmsg(ctx), message);
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
}

static void bad_metadata(void)
{
    char big[PSS_META_MAX + 2];
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[PSS_META_MAX] = '}';
    big[PSS_META_MAX + 1] = '\0';
    refused(&FIX_ALICE, PSS_META_ORDER, ORDER_ID, big, PSS_EINVAL,
            "order meta is 4097 bytes; at most 4096");
    big[PSS_META_MAX - 1] = '}';
    big[PSS_META_MAX] = '\0';
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ALICE, PSS_META_ORDER, ORDER_ID, big));
    refused(&FIX_ALICE, PSS_META_ORDER, ORDER_ID, "[1, 2]", PSS_EINVAL,
            "order meta is not a JSON object");
    refused(&FIX_ALICE, PSS_META_ORDER, ORDER_ID, "\"batch\"", PSS_EINVAL,
            "order meta is not a JSON object");
    refused(&FIX_ALICE, PSS_META_SESSION, SESSION_ID, "{\"a\":1", PSS_EINVAL,
            "session meta is not valid JSON: '}' expected near end of file (at byte 6)");
    refused(&FIX_ALICE, PSS_META_SESSION, SESSION_ID, "{\"a\":1,\"a\":2}", PSS_EINVAL,
            "session meta is not valid JSON: duplicate object key near '\"a\"' (at byte 10)");
    refused(&FIX_ALICE, PSS_META_SESSION, SESSION_ID, "{\"a\":\"\xff\"}", PSS_EINVAL,
            "session meta is not valid JSON: unable to decode byte 0xff near '\"' (at byte 6)");
    refused(&FIX_ALICE, (pss_meta_owner)9, SESSION_ID, "{}", PSS_EINVAL,
            "metadata owner 9 is not a config, session, order or movement");
    refused(&FIX_ALICE, PSS_META_ORDER, "not-an-id", "{}", PSS_EINVAL,
            "order id 'not-an-id' is not a UUID");
    refused(&FIX_ALICE, PSS_META_ORDER, "0000000e-0000-4000-8000-000000000077", "{}",
            PSS_ENOTFOUND, "order 0000000e-0000-4000-8000-000000000077 is not in the store");
    refused(&FIX_ALICE, PSS_META_CONFIG, FIX_CONFIG_ID, "{}", PSS_EACCESS,
            "alice (cashier) may not set metadata: it takes a manager");
    pss_actor nobody = {PSS_ACTOR_VERSION, "eve", PSS_ROLE_NONE, "kiosk"};
    refused(&nobody, PSS_META_ORDER, ORDER_ID, "{}", PSS_EACCESS,
            "eve (none) may not set metadata: it takes a cashier");
    pss_session *s = NULL;
    CHECK_OK(ctx, pss_session_load(ctx, SESSION_ID, &s));
    pss_line_input l = fix_line("tea", 1000, 400, NULL, 0);
    pss_order_input in = fix_order("0000000e-0000-4000-8000-000000000005", &l, NULL);
    in.meta = "[]";
    char *before = fix_dump(store);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &in, NULL), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "order meta is not a JSON object");
    pss_cash_input cash = PSS_CASH_INPUT_INIT;
    cash.amount = 100;
    cash.reason = "float";
    cash.meta = "{";
    CHECK_RC(ctx, pss_cash_move(s, &FIX_ALICE, &cash, NULL), PSS_EINVAL);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "movement meta is not valid JSON");
    char *after = fix_dump(store);
    CHECK_SAME_TEXT(after, before);
    free(after);
    free(before);
    pss_session_free(s);
}

/* Once the session closed its metadata, and its orders' and movements', no longer change;
 * the config's still does. */
static void closed(pss_session *s)
{
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_load(s, DRAFT_ID, &o));
    CHECK_OK(ctx, pss_order_cancel(o, &FIX_ALICE, "left"));
    pss_order_free(o);
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 1400;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    refused(&FIX_MIA, PSS_META_ORDER, ORDER_ID, "{}", PSS_ECLOSED,
            "session POS-0001/00001 is closed: the metadata of order " ORDER_ID
            " no longer changes");
    refused(&FIX_MIA, PSS_META_SESSION, SESSION_ID, "{}", PSS_ECLOSED,
            "session POS-0001/00001 is closed: the metadata of session " SESSION_ID
            " no longer changes");
    refused(&FIX_MIA, PSS_META_MOVEMENT, MOVE_ID, "{}", PSS_ECLOSED,
            "session POS-0001/00001 is closed: the metadata of movement " MOVE_ID
            " no longer changes");
    CHECK_OK(ctx, pss_meta_set(ctx, &FIX_ADA, PSS_META_CONFIG, FIX_CONFIG_ID, "{\"erp\":9}"));
}

int main(void)
{
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_config_opts fo = FIX_CONFIG_OPTS_INIT;
    fo.meta = "{\"erp\":\"pos.config/7\"}"; /* written with the config's first save */
    fix_save_config(ctx, &fo);
    pss_session *s = open_with_meta();
    given_at_creation(s);
    not_content();
    set_again();
    bad_metadata();
    closed(s);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
