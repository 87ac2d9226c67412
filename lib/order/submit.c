/* submit.c: orders made offline by a till arrive complete (lines and payments) and are
 * recorded in one call, or many in one transaction. The order id makes a submit idempotent:
 * the same content again changes nothing, other content is a conflict. An order for a
 * session that is being counted or has closed meanwhile is late: the config's policy sends it
 * to the open session or a rescue session made for it, or refuses it; it never reopens a
 * closed session and never lands in one being counted. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "base/text.h"
#include "store/records.h"
#include "util/hash.h"


#define MAX_BATCH 100000

/* ---- one order ---- */

typedef struct existing {
    pss_ctx *ctx;
    char hash[PSS_HASH_SIZE];
    char session[PSS_ID_SIZE];
    int state;
    bool found;
} existing;

static int on_existing(const pss_record *rec, void *arg)
{
    existing *e = arg;
    pss_order_data *d;
    int rc = pss__order_decode(e->ctx, rec, &d);
    if (rc)
        return rc;
    e->found = true;
    memcpy(e->hash, d->input_hash, PSS_HASH_SIZE);
    memcpy(e->session, d->session_id, PSS_ID_SIZE);
    e->state = d->state;
    pss__order_data_free(e->ctx, d);
    return 0;
}

static void fill_result(pss_submit_result *res, const char *order_id, const char *session_id,
                        pss_order_state state)
{
    if (!res)
        return;
    pss__copy_text(res->order_id, sizeof res->order_id, order_id);
    pss__copy_text(res->session_id, sizeof res->session_id, session_id);
    res->state = state;
}

/* The order is already stored: same content is a no-op answered as the first submit was
 * (where it went, whether that was another session, a rescue one), other content a conflict. */
static int check_duplicate(pss_ctx *ctx, const existing *e, const pss_order_input *in,
                           const char *submitted_to, const char *hash, pss_submit_result *res)
{
    char id[PSS_ID_SIZE];
    pss_id_normalize(in->id, id);
    if (!pss__input_hash_same(in, hash, e->hash))
        return pss__fail(ctx, PSS_ECONFLICT,
                         "order %s was already recorded (session %s) with other content; an "
                         "order id is never reused", id, e->session);
    if (!res)
        return 0;
    bool routed = strcmp(e->session, submitted_to) != 0, rescue = false;
    int rc = pss__session_is_rescue(ctx, e->session, &rescue);
    if (rc)
        return rc;
    res->duplicate = 1;
    res->routed = routed;
    res->rescue = rescue;
    fill_result(res, id, e->session, (pss_order_state)e->state);
    return 0;
}

/* Looks the order up: *fresh when it is not stored yet, else it is answered here. */
static int find_existing(pss_ctx *ctx, const pss_order_input *in, const char *submitted_to,
                         pss_submit_result *res, bool *fresh, char id[PSS_ID_SIZE])
{
    char hash[PSS_HASH_SIZE];
    *fresh = false;
    int rc = pss__check_order_input(ctx, in, true, id);
    if (rc)
        return rc;
    existing e = {ctx, "", "", 0, false};
    /* a store with checks makes the transaction depend on the order being new, which a
     * fresh id from a till is: one that is not fails the commit, and the run after reads */
    rc = pss__store_can_check(ctx) ? pss__check(ctx, PSS__KIND_ORDER, id, 0) : PSS_ECONFLICT;
    if (rc == PSS_ECONFLICT)
        rc = pss__get(ctx, PSS__KIND_ORDER, id, on_existing, &e);
    else if (!rc)
        rc = PSS_ENOTFOUND;
    if (rc == PSS_ENOTFOUND) {
        *fresh = true;
        return 0;
    }
    pss__input_hash(in, hash);
    return rc ? rc : check_duplicate(ctx, &e, in, submitted_to, hash, res);
}

