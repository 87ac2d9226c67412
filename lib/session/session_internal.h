/* session_internal.h: the session's layout (its record's state and its running totals), its
 * record, loading and creating it. Staging and the mutation driver: stage.h; who may do
 * what: access.h; the running totals' types: totals.h. */
#ifndef PSS_SESSION_INTERNAL_H
#define PSS_SESSION_INTERNAL_H

#include <stdbool.h>

#include "base/internal.h"
#include "config/config_internal.h"
#include "util/map.h"
#include "util/strbuf.h"
#include "base/text.h"
#include "session/totals.h"

/* ---- the session ---- */

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


/* How many orders a session records at most before their contributions to the keyed totals
 * are written to the total records (a fold): each order then costs its own record and the
 * session's, and a handle loaded meanwhile replays at most this many orders. */
#define PSS__FOLD_EVERY 64

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
    /* Orders numbered from folded_from on are in no total record yet: their contributions to
     * the keyed totals are replayed from them (deltas.c, order/tail.c). */
    int64_t folded_from;
    /* The record is version 3: it may be behind, orders numbered from its next_order on
     * being stored without it (order/tail.c, pss__session_catch_up). */
    bool open_tail;
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
    /* keyed_totals include the orders not folded yet (order/tail.c replays them after a
     * load); until then they are the total records alone, and no call folds. */
    bool tail_settled;
    /* The stored record's next_order: orders numbered from it on are counted by the handle
     * but not by the record (a submit that leaves the record as it is, mutate.c). */
    int64_t stored_next;
    /* The id of the session's newest order as the handle knows it ("" for none): another
     * context that records an order without writing the session record shows by this. */
    char last_order[PSS_ID_SIZE];
};

/* ---- session records ---- */

int pss__core_copy(pss_ctx *ctx, pss_session_core *dst, const pss_session_core *src);
void pss__core_free(pss_ctx *ctx, pss_session_core *core);
int pss__core_encode(pss_ctx *ctx, const pss_session_core *core, pss__strbuf *buf);
/* Decodes a stored session record (PSS_ECORRUPT naming the field; PSS_EVERSION when newer). */
int pss__core_decode(pss_ctx *ctx, const pss_record *rec, pss_session_core *core);
int pss__core_put(pss_ctx *ctx, const pss_session_core *core, uint64_t expected_rev,
                  uint64_t *new_rev, pss__strbuf *buf);
/* Loads a whole session (record, keyed_totals, config) inside the current transaction. */
int pss__session_read(pss_ctx *ctx, const char *id, pss_session **out);
/* Replaces the handle's content with what storage holds (inside a transaction). */
int pss__session_reload(pss_session *s);
/* The fields of a stored session a caller needs without loading it (messages, listing). */
typedef struct pss__session_brief {
    char id[PSS_ID_SIZE];
    char config_id[PSS_ID_SIZE];
    char name[64];
    pss_session_state state;
    char user[PSS_NAME_MAX + 1];
    bool rescue;
    char date[PSS_DATE_SIZE]; /* the operating date */
    int64_t created_at;
} pss__session_brief;

/* Decodes them from a session record; PSS_ECORRUPT when one is missing or wrong. */
int pss__session_brief_decode(pss_ctx *ctx, const pss_record *rec, pss__session_brief *out);
/* Reads them for a stored session inside a transaction (PSS_ENOTFOUND when absent). */
int pss__session_brief_read(pss_ctx *ctx, const char *id, pss__session_brief *out);
/* Inside a transaction: the session a stored cash movement belongs to (PSS_ENOTFOUND). */
int pss__movement_session(pss_ctx *ctx, const char *id, char session_id[PSS_ID_SIZE]);
/* Inside a transaction: whether a stored session is a rescue session. */
int pss__session_is_rescue(pss_ctx *ctx, const char *id, bool *rescue);
/* Inside a transaction: reloads the handle when storage has a newer revision, or orders the
 * handle does not know. */
int pss__session_sync(pss_session *s);
/* The same, with hint(arg) called after the session's own reads were hinted to the store
 * and before they are made (pss_storage::prefetch): the submit hints its orders' lookups. */
int pss__session_sync_hinted(pss_session *s, int (*hint)(void *arg), void *arg);
/* Whether a session's orders can be stored without its record: the store passes a session's
 * last orders (scan_last), so a handle finds orders its record does not count, and the
 * session trades. Its record is then written as version 3 (open_tail). */
bool pss__session_tail_can_open(const pss_session *s);
/* The same for a session in the given state. */
bool pss__tail_can_open(const pss_ctx *ctx, pss_session_state state);

/* The order layer's part of a load (order/tail.c): counts the orders a version 3 record is
 * behind by. The session layer knows orders only through it; the order layer installs it
 * when the library is loaded. */
typedef int (*pss__catch_up_fn)(pss_session *s);
void pss__session_set_catch_up(pss__catch_up_fn fn);
pss_session *pss__session_alloc(pss_ctx *ctx);
void pss__session_release(pss_session *s);
/* Creates a session inside the current transaction (claims, sequence, record). */
int pss__session_create_in_txn(pss_ctx *ctx, const pss_config *config, const pss_actor *actor,
                               const char *id, const char *date, bool rescue,
                               pss_session **out);

/* ---- the core's lists and figures ---- */

void pss__keyed_totals_free(pss_session *s);

/* Draft and pending lists of the staged core. */
int pss__core_add_draft(pss_ctx *ctx, pss_session_core *core, const char *order_id);
void pss__core_remove_draft(pss_session_core *core, const char *order_id);
int pss__core_add_pending(pss_ctx *ctx, pss_session_core *core, const char *order_id,
                          int64_t payment);
void pss__core_remove_pending(pss_session_core *core, const char *order_id, int64_t payment);

/* Expected cash from the core's figures. */
int pss__expected_cash(const pss_session_core *core, int64_t *out);
/* Refuses a payout of cash (what: "cash out", "expense", "cash refund") that exceeds what the
 * drawer holds, with PSS_EDRAWER and the figures "holds" and "amount", unless the config
 * allows a negative drawer. */
int pss__drawer_check_payout(pss_ctx *ctx, const pss_config *cfg, const pss_session_core *core,
                             const char *what, int64_t payout);

#endif
