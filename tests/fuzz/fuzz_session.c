/* fuzz_session.c: the session record. The input is decoded by pss__core_decode (bounds, then
 * encode, decode, encode again must give the same text), then laid into the world as a
 * session and read back through pss_session_load: its getters, report, verify, and a close
 * (count, close, else force close) with its entry. */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "scenario.h"
#include "session/session_internal.h"
#include "store/records.h"

static const int LOAD_CODES[] = {0, PSS_ECORRUPT, PSS_EVERSION, PSS_ENOTFOUND};

static void check_count(const pss_session_core *c)
{
    if (c->counted_cash != PSS_UNSET)
        fz_amount("session count.cash", c->counted_cash);
    for (size_t i = 0; i < c->n_denoms; i++) {
        fz_range("session count denomination value", c->denoms[i].value, 1, PSS_AMOUNT_MAX);
        fz_range("session count denomination count", c->denoms[i].count, 0, PSS_AMOUNT_MAX);
        int64_t product;
        FZ_CHECK(!__builtin_mul_overflow(c->denoms[i].value, c->denoms[i].count, &product) &&
                     product <= PSS_AMOUNT_MAX,
                 "decoded session count denomination %lld x %lld is beyond PSS_AMOUNT_MAX",
                 (long long)c->denoms[i].value, (long long)c->denoms[i].count);
    }
    for (size_t i = 0; i < c->n_method_counts; i++)
        fz_amount("session count method amount", c->method_counts[i].amount);
}

static void check_core(const pss_session_core *c)
{
    fz_range("session state", c->state, PSS_SESSION_NEW, PSS_SESSION_CLOSED);
    fz_amount("session opening_expected", c->opening_expected);
    if (c->opening_counted != PSS_UNSET)
        fz_amount("session opening_counted", c->opening_counted);
    const int64_t *t = (const int64_t *)&c->totals;
    for (size_t i = 0; i < PSS_SCALAR_COUNT; i++) {
        char what[64];
        snprintf(what, sizeof what, "session totals.%s", pss__scalar_names[i]);
        fz_volume(what, t[i]);
    }
    fz_range("session totals.orders", c->totals.orders, 0, PSS_SESSION_VOLUME_MAX);
    fz_range("session totals.refunds", c->totals.refunds, 0, PSS_SESSION_VOLUME_MAX);
    fz_range("session totals.cancelled", c->totals.cancelled, 0, PSS_SESSION_VOLUME_MAX);
    check_count(c);
}

static int decode(pss_ctx *ctx, const char *payload, size_t len, const char *id,
                  pss_session_core *c)
{
    pss_record rec = {.kind = PSS__KIND_SESSION, .id = id, .parent = "", .rev = 1,
                      .payload = payload, .payload_len = len};
    return pss__core_decode(ctx, &rec, c);
}

static void roundtrip(pss_ctx *ctx, const pss_session_core *c)
{
    pss__strbuf a, b;
    pss__strbuf_init(&a, NULL);
    pss__strbuf_init(&b, NULL);
    pss_session_core again;
    FZ_CHECK(pss__core_encode(ctx, c, &a) == 0, "pss__core_encode failed");
    int rc = decode(ctx, pss__strbuf_str(&a), a.len, c->id, &again);
    FZ_CHECK(rc == 0, "an encoded session does not decode: %s (%s)", pss_ctx_errmsg(ctx),
             pss__strbuf_str(&a));
    if (!rc) {
        FZ_CHECK(pss__core_encode(ctx, &again, &b) == 0, "pss__core_encode failed");
        FZ_CHECK(strcmp(pss__strbuf_str(&a), pss__strbuf_str(&b)) == 0,
                 "session encode/decode is not stable:\n%s\n%s", pss__strbuf_str(&a),
                 pss__strbuf_str(&b));
        pss__core_free(ctx, &again);
    }
    pss__strbuf_free(&a);
    pss__strbuf_free(&b);
}

static int direct(const char *payload, size_t len, const char *id)
{
    pss_ctx *ctx = fz_ctx(NULL);
    pss_session_core c;
    int rc = decode(ctx, payload, len, id, &c);
    FZ_RC_IN("pss__core_decode", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (!rc) {
        check_core(&c);
        roundtrip(ctx, &c);
        pss__core_free(ctx, &c);
    }
    pss_ctx_free(ctx);
    return rc;
}

/* An order numbered from next_order, its totals in new buckets from next_bucket. */
static void sell(pss_session *s)
{
    static const char *const taxes[] = {"VAT20"};
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.product_id = "fuzz";
    l.unit_price = 1999;
    l.taxes = taxes;
    l.n_taxes = 1;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    fz_known_rc("pss_order_create", pss_order_create(s, &sc_alice, &in, &o));
    if (o) {
        pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
        p.method = "Cash";
        p.amount = 5000;
        fz_known_rc("pss_order_add_payment", pss_order_add_payment(o, &sc_alice, &p, NULL));
    }
    pss_order_free(o);
}

static void through_store(const char *payload, size_t len, const char *id, int direct_rc)
{
    char config[PSS_ID_SIZE];
    fz_peek_id(payload, len, "config", SC_CFG_MAIN, config);
    fz_skip skip = {"session", id};
    pss_storage *store = fz_world(fz_keep_but, &skip);
    fz_put(store, "session", id, config, payload, len);
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL;
    int rc = pss_session_load(ctx, id, &s);
    fz_rc_in("pss_session_load", rc, 4, LOAD_CODES);
    FZ_CHECK(direct_rc == 0 ? rc == 0 || rc == PSS_ENOTFOUND : rc == direct_rc,
             "pss_session_load gives %d where the decoder gives %d", rc, direct_rc);
    if (s) {
        fz_check_session(s);
        fz_known_rc("pss_session_heartbeat", pss_session_heartbeat(s, &sc_alice));
        sell(s);
        pss_session_free(s);
        fz_close_session(ctx, id);
    }
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("session", data, size);
    char id[PSS_ID_SIZE];
    fz_peek_id(payload, size, "id", SC_S2, id);
    int rc = direct(payload, size, id);
    through_store(payload, size, id, rc);
    fz_end(payload);
    return 0;
}