static int build_order(pss_stage *st, const pss_order_input *in, const char *id,
                       const char *hash, pss_order_data **out)
{
    pss_ctx *ctx = st->s->ctx;
    pss_order_data *d = pss__order_data_new(ctx);
    if (!d)
        return pss__oom(ctx);
    memcpy(d->input_hash, hash, PSS_HASH_SIZE);
    int rc = pss__order_start(st, d, in, id);
    if (!rc)
        rc = pss__order_fill_lines(st, d, in->lines, in->n_lines);
    if (!rc)
        rc = pss__order_compute(ctx, st->s->config, d);
    size_t stride = in->n_payments ? pss__payment_input_stride(in->payments[0].version) : 0;
    for (size_t i = 0; !rc && i < in->n_payments; i++) {
        const pss_payment_input *p =
            (const pss_payment_input *)((const char *)in->payments + i * stride);
        if (p->version != in->payments[0].version)
            rc = pss__fail(ctx, PSS_EINVAL, "payment %zu has another version than payment 0", i);
        else
            rc = pss__order_add_payment_input(st, d, p, true);
    }
    if (!rc) /* a complete order with nothing due (free items) is paid by no payment */
        pss__order_mark_paid_if_covered(ctx, d);
    if (rc) {
        pss__order_data_free(ctx, d);
        return rc;
    }
    *out = d;
    return 0;
}

/* Records one order in the staged session. *committed tells whether anything was staged
 * (then a failure spoils the whole transaction). An order met earlier in the same batch is
 * found like any stored one: reads inside a transaction see its own writes. */
static int submit_one(pss_stage *st, const pss_order_input *in, const char *submitted_to,
                      bool again, pss_submit_result *res, bool *committed)
{
    pss_ctx *ctx = st->s->ctx;
    char id[PSS_ID_SIZE], hash[PSS_HASH_SIZE];
    *committed = false;
    int rc = pss__check_order_input(ctx, in, true, id);
    if (rc)
        return rc;
    pss__input_hash(in, hash);
    existing e = {ctx, "", "", 0, false};
    /* answer_known found it unstored; only an earlier order of the batch may have taken it */
    rc = again ? pss__get(ctx, PSS__KIND_ORDER, id, on_existing, &e) : PSS_ENOTFOUND;
    if (rc != PSS_ENOTFOUND)
        return rc ? rc : check_duplicate(ctx, &e, in, submitted_to, hash, res);
    pss_order_data *d = NULL;
    int64_t number = st->core.next_order; /* a refused order takes no number: they are gapless */
    if (!(rc = build_order(st, in, id, hash, &d)) &&
        (rc = pss__stage_check_volume(st, pss__order_volume(d))))
        pss__order_data_free(ctx, d);
    if (rc) {
        st->core.next_order = number;
        return rc; /* refused before anything is staged: the batch goes on */
    }
    pss_order_state state = d->state;
    *committed = true;
    if ((rc = pss__order_audit_returns(st, d, 0))) {
        pss__order_data_free(ctx, d);
        return rc;
    }
    rc = pss__order_commit(st, NULL, NULL, d);
    if (!rc)
        rc = pss__order_put_meta(st, in, id);
    if (!rc)
        fill_result(res, id, st->core.id, state);
    return rc;
}

/* ---- routing late orders ---- */

static int read_holder(pss_ctx *ctx, const char *kind, const char *config_id, pss_session **out)
{
    char key[PSS_CLAIM_KEY_MAX], holder[PSS_ID_SIZE];
    pss__claim_key(key, sizeof key, kind, config_id);
    *out = NULL;
    int rc = pss__lookup(ctx, key, holder, sizeof holder);
    if (rc == PSS_ENOTFOUND)
        return 0;
    return rc ? rc : pss__session_read(ctx, holder, out);
}

/* Under PSS_LATE_REFUSE: the error a late order gets, naming the session and the policy. */
static int refuse_late(const pss_session *late, const pss_config *cfg)
{
    bool closed = late->core.state == PSS_SESSION_CLOSED;
    return pss__fail(late->ctx, closed ? PSS_ECLOSED : PSS_ESTATE,
                     "session %s is %s and config '%s' refuses late orders (late_orders: "
                     "refuse); record the order in a session that trades",
                     late->core.name, closed ? "closed" : "being counted", cfg->name);
}

