/* session_internal.h: the session's layout (its record's state, its running totals), the
 * staging area a mutating call builds before it commits, the mutation driver, access rules
 * and the audit helpers. */
#ifndef PSS_SESSION_INTERNAL_H
#define PSS_SESSION_INTERNAL_H

#include <stdbool.h>
#include <jansson.h>

#include "base/internal.h"
#include "json/codec.h"
#include "config/config_internal.h"
#include "util/map.h"
#include "util/strbuf.h"
#include "base/text.h"
#include "base/actor.h"
#include "audit/audit.h"

/* ---- running totals ---- */

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

typedef struct pss_pending_ref {
    char order[PSS_ID_SIZE];
    int64_t payment;
} pss_pending_ref;

typedef struct pss_denom_entry {
    int64_t value, count;
} pss_denom_entry;

typedef struct pss_method_entry {
    char method[PSS_NAME_MAX + 1];
    int64_t amount;
} pss_method_entry;

/* The types of the keyed running totals (one record of kind "total" each). */
typedef enum pss_total_type {
    PSS_TOTAL_METHOD = 'm',  /* a: method;  v: amount, change, payments */
    PSS_TOTAL_SALES = 's',   /* a: income account, b: tax codes, c: "sale"/"refund"; v: untaxed, tax */
    PSS_TOTAL_TAX = 't',     /* a: tax code, b: account, c: "sale"/"refund"; v: base, amount */
    PSS_TOTAL_PRODUCT = 'p', /* a: product id, label: name; v: sold, refunded */
    PSS_TOTAL_MOVE = 'c'     /* a: movement kind, b: account; v: amount, count */
} pss_total_type;

#define PSS_TOTAL_VALUES 3

typedef struct pss_total {
    pss_total_type type;
    char *a, *b, *c, *label;
    int64_t v[PSS_TOTAL_VALUES];
    char record_id[PSS_ID_SIZE + 24];
    uint64_t rev;
} pss_total;

/* ---- the session ---- */

/* Everything the session record holds. Copied whole into a stage, so fixed-size strings. */
typedef struct pss_session_core {
    char id[PSS_ID_SIZE];
    char config_id[PSS_ID_SIZE];
    char name[64];
    int64_t seq;
    bool rescue;
    bool forced;
    pss_session_state state;
    char user[PSS_NAME_MAX + 1];
    char device[PSS_NAME_MAX + 1];
    int64_t lease_expires;
    char date[PSS_DATE_SIZE];
    int64_t created_at, opened_at, closed_at;
    char created_by[PSS_NAME_MAX + 1], opened_by[PSS_NAME_MAX + 1], closed_by[PSS_NAME_MAX + 1];
    char opening_note[PSS_NOTE_MAX + 1], closing_note[PSS_NOTE_MAX + 1];
    int64_t opening_expected, opening_counted; /* counted PSS_UNSET before opening */
    pss_scalars totals;
    bool volume_unknown; /* a session record of 1.0: its volume was never counted */
    int64_t next_order, next_total; /* next_total: stored as "next_bucket" */
    /* open drafts and pending payments, in the order they appeared */
    char (*drafts)[PSS_ID_SIZE];
    size_t n_drafts, cap_drafts;
    pss_pending_ref *pending;
    size_t n_pending, cap_pending;
    /* closing count */
    bool counted;
    int64_t counted_cash; /* PSS_UNSET when not counted */
    pss_denom_entry *denoms;
    size_t n_denoms, cap_denoms;
    pss_method_entry *method_counts;
    size_t n_method_counts, cap_method_counts;
    char count_note[PSS_NOTE_MAX + 1];
    char counted_by[PSS_NAME_MAX + 1];
    int64_t counted_at;
    char entry_id[PSS_ID_SIZE];
} pss_session_core;

struct pss_session {
    pss_ctx *ctx;
    int refs; /* the host's handle plus one per live order handle */
    pss_config *config;
    pss_session_core core;
    uint64_t rev;
    pss__map keyed_totals; /* key -> pss_total*: the running totals by (type, key) */
};

/* ---- staging ---- */

