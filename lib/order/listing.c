/* listing.c: a session's orders by state, in order-number order (pss_order_list). The
 * storage contract scans orders by their session; each record gives its number and state
 * without being decoded whole. */
#include "order/order_internal.h"

#include <stdlib.h>

#include "base/strlist.h"
#include "store/records.h"
#include "store/store.h"

static int decode_brief(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return pss__order_brief_decode(ctx, rec, out);
}

static int by_number(const void *a, const void *b)
{
    const pss__order_brief *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

/* Reads the session's state and its orders in one read transaction. */
static int scan_orders(pss_session *s, pss__record_list *found)
{
    pss_ctx *ctx = s->ctx;
    int rc = pss__txn_begin(ctx, false);
    if (rc)
        return rc;
    rc = pss__session_sync(s);
    if (!rc)
        rc = pss__scan_decoded(ctx, PSS__KIND_ORDER, s->core.id, decode_brief, found);
    return pss__txn_end(ctx, rc);
}

static int fill(const pss_session *s, const pss__order_brief *all, size_t n, unsigned mask,
                pss_strlist *list)
{
    bool closed = s->core.state == PSS_SESSION_CLOSED;
    for (size_t i = 0; i < n; i++) {
        pss_order_state state = all[i].state;
        if (closed && state == PSS_ORDER_PAID)
            state = PSS_ORDER_DONE; /* as pss_order_state_of() reads it */
        int rc = mask & PSS_ORDER_STATE_BIT(state) ? pss__strlist_add(list, all[i].id) : 0;
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
    /* the bits of the states there are: PSS_ORDER_ANY_STATE also sets bits no state has */
    const unsigned states = PSS_ORDER_STATE_BIT(PSS_ORDER_DRAFT) |
                            PSS_ORDER_STATE_BIT(PSS_ORDER_PAID) |
                            PSS_ORDER_STATE_BIT(PSS_ORDER_DONE) |
                            PSS_ORDER_STATE_BIT(PSS_ORDER_CANCELLED);
    if ((state_mask & states) == 0)
        return pss__fail(ctx, PSS_EINVAL, "the state mask selects no order state");
    pss__record_list found = {NULL, 0, 0, sizeof(pss__order_brief)};
    pss_strlist *list = NULL;
    int rc = scan_orders(s, &found);
    if (!rc) {
        if (found.n > 1) /* no orders: no items at all, and qsort may not be given NULL */
            qsort(found.items, found.n, found.item_size, by_number);
        rc = pss__strlist_new(ctx, &list);
    }
    if (!rc)
        rc = fill(s, found.items, found.n, state_mask, list);
    PSS_FREE(ctx, found.items);
    if (rc) {
        pss_strlist_free(list);
        return rc;
    }
    *out = list;
    return 0;
}
