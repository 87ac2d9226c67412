/* close.c: the close flow. Start closing, count (a total or by denomination, and non-cash
 * methods), close under the difference rule (within the config's limit anyone may close,
 * beyond it only the override role), reopen for correction, and the audited force close.
 * Every close attempt, refused or not, is written to the audit trail; a refusal commits its
 * audit entry and nothing else. The journal entry is written in the same transaction that
 * marks the session CLOSED. */
#include "close/journal_internal.h"
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/bounds.h"
#include "session/chain.h"
#include "base/money_internal.h"
#include "store/store.h"
#include "store/records.h"


#define LISTED_IDS 5

/* ---- start closing, reopen ---- */

static int op_start_closing(pss_stage *st, void *arg)
{
    (void)arg;
    st->core.state = PSS_SESSION_CLOSING_CONTROL;
    pss_audit_note note = pss__session_note(&st->core, "session.start_closing");
    int64_t expected;
    if (pss__expected_cash(&st->core, &expected) == 0)
        note.expected = expected;
    int rc = pss__audit(st->s->ctx, st->actor, &note);
    return rc ? rc : pss__event(st->s->ctx, PSS_EVENT_SESSION_CLOSING, st->core.config_id,
                                st->core.id, NULL, NULL);
}

int pss_session_start_closing(pss_session *s, const pss_actor *actor)
{
    if (!s)
        return PSS_EINVAL;
    pss_op op = {PSS_ACCESS_SUPERVISE, PSS__IN_PROGRESS,
                 "start closing the session", op_start_closing, NULL};
    return pss__mutate_settled(s, actor, op);
}

static void drop_count(pss_session_core *c)
{
    c->counted = false;
    c->counted_cash = PSS_UNSET;
    c->n_denoms = 0;
    c->n_method_counts = 0;
    c->count_note[0] = '\0';
    c->counted_by[0] = '\0';
    c->counted_at = 0;
}

static int op_reopen(pss_stage *st, void *arg)
{
    st->core.state = PSS_SESSION_IN_PROGRESS;
    drop_count(&st->core);
    pss_audit_note note = pss__session_note(&st->core, "session.reopen");
    note.reason = arg;
    int rc = pss__audit(st->s->ctx, st->actor, &note);
    return rc ? rc : pss__event(st->s->ctx, PSS_EVENT_SESSION_REOPENED, st->core.config_id,
                                st->core.id, NULL, NULL);
}

int pss_session_reopen(pss_session *s, const pss_actor *actor, const char *reason)
{
    if (!s)
        return PSS_EINVAL;
    pss__clear(s->ctx);
    int rc = pss__check_text(s->ctx, "reopen reason", reason, PSS_TEXT_REQUIRED, PSS_NOTE_MAX);
    if (rc)
        return rc;
    pss_op op = {PSS_ACCESS_MANAGER, PSS__CLOSING, "reopen the session for correction", op_reopen,
                 (void *)reason};
    return pss__mutate_settled(s, actor, op);
}

/* ---- count ---- */

static int sum_denominations(pss_ctx *ctx, const pss_config *cfg, const pss_count_input *in,
                             int64_t *total)
{
    char v[PSS_MONEY_BUFSIZE];
    *total = 0;
    for (size_t i = 0; i < in->n_denominations; i++) {
        const pss_denomination_count *d = &in->denominations[i];
        int64_t part;
        if (!pss__config_has_denomination(cfg, d->value))
            return pss__fail(ctx, PSS_EINVAL, "%s is not a coin or note of config '%s'",
                             pss__fmt(v, d->value, cfg->exponent), cfg->name);
        if (d->count < 0)
            return pss__fail(ctx, PSS_EINVAL, "count of %s is negative (%lld)",
                             pss__fmt(v, d->value, cfg->exponent), (long long)d->count);
        for (size_t k = 0; k < i; k++)
            if (in->denominations[k].value == d->value)
                return pss__fail(ctx, PSS_EINVAL, "%s is counted twice",
                                 pss__fmt(v, d->value, cfg->exponent));
        int rc;
        if (pss_money_mul(d->value, d->count, &part))
            part = INT64_MAX; /* beyond the bound: refused below */
        if ((rc = pss__check_amount(ctx, "a count of coins or notes", part, cfg->exponent)) ||
            (rc = pss__check_amount(ctx, "the counted cash", *total + part, cfg->exponent)))
            return rc; /* both at most PSS_AMOUNT_MAX: the sum fits */
        *total += part;
    }
    return 0;
}

