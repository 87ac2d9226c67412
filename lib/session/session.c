/* session.c: the session lifecycle (create, opening, take-over, heartbeat), loading,
 * listing and the O(1) figures a till reads between calls. */
#include "session/stage.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "session/chain.h"
#include "base/money_internal.h"
#include "base/names.h"
#include "store/store.h"
#include "base/strlist.h"
#include "store/records.h"
#include "store/meta_record.h"
#include "json/codec.h"

/* ---- creation ---- */

/* "POS-0001/00003 (in_progress, held by alice)" for the session holding a claim; its bare id
 * when its record cannot be read (the message is about the claim, not that record). */
static void describe_holder(pss_ctx *ctx, const char *holder, char *out, size_t size)
{
    int saved = ctx->errcode;
    char msg[PSS_ERRMSG_SIZE];
    snprintf(msg, sizeof msg, "%s", ctx->errmsg);
    pss__session_brief b;
    if (pss__session_brief_read(ctx, holder, &b) == 0)
        snprintf(out, size, "%s (%s, held by %s)", b.name, pss_session_state_name(b.state),
                 b.user);
    else
        snprintf(out, size, "%s", holder);
    ctx->errcode = saved;
    snprintf(ctx->errmsg, sizeof ctx->errmsg, "%s", msg);
}

static int claim_slots(pss_ctx *ctx, const pss_config *cfg, const char *id, const char *date,
                       bool rescue)
{
    char key[PSS_CLAIM_KEY_MAX], holder[PSS_ID_SIZE], who[512];
    pss__claim_key(key, sizeof key, rescue ? PSS__CLAIM_RESCUE : PSS__CLAIM_OPEN, cfg->id);
    int rc = pss__claim(ctx, key, id, holder, sizeof holder);
    if (rc == PSS_EEXISTS) {
        describe_holder(ctx, holder, who, sizeof who);
        return pss__fail(ctx, PSS_EEXISTS,
                         "config '%s' already has %s session %s; close it before opening "
                         "another", cfg->name, rescue ? "rescue" : "an open", who);
    }
    if (rc || rescue || !cfg->one_session_per_day)
        return rc;
    snprintf(key, sizeof key, "day/%s/%s", cfg->id, date);
    rc = pss__claim(ctx, key, id, holder, sizeof holder);
    if (rc == PSS_EEXISTS) {
        describe_holder(ctx, holder, who, sizeof who);
        return pss__fail(ctx, PSS_EEXISTS,
                         "config '%s' allows one session per day and already had session %s "
                         "on %s", cfg->name, who, date);
    }
    return rc;
}

static void fill_new_core(pss_session_core *c, const pss_config *cfg, const pss_actor *actor,
                          const char *id, const char *date, bool rescue, const pss_chain *ch,
                          int64_t now)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->config_id, sizeof c->config_id, "%s", cfg->id);
    c->seq = rescue ? ch->rescue_seq : ch->session_seq;
    snprintf(c->name, sizeof c->name, rescue ? "%s/RESCUE-%05lld" : "%s/%05lld", cfg->code,
             (long long)c->seq);
    c->rescue = rescue;
    c->state = rescue ? PSS_SESSION_IN_PROGRESS : PSS_SESSION_NEW;
    snprintf(c->user, sizeof c->user, "%s", actor->user);
    snprintf(c->device, sizeof c->device, "%s", actor->device ? actor->device : "");
    c->lease_expires = now + cfg->lease_seconds * 1000;
    snprintf(c->date, sizeof c->date, "%s", date);
    c->created_at = now;
    snprintf(c->created_by, sizeof c->created_by, "%s", actor->user);
    c->opening_expected = rescue ? 0 : ch->last_closing_cash;
    c->opening_counted = rescue ? 0 : PSS_UNSET;
    if (rescue) {
        c->opened_at = now;
        snprintf(c->opened_by, sizeof c->opened_by, "%s", actor->user);
    }
    c->next_order = 1;
    c->folded_from = 1;
    c->next_total = 1;
    c->counted_cash = PSS_UNSET;
}

static int build_handle(pss_ctx *ctx, const pss_config *cfg, pss_session_core *core,
                        uint64_t rev, pss_session **out)
{
    pss_session *s = pss__session_alloc(ctx);
    if (!s)
        return pss__oom(ctx);
    s->core = *core;
    memset(core, 0, sizeof *core);
    s->rev = rev;
    s->tail_settled = true; /* a new session has no order to replay */
    s->stored_next = s->core.next_order;
    if (pss__config_clone(ctx, cfg, &s->config)) {
        pss__session_release(s);
        return pss__oom(ctx);
    }
    *out = s;
    return 0;
}

