/* session_store.c: the session record (state, figures, running scalars, drafts, pending
 * payments, count) as a JSON payload, and loading a whole session from storage: record,
 * running-total records and config. */
#include "session/session_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/codec.h"
#include "json/jsonw.h"
#include "base/names.h"
#include "store/store.h"
#include "store/records.h"

const char *const pss__scalar_names[PSS_SCALAR_COUNT] = {
    "cash_payments", "change", "cash_in", "cash_out", "expenses", "corrections", "orders",
    "refunds", "cancelled", "paid_total", "draft_total", "rounding", "invoiced", "untaxed", "tax",
    "volume"};

_Static_assert(sizeof(pss_scalars) / sizeof(int64_t) == 16, "scalar names match pss_scalars");

/* The last scalar, "volume", came after 1.0: a record without it reads as volume unknown. */
#define VOLUME_SCALAR (PSS_SCALAR_COUNT - 1)

static int64_t *scalar_at(pss_scalars *s, size_t i)
{
    return (int64_t *)s + i;
}

static int copy_list(pss_ctx *ctx, void **dst, size_t *cap, const void *src, size_t n,
                     size_t size)
{
    *dst = NULL;
    *cap = 0;
    if (n == 0)
        return 0;
    *dst = PSS_ALLOC(ctx, n * size);
    if (!*dst)
        return pss__oom(ctx);
    memcpy(*dst, src, n * size);
    *cap = n;
    return 0;
}

int pss__core_copy(pss_ctx *ctx, pss_session_core *dst, const pss_session_core *src)
{
    *dst = *src;
    dst->drafts = NULL, dst->pending = NULL, dst->denoms = NULL, dst->method_counts = NULL;
    if (copy_list(ctx, (void **)&dst->drafts, &dst->cap_drafts, src->drafts, src->n_drafts,
                  sizeof *src->drafts) ||
        copy_list(ctx, (void **)&dst->pending, &dst->cap_pending, src->pending, src->n_pending,
                  sizeof *src->pending) ||
        copy_list(ctx, (void **)&dst->denoms, &dst->cap_denoms, src->denoms, src->n_denoms,
                  sizeof *src->denoms) ||
        copy_list(ctx, (void **)&dst->method_counts, &dst->cap_method_counts,
                  src->method_counts, src->n_method_counts, sizeof *src->method_counts)) {
        pss__core_free(ctx, dst);
        return PSS_ENOMEM;
    }
    return 0;
}

void pss__core_free(pss_ctx *ctx, pss_session_core *core)
{
    PSS_FREE(ctx, core->drafts);
    PSS_FREE(ctx, core->pending);
    PSS_FREE(ctx, core->denoms);
    PSS_FREE(ctx, core->method_counts);
    core->drafts = NULL, core->pending = NULL, core->denoms = NULL, core->method_counts = NULL;
    core->n_drafts = core->n_pending = core->n_denoms = core->n_method_counts = 0;
    core->cap_drafts = core->cap_pending = core->cap_denoms = core->cap_method_counts = 0;
}

int pss__core_add_draft(pss_ctx *ctx, pss_session_core *core, const char *order_id)
{
    if (pss__grow(ctx->alloc, (void **)&core->drafts, &core->cap_drafts, core->n_drafts + 1,
                  sizeof *core->drafts))
        return pss__oom(ctx);
    snprintf(core->drafts[core->n_drafts++], PSS_ID_SIZE, "%s", order_id);
    return 0;
}

void pss__core_remove_draft(pss_session_core *core, const char *order_id)
{
    for (size_t i = 0; i < core->n_drafts; i++) {
        if (strcmp(core->drafts[i], order_id) == 0) {
            memmove(&core->drafts[i], &core->drafts[i + 1],
                    (core->n_drafts - i - 1) * sizeof *core->drafts);
            core->n_drafts--;
            return;
        }
    }
}