/* The config's rescue session, made when there is none; one being closed takes nothing. */
static int rescue_session(pss_ctx *ctx, const pss_config *cfg, const pss_actor *actor,
                          pss_session **target)
{
    pss_session *s;
    int rc = read_holder(ctx, PSS__CLAIM_RESCUE, cfg->id, &s);
    if (rc)
        return rc;
    if (s && s->core.state != PSS_SESSION_IN_PROGRESS) {
        rc = pss__fail(ctx, PSS_ESTATE, "rescue session %s of config '%s' is being closed; "
                                        "submit the late order again after it closed",
                       s->core.name, cfg->name);
        pss__session_release(s);
        return rc;
    }
    if (s) {
        *target = s;
        return 0;
    }
    char id[PSS_ID_SIZE], date[PSS_DATE_SIZE];
    pss_id_generate(id);
    pss__date_of(pss_ctx_now(ctx), date);
    return pss__session_create_in_txn(ctx, cfg, actor, id, date, true, target);
}

/* The session a late order goes to under the config's policy as it is stored now (it may
 * have changed since the late session closed): its open session while that trades, else its
 * rescue session (PSS_LATE_ROUTE); always the rescue session (PSS_LATE_RESCUE); none
 * (PSS_LATE_REFUSE). The session being counted holds the open claim but does not trade. */
static int route_with(pss_session *late, const pss_config *cfg, const pss_actor *actor,
                      pss_session **target)
{
    pss_ctx *ctx = late->ctx;
    if (cfg->late_orders == PSS_LATE_REFUSE)
        return refuse_late(late, cfg);
    if (cfg->late_orders == PSS_LATE_ROUTE) {
        pss_session *s;
        int rc = read_holder(ctx, PSS__CLAIM_OPEN, cfg->id, &s);
        if (rc || (s && s->core.state == PSS_SESSION_IN_PROGRESS)) {
            *target = s;
            return rc;
        }
        pss__session_release(s);
    }
    return rescue_session(ctx, cfg, actor, target);
}

static int route(pss_session *late, const pss_actor *actor, pss_session **target)
{
    pss_config *cfg = NULL;
    int rc = pss__config_read(late->ctx, late->core.config_id, &cfg);
    if (!rc)
        rc = route_with(late, cfg, actor, target);
    pss_config_free(cfg);
    return rc;
}

static int audit_routed(pss_stage *st, const pss_session *from, const char *order_id)
{
    pss_ctx *ctx = st->s->ctx;
    pss__audit_extra x = {0};
    pss__extra_str(&x, "order", order_id);
    pss__extra_str(&x, "from_session", from->core.id);
    pss__extra_str(&x, "from_name", from->core.name);
    int rc = pss__audit_staged(st, "order.routed", NULL, &x);
    return rc ? rc : pss__event(ctx, PSS_EVENT_ORDER_ROUTED, st->core.config_id, st->core.id,
                                order_id, NULL);
}

/* ---- the driver ---- */

typedef struct submit_job {
    pss_session *s;
    const pss_actor *actor;
    const pss_order_input *const *orders; /* batch */
    const pss_order_input *single;
    size_t n;
    pss_submit_result *results;
    size_t result_stride;
    size_t accepted; /* recorded or found duplicate */
    size_t recorded; /* newly recorded */
    size_t known;    /* already stored: duplicates and conflicts */
    unsigned char *fresh; /* per order: not stored yet, to be recorded */
    unsigned char *again; /* per order: its id is an earlier fresh order's of the batch */
    /* the canonical ids of the batch's fresh orders, found by an open-addressing table of
     * their positions: no key is copied (a map with copied keys cost 1,300 instructions per
     * order in batches of 1000, callgrind) */
    char (*ids)[PSS_ID_SIZE];
    uint32_t *slots;
    size_t mask;
} submit_job;

static pss_submit_result *result_at(submit_job *job, size_t i)
{
    if (!job->results)
        return NULL;
    return (pss_submit_result *)((char *)job->results + i * job->result_stride);
}

static const pss_order_input *order_at(submit_job *job, size_t i)
{
    return job->single ? job->single : job->orders[i];
}

/* A session being counted or closed no longer trades: new orders submitted to it are late. */
static bool late_state(pss_session_state state)
{
    return state == PSS_SESSION_CLOSING_CONTROL || state == PSS_SESSION_CLOSED;
}

