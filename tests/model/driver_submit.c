/* driver_submit.c: what a submit answers for each order (status, duplicate, routed,
 * rescue, where it was recorded, its state) against the oracle, learning the id of a rescue
 * session the library made. */
#include <stdio.h>
#include <string.h>

#include "driver.h"

int check_submit_result(driver *d, const op *o, int k, const pss_submit_result *got,
                        const m_submit_res *want);

static void learn_rescue(driver *d, const op *o, const pss_submit_result *got)
{
    pss_session *h = NULL;
    int c = drv_ctx_of(d, o);
    if (pss_session_load(d->ctx[c], got->session_id, &h) == 0) {
        m_rescue_learn(d->m, got->session_id, pss_session_name(h),
                       pss_session_operating_date(h));
        pss_session_free(h);
    } else {
        m_rescue_learn(d->m, got->session_id, "", "");
    }
}

static int expect_state(int st)
{
    return st == OS_DONE ? OS_PAID : st;
}

int check_submit_result(driver *d, const op *o, int k, const pss_submit_result *got,
                        const m_submit_res *want)
{
    if (!ex_accepts(&want->ex, got->status))
        return drv_failf(d, "order %d of the submit: status %d (%s), expected %s%d: %s\n", k,
                         got->status, pss_strerror(got->status),
                         want->ex.n ? "" : "success ", want->ex.n ? want->ex.codes[0] : 0,
                         want->ex.why);
    if (got->status != 0)
        return 0;
    if (want->new_rescue)
        learn_rescue(d, o, got);
    const m_session *ts = &d->m->s[want->session];
    char id[G_SHORT];
    snprintf(id, sizeof id, "%s", o->orders[k].id.s);
    for (char *p = id; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    int bad = got->duplicate != want->duplicate || got->routed != want->routed ||
              got->rescue != want->rescue || strcmp(got->session_id, ts->id) != 0 ||
              (int)got->state != expect_state(want->state) || strcmp(got->order_id, id) != 0;
    if (!bad)
        return 0;
    return drv_failf(d, "order %d of the submit: got duplicate %d routed %d rescue %d session %s "
                     "state %d order %s; expected duplicate %d routed %d rescue %d session %s "
                     "(%s) state %d order %s\n", k, got->duplicate, got->routed, got->rescue,
                     got->session_id, got->state, got->order_id, want->duplicate, want->routed,
                     want->rescue, ts->id, ts->name, expect_state(want->state), id);
}
