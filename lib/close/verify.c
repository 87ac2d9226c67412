/* verify.c: pss_session_verify() rebuilds every running total of a session from its stored
 * orders and cash movements, with the same contribution code the incremental updates use,
 * and compares the result with what the session record and its total records hold. */
#include "order/order_internal.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "store/records.h"

#define MAX_REPORTED 5

typedef struct diff_report {
    pss__strbuf text;
    int count;
} diff_report;

static void difference(diff_report *r, const char *what, int64_t stored, int64_t recomputed)
{
    if (r->count++ < MAX_REPORTED)
        pss__strbuf_printf(&r->text, "%s%s: stored %lld, recomputed %lld", r->count > 1 ? "; " : "",
                          what, (long long)stored, (long long)recomputed);
}

static int on_order(const pss_record *rec, void *arg)
{
    pss_stage *st = arg;
    pss_order_data *d;
    int rc = pss__order_decode(st->s->ctx, rec, &d);
    if (rc)
        return rc;
    rc = pss__order_transition(st, NULL, d);
    pss__order_data_free(st->s->ctx, d);
    return rc;
}

static int on_movement(const pss_record *rec, void *arg)
{
    return pss__movement_contrib_record(arg, rec);
}

static void compare_scalars(diff_report *r, const pss_session_core *stored,
                            const pss_session_core *fresh)
{
    const int64_t *a = (const int64_t *)&stored->totals, *b = (const int64_t *)&fresh->totals;
    for (size_t i = 0; i < PSS_SCALAR_COUNT; i++)
        if (a[i] != b[i] && !(&a[i] == &stored->totals.volume && stored->volume_unknown))
            difference(r, pss__scalar_names[i], a[i], b[i]);
    if (stored->n_drafts != fresh->n_drafts)
        difference(r, "draft orders", (int64_t)stored->n_drafts, (int64_t)fresh->n_drafts);
    for (size_t i = 0; i < fresh->n_drafts && stored->n_drafts == fresh->n_drafts; i++) {
        bool found = false;
        for (size_t k = 0; k < stored->n_drafts && !found; k++)
            found = strcmp(stored->drafts[k], fresh->drafts[i]) == 0;
        if (!found)
            difference(r, "draft list", 0, 1);
    }
    if (stored->n_pending != fresh->n_pending)
        difference(r, "pending payments", (int64_t)stored->n_pending, (int64_t)fresh->n_pending);
}

static const char *const value_names[] = {"first value", "second value", "third value"};

/* Every stored total must equal its recomputed delta (the stage started from nothing), and
 * every recomputed non-zero total must exist. */
static void compare_totals(diff_report *r, pss_session *s, pss_stage *st)
{
    pss__map_entry *e;
    for (size_t i = 0; pss__map_next(&s->keyed_totals, &i, &e);) {
        const pss_total *b = e->value;
        uintptr_t at = (uintptr_t)pss__map_get(&st->delta_index, e->key);
        for (int k = 0; k < PSS_TOTAL_VALUES; k++) {
            int64_t fresh = at ? st->deltas[at - 1].d[k] : 0;
            if (b->v[k] != fresh) {
                char what[PSS_NAME_MAX * 2 + 64];
                snprintf(what, sizeof what, "total %s/%s (%s)", b->a ? b->a : "",
                         b->b ? b->b : "", value_names[k]);
                difference(r, what, b->v[k], fresh);
            }
        }
    }
    for (size_t i = 0; i < st->n_deltas; i++) {
        const pss_total_delta *d = &st->deltas[i];
        bool nonzero = d->d[0] || d->d[1] || d->d[2];
        if (nonzero && !pss__map_get(&s->keyed_totals, d->key)) {
            char what[PSS_NAME_MAX * 2 + 64];
            snprintf(what, sizeof what, "total %s/%s (missing)", d->a ? d->a : "",
                     d->b ? d->b : "");
            difference(r, what, 0, d->d[0]);
        }
    }
}

static int verify_txn(pss_session *s, diff_report *report)
{
    int rc = pss__session_reload(s);
    if (!rc)
        rc = pss__session_settle(s); /* the orders not folded yet count once, as stored */
    if (rc)
        return rc;
    pss_stage st;
    if ((rc = pss__stage_init(&st, s, NULL)))
        return rc;
    /* start the recomputation from nothing */
    memset(&st.core.totals, 0, sizeof st.core.totals);
    st.core.n_drafts = st.core.n_pending = 0;
    rc = pss__scan(s->ctx, PSS__KIND_ORDER, s->core.id, on_order, &st);
    if (!rc)
        rc = pss__scan(s->ctx, PSS__KIND_MOVEMENT, s->core.id, on_movement, &st);
    if (!rc) {
        compare_scalars(report, &s->core, &st.core);
        compare_totals(report, s, &st);
    }
    pss__stage_finish(&st, false);
    return rc;
}

int pss_session_verify(pss_session *s)
{
    if (!s)
        return PSS_EINVAL;
    pss_ctx *ctx = s->ctx;
    pss__clear(ctx);
    diff_report report = {{0}, 0};
    pss__strbuf_init(&report.text, ctx->alloc);
    int rc = pss__txn_begin(ctx, false);
    if (!rc)
        rc = pss__txn_end(ctx, verify_txn(s, &report));
    if (!rc && report.count)
        rc = pss__fail(ctx, PSS_EMISMATCH, "session %s: %d running total%s disagree%s with the "
                                           "stored orders: %s%s", s->core.name, report.count,
                       report.count == 1 ? "" : "s", report.count == 1 ? "s" : "",
                       pss__strbuf_str(&report.text), report.count > MAX_REPORTED ? "; ..." : "");
    pss__strbuf_free(&report.text);
    return rc;
}
