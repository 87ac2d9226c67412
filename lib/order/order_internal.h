/* order_internal.h: an order's layout (lines with their tax snapshot, payments, the
 * groups posting reads), its computation, codec, and the commit every order change goes
 * through. */
#ifndef PSS_ORDER_INTERNAL_H
#define PSS_ORDER_INTERNAL_H

#include <stdbool.h>

#include "order/input_hash.h"
#include "order/input_stride.h"
#include "util/pool.h"
#include "session/stage.h"

/* The most lines and payments one order holds (order.h: EINVAL beyond). */
#define PSS__ORDER_LINES_MAX 10000
#define PSS__ORDER_PAYMENTS_MAX 100

typedef struct pss_line_tax {
    char *code;
    char *account;
    int64_t rate_ppm;
    bool included;
    int64_t per_unit;  /* a fixed tax: minor units per unit (rate_ppm is 0) */
    bool affects_base; /* joins the base of the taxes after it on the line */
    int64_t amount; /* this line's share, rounded per line */
} pss_line_tax;

typedef struct pss_line {
    char *product_id, *product_name, *category, *income_account;
    int64_t qty, price, discount_ppm;
    int64_t order_discount; /* this line's share of the order's discount (discount.c) */
    int64_t amount; /* after both discounts, in the price's tax convention */
    int64_t untaxed, tax, total;
    pss_line_tax *taxes;
    size_t n_taxes;
    char *taxset; /* sorted tax codes joined by ',' */
    int64_t refund_line;
} pss_line;

typedef struct pss_payment {
    char *method;
    bool cash;
    int64_t amount;
    pss_payment_state state;
    int64_t change;
    int64_t rounding; /* the order's rounding this payment fixed when it settled the order */
    char *reference;
    char *reason;
    int64_t at;
} pss_payment;

typedef struct pss_group_tax {
    char *code;
    char *account;
    int64_t rate_ppm;
    bool included;
    int64_t per_unit;
    bool affects_base;
    int64_t base, amount;
} pss_group_tax;

/* Lines with the same income account, taxes and side: what posting credits. */
typedef struct pss_group {
    char *account;
    char *taxset;
    bool refund;    /* lines that come back (negative quantities): posted as refunds */
    bool from_sale; /* holds refund lines of a sale, whose figures are the sale's */
    int64_t amount; /* sum of the lines' amounts */
    int64_t untaxed, tax;
    pss_group_tax *taxes;
    size_t n_taxes;
} pss_group;

typedef struct pss_order_data {
    char id[PSS_ID_SIZE];
    char session_id[PSS_ID_SIZE]; /* the record's parent */
    char config_id[PSS_ID_SIZE];  /* "" when read from a version 4 record (its session's) */
    int64_t number;
    pss_order_state state; /* stored: draft, paid or cancelled */
    bool invoiced;
    char refund_of[PSS_ID_SIZE]; /* "" when not a refund */
    char *note;
    int64_t created_at, paid_at;
    char created_by[PSS_NAME_MAX + 1];
    char input_hash[PSS_HASH_SIZE]; /* submitted orders: hash of what the till sent */
    int64_t discount_amount, discount_ppm; /* the order-level discount as given (one is 0) */
    char *customer; /* the host's customer id, or NULL (in the pool) */
    char *return_reason; /* why products come back without a receipt, or NULL (in the pool) */
    pss_line *lines;
    size_t n_lines, cap_lines;
    pss_payment *payments;
    size_t n_payments, cap_payments;
    pss_group *groups;
    size_t n_groups;
    int64_t untaxed, tax, total, rounding;
    uint64_t rev;
    pss__pool pool; /* the strings and arrays of lines, payments and groups, and the note */
} pss_order_data;

struct pss_order {
    pss_session *s;
    pss_order_data *d;
};

/* Sums of the payments by state. */
typedef struct pss_paid {
    int64_t done, pending, change;
    size_t n_pending, n_done;
} pss_paid;

pss_order_data *pss__order_data_new(pss_ctx *ctx);
void pss__order_data_free(pss_ctx *ctx, pss_order_data *d);
int pss__order_data_clone(pss_ctx *ctx, const pss_order_data *src, pss_order_data **out);
/* Empties a line (its strings stay in the order's pool until the order is freed). */
void pss__line_clear(pss_line *line);
/* Deep copy into the pool of dst's order; false when out of memory. */
bool pss__line_clone(pss_ctx *ctx, pss__pool *pool, pss_line *dst, const pss_line *src);
/* The line's taxset, made in its order's pool: its tax codes sorted and joined by ','. */
int pss__taxset_of(pss_ctx *ctx, pss__pool *pool, pss_line *line);
void pss__groups_free(pss_order_data *d);

/* discount.c: spreads the order-level discount over the sale lines (largest remainder) into
 * their order_discount; nothing when the order has none. The lines are recomputed after. */
int pss__order_spread_discount(pss_ctx *ctx, const pss_config *cfg, pss_order_data *d);

/* tax.c: a line's figures from its quantity, price, discount and tax snapshot. */
int pss__line_compute(pss_ctx *ctx, const pss_config *cfg, pss_line *line);
/* Groups and order totals from the lines (per line or per order tax rounding), plus the
 * cash rounding of orders whose whole amount is rounded. */
int pss__order_compute(pss_ctx *ctx, const pss_config *cfg, pss_order_data *d);
/* A line's untaxed (its amount less its included taxes), tax and total from its taxes. */
void pss__line_from_taxes(pss_line *l);
/* The groups and order totals as sums of the lines, as per-line rounding makes them, which
 * under per-order rounding too is what pss__order_compute gives (the lines carry their
 * shares of the groups' taxes): what a version 4 record's reader gets back. PSS_EOVERFLOW
 * (or PSS_ECORRUPT for a line without a tax of its group) on figures that do not add up. */
