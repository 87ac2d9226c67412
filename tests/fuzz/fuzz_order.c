/* fuzz_order.c: the order record (versions 1 to 4). The input is decoded by
 * pss__order_decode (bounds, then encode, decode, encode again must give the same text), then
 * laid into the world as an order and read back through the public API: pss_order_load and every getter, the changes
 * that write it again (invoiced flag, a payment, a cancel), a refund of it, and the verify and
 * close of its session. */
#include "fuzz.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "order/order_record4.h"
#include "scenario.h"

static const int LOAD_CODES[] = {0, PSS_ECORRUPT, PSS_EVERSION, PSS_ENOTFOUND};

static void check_line(const pss_line *l)
{
    fz_quantity("order line qty", l->qty);
    fz_amount("order line price", l->price);
    fz_range("order line discount_ppm", l->discount_ppm, 0, 1000000);
    fz_amount("order line amount", l->amount);
    fz_amount("order line untaxed", l->untaxed);
    fz_amount("order line tax", l->tax);
    fz_amount("order line total", l->total);
    fz_range("order line refund_line", l->refund_line, -1, 9999);
    FZ_CHECK(l->n_taxes <= 8, "order line has %zu taxes", l->n_taxes);
    for (size_t k = 0; k < l->n_taxes; k++) {
        fz_range("order line tax rate_ppm", l->taxes[k].rate_ppm, 0, 10000000);
        fz_amount("order line tax amount", l->taxes[k].amount);
    }
}

static void check_group(const pss_group *g)
{
    fz_amount("order group amount", g->amount);
    fz_amount("order group untaxed", g->untaxed);
    fz_amount("order group tax", g->tax);
    for (size_t k = 0; k < g->n_taxes; k++) {
        fz_range("order group tax rate_ppm", g->taxes[k].rate_ppm, 0, 10000000);
        fz_amount("order group tax base", g->taxes[k].base);
        fz_amount("order group tax amount", g->taxes[k].amount);
    }
}

static void check_data(const pss_order_data *d)
{
    for (size_t i = 0; i < d->n_lines; i++)
        check_line(&d->lines[i]);
    for (size_t i = 0; i < d->n_payments; i++) {
        fz_amount("order payment amount", d->payments[i].amount);
        fz_amount("order payment change", d->payments[i].change);
        fz_range("order payment state", d->payments[i].state, PSS_PAYMENT_PENDING,
                 PSS_PAYMENT_VOIDED);
    }
    for (size_t i = 0; i < d->n_groups; i++)
        check_group(&d->groups[i]);
    fz_range("order state", d->state, PSS_ORDER_DRAFT, PSS_ORDER_CANCELLED);
    fz_amount("order untaxed", d->untaxed);
    fz_amount("order tax", d->tax);
    fz_amount("order total", d->total);
    fz_amount("order rounding", d->rounding);
}

/* encode(d) decodes, and encoding that gives the same text again. */
static void roundtrip(pss_ctx *ctx, const pss_order_data *d)
{
    pss__strbuf a, b;
    pss__strbuf_init(&a, NULL);
    pss__strbuf_init(&b, NULL);
    pss_order_data *again = NULL;
    FZ_CHECK(pss__order_encode(ctx, d, &a) == 0, "pss__order_encode failed");
    pss_record rec = {"order", d->id, d->session_id, 1, pss__strbuf_str(&a), a.len};
    int rc = pss__order_decode(ctx, &rec, &again);
    FZ_CHECK(rc == 0, "an encoded order does not decode: %s (%s)", pss_ctx_errmsg(ctx),
             pss__strbuf_str(&a));
    if (!rc) {
        FZ_CHECK(pss__order_encode(ctx, again, &b) == 0, "pss__order_encode failed");
        FZ_CHECK(strcmp(pss__strbuf_str(&a), pss__strbuf_str(&b)) == 0,
                 "order encode/decode is not stable:\n%s\n%s", pss__strbuf_str(&a),
                 pss__strbuf_str(&b));
    }
    pss__order_data_free(ctx, again);
    pss__strbuf_free(&a);
    pss__strbuf_free(&b);
}

static json_int_t version_of(const char *payload, size_t len)
{
    json_t *doc = json_loadb(payload, len, 0, NULL);
    json_int_t v = json_integer_value(json_object_get(doc, "v"));
    json_decref(doc);
    return v;
}

