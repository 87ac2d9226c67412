/* mutate.c: the one way a session changes. A call runs in one write transaction: the
 * handle is synced with storage, access is checked, the operation stages its changes (new
 * record state, running-total deltas) while writing its own records, the session record and
 * the running totals are written, and only after the commit does the handle change. On any
 * failure the transaction is rolled back and the handle is as it was. */
#include "session/stage.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "base/money_internal.h"
#include "store/store.h"

int pss__stage_init(pss_stage *st, pss_session *s, const pss_actor *actor)
{
    memset(st, 0, sizeof *st);
    st->s = s;
    st->actor = actor;
    st->renew_lease = true;
    pss__map_init(&st->delta_index, s->ctx->alloc);
    pss__strbuf_init(&st->own_buf, s->ctx->alloc);
    pss__strbuf_init(&st->refusal, s->ctx->alloc);
    st->buf = &st->own_buf;
    if (pss__core_copy(s->ctx, &st->core, &s->core))
        return pss__oom(s->ctx); /* nothing taken yet: no finish needed */
    if (!s->ctx->scratch_taken) {
        st->buf = &s->ctx->scratch;
        s->ctx->scratch_taken = 1;
    }
    return 0;
}

int pss__stage_add(pss_stage *st, int64_t *field, int64_t delta, const char *what)
{
    if (__builtin_add_overflow(*field, delta, field))
        return pss__fail(st->s->ctx, PSS_EOVERFLOW, "%s of session %s overflows", what,
                         st->core.name);
    return 0;
}

/* What the volume bound covers: the running volume and the opening figures. */
static int64_t session_volume(const pss_session_core *c)
{
    int64_t v = c->totals.volume + pss__magnitude(c->opening_expected);
    if (c->opening_counted != PSS_UNSET)
        v += pss__magnitude(c->opening_counted);
    return v; /* each part within its bound: no overflow */
}

int pss__stage_check_volume(pss_stage *st, int64_t more)
{
    const pss_session_core *c = &st->core;
    if (c->volume_unknown)
        return 0;
    int64_t before = session_volume(&st->s->core), after = session_volume(c) + more;
    if (after <= PSS_SESSION_VOLUME_MAX || after <= before)
        return 0;
    char v[PSS_MONEY_BUFSIZE], m[PSS_MONEY_BUFSIZE];
    int x = st->s->config->exponent;
    return pss__fail(st->s->ctx, PSS_EOVERFLOW,
                     "session %s would record %s in all (orders, payments, cash movements and "
                     "opening cash), beyond %s (PSS_SESSION_VOLUME_MAX); close it and open a "
                     "new session", c->name, pss__fmt(v, after, x),
                     pss__fmt(m, PSS_SESSION_VOLUME_MAX, x));
}

int pss__stage_on_commit(pss_stage *st, pss_install_fn fn, void *arg)
{
    pss_ctx *ctx = st->s->ctx;
    if (pss__grow(ctx->alloc, (void **)&st->installs, &st->cap_installs, st->n_installs + 1,
                  sizeof *st->installs)) {
        fn(arg, false);
        return pss__oom(ctx);
    }
    st->installs[st->n_installs++] = (pss_install){fn, arg};
    return 0;
}

static void renew_lease(pss_stage *st)
{
    const pss_actor *a = st->actor;
    pss_session_core *c = &st->core;
    if (!st->renew_lease || !a || c->state == PSS_SESSION_CLOSED || strcmp(a->user, c->user) != 0)
        return;
    snprintf(c->device, sizeof c->device, "%s", a->device ? a->device : "");
    c->lease_expires = pss_ctx_now(st->s->ctx) + st->s->config->lease_seconds * 1000;
}

void pss__lease_renew_by_order(pss_session_core *c, const pss_config *cfg, const char *by,
                               int64_t at)
{
    if (strcmp(by, c->user) == 0)
        c->lease_expires = at + cfg->lease_seconds * 1000;
}

/* A submit that only records new orders of a trading session, on a record of version 3 that
 * folds nothing now, leaves the session record as it is: a handle that loads it counts the
 * orders from the record's next_order on again from their records (order/tail.c), figures,
 * lists and the lease they renewed (from their time, as here), so one record is written per
 * order (doc/storage.md, "Running totals"). A lease that would move to another device, and
 * late orders, are written. */