int pss__session_create_in_txn(pss_ctx *ctx, const pss_config *cfg, const pss_actor *actor,
                               const char *id, const char *date, bool rescue,
                               pss_session **out)
{
    int rc = claim_slots(ctx, cfg, id, date, rescue);
    if (rc)
        return rc;
    pss_chain ch;
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    if ((rc = pss__chain_read(ctx, cfg->id, &ch)))
        goto done;
    if (rescue)
        ch.rescue_seq++;
    else
        ch.session_seq++;
    if ((rc = pss__chain_write(ctx, &ch, &buf)))
        goto done;
    pss_session_core core;
    fill_new_core(&core, cfg, actor, id, date, rescue, &ch, pss_ctx_now(ctx));
    uint64_t rev = 0;
    if ((rc = pss__core_put(ctx, &core, 0, &rev, &buf)))
        goto done;
    pss_audit_note note = pss__session_note(&core, rescue ? "session.create_rescue"
                                                          : "session.create");
    note.expected = core.opening_expected;
    if ((rc = pss__audit(ctx, actor, &note)) ||
        (rc = pss__event(ctx, PSS_EVENT_SESSION_CREATED, cfg->id, id, NULL, NULL)))
        goto done;
    rc = build_handle(ctx, cfg, &core, rev, out);
done:
    pss__strbuf_free(&buf);
    return rc;
}

static int check_create_input(pss_ctx *ctx, const pss_session_input *in, char id[PSS_ID_SIZE],
                              char date[PSS_DATE_SIZE])
{
    int rc = in ? pss__check_version(ctx, in, in->version, PSS_SESSION_INPUT_VERSION,
                                     "pss_session_input")
                : 0;
    if (rc)
        return rc;
    if (in && in->id) {
        if ((rc = pss__check_id(ctx, "session id", in->id, id)))
            return rc;
    } else {
        pss_id_generate(id);
    }
    if (in && in->version >= 2 && (rc = pss__check_meta(ctx, "session meta", in->meta)))
        return rc;
    if (in && in->operating_date) {
        if ((rc = pss__check_date(ctx, "operating date", in->operating_date)))
            return rc;
        snprintf(date, PSS_DATE_SIZE, "%s", in->operating_date);
    } else {
        pss__date_of(pss_ctx_now(ctx), date);
    }
    return 0;
}

static int create_txn(pss_ctx *ctx, const char *config_id, const pss_actor *actor,
                      const char *id, const char *date, const char *meta, pss_session **out)
{
    pss_config *cfg = NULL;
    int rc = pss__config_read(ctx, config_id, &cfg);
    if (!rc)
        rc = pss_config_validate(cfg);
    if (!rc)
        rc = pss__session_create_in_txn(ctx, cfg, actor, id, date, false, out);
    pss_config_free(cfg);
    if (!rc && meta) {
        pss__strbuf buf;
        pss__strbuf_init(&buf, ctx->alloc);
        rc = pss__meta_put(ctx, PSS_META_SESSION, id, meta, &buf);
        pss__strbuf_free(&buf);
    }
    return rc;
}