int pss__core_add_pending(pss_ctx *ctx, pss_session_core *core, const char *order_id,
                          int64_t payment)
{
    if (pss__grow(ctx->alloc, (void **)&core->pending, &core->cap_pending, core->n_pending + 1,
                  sizeof *core->pending))
        return pss__oom(ctx);
    pss_pending_ref *p = &core->pending[core->n_pending++];
    snprintf(p->order, sizeof p->order, "%s", order_id);
    p->payment = payment;
    return 0;
}

void pss__core_remove_pending(pss_session_core *core, const char *order_id, int64_t payment)
{
    for (size_t i = 0; i < core->n_pending; i++) {
        pss_pending_ref *p = &core->pending[i];
        if (p->payment == payment && strcmp(p->order, order_id) == 0) {
            memmove(p, p + 1, (core->n_pending - i - 1) * sizeof *p);
            core->n_pending--;
            return;
        }
    }
}

void pss__keyed_totals_free(pss_session *s)
{
    pss__map_entry *e;
    for (size_t i = 0; pss__map_next(&s->keyed_totals, &i, &e);)
        pss__total_free(s->ctx, e->value);
    pss__map_clear(&s->keyed_totals);
}

/* ---- payload ---- */

static void put_opt_str(pss_jsonw *w, const char *key, const char *s)
{
    pss__jsonw_str(w, key, s && s[0] ? s : NULL);
}

static void put_opt_int(pss_jsonw *w, const char *key, int64_t v)
{
    if (v == PSS_UNSET)
        pss__jsonw_null(w, key);
    else
        pss__jsonw_int(w, key, v);
}

