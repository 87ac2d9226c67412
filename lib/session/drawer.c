/* drawer.c: the cash the drawer should hold: the opening cash (counted, else expected), the
 * cash taken less change, and the cash movements. Summed with every step checked: the bounds
 * (doc/concepts.md) keep it within 64 bits, a damaged record must not wrap it. */
#include "session/session_internal.h"

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
