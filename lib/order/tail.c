/* tail.c: the orders a session recorded since its keyed running totals were last written (at
 * most PSS__FOLD_EVERY, doc/storage.md "Running totals"). A handle loaded meanwhile holds the
 * total records alone; replaying these orders' contributions, with the contribution code
 * every change uses (contrib.c), makes its totals whole again before a call relies on them. */
#include "order/order_internal.h"

#include <string.h>

#include "store/records.h"
#include "store/store.h"

typedef struct replay {
    pss_stage *st;
    pss_order_data **orders; /* the last orders created, decoded, until they are checked */
    int64_t n, seen;
    bool misplaced; /* the last orders created are not the last ones numbered */
    /* The record's figures and lists, which count the orders before its next_order: put
     * back once those are replayed, so that what they add counts only in the keyed totals. */
    pss_scalars scalars;
    size_t n_drafts, n_pending;
    bool restored;
    /* counting the orders a record is behind by: a store that does not pass them last is
     * read whole for the newest number too */
    bool catching_up;
} replay;

static bool waiting(const pss_stage *st, const pss_order_data *d)
{
    return d->number >= st->core.folded_from && d->number < st->core.next_order;
}

/* An order the session record does not count (a submit left the record as it was). */
static bool beyond_record(const pss_stage *st, const pss_order_data *d)
{
    return d->number >= st->s->stored_next;
}

static void restore_counted(replay *r)
{
    if (r->restored)
        return;
    r->st->core.totals = r->scalars;
    r->st->core.n_drafts = r->n_drafts; /* a replayed order only ever appends to them */
    r->st->core.n_pending = r->n_pending;
    r->restored = true;
}

/* One order's contribution. Beyond the record it counts whole, figures, lists and the lease
 * its maker renewed, as when it was recorded (session/mutate.c). */
static int replay_one(replay *r, const pss_order_data *d)
{
    pss_stage *st = r->st;
    bool beyond = beyond_record(st, d);
    if (beyond)
        restore_counted(r);
    int rc = pss__order_transition(st, NULL, d);
    if (!rc && beyond)
        pss__lease_renew_by_order(&st->core, st->s->config, d->created_by, d->created_at);
    return rc;
}

/* The last orders created, kept until all are known to be the ones numbered in turn. */
static int on_last_order(const pss_record *rec, void *arg)
{
    replay *r = arg;
    pss_order_data *d;
    int rc = pss__order_decode(r->st->s->ctx, rec, &d);
    if (rc)
        return rc;
    r->misplaced |= d->number != r->st->core.folded_from + r->seen || r->seen >= r->n;
    if (r->seen < r->n)
        r->orders[r->seen++] = d;
    else
        pss__order_data_free(r->st->s->ctx, d);
    return 0;
}

/* Any order of the session: replayed when its number waits, those the record counts in a
 * first scan (restored is false), the others in a second. */
static int on_any_order(const pss_record *rec, void *arg)
{
    replay *r = arg;
    pss_order_data *d;
    int rc = pss__order_decode(r->st->s->ctx, rec, &d);
    if (rc)
        return rc;
    if (waiting(r->st, d) && beyond_record(r->st, d) == r->restored) {
        rc = replay_one(r, d);
        r->seen++;
    }
    pss__order_data_free(r->st->s->ctx, d);
    return rc;
}

/* The orders to replay are the last ones created (scan_last). A store whose scan order is not
 * the creation order (a copy that sorted its records) breaks the storage contract; it is
 * still answered right, by scans of every order of the session that pick them by number,
 * at the cost of reading them all. */
static int on_order_number(const pss_record *rec, void *arg)
{
    replay *r = arg;
    pss_order_data *d;
    int rc = pss__order_decode(r->st->s->ctx, rec, &d);
    if (rc)
        return rc;
    if (d->number >= r->st->core.next_order)
        r->st->core.next_order = d->number + 1;
    pss__order_data_free(r->st->s->ctx, d);
    return 0;
}

/* The orders picked by number from scans of all of them. */
static int replay_by_number(replay *r)
{
    pss_stage *st = r->st;
    pss_ctx *ctx = st->s->ctx;
    const char *id = st->s->core.id;
    pss__log(ctx, PSS_LOG_WARN, "session %s: the store does not pass its last orders in the "
             "order they were created; reading all of them", st->s->core.name);
    int rc = r->catching_up ? pss__scan(ctx, PSS__KIND_ORDER, id, on_order_number, r) : 0;
    r->n = st->core.next_order - st->core.folded_from;
    r->seen = 0;
    if (!rc)
        rc = pss__scan(ctx, PSS__KIND_ORDER, id, on_any_order, r);
    restore_counted(r);
    return rc ? rc : pss__scan(ctx, PSS__KIND_ORDER, id, on_any_order, r);
}

static int replay_orders(replay *r)
{
    pss_stage *st = r->st;
    pss_ctx *ctx = st->s->ctx;
    int64_t n = r->n;
    if (r->misplaced)
        return replay_by_number(r);
    if (!(r->orders = PSS_CALLOC(ctx, (size_t)n, sizeof *r->orders)))
        return pss__oom(ctx);
    int rc = pss__scan_last(ctx, PSS__KIND_ORDER, st->s->core.id, (size_t)n, on_last_order, r);
    bool in_turn = !rc && !r->misplaced && r->seen == n;
    for (int64_t i = 0; i < r->seen; i++) {
        if (in_turn && !rc)
            rc = replay_one(r, r->orders[i]);
        pss__order_data_free(ctx, r->orders[i]);
    }
    PSS_FREE(ctx, r->orders);
    r->orders = NULL;
    return rc || in_turn ? rc : replay_by_number(r);
}

