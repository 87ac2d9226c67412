/* codec.h: reading record payloads and host documents with jansson (every record is written
 * by the one writer, jsonw.h, over jsonc.h's cursor). Readers never trust what
 * storage returns: a payload that does not parse, lacks a field or has one of the wrong
 * type gives PSS_ECORRUPT naming the record and the field. */
#ifndef PSS_CODEC_H
#define PSS_CODEC_H

#include <jansson.h>
#include <stdbool.h>
#include "base/internal.h"
#include "util/strbuf.h"
#include "json/jsonc.h"


/* A reader over one record: the first failure is kept in rc, later reads are no-ops that
 * return neutral values, so decoders read linearly and check rc once. */
typedef struct pss_jr {
    pss_ctx *ctx;
    const char *kind;
    const char *id;
    int rc;
    int code; /* PSS_ECORRUPT for stored records, PSS_EINVAL for documents from the host */
    int max_version; /* the newest "v" the decoder reads: PSS_SCHEMA_VERSION unless it says */
    int version;     /* the payload's "v", once parsed */
} pss_jr;

void pss__jr_init(pss_jr *r, pss_ctx *ctx, const char *kind, const char *id);
/* A reader over a document the host passed in: failures are PSS_EINVAL. */
void pss__jr_init_input(pss_jr *r, pss_ctx *ctx, const char *what);
/* Parses a payload into an object and checks its "v" (newer: PSS_EVERSION). NULL on failure. */
json_t *pss__jr_parse(pss_jr *r, const char *payload, size_t len);
/* A reader over a stored record of kind (records.h), its payload parsed: init and parse in
 * one, for the storage callbacks. NULL on failure, with r->rc set. */
json_t *pss__jr_record(pss_jr *r, pss_ctx *ctx, const char *kind, const pss_record *rec);
int pss__jr_fail(pss_jr *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int64_t pss__jr_int(pss_jr *r, json_t *obj, const char *key);
int64_t pss__jr_int_or(pss_jr *r, json_t *obj, const char *key, int64_t fallback);
/* An integer that must lie in [min, max] (enums, counts). */
int64_t pss__jr_range(pss_jr *r, json_t *obj, const char *key, int64_t min, int64_t max);
/* Ranged fields of stored records: the library never trusts a value out of its bounds
 * (doc/concepts.md, "Bounds"): an amount or computed figure (within PSS_AMOUNT_MAX), a
 * running total (within PSS_SESSION_VOLUME_MAX), a time (years 1 to 9999, in ms). */
int64_t pss__jr_amount(pss_jr *r, json_t *obj, const char *key);
int64_t pss__jr_running(pss_jr *r, json_t *obj, const char *key);
int64_t pss__jr_time(pss_jr *r, json_t *obj, const char *key);
/* An optional ranged integer: fallback when absent or null, else it must lie in [min, max]. */
int64_t pss__jr_range_or(pss_jr *r, json_t *obj, const char *key, int64_t fallback, int64_t min,
                         int64_t max);
/* A UUID field, normalized into out ("" after a failure). */
void pss__jr_id(pss_jr *r, json_t *obj, const char *key, char out[PSS_ID_SIZE]);
/* Strings stay owned by the json value; "" after a failure. */
const char *pss__jr_str(pss_jr *r, json_t *obj, const char *key);
/* NULL when absent or null. */
const char *pss__jr_str_or_null(pss_jr *r, json_t *obj, const char *key);
bool pss__jr_bool(pss_jr *r, json_t *obj, const char *key);
bool pss__jr_bool_or(pss_jr *r, json_t *obj, const char *key, bool fallback);
/* NULL after a failure. */
json_t *pss__jr_array(pss_jr *r, json_t *obj, const char *key);
json_t *pss__jr_object(pss_jr *r, json_t *obj, const char *key);
/* An array element that must be an object. */
json_t *pss__jr_item(pss_jr *r, json_t *array, size_t i, const char *what);

/* A reader over a tuple: a JSON array whose positions stand for named fields (version 4 of
 * the order record writes its lines, taxes and payments so, doc/storage.md). A failure names
 * the position and its field ("lines[2][1] (qty) is missing"); trailing positions may be left
 * out and null stands for an absent field. Like pss_jr, reads after a failure are no-ops. */
typedef struct pss_jt {
    pss_jr *r;
    json_t *a;               /* the array; NULL after a failure */
    const char *what;        /* the member holding the list of tuples: "lines" */
    const char *key;         /* or, for a tuple that is a member of object `what`, its name */
    size_t i;                /* the tuple's index in it */
    const struct pss_jt *up; /* the tuple holding that list, or NULL */
    size_t up_pos;           /* its position there */
} pss_jt;

/* Opens element i of list (of member `what`, inside tuple `up` at up_pos, or of the payload
 * when up is NULL): it must be an array of min to max positions. false after a failure. */
bool pss__jt_open(pss_jt *t, pss_jr *r, json_t *list, size_t i, const char *what,
                  const pss_jt *up, size_t up_pos, size_t min, size_t max);
/* The same for the value of member key of object `what` ("taxes.VAT10"). */
bool pss__jt_open_member(pss_jt *t, pss_jr *r, json_t *value, const char *what,
                         const char *key, size_t min, size_t max);
/* How many positions the tuple has (0 after a failure). */
size_t pss__jt_size(const pss_jt *t);
/* The value at pos, NULL when left out or null. */
json_t *pss__jt_get(const pss_jt *t, size_t pos);
int pss__jt_fail(const pss_jt *t, size_t pos, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int64_t pss__jt_range(const pss_jt *t, size_t pos, const char *field, int64_t min, int64_t max);
/* fallback when left out or null, else within [min, max]. */
int64_t pss__jt_range_or(const pss_jt *t, size_t pos, const char *field, int64_t fallback,
                         int64_t min, int64_t max);
const char *pss__jt_str(const pss_jt *t, size_t pos, const char *field);
/* NULL when left out or null. */
const char *pss__jt_str_or_null(const pss_jt *t, size_t pos, const char *field);
bool pss__jt_bool(const pss_jt *t, size_t pos, const char *field);
bool pss__jt_bool_or(const pss_jt *t, size_t pos, const char *field, bool fallback);
/* A list (an array); NULL after a failure. */
json_t *pss__jt_array(const pss_jt *t, size_t pos, const char *field);
struct pss__name;
/* One of an enum's names (names.h tables), fallback when left out or null. */
int pss__jt_enum_or(const pss_jt *t, size_t pos, const char *field,
                    const struct pss__name *table, int fallback);

/* Host metadata (possession/meta.h): NULL (none) or a JSON object of at most PSS_META_MAX
 * bytes in valid UTF-8 without duplicate keys; PSS_EINVAL naming what (for example "order
 * meta") otherwise. */
int pss__check_meta(pss_ctx *ctx, const char *what, const char *meta);

/* A copy of a string read from a document (NULL stays NULL); a failed copy sets rc. */
char *pss__jr_dup(pss_jr *r, const char *s);
/* A field holding one of an enum's names (names.h tables): its value; an unknown name fails. */
struct pss__name;
int pss__jr_enum(pss_jr *r, json_t *obj, const char *key, const struct pss__name *table);
/* The same, fallback when the field is absent or null (a field newer records added). */
int pss__jr_enum_or(pss_jr *r, json_t *obj, const char *key, const struct pss__name *table,
                    int fallback);

#endif
