/* codec.c: jansson-based payload reading (with PSS_ECORRUPT on anything unexpected) and
 * writing (compact JSON into a strbuf that uses the context's allocator). */
#include "json/codec.h"

#include "base/names.h"

#include <stdio.h>
#include <string.h>

void pss__jr_init(pss_jr *r, pss_ctx *ctx, const char *kind, const char *id)
{
    r->ctx = ctx;
    r->kind = kind;
    r->id = id;
    r->rc = 0;
    r->code = PSS_ECORRUPT;
    r->max_version = PSS_SCHEMA_VERSION;
    r->version = 0;
}

json_t *pss__jr_record(pss_jr *r, pss_ctx *ctx, const char *kind, const pss_record *rec)
{
    pss__jr_init(r, ctx, kind, rec->id);
    return pss__jr_parse(r, rec->payload, rec->payload_len);
}

void pss__jr_init_input(pss_jr *r, pss_ctx *ctx, const char *what)
{
    pss__jr_init(r, ctx, what, "");
    r->code = PSS_EINVAL;
}

int pss__jr_fail(pss_jr *r, const char *fmt, ...)
{
    if (r->rc)
        return r->rc;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (r->code == PSS_ECORRUPT)
        r->rc = pss__fail(r->ctx, PSS_ECORRUPT, "stored %s %s is corrupt: %s", r->kind, r->id,
                          what);
    else
        r->rc = pss__fail(r->ctx, r->code, "%s: %s", r->kind, what);
    return r->rc;
}

json_t *pss__jr_parse(pss_jr *r, const char *payload, size_t len)
{
    if (!payload) {
        pss__jr_fail(r, "no payload");
        return NULL;
    }
    const char *nul = memchr(payload, '\0', len);
    if (nul) { /* the text handed on (an audit entry's json) would end there */
        pss__jr_fail(r, "payload holds a NUL byte at byte %zu", (size_t)(nul - payload));
        return NULL;
    }
    json_error_t err;
    json_t *doc = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        pss__jr_fail(r, "payload does not parse as JSON (%s at line %d, column %d)", err.text,
                     err.line, err.column);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        pss__jr_fail(r, "payload is not a JSON object");
        return NULL;
    }
    json_t *v = json_object_get(doc, "v");
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        json_decref(doc);
        pss__jr_fail(r, "payload has no schema version \"v\"");
        return NULL;
    }
    long long version = (long long)json_integer_value(v);
    if (version > r->max_version) {
        json_decref(doc);
        r->rc = pss__fail(r->ctx, PSS_EVERSION,
                          "stored %s %s has schema version %lld; this library reads up to %d",
                          r->kind, r->id, version, r->max_version);
        return NULL;
    }
    r->version = (int)version;
    return doc;
}

static json_t *field(pss_jr *r, json_t *obj, const char *key)
{
    if (r->rc || !obj)
        return NULL;
    return json_object_get(obj, key);
}

int64_t pss__jr_int(pss_jr *r, json_t *obj, const char *key)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return 0;
    if (!json_is_integer(v)) {
        pss__jr_fail(r, "field '%s' is %s, expected an integer", key,
                     v ? "not an integer" : "missing");
        return 0;
    }
    return (int64_t)json_integer_value(v);
}

int64_t pss__jr_int_or(pss_jr *r, json_t *obj, const char *key, int64_t fallback)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return 0;
    if (!v || json_is_null(v))
        return fallback;
    return pss__jr_int(r, obj, key);
}

bool pss__jr_bool_or(pss_jr *r, json_t *obj, const char *key, bool fallback)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return false;
    return v ? pss__jr_bool(r, obj, key) : fallback;
}

int64_t pss__jr_range(pss_jr *r, json_t *obj, const char *key, int64_t min, int64_t max)
{
    int64_t v = pss__jr_int(r, obj, key);
    if (!r->rc && (v < min || v > max)) {
        pss__jr_fail(r, "field '%s' is %lld, outside %lld..%lld", key, (long long)v,
                     (long long)min, (long long)max);
        return min;
    }
    return v;
}

int64_t pss__jr_range_or(pss_jr *r, json_t *obj, const char *key, int64_t fallback, int64_t min,
                         int64_t max)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return 0;
    if (!v || json_is_null(v))
        return fallback;
    return pss__jr_range(r, obj, key, min, max);
}

void pss__jr_id(pss_jr *r, json_t *obj, const char *key, char out[PSS_ID_SIZE])
{
    const char *s = pss__jr_str(r, obj, key);
    out[0] = '\0';
    if (!r->rc && pss_id_normalize(s, out) != 0)
        pss__jr_fail(r, "field '%s' is not a UUID", key);
}

int64_t pss__jr_amount(pss_jr *r, json_t *obj, const char *key)
{
    return pss__jr_range(r, obj, key, -PSS_AMOUNT_MAX, PSS_AMOUNT_MAX);
}

