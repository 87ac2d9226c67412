/* record.c: a fiscal event as stored (record.h): its record id, and reading it back. */
#include "fiscal/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json/codec.h"

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
    if (!r.rc && (!pss__chain_unhex(prev, out->prev) || !pss__chain_unhex(hash, out->hash)))
        pss__jr_fail(&r, "a hash is not 64 lower-case hex digits");
    if (!r.rc && !(out->form = PSS_STRDUP(ctx, form)))
        r.rc = pss__oom(ctx);
    json_decref(doc);
    return r.rc;
}

void pss__fiscal_event_free(pss_ctx *ctx, pss__fiscal_event *e)
{
    PSS_FREE(ctx, e->form);
    e->form = NULL;
}

