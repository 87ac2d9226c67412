/* figures.c: the closing figures of each payment method (taken, change, net, expected,
 * counted, difference), computed once from the running totals, and the staged deltas when a
 * stage is given, for the close, its entry and the report. */
#include "close/journal_internal.h"

#include <string.h>

static const pss_total *method_total(pss_session *s, const char *method, pss__strbuf *key)
{
    if (pss__total_key(key, PSS_TOTAL_METHOD, method, NULL, NULL))
        return NULL;
    return pss__map_get(&s->keyed_totals, key->data);
}

int pss__method_figures(pss_session *s, pss_stage *st, const pss_session_core *core,
                        pss_method_figures **out, size_t *n_out)
{
    pss_ctx *ctx = s->ctx;
    const pss_config *cfg = s->config;
    pss_method_figures *m = PSS_CALLOC(ctx, cfg->n_methods ? cfg->n_methods : 1, sizeof *m);
    if (!m)
        return pss__oom(ctx);
    pss__strbuf key;
    pss__strbuf_init(&key, ctx->alloc);
    int rc = 0;
    for (size_t i = 0; !rc && i < cfg->n_methods; i++) {
        pss_method_figures *f = &m[i];
        f->method = &cfg->methods[i];
        const pss_total *b = method_total(s, f->method->name, &key);
        int64_t v[PSS_TOTAL_VALUES] = {0, 0, 0};
        if (b)
            memcpy(v, b->v, sizeof v);
        uintptr_t at = st && !key.failed ? (uintptr_t)pss__map_get(&st->delta_index, key.data) : 0;
        for (int k = 0; at && k < PSS_TOTAL_VALUES; k++)
            if (__builtin_add_overflow(v[k], st->deltas[at - 1].d[k], &v[k]))
                rc = pss__fail(ctx, PSS_EOVERFLOW, "payments of %s overflow", f->method->name);
        f->amount = v[0], f->change = v[1], f->payments = v[2];
        if (__builtin_sub_overflow(f->amount, f->change, &f->net))
            rc = pss__fail(ctx, PSS_EOVERFLOW, "payments of %s overflow", f->method->name);
        f->expected = f->net;
        f->counted = PSS_UNSET;
        if (!rc && f->method->kind == PSS_METHOD_CASH) {
            if (pss__expected_cash(core, &f->expected))
                rc = pss__fail(ctx, PSS_EOVERFLOW, "expected cash overflows");
            f->counted = core->counted_cash;
        }
        for (size_t k = 0; k < core->n_method_counts; k++)
            if (strcmp(core->method_counts[k].method, f->method->name) == 0)
                f->counted = core->method_counts[k].amount;
        if (f->counted != PSS_UNSET &&
            __builtin_sub_overflow(f->counted, f->expected, &f->difference))
            rc = pss__fail(ctx, PSS_EOVERFLOW, "difference of %s overflows", f->method->name);
    }
    pss__strbuf_free(&key);
    if (rc) {
        PSS_FREE(ctx, m);
        return rc;
    }
    *out = m;
    *n_out = cfg->n_methods;
    return 0;
}
