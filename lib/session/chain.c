/* chain.c: the config_state record: session numbering and the opening-cash chain. */
#include "session/chain.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "store/store.h"
#include "store/records.h"

static int decode_chain(pss_ctx *ctx, const pss_record *rec, void *out)
{
    pss_chain *ch = out;
    pss_jr r;
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_CONFIG_STATE, rec);
    if (!doc)
        return r.rc;
    ch->session_seq = pss__jr_range(&r, doc, "session_seq", 0, INT32_MAX);
    ch->rescue_seq = pss__jr_range(&r, doc, "rescue_seq", 0, INT32_MAX);
    ch->last_closing_cash = pss__jr_running(&r, doc, "last_closing_cash"); /* may be short */
    const char *last = pss__jr_str_or_null(&r, doc, "last_session");
    if (!r.rc && last && pss_id_normalize(last, ch->last_session) != 0)
        pss__jr_fail(&r, "field 'last_session' is not a UUID");
    json_decref(doc);
    ch->rev = rec->rev;
    return r.rc;
}

int pss__chain_read(pss_ctx *ctx, const char *config_id, pss_chain *out)
{
    pss_chain ch;
    memset(&ch, 0, sizeof ch);
    snprintf(ch.config_id, sizeof ch.config_id, "%s", config_id);
    int rc = pss__get_decoded(ctx, PSS__KIND_CONFIG_STATE, config_id, decode_chain, &ch);
    if (rc && rc != PSS_ENOTFOUND)
        return rc;
    *out = ch; /* none stored yet: a config's first session */
    return 0;
}

int pss__chain_write(pss_ctx *ctx, pss_chain *ch, pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str(&w, "config", ch->config_id);
    pss__jsonw_int(&w, "session_seq", ch->session_seq);
    pss__jsonw_int(&w, "rescue_seq", ch->rescue_seq);
    pss__jsonw_str(&w, "last_session", ch->last_session[0] ? ch->last_session : NULL);
    pss__jsonw_int(&w, "last_closing_cash", ch->last_closing_cash);
    int rc = pss__jsonw_finish(ctx, &w);
    if (rc)
        return rc;
    uint64_t rev = 0;
    rc = pss__put(ctx, PSS__KIND_CONFIG_STATE, ch->config_id, ch->config_id, buf->data, buf->len,
                  ch->rev, &rev);
    if (rc == PSS_ECONFLICT)
        return pss__fail(ctx, PSS_ECONFLICT, "config state of %s changed underneath; retry",
                         ch->config_id);
    if (!rc)
        ch->rev = rev;
    return rc;
}
