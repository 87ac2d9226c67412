/* fuzz_meta.c: host metadata, as stored and as given. The input is laid into the world as
 * the metadata record of the paid order P1 of the session in progress, S2; pss_meta_get must
 * read it or refuse it as corrupt (a text within PSS_META_MAX), and a text it reads can be
 * set again and comes back the same. Then the same bytes are given by the host as S2's
 * metadata: accepted only when they are a JSON object within the bound (checked here with
 * jansson on its own), and then returned byte for byte. */
#include "fuzz.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static void set_and_get(pss_ctx *ctx, pss_meta_owner owner, const char *id, const char *meta,
                        int set_rc)
{
    char *back = NULL;
    int rc = pss_meta_get(ctx, owner, id, &back);
    FZ_CHECK(rc == 0, "pss_meta_get after a set fails: %d %s", rc, pss_ctx_errmsg(ctx));
    if (set_rc == 0)
        FZ_CHECK(back && strcmp(back, meta) == 0, "metadata does not come back as given");
    pss_free(ctx, back);
}

static void stored(pss_ctx *ctx)
{
    char *meta = NULL;
    int rc = pss_meta_get(ctx, PSS_META_ORDER, SC_P1, &meta);
    FZ_RC_IN("pss_meta_get", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (rc || !meta)
        return;
    FZ_CHECK(strlen(meta) <= PSS_META_MAX, "stored metadata of %zu bytes read", strlen(meta));
    rc = pss_meta_set(ctx, &sc_alice, PSS_META_ORDER, SC_P1, meta);
    FZ_RC_IN("pss_meta_set (stored text again)", rc, 0, PSS_EINVAL);
    set_and_get(ctx, PSS_META_ORDER, SC_P1, meta, rc);
    pss_free(ctx, meta);
}

static bool an_object(const char *text)
{
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    bool ok = json_is_object(doc) && strlen(text) <= PSS_META_MAX;
    json_decref(doc);
    return ok;
}

static void given(pss_ctx *ctx, const char *text)
{
    int rc = pss_meta_set(ctx, &sc_alice, PSS_META_SESSION, SC_S2, text);
    FZ_RC_IN("pss_meta_set (host text)", rc, 0, PSS_EINVAL, PSS_ECORRUPT, PSS_EVERSION);
    if (rc == PSS_ECORRUPT || rc == PSS_EVERSION)
        return; /* the world's records laid with this input */
    FZ_CHECK((rc == 0) == an_object(text), "metadata %s where jansson says %s",
             rc ? "refused" : "accepted", an_object(text) ? "an object" : "not one");
    set_and_get(ctx, PSS_META_SESSION, SC_S2, text, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("meta", data, size);
    char id[64];
    snprintf(id, sizeof id, "order/%s", SC_P1);
    pss_storage *store = fz_world(fz_keep_but, &(fz_skip){"meta", id});
    fz_put(store, "meta", id, SC_P1, payload, size);
    pss_ctx *ctx = fz_ctx(store);
    stored(ctx);
    given(ctx, payload);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    fz_end(payload);
    return 0;
}