/* Finds where the orders go: the session itself, or (late) the routing target. */
static int pick_target(submit_job *job, pss_session **target, bool *routed)
{
    pss_session *s = job->s; /* synced by check_submitter, in this transaction */
    int rc;
    *routed = late_state(s->core.state);
    if (!*routed) {
        *target = s;
        return pss__check_access(s, job->actor, PSS_ACCESS_SUPERVISE, PSS__IN_PROGRESS,
                                 "submit orders");
    }
    if ((rc = route(s, job->actor, target)))
        return rc;
    return pss__check_access(*target, job->actor, PSS_ACCESS_ANY, PSS__IN_PROGRESS,
                             "submit late orders");
}

/* Whether a failure belongs to the order (its content, its refund, its payments, a return
 * its submitter's role may not make) rather than to the store or the machine, which spoils
 * the whole transaction. Who may submit at all is checked before any order (pick_target). */
static bool order_level(int rc)
{
    switch (rc) {
    case PSS_EINVAL: case PSS_ENOTFOUND: case PSS_ECONFLICT: case PSS_EOVERFLOW:
    case PSS_EREFUND: case PSS_EOVERPAY: case PSS_EVERSION: case PSS_ESTATE: case PSS_EDRAWER:
    case PSS_EACCESS:
        return true;
    default:
        return false;
    }
}

/* Hints the store of the orders' lookups (find_existing), so that a store on a server
 * sends them with the session's reads, after them (pss_storage::prefetch). An id that is
 * no UUID is left to find_existing to refuse. */
static int prefetch_orders(void *arg)
{
    submit_job *job = arg;
    int rc = 0;
    if (!pss__store_has_prefetch(job->s->ctx) || pss__store_can_check(job->s->ctx))
        return 0; /* no store to hint, or their lookups are checks */
    for (size_t i = 0; !rc && i < job->n; i++) {
        const pss_order_input *in = order_at(job, i);
        char id[PSS_ID_SIZE];
        if (in && in->version >= 1 && in->id && pss_id_normalize(in->id, id) == 0)
            rc = pss__prefetch(job->s->ctx, PSS__KIND_ORDER, id, 0);
    }
    return rc;
}

/* The actor's form and role, before anything is looked up. */
static int check_submitter(submit_job *job)
{
    int rc = pss__check_actor(job->s->ctx, job->actor, PSS_ROLE_CASHIER, "submit orders");
    return rc ? rc : pss__session_sync_hinted(job->s, prefetch_orders, job);
}

/* Answers about orders already recorded go to whoever may submit to the session (its
 * responsible user or a manager while it trades, anyone once it is counted or closed, as
 * late orders may come from anyone) in any of its states. New orders take the full check of
 * pick_target (role, state, then user and lease). */
static int check_answer_to(submit_job *job)
{
    pss_session *s = job->s;
    pss_access access = late_state(s->core.state) ? PSS_ACCESS_ANY : PSS_ACCESS_SUPERVISE;
    return pss__check_access(s, job->actor, access, PSS_SESSION_ANY_STATE, "submit orders");
}

/* Marks a fresh order whose id an earlier fresh order of the batch has: recorded first, that
 * one makes this one a duplicate or a conflict (submit_one reads it back). Ids are compared
 * in their canonical form, as stored. */
static void note_repeat(submit_job *job, size_t i, const char id[PSS_ID_SIZE])
{
    if (job->single)
        return; /* one order has no earlier one */
    memcpy(job->ids[i], id, PSS_ID_SIZE);
    size_t at = pss__hash_spread(pss__hash_text(PSS_HASH_SEED, id, PSS_ID_SIZE - 1)) & job->mask;
    for (; job->slots[at]; at = (at + 1) & job->mask) {
        if (memcmp(job->ids[job->slots[at] - 1], id, PSS_ID_SIZE) == 0) {
            job->again[i] = 1;
            return;
        }
    }
    job->slots[at] = (uint32_t)i + 1;
}

/* Before anything is routed: orders already stored are answered (duplicates, conflicts) and
 * bad input refused; what is left is fresh, to be recorded. */