static int check_method_counts(pss_ctx *ctx, const pss_config *cfg, const pss_count_input *in)
{
    for (size_t i = 0; i < in->n_methods; i++) {
        const char *name = in->methods[i].method;
        int rc = pss__check_text(ctx, "counted method", name, PSS_TEXT_REQUIRED, PSS_NAME_MAX);
        if (rc)
            return rc;
        const pss_method *m = pss__config_method(cfg, name);
        if (!m)
            return pss__fail(ctx, PSS_EINVAL, "counted method '%s' is not in config '%s'", name,
                             cfg->name);
        if (m->kind == PSS_METHOD_CASH)
            return pss__fail(ctx, PSS_EINVAL, "'%s' is the cash method: count it as the cash "
                                              "total or by denomination", name);
        char what[PSS_NAME_MAX + 16];
        snprintf(what, sizeof what, "the count of '%s'", name);
        if ((rc = pss__check_amount(ctx, what, in->methods[i].amount, cfg->exponent)))
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->methods[k].method, name) == 0)
                return pss__fail(ctx, PSS_EINVAL, "method '%s' is counted twice", name);
    }
    return 0;
}

static int check_count(pss_ctx *ctx, const pss_config *cfg, const pss_count_input *in,
                       int64_t *cash)
{
    int rc = pss__check_version(ctx, in, in ? in->version : 0, PSS_COUNT_INPUT_VERSION,
                                "pss_count_input");
    if (rc || (rc = pss__check_text(ctx, "count note", in->note, PSS_TEXT_OPTIONAL, PSS_NOTE_MAX)))
        return rc;
    if ((in->n_denominations && !in->denominations) || (in->n_methods && !in->methods))
        return pss__fail(ctx, PSS_EINVAL, "count gives entries but no array");
    bool total = in->cash_total != PSS_UNSET, by_denomination = in->n_denominations > 0;
    if (total && by_denomination)
        return pss__fail(ctx, PSS_EINVAL, "give the counted cash as a total or by denomination, "
                                          "not both");
    bool has_cash = pss__config_cash_method(cfg) != NULL;
    if (!has_cash && (total || by_denomination))
        return pss__fail(ctx, PSS_EINVAL, "config '%s' has no cash method to count", cfg->name);
    if (has_cash && cfg->cash_control && !total && !by_denomination)
        return pss__fail(ctx, PSS_EINVAL, "the count has no cash: give a total or coins and notes");
    if (total && in->cash_total < 0)
        return pss__fail(ctx, PSS_EINVAL, "counted cash is negative");
    if (total && (rc = pss__check_amount(ctx, "the counted cash", in->cash_total, cfg->exponent)))
        return rc;
    *cash = total ? in->cash_total : PSS_UNSET;
    if (by_denomination && (rc = sum_denominations(ctx, cfg, in, cash)))
        return rc;
    return check_method_counts(ctx, cfg, in);
}

typedef struct count_args {
    const pss_count_input *in;
    int64_t cash;
} count_args;

static int store_count(pss_stage *st, const count_args *a)
{
    pss_ctx *ctx = st->s->ctx;
    pss_session_core *c = &st->core;
    const pss_count_input *in = a->in;
    drop_count(c);
    c->counted = true;
    c->counted_cash = a->cash;
    for (size_t i = 0; i < in->n_denominations; i++) {
        if (pss__grow(ctx->alloc, (void **)&c->denoms, &c->cap_denoms, c->n_denoms + 1,
                      sizeof *c->denoms))
            return pss__oom(ctx);
        c->denoms[c->n_denoms++] = (pss_denom_entry){in->denominations[i].value,
                                                     in->denominations[i].count};
    }
    for (size_t i = 0; i < in->n_methods; i++) {
        if (pss__grow(ctx->alloc, (void **)&c->method_counts, &c->cap_method_counts,
                      c->n_method_counts + 1, sizeof *c->method_counts))
            return pss__oom(ctx);
        pss_method_entry *m = &c->method_counts[c->n_method_counts++];
        snprintf(m->method, sizeof m->method, "%s", in->methods[i].method);
        m->amount = in->methods[i].amount;
    }
    snprintf(c->count_note, sizeof c->count_note, "%s", in->note ? in->note : "");
    snprintf(c->counted_by, sizeof c->counted_by, "%s", st->actor->user);
    c->counted_at = pss_ctx_now(ctx);
    return 0;
}

