/* fuzz_config_json.c: the config document. The input goes through pss_config_from_json
 * (bounds; to_json, from_json, to_json again must give the same text; validate) and, stored
 * as a config record, through pss_config_load (the same verdict, PSS_ECORRUPT for
 * PSS_EINVAL). A config that validates then runs a short day: a session, an order with its
 * taxes and category paid in cash, amounts parsed in its currency, and a close. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "scenario.h"

static void check_config(const pss_config *c)
{
    fz_range("config exponent", c->exponent, PSS_EXPONENT_MIN, PSS_EXPONENT_MAX);
    fz_range("config max_difference", c->max_difference, 0, PSS_AMOUNT_MAX);
    fz_range("config lease_seconds", c->lease_seconds, 1, 86400 * 366);
    fz_range("config cash_rounding increment", c->cash_rounding_increment, 0, PSS_AMOUNT_MAX);
    for (size_t i = 0; i < c->n_taxes; i++)
        fz_range("config tax rate_ppm", c->taxes[i].rate_ppm, 0, 10000000);
    for (size_t i = 0; i < c->n_denominations; i++)
        fz_range("config denomination", c->denominations[i], 1, PSS_AMOUNT_MAX);
}

static void roundtrip(pss_ctx *ctx, const pss_config *c)
{
    char *a = NULL, *b = NULL;
    pss_config *again = NULL;
    FZ_CHECK(pss_config_to_json(c, &a) == 0, "pss_config_to_json failed");
    int rc = a ? pss_config_from_json(ctx, a, &again) : PSS_ENOMEM;
    FZ_CHECK(rc == 0, "pss_config_to_json writes what from_json refuses: %s (%s)",
             pss_ctx_errmsg(ctx), a ? a : "");
    if (!rc) {
        FZ_CHECK(pss_config_to_json(again, &b) == 0, "pss_config_to_json failed");
        FZ_CHECK(b && strcmp(a, b) == 0, "config JSON is not stable:\n%s\n%s", a, b ? b : "");
    }
    pss_free(ctx, a);
    pss_free(ctx, b);
    pss_config_free(again);
}

static void amounts(const pss_config *c)
{
    static const char *const texts[] = {"12.34", "-0.5", "1000000000000000", "7", "0.0001"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int64_t v = 0, w = 0;
        int rc = pss_config_parse_amount(c, texts[i], &v);
        FZ_CHECK(rc == pss_money_parse(texts[i], c->exponent, &w) && (rc || v == w),
                 "pss_config_parse_amount('%s') disagrees with pss_money_parse", texts[i]);
    }
}

/* One order with the config's taxes (at most 8) and first category, paid in cash. */
static void sell(pss_session *s, const pss_config *c)
{
    const char *taxes[8];
    size_t n = 0;
    for (size_t i = 0; i < c->n_taxes && n < 8; i++)
        taxes[n++] = c->taxes[i].code;
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.product_id = "fuzz";
    l.quantity = 1500;
    l.unit_price = 1234;
    l.taxes = taxes;
    l.n_taxes = n;
    l.category = c->n_categories ? c->categories[0].name : NULL;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    fz_known_rc("pss_order_create", pss_order_create(s, &sc_alice, &in, &o));
    if (!o)
        return;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    const pss_method *m = c->n_methods ? &c->methods[0] : NULL;
    if (pss_order_get_totals(o, &t) == 0 && m) {
        pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
        p.method = m->name;
        p.amount = m->kind == PSS_METHOD_CASH ? t.cash_due : t.remaining;
        fz_known_rc("pss_order_add_payment", pss_order_add_payment(o, &sc_alice, &p, NULL));
    }
    pss_order_free(o);
}

static void day(pss_ctx *ctx, const pss_config *c)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = SC_S1;
    si.operating_date = "2026-11-21";
    int rc = pss_session_create(ctx, c->id, &sc_alice, &si, &s);
    fz_known_rc("pss_session_create", rc);
    if (rc)
        return;
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = c->cash_control ? 0 : PSS_UNSET;
    fz_known_rc("pss_session_open", pss_session_open(s, &sc_alice, &oi));
    sell(s, c);
    fz_check_session(s);
    pss_session_free(s);
    fz_close_session(ctx, SC_S1);
}

static int code_of(int rc)
{
    return rc == PSS_EINVAL ? PSS_ECORRUPT : rc;
}

static void through_store(const char *payload, int json_rc)
{
    char id[PSS_ID_SIZE];
    fz_peek_id(payload, strlen(payload), "id", SC_CFG_MAIN, id);
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        abort();
    fz_put(store, "config", id, "", payload, strlen(payload));
    pss_ctx *ctx = fz_ctx(store);
    pss_config *c = NULL;
    int rc = pss_config_load(ctx, id, &c);
    FZ_RC_IN("pss_config_load", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    FZ_CHECK(rc == code_of(json_rc), "pss_config_load gives %d where from_json gives %d", rc,
             json_rc);
    if (c) {
        FZ_CHECK(strcmp(pss_config_id(c), id) == 0,
                 "config record %s loads as config %s (the decoder does not check its id)", id,
                 pss_config_id(c));
        if (pss_config_validate(c) == 0 && strcmp(pss_config_id(c), id) == 0)
            day(ctx, c);
    }
    pss_config_free(c);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("config_json", data, size);
    pss_ctx *ctx = fz_ctx(NULL);
    pss_config *c = NULL;
    int rc = pss_config_from_json(ctx, payload, &c);
    FZ_RC_IN("pss_config_from_json", rc, 0, PSS_EINVAL, PSS_EVERSION);
    if (c) {
        check_config(c);
        roundtrip(ctx, c);
        amounts(c);
        FZ_RC_IN("pss_config_validate", pss_config_validate(c), 0, PSS_ECONFIG);
    }
    pss_config_free(c);
    pss_ctx_free(ctx);
    through_store(payload, rc);
    fz_end(payload);
    return 0;
}