int64_t pss__jr_running(pss_jr *r, json_t *obj, const char *key)
{
    return pss__jr_range(r, obj, key, -PSS_SESSION_VOLUME_MAX, PSS_SESSION_VOLUME_MAX);
}

int64_t pss__jr_time(pss_jr *r, json_t *obj, const char *key)
{
    return pss__jr_range(r, obj, key, PSS_TIME_MIN, PSS_TIME_MAX);
}

const char *pss__jr_str(pss_jr *r, json_t *obj, const char *key)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return "";
    if (!json_is_string(v)) {
        pss__jr_fail(r, "field '%s' is %s, expected a string", key, v ? "not a string" : "missing");
        return "";
    }
    return json_string_value(v);
}

const char *pss__jr_str_or_null(pss_jr *r, json_t *obj, const char *key)
{
    json_t *v = field(r, obj, key);
    if (r->rc || !v || json_is_null(v))
        return NULL;
    return pss__jr_str(r, obj, key);
}

bool pss__jr_bool(pss_jr *r, json_t *obj, const char *key)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return false;
    if (!json_is_boolean(v)) {
        pss__jr_fail(r, "field '%s' is %s, expected true or false", key,
                     v ? "not a boolean" : "missing");
        return false;
    }
    return json_is_true(v);
}

static json_t *typed(pss_jr *r, json_t *obj, const char *key, int want, const char *name)
{
    json_t *v = field(r, obj, key);
    if (r->rc)
        return NULL;
    if (!v || (int)json_typeof(v) != want) {
        pss__jr_fail(r, "field '%s' is %s, expected %s", key, v ? "of another type" : "missing",
                     name);
        return NULL;
    }
    return v;
}

json_t *pss__jr_array(pss_jr *r, json_t *obj, const char *key)
{
    return typed(r, obj, key, JSON_ARRAY, "an array");
}

json_t *pss__jr_object(pss_jr *r, json_t *obj, const char *key)
{
    return typed(r, obj, key, JSON_OBJECT, "an object");
}

json_t *pss__jr_item(pss_jr *r, json_t *array, size_t i, const char *what)
{
    if (r->rc || !array)
        return NULL;
    json_t *v = json_array_get(array, i);
    if (!json_is_object(v)) {
        pss__jr_fail(r, "%s[%zu] is not an object", what, i);
        return NULL;
    }
    return v;
}

char *pss__jr_dup(pss_jr *r, const char *s)
{
    if (r->rc || !s)
        return NULL;
    char *copy = PSS_STRDUP(r->ctx, s);
    if (!copy)
        r->rc = pss__oom(r->ctx);
    return copy;
}

int pss__jr_enum_or(pss_jr *r, json_t *obj, const char *key, const pss__name *table,
                    int fallback)
{
    json_t *v = r->rc ? NULL : json_object_get(obj, key);
    if (!v || json_is_null(v))
        return fallback;
    return pss__jr_enum(r, obj, key, table);
}

int pss__jr_enum(pss_jr *r, json_t *obj, const char *key, const pss__name *table)
{
    const char *name = pss__jr_str(r, obj, key);
    int value = 0;
    if (!r->rc && pss__value_of(table, name, &value) != 0)
        pss__jr_fail(r, "field '%s' has unknown value '%s'", key, name);
    return r->rc ? 0 : value;
}

int pss__check_meta(pss_ctx *ctx, const char *what, const char *meta)
{
    if (!meta)
        return 0;
    size_t len = strlen(meta);
    if (len > PSS_META_MAX)
        return pss__fail(ctx, PSS_EINVAL, "%s is %zu bytes; at most %d", what, len,
                         PSS_META_MAX);
    json_error_t err;
    json_t *doc = json_loadb(meta, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!doc)
        return pss__fail(ctx, PSS_EINVAL, "%s is not valid JSON: %s (at byte %d)", what,
                         err.text, err.position);
    bool object = json_is_object(doc);
    json_decref(doc);
    if (!object)
        return pss__fail(ctx, PSS_EINVAL, "%s is not a JSON object", what);
    return 0;
}

/* ---- tuples ---- */

/* "lines[2][3][0]": the path of position pos of tuple t. */
static void tuple_path(const pss_jt *t, char *out, size_t size)
{
    if (t->up) {
        tuple_path(t->up, out, size);
        size_t n = strlen(out);
        snprintf(out + n, size - n, "[%zu][%zu]", t->up_pos, t->i);
    } else if (t->key) {
        snprintf(out, size, "%s.%.64s", t->what, t->key);
    } else {
        snprintf(out, size, "%s[%zu]", t->what, t->i);
    }
}

