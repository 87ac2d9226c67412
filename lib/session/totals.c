/* totals.c: the per-key running totals (payment methods, sales and tax groups, products,
 * cash movements), each kept as one small record of its session: their keys and their
 * record (the staging of their changes: deltas.c). */
#include "session/totals.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "store/store.h"
#include "base/text.h"
#include "store/records.h"

#define KEY_SEP "\x1f" /* never in host text: control characters are refused */

typedef struct total_schema {
    pss_total_type type;
    const char *name;
    const char *parts[3];                  /* payload names of a, b, c (NULL: unused) */
    const char *values[PSS_TOTAL_VALUES]; /* payload names of v[] (NULL: unused) */
} total_schema;

static const total_schema schemas[] = {
    {PSS_TOTAL_METHOD, "method", {"method", NULL, NULL}, {"amount", "change", "payments"}},
    {PSS_TOTAL_SALES, "sales", {"account", "taxes", "side"}, {"untaxed", "tax", NULL}},
    {PSS_TOTAL_TAX, "tax", {"tax", "account", "side"}, {"base", "amount", NULL}},
    {PSS_TOTAL_PRODUCT, "product", {"product", NULL, NULL}, {"sold", "refunded", NULL}},
    {PSS_TOTAL_MOVE, "cash", {"kind", "account", NULL}, {"amount", "count", NULL}},
    {PSS_TOTAL_RECEIVABLE, "receivable", {"customer", NULL, NULL}, {"amount", NULL, NULL}},
};

static const total_schema *schema_of(pss_total_type type)
{
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (schemas[i].type == type)
            return &schemas[i];
    return NULL;
}

static const total_schema *schema_named(const char *name)
{
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (strcmp(schemas[i].name, name) == 0)
            return &schemas[i];
    return NULL;
}

/* Staged once per running total an order touches (six for a sale of three products): one
 * reservation and plain copies, not a buffer call per part. */
int pss__total_key(pss__strbuf *buf, pss_total_type type, const char *a, const char *b,
                    const char *c)
{
    const char *parts[3] = {a ? a : "", b ? b : "", c ? c : ""};
    size_t lens[3], total = 1 + 3;
    for (int i = 0; i < 3; i++)
        total += lens[i] = strlen(parts[i]);
    pss__strbuf_reset(buf);
    if (pss__strbuf_reserve(buf, total))
        return PSS_ENOMEM;
    char *p = buf->data;
    *p++ = (char)type;
    for (int i = 0; i < 3; i++) {
        *p++ = KEY_SEP[0];
        memcpy(p, parts[i], lens[i]);
        p += lens[i];
    }
    *p = '\0';
    buf->len = total;
    return 0;
}

void pss__total_free(pss_ctx *ctx, pss_total *b)
{
    if (!b)
        return;
    PSS_FREE(ctx, b->a);
    PSS_FREE(ctx, b->b);
    PSS_FREE(ctx, b->c);
    PSS_FREE(ctx, b->label);
    PSS_FREE(ctx, b);
}

/* A total's value: product quantities are sums of positive parts (overflow is refused when
 * they are added); money totals are within the session's volume, and so are counts of
 * payments and movements, each of which adds at least one minor unit to it. */
static int64_t value_of(pss_jr *r, json_t *doc, const total_schema *sc, int i)
{
    bool count = (sc->type == PSS_TOTAL_METHOD && i == 2) || (sc->type == PSS_TOTAL_MOVE && i == 1);
    if (count)
        return pss__jr_range(r, doc, sc->values[i], 0, PSS_SESSION_VOLUME_MAX);
    if (sc->type == PSS_TOTAL_PRODUCT)
        return pss__jr_range(r, doc, sc->values[i], 0, INT64_MAX);
    return pss__jr_running(r, doc, sc->values[i]);
}

int pss__total_decode(pss_ctx *ctx, const pss_record *rec, pss_total **out)
{
    pss_jr r;
    json_t *doc = pss__jr_record(&r, ctx, PSS__KIND_TOTAL, rec);
    if (!doc)
        return r.rc;
    const char *type = pss__jr_str(&r, doc, "type");
    const total_schema *sc = r.rc ? NULL : schema_named(type);
    if (!r.rc && !sc)
        pss__jr_fail(&r, "unknown total type '%s'", type);
    pss_total *b = r.rc ? NULL : PSS_CALLOC(ctx, 1, sizeof *b);
    if (!r.rc && !b)
        r.rc = pss__oom(ctx);
    if (!r.rc) {
        b->type = sc->type;
        char **parts[3] = {&b->a, &b->b, &b->c};
        for (int i = 0; i < 3 && !r.rc; i++)
            if (sc->parts[i] &&
                pss__strdup_opt(ctx->alloc, parts[i], pss__jr_str(&r, doc, sc->parts[i])))
                r.rc = pss__oom(ctx);
        for (int i = 0; i < PSS_TOTAL_VALUES && !r.rc; i++)
            if (sc->values[i])
                b->v[i] = value_of(&r, doc, sc, i);
        const char *label = pss__jr_str_or_null(&r, doc, "name");
        if (!r.rc && pss__strdup_opt(ctx->alloc, &b->label, label))
            r.rc = pss__oom(ctx);
        pss__copy_text(b->record_id, sizeof b->record_id, rec->id);
        b->rev = rec->rev;
    }
    json_decref(doc);
    if (r.rc) {
        pss__total_free(ctx, b);
        return r.rc;
    }
    *out = b;
    return 0;
}

int pss__total_encode(pss_ctx *ctx, const char *session_id, const pss_total_delta *d,
                       pss__strbuf *buf)
{
    const total_schema *sc = schema_of(d->type);
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_str(&w, "session", session_id);
    pss__jsonw_str(&w, "type", sc->name);
    const char *parts[3] = {d->a, d->b, d->c};
    for (int i = 0; i < 3; i++)
        if (sc->parts[i])
            pss__jsonw_str(&w, sc->parts[i], parts[i] ? parts[i] : "");
    if (d->label)
        pss__jsonw_str(&w, "name", d->label);
    for (int i = 0; i < PSS_TOTAL_VALUES; i++)
        if (sc->values[i])
            pss__jsonw_int(&w, sc->values[i], d->v[i]);
    return pss__jsonw_finish(ctx, &w);
}