static int op_count(pss_stage *st, void *arg)
{
    count_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    int rc = check_count(ctx, st->s->config, a->in, &a->cash);
    if (rc || (rc = store_count(st, a)))
        return rc;
    pss_audit_note note = pss__session_note(&st->core, "session.count");
    int64_t expected;
    if (a->cash != PSS_UNSET && pss__expected_cash(&st->core, &expected) == 0) {
        note.expected = expected;
        note.counted = a->cash;
        note.difference = a->cash - expected;
    }
    note.reason = a->in->note;
    return pss__audit(ctx, st->actor, &note);
}

int pss_session_count(pss_session *s, const pss_actor *actor, const pss_count_input *input)
{
    if (!s)
        return PSS_EINVAL;
    count_args a = {input, PSS_UNSET};
    pss_op op = {PSS_ACCESS_SUPERVISE, PSS__CLOSING, "count the drawer", op_count, &a};
    return pss__mutate_settled(s, actor, op);
}

/* ---- close ---- */

typedef struct close_args {
    const char *note;
    const pss_force_close_input *force; /* NULL for a normal close */
    const char *counted_source;         /* force close: "given", "count" or "expected" */
    const char (*cancelled)[PSS_ID_SIZE]; /* force close: ids of the cancelled drafts */
    size_t n_cancelled;
    int voided; /* force close: payments voided */
} close_args;

/* An audited refusal: the call is rolled back and its audit entry alone is written. */
static int refuse(pss_stage *st, const char *action, int code, int64_t expected, int64_t counted,
                  int64_t difference, int64_t allowed)
{
    pss_audit_note note = pss__session_note(&st->core, action);
    note.expected = expected, note.counted = counted, note.difference = difference;
    note.allowed = allowed;
    return pss__stage_refuse(st, &note, code);
}

static int refuse_plain(pss_stage *st, const char *action, int code)
{
    return refuse(st, action, code, PSS_UNSET, PSS_UNSET, PSS_UNSET, PSS_UNSET);
}

static void list_ids(char *buf, size_t size, char (*ids)[PSS_ID_SIZE], size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < LISTED_IDS; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", ids[i]);
    if (n > LISTED_IDS)
        snprintf(buf + at, size - at, " and %zu more", n - LISTED_IDS);
}

static int check_blockers(pss_stage *st, const char *action)
{
    pss_ctx *ctx = st->s->ctx;
    const pss_session_core *c = &st->core;
    char ids[LISTED_IDS * (PSS_ID_SIZE + 16) + 64];
    if (c->n_pending) {
        size_t at = 0;
        ids[0] = '\0';
        for (size_t i = 0; i < c->n_pending && i < LISTED_IDS; i++)
            at += (size_t)snprintf(ids + at, sizeof ids - at, "%spayment %lld of order %s",
                                   i ? ", " : "", (long long)c->pending[i].payment,
                                   c->pending[i].order);
        pss__fail(ctx, PSS_EPAYPENDING, "session %s has %zu pending payment%s: %s; confirm or "
                                        "fail them before closing", c->name, c->n_pending,
                  c->n_pending == 1 ? "" : "s", ids);
        pss__figure(ctx, "count", (int64_t)c->n_pending);
        return refuse_plain(st, action, PSS_EPAYPENDING);
    }
    if (c->n_drafts) {
        list_ids(ids, sizeof ids, c->drafts, c->n_drafts);
        pss__fail(ctx, PSS_EPENDING, "session %s has %zu draft order%s: %s; cancel them, or have "
                                     "a manager reopen the session to finish them, before "
                                     "closing", c->name, c->n_drafts,
                  c->n_drafts == 1 ? "" : "s", ids);
        pss__figure(ctx, "count", (int64_t)c->n_drafts);
        return refuse_plain(st, action, PSS_EPENDING);
    }
    return 0;
}

