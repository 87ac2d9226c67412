/* audit.h: writing the audit trail: a note (what happened, to what, its outcome, figures and
 * extra data) appended as one entry under its subject (a session, else its config). */
#ifndef PSS_AUDIT_H
#define PSS_AUDIT_H

#include "base/internal.h"

/* The action-specific members of an entry's "extra" object, in the order they are written:
 * strings, integers and lists of ids (a force close's cancelled orders). Built on the
 * stack by the caller; it points at the caller's data and allocates nothing. */
#define PSS__AUDIT_EXTRA_MAX 6

typedef struct pss__audit_field {
    const char *key;
    enum { PSS__FIELD_STR, PSS__FIELD_INT, PSS__FIELD_IDS } kind;
    const char *str;
    int64_t num;
    const char (*ids)[PSS_ID_SIZE];
    size_t n_ids;
} pss__audit_field;

typedef struct pss__audit_extra {
    size_t n;
    pss__audit_field fields[PSS__AUDIT_EXTRA_MAX];
} pss__audit_extra;

void pss__extra_str(pss__audit_extra *x, const char *key, const char *s); /* NULL: null */
void pss__extra_int(pss__audit_extra *x, const char *key, int64_t v);
void pss__extra_ids(pss__audit_extra *x, const char *key, const char (*ids)[PSS_ID_SIZE],
                    size_t n);

typedef struct pss_audit_note {
    const char *action;
    const char *session_id;
    const char *config_id;
    int outcome;
    const char *detail;
    const char *reason;
    int64_t expected, counted, difference, allowed;
    const pss__audit_extra *extra; /* NULL: the entry has no "extra" */
} pss_audit_note;

#define PSS_AUDIT_NOTE_INIT                                                                 \
    { NULL, NULL, NULL, 0, NULL, NULL, PSS_UNSET, PSS_UNSET, PSS_UNSET, PSS_UNSET, NULL }

int pss__audit(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note);

/* Called by pss__audit after each entry of outcome 0 is appended, in the same transaction:
 * the fiscal layer records the events with fiscal weight (fiscal/event.c installs it; the
 * audit layer cannot call upward). Its failure is the call's. */
typedef int (*pss__audit_hook_fn)(pss_ctx *ctx, const pss_actor *actor,
                                  const pss_audit_note *note);
void pss__audit_set_hook(pss__audit_hook_fn fn);
/* The entry's payload and subject, for a refusal appended after its call rolled back. */
int pss__audit_encode(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note,
                      pss__strbuf *buf);
const char *pss__audit_subject(const pss_audit_note *note);

#endif
