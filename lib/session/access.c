/* access.c: who may do what to a session: the responsible user, the device lease, and the
 * session states each call allows (the actor's own form and role: actor.c). */
#include "session/access.h"

#include <stdio.h>
#include <string.h>

#include "base/names.h"

static const char *device_of(const pss_actor *actor)
{
    return actor->device ? actor->device : "";
}

static int check_lease(pss_session *s, const pss_actor *actor)
{
    const pss_session_core *c = &s->core;
    if (!c->device[0] || strcmp(c->device, device_of(actor)) == 0)
        return 0;
    if (pss_ctx_now(s->ctx) >= c->lease_expires)
        return 0;
    char until[PSS_TIME_SIZE];
    pss__time_text(c->lease_expires, until);
    return pss__fail(s->ctx, PSS_ELOCKED,
                     "session %s is leased to device '%s' until %s; %s is on device '%s' "
                     "(wait for the lease to expire, or have a manager take it over)",
                     c->name, c->device, until, actor->user,
                     actor->device ? actor->device : "(none)");
}

static int check_responsible(pss_session *s, const pss_actor *actor, const char *doing)
{
    if (strcmp(s->core.user, actor->user) == 0)
        return 0;
    return pss__fail(s->ctx, PSS_EACCESS,
                     "session %s is held by %s; %s (%s) may not %s (a manager may take it over)",
                     s->core.name, s->core.user, actor->user, pss__role_name(actor->role),
                     doing);
}

static int check_state(pss_session *s, unsigned allowed, const char *doing)
{
    const pss_session_core *c = &s->core;
    if (allowed & PSS_SESSION_STATE_BIT(c->state))
        return 0;
    if (c->state == PSS_SESSION_CLOSED) {
        char when[PSS_TIME_SIZE];
        pss__time_text(c->closed_at, when);
        return pss__fail(s->ctx, PSS_ECLOSED,
                         "session %s was closed by %s at %s; it and its orders never change "
                         "(cannot %s)", c->name, c->closed_by, when, doing);
    }
    return pss__fail(s->ctx, PSS_ESTATE, "session %s is %s; cannot %s", c->name,
                     pss_session_state_name(c->state), doing);
}

int pss__check_access(pss_session *s, const pss_actor *actor, pss_access access,
                      unsigned allowed_states, const char *doing)
{
    pss_ctx *ctx = s->ctx;
    static const pss_role min_role[] = {PSS_ROLE_CASHIER, PSS_ROLE_CASHIER, PSS_ROLE_MANAGER,
                                        PSS_ROLE_ADMIN, PSS_ROLE_CASHIER, PSS_ROLE_NONE};
    int rc = pss__check_actor(ctx, actor, min_role[access], doing);
    if (rc || (rc = check_state(s, allowed_states, doing)))
        return rc;
    switch (access) {
    case PSS_ACCESS_OPERATE:
        if ((rc = check_responsible(s, actor, doing)))
            return rc;
        return check_lease(s, actor);
    case PSS_ACCESS_SUPERVISE:
        if (actor->role >= PSS_ROLE_MANAGER)
            return 0;
        if ((rc = check_responsible(s, actor, doing)))
            return rc;
        return check_lease(s, actor);
    case PSS_ACCESS_MANAGER:
    case PSS_ACCESS_ADMIN:
    case PSS_ACCESS_ANY:
    case PSS_ACCESS_AUDITED:
        return 0;
    }
    return 0;
}
