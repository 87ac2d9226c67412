/* actor.h: the actor a call is made by: its form (version, user, device, role) and its
 * role against the least a call takes. Below sessions: configs check actors too. */
#ifndef PSS_ACTOR_H
#define PSS_ACTOR_H

#include "base/internal.h"

/* Checks the actor struct and that its role is at least min_role; `doing` completes
 * "bob (cashier) may not <doing>". */
int pss__check_actor(pss_ctx *ctx, const pss_actor *actor, pss_role min_role,
                     const char *doing);
const char *pss__role_name(pss_role role);

#endif
