/* drawer.c: the cash the drawer should hold: the opening cash (counted, else expected), the
 * cash taken less change, and the cash movements. Summed with every step checked: the bounds
 * (doc/concepts.md) keep it within 64 bits, a damaged record must not wrap it. And the rule
 * that a payout cannot take more than the drawer holds. A rescue session has no drawer of its
 * own (it is never counted), so nothing recorded in it is weighed. */
#include "session/session_internal.h"

#include "base/money_internal.h"

int pss__expected_cash(const pss_session_core *core, int64_t *out)
{
    const pss_scalars *t = &core->totals;
    int64_t opening = core->opening_counted == PSS_UNSET ? core->opening_expected
                                                         : core->opening_counted;
    int64_t e = opening;
    if (__builtin_add_overflow(e, t->cash_payments, &e) ||
        __builtin_sub_overflow(e, t->change, &e) ||
        __builtin_add_overflow(e, t->cash_in, &e) || __builtin_sub_overflow(e, t->cash_out, &e) ||
        __builtin_sub_overflow(e, t->expenses, &e) ||
        __builtin_add_overflow(e, t->corrections, &e))
        return PSS_EOVERFLOW;
    *out = e;
    return 0;
}

int pss__drawer_check_payout(pss_ctx *ctx, const pss_config *cfg, const pss_session_core *core,
                             const char *what, int64_t payout)
{
    int64_t holds;
    if (cfg->allow_negative_drawer || payout <= 0 || core->rescue)
        return 0;
    if (pss__expected_cash(core, &holds))
        return pss__fail(ctx, PSS_EOVERFLOW, "the cash of session %s overflows", core->name);
    if (payout <= holds)
        return 0;
    char h[PSS_MONEY_BUFSIZE], a[PSS_MONEY_BUFSIZE];
    pss__fail(ctx, PSS_EDRAWER, "the drawer holds %s, %s %s: session %s cannot pay out more "
                                "cash than it holds (config '%s' does not allow a negative "
                                "drawer)",
              pss__fmt(h, holds, cfg->exponent), what, pss__fmt(a, payout, cfg->exponent),
              core->name, cfg->name);
    pss__figure(ctx, "holds", holds);
    pss__figure(ctx, "amount", payout);
    return PSS_EDRAWER;
}
