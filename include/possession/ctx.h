/* possession/ctx.h: the context. It holds everything the library would otherwise keep in
 * globals: allocator, clock, logger, storage, observer and the last error's detail. */
#ifndef POSSESSION_CTX_H
#define POSSESSION_CTX_H

#include "common.h"
#include "storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The context: allocator, clock, logger, storage, observer, error detail. */

/**
 * A library context. A context is used by one thread at a time; any number of contexts may
 * run in parallel, each with its own store or sharing a store that serializes transactions.
 */
typedef struct pss_ctx pss_ctx;

/** Version of ::pss_allocator this header describes. */
#define PSS_ALLOCATOR_VERSION 1

/** Allocation hooks. All three must be set. */
typedef struct pss_allocator {
    uint32_t version;                                   /**< ::PSS_ALLOCATOR_VERSION. */
    void *(*malloc)(void *userdata, size_t size);       /**< Like malloc(). */
    void *(*realloc)(void *userdata, void *ptr, size_t size); /**< Like realloc(). */
    void (*free)(void *userdata, void *ptr);            /**< Like free(); ptr may be NULL. */
    void *userdata;                                     /**< Passed to every hook. */
} pss_allocator;

/**
 * The clock: returns the current time in milliseconds since 1970-01-01T00:00:00Z.
 * Inject one to make tests and replays deterministic.
 */
typedef int64_t (*pss_clock_fn)(void *userdata);

/** Log levels, most severe first. */
typedef enum pss_log_level {
    PSS_LOG_ERROR = 1, /**< A call failed. */
    PSS_LOG_WARN = 2,  /**< Something a person should look at (a refused close, a force close). */
    PSS_LOG_INFO = 3,  /**< State changes. */
    PSS_LOG_DEBUG = 4  /**< Transactions and storage traffic. */
} pss_log_level;

/** Receives one log message (NUL-terminated, no trailing newline). */
typedef void (*pss_log_fn)(void *userdata, pss_log_level level, const char *message);

/** Version of ::pss_ctx_options this header describes. */
#define PSS_CTX_OPTIONS_VERSION 1

/** Options for pss_ctx_new(). */
typedef struct pss_ctx_options {
    uint32_t version;               /**< ::PSS_CTX_OPTIONS_VERSION (use ::PSS_CTX_OPTIONS_INIT). */
    const pss_allocator *allocator; /**< NULL: the C library's malloc. Copied. Every
                                         allocation but jansson's, whose hooks are
                                         process-wide (json_set_alloc_funcs belongs to the
                                         host): its trees live within one call. */
    pss_clock_fn clock;             /**< NULL: the system's real-time clock. */
    void *clock_userdata;           /**< Passed to clock. */
    pss_log_fn log;                 /**< NULL: no logging. */
    void *log_userdata;             /**< Passed to log. */
    pss_log_level log_level;        /**< Most verbose level passed to log. */
} pss_ctx_options;

/** Initializer for ::pss_ctx_options. */
#define PSS_CTX_OPTIONS_INIT { PSS_CTX_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, PSS_LOG_WARN }

/** What an observer event reports. */
typedef enum pss_event_type {
    PSS_EVENT_SESSION_CREATED = 1,   /**< A session was created (state NEW). */
    PSS_EVENT_SESSION_OPENED = 2,    /**< A session reached IN_PROGRESS. */
    PSS_EVENT_SESSION_CLOSING = 3,   /**< A session entered CLOSING_CONTROL. */
    PSS_EVENT_SESSION_REOPENED = 4,  /**< A session went back to IN_PROGRESS for correction. */
    PSS_EVENT_SESSION_CLOSED = 5,    /**< A session was closed and its entry posted. */
    PSS_EVENT_SESSION_TAKEN_OVER = 6,/**< Another user took over a session. */
    PSS_EVENT_ORDER_PAID = 7,        /**< An order became PAID. */
    PSS_EVENT_ORDER_CANCELLED = 8,   /**< An order was cancelled. */
    PSS_EVENT_ORDER_ROUTED = 9,      /**< A late order went to another (open or rescue) session. */
    PSS_EVENT_CASH_MOVED = 10,       /**< A cash movement was recorded or voided. */
    PSS_EVENT_ENTRY_POSTED = 11,     /**< A journal entry was posted (with a session close). */
    PSS_EVENT_CONFIG_SAVED = 12,     /**< A config was saved. */
    PSS_EVENT_ORDER_INVOICED = 13    /**< An order's invoiced flag changed. */
} pss_event_type;

