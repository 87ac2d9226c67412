/* strlist.c: a list of strings returned to the host (session ids, order ids). */
#include "base/strlist.h"

struct pss_strlist {
    pss_ctx *ctx;
    char **items;
    size_t n, cap;
};

int pss__strlist_new(pss_ctx *ctx, pss_strlist **out)
{
    *out = PSS_CALLOC(ctx, 1, sizeof **out);
    if (!*out)
        return pss__oom(ctx);
    (*out)->ctx = ctx;
    return 0;
}

int pss__strlist_add(pss_strlist *l, const char *s)
{
    if (pss__grow(l->ctx->alloc, (void **)&l->items, &l->cap, l->n + 1, sizeof *l->items))
        return pss__oom(l->ctx);
    l->items[l->n] = PSS_STRDUP(l->ctx, s);
    if (!l->items[l->n])
        return pss__oom(l->ctx);
    l->n++;
    return 0;
}

size_t pss_strlist_count(const pss_strlist *l)
{
    return l ? l->n : 0;
}

const char *pss_strlist_get(const pss_strlist *l, size_t index)
{
    return l && index < l->n ? l->items[index] : NULL;
}

void pss_strlist_free(pss_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        PSS_FREE(l->ctx, l->items[i]);
    PSS_FREE(l->ctx, l->items);
    PSS_FREE(l->ctx, l);
}
