/* meta_record.c: the metadata record: kind "meta", id "<owner kind>/<owner id>", parent the
 * owner's id; payload {"v":1,"owner":"order","of":"<id>","meta":"<the host's text>"}. The
 * text is kept as a JSON string so that it comes back byte for byte (doc/storage.md). */
#include "store/meta_record.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "store/records.h"
#include "store/store.h"

const char *pss__meta_owner_kind(pss_meta_owner owner)
{
    switch (owner) {
    case PSS_META_CONFIG: return PSS__KIND_CONFIG;
    case PSS_META_SESSION: return PSS__KIND_SESSION;
    case PSS_META_ORDER: return PSS__KIND_ORDER;
    case PSS_META_MOVEMENT: return PSS__KIND_MOVEMENT;
    default: return NULL;
    }
}

static void record_id(pss_meta_owner owner, const char *owner_id, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", pss__meta_owner_kind(owner), owner_id);
}

int pss__meta_put(pss_ctx *ctx, pss_meta_owner owner, const char *owner_id, const char *meta,
                  pss__strbuf *buf)
{
    char id[PSS_RECORD_ID_MAX + 1];
    record_id(owner, owner_id, id, sizeof id);
    uint64_t rev = 0;
    int rc = pss__get(ctx, PSS__KIND_META, id, pss__rev_of, &rev);
    if (rc && rc != PSS_ENOTFOUND)
        return rc;
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str(&w, "owner", pss__meta_owner_kind(owner));
    pss__jsonw_str(&w, "of", owner_id);
    pss__jsonw_str(&w, "meta", meta);
    if ((rc = pss__jsonw_finish(ctx, &w)))
        return rc;
    rc = pss__put(ctx, PSS__KIND_META, id, owner_id, buf->data, buf->len, rev, NULL);
    if (rc == PSS_ECONFLICT)
        return pss__fail(ctx, PSS_ECONFLICT, "the metadata of %s %s changed underneath",
                         pss__meta_owner_kind(owner), owner_id);
    return rc;
}

typedef struct meta_read {
    const char *owner_kind, *owner_id;
    char **out;
} meta_read;

static int decode_meta(pss_ctx *ctx, const pss_record *rec, void *arg)
{
    meta_read *mr = arg;
    pss_jr r;
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_META, rec);
    if (!doc)
        return r.rc;
    const char *kind = pss__jr_str(&r, doc, "owner");
    const char *of = pss__jr_str(&r, doc, "of");
    const char *meta = pss__jr_str_or_null(&r, doc, "meta");
    if (!r.rc && (strcmp(kind, mr->owner_kind) != 0 || strcmp(of, mr->owner_id) != 0))
        pss__jr_fail(&r, "it belongs to %.12s %.40s", kind, of);
    if (!r.rc && meta && strlen(meta) > PSS_META_MAX)
        pss__jr_fail(&r, "its text is longer than %d bytes", PSS_META_MAX);
    *mr->out = r.rc ? NULL : pss__jr_dup(&r, meta);
    json_decref(doc);
    return r.rc;
}

int pss__meta_read(pss_ctx *ctx, pss_meta_owner owner, const char *owner_id, char **out)
{
    char id[PSS_RECORD_ID_MAX + 1];
    record_id(owner, owner_id, id, sizeof id);
    *out = NULL;
    meta_read mr = {pss__meta_owner_kind(owner), owner_id, out};
    int rc = pss__get_decoded(ctx, PSS__KIND_META, id, decode_meta, &mr);
    return rc == PSS_ENOTFOUND ? 0 : rc;
}
