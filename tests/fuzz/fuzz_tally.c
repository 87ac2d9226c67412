/* fuzz_tally.c: the refund tally record. Its reader is static in lib/order/order.c (on_tally), read
 * when a refund changes what it takes back: the input is laid into the world as the tally of
 * order P1 (3 pens and 2 atlases sold in S2, 1.5 pens refunded), then a refund of P1 is
 * created and cancelled through the public API. A refusal must name a quantity still
 * available within 0..PSS_QUANTITY_MAX, and every tally the library writes back must hold
 * quantities within 0..PSS_QUANTITY_MAX. */
#include "fuzz.h"

#include <jansson.h>
#include <string.h>

#include "scenario.h"

static int check_written(const pss_record *rec, void *arg)
{
    (void)arg;
    if (rec->rev < 2)
        return 0; /* the input itself: the library wrote nothing */
    json_t *doc = json_loadb(rec->payload, rec->payload_len, 0, NULL);
    json_t *arr = json_object_get(doc, "refunded"), *v;
    size_t i;
    json_array_foreach(arr, i, v) {
        fz_range("refund tally the library wrote", json_integer_value(v), 0, PSS_QUANTITY_MAX);
    }
    json_decref(doc);
    return 0;
}

static void check_refusal(pss_ctx *ctx, int rc)
{
    int64_t available = 0;
    if (rc == PSS_EREFUND && pss_ctx_error_figure(ctx, "available", &available) == 0)
        fz_range("refund tally: quantity still available", available, 0, PSS_QUANTITY_MAX);
}

static pss_order *refund(pss_ctx *ctx, pss_session *s, int64_t line, int64_t qty)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = line;
    l.quantity = qty;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.refund_of = SC_P1;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    int rc = pss_order_create(s, &sc_alice, &in, &o);
    FZ_RC_IN("pss_order_create (refund)", rc, 0, PSS_EREFUND, PSS_ECORRUPT, PSS_EVERSION,
             PSS_EOVERFLOW);
    check_refusal(ctx, rc);
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("tally", data, size);
    fz_skip skip = {"refund_tally", SC_P1};
    pss_storage *store = fz_world(fz_keep_but, &skip);
    fz_put(store, "refund_tally", SC_P1, SC_P1, payload, size);
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL;
    if (pss_session_load(ctx, SC_S2, &s) != 0)
        fz_finding("the world's session S2 does not load: %s", pss_ctx_errmsg(ctx));
    for (int64_t line = 0; s && line < 2; line++) {
        pss_order *o = refund(ctx, s, line, line ? -500 : -1000);
        if (o)
            fz_known_rc("pss_order_cancel (refund)", pss_order_cancel(o, &sc_alice, "fuzz"));
        pss_order_free(o);
        pss_storage *st = store;
        st->begin(st->userdata, 0);
        st->get(st->userdata, "refund_tally", SC_P1, check_written, NULL);
        st->commit(st->userdata);
    }
    if (s)
        FZ_RC_IN("pss_session_verify", pss_session_verify(s), 0, PSS_EMISMATCH);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    fz_end(payload);
    return 0;
}
