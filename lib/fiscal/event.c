/* event.c: recording a config's fiscal events. Every audit entry of outcome ok whose action
 * has fiscal weight (a session's open, count, close, force close and reopen, a cash movement
 * and its void, an order cancelled, returned or routed late) becomes, in the same
 * transaction, the next event of its config's chain: a record of kind "fiscal" under the
 * config, id the config id, ':' and the 20-digit seq, holding its seq, the previous hash,
 * its canonical form and its hash (doc/fiscal.md, "Events"). The store's create refuses a
 * second event of one seq, so of two writers on one config one wins and the library runs
 * the other again: the sequence stays gapless. The audit layer calls up through the hook
 * this file installs. */
#include "fiscal/event.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "fiscal/canon.h"
#include "fiscal/link.h"
#include "fiscal/record.h"
#include "fiscal/verify.h"
#include "store/store.h"

static const char *const WEIGHTY[] = {
    "session.open",  "session.count", "session.close", "session.force_close",
    "session.reopen", "cash.move",    "cash.void",     "order.cancel",
    "order.return",  "order.routed",
};

static bool has_weight(const char *action)
{
    for (size_t i = 0; action && i < sizeof WEIGHTY / sizeof WEIGHTY[0]; i++)
        if (!strcmp(action, WEIGHTY[i]))
            return true;
    return false;
}

typedef struct head_read {
    pss_ctx *ctx;
    pss__fiscal_event ev;
    int found, in_place; /* in_place: its record id is the one its seq gives */
} head_read;

static int on_head(const pss_record *rec, void *arg)
{
    head_read *h = arg;
    h->found = 1;
    int rc = pss__fiscal_decode(h->ctx, rec, &h->ev);
    char id[PSS__FISCAL_ID_SIZE];
    if (!rc) {
        pss__fiscal_event_id(rec->parent, h->ev.seq, id);
        h->in_place = !strcmp(id, rec->id);
    }
    return rc;
}

/* The newest event is the one the next links to: an altered one is refused, as every
 * event after it would chain to what was forged. */
static int check_head(pss_ctx *ctx, pss__chain_hasher *hasher, const char *config_id,
                      const head_read *h)
{
    uint8_t hash[PSS__CHAIN_HASH_BYTES];
    if (!pss__chain_link(hasher, h->ev.prev, h->ev.form, strlen(h->ev.form), hash))
        return pss__fail(ctx, PSS_ENOMEM, "libcrypto could not hash the fiscal chain's head");
    if (h->in_place && !memcmp(hash, h->ev.hash, PSS__CHAIN_HASH_BYTES))
        return 0;
    pss__figure(ctx, "seq", (int64_t)h->ev.seq);
    return pss__fail(ctx, PSS_ECORRUPT, "the newest fiscal event of config %s (%" PRIu64 ") "
                     "is altered: %s; no event is added to a broken chain (pss_fiscal_verify "
                     "names the first break)", config_id, h->ev.seq,
                     h->in_place ? "its content does not give its hash"
                                 : "it is not stored where its seq puts it");
}

/* The config's newest event: seq and hash, or seq 0 and the genesis. */
static int read_head(pss_ctx *ctx, pss__chain_hasher *hasher, const char *config_id,
                     uint64_t *seq, uint8_t hash[PSS__CHAIN_HASH_BYTES])
{
    head_read h = {ctx, {0}, 0, 0};
    int rc = pss__scan_last(ctx, PSS__KIND_FISCAL, config_id, 1, on_head, &h);
    if (!rc && h.found)
        rc = check_head(ctx, hasher, config_id, &h);
    if (!rc && h.found) {
        *seq = h.ev.seq;
        memcpy(hash, h.ev.hash, PSS__CHAIN_HASH_BYTES);
    } else if (!rc) {
        *seq = 0;
        if (!pss__chain_genesis(hasher, config_id, hash))
            rc = pss__fail(ctx, PSS_ENOMEM, "libcrypto could not hash the fiscal chain's start");
    }
    pss__fiscal_event_free(ctx, &h.ev);
    return rc;
}

/* The entry's own members as extra.<key> (extra.<key>.<i>.id for a list of ids), as the
 * audit entry nests them under "extra": no key of theirs can be taken for the event's own
 * (a cash movement's "kind" is extra.kind, the event's kind is kind). */