/** One event passed to the observer; valid only during the call. */
typedef struct pss_event {
    uint32_t version;       /**< Version of this struct (1); fields are only ever added at the end. */
    pss_event_type type;    /**< What happened. */
    const char *config_id;  /**< The config, or NULL. */
    const char *session_id; /**< The session, or NULL. */
    const char *order_id;   /**< The order, or NULL. */
    const char *entry_id;   /**< The journal entry (SESSION_CLOSED, ENTRY_POSTED), or NULL. */
} pss_event;

/**
 * Called after each successful commit, once per thing that happened, so that the host can
 * project it into its own tables. It must not call back into the same context.
 */
typedef void (*pss_observer_fn)(const pss_event *event, void *userdata);

/**
 * Creates a context.
 * @param out receives the context
 * @param options NULL for the defaults
 * @return 0, ::PSS_EINVAL, ::PSS_EVERSION or ::PSS_ENOMEM
 */
PSS_API int pss_ctx_new(pss_ctx **out, const pss_ctx_options *options);

/**
 * Frees a context. Handles made with it must be freed first. The store is not freed.
 * @param ctx the context, or NULL
 */
PSS_API void pss_ctx_free(pss_ctx *ctx);

/**
 * Gives the context its store. The table is checked (version, required callbacks) and must
 * outlive the context; the context does not copy it.
 * @param ctx the context
 * @param storage the store
 * @return 0, ::PSS_EINVAL (a required callback is missing) or ::PSS_EVERSION
 */
PSS_API int pss_ctx_set_storage(pss_ctx *ctx, pss_storage *storage);

/**
 * Sets (or with NULL removes) the observer called after each commit.
 * @param ctx the context
 * @param fn the observer, or NULL
 * @param userdata passed to fn
 * @return 0 or ::PSS_EINVAL
 */
PSS_API int pss_ctx_set_observer(pss_ctx *ctx, pss_observer_fn fn, void *userdata);

/**
 * The detail message of the last failure on this context: what failed, with the figures and
 * ids a person needs ("expected 5000.00, counted 4850.00, difference -150.00, allowed 10.00").
 * @param ctx the context
 * @return a string owned by the context, "" after a success
 */
PSS_API const char *pss_ctx_errmsg(const pss_ctx *ctx);

/**
 * The code of the last failure on this context.
 * @param ctx the context
 * @return 0 after a success, else the negative code
 */
PSS_API int pss_ctx_errcode(const pss_ctx *ctx);

/**
 * One figure of the last failure, by name, for hosts and bindings that present it:
 * "expected", "counted", "difference", "allowed" (::PSS_ELIMIT), "count" (::PSS_EPENDING,
 * ::PSS_EPAYPENDING), "remaining" (::PSS_EOVERPAY), "available" (::PSS_EREFUND),
 * "imbalance" (::PSS_EUNBALANCED), "holds" and "amount" (::PSS_EDRAWER: the cash the
 * drawer holds and the payout refused). Amounts are in minor units; "available" is a quantity in
 * thousandths; "count" is a plain count.
 * @param ctx the context
 * @param name the figure's name
 * @param value receives the figure
 * @return 0, or ::PSS_ENOTFOUND when the last failure has no such figure
 */
PSS_API int pss_ctx_error_figure(const pss_ctx *ctx, const char *name, int64_t *value);

/**
 * Records a failure on the context, the way the library does: for stores, bindings and
 * hosts that report through the same channel.
 * @param ctx the context
 * @param code a negative PSS_E* code
 * @param fmt printf-style detail
 * @return code
 */
PSS_API int pss_ctx_fail(pss_ctx *ctx, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * The context's clock.
 * @param ctx the context
 * @return milliseconds since the Unix epoch
 */
PSS_API int64_t pss_ctx_now(pss_ctx *ctx);

/**
 * Frees memory the library returned to the caller as "free with pss_free()" (strings).
 * @param ctx the context that returned it
 * @param ptr the memory, or NULL
 */
PSS_API void pss_free(pss_ctx *ctx, void *ptr);

#ifdef __cplusplus
}
#endif

#endif