/* The worst |difference| among the counted methods. */
static const pss_method_figures *worst_difference(const pss_method_figures *m, size_t n)
{
    const pss_method_figures *worst = NULL;
    for (size_t i = 0; i < n; i++) {
        if (m[i].counted == PSS_UNSET)
            continue;
        int64_t d = m[i].difference < 0 ? -m[i].difference : m[i].difference;
        int64_t w = worst ? (worst->difference < 0 ? -worst->difference : worst->difference) : -1;
        if (d > w)
            worst = &m[i];
    }
    return worst;
}

static int check_limit(pss_stage *st, const pss_method_figures *m, size_t n)
{
    pss_ctx *ctx = st->s->ctx;
    const pss_config *cfg = st->s->config;
    const pss_method_figures *w = worst_difference(m, n);
    if (!w)
        return 0;
    int64_t magnitude = w->difference < 0 ? -w->difference : w->difference;
    if (magnitude <= cfg->max_difference || st->actor->role >= cfg->override_role)
        return 0;
    char e[PSS_MONEY_BUFSIZE], c[PSS_MONEY_BUFSIZE], d[PSS_MONEY_BUFSIZE], a[PSS_MONEY_BUFSIZE];
    int x = cfg->exponent;
    bool cash = w->method->kind == PSS_METHOD_CASH;
    pss__fail(ctx, PSS_ELIMIT,
              "%s%sexpected %s, counted %s, difference %s, allowed %s; only a %s may close "
              "session %s with this difference", cash ? "" : w->method->name, cash ? "" : ": ",
              pss__fmt(e, w->expected, x), pss__fmt(c, w->counted, x),
              pss__fmt(d, w->difference, x), pss__fmt(a, cfg->max_difference, x),
              pss__role_name(cfg->override_role), st->core.name);
    pss__figure(ctx, "expected", w->expected);
    pss__figure(ctx, "counted", w->counted);
    pss__figure(ctx, "difference", w->difference);
    pss__figure(ctx, "allowed", cfg->max_difference);
    return refuse(st, "session.close", PSS_ELIMIT, w->expected, w->counted, w->difference,
                  cfg->max_difference);
}

/* Settles the counted cash for posting: the count, or (no cash control, rescue, force
 * close without a count) the expected cash. */
static int settle_counted(pss_stage *st, close_args *a)
{
    pss_session_core *c = &st->core;
    const pss_config *cfg = st->s->config;
    int64_t expected;
    if (pss__expected_cash(c, &expected))
        return pss__fail(st->s->ctx, PSS_EOVERFLOW, "expected cash overflows");
    if (!pss__config_cash_method(cfg)) {
        c->counted_cash = PSS_UNSET;
        return 0;
    }
    if (a->force && a->force->counted_cash != PSS_UNSET) {
        c->counted_cash = a->force->counted_cash;
        a->counted_source = "given";
    } else if (c->counted && c->counted_cash != PSS_UNSET && !c->rescue) {
        a->counted_source = "count";
    } else if (!a->force && cfg->cash_control && !c->rescue) {
        char e[PSS_MONEY_BUFSIZE];
        pss__fail(st->s->ctx, PSS_ESTATE, "session %s has cash control and nobody counted the "
                                          "drawer; count it first (expected %s)",
                  c->name, pss__fmt(e, expected, cfg->exponent));
        return refuse(st, "session.close", PSS_ESTATE, expected, PSS_UNSET, PSS_UNSET, PSS_UNSET);
    } else {
        c->counted_cash = expected;
        a->counted_source = "expected";
    }
    c->counted = true; /* the record keeps what was posted as counted */
    return 0;
}