typedef struct pss_total_delta {
    pss_total_type type;
    char *key, *a, *b, *c, *label;
    int64_t d[PSS_TOTAL_VALUES];
    /* filled when written */
    int64_t v[PSS_TOTAL_VALUES];
    char record_id[PSS_ID_SIZE + 24];
    uint64_t rev;
    bool created;
} pss_total_delta;

typedef void (*pss_install_fn)(void *arg, bool committed);

typedef struct pss_install {
    pss_install_fn fn;
    void *arg;
} pss_install;

/* What a mutating call changes in memory, applied only after its commit. Store writes of
 * orders, movements, claims and audit entries happen directly inside the transaction. */
typedef struct pss_stage {
    pss_session *s;
    pss_session_core core; /* the new state of the session record */
    pss__map delta_index;   /* running total key -> index + 1 into deltas */
    pss_total_delta *deltas;
    size_t n_deltas, cap_deltas;
    pss_install *installs;
    size_t n_installs, cap_installs;
    /* An audited refusal: the call is rolled back, then this entry alone is appended. */
    bool refused;
    pss__strbuf refusal;
    char refusal_subject[PSS_ID_SIZE];
    const char *reason; /* the call's reason or note, written with a refusal */
    bool skip_session;  /* the call does not write the session record */
    bool renew_lease;   /* renew the actor's device lease */
    const pss_actor *actor;
    uint64_t core_rev;  /* revision of the written session record */
    pss__strbuf *buf;    /* scratch encode buffer: the context's, kept between calls */
    pss__strbuf own_buf; /* used when the context's is taken */
} pss_stage;

/* ---- access ---- */

typedef enum pss_access {
    PSS_ACCESS_OPERATE,   /* the responsible user on the leasing device */
    PSS_ACCESS_SUPERVISE, /* the responsible user, or a manager */
    PSS_ACCESS_MANAGER,   /* a manager */
    PSS_ACCESS_ADMIN,     /* an admin */
    PSS_ACCESS_ANY,       /* any identified actor with a role (submit from a sync service) */
    PSS_ACCESS_AUDITED    /* any well-formed actor: the operation checks access itself and
                             audits a refusal (close, force close: every attempt is audited) */
} pss_access;

/* The state masks the operations are allowed in (concepts.md, the role x state table). */
#define PSS__IN_PROGRESS PSS_SESSION_STATE_BIT(PSS_SESSION_IN_PROGRESS)
#define PSS__CLOSING PSS_SESSION_STATE_BIT(PSS_SESSION_CLOSING_CONTROL)
#define PSS__OPEN_STATES (PSS__IN_PROGRESS | PSS__CLOSING)
#define PSS__NOT_CLOSED (PSS_SESSION_STATE_BIT(PSS_SESSION_NEW) | \
                         PSS_SESSION_STATE_BIT(PSS_SESSION_OPENING_CONTROL) | PSS__OPEN_STATES)

/* Access to a session in its current (synced) state; allowed_states is a mask of
 * PSS_SESSION_STATE_BIT(). A CLOSED session gives PSS_ECLOSED. */
int pss__check_access(pss_session *s, const pss_actor *actor, pss_access access,
                      unsigned allowed_states, const char *doing);
/* ---- audit entries about a session ---- */

/* An audit note about the session, prefilled. */
pss_audit_note pss__session_note(const pss_session_core *core, const char *action);
struct pss_stage;
/* An audit entry about the staged session by its actor, with action-specific data in extra
 * (taken over, also when w says building it failed). */
int pss__audit_staged(struct pss_stage *st, const char *action, const char *reason,
                      const pss_jw *w, json_t *extra);

/* ---- session records ---- */

int pss__core_copy(pss_ctx *ctx, pss_session_core *dst, const pss_session_core *src);
void pss__core_free(pss_ctx *ctx, pss_session_core *core);
int pss__core_encode(pss_ctx *ctx, const pss_session_core *core, pss__strbuf *buf);
int pss__core_decode(pss_jr *r, json_t *doc, pss_session_core *core);
int pss__core_put(pss_ctx *ctx, const pss_session_core *core, uint64_t expected_rev,
                  uint64_t *new_rev, pss__strbuf *buf);
