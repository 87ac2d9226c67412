/* audit.c: writing audit entries (every state change and every close attempt) and reading
 * the trail back. Entries are JSON documents appended through the storage contract. */
#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "base/actor.h"
#include "json/codec.h"
#include "json/jsonw.h"
#include "base/names.h"
#include "store/store.h"
#include "base/text.h"

static pss__audit_field *next_field(pss__audit_extra *x, const char *key, int kind)
{
    PSS_ASSERT(x->n < PSS__AUDIT_EXTRA_MAX);
    pss__audit_field *f = &x->fields[x->n < PSS__AUDIT_EXTRA_MAX ? x->n++ : x->n - 1];
    memset(f, 0, sizeof *f);
    f->key = key;
    f->kind = kind;
    return f;
}

void pss__extra_str(pss__audit_extra *x, const char *key, const char *s)
{
    next_field(x, key, PSS__FIELD_STR)->str = s;
}

void pss__extra_int(pss__audit_extra *x, const char *key, int64_t v)
{
    next_field(x, key, PSS__FIELD_INT)->num = v;
}

void pss__extra_ids(pss__audit_extra *x, const char *key, const char (*ids)[PSS_ID_SIZE],
                    size_t n)
{
    pss__audit_field *f = next_field(x, key, PSS__FIELD_IDS);
    f->ids = ids;
    f->n_ids = n;
}

static void write_extra(pss_jsonw *w, const pss__audit_extra *x)
{
    pss__jsonw_object(w, "extra");
    for (size_t i = 0; i < x->n; i++) {
        const pss__audit_field *f = &x->fields[i];
        if (f->kind == PSS__FIELD_STR) {
            pss__jsonw_str(w, f->key, f->str);
        } else if (f->kind == PSS__FIELD_INT) {
            pss__jsonw_int(w, f->key, f->num);
        } else {
            pss__jsonw_array(w, f->key);
            for (size_t k = 0; k < f->n_ids; k++)
                pss__jsonw_str(w, NULL, f->ids[k]);
            pss__jsonw_end(w);
        }
    }
    pss__jsonw_end(w);
}

static void put_figure(pss_jsonw *w, const char *name, int64_t value)
{
    if (value != PSS_UNSET)
        pss__jsonw_int(w, name, value);
}

const char *pss__audit_subject(const pss_audit_note *note)
{
    if (note->session_id && note->session_id[0])
        return note->session_id;
    return note->config_id ? note->config_id : "";
}

int pss__audit_encode(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note,
                      pss__strbuf *buf)
{
    pss_jsonw w;
    pss__jsonw_begin(&w, buf);
    pss__jsonw_int(&w, "time", pss_ctx_now(ctx));
    pss__jsonw_str(&w, "user", actor->user);
    pss__jsonw_str(&w, "role", pss__role_name(actor->role));
    pss__jsonw_str(&w, "device", actor->device ? actor->device : "");
    pss__jsonw_str(&w, "action", note->action);
    pss__jsonw_str(&w, "session", note->session_id ? note->session_id : "");
    pss__jsonw_str(&w, "config", note->config_id ? note->config_id : "");
    pss__jsonw_int(&w, "outcome", note->outcome);
    pss__jsonw_str(&w, "outcome_name", note->outcome ? pss_strerror(note->outcome) : "ok");
    pss__jsonw_str(&w, "detail", note->detail ? note->detail : "");
    pss__jsonw_str(&w, "reason", note->reason ? note->reason : "");
    pss__jsonw_object(&w, "figures");
    put_figure(&w, "expected", note->expected);
    put_figure(&w, "counted", note->counted);
    put_figure(&w, "difference", note->difference);
    put_figure(&w, "allowed", note->allowed);
    pss__jsonw_end(&w);
    if (note->extra)
        write_extra(&w, note->extra);
    return pss__jsonw_finish(ctx, &w);
}

static pss__audit_hook_fn audit_hook;

/* The hook refused the call (a broken fiscal chain): the entry, with that refusal as its
 * outcome, is kept for the session layer to append once the call is rolled back, so that
 * the trail says so (session/mutate.c). */
static void keep_refusal(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note,
                         int code)
{
    char detail[PSS_ERRMSG_SIZE];
    snprintf(detail, sizeof detail, "%s", pss_ctx_errmsg(ctx));
    pss_audit_note refused = *note;
    refused.outcome = code;
    refused.detail = detail;
    pss__strbuf_reset(&ctx->late_refusal);
    ctx->late_refusal_subject[0] = '\0';
    if (pss__audit_encode(ctx, actor, &refused, &ctx->late_refusal) == 0)
        pss__copy_text(ctx->late_refusal_subject, sizeof ctx->late_refusal_subject,
                       pss__audit_subject(&refused));
    pss__fail(ctx, code, "%s", detail); /* encoding may have touched the detail */
}

void pss__audit_set_hook(pss__audit_hook_fn fn)
{
    audit_hook = fn;
}