static int finish_close(pss_stage *st, close_args *a, pss_entry *e, const pss_method_figures *cash)
{
    pss_ctx *ctx = st->s->ctx;
    pss_session_core *c = &st->core;
    char key[PSS_CLAIM_KEY_MAX];
    pss__claim_key(key, sizeof key, c->rescue ? PSS__CLAIM_RESCUE : PSS__CLAIM_OPEN,
                   c->config_id);
    int rc = pss__entry_put(ctx, e, st->buf);
    if (rc || (rc = pss__release(ctx, key, c->id)))
        return rc;
    if (!c->rescue) {
        pss_chain ch;
        if ((rc = pss__chain_read(ctx, c->config_id, &ch)))
            return rc;
        memcpy(ch.last_session, c->id, PSS_ID_SIZE);
        ch.last_closing_cash = c->counted_cash == PSS_UNSET ? 0 : c->counted_cash;
        if ((rc = pss__chain_write(ctx, &ch, st->buf)))
            return rc;
    }
    c->state = PSS_SESSION_CLOSED;
    c->forced = a->force != NULL;
    c->closed_at = pss_ctx_now(ctx);
    snprintf(c->closed_by, sizeof c->closed_by, "%s", st->actor->user);
    snprintf(c->closing_note, sizeof c->closing_note, "%s", a->note ? a->note : "");
    memcpy(c->entry_id, e->id, PSS_ID_SIZE);
    pss__audit_extra x = {0};
    pss__extra_str(&x, "entry", e->id);
    pss__extra_int(&x, "posted", e->debits);
    if (a->counted_source)
        pss__extra_str(&x, "counted_source", a->counted_source);
    if (a->force) {
        pss__extra_ids(&x, "cancelled_orders", a->cancelled, a->n_cancelled);
        pss__extra_int(&x, "voided_payments", a->voided);
    }
    pss_audit_note note = pss__session_note(c, a->force ? "session.force_close" : "session.close");
    note.reason = a->force ? a->force->reason : a->note;
    note.extra = &x;
    if (cash && cash->counted != PSS_UNSET) {
        note.expected = cash->expected, note.counted = cash->counted;
        note.difference = cash->difference;
    }
    note.allowed = st->s->config->max_difference;
    if ((rc = pss__audit(ctx, st->actor, &note)) ||
        (rc = pss__event(ctx, PSS_EVENT_SESSION_CLOSED, c->config_id, c->id, NULL, e->id)))
        return rc;
    return pss__event(ctx, PSS_EVENT_ENTRY_POSTED, c->config_id, c->id, NULL, e->id);
}

static const pss_method_figures *cash_figures(const pss_method_figures *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].method->kind == PSS_METHOD_CASH)
            return &m[i];
    return NULL;
}

/* Counting, the limit (normal close), the entry and the close itself. */
static int post_and_close(pss_stage *st, close_args *a)
{
    pss_ctx *ctx = st->s->ctx;
    const char *action = a->force ? "session.force_close" : "session.close";
    int rc = settle_counted(st, a);
    if (rc)
        return rc;
    pss_method_figures *m = NULL;
    size_t n = 0;
    pss_entry *e = NULL;
    if ((rc = pss__method_figures(st->s, st, &st->core, &m, &n)))
        return rc;
    if (!a->force)
        rc = check_limit(st, m, n);
    if (!rc && (rc = pss__entry_build(st, m, n, &e)) == PSS_EUNBALANCED)
        rc = refuse_plain(st, action, rc);
    if (!rc)
        rc = finish_close(st, a, e, cash_figures(m, n));
    pss_entry_free(e);
    PSS_FREE(ctx, m);
    return rc;
}

static int op_close(pss_stage *st, void *arg)
{
    close_args *a = arg;
    pss_session *s = st->s;
    st->reason = a->note;
    int rc = pss__check_access(s, st->actor, PSS_ACCESS_SUPERVISE, PSS__CLOSING,
                               "close the session");
    if (rc && rc != PSS_EINVAL && rc != PSS_EVERSION)
        return refuse_plain(st, "session.close", rc);
    if (rc || (rc = check_blockers(st, "session.close")))
        return rc;
    return post_and_close(st, a);
}

int pss_session_close(pss_session *s, const pss_actor *actor, const pss_close_input *input)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    int rc = input ? pss__check_version(ctx, input, input->version, PSS_CLOSE_INPUT_VERSION,
                                        "pss_close_input")
                   : 0;
    if (rc || (rc = pss__check_actor(ctx, actor, PSS_ROLE_NONE, "close a session")) ||
        (rc = pss__check_text(ctx, "closing note", input ? input->note : NULL, PSS_TEXT_OPTIONAL,
                              PSS_NOTE_MAX)))
        return rc;
    close_args a = {input ? input->note : NULL, NULL, NULL, NULL, 0, 0};
    pss_op op = {PSS_ACCESS_AUDITED, PSS_SESSION_ANY_STATE, "close the session", op_close, &a};
    return pss__mutate_settled(s, actor, op);
}

/* ---- force close ---- */

