/* internal.h: the context's layout and the helpers every part of the library uses to report
 * errors, log, allocate and read the clock. Never installed. */
#ifndef PSS_INTERNAL_H
#define PSS_INTERNAL_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "possession.h"
#include "possession/storage.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* An internal invariant: stops a debug build (tests) at the bug instead of letting it pass
 * as bad input; compiled out with NDEBUG (meson -Db_ndebug=true). Never for host input. */
#define PSS_ASSERT(cond) assert(cond)

/* Times the library reads back: 0001-01-01 to 9999-12-31 (UTC), in ms since the epoch. */
#define PSS_TIME_MIN INT64_C(-62135596800000)
#define PSS_TIME_MAX INT64_C(253402300799999)

#define PSS_ERRMSG_SIZE 1024
#define PSS_MAX_FIGURES 8

typedef struct pss_figure {
    char name[16];
    int64_t value;
} pss_figure;

/* An observer event waiting for its transaction to commit. */
typedef struct pss_queued_event {
    pss_event_type type;
    char config_id[PSS_ID_SIZE];
    char session_id[PSS_ID_SIZE];
    char order_id[PSS_ID_SIZE];
    char entry_id[PSS_ID_SIZE];
} pss_queued_event;

/* Test-only hook (never exported): sees the entry lines before the balance check. */
struct pss_entry;
typedef void (*pss_journal_hook)(struct pss_entry *entry, void *userdata);

struct pss_ctx {
    pss_allocator alloc_copy;
    const pss_allocator *alloc; /* NULL: libc */
    pss_clock_fn clock;
    void *clock_userdata;
    pss_log_fn log;
    void *log_userdata;
    pss_log_level log_level;
    pss_storage *storage;
    pss_observer_fn observer;
    void *observer_userdata;

    int errcode;
    char errmsg[PSS_ERRMSG_SIZE];
    pss_figure figures[PSS_MAX_FIGURES];
    int n_figures;

    int in_txn;
    /* The store answered PSS_ECONFLICT in this transaction (a revision that moved on, a
     * serialization failure): the call may run again (session/mutate.c). */
    bool store_conflict;
    bool txn_write;      /* the open transaction writes */
    bool checked;        /* it checked records instead of reading them */
    bool commit_tried;   /* its commit was asked for */
    /* the next transaction reads what it would check (pss_storage::check): set by a
     * conflict, as what it would check is what moved, and by a checked run that ended
     * without committing (session/mutate.c); taken by the next begin into txn_reads */
    bool read_not_check;
    bool txn_reads;
    pss_queued_event *events;
    size_t n_events, cap_events;

    pss_signer signer; /* fiscal events' signer (fiscal/sign.c); sign NULL: none */
    pss_journal_hook journal_hook;
    void *journal_hook_userdata;

    /* Encode buffer reused by every call, so that payloads are not regrown each time. */
    pss__strbuf scratch;
    int scratch_taken;
    /* an audit entry a lower layer asks to be appended once the call is rolled back (the
     * fiscal chain's refusal, audit/audit.c), and its subject: "" when none */
    pss__strbuf late_refusal;
    char late_refusal_subject[PSS_ID_SIZE];
};

/* Starts a public call: forgets the previous error. */
void pss__clear(pss_ctx *ctx);
/* Records a failure and returns code. */
int pss__fail(pss_ctx *ctx, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int pss__vfail(pss_ctx *ctx, int code, const char *fmt, va_list ap);
/* Adds a named figure to the current failure. */
void pss__figure(pss_ctx *ctx, const char *name, int64_t value);
/* A failure that needs no more detail than the code's name: keeps a detail already set. */
int pss__code(pss_ctx *ctx, int code);
void pss__log(pss_ctx *ctx, pss_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int pss__oom(pss_ctx *ctx);

#define PSS_ALLOC(ctx, size) pss__malloc((ctx)->alloc, (size))
#define PSS_CALLOC(ctx, n, size) pss__calloc((ctx)->alloc, (n), (size))
#define PSS_FREE(ctx, p) pss__free((ctx)->alloc, (p))
#define PSS_STRDUP(ctx, s) pss__strdup((ctx)->alloc, (s))

/* Queues an observer event for after the commit of the current transaction. */
int pss__event(pss_ctx *ctx, pss_event_type type, const char *config_id, const char *session_id,
               const char *order_id, const char *entry_id);
/* Delivers (after commit) or drops (after rollback) the queued events. */
void pss__events_flush(pss_ctx *ctx, bool deliver);

/* Checks a caller's versioned output struct and an index into a list of count items:
 * "<owner> has <count> <items>" when the index is past the end. */
int pss__check_item(pss_ctx *ctx, const void *out, uint32_t version, uint32_t known,
                    const char *what, size_t index, size_t count, const char *owner,
                    const char *items);

/* Checks a versioned struct: NULL or an unknown version is an error naming the struct. */
int pss__check_version(pss_ctx *ctx, const void *ptr, uint32_t version, uint32_t known,
                       const char *what);

#endif
