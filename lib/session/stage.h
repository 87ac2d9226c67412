/* stage.h: the one way a session changes: the stage a mutating call builds before it commits,
 * the mutation driver, audited refusals and the audit entries about the staged session. */
#ifndef PSS_SESSION_STAGE_H
#define PSS_SESSION_STAGE_H


#include "audit/audit.h"
#include "session/access.h"
#include "session/session_internal.h"

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
    bool late;          /* it records late orders, whose cash already changed hands */
    /* Its only changes to the keyed totals are the contributions of the orders it creates:
     * they stay in memory, replayable from the orders, until a fold (deltas.c). */
    bool defer_totals;
    bool replay;        /* replaying orders into a handle: nothing is written */
    bool tail_replayed; /* its deltas hold the orders not folded yet (order/tail.c) */
    /* dirty totals this call's fold writes besides its own deltas, installed at commit */
    struct pss_fold_write *folds;
    size_t n_folds, cap_folds;
    const pss_actor *actor;
    uint64_t core_rev;  /* revision of the written session record */
    /* the newest order the call created ("" for none) and when: the handle's last_order */
    char last_order[PSS_ID_SIZE];
    int64_t last_order_at;
    bool core_unwritten; /* the session record is left as it is (mutate.c) */
    pss__strbuf *buf;    /* scratch encode buffer: the context's, kept between calls */
    pss__strbuf own_buf; /* used when the context's is taken */
} pss_stage;

/* An audit note about the session, prefilled. */
pss_audit_note pss__session_note(const pss_session_core *core, const char *action);
struct pss_stage;
/* An audit entry about the staged session by its actor, with action-specific members in
 * extra (NULL: none). */
int pss__audit_staged(struct pss_stage *st, const char *action, const char *reason,
                      const pss__audit_extra *extra);

/* Every running total, in the order they first appeared; st may be NULL. Free *out with
 * PSS_FREE. */
int pss__total_view(pss_session *s, pss_stage *st, pss_total_view **out, size_t *n);

typedef int (*pss_op_fn)(pss_stage *st, void *arg);

typedef struct pss_op {
    pss_access access;
    unsigned states; /* allowed states */
    const char *doing;
    pss_op_fn fn;
    void *arg;
} pss_op;

/* Runs one mutating call as one transaction: sync, access, op, writes, commit, install. A
 * call the store refuses with a conflict (a revision another context moved on, a lost
 * serialization conflict) changed nothing and runs again on the newer state, at most
 * PSS__ATTEMPTS times in all; then it fails with the conflict. */
int pss__mutate(pss_session *s, const pss_actor *actor, const pss_op *op);

#define PSS__ATTEMPTS 3
/* Whether a call that ended with rc runs again (counting *attempt): a conflict the store
 * met, or a run that checked instead of reading and did not commit (mutate.c). */
bool pss__retry_conflict(pss_ctx *ctx, int rc, int *attempt);

/* Within an open transaction, on a synced session: stage, op, write. The caller commits
 * and then calls pss__stage_finish(). */
int pss__stage_init(pss_stage *st, pss_session *s, const pss_actor *actor);
int pss__stage_write(pss_stage *st);
/* The lease an order of the responsible user (by) made at `at` renews, as a call renews it. */
void pss__lease_renew_by_order(pss_session_core *c, const pss_config *cfg, const char *by,
                               int64_t at);
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

/* The session's volume as the stage leaves it, with `more` added, within
 * PSS_SESSION_VOLUME_MAX; else PSS_EOVERFLOW with the figures (doc/concepts.md, "Bounds").
 * A change that does not grow the volume always passes. */
int pss__stage_check_volume(pss_stage *st, int64_t more);

/* The staged running-total deltas (totals.c), written with the session record by
 * pss__stage_write, installed on the handle after the commit, freed either way. */
/* Writes the call's running totals: its deltas, and when it folds every dirty total too. */
int pss__stage_write_deltas(pss_stage *st);
void pss__stage_install_deltas(pss_stage *st);

void pss__stage_deltas_free(pss_stage *st);

/* What a stored cash movement adds to the session (cash.c), for verify's recomputation. */
int pss__movement_contrib_record(pss_stage *st, const pss_record *rec);

#endif
