/* actor.c: the actor's form and role (actor.h). */
#include "base/actor.h"

#include "base/names.h"
#include "base/text.h"

const char *pss__role_name(pss_role role)
{
    return pss__name_of(pss__role_names, role);
}

int pss__check_actor(pss_ctx *ctx, const pss_actor *actor, pss_role min_role, const char *doing)
{
    int rc = pss__check_version(ctx, actor, actor ? actor->version : 0, PSS_ACTOR_VERSION,
                                "pss_actor");
    if (rc || (rc = pss__check_text(ctx, "actor user", actor->user, PSS_TEXT_REQUIRED,
                                    PSS_NAME_MAX)) ||
        (rc = pss__check_text(ctx, "actor device", actor->device, PSS_TEXT_OPTIONAL,
                              PSS_NAME_MAX)))
        return rc;
    if (actor->role < PSS_ROLE_NONE || actor->role > PSS_ROLE_ADMIN)
        return pss__fail(ctx, PSS_EINVAL, "actor %s has role %d, not none, cashier, manager "
                                          "or admin", actor->user, (int)actor->role);
    if (actor->role < min_role)
        return pss__fail(ctx, PSS_EACCESS, "%s (%s) may not %s: it takes %s %s", actor->user,
                         pss__role_name(actor->role), doing,
                         min_role == PSS_ROLE_ADMIN ? "an" : "a", pss__role_name(min_role));
    return 0;
}