int pss__jt_fail(const pss_jt *t, size_t pos, const char *field, const char *fmt, ...)
{
    if (t->r->rc)
        return t->r->rc;
    char path[160], what[256];
    tuple_path(t, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (field)
        return pss__jr_fail(t->r, "%s[%zu] (%s) %s", path, pos, field, what);
    return pss__jr_fail(t->r, "%s %s", path, what);
}

static bool tuple_take(pss_jt *t, json_t *a, size_t min, size_t max)
{
    size_t n = json_array_size(a);
    if (!json_is_array(a) || n < min || n > max) {
        pss__jt_fail(t, 0, NULL, "is not a list of %zu to %zu fields", min, max);
        return false;
    }
    t->a = a;
    return true;
}

bool pss__jt_open(pss_jt *t, pss_jr *r, json_t *list, size_t i, const char *what,
                  const pss_jt *up, size_t up_pos, size_t min, size_t max)
{
    *t = (pss_jt){r, NULL, what, NULL, i, up, up_pos};
    if (r->rc || !list)
        return false;
    return tuple_take(t, json_array_get(list, i), min, max);
}

bool pss__jt_open_member(pss_jt *t, pss_jr *r, json_t *value, const char *what,
                         const char *key, size_t min, size_t max)
{
    *t = (pss_jt){r, NULL, what, key, 0, NULL, 0};
    return r->rc ? false : tuple_take(t, value, min, max);
}

size_t pss__jt_size(const pss_jt *t)
{
    return t->r->rc ? 0 : json_array_size(t->a);
}

json_t *pss__jt_get(const pss_jt *t, size_t pos)
{
    if (t->r->rc || !t->a)
        return NULL;
    json_t *v = json_array_get(t->a, pos);
    return json_is_null(v) ? NULL : v;
}

/* The value at pos, which must be there: NULL (and a failure) when it is not. */
static json_t *required(const pss_jt *t, size_t pos, const char *field)
{
    json_t *v = pss__jt_get(t, pos);
    if (!v && !t->r->rc)
        pss__jt_fail(t, pos, field, "is missing");
    return v;
}

static int64_t tuple_int(const pss_jt *t, json_t *v, size_t pos, const char *field,
                         int64_t min, int64_t max)
{
    if (!json_is_integer(v)) {
        pss__jt_fail(t, pos, field, "is not an integer");
        return min;
    }
    int64_t x = (int64_t)json_integer_value(v);
    if (x < min || x > max) {
        pss__jt_fail(t, pos, field, "is %lld, outside %lld..%lld", (long long)x, (long long)min,
                     (long long)max);
        return min;
    }
    return x;
}

int64_t pss__jt_range(const pss_jt *t, size_t pos, const char *field, int64_t min, int64_t max)
{
    json_t *v = required(t, pos, field);
    return v ? tuple_int(t, v, pos, field, min, max) : 0;
}

int64_t pss__jt_range_or(const pss_jt *t, size_t pos, const char *field, int64_t fallback,
                         int64_t min, int64_t max)
{
    json_t *v = pss__jt_get(t, pos);
    if (t->r->rc)
        return 0;
    return v ? tuple_int(t, v, pos, field, min, max) : fallback;
}

static const char *tuple_str(const pss_jt *t, json_t *v, size_t pos, const char *field)
{
    if (!json_is_string(v)) {
        pss__jt_fail(t, pos, field, "is not a string");
        return "";
    }
    return json_string_value(v);
}

const char *pss__jt_str(const pss_jt *t, size_t pos, const char *field)
{
    json_t *v = required(t, pos, field);
    return v ? tuple_str(t, v, pos, field) : "";
}

const char *pss__jt_str_or_null(const pss_jt *t, size_t pos, const char *field)
{
    json_t *v = pss__jt_get(t, pos);
    return v ? tuple_str(t, v, pos, field) : NULL;
}

static bool tuple_bool(const pss_jt *t, json_t *v, size_t pos, const char *field)
{
    if (!json_is_boolean(v))
        pss__jt_fail(t, pos, field, "is not true or false");
    return json_is_true(v);
}

bool pss__jt_bool(const pss_jt *t, size_t pos, const char *field)
{
    json_t *v = required(t, pos, field);
    return v ? tuple_bool(t, v, pos, field) : false;
}

bool pss__jt_bool_or(const pss_jt *t, size_t pos, const char *field, bool fallback)
{
    json_t *v = pss__jt_get(t, pos);
    if (t->r->rc)
        return false;
    return v ? tuple_bool(t, v, pos, field) : fallback;
}

json_t *pss__jt_array(const pss_jt *t, size_t pos, const char *field)
{
    json_t *v = required(t, pos, field);
    if (v && !json_is_array(v)) {
        pss__jt_fail(t, pos, field, "is not a list");
        return NULL;
    }
    return v;
}

int pss__jt_enum_or(const pss_jt *t, size_t pos, const char *field, const pss__name *table,
                    int fallback)
{
    const char *name = pss__jt_str_or_null(t, pos, field);
    int value = fallback;
    if (!t->r->rc && name && pss__value_of(table, name, &value) != 0)
        pss__jt_fail(t, pos, field, "has unknown value '%.32s'", name);
    return t->r->rc ? 0 : value;
}