static int answer_known(submit_job *job, size_t *n_fresh)
{
    pss_ctx *ctx = job->s->ctx;
    *n_fresh = 0;
    for (size_t i = 0; i < job->n; i++) {
        pss_submit_result *res = result_at(job, i);
        bool fresh = false;
        char id[PSS_ID_SIZE];
        int rc = find_existing(ctx, order_at(job, i), job->s->core.id, res, &fresh, id);
        if (res)
            res->status = rc;
        job->known += (!rc && !fresh) || rc == PSS_ECONFLICT;
        job->fresh[i] = !rc && fresh;
        if (job->fresh[i])
            note_repeat(job, i, id);
        *n_fresh += job->fresh[i];
        job->accepted += !rc && !fresh;
        if (rc && (job->single || !order_level(rc)))
            return rc;
        if (rc)
            pss__clear(ctx);
    }
    return 0;
}

static int run_orders(submit_job *job, pss_stage *st, bool routed)
{
    pss_ctx *ctx = job->s->ctx;
    for (size_t i = 0; i < job->n; i++) {
        if (!job->fresh[i])
            continue;
        pss_submit_result *res = result_at(job, i);
        bool committed;
        int rc = submit_one(st, order_at(job, i), job->s->core.id, job->again[i], res,
                            &committed);
        bool duplicate = res && res->duplicate; /* the same order twice in the batch */
        char id[PSS_ID_SIZE];
        if (!rc && routed && !duplicate && pss_id_normalize(order_at(job, i)->id, id) == 0)
            rc = audit_routed(st, job->s, id); /* events and audit give the canonical id */
        if (res) {
            res->status = rc;
            res->routed = duplicate ? res->routed : routed && !rc;
            res->rescue = duplicate ? res->rescue : !rc && st->core.rescue;
        }
        if (!rc) {
            job->accepted++;
            job->recorded += committed;
            continue;
        }
        if (job->single || committed || !order_level(rc))
            return rc; /* a single order, or the transaction is spoiled */
        pss__clear(ctx);
    }
    return 0;
}

/* Routes and records the fresh orders in the open transaction. A submit that records
 * nothing is rolled back whole: it makes no rescue session and renews no lease. */
static int record_fresh(submit_job *job)
{
    pss_ctx *ctx = job->s->ctx;
    pss_session *target = NULL;
    bool routed = false, staged = false;
    pss_stage st;
    int rc = pick_target(job, &target, &routed);
    if (!rc && !(rc = pss__stage_init(&st, target, job->actor)))
        staged = true;
    if (staged) {
        st.late = routed;
        st.defer_totals = true; /* it only records new orders: they carry their totals */
        rc = pss__stage_settle(&st);
    }
    if (!rc)
        rc = run_orders(job, &st, routed);
    bool keep = !rc && job->recorded > 0;
    if (keep)
        rc = pss__stage_write(&st);
    if (keep && !rc)
        rc = pss__txn_commit_only(ctx);
    else
        pss__txn_rollback(ctx);
    if (staged)
        pss__stage_finish(&st, keep && rc == 0);
    pss__events_flush(ctx, keep && rc == 0);
    if (target && target != job->s)
        pss__session_release(target);
    return rc;
}

/* A batch that mixes recorded orders with new ones while the session does not trade: the
 * recorded ones keep their answers, each new one is refused on its own, nothing changed. */
static int refuse_fresh(submit_job *job, int rc)
{
    for (size_t i = 0; i < job->n; i++) {
        pss_submit_result *res = result_at(job, i);
        if (job->fresh[i] && res)
            res->status = rc;
    }
    pss__clear(job->s->ctx);
    return 0;
}

static void free_job(submit_job *job)
{
    pss_ctx *ctx = job->s->ctx;
    PSS_FREE(ctx, job->fresh);
    PSS_FREE(ctx, job->again);
    PSS_FREE(ctx, job->slots);
    PSS_FREE(ctx, job->ids);
}

