/* driver_events.c: what the observer must have been told about a call, from the oracle's
 * state before and after it (see events.c). */
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "events.h"

typedef struct before {
    int no, ns, nmv, voided;
    int *ostate, *oinv, *sstate;
    char (*suser)[G_SHORT];
} before;

static before bf;

void ev_before(driver *d)
{
    const model *m = d->m;
    free(bf.ostate), free(bf.oinv), free(bf.sstate), free(bf.suser);
    bf.no = m->no;
    bf.ns = m->ns;
    bf.nmv = m->nmv;
    bf.voided = 0;
    for (int i = 0; i < m->nmv; i++)
        bf.voided += m->mv[i].voided;
    bf.ostate = calloc((size_t)m->no + 1, sizeof *bf.ostate);
    bf.oinv = calloc((size_t)m->no + 1, sizeof *bf.oinv);
    bf.sstate = calloc((size_t)m->ns + 1, sizeof *bf.sstate);
    bf.suser = calloc((size_t)m->ns + 1, sizeof *bf.suser);
    for (int i = 0; i < m->no; i++) {
        bf.ostate[i] = m->o[i].state;
        bf.oinv[i] = m->o[i].invoiced;
    }
    for (int i = 0; i < m->ns; i++) {
        bf.sstate[i] = m->s[i].state;
        memcpy(bf.suser[i], m->s[i].user, G_SHORT);
    }
    d->events.n = 0;
}

static void order_events(const model *m, const op *o, event_want *w)
{
    for (int i = 0; i < m->no; i++) {
        const m_order *x = &m->o[i];
        int was = i < bf.no ? bf.ostate[i] : 0, inv = i < bf.no ? bf.oinv[i] : x->invoiced;
        if (x->state == OS_PAID && was != OS_PAID)
            events_want(w, PSS_EVENT_ORDER_PAID, NULL, x->id);
        if (x->state == OS_CANCELLED && was != OS_CANCELLED)
            events_want(w, PSS_EVENT_ORDER_CANCELLED, NULL, x->id);
        if (i < bf.no && x->invoiced != inv)
            events_want(w, PSS_EVENT_ORDER_INVOICED, NULL, x->id);
        if (i >= bf.no && (o->kind == OP_SUBMIT || o->kind == OP_BATCH) && x->session != o->session)
            events_want(w, PSS_EVENT_ORDER_ROUTED, NULL, x->id);
    }
}

static void session_events(const model *m, const op *o, event_want *w)
{
    for (int i = 0; i < m->ns; i++) {
        const m_session *s = &m->s[i];
        int was = i < bf.ns ? bf.sstate[i] : 0;
        if (i >= bf.ns && !s->rescue)
            events_want(w, PSS_EVENT_SESSION_CREATED, s->id, NULL);
        if (i >= bf.ns || was == s->state)
            continue;
        if (s->state == SS_PROGRESS && (was == SS_NEW || was == SS_OPENING))
            events_want(w, PSS_EVENT_SESSION_OPENED, s->id, NULL);
        if (s->state == SS_CLOSING)
            events_want(w, PSS_EVENT_SESSION_CLOSING, s->id, NULL);
        if (s->state == SS_PROGRESS && was == SS_CLOSING)
            events_want(w, PSS_EVENT_SESSION_REOPENED, s->id, NULL);
        if (s->state == SS_CLOSED) {
            events_want(w, PSS_EVENT_SESSION_CLOSED, s->id, NULL);
            events_want(w, PSS_EVENT_ENTRY_POSTED, NULL, NULL);
        }
    }
    if (o->kind == OP_TAKE_OVER && o->session < bf.ns &&
        strcmp(bf.suser[o->session], m->s[o->session].user) != 0)
        events_want(w, PSS_EVENT_SESSION_TAKEN_OVER, m->s[o->session].id, NULL);
}

/* How many orders the model held before this step. */
int ev_orders_before(void)
{
    return bf.no;
}

/* Orders recorded by this step in another session than the one submitted to (routed), and
 * rescue sessions it made. */
int ev_routed(const driver *d, const op *o, int *routed, int nmax, int *new_rescue)
{
    int n = 0;
    *new_rescue = 0;
    for (int i = bf.no; i < d->m->no; i++)
        if ((o->kind == OP_SUBMIT || o->kind == OP_BATCH) && d->m->o[i].session != o->session &&
            n < nmax)
            routed[n++] = i;
    for (int i = bf.ns; i < d->m->ns; i++)
        *new_rescue |= d->m->s[i].rescue;
    return n;
}

static const char *const type_names[] = {
    "?", "session_created", "session_opened", "session_closing", "session_reopened",
    "session_closed", "session_taken_over", "order_paid", "order_cancelled", "order_routed",
    "cash_moved", "entry_posted", "config_saved", "order_invoiced"};

/* 0, or 1 with the failure: the events of the step against the oracle's changes. */
int ev_after(driver *d, const op *o, int rc)
{
    const model *m = d->m;
    if (rc != 0) {
        if (d->events.n)
            return drv_failf(d, "a refused call was observed: event %s\n",
                             type_names[d->events.e[0].type % 14]);
        return 0;
    }
    static event_want w;
    w.n = 0;
    order_events(m, o, &w);
    session_events(m, o, &w);
    int voided = 0;
    for (int i = 0; i < m->nmv; i++)
        voided += m->mv[i].voided;
    if (m->nmv != bf.nmv || voided != bf.voided)
        events_want(&w, PSS_EVENT_CASH_MOVED, NULL, NULL);
    if ((o->kind == OP_CONFIG_SAVE || o->kind == OP_CONFIG_UPDATE))
        events_want(&w, PSS_EVENT_CONFIG_SAVED, NULL, NULL);
    int miss = events_missing(&d->events, &w);
    for (int i = 0; miss && i < d->events.n; i++)
        drv_failf(d, "  event %s session %s order %s\n", type_names[d->events.e[i].type % 14],
                  d->events.e[i].session, d->events.e[i].order);
    if (miss)
        return drv_failf(d, "the observer was not told: %s (session %s, order %s); %d events came\n",
                         type_names[w.e[miss - 1].type % 14], w.e[miss - 1].session,
                         w.e[miss - 1].order, d->events.n);
    return 0;
}