/* Adds the contributions of the orders not folded yet to the stage's keyed deltas; the
 * scalars and the draft and pending lists already count those the session record counts,
 * so what the replay adds to them for those is taken back. */
static int replay_into(pss_stage *st, bool catching_up, bool misplaced)
{
    pss_session *s = st->s;
    replay r;
    memset(&r, 0, sizeof r);
    r.st = st;
    r.catching_up = catching_up;
    r.misplaced = misplaced;
    r.n = st->core.next_order - st->core.folded_from;
    r.scalars = st->core.totals;
    r.n_drafts = st->core.n_drafts;
    r.n_pending = st->core.n_pending;
    int rc = replay_orders(&r);
    if (!rc && r.seen != r.n)
        rc = pss__fail(s->ctx, PSS_ECORRUPT, "session %s has %lld orders to replay (numbers "
                       "%lld on) and the store holds %lld", s->core.name, (long long)r.n,
                       (long long)st->core.folded_from, (long long)r.seen);
    restore_counted(&r);
    return rc;
}

int pss__stage_settle(pss_stage *st)
{
    if (st->s->tail_settled || st->tail_replayed)
        return 0;
    int rc = replay_into(st, false, false);
    if (!rc)
        st->tail_replayed = true;
    return rc;
}

typedef struct settled_op {
    pss_op_fn fn;
    void *arg;
} settled_op;

static int op_settled(pss_stage *st, void *arg)
{
    settled_op *x = arg;
    int rc = pss__stage_settle(st);
    return rc ? rc : x->fn(st, x->arg);
}

int pss__mutate_settled(pss_session *s, const pss_actor *actor, pss_op op)
{
    settled_op x = {op.fn, op.arg};
    op.fn = op_settled;
    op.arg = &x;
    return pss__mutate(s, actor, &op);
}

int pss__session_settle(pss_session *s)
{
    if (s->tail_settled)
        return 0;
    pss_stage st;
    int rc = pss__stage_init(&st, s, NULL);
    if (rc)
        return rc;
    st.replay = true; /* resolve the contributions; write nothing */
    st.skip_session = true; /* only the keyed totals change */
    rc = pss__stage_settle(&st);
    if (!rc)
        rc = pss__stage_write_deltas(&st);
    pss__stage_finish(&st, rc == 0);
    return rc;
}

/* ---- a record that counts fewer orders than the store holds ---- */

static int on_newest(const pss_record *rec, void *arg)
{
    replay *r = arg;
    pss_order_data *d;
    int rc = pss__order_decode(r->st->s->ctx, rec, &d);
    if (rc)
        return rc;
    r->n = d->number;
    pss__order_data_free(r->st->s->ctx, d);
    return 0;
}

static int too_many_waiting(pss_session *s, int64_t newest)
{
    return pss__fail(s->ctx, PSS_ECORRUPT, "session %s has orders %lld to %lld in no total "
                     "record, more than %d", s->core.name, (long long)s->core.folded_from,
                     (long long)newest, PSS__FOLD_EVERY);
}

/* Counts the orders a version 3 record is behind by: from the record's next_order to the
 * newest order's number (at most PSS__FOLD_EVERY orders wait from folded_from), replayed
 * whole into the handle, whose record revision stays the stored one. */
static int catch_up(pss_session *s)
{
    pss_stage st;
    int rc = pss__stage_init(&st, s, NULL);
    if (rc)
        return rc;
    replay newest = {.st = &st};
    rc = pss__scan_last(s->ctx, PSS__KIND_ORDER, s->core.id, 1, on_newest, &newest);
    /* a store that breaks the contract's scan order (a copy that sorted its records) may pass
     * an older order last: its orders are then read whole */
    bool misplaced = !rc && newest.n < s->stored_next - 1;
    bool behind = !rc && (misplaced || newest.n >= s->stored_next);
    if (behind && !misplaced && newest.n + 1 - s->core.folded_from > PSS__FOLD_EVERY) {
        rc = too_many_waiting(s, newest.n);
        behind = false;
    }
    if (behind) {
        st.replay = true; /* resolve the contributions; write nothing */
        st.core_unwritten = true;
        st.core_rev = s->rev;
        st.core.next_order = misplaced ? s->stored_next : newest.n + 1;
        if (!(rc = replay_into(&st, true, misplaced)))
            st.tail_replayed = true;
        if (!rc && st.core.next_order - st.core.folded_from > PSS__FOLD_EVERY)
            rc = too_many_waiting(s, st.core.next_order - 1);
        if (!rc)
            rc = pss__stage_write_deltas(&st);
    }
    pss__stage_finish(&st, behind && rc == 0);
    return rc;
}

#if defined(__GNUC__)
__attribute__((constructor))
#endif
static void install_catch_up(void)
{
    pss__session_set_catch_up(catch_up);
}
