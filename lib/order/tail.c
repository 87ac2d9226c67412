/* tail.c: the orders a session recorded since its keyed running totals were last written (at
 * most PSS__FOLD_EVERY, doc/storage.md "Running totals"). A handle loaded meanwhile holds the
 * total records alone; replaying these orders' contributions, with the contribution code
 * every change uses (contrib.c), makes its totals whole again before a call relies on them. */
#include "order/order_internal.h"

#include "store/records.h"
#include "store/store.h"

typedef struct replay {
    pss_stage *st;
    pss_order_data **orders; /* the last orders created, decoded, until they are checked */
    int64_t n, seen;
    bool misplaced; /* the last orders created are not the last ones numbered */
} replay;

static bool waiting(const pss_stage *st, const pss_order_data *d)
{
    return d->number >= st->core.folded_from && d->number < st->core.next_order;
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

/* Any order of the session: replayed when its number waits. */
static int on_any_order(const pss_record *rec, void *arg)
{
    replay *r = arg;
    pss_order_data *d;
    int rc = pss__order_decode(r->st->s->ctx, rec, &d);
    if (rc)
        return rc;
    if (waiting(r->st, d)) {
        rc = pss__order_transition(r->st, NULL, d);
        r->seen++;
    }
    pss__order_data_free(r->st->s->ctx, d);
    return rc;
}

/* The orders to replay are the last ones created (scan_last). A store whose scan order is not
 * the creation order (a copy that sorted its records) breaks the storage contract; it is
 * still answered right, by a scan of every order of the session that picks them by number,
 * at the cost of reading them all. */
static int replay_orders(pss_stage *st, int64_t n, int64_t *seen)
{
    pss_ctx *ctx = st->s->ctx;
    replay r = {st, PSS_CALLOC(ctx, (size_t)n, sizeof *r.orders), n, 0, false};
    if (!r.orders)
        return pss__oom(ctx);
    int rc = pss__scan_last(ctx, PSS__KIND_ORDER, st->s->core.id, (size_t)n, on_last_order, &r);
    bool in_turn = !rc && !r.misplaced && r.seen == n;
    for (int64_t i = 0; i < r.seen; i++) {
        if (in_turn && !rc)
            rc = pss__order_transition(st, NULL, r.orders[i]);
        pss__order_data_free(ctx, r.orders[i]);
    }
    PSS_FREE(ctx, r.orders);
    *seen = r.seen;
    if (rc || in_turn)
        return rc;
    pss__log(ctx, PSS_LOG_WARN, "session %s: the store does not pass its last orders in the "
             "order they were created; reading all of them", st->s->core.name);
    r = (replay){st, NULL, n, 0, false};
    rc = pss__scan(ctx, PSS__KIND_ORDER, st->s->core.id, on_any_order, &r);
    *seen = r.seen;
    return rc;
}

/* Adds the contributions of the orders not folded yet to the stage's keyed deltas only: the
 * scalars and the draft and pending lists already count them (the session record is written
 * with every order), so what the replay adds to them is taken back. */
static int replay_into(pss_stage *st)
{
    pss_session *s = st->s;
    pss_scalars scalars = st->core.totals;
    size_t n_drafts = st->core.n_drafts, n_pending = st->core.n_pending;
    int64_t n = st->core.next_order - st->core.folded_from, seen = 0;
    int rc = replay_orders(st, n, &seen);
    if (!rc && seen != n)
        rc = pss__fail(s->ctx, PSS_ECORRUPT, "session %s has %lld orders to replay (numbers "
                       "%lld on) and the store holds %lld", s->core.name, (long long)n,
                       (long long)st->core.folded_from, (long long)seen);
    st->core.totals = scalars;
    st->core.n_drafts = n_drafts; /* a replayed order only ever appends to them */
    st->core.n_pending = n_pending;
    return rc;
}

int pss__stage_settle(pss_stage *st)
{
    if (st->s->tail_settled || st->tail_replayed)
        return 0;
    int rc = replay_into(st);
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