static void put_extra(pss__strbuf *b, const pss__audit_extra *x)
{
    for (size_t i = 0; x && i < x->n; i++) {
        const pss__audit_field *f = &x->fields[i];
        char key[64];
        snprintf(key, sizeof key, "extra.%s", f->key);
        if (f->kind == PSS__FIELD_INT) {
            pss__canon_int(b, key, f->num);
        } else if (f->kind == PSS__FIELD_STR) {
            pss__canon_text(b, key, f->str);
        } else {
            for (size_t k = 0; k < f->n_ids; k++)
                pss__canon_text_at(b, key, k, "id", f->ids[k]);
        }
    }
}

static void put_figure(pss__strbuf *b, const char *key, int64_t value)
{
    if (value != PSS_UNSET)
        pss__canon_int(b, key, value);
}

void pss__fiscal_form(pss__strbuf *b, const pss_audit_note *note, const pss_actor *actor,
                      uint64_t seq, int64_t at)
{
    pss__canon_begin(b, note->action);
    pss__canon_text(b, "config", note->config_id);
    pss__canon_int(b, "seq", (int64_t)seq);
    pss__canon_int(b, "at", at);
    pss__canon_text(b, "user", actor ? actor->user : NULL);
    pss__canon_text(b, "device", actor ? actor->device : NULL);
    pss__canon_text(b, "session", note->session_id);
    put_figure(b, "expected", note->expected);
    put_figure(b, "counted", note->counted);
    put_figure(b, "difference", note->difference);
    put_figure(b, "allowed", note->allowed);
    pss__canon_text(b, "reason", note->reason);
    put_extra(b, note->extra);
}

/* The new event, signed by the context's signer when there is one and it signs. */
static int write_event(pss_ctx *ctx, const char *config_id, uint64_t seq,
                       const uint8_t prev[PSS__CHAIN_HASH_BYTES],
                       const uint8_t hash[PSS__CHAIN_HASH_BYTES], const pss__strbuf *form)
{
    pss__fiscal_event e;
    memset(&e, 0, sizeof e);
    e.seq = seq;
    memcpy(e.prev, prev, PSS__CHAIN_HASH_BYTES);
    memcpy(e.hash, hash, PSS__CHAIN_HASH_BYTES);
    e.form = form->data;
    pss__signature sig;
    pss__fiscal_sign(ctx, hash, &sig);
    if (sig.error[0])
        pss__log(ctx, PSS_LOG_WARN, "fiscal event %" PRIu64 " of config %s is recorded unsigned: "
                 "%s", seq, config_id, sig.error);
    return pss__fiscal_put(ctx, config_id, &e, &sig);
}

static int record_event(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note)
{
    if (!has_weight(note->action) || !note->config_id || !note->config_id[0])
        return 0;
    /* a session opens on a chain walked whole: once a shift, every event checked */
    pss_fiscal_verdict whole = PSS_FISCAL_VERDICT_INIT;
    if (!strcmp(note->action, "session.open")) {
        int rc = pss__fiscal_walk(ctx, note->config_id, &whole, NULL, NULL);
        if (rc == PSS_ECORRUPT)
            pss__figure(ctx, "seq", (int64_t)whole.first_bad_seq);
        if (rc)
            return rc;
    }
    pss__chain_hasher hasher;
    if (!pss__chain_hasher_init(&hasher))
        return pss__fail(ctx, PSS_ENOMEM, "libcrypto could not set up SHA-256");
    uint64_t seq = 0;
    uint8_t prev[PSS__CHAIN_HASH_BYTES], hash[PSS__CHAIN_HASH_BYTES];
    int rc = read_head(ctx, &hasher, note->config_id, &seq, prev);
    pss__strbuf form;
    pss__strbuf_init(&form, ctx->alloc);
    if (!rc) {
        pss__fiscal_form(&form, note, actor, seq + 1, pss_ctx_now(ctx));
        if (form.failed)
            rc = pss__oom(ctx);
    }
    if (!rc && !pss__chain_link(&hasher, prev, form.data, form.len, hash))
        rc = pss__fail(ctx, PSS_ENOMEM, "libcrypto could not hash fiscal event %" PRIu64,
                       seq + 1);
    if (!rc)
        rc = write_event(ctx, note->config_id, seq + 1, prev, hash, &form);
    pss__strbuf_free(&form);
    pss__chain_hasher_free(&hasher);
    return rc;
}

#if defined(__GNUC__)
__attribute__((constructor))
#endif
static void install_fiscal_hook(void)
{
    pss__audit_set_hook(record_event);
}