int pss_session_create(pss_ctx *ctx, const char *config_id, const pss_actor *actor,
                       const pss_session_input *input, pss_session **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char cfg_id[PSS_ID_SIZE], id[PSS_ID_SIZE], date[PSS_DATE_SIZE];
    int rc = pss__check_id(ctx, "config id", config_id, cfg_id);
    if (rc || (rc = pss__check_actor(ctx, actor, PSS_ROLE_CASHIER, "create a session")) ||
        (rc = check_create_input(ctx, input, id, date)) || (rc = pss__txn_begin(ctx, true)))
        return rc;
    pss_session *s = NULL;
    const char *meta = input && input->version >= 2 ? input->meta : NULL;
    rc = create_txn(ctx, cfg_id, actor, id, date, meta, &s);
    rc = pss__txn_end(ctx, rc);
    if (rc) {
        pss__session_release(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ---- opening ---- */

static int op_start_opening(pss_stage *st, void *arg)
{
    (void)arg;
    st->core.state = PSS_SESSION_OPENING_CONTROL;
    pss_audit_note note = pss__session_note(&st->core, "session.start_opening");
    note.expected = st->core.opening_expected;
    int rc = pss__audit(st->s->ctx, st->actor, &note);
    return rc;
}

int pss_session_start_opening(pss_session *s, const pss_actor *actor)
{
    if (!s)
        return PSS_EINVAL;
    pss_op op = {PSS_ACCESS_SUPERVISE, PSS_SESSION_STATE_BIT(PSS_SESSION_NEW),
                 "start counting the opening cash", op_start_opening, NULL};
    return pss__mutate(s, actor, &op);
}

static int opening_counted(pss_stage *st, const pss_opening_input *in, int64_t *counted)
{
    const pss_config *cfg = st->s->config;
    char buf[PSS_MONEY_BUFSIZE];
    if (in->counted_cash == PSS_UNSET && cfg->cash_control)
        return pss__fail(st->s->ctx, PSS_EINVAL,
                         "count the opening cash: config '%s' has cash control (expected %s)",
                         cfg->name, pss__fmt(buf, st->core.opening_expected, cfg->exponent));
    if (in->counted_cash != PSS_UNSET) { /* a count given is checked whatever the config */
        if (in->counted_cash < 0)
            return pss__fail(st->s->ctx, PSS_EINVAL, "opening cash %s is negative",
                             pss__fmt(buf, in->counted_cash, cfg->exponent));
        int rc = pss__check_amount(st->s->ctx, "the opening cash", in->counted_cash,
                                   cfg->exponent);
        if (rc)
            return rc;
    }
    if (!cfg->cash_control) { /* nothing is counted: the drawer is what is expected */
        *counted = st->core.opening_expected;
        return 0;
    }
    *counted = in->counted_cash;
    return 0;
}

static int op_open(pss_stage *st, void *arg)
{
    const pss_opening_input *in = arg;
    pss_session_core *c = &st->core;
    int64_t counted = 0;
    int rc = opening_counted(st, in, &counted);
    if (rc)
        return rc;
    int64_t difference;
    if (__builtin_sub_overflow(counted, c->opening_expected, &difference))
        return pss__fail(st->s->ctx, PSS_EOVERFLOW, "opening difference overflows");
    c->opening_counted = counted;
    snprintf(c->opening_note, sizeof c->opening_note, "%s", in->note ? in->note : "");
    c->opened_at = pss_ctx_now(st->s->ctx);
    snprintf(c->opened_by, sizeof c->opened_by, "%s", st->actor->user);
    c->state = PSS_SESSION_IN_PROGRESS;
    pss_audit_note note = pss__session_note(c, "session.open");
    note.expected = c->opening_expected;
    note.counted = counted;
    note.difference = difference;
    note.reason = in->note;
    if ((rc = pss__audit(st->s->ctx, st->actor, &note)))
        return rc;
    return pss__event(st->s->ctx, PSS_EVENT_SESSION_OPENED, c->config_id, c->id, NULL, NULL);
}

int pss_session_open(pss_session *s, const pss_actor *actor, const pss_opening_input *input)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    int rc = pss__check_version(ctx, input, input ? input->version : 0,
                                PSS_OPENING_INPUT_VERSION, "pss_opening_input");
    if (rc || (rc = pss__check_text(ctx, "opening note", input->note, PSS_TEXT_OPTIONAL,
                                    PSS_NOTE_MAX)))
        return rc;
    pss_op op = {PSS_ACCESS_SUPERVISE,
                 PSS_SESSION_STATE_BIT(PSS_SESSION_NEW) |
                     PSS_SESSION_STATE_BIT(PSS_SESSION_OPENING_CONTROL),
                 "open the session", op_open, (void *)input};
    return pss__mutate(s, actor, &op);
}

/* ---- take-over and heartbeat ---- */

static int op_take_over(pss_stage *st, void *arg)
{
    (void)arg;
    pss_session_core *c = &st->core;
    const pss_actor *a = st->actor;
    pss_ctx *ctx = st->s->ctx;
    if (strcmp(c->user, a->user) == 0 && strcmp(c->device, a->device ? a->device : "") == 0)
        return 0; /* already holds it: only the lease is renewed */
    if (a->role < PSS_ROLE_MANAGER && pss_ctx_now(ctx) < c->lease_expires) {
        char until[PSS_TIME_SIZE];
        pss__time_text(c->lease_expires, until);
        return pss__fail(ctx, PSS_ELOCKED,
                         "session %s is held by %s on device '%s' until %s; %s (%s) may take "
                         "it over only after that, a manager at any time",
                         c->name, c->user, c->device, until, a->user, pss__role_name(a->role));
    }
    char previous_user[sizeof c->user];
    snprintf(previous_user, sizeof previous_user, "%s", c->user);
    pss__audit_extra x = {0};
    pss__extra_str(&x, "previous_user", previous_user);
    pss__extra_str(&x, "previous_device", c->device);
    snprintf(c->user, sizeof c->user, "%s", a->user);
    int rc = pss__audit_staged(st, "session.take_over", NULL, &x);
    return rc ? rc : pss__event(ctx, PSS_EVENT_SESSION_TAKEN_OVER, c->config_id, c->id, NULL,
                                NULL);
}

int pss_session_take_over(pss_session *s, const pss_actor *actor)
{
    if (!s)
        return PSS_EINVAL;
    pss_op op = {PSS_ACCESS_ANY, PSS__NOT_CLOSED, "take over the session", op_take_over, NULL};
    return pss__mutate(s, actor, &op);
}

static int op_nothing(pss_stage *st, void *arg)
{
    (void)st, (void)arg;
    return 0;
}

int pss_session_heartbeat(pss_session *s, const pss_actor *actor)
{
    if (!s)
        return PSS_EINVAL;
    pss_op op = {PSS_ACCESS_OPERATE, PSS__NOT_CLOSED, "renew the lease", op_nothing, NULL};
    return pss__mutate(s, actor, &op);
}

/* ---- loading and listing ---- */

int pss_session_load(pss_ctx *ctx, const char *id, pss_session **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char norm[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "session id", id, norm);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    rc = pss__txn_end(ctx, pss__session_read(ctx, norm, out));
    if (rc && *out) {
        pss__session_release(*out);
        *out = NULL;
    }
    return rc;
}

int pss_session_find_open(pss_ctx *ctx, const char *config_id, pss_session **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    char norm[PSS_ID_SIZE], key[PSS_CLAIM_KEY_MAX], holder[PSS_ID_SIZE];
    int rc = pss__check_id(ctx, "config id", config_id, norm);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    pss__claim_key(key, sizeof key, PSS__CLAIM_OPEN, norm);
    rc = pss__lookup(ctx, key, holder, sizeof holder);
    if (rc == PSS_ENOTFOUND)
        rc = pss__fail(ctx, PSS_ENOTFOUND, "config %s has no open session", norm);
    else if (!rc)
        rc = pss__session_read(ctx, holder, out);
    rc = pss__txn_end(ctx, rc);
    if (rc && *out) {
        pss__session_release(*out);
        *out = NULL;
    }
    return rc;
}

int pss_session_refresh(pss_session *s)
{
    if (!s)
        return PSS_EINVAL;
    pss__clear(s->ctx);
    int rc = pss__txn_begin(s->ctx, false);
    if (rc)
        return rc;
    return pss__txn_end(s->ctx, pss__session_reload(s));
}

/* ---- figures ---- */

const char *pss_session_id(const pss_session *s)
{
    return s ? s->core.id : NULL;
}

const char *pss_session_name(const pss_session *s)
{
    return s ? s->core.name : NULL;
}

const char *pss_session_config_id(const pss_session *s)
{
    return s ? s->core.config_id : NULL;
}

const pss_config *pss_session_config(const pss_session *s)
{
    return s ? s->config : NULL;
}

pss_session_state pss_session_state_of(const pss_session *s)
{
    return s ? s->core.state : (pss_session_state)0;
}

const char *pss_session_user(const pss_session *s)
{
    return s ? s->core.user : NULL;
}

const char *pss_session_lease_device(const pss_session *s)
{
    return s ? s->core.device : NULL;
}

int64_t pss_session_lease_expires(const pss_session *s)
{
    return s ? s->core.lease_expires : 0;
}

const char *pss_session_operating_date(const pss_session *s)
{
    return s ? s->core.date : NULL;
}

int pss_session_is_rescue(const pss_session *s)
{
    return s && s->core.rescue;
}

int pss_session_opening(const pss_session *s, int64_t *expected, int64_t *counted)
{
    if (!s)
        return PSS_EINVAL;
    if (expected)
        *expected = s->core.opening_expected;
    if (counted)
        *counted = s->core.opening_counted;
    return 0;
}

int pss_session_balance(const pss_session *s, int64_t *current, int64_t *posted)
{
    if (!s)
        return PSS_EINVAL;
    const pss_scalars *t = &s->core.totals;
    if (current && __builtin_add_overflow(t->paid_total, t->draft_total, current))
        return PSS_EOVERFLOW;
    if (posted)
        *posted = t->paid_total;
    return 0;
}

int pss_session_expected_cash(const pss_session *s, int64_t *out)
{
    if (!s || !out)
        return PSS_EINVAL;
    return pss__expected_cash(&s->core, out);
}

int pss_session_drafts(const pss_session *s, pss_strlist **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    int rc = pss__strlist_new(s->ctx, out);
    for (size_t i = 0; !rc && i < s->core.n_drafts; i++)
        rc = pss__strlist_add(*out, s->core.drafts[i]);
    if (rc) {
        pss_strlist_free(*out);
        *out = NULL;
    }
    return rc;
}

int pss_session_blockers(const pss_session *s, size_t *drafts, size_t *pending)
{
    if (!s)
        return PSS_EINVAL;
    if (drafts)
        *drafts = s->core.n_drafts;
    if (pending)
        *pending = s->core.n_pending;
    return 0;
}