int pss__audit(pss_ctx *ctx, const pss_actor *actor, const pss_audit_note *note)
{
    pss__strbuf buf;
    pss__strbuf_init(&buf, ctx->alloc);
    int rc = pss__audit_encode(ctx, actor, note, &buf);
    if (!rc)
        rc = pss__append(ctx, pss__audit_subject(note), buf.data, buf.len);
    pss__strbuf_free(&buf);
    if (!rc && note->outcome == 0 && audit_hook)
        rc = audit_hook(ctx, actor, note);
    if (rc == PSS_ECORRUPT && note->outcome == 0)
        keep_refusal(ctx, actor, note, rc);
    return rc;
}

/* ---- reading ---- */

typedef struct audit_item {
    uint64_t seq;
    json_t *doc;
    char *json;
} audit_item;

struct pss_audit {
    pss_ctx *ctx;
    audit_item *items;
    size_t n, cap;
};

void pss_audit_free(pss_audit *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        json_decref(a->items[i].doc);
        PSS_FREE(a->ctx, a->items[i].json);
    }
    PSS_FREE(a->ctx, a->items);
    PSS_FREE(a->ctx, a);
}

static int check_entry(pss_jr *r, json_t *doc)
{
    pss__jr_time(r, doc, "time");
    pss__jr_str(r, doc, "user");
    pss__jr_str(r, doc, "role");
    pss__jr_str(r, doc, "action");
    pss__jr_str(r, doc, "session");
    pss__jr_str(r, doc, "config");
    pss__jr_range(r, doc, "outcome", -1000, 0);
    pss__jr_object(r, doc, "figures");
    return r->rc;
}

static int on_audit_item(const pss_audit_item *item, void *arg)
{
    pss_audit *a = arg;
    char id[32];
    snprintf(id, sizeof id, "#%llu", (unsigned long long)item->seq);
    pss_jr r;
    pss__jr_init(&r, a->ctx, "audit entry", id);
    json_t *doc = pss__jr_parse(&r, item->payload, item->payload_len);
    if (!doc)
        return r.rc;
    if (check_entry(&r, doc)) {
        json_decref(doc);
        return r.rc;
    }
    if (pss__grow(a->ctx->alloc, (void **)&a->items, &a->cap, a->n + 1, sizeof *a->items)) {
        json_decref(doc);
        return pss__oom(a->ctx);
    }
    char *text = pss__strndup(a->ctx->alloc, item->payload, item->payload_len);
    if (!text) {
        json_decref(doc);
        return pss__oom(a->ctx);
    }
    a->items[a->n++] = (audit_item){item->seq, doc, text};
    return 0;
}

int pss_audit_load(pss_ctx *ctx, const char *subject, pss_audit **out)
{
    if (!ctx || !out)
        return PSS_EINVAL;
    pss__clear(ctx);
    *out = NULL;
    int rc = pss__check_text(ctx, "audit subject", subject, PSS_TEXT_OPTIONAL, PSS_NAME_MAX);
    if (rc)
        return rc;
    pss_audit *a = PSS_CALLOC(ctx, 1, sizeof *a);
    if (!a)
        return pss__oom(ctx);
    a->ctx = ctx;
    if ((rc = pss__txn_begin(ctx, false))) {
        pss_audit_free(a);
        return rc;
    }
    rc = pss__txn_end(ctx, pss__audit_scan(ctx, subject && subject[0] ? subject : NULL,
                                           on_audit_item, a));
    if (rc) {
        pss_audit_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

size_t pss_audit_count(const pss_audit *a)
{
    return a ? a->n : 0;
}

static const char *str_of(json_t *doc, const char *key)
{
    const char *s = json_string_value(json_object_get(doc, key));
    return s ? s : "";
}

static int64_t figure_of(json_t *doc, const char *key)
{
    json_t *v = json_object_get(json_object_get(doc, "figures"), key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : PSS_UNSET;
}

int pss_audit_get(const pss_audit *a, size_t index, pss_audit_record *out)
{
    if (!a || !out)
        return PSS_EINVAL;
    int rc = pss__check_item(a->ctx, out, out->version, PSS_AUDIT_RECORD_VERSION,
                             "pss_audit_record", index, a->n, "the audit list", "entries");
    if (rc)
        return rc;
    json_t *doc = a->items[index].doc;
    int role = 0;
    pss__value_of(pss__role_names, str_of(doc, "role"), &role);
    out->seq = a->items[index].seq;
    out->time = (int64_t)json_integer_value(json_object_get(doc, "time"));
    out->user = str_of(doc, "user");
    out->role = (pss_role)role;
    out->device = str_of(doc, "device");
    out->action = str_of(doc, "action");
    out->session_id = str_of(doc, "session");
    out->config_id = str_of(doc, "config");
    out->outcome = (int)json_integer_value(json_object_get(doc, "outcome"));
    out->detail = str_of(doc, "detail");
    out->reason = str_of(doc, "reason");
    out->expected = figure_of(doc, "expected");
    out->counted = figure_of(doc, "counted");
    out->difference = figure_of(doc, "difference");
    out->allowed = figure_of(doc, "allowed");
    out->json = a->items[index].json;
    return 0;
}
