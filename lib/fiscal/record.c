/* record.c: a fiscal event as stored (record.h): its record id, writing it (with its
 * signature, or the reason it has none) and reading it back. */
#include "fiscal/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "store/store.h"

void pss__fiscal_event_id(const char *config_id, uint64_t seq, char out[PSS__FISCAL_ID_SIZE])
{
    snprintf(out, PSS__FISCAL_ID_SIZE, "%s:%020" PRIu64, config_id, seq);
}

int pss__fiscal_decode(pss_ctx *ctx, const pss_record *rec, pss__fiscal_event *out)
{
    pss_jr r;
    memset(out, 0, sizeof *out);
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_FISCAL, rec);
    if (!doc)
        return r.rc;
    out->seq = (uint64_t)pss__jr_range(&r, doc, "seq", 1, INT64_MAX);
    const char *prev = pss__jr_str(&r, doc, "prev"), *hash = pss__jr_str(&r, doc, "hash");
    const char *form = pss__jr_str(&r, doc, "form");
    const char *sig = pss__jr_str_or_null(&r, doc, "sig"), *key = pss__jr_str_or_null(&r, doc, "key");
    out->rev = rec->rev;
    if (!r.rc && (!pss__chain_unhex(prev, out->prev) || !pss__chain_unhex(hash, out->hash)))
        pss__jr_fail(&r, "a hash is not 64 lower-case hex digits");
    if (!r.rc && !sig != !key)
        pss__jr_fail(&r, "a signature without its key, or a key without its signature");
    if (!r.rc && (!(out->form = PSS_STRDUP(ctx, form)) || (sig && !(out->sig = PSS_STRDUP(ctx, sig))) ||
                  (key && !(out->key = PSS_STRDUP(ctx, key)))))
        r.rc = pss__oom(ctx);
    json_decref(doc);
    return r.rc;
}

void pss__fiscal_event_free(pss_ctx *ctx, pss__fiscal_event *e)
{
    PSS_FREE(ctx, e->form);
    PSS_FREE(ctx, e->sig);
    PSS_FREE(ctx, e->key);
    e->form = e->sig = e->key = NULL;
}

static void encode(pss_jsonw *w, const pss__fiscal_event *e, const pss__signature *sig)
{
    char prev_hex[PSS__CHAIN_HEX_SIZE], hash_hex[PSS__CHAIN_HEX_SIZE];
    pss__chain_hex(e->prev, prev_hex);
    pss__chain_hex(e->hash, hash_hex);
    pss__jsonw_int(w, "seq", (int64_t)e->seq);
    pss__jsonw_str(w, "prev", prev_hex);
    pss__jsonw_str(w, "hash", hash_hex);
    pss__jsonw_str(w, "form", e->form);
    if (sig && sig->made) {
        pss__jsonw_str(w, "sig", sig->sig);
        pss__jsonw_str(w, "key", sig->key);
    } else if (sig && sig->error[0]) {
        pss__jsonw_str(w, "sign_error", sig->error);
    }
}

int pss__fiscal_put(pss_ctx *ctx, const char *config_id, const pss__fiscal_event *e,
                    const pss__signature *sig)
{
    char id[PSS__FISCAL_ID_SIZE];
    pss__fiscal_event_id(config_id, e->seq, id);
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    pss_jsonw w;
    pss__jsonw_begin_version(&w, &buf, PSS__FISCAL_RECORD_VERSION);
    encode(&w, e, sig);
    int rc = pss__jsonw_finish(ctx, &w);
    if (!rc)
        rc = pss__put(ctx, PSS__KIND_FISCAL, id, config_id, buf.data, buf.len, e->rev, NULL);
    if (rc == PSS_ECONFLICT) /* another writer took this seq: the call runs again */
        rc = pss__fail(ctx, PSS_ECONFLICT, "fiscal event %" PRIu64 " of config %s was written "
                       "by another call meanwhile; retry", e->seq, config_id);
    pss__strbuf_free(&buf);
    return rc;
}

