/* fuzz_config_state.c: the config_state record (session numbering, opening-cash chain). The
 * input is laid into the world as the main register's state, with its open-session slot
 * free; it is read by pss__chain_read (bounds; written by pss__chain_write into a fresh store
 * it must read back the same), then through the public API: a session is created from it
 * (number, expected opening cash) and force closed, and a late order of the closed S1 opens a
 * rescue session (rescue numbering). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/chain.h"
#include "scenario.h"
#include "store/store.h"

static bool keep(const char *kind, const char *id, void *arg)
{
    (void)arg;
    if (strcmp(kind, "config_state") == 0)
        return false;
    return !(strcmp(kind, "claim") == 0 && strncmp(id, "open/", 5) == 0);
}

static int read_chain(pss_ctx *ctx, pss_chain *ch)
{
    int rc = pss__txn_begin(ctx, false);
    return rc ? rc : pss__txn_end(ctx, pss__chain_read(ctx, SC_CFG_MAIN, ch));
}

static void roundtrip(const pss_chain *ch)
{
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        abort();
    pss_ctx *ctx = fz_ctx(store);
    pss_chain w = *ch, again;
    w.rev = 0;
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    int rc = pss__txn_begin(ctx, true);
    if (!rc)
        rc = pss__txn_end(ctx, pss__chain_write(ctx, &w, &buf));
    FZ_CHECK(rc == 0, "pss__chain_write fails: %s", pss_ctx_errmsg(ctx));
    rc = rc ? rc : read_chain(ctx, &again);
    FZ_CHECK(rc == 0 && again.session_seq == ch->session_seq &&
                 again.rescue_seq == ch->rescue_seq &&
                 again.last_closing_cash == ch->last_closing_cash &&
                 strcmp(again.last_session, ch->last_session) == 0,
             "config_state does not read back as written (%d)", rc);
    pss__strbuf_free(&buf);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static int direct(pss_storage *store)
{
    pss_ctx *ctx = fz_ctx(store);
    pss_chain ch;
    int rc = read_chain(ctx, &ch);
    FZ_RC_IN("pss__chain_read", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (!rc) {
        fz_range("config_state session_seq", ch.session_seq, 0, INT64_MAX - 1);
        fz_range("config_state rescue_seq", ch.rescue_seq, 0, INT64_MAX - 1);
        fz_volume("config_state last_closing_cash", ch.last_closing_cash); /* see fuzz.c */
        roundtrip(&ch);
    }
    pss_ctx_free(ctx);
    return rc;
}

static void late_order(pss_ctx *ctx)
{
    pss_session *s1 = NULL;
    if (pss_session_load(ctx, SC_S1, &s1) != 0)
        return;
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.product_id = "late";
    l.unit_price = 500;
    pss_payment_input p = PSS_PAYMENT_INPUT_INIT;
    p.method = "Cash";
    p.amount = 500;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "0de10000-0000-4000-8000-0000000000fe";
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &p;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    int rc = pss_session_submit(s1, &sc_alice, &in, &res);
    fz_known_rc("pss_session_submit (late)", rc);
    pss_session_free(s1);
    if (!rc && res.rescue)
        fz_close_session(ctx, res.session_id);
}

static void through_api(pss_storage *store, int direct_rc)
{
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.id = "5e551000-0000-4000-8000-0000000000fe";
    si.operating_date = "2026-11-23";
    int rc = pss_session_create(ctx, SC_CFG_MAIN, &sc_alice, &si, &s);
    FZ_RC_IN("pss_session_create", rc, 0, PSS_ECORRUPT, PSS_EVERSION, PSS_EOVERFLOW);
    FZ_CHECK(direct_rc == 0 || rc == direct_rc,
             "pss_session_create gives %d where the reader gives %d", rc, direct_rc);
    if (s) {
        fz_check_session(s);
        pss_session_free(s);
        fz_close_session(ctx, si.id);
        late_order(ctx);
    }
    pss_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("config_state", data, size);
    pss_storage *store = fz_world(keep, NULL);
    fz_put(store, "config_state", SC_CFG_MAIN, SC_CFG_MAIN, payload, size);
    int rc = direct(store);
    through_api(store, rc);
    pss_storage_free(store);
    fz_end(payload);
    return 0;
}