static int direct(const char *payload, size_t len, const char *id, const char *parent)
{
    pss_ctx *ctx = fz_ctx(NULL);
    pss_record rec = {"order", id, parent, 1, payload, len};
    pss_order_data *d = NULL;
    int rc = pss__order_decode(ctx, &rec, &d);
    FZ_RC_IN("pss__order_decode", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (!rc) {
        check_data(d);
        /* what version 4 leaves out comes back exactly: it is written as version 4 again */
        FZ_CHECK(version_of(payload, len) < 4 || pss__order_v4_fits(d),
                 "a version 4 order is not written as version 4 again");
        roundtrip(ctx, d);
    }
    pss__order_data_free(ctx, d);
    pss_ctx_free(ctx);
    return rc;
}

static void check_getters(pss_order *o)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    int rc = pss_order_get_totals(o, &t);
    FZ_RC_IN("pss_order_get_totals", rc, 0, PSS_EOVERFLOW);
    for (size_t i = 0; i < pss_order_line_count(o); i++) {
        pss_line_info l = PSS_LINE_INFO_INIT;
        FZ_CHECK(pss_order_get_line(o, i, &l) == 0 && l.product_id, "order line %zu", i);
        for (size_t k = 0; k < l.n_taxes; k++)
            FZ_CHECK(pss_order_line_tax(o, i, k) != NULL, "order line %zu tax %zu", i, k);
    }
    for (size_t i = 0; i < pss_order_tax_count(o); i++) {
        pss_tax_info t2 = PSS_TAX_INFO_INIT;
        FZ_CHECK(pss_order_get_tax(o, i, &t2) == 0 && t2.code, "order tax %zu", i);
    }
    for (size_t i = 0; i < pss_order_payment_count(o); i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        FZ_CHECK(pss_order_get_payment(o, i, &p) == 0 && p.method, "order payment %zu", i);
    }
}

/* Changes that write the order again: its figures go through the running totals. */
static void change(pss_order *o)
{
    fz_known_rc("pss_order_set_invoiced",
                pss_order_set_invoiced(o, &sc_mia, !pss_order_is_invoiced(o)));
    pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
    p.method = "Cash";
    p.amount = 100;
    fz_known_rc("pss_order_add_payment", pss_order_add_payment(o, &sc_alice, &p, NULL));
    fz_known_rc("pss_order_validate", pss_order_validate(o, &sc_alice));
    if (pss_order_payment_count(o) > 0)
        fz_known_rc("pss_order_void_payment",
                    pss_order_void_payment(o, &sc_mia, 0, "fuzz"));
    fz_known_rc("pss_order_cancel", pss_order_cancel(o, &sc_mia, "fuzz"));
}

static void refund(pss_session *s, const char *id)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = 0;
    l.quantity = -1000;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.refund_of = id;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *r = NULL;
    fz_known_rc("pss_order_create (refund)", pss_order_create(s, &sc_alice, &in, &r));
    pss_order_free(r);
}

static void through_store(const char *payload, size_t len, const char *id, const char *parent,
                          int direct_rc)
{
    fz_skip skip = {"order", id};
    pss_storage *store = fz_world(fz_keep_but, &skip);
    fz_put(store, "order", id, parent, payload, len);
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL, *owner = NULL;
    /* the order may take the place of one its session's record does not count yet (a
     * submit leaves a trading session's record as it is), or be put under S2: its load
     * counts those orders, and a stored order that reads but does not fit there, is newer
     * than this library, or is missing because the input moved it elsewhere, is damage it
     * rightly refuses */
    int load_rc = pss_session_load(ctx, SC_S2, &s);
    bool touches_s2 = strcmp(parent, SC_S2) == 0 || fz_world_has("order", id);
    bool refused = load_rc == PSS_ECORRUPT || load_rc == PSS_EVERSION;
    if (load_rc && (!refused || !touches_s2))
        fz_finding("the world's session S2 does not load: %s", pss_ctx_errmsg(ctx));
    pss_order *o = NULL;
    /* a session that does not load gives its order nothing to load it through: the answer
     * is the session's refusal, which a damaged order must have caused */
    int rc = s ? pss_order_load(s, id, &o) : load_rc;
    fz_rc_in("pss_order_load", rc, 4, LOAD_CODES);
    FZ_CHECK(direct_rc == 0 ? rc == 0 || rc == PSS_ENOTFOUND || (!s && refused)
                            : rc == direct_rc || (!s && refused),
             "pss_order_load gives %d where the decoder gives %d", rc, direct_rc);
    if (o) {
        check_getters(o);
        char sid[PSS_ID_SIZE];
        snprintf(sid, sizeof sid, "%s", pss_order_session_id(o));
        change(o);
        pss_order_free(o);
        refund(s, id);
        if (pss_session_load(ctx, sid, &owner) == 0)
            fz_check_session(owner);
        pss_session_free(owner);
        fz_close_session(ctx, sid);
    }
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("order", data, size);
    char id[PSS_ID_SIZE], parent[PSS_ID_SIZE];
    /* versions 1 to 3 name their order and session; version 4 takes them from the record,
     * so it goes where the world's order of its number and time was */
    if (!fz_world_order_of(payload, size, id, parent)) {
        fz_peek_id(payload, size, "id", "0de20000-0000-4000-8000-0000000000ff", id);
        fz_peek_id(payload, size, "session", SC_S2, parent);
        /* beside the world's orders it would be a second one of its number in its session, a
         * store the library rightly finds damaged (the unfolded orders' replay counts them):
         * it takes the place of the one of that number */
        if (!fz_world_has("order", id))
            fz_world_order_numbered(payload, size, parent, id);
    }
    int rc = direct(payload, size, id, parent);
    through_store(payload, size, id, parent, rc);
    fz_end(payload);
    return 0;
}
