/* events.h: the observer's log and the events the oracle wants after a call. */
#ifndef MODEL_EVENTS_H
#define MODEL_EVENTS_H

#include <possession.h>

#define EVENT_MAX 64

typedef struct event_rec {
    int type;
    char session[40], order[40];
} event_rec;

typedef struct event_log {
    int n;
    event_rec e[EVENT_MAX];
} event_log;

typedef event_log event_want;

void events_observe(const pss_event *e, void *userdata);
int events_want(event_want *w, int type, const char *session, const char *order);
int events_missing(const event_log *log, const event_want *w);

#endif
