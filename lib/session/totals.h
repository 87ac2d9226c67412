/* totals.h: a session's running totals: the scalars kept in its record and the keyed totals
 * (one record of kind "total" each), their deltas as a call stages them, and their views. */
#ifndef PSS_SESSION_TOTALS_H
#define PSS_SESSION_TOTALS_H

#include <stdbool.h>

#include "base/internal.h"
#include "util/strbuf.h"

/* Scalar running totals, kept in the session record. */
typedef struct pss_scalars {
    int64_t cash_payments; /* done payments of the cash method, signed */
    int64_t change;        /* change given back */
    int64_t cash_in, cash_out, expenses, corrections;
    int64_t orders, refunds, cancelled; /* counts of paid sales, paid refunds, cancelled */
    int64_t paid_total;  /* totals of paid orders: the posted balance */
    int64_t draft_total; /* totals of draft orders */
    int64_t rounding;    /* sum of due - total of paid orders */
    int64_t invoiced;    /* totals of paid invoiced orders */
    int64_t untaxed, tax; /* paid, not invoiced */
    /* magnitudes of what the orders, payments and cash movements record (bounds.h) */
    int64_t volume;
} pss_scalars;

#define PSS_SCALAR_COUNT (sizeof(pss_scalars) / sizeof(int64_t))
extern const char *const pss__scalar_names[PSS_SCALAR_COUNT];

/* The types of the keyed running totals (one record of kind "total" each). */
typedef enum pss_total_type {
    PSS_TOTAL_METHOD = 'm',  /* a: method;  v: amount, change, payments */
    PSS_TOTAL_SALES = 's',   /* a: income account, b: tax codes, c: "sale"/"refund"; v: untaxed, tax */
    PSS_TOTAL_TAX = 't',     /* a: tax code, b: account, c: "sale"/"refund"; v: base, amount */
    PSS_TOTAL_PRODUCT = 'p', /* a: product id, label: name; v: sold, refunded */
    PSS_TOTAL_MOVE = 'c',    /* a: movement kind, b: account; v: amount, count */
    PSS_TOTAL_RECEIVABLE = 'r' /* a: customer; v: total of its paid invoiced orders */
} pss_total_type;

#define PSS_TOTAL_VALUES 3

typedef struct pss_total {
    pss_total_type type;
    char *a, *b, *c, *label;
    int64_t v[PSS_TOTAL_VALUES];
    char record_id[PSS_ID_SIZE + 24]; /* "" while it has no record yet */
    uint64_t rev;
    bool dirty; /* v holds orders' contributions its record does not have yet */
} pss_total;

typedef struct pss_total_delta {
    pss_total_type type;
    char *key, *a, *b, *c, *label;
    int64_t d[PSS_TOTAL_VALUES];
    /* filled when written */
    int64_t v[PSS_TOTAL_VALUES];
    char record_id[PSS_ID_SIZE + 24];
    uint64_t rev;
    bool resolved; /* v computed; not written when the call defers the totals */
} pss_total_delta;

int pss__total_decode(pss_ctx *ctx, const pss_record *rec, pss_total **out);
/* The record of a running total as the delta leaves it (d->v), in buf. */
int pss__total_encode(pss_ctx *ctx, const char *session_id, const pss_total_delta *d,
                      pss__strbuf *buf);
void pss__total_free(pss_ctx *ctx, pss_total *b);
/* The in-memory key of a running total: type and parts joined by the unit separator. */
int pss__total_key(pss__strbuf *buf, pss_total_type type, const char *a, const char *b,
                    const char *c);

/* A running total as it is (session) or will be after a staged call (session + stage). The
 * strings belong to the session's keyed_totals and the stage's deltas. */
typedef struct pss_total_view {
    pss_total_type type;
    const char *a, *b, *c, *label;
    int64_t v[PSS_TOTAL_VALUES];
} pss_total_view;

#endif
