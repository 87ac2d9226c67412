/* listing.c: a session's orders by state, in order-number order (pss_order_list). The
 * storage contract scans orders by their session; each record gives its number and state
 * without being decoded whole. */
#include "order/order_internal.h"

#include <stdlib.h>

#include "base/strlist.h"
#include "store/records.h"
#include "store/store.h"

typedef struct order_scan {
    pss_ctx *ctx;
    pss__order_brief *all;
    size_t n, cap;
} order_scan;

static int on_order(const pss_record *rec, void *arg)
{
    order_scan *os = arg;
    if (pss__grow(os->ctx->alloc, (void **)&os->all, &os->cap, os->n + 1, sizeof *os->all))
        return pss__oom(os->ctx);
    int rc = pss__order_brief_decode(os->ctx, rec, &os->all[os->n]);
    if (!rc)
        os->n++;
    return rc;
}

static int by_number(const void *a, const void *b)
{
    const pss__order_brief *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

/* Reads the session's state and its orders in one read transaction. */
static int scan_orders(pss_session *s, order_scan *os)
{
    pss_ctx *ctx = s->ctx;
    int rc = pss__txn_begin(ctx, false);
    if (rc)
        return rc;
    rc = pss__session_sync(s);
    if (!rc)
        rc = pss__scan(ctx, PSS__KIND_ORDER, s->core.id, on_order, os);
    return pss__txn_end(ctx, rc);
}

static int fill(const pss_session *s, const order_scan *os, unsigned mask, pss_strlist *list)
{
    bool closed = s->core.state == PSS_SESSION_CLOSED;
    for (size_t i = 0; i < os->n; i++) {
        pss_order_state state = os->all[i].state;
        if (closed && state == PSS_ORDER_PAID)
            state = PSS_ORDER_DONE; /* as pss_order_state_of() reads it */
        int rc = mask & PSS_ORDER_STATE_BIT(state) ? pss__strlist_add(list, os->all[i].id) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int pss_order_list(pss_session *s, unsigned state_mask, pss_strlist **out)
{
    if (!s || !out)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    *out = NULL;
    if ((state_mask & PSS_ORDER_ANY_STATE) == 0)
        return pss__fail(ctx, PSS_EINVAL, "the state mask selects no order state");
    order_scan os = {ctx, NULL, 0, 0};
    pss_strlist *list = NULL;
    int rc = scan_orders(s, &os);
    if (!rc) {
        qsort(os.all, os.n, sizeof *os.all, by_number);
        rc = pss__strlist_new(ctx, &list);
    }
    if (!rc)
        rc = fill(s, &os, state_mask, list);
    PSS_FREE(ctx, os.all);
    if (rc) {
        pss_strlist_free(list);
        return rc;
    }
    *out = list;
    return 0;
}
