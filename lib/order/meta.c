/* meta.c: pss_meta_set and pss_meta_get (possession/meta.h): who may set a host's metadata
 * and when (its session not closed), its audit entry, and its record (store/meta_record.c).
 * It sits in the order layer because an order's metadata is settable only while the order's
 * session is open. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "store/meta_record.h"
#include "store/store.h"

/* Where a metadata change is audited and what holds it back. */
typedef struct meta_owner {
    char config_id[PSS_ID_SIZE];
    char session_id[PSS_ID_SIZE]; /* "" for a config */
    char session_name[64];
    pss_session_state state;
} meta_owner;

static int owner_missing(pss_ctx *ctx, pss_meta_owner owner, const char *id)
{
    return pss__fail(ctx, PSS_ENOTFOUND, "%s %s is not in the store",
                     pss__meta_owner_kind(owner), id);
}

static int find_session(pss_ctx *ctx, const char *session_id, meta_owner *o)
{
    pss__session_brief b;
    int rc = pss__session_brief_read(ctx, session_id, &b);
    if (rc)
        return rc;
    memcpy(o->session_id, b.id, PSS_ID_SIZE);
    memcpy(o->config_id, b.config_id, PSS_ID_SIZE);
    snprintf(o->session_name, sizeof o->session_name, "%s", b.name);
    o->state = b.state;
    return 0;
}

/* The owner's session (none for a config), PSS_ENOTFOUND naming the owner when absent. */
static int find_owner(pss_ctx *ctx, pss_meta_owner owner, const char *id, meta_owner *o)
{
    memset(o, 0, sizeof *o);
    char session_id[PSS_ID_SIZE];
    int rc = 0;
    if (owner == PSS_META_CONFIG) {
        pss_config *c = NULL;
        rc = pss__config_read(ctx, id, &c);
        pss_config_free(c);
        memcpy(o->config_id, id, PSS_ID_SIZE);
        return rc;
    }
    if (owner == PSS_META_SESSION) {
        rc = find_session(ctx, id, o);
    } else if (owner == PSS_META_ORDER) {
        pss_order_data *d = NULL;
        if (!(rc = pss__order_read(ctx, id, &d)))
            rc = find_session(ctx, d->session_id, o);
        pss__order_data_free(ctx, d);
    } else if (!(rc = pss__movement_session(ctx, id, session_id))) {
        rc = find_session(ctx, session_id, o);
    }
    return rc == PSS_ENOTFOUND ? owner_missing(ctx, owner, id) : rc;
}

static int check_args(pss_ctx *ctx, pss_meta_owner owner, const char *id, char norm[PSS_ID_SIZE])
{
    if (!pss__meta_owner_kind(owner))
        return pss__fail(ctx, PSS_EINVAL, "metadata owner %d is not a config, session, order "
                                          "or movement", (int)owner);
    char what[48];
    snprintf(what, sizeof what, "%s id", pss__meta_owner_kind(owner));
    return pss__check_id(ctx, what, id, norm);
}

static int audit_set(pss_ctx *ctx, const pss_actor *actor, pss_meta_owner owner,
                     const char *id, const meta_owner *o)
{
    pss__audit_extra x = {0};
    pss__extra_str(&x, "owner", pss__meta_owner_kind(owner));
    pss__extra_str(&x, "id", id);
    pss_audit_note note = PSS_AUDIT_NOTE_INIT;
    note.action = "meta.set";
    note.session_id = o->session_id;
    note.config_id = o->config_id;
    note.extra = &x;
    return pss__audit(ctx, actor, &note);
}

static int set_in_txn(pss_ctx *ctx, const pss_actor *actor, pss_meta_owner owner,
                      const char *id, const char *meta)
{
    meta_owner o;
    int rc = find_owner(ctx, owner, id, &o);
    if (rc)
        return rc;
    if (owner != PSS_META_CONFIG && o.state == PSS_SESSION_CLOSED)
        return pss__fail(ctx, PSS_ECLOSED, "session %s is closed: the metadata of %s %s no "
                                           "longer changes", o.session_name,
                         pss__meta_owner_kind(owner), id);
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    rc = pss__meta_put(ctx, owner, id, meta, &buf);
    pss__strbuf_free(&buf);
    return rc ? rc : audit_set(ctx, actor, owner, id, &o);
}

int pss_meta_set(pss_ctx *ctx, const pss_actor *actor, pss_meta_owner owner, const char *id,
                 const char *meta)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    char norm[PSS_ID_SIZE];
    int rc = check_args(ctx, owner, id, norm);
    if (rc || (rc = pss__check_actor(ctx, actor,
                                     owner == PSS_META_CONFIG ? PSS_ROLE_MANAGER
                                                              : PSS_ROLE_CASHIER,
                                     "set metadata")))
        return rc;
    char what[48];
    snprintf(what, sizeof what, "%s meta", pss__meta_owner_kind(owner));
    if ((rc = pss__check_meta(ctx, what, meta)) || (rc = pss__need_storage(ctx)) ||
        (rc = pss__txn_begin(ctx, true)))
        return rc;
    return pss__txn_end(ctx, set_in_txn(ctx, actor, owner, norm, meta));
}

int pss_meta_get(pss_ctx *ctx, pss_meta_owner owner, const char *id, char **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char norm[PSS_ID_SIZE];
    int rc = check_args(ctx, owner, id, norm);
    if (rc || (rc = pss__need_storage(ctx)) || (rc = pss__txn_begin(ctx, false)))
        return rc;
    return pss__txn_end(ctx, pss__meta_read(ctx, owner, norm, out));
}