static bool leaves_record(pss_stage *st)
{
    const pss_session *s = st->s;
    if (!st->defer_totals || st->late || !s->core.open_tail || !st->last_order[0] ||
        st->core.folded_from != s->core.folded_from || !pss__session_tail_can_open(s))
        return false;
    /* the holder's orders renew the lease as a load counts them: by their time */
    const pss_actor *a = st->actor;
    bool by_holder = a && strcmp(a->user, st->core.user) == 0;
    if (by_holder && (!st->renew_lease ||
                      strcmp(a->device ? a->device : "", st->core.device) != 0))
        return false;
    if (by_holder)
        pss__lease_renew_by_order(&st->core, s->config, a->user, st->last_order_at);
    return true;
}

int pss__stage_write(pss_stage *st)
{
    int rc = pss__stage_check_volume(st, 0); /* the calls check first; this is the backstop */
    if (!rc)
        rc = pss__stage_write_deltas(st);
    if (rc || st->skip_session)
        return rc;
    if (leaves_record(st)) {
        st->core_unwritten = true;
        st->core_rev = st->s->rev;
        return 0;
    }
    st->core.open_tail = pss__tail_can_open(st->s->ctx, st->core.state);
    renew_lease(st);
    uint64_t rev = 0;
    rc = pss__core_put(st->s->ctx, &st->core, st->s->rev, &rev, st->buf);
    if (!rc)
        st->core_rev = rev;
    return rc;
}

void pss__stage_finish(pss_stage *st, bool committed)
{
    pss_session *s = st->s;
    if (committed) {
        pss__stage_install_deltas(st);
        if (!st->skip_session) {
            pss__core_free(s->ctx, &s->core);
            s->core = st->core;
            s->rev = st->core_rev;
            memset(&st->core, 0, sizeof st->core);
            if (!st->core_unwritten)
                s->stored_next = s->core.next_order;
        }
        if (st->last_order[0])
            pss__copy_text(s->last_order, sizeof s->last_order, st->last_order);
    }
    pss__core_free(s->ctx, &st->core);
    for (size_t i = 0; i < st->n_installs; i++)
        st->installs[i].fn(st->installs[i].arg, committed);
    PSS_FREE(s->ctx, st->installs);
    pss__stage_deltas_free(st);
    if (st->buf == &s->ctx->scratch)
        s->ctx->scratch_taken = 0;
    pss__strbuf_free(&st->own_buf);
    pss__strbuf_free(&st->refusal);
}

/* The last failure's code, detail and figures, kept across the calls a refusal makes. */
typedef struct saved_error {
    int code;
    char detail[PSS_ERRMSG_SIZE];
    pss_figure figures[PSS_MAX_FIGURES];
    int n_figures;
} saved_error;

static void save_error(const pss_ctx *ctx, saved_error *e)
{
    e->code = ctx->errcode;
    memcpy(e->detail, ctx->errmsg, sizeof e->detail);
    memcpy(e->figures, ctx->figures, sizeof e->figures);
    e->n_figures = ctx->n_figures;
}

static void restore_error(pss_ctx *ctx, const saved_error *e)
{
    ctx->errcode = e->code;
    memcpy(ctx->errmsg, e->detail, sizeof ctx->errmsg);
    memcpy(ctx->figures, e->figures, sizeof ctx->figures);
    ctx->n_figures = e->n_figures;
}

int pss__stage_refuse(pss_stage *st, pss_audit_note *note, int code)
{
    pss_ctx *ctx = st->s->ctx;
    saved_error e;
    save_error(ctx, &e);
    note->outcome = code;
    note->detail = e.detail;
    if (!note->reason)
        note->reason = st->reason;
    pss__strbuf_reset(&st->refusal);
    int rc = pss__audit_encode(ctx, st->actor, note, &st->refusal);
    if (rc)
        return rc;
    pss__copy_text(st->refusal_subject, sizeof st->refusal_subject, pss__audit_subject(note));
    st->refused = true;
    restore_error(ctx, &e);
    return code;
}

/* A refusal a lower layer kept (audit/audit.c: a broken fiscal chain) becomes the call's. */
static void take_late_refusal(pss_stage *st)
{
    pss_ctx *ctx = st->s->ctx;
    pss__strbuf_reset(&st->refusal);
    pss__strbuf_add(&st->refusal, ctx->late_refusal.data, ctx->late_refusal.len);
    pss__copy_text(st->refusal_subject, sizeof st->refusal_subject, ctx->late_refusal_subject);
    ctx->late_refusal_subject[0] = '\0';
    st->refused = !st->refusal.failed;
}

