/* fuzz_total.c: the running-total record. The input is decoded by pss__total_decode
 * (bounds), then laid into the world as one of session S2's totals (replacing one of its own
 * or beside them, chosen by the input's hash) and read back through pss_session_load, with
 * the session's report, verify and close (the entry is built from the totals). */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "session/session_internal.h"

static void check_bucket(const pss_total *b)
{
    switch (b->type) {
    case PSS_TOTAL_METHOD:
        fz_volume("total method amount", b->v[0]);
        fz_volume("total method change", b->v[1]);
        fz_range("total method payments", b->v[2], 0, PSS_SESSION_VOLUME_MAX);
        break;
    case PSS_TOTAL_SALES:
        fz_volume("total sales untaxed", b->v[0]);
        fz_volume("total sales tax", b->v[1]);
        break;
    case PSS_TOTAL_TAX:
        fz_volume("total tax base", b->v[0]);
        fz_volume("total tax amount", b->v[1]);
        break;
    case PSS_TOTAL_PRODUCT:
        fz_range("total product sold", b->v[0], 0, INT64_MAX);
        fz_range("total product refunded", b->v[1], 0, INT64_MAX);
        break;
    case PSS_TOTAL_MOVE:
        fz_volume("total cash amount", b->v[0]);
        fz_range("total cash count", b->v[1], 0, PSS_SESSION_VOLUME_MAX);
        break;
    case PSS_TOTAL_RECEIVABLE:
        fz_volume("total receivable amount", b->v[0]);
        break;
    }
    FZ_CHECK(b->a != NULL, "a decoded total has no key");
}

static int direct(const char *payload, size_t len, const char *id)
{
    pss_ctx *ctx = fz_ctx(NULL);
    pss_record rec = {"total", id, SC_S2, 1, payload, len};
    pss_total *b = NULL;
    int rc = pss__total_decode(ctx, &rec, &b);
    FZ_RC_IN("pss__total_decode", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (!rc)
        check_bucket(b);
    pss__total_free(ctx, b);
    pss_ctx_free(ctx);
    return rc;
}

static void through_store(const char *payload, size_t len, const char *id, int direct_rc)
{
    fz_skip skip = {"total", id};
    pss_storage *store = fz_world(fz_keep_but, &skip);
    fz_put(store, "total", id, SC_S2, payload, len);
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL;
    int rc = pss_session_load(ctx, SC_S2, &s);
    FZ_RC_IN("pss_session_load", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    /* a total that decodes alone is still refused beside another one of the same key */
    bool same_key = rc == PSS_ECORRUPT && strstr(pss_ctx_errmsg(ctx), "has the same key");
    FZ_CHECK(rc == direct_rc || (direct_rc == 0 && same_key),
             "pss_session_load gives %d where the decoder gives %d (%s)", rc, direct_rc, pss_ctx_errmsg(ctx));
    if (s) {
        fz_check_session(s);
        pss_session_free(s);
        fz_close_session(ctx, SC_S2);
    }
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static unsigned hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("total", data, size);
    char id[PSS_ID_SIZE + 24];
    snprintf(id, sizeof id, "%s:%u", SC_S2, 1 + hash(data, size) % 24);
    int rc = direct(payload, size, id);
    through_store(payload, size, id, rc);
    fz_end(payload);
    return 0;
}
