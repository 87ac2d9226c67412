/* audit.h: writing the audit trail: a note (what happened, to what, its outcome, figures and
 * extra data) appended as one entry under its subject (a session, else its config). */
#ifndef PSS_AUDIT_H
#define PSS_AUDIT_H

#include <jansson.h>

#include "base/internal.h"

typedef struct pss_audit_note {
    const char *action;
    const char *session_id;
    const char *config_id;
    int outcome;
    const char *detail;
    const char *reason;
    int64_t expected, counted, difference, allowed;
    json_t *extra; /* stolen */
} pss_audit_note;

#define PSS_AUDIT_NOTE_INIT                                                                 \
    { NULL, NULL, NULL, 0, NULL, NULL, PSS_UNSET, PSS_UNSET, PSS_UNSET, PSS_UNSET, NULL }

int pss__audit(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note);
/* The entry's payload and subject, for a refusal appended after its call rolled back. */
int pss__audit_encode(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note,
                      pss__strbuf *buf);
const char *pss__audit_subject(const pss_audit_note *note);

#endif
