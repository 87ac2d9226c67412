/* access.h: who may do what to a session: the access an operation takes (the responsible
 * user, a manager, an admin...) and the session states it is allowed in. */
#ifndef PSS_SESSION_ACCESS_H
#define PSS_SESSION_ACCESS_H

#include "base/actor.h"
#include "session/session_internal.h"

typedef enum pss_access {
    PSS_ACCESS_OPERATE,   /* the responsible user on the leasing device */
    PSS_ACCESS_SUPERVISE, /* the responsible user, or a manager */
    PSS_ACCESS_MANAGER,   /* a manager */
    PSS_ACCESS_ADMIN,     /* an admin */
    PSS_ACCESS_ANY,       /* any identified actor with a role (submit from a sync service) */
    PSS_ACCESS_AUDITED    /* any well-formed actor: the operation checks access itself and
                             audits a refusal (close, force close: every attempt is audited) */
} pss_access;

/* The state masks the operations are allowed in (concepts.md, the role x state table). */
#define PSS__IN_PROGRESS PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS)
#define PSS__CLOSING PSS_SESSION_STATE_BIT(PSS_SESSION_CLOSING_CONTROL)
#define PSS__OPEN_STATES (PSS__IN_PROGRESS | PSS__CLOSING)
#define PSS__NOT_CLOSED (PSS_SESSION_STATE_BIT(PSS_SESSION_NEW) | \
                         PSS_SESSION_STATE_BIT(PSS_SESSION_OPENING_CONTROL) | PSS__OPEN_STATES)

/* Access to a session in its current (synced) state; allowed_states is a mask of
 * PSS_SESSION_STATE_BIT(). A CLOSED session gives PSS_ECLOSED. */
int pss__check_access(pss_session *s, const pss_actor *actor, pss_access access,
                      unsigned allowed_states, const char *doing);

#endif