/* Loads a whole session (record, keyed_totals, config) inside the current transaction. */
int pss__session_read(pss_ctx *ctx, const char *id, pss_session **out);
/* Replaces the handle's content with what storage holds (inside a transaction). */
int pss__session_reload(pss_session *s);
/* Inside a transaction: whether a stored session is a rescue session. */
int pss__session_is_rescue(pss_ctx *ctx, const char *id, bool *rescue);
/* Inside a transaction: reloads the handle when storage has a newer revision. */
int pss__session_sync(pss_session *s);
pss_session *pss__session_alloc(pss_ctx *ctx);
void pss__session_release(pss_session *s);
/* Creates a session inside the current transaction (claims, sequence, record). */
int pss__session_create_in_txn(pss_ctx *ctx, const pss_config *config, const pss_actor *actor,
                               const char *id, const char *date, bool rescue,
                               pss_session **out);

/* ---- keyed_totals ---- */

void pss__keyed_totals_free(pss_session *s);
int pss__total_decode(pss_ctx *ctx, const pss_record *rec, pss_total **out);
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

/* Every running total, in the order they first appeared; st may be NULL. Free *out with
 * PSS_FREE. */
int pss__total_view(pss_session *s, pss_stage *st, pss_total_view **out, size_t *n);

/* ---- the mutation driver ---- */

typedef int (*pss_op_fn)(pss_stage *st, void *arg);

typedef struct pss_op {
    pss_access access;
    unsigned states; /* allowed states */
    const char *doing;
    pss_op_fn fn;
    void *arg;
} pss_op;

/* Runs one mutating call as one transaction: sync, access, op, writes, commit, install. */
int pss__mutate(pss_session *s, const pss_actor *actor, const pss_op *op);

/* Within an open transaction, on a synced session: stage, op, write. The caller commits
 * and then calls pss__stage_finish(). */
int pss__stage_init(pss_stage *st, pss_session *s, const pss_actor *actor);
int pss__stage_write(pss_stage *st);
void pss__stage_finish(pss_stage *st, bool committed);

/* Adds a running total delta (values added to the running total's). */
int pss__stage_total(pss_stage *st, pss_total_type type, const char *a, const char *b,
                      const char *c, const char *label, const int64_t d[PSS_TOTAL_VALUES]);
/* Adds to a scalar of the staged core, checked. */
int pss__stage_add(pss_stage *st, int64_t *field, int64_t delta, const char *what);
int pss__stage_on_commit(pss_stage *st, pss_install_fn fn, void *arg);
/* Refuses the call with code, auditing the refusal: everything the call wrote is rolled
 * back and the audit entry (note, with the stage's reason) is appended on its own. The
 * context keeps the detail and figures already set. Returns code, or the audit's own
 * failure. */
int pss__stage_refuse(pss_stage *st, pss_audit_note *note, int code);

/* Draft and pending lists of the staged core. */
int pss__core_add_draft(pss_ctx *ctx, pss_session_core *core, const char *order_id);
void pss__core_remove_draft(pss_session_core *core, const char *order_id);
int pss__core_add_pending(pss_ctx *ctx, pss_session_core *core, const char *order_id,
                          int64_t payment);
void pss__core_remove_pending(pss_session_core *core, const char *order_id, int64_t payment);

/* Expected cash from the core's figures. */
int pss__expected_cash(const pss_session_core *core, int64_t *out);

/* The session's volume as the stage leaves it, with `more` added, within
 * PSS_SESSION_VOLUME_MAX; else PSS_EOVERFLOW with the figures (doc/concepts.md, "Bounds").
 * A change that does not grow the volume always passes. */
int pss__stage_check_volume(pss_stage *st, int64_t more);

/* The staged running-total deltas (totals.c), written with the session record by
 * pss__stage_write, installed on the handle after the commit, freed either way. */
int pss__stage_write_deltas(pss_stage *st);
void pss__stage_install_deltas(pss_stage *st);
void pss__stage_deltas_free(pss_stage *st);

/* What a stored cash movement adds to the session (cash.c), for verify's recomputation. */
int pss__movement_contrib_record(pss_stage *st, const pss_record *rec);

#endif