static int cancel_draft(pss_stage *st, close_args *a, const char *order_id)
{
    pss_ctx *ctx = st->s->ctx;
    pss_order_data *base, *next;
    int rc = pss__order_read(ctx, order_id, &base);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ECORRUPT, "draft order %s of session %s is not in the store",
                         order_id, st->core.name);
    if (rc)
        return rc;
    if ((rc = pss__order_data_clone(ctx, base, &next))) {
        pss__order_data_free(ctx, base);
        return rc;
    }
    const char *reason = a->force->reason;
    for (size_t i = 0; !rc && i < next->n_payments; i++) {
        pss_payment *p = &next->payments[i];
        if (p->state != PSS_PAYMENT_DONE && p->state != PSS_PAYMENT_PENDING)
            continue;
        p->state = PSS_PAYMENT_VOIDED;
        next->rounding -= p->rounding; /* a voided settlement takes its rounding back */
        p->rounding = 0;
        p->reason = pss__pool_strdup(ctx->alloc, &next->pool, reason);
        if (reason && !p->reason)
            rc = pss__oom(ctx);
        a->voided++;
    }
    next->state = PSS_ORDER_CANCELLED;
    if (rc)
        pss__order_data_free(ctx, next);
    else
        rc = pss__order_commit(st, NULL, base, next);
    pss__order_data_free(ctx, base);
    return rc;
}

static int op_force_close(pss_stage *st, void *arg)
{
    close_args *a = arg;
    pss_ctx *ctx = st->s->ctx;
    pss_session_core *c = &st->core;
    st->reason = a->force->reason;
    a->voided = 0; /* counted by this run: a run again after a conflict counts afresh */
    int rc = pss__check_access(st->s, st->actor, PSS_ACCESS_ADMIN, PSS__NOT_CLOSED,
                               "force-close the session");
    if (rc && rc != PSS_EINVAL && rc != PSS_EVERSION)
        return refuse_plain(st, "session.force_close", rc);
    if (rc)
        return rc;
    if (c->n_pending && !a->force->void_pending) {
        pss__fail(ctx, PSS_EPAYPENDING, "session %s has %zu pending payment(s); resolve them or "
                                        "force-close with void_pending", c->name, c->n_pending);
        pss__figure(ctx, "count", (int64_t)c->n_pending);
        return refuse_plain(st, "session.force_close", PSS_EPAYPENDING);
    }
    size_t n = c->n_drafts;
    char(*drafts)[PSS_ID_SIZE] = n ? PSS_ALLOC(ctx, n * PSS_ID_SIZE) : NULL;
    if (n && !drafts)
        return pss__oom(ctx);
    if (n)
        memcpy(drafts, c->drafts, n * PSS_ID_SIZE); /* cancelling edits the list */
    for (size_t i = 0; !rc && i < n; i++)
        rc = cancel_draft(st, a, drafts[i]);
    a->cancelled = (const char(*)[PSS_ID_SIZE])drafts;
    a->n_cancelled = n;
    if (!rc)
        rc = post_and_close(st, a); /* never opened: no opening count, no opening difference */
    PSS_FREE(ctx, drafts);
    return rc;
}

int pss_session_force_close(pss_session *s, const pss_actor *actor,
                            const pss_force_close_input *input)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    int rc = pss__check_version(ctx, input, input ? input->version : 0,
                                PSS_FORCE_CLOSE_INPUT_VERSION, "pss_force_close_input");
    if (rc || (rc = pss__check_actor(ctx, actor, PSS_ROLE_NONE, "force-close a session")) ||
        (rc = pss__check_text(ctx, "force close reason", input->reason, PSS_TEXT_REQUIRED,
                              PSS_NOTE_MAX)))
        return rc;
    if (input->counted_cash != PSS_UNSET && input->counted_cash < 0)
        return pss__fail(ctx, PSS_EINVAL, "counted cash is negative");
    if (input->counted_cash != PSS_UNSET &&
        (rc = pss__check_amount(ctx, "the counted cash", input->counted_cash,
                                pss_config_exponent(s->config))))
        return rc;
    close_args a = {input->reason, input, NULL, NULL, 0, 0};
    pss_op op = {PSS_ACCESS_AUDITED, PSS_SESSION_ANY_STATE, "force-close the session",
                 op_force_close, &a};
    return pss__mutate_settled(s, actor, op);
}
