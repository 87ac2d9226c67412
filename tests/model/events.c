/* events.c: the observer (pss_ctx_set_observer) as the oracle sees it: no event for a call
 * that was refused or recorded nothing, and for a call that went through the events its
 * effect implies ("once per thing that happened"): a saved config, a created, opened,
 * closing, reopened, taken over or closed session with its entry, a paid, cancelled, routed
 * or invoiced order, a cash movement. Other events may come too. */
#include <stdio.h>
#include <string.h>

#include "events.h"

void events_observe(const pss_event *e, void *userdata)
{
    event_log *log = userdata;
    if (log->n >= EVENT_MAX)
        return;
    event_rec *r = &log->e[log->n++];
    r->type = e->type;
    snprintf(r->session, sizeof r->session, "%s", e->session_id ? e->session_id : "");
    snprintf(r->order, sizeof r->order, "%s", e->order_id ? e->order_id : "");
}

static int has(const event_log *log, int type, const char *session, const char *order)
{
    for (int i = 0; i < log->n; i++)
        if (log->e[i].type == type && (!session || !strcmp(log->e[i].session, session)) &&
            (!order || !strcmp(log->e[i].order, order)))
            return 1;
    return 0;
}

int events_want(event_want *w, int type, const char *session, const char *order)
{
    if (w->n >= EVENT_MAX)
        return 0;
    w->e[w->n].type = type;
    snprintf(w->e[w->n].session, sizeof w->e[w->n].session, "%s", session ? session : "");
    snprintf(w->e[w->n].order, sizeof w->e[w->n].order, "%s", order ? order : "");
    w->n++;
    return 0;
}

/* 0, or the first wanted event that did not come (its index + 1). */
int events_missing(const event_log *log, const event_want *w)
{
    for (int i = 0; i < w->n; i++) {
        const event_rec *e = &w->e[i];
        if (!has(log, e->type, e->session[0] ? e->session : NULL, e->order[0] ? e->order : NULL))
            return i + 1;
    }
    return 0;
}