int pss__order_sum_lines(pss_ctx *ctx, pss_order_data *d);
/* Whether d's groups and totals are exactly what pss__order_sum_lines gives for its lines. */
bool pss__groups_are_line_sums(const pss_order_data *d);
int pss__order_paid(const pss_order_data *d, pss_paid *out);
/* DRAFT -> PAID when the order has lines, no pending payment, and its done payments (net of
 * change) cover what is due (nothing, for a zero total). */
void pss__order_mark_paid_if_covered(pss_ctx *ctx, pss_order_data *d);
/* total + rounding */
int pss__order_due(const pss_order_data *d, int64_t *out);

/* order_codec.c */
int pss__order_encode(pss_ctx *ctx, const pss_order_data *d, pss__strbuf *buf);
int pss__order_decode(pss_ctx *ctx, const pss_record *rec, pss_order_data **out);

/* A line that takes a product back: a refund line of a sale, or a return without a receipt
 * (a negative line with no original). Both post as refunds. */
static inline bool pss__line_comes_back(const pss_line *l)
{
    return l->qty < 0;
}

/* Audits each return without a receipt among lines [from, n) of the order ("order.return",
 * with the order's return reason). */
int pss__order_audit_returns(pss_stage *st, const pss_order_data *d, size_t from);
/* Writes a new order's host metadata, when its input (version 2) gives some. */
int pss__order_put_meta(pss_stage *st, const pss_order_input *in, const char *id);

/* What a listing needs of a stored order without decoding it whole. */
typedef struct pss__order_brief {
    char id[PSS_ID_SIZE];
    int64_t number;
    pss_order_state state; /* as stored: never DONE */
} pss__order_brief;

int pss__order_brief_decode(pss_ctx *ctx, const pss_record *rec, pss__order_brief *out);
/* Reads an order record inside the current transaction; PSS_ENOTFOUND without detail. */
int pss__order_read(pss_ctx *ctx, const char *id, pss_order_data **out);

/* refund.c: a refund line's figures from its sale line and the refund tally (l is the
 * clone of the sale line with the refunded quantity and refund_line set), and the tally's
 * update when a refund order changes (old may be NULL). */
int pss__refund_line(pss_stage *st, const pss_order_data *d, const pss_order_data *sale,
                     pss_line *l);
int pss__refund_apply(pss_stage *st, const pss_order_data *old, const pss_order_data *next);

/* contrib.c: what an order adds to its session's running totals. old and new may be NULL
 * (an order appearing or, in verify, one counted from zero). */
int pss__order_transition(pss_stage *st, const pss_order_data *old, const pss_order_data *new);
/* What an order (NULL: nothing) adds to its session's volume: its total and rounding unless
 * cancelled, and its done and pending payments with their change. */
int64_t pss__order_volume(const pss_order_data *d);

/* Writes an order change inside the staged call: running totals, refund tallies, the order
 * record (compare-and-swap on old's revision), events; on commit the handle (if any) gets
 * `next`, else `next` is freed. Takes ownership of next. */
int pss__order_commit(pss_stage *st, pss_order *handle, const pss_order_data *old,
                      pss_order_data *next);

/* Runs fn on a copy of the order inside one staged call and commits the copy. */
typedef int (*pss_order_change_fn)(pss_stage *st, pss_order_data *next, void *arg);
int pss__order_change(pss_order *o, const pss_actor *actor, pss_access access, unsigned states,
                      const char *doing, pss_order_change_fn fn, void *arg);

/* Inside a transaction: makes the handle's keyed totals whole by replaying the orders not
 * folded into the total records yet (tail.c). Every call that changes an order, reads the
 * keyed totals or records new orders does this first. */
int pss__session_settle(pss_session *s);
/* The same inside a call's stage: the replayed contributions join its deltas, and the handle
 * has them only once the call commits. */
int pss__stage_settle(pss_stage *st);
/* pss__mutate with the handle settled inside the call's transaction, before op runs. */
int pss__mutate_settled(pss_session *s, const pss_actor *actor, pss_op op);

/* Fills lines of an order from host input (checking every field), including refund lines
 * copied from the original order. */
int pss__order_fill_lines(pss_stage *st, pss_order_data *d, const pss_line_input *lines,
                          size_t n);
int pss__order_add_line_input(pss_stage *st, pss_order_data *d, const pss_line_input *in);
/* Adds a payment from host input, applying the payment rules. */
int pss__order_add_payment_input(pss_stage *st, pss_order_data *d, const pss_payment_input *in,
                                 bool submitted);
/* Checks an order input's own fields (ids, note, flags); id gets the order id normalized
 * ("" when the input has none). */
int pss__check_order_input(pss_ctx *ctx, const pss_order_input *in, bool need_id,
                           char id[PSS_ID_SIZE]);
/* Loads the refunded order and checks it can be refunded. */
int pss__order_start(pss_stage *st, pss_order_data *d, const pss_order_input *in,
                     const char *id);

/* A line or payment index an order does not have, counted from 0 as the API counts ("order …
 * has 3 lines (0 to 2); line 3 does not exist"), as code (PSS_ENOTFOUND, or PSS_EREFUND for
 * a refund line that refers to nothing). */
int pss__no_such_item(pss_ctx *ctx, int code, const char *order_id, size_t n, const char *what,
                      int64_t index);


#endif
