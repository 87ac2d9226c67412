/* driver.h: applies each generated operation to the library (through one of two contexts on
 * one store) and to the oracle, compares the outcome, and keeps the library handles (one per
 * session and order per context) the checks read. */
#ifndef MODEL_DRIVER_H
#define MODEL_DRIVER_H

#include <possession.h>

#include "dump.h"
#include "events.h"
#include "gen.h"
#include "op.h"
#include "oracle.h"
#include "prng.h"

typedef struct drv_sess {
    pss_session *h[2];
    int home;
} drv_sess;

typedef struct drv_order {
    pss_order *h[2];
} drv_order;

typedef struct run_stats {
    long steps, calls, refusals, failures, trials;
    long outcome[OP_N][E_NCODES]; /* per operation: [0] successes, [-code] refusals */
} run_stats;

typedef struct driver {
    model *m;
    gen *g;
    int sqlite, verbose, hledger, trial_every; /* sqlite: the store, a DRV_STORE_* */
    char path[512];
    pss_storage *store[2];
    pss_storage *shared; /* DRV_STORE_MEMORY_CHECKS: the memory store behind both */
    uint64_t fiscal_events[M_MAXCFG]; /* each config's chain length after the last step */
    pss_ctx *ctx[2];
    dumper dump;
    drv_sess *s;
    int cap_s;
    drv_order *o;
    int cap_o;
    pss_config *kept[M_MAXCFG];
    int kept_ctx[M_MAXCFG];
    uint64_t audit_seq;
    uint64_t seed;
    long step;
    run_stats st;
    int failed, last_rc, seen_sessions;
    event_log events;
    prng money_rng;
    char fail[16384];
} driver;

/* What a call gave back beyond its code. */
typedef struct call_out {
    pss_session *session;    /* a created session */
    pss_order *order;        /* a created order */
    size_t index;            /* a new line's or payment's index */
    char id[PSS_ID_SIZE];    /* a generated movement id */
    pss_submit_result res[G_MAXB];
    size_t accepted;
    int form_call;           /* OP_CONFIG_FORM: the call that failed (-1 none) */
    pss_config *config;      /* OP_CONFIG_UPDATE: the handle saved */
    char *meta;              /* OP_META_GET: the text read (pss_free) */
} call_out;

/* The stores the tester runs on; path is the SQLite file or the PostgreSQL conninfo. */
/* MEMORY_CHECKS: the memory store behind wrappers whose checks (pss_storage::check) are
 * answered at commit */
enum { DRV_STORE_MEMORY, DRV_STORE_SQLITE, DRV_STORE_PG, DRV_STORE_MEMORY_CHECKS };
int drv_open(driver *d, model *m, gen *g, int store, const char *path, uint64_t seed);
void drv_close(driver *d);
/* Runs one operation and the checks after it; 0, or 1 with the failure in d->fail. */
int drv_step(driver *d, op *o);
pss_session *drv_session(driver *d, int si, int ctx);
pss_order *drv_get_order(driver *d, int oi, int ctx);
void drv_forget_order(driver *d, int oi, int keep_ctx);
void drv_forget_session(driver *d, int si);
int drv_failf(driver *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int drv_ctx_of(const driver *d, const op *o);
pss_ctx *drv_make_ctx(model *m);

/* driver_events.c */
void ev_before(driver *d);
int ev_after(driver *d, const op *o, int rc);
int ev_orders_before(void);
int ev_routed(const driver *d, const op *o, int *routed, int nmax, int *new_rescue);

/* driver_calls.c */
int call_op(driver *d, op *o, call_out *out);

/* driver_cover.c: the cases a call met (cover.h), from the oracle before and the call */
typedef struct cover_pre {
    int state, policy, allow, rescue_state, open_trading, known;
    int64_t holds;
} cover_pre;
void cover_before(const driver *d, const op *o, cover_pre *p);
void cover_after(const driver *d, const op *o, const cover_pre *p, int rc, const call_out *out);

/* driver_list.c */
void expect_list(driver *d, op *o, m_expect *ex);
int call_list(driver *d, op *o);

/* driver_expect.c */
void expect_op(driver *d, op *o, m_expect *ex, m_submit_res *res);

#endif