static int submit_txn(submit_job *job)
{
    pss_ctx *ctx = job->s->ctx;
    size_t n_fresh = 0;
    job->fresh = PSS_CALLOC(ctx, job->n ? job->n : 1, 1);
    job->again = PSS_CALLOC(ctx, job->n ? job->n : 1, 1);
    size_t slots = 2;
    while (!job->single && slots < 2 * job->n) /* at most half full */
        slots *= 2;
    job->mask = slots - 1;
    job->slots = job->single ? NULL : PSS_CALLOC(ctx, slots, sizeof *job->slots);
    job->ids = job->single ? NULL : PSS_CALLOC(ctx, job->n, sizeof *job->ids);
    if (!job->fresh || !job->again || (!job->single && (!job->slots || !job->ids))) {
        free_job(job);
        return pss__oom(ctx);
    }
    int rc = pss__txn_begin(ctx, true);
    if (!rc && !(rc = check_submitter(job)) && !(rc = answer_known(job, &n_fresh)) &&
        job->known)
        rc = check_answer_to(job);
    if (!rc && n_fresh)
        rc = record_fresh(job);
    else
        pss__txn_rollback(ctx); /* nothing new: nothing changes */
    if ((rc == PSS_ESTATE || rc == PSS_ECLOSED) && job->known && !job->single)
        rc = refuse_fresh(job, rc);
    free_job(job);
    return rc;
}

static int init_results(pss_ctx *ctx, submit_job *job)
{
    if (!job->results || job->n == 0) /* an empty batch may pass no results at all */
        return 0;
    int rc = pss__check_version(ctx, job->results, job->results->version,
                                PSS_SUBMIT_RESULT_VERSION, "pss_submit_result");
    if (rc)
        return rc;
    job->result_stride = sizeof(pss_submit_result);
    for (size_t i = 0; i < job->n; i++) {
        pss_submit_result *r = result_at(job, i);
        if (r->version != job->results->version)
            return pss__fail(ctx, PSS_EINVAL, "result %zu has another version than result 0", i);
        uint32_t v = r->version;
        memset(r, 0, job->result_stride);
        r->version = v;
    }
    return 0;
}

/* A submit the store refuses with a conflict changed nothing: it runs again from the start
 * (session/mutate.c, PSS__ATTEMPTS). */
static int submit_retrying(submit_job *job)
{
    pss_ctx *ctx = job->s->ctx;
    submit_job first = *job;
    int rc, attempt = 0;
    do {
        *job = first;
        rc = init_results(ctx, job);
        if (!rc)
            rc = submit_txn(job);
    } while (pss__retry_conflict(ctx, rc, &attempt));
    return rc;
}

static void fail_all(submit_job *job, int rc)
{
    for (size_t i = 0; i < job->n; i++) {
        pss_submit_result *r = result_at(job, i);
        if (r) {
            uint32_t v = r->version;
            memset(r, 0, job->result_stride);
            r->version = v;
            r->status = rc;
        }
    }
}

int pss_session_submit(pss_session *s, const pss_actor *actor, const pss_order_input *input,
                       pss_submit_result *result)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    submit_job job = {s, actor, NULL, input, 1, result, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0};
    int rc = init_results(ctx, &job);
    char id[PSS_ID_SIZE];
    if (rc || (rc = pss__check_order_input(ctx, input, true, id))) {
        if (result && !init_results(ctx, &job))
            fail_all(&job, rc);
        return rc;
    }
    rc = submit_retrying(&job);
    if (rc)
        fail_all(&job, rc);
    return rc;
}

int pss_session_submit_batch(pss_session *s, const pss_actor *actor,
                             const pss_order_input *const *orders, size_t n,
                             pss_submit_result *results, size_t *accepted)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    if (accepted)
        *accepted = 0;
    submit_job job = {s, actor, orders, NULL, n, results, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0};
    int rc = init_results(ctx, &job);
    if (rc)
        return rc;
    if (n > MAX_BATCH || (n && !orders))
        return pss__fail(ctx, PSS_EINVAL, "a batch holds 1 to %d orders (got %zu%s)", MAX_BATCH,
                         n, n && !orders ? " and no array" : "");
    for (size_t i = 0; i < n; i++)
        if (!orders[i])
            return pss__fail(ctx, PSS_EINVAL, "order %zu of the batch is NULL", i);
    if (n == 0)
        return 0;
    rc = submit_retrying(&job);
    if (rc) {
        fail_all(&job, rc);
        return rc;
    }
    if (accepted)
        *accepted = job.accepted;
    return 0;
}