/* An audited refusal: everything the call wrote is rolled back, then its audit entry is
 * appended in a transaction of its own, so the refusal adds that entry and nothing else. */
static int append_refusal(pss_stage *st, int code, bool on_store_facts)
{
    pss_ctx *ctx = st->s->ctx;
    saved_error e;
    save_error(ctx, &e);
    pss__txn_rollback(ctx);
    /* decided on what the handle held: the run after reads, and audits; a refusal on what
     * the store holds (a broken fiscal chain, read in this run) stands */
    if (ctx->checked && !on_store_facts) {
        pss__stage_finish(st, false);
        return code;
    }
    int rc = pss__txn_begin(ctx, true);
    if (!rc && (rc = pss__append(ctx, st->refusal_subject, st->refusal.data, st->refusal.len)))
        pss__txn_rollback(ctx);
    else if (!rc)
        rc = pss__txn_commit_only(ctx);
    pss__stage_finish(st, false);
    if (rc)
        return rc;
    restore_error(ctx, &e);
    return code;
}

static int mutate_once(pss_session *s, const pss_actor *actor, const pss_op *op)
{
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    int rc = pss__txn_begin(ctx, true);
    if (rc)
        return rc;
    rc = pss__session_sync(s);
    if (!rc)
        rc = pss__check_access(s, actor, op->access, op->states, op->doing);
    if (rc) {
        pss__txn_rollback(ctx);
        return rc;
    }
    pss_stage st;
    rc = pss__stage_init(&st, s, actor);
    ctx->late_refusal_subject[0] = '\0';
    if (!rc)
        rc = op->fn(&st, op->arg);
    bool late = rc && !st.refused && ctx->late_refusal_subject[0];
    if (late)
        take_late_refusal(&st);
    if (rc && st.refused)
        return append_refusal(&st, rc, late);
    if (!rc)
        rc = pss__stage_write(&st);
    if (!rc)
        rc = pss__txn_commit_only(ctx);
    else
        pss__txn_rollback(ctx);
    pss__stage_finish(&st, rc == 0);
    pss__events_flush(ctx, rc == 0);
    return rc;
}

/* A run that checked records instead of reading them (pss_storage::check) decided on what
 * the handle held. When its commit found a check broken, or it ended without committing
 * (a refusal, bad input: decided, but on what may be old), it runs again, reading, and that
 * run is not counted: it reads, so it is the last run of the kind. A store's failure is
 * told as it is. */
static bool rerun_reading(pss_ctx *ctx, int rc)
{
    if (!ctx->checked)
        return false;
    ctx->checked = false;
    bool broken_check = rc == PSS_ECONFLICT && ctx->store_conflict;
    bool store_failed = rc == PSS_ESTORAGE || rc == PSS_EBUSY || rc == PSS_ECORRUPT ||
                        rc == PSS_ENOMEM;
    if (!broken_check && (ctx->commit_tried || store_failed))
        return false;
    ctx->read_not_check = true;
    return true;
}

bool pss__retry_conflict(pss_ctx *ctx, int rc, int *attempt)
{
    if (rerun_reading(ctx, rc))
        return true;
    return rc == PSS_ECONFLICT && ctx->store_conflict && ++*attempt < PSS__ATTEMPTS;
}

int pss__mutate(pss_session *s, const pss_actor *actor, const pss_op *op)
{
    int rc, attempt = 0;
    do
        rc = mutate_once(s, actor, op);
    while (pss__retry_conflict(s->ctx, rc, &attempt));
    return rc;
}

/* ---- audit entries about the staged session ---- */

pss_audit_note pss__session_note(const pss_session_core *core, const char *action)
{
    pss_audit_note note = PSS_AUDIT_NOTE_INIT;
    note.action = action;
    note.session_id = core->id;
    note.config_id = core->config_id;
    return note;
}

int pss__audit_staged(pss_stage *st, const char *action, const char *reason,
                      const pss__audit_extra *extra)
{
    pss_audit_note note = pss__session_note(&st->core, action);
    note.reason = reason;
    note.extra = extra;
    return pss__audit(st->s->ctx, st->actor, &note);
}