static void encode_count(const pss_session_core *c, pss_jsonw *w)
{
    if (!c->counted) {
        pss__jsonw_null(w, "count");
        return;
    }
    pss__jsonw_object(w, "count");
    put_opt_int(w, "cash", c->counted_cash);
    pss__jsonw_array(w, "denominations");
    for (size_t i = 0; i < c->n_denoms; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_int(w, "value", c->denoms[i].value);
        pss__jsonw_int(w, "count", c->denoms[i].count);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    pss__jsonw_array(w, "methods");
    for (size_t i = 0; i < c->n_method_counts; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str(w, "method", c->method_counts[i].method);
        pss__jsonw_int(w, "amount", c->method_counts[i].amount);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    put_opt_str(w, "note", c->count_note);
    pss__jsonw_str(w, "by", c->counted_by);
    pss__jsonw_int(w, "at", c->counted_at);
    pss__jsonw_end(w);
}

/* A record with orders to replay is version 2: a library that knows no replay must not read
 * its total records as the session's totals. Without any it stays version 1, byte for byte.
 * A record of a session that may record orders without rewriting it (open_tail) is version
 * 3: its figures and next_order may count fewer orders than the store holds, and a library
 * that does not look for the others must not read it (doc/storage.md, "Running totals"). */
#define SESSION_SCHEMA_REPLAY 2
#define SESSION_SCHEMA_OPEN_TAIL 3

static int core_schema(const pss_session_core *c)
{
    if (c->open_tail)
        return SESSION_SCHEMA_OPEN_TAIL;
    return c->folded_from < c->next_order ? SESSION_SCHEMA_REPLAY : PSS_SCHEMA_VERSION;
}

int pss__core_encode(pss_ctx *ctx, const pss_session_core *c, pss__strbuf *buf)
{
    pss_jsonw jw, *w = &jw;
    int schema = core_schema(c);
    bool replay = schema >= SESSION_SCHEMA_REPLAY;
    pss__jsonw_begin_version(w, buf, schema);
    pss__jsonw_str(w, "id", c->id);
    pss__jsonw_str(w, "config", c->config_id);
    pss__jsonw_str(w, "name", c->name);
    pss__jsonw_int(w, "seq", c->seq);
    pss__jsonw_bool(w, "rescue", c->rescue);
    pss__jsonw_bool(w, "forced", c->forced);
    pss__jsonw_str(w, "state", pss_session_state_name(c->state));
    pss__jsonw_str(w, "user", c->user);
    pss__jsonw_str(w, "device", c->device);
    pss__jsonw_int(w, "lease_expires", c->lease_expires);
    pss__jsonw_str(w, "date", c->date);
    pss__jsonw_int(w, "created_at", c->created_at);
    pss__jsonw_str(w, "created_by", c->created_by);
    pss__jsonw_int(w, "opened_at", c->opened_at);
    pss__jsonw_str(w, "opened_by", c->opened_by);
    pss__jsonw_int(w, "closed_at", c->closed_at);
    pss__jsonw_str(w, "closed_by", c->closed_by);
    put_opt_str(w, "opening_note", c->opening_note);
    put_opt_str(w, "closing_note", c->closing_note);
    pss__jsonw_int(w, "opening_expected", c->opening_expected);
    put_opt_int(w, "opening_counted", c->opening_counted);
    pss__jsonw_object(w, "totals");
    for (size_t i = 0; i < PSS_SCALAR_COUNT; i++)
        if (i != VOLUME_SCALAR || !c->volume_unknown)
            pss__jsonw_int(w, pss__scalar_names[i], *scalar_at((pss_scalars *)&c->totals, i));
    pss__jsonw_end(w);
    pss__jsonw_int(w, "next_order", c->next_order);
    if (replay)
        pss__jsonw_int(w, "folded_from", c->folded_from);
    pss__jsonw_int(w, "next_bucket", c->next_total);
    pss__jsonw_array(w, "drafts");
    for (size_t i = 0; i < c->n_drafts; i++)
        pss__jsonw_str(w, NULL, c->drafts[i]);
    pss__jsonw_end(w);
    pss__jsonw_array(w, "pending");
    for (size_t i = 0; i < c->n_pending; i++) {
        pss__jsonw_object(w, NULL);
        pss__jsonw_str(w, "order", c->pending[i].order);
        pss__jsonw_int(w, "payment", c->pending[i].payment);
        pss__jsonw_end(w);
    }
    pss__jsonw_end(w);
    encode_count(c, w);
    put_opt_str(w, "entry", c->entry_id);
    return pss__jsonw_finish(ctx, w);
}

/* Parses a stored session record, of either schema version. */
static json_t *session_record(pss_jr *r, pss_ctx *ctx, const pss_record *rec)
{
    pss__jr_init(r, ctx, PSS__KIND_SESSION, rec->id);
    r->max_version = SESSION_SCHEMA_OPEN_TAIL;
    return pss__jr_parse(r, rec->payload, rec->payload_len);
}

static void copy_str(pss_jr *r, char *dst, size_t size, const char *src, const char *field)
{
    if (r->rc)
        return;
    if (!src)
        src = "";
    if (strlen(src) >= size) {
        pss__jr_fail(r, "field '%s' is longer than %zu bytes", field, size - 1);
        return;
    }
    memcpy(dst, src, strlen(src) + 1);
}

#define COPY_STR(r, dst, src, field) copy_str((r), (dst), sizeof(dst), (src), (field))

static void decode_id(pss_jr *r, json_t *doc, const char *key, char out[PSS_ID_SIZE])
{
    const char *s = pss__jr_str(r, doc, key);
    if (!r->rc && pss_id_normalize(s, out) != 0)
        pss__jr_fail(r, "field '%s' is not a UUID", key);
}

static int decode_lists(pss_jr *r, json_t *doc, pss_session_core *c)
{
    pss_ctx *ctx = r->ctx;
    json_t *drafts = pss__jr_array(r, doc, "drafts");
    for (size_t i = 0; !r->rc && i < json_array_size(drafts); i++) {
        char id[PSS_ID_SIZE];
        const char *s = json_string_value(json_array_get(drafts, i));
        if (!s || pss_id_normalize(s, id) != 0)
            return pss__jr_fail(r, "drafts[%zu] is not an order id", i);
        if (pss__core_add_draft(ctx, c, id))
            return r->rc = PSS_ENOMEM;
    }
    json_t *pending = pss__jr_array(r, doc, "pending");
    for (size_t i = 0; !r->rc && i < json_array_size(pending); i++) {
        json_t *p = pss__jr_item(r, pending, i, "pending");
        char id[PSS_ID_SIZE];
        decode_id(r, p, "order", id);
        int64_t payment = pss__jr_range(r, p, "payment", 0, INT32_MAX);
        if (!r->rc && pss__core_add_pending(ctx, c, id, payment))
            return r->rc = PSS_ENOMEM;
    }
    return r->rc;
}

static int decode_count(pss_jr *r, json_t *doc, pss_session_core *c)
{
    json_t *count = json_object_get(doc, "count");
    c->counted_cash = PSS_UNSET;
    if (!count || json_is_null(count))
        return r->rc;
    if (!json_is_object(count))
        return pss__jr_fail(r, "field 'count' is not an object");
    c->counted = true;
    c->counted_cash = pss__jr_range_or(r, count, "cash", PSS_UNSET, -PSS_SESSION_VOLUME_MAX,
                                       PSS_SESSION_VOLUME_MAX); /* after the close: as posted */
    json_t *denoms = pss__jr_array(r, count, "denominations");
    int64_t counted = 0; /* as the count was taken: each part and their sum within an amount */
    for (size_t i = 0; !r->rc && i < json_array_size(denoms); i++) {
        json_t *d = pss__jr_item(r, denoms, i, "denominations");
        pss_denom_entry e = {pss__jr_range(r, d, "value", 1, PSS_AMOUNT_MAX),
                             pss__jr_range(r, d, "count", 0, PSS_AMOUNT_MAX)};
        int64_t worth;
        if (!r->rc && (__builtin_mul_overflow(e.value, e.count, &worth) || worth > PSS_AMOUNT_MAX ||
                       (counted += worth) > PSS_AMOUNT_MAX))
            return pss__jr_fail(r, "count.denominations[%zu] is %lld x %lld, beyond the bound of "
                                   "an amount with the ones before it", i, (long long)e.value,
                                (long long)e.count);
        if (!r->rc && pss__grow(r->ctx->alloc, (void **)&c->denoms, &c->cap_denoms,
                                c->n_denoms + 1, sizeof *c->denoms))
            return r->rc = pss__oom(r->ctx);
        if (!r->rc)
            c->denoms[c->n_denoms++] = e;
    }
    json_t *methods = pss__jr_array(r, count, "methods");
    for (size_t i = 0; !r->rc && i < json_array_size(methods); i++) {
        json_t *m = pss__jr_item(r, methods, i, "methods");
        pss_method_entry e;
        COPY_STR(r, e.method, pss__jr_str(r, m, "method"), "count.methods.method");
        e.amount = pss__jr_amount(r, m, "amount");
        if (!r->rc && pss__grow(r->ctx->alloc, (void **)&c->method_counts,
                                &c->cap_method_counts, c->n_method_counts + 1,
                                sizeof *c->method_counts))
            return r->rc = pss__oom(r->ctx);
        if (!r->rc)
            c->method_counts[c->n_method_counts++] = e;
    }
    COPY_STR(r, c->count_note, pss__jr_str_or_null(r, count, "note"), "count.note");
    COPY_STR(r, c->counted_by, pss__jr_str(r, count, "by"), "count.by");
    c->counted_at = pss__jr_time(r, count, "at");
    return r->rc;
}

static void decode_people(pss_jr *r, json_t *doc, pss_session_core *c)
{
    COPY_STR(r, c->user, pss__jr_str(r, doc, "user"), "user");
    COPY_STR(r, c->device, pss__jr_str(r, doc, "device"), "device");
    c->lease_expires = pss__jr_time(r, doc, "lease_expires");
    c->created_at = pss__jr_time(r, doc, "created_at");
    COPY_STR(r, c->created_by, pss__jr_str(r, doc, "created_by"), "created_by");
    c->opened_at = pss__jr_time(r, doc, "opened_at");
    COPY_STR(r, c->opened_by, pss__jr_str(r, doc, "opened_by"), "opened_by");
    c->closed_at = pss__jr_time(r, doc, "closed_at");
    COPY_STR(r, c->closed_by, pss__jr_str(r, doc, "closed_by"), "closed_by");
    COPY_STR(r, c->opening_note, pss__jr_str_or_null(r, doc, "opening_note"), "opening_note");
    COPY_STR(r, c->closing_note, pss__jr_str_or_null(r, doc, "closing_note"), "closing_note");
}

static int decode_core(pss_jr *r, json_t *doc, pss_session_core *c)
{
    memset(c, 0, sizeof *c);
    decode_id(r, doc, "id", c->id);
    decode_id(r, doc, "config", c->config_id);
    COPY_STR(r, c->name, pss__jr_str(r, doc, "name"), "name");
    c->seq = pss__jr_range(r, doc, "seq", 0, INT32_MAX);
    c->rescue = pss__jr_bool(r, doc, "rescue");
    c->forced = pss__jr_bool(r, doc, "forced");
    c->state = (pss_session_state)pss__jr_enum(r, doc, "state", pss__session_state_names);
    decode_people(r, doc, c);
    const char *date = pss__jr_str(r, doc, "date");
    if (!r->rc && !pss__date_valid(date))
        pss__jr_fail(r, "field 'date' is '%.16s', not a date", date);
    COPY_STR(r, c->date, date, "date");
    /* expected cash may be below zero (more paid out than taken), and without cash control
     * the opening is taken as expected */
    c->opening_expected = pss__jr_running(r, doc, "opening_expected");
    c->opening_counted = pss__jr_range_or(r, doc, "opening_counted", PSS_UNSET,
                                          -PSS_SESSION_VOLUME_MAX, PSS_SESSION_VOLUME_MAX);
    json_t *totals = pss__jr_object(r, doc, "totals");
    /* every running total is a sum within the session's volume (bounds.h); sums of positive
     * parts (change, cash in and out, expenses, counts, the volume) are not negative */
    static const bool signed_scalar[PSS_SCALAR_COUNT] = {
        [0] = true, [5] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true,
        [14] = true}; /* cash_payments, corrections, the order totals, rounding, taxes */
    c->volume_unknown = !r->rc && !json_object_get(totals, pss__scalar_names[VOLUME_SCALAR]);
    for (size_t i = 0; i < PSS_SCALAR_COUNT; i++)
        if (i != VOLUME_SCALAR || !c->volume_unknown)
            *scalar_at(&c->totals, i) = pss__jr_range(
                r, totals, pss__scalar_names[i], signed_scalar[i] ? -PSS_SESSION_VOLUME_MAX : 0,
                PSS_SESSION_VOLUME_MAX);
    c->next_order = pss__jr_range(r, doc, "next_order", 1, INT64_MAX);
    /* at most PSS__FOLD_EVERY orders wait, and only in a record of version 2 or 3 (where
     * none may wait) */
    c->open_tail = r->version >= SESSION_SCHEMA_OPEN_TAIL;
    c->folded_from = r->version >= SESSION_SCHEMA_REPLAY
                         ? pss__jr_range(r, doc, "folded_from", 1,
                                         c->next_order - !c->open_tail)
                         : c->next_order;
    if (!r->rc && c->next_order - c->folded_from > PSS__FOLD_EVERY)
        pss__jr_fail(r, "field 'folded_from' leaves %lld orders to replay, more than %d",
                     (long long)(c->next_order - c->folded_from), PSS__FOLD_EVERY);
    c->next_total = pss__jr_range(r, doc, "next_bucket", 1, INT64_MAX);
    const char *entry = pss__jr_str_or_null(r, doc, "entry");
    if (entry && !r->rc && pss_id_normalize(entry, c->entry_id) != 0)
        pss__jr_fail(r, "field 'entry' is not a UUID");
    if (!r->rc)
        decode_lists(r, doc, c);
    if (!r->rc)
        decode_count(r, doc, c);
    if (r->rc)
        pss__core_free(r->ctx, c);
    return r->rc;
}

int pss__core_decode(pss_ctx *ctx, const pss_record *rec, pss_session_core *core)
{
    pss_jr r;
    json_t *doc = session_record(&r, ctx, rec);
    if (!doc)
        return r.rc;
    int rc = decode_core(&r, doc, core);
    json_decref(doc);
    return rc;
}

int pss__core_put(pss_ctx *ctx, const pss_session_core *core, uint64_t expected_rev,
                  uint64_t *new_rev, pss__strbuf *buf)
{
    int rc = pss__core_encode(ctx, core, buf);
    if (rc)
        return rc;
    rc = pss__put(ctx, PSS__KIND_SESSION, core->id, core->config_id, buf->data, buf->len, expected_rev,
                  new_rev);
    if (rc == PSS_ECONFLICT)
        return pss__fail(ctx, PSS_ECONFLICT,
                         expected_rev ? "session %s was changed by another context during this "
                                        "call; retry"
                                      : "session id %s already exists",
                         expected_rev ? core->name : core->id);
    return rc;
}

/* ---- loading ---- */

pss_session *pss__session_alloc(pss_ctx *ctx)
{
    pss_session *s = PSS_CALLOC(ctx, 1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = ctx;
    s->refs = 1;
    pss__map_init(&s->keyed_totals, ctx->alloc);
    return s;
}

static void session_clear(pss_session *s)
{
    pss__keyed_totals_free(s);
    pss__core_free(s->ctx, &s->core);
    pss_config_free(s->config);
    s->config = NULL;
}

void pss__session_release(pss_session *s)
{
    if (!s || --s->refs > 0)
        return;
    session_clear(s);
    PSS_FREE(s->ctx, s);
}

void pss_session_free(pss_session *s)
{
    pss__session_release(s);
}

typedef struct core_read {
    pss_ctx *ctx;
    pss_session_core core;
    uint64_t rev;
    bool found;
} core_read;

static int on_session_record(const pss_record *rec, void *arg)
{
    core_read *cr = arg;
    int rc = pss__core_decode(cr->ctx, rec, &cr->core);
    if (rc)
        return rc;
    if (strcmp(cr->core.id, rec->id) != 0) {
        pss__core_free(cr->ctx, &cr->core);
        return pss__fail(cr->ctx, PSS_ECORRUPT, "stored session %s is corrupt: it says its id "
                                                "is %s", rec->id, cr->core.id);
    }
    cr->rev = rec->rev;
    cr->found = true;
    return 0;
}

typedef struct total_read {
    pss_ctx *ctx;
    pss__map *map;
    pss__strbuf key;
} total_read;

static int on_total_record(const pss_record *rec, void *arg)
{
    total_read *br = arg;
    pss_total *b;
    int rc = pss__total_decode(br->ctx, rec, &b);
    if (rc)
        return rc;
    if (pss__total_key(&br->key, b->type, b->a, b->b, b->c)) {
        pss__total_free(br->ctx, b);
        return pss__oom(br->ctx);
    }
    if (pss__map_get(br->map, br->key.data)) {
        pss__total_free(br->ctx, b);
        return pss__fail(br->ctx, PSS_ECORRUPT, "stored total %s is corrupt: another total of "
                                                "its session has the same key", rec->id);
    }
    if (pss__map_put(br->map, br->key.data, b)) {
        pss__total_free(br->ctx, b);
        return pss__oom(br->ctx);
    }
    return 0;
}

/* Reads record, keyed_totals and config into fresh parts; the handle changes only on success. */
static int read_parts(pss_ctx *ctx, const char *id, core_read *cr, pss__map *keyed_totals,
                      pss_config **config)
{
    int rc = pss__get(ctx, PSS__KIND_SESSION, id, on_session_record, cr);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ENOTFOUND, "session %s is not in the store", id);
    if (rc)
        return rc;
    total_read br = {ctx, keyed_totals, {0}};
    pss__strbuf_init(&br.key, ctx->alloc);
    rc = pss__scan(ctx, PSS__KIND_TOTAL, id, on_total_record, &br);
    pss__strbuf_free(&br.key);
    if (!rc)
        rc = pss__config_read(ctx, cr->core.config_id, config);
    return rc;
}

static void free_total_map(pss_ctx *ctx, pss__map *m)
{
    pss__map_entry *e;
    for (size_t i = 0; pss__map_next(m, &i, &e);)
        pss__total_free(ctx, e->value);
    pss__map_clear(m);
}

static pss__catch_up_fn catch_up;

void pss__session_set_catch_up(pss__catch_up_fn fn)
{
    catch_up = fn;
}

/* A build whose order layer installed no catch-up (a compiler without constructors) never
 * leaves a record behind: it could not read it back. */
bool pss__tail_can_open(const pss_ctx *ctx, pss_session_state state)
{
    return state == PSS_SESSION_IN_PROGRESS && catch_up && pss__store_has_scan_last(ctx);
}

bool pss__session_tail_can_open(const pss_session *s)
{
    return pss__tail_can_open(s->ctx, s->core.state);
}

static int on_last_id(const pss_record *rec, void *arg)
{
    pss__copy_text(arg, PSS_ID_SIZE, rec->id);
    return 0;
}

/* The id of the session's newest order ("" for none). */
static int read_last_order(pss_ctx *ctx, const char *session_id, char last[PSS_ID_SIZE])
{
    last[0] = '\0';
    return pss__scan_last(ctx, PSS__KIND_ORDER, session_id, 1, on_last_id, last);
}

/* A record of version 3 may count fewer orders than the store holds: the order layer counts
 * the others (the record's stored_next on). */
static int find_orders_beyond(pss_session *s)
{
    s->stored_next = s->core.next_order;
    bool check = pss__session_tail_can_open(s);
    int rc = check || s->core.open_tail ? read_last_order(s->ctx, s->core.id, s->last_order) : 0;
    if (rc || !s->core.open_tail || !s->last_order[0])
        return rc;
    if (!catch_up)
        return pss__fail(s->ctx, PSS_EVERSION, "session %s may have orders its record does not "
                         "count, and this build cannot count them", s->core.name);
    rc = catch_up(s);
    if (rc)
        s->rev = 0; /* the next sync loads it again */
    return rc;
}

int pss__session_reload(pss_session *s)
{
    pss_ctx *ctx = s->ctx;
    core_read cr;
    memset(&cr, 0, sizeof cr);
    cr.ctx = ctx;
    pss__map keyed_totals;
    pss__map_init(&keyed_totals, ctx->alloc);
    pss_config *config = NULL;
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "%s", s->core.id);
    int rc = read_parts(ctx, id, &cr, &keyed_totals, &config);
    if (rc) {
        if (cr.found)
            pss__core_free(ctx, &cr.core);
        free_total_map(ctx, &keyed_totals);
        pss_config_free(config);
        return rc;
    }
    session_clear(s);
    s->core = cr.core;
    s->rev = cr.rev;
    s->keyed_totals = keyed_totals;
    s->config = config;
    s->tail_settled = s->core.folded_from == s->core.next_order; /* else order/tail.c */
    return find_orders_beyond(s);
}

int pss__session_read(pss_ctx *ctx, const char *id, pss_session **out)
{
    pss_session *s = pss__session_alloc(ctx);
    if (!s)
        return pss__oom(ctx);
    snprintf(s->core.id, sizeof s->core.id, "%s", id);
    int rc = pss__session_reload(s);
    if (rc) {
        pss__session_release(s);
        return rc;
    }
    *out = s;
    return 0;
}

int pss__session_brief_decode(pss_ctx *ctx, const pss_record *rec, pss__session_brief *out)
{
    pss_jr r;
    memset(out, 0, sizeof *out);
    json_t *doc = session_record(&r, ctx, rec);
    if (!doc)
        return r.rc;
    COPY_STR(&r, out->name, pss__jr_str(&r, doc, "name"), "name");
    out->state = pss__jr_enum(&r, doc, "state", pss__session_state_names);
    COPY_STR(&r, out->user, pss__jr_str(&r, doc, "user"), "user");
    out->rescue = pss__jr_bool(&r, doc, "rescue");
    COPY_STR(&r, out->date, pss__jr_str(&r, doc, "date"), "date");
    if (!r.rc && !pss__date_valid(out->date))
        pss__jr_fail(&r, "field 'date' is '%.16s', not a date", out->date);
    out->created_at = pss__jr_time(&r, doc, "created_at");
    snprintf(out->id, sizeof out->id, "%s", rec->id);
    decode_id(&r, doc, "config", out->config_id);
    json_decref(doc);
    return r.rc;
}

static int decode_brief(pss_ctx *ctx, const pss_record *rec, void *out)
{
    return pss__session_brief_decode(ctx, rec, out);
}

int pss__session_brief_read(pss_ctx *ctx, const char *id, pss__session_brief *out)
{
    memset(out, 0, sizeof *out);
    return pss__get_decoded(ctx, PSS__KIND_SESSION, id, decode_brief, out);
}

int pss__session_is_rescue(pss_ctx *ctx, const char *id, bool *rescue)
{
    pss__session_brief brief;
    *rescue = false;
    int rc = pss__session_brief_read(ctx, id, &brief);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(ctx, PSS_ECORRUPT, "session %s of a stored order is not in the store",
                         id);
    *rescue = !rc && brief.rescue;
    return rc;
}

int pss__session_sync(pss_session *s)
{
    return pss__session_sync_hinted(s, NULL, NULL);
}

/* In a write transaction on a store with checks: the transaction depends on the record and
 * the newest order being the ones this handle holds, instead of reading them; 0, a failure,
 * or PSS_ECONFLICT when the store knew them moved (then they are read). */
static int sync_by_checks(pss_session *s, bool tail)
{
    int rc = pss__check(s->ctx, PSS__KIND_SESSION, s->core.id, s->rev);
    if (!rc && tail)
        rc = pss__check_last(s->ctx, PSS__KIND_ORDER, s->core.id, s->last_order);
    return rc;
}

int pss__session_sync_hinted(pss_session *s, int (*hint)(void *arg), void *arg)
{
    uint64_t rev = 0;
    /* both reads at once where the store can: the newest order is read only when the
     * record has not moved, which it mostly has not */
    bool tail = pss__session_tail_can_open(s);
    int rc = s->rev && pss__store_can_check(s->ctx) ? sync_by_checks(s, tail) : PSS_ECONFLICT;
    if (rc != PSS_ECONFLICT)
        return !rc && hint ? hint(arg) : rc;
    rc = pss__prefetch(s->ctx, PSS__KIND_SESSION, s->core.id, 0);
    if (!rc && tail)
        rc = pss__prefetch(s->ctx, PSS__KIND_ORDER, s->core.id, 1);
    if (!rc && hint)
        rc = hint(arg);
    if (!rc)
        rc = pss__get(s->ctx, PSS__KIND_SESSION, s->core.id, pss__rev_of, &rev);
    if (rc == PSS_ENOTFOUND)
        return pss__fail(s->ctx, PSS_ENOTFOUND, "session %s is no longer in the store",
                         s->core.id);
    if (rc)
        return rc;
    if (rev == s->rev && !tail)
        return 0;
    if (rev == s->rev) {
        char last[PSS_ID_SIZE];
        if ((rc = read_last_order(s->ctx, s->core.id, last)) || strcmp(last, s->last_order) == 0)
            return rc;
        pss__log(s->ctx, PSS_LOG_DEBUG, "session %s has an order this handle does not know "
                 "(%s); reloading", s->core.name, last);
        return pss__session_reload(s);
    }
    pss__log(s->ctx, PSS_LOG_DEBUG, "session %s changed in storage (rev %llu -> %llu); "
             "reloading", s->core.name, (unsigned long long)s->rev, (unsigned long long)rev);
    return pss__session_reload(s);
}
