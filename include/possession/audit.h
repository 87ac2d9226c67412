/* possession/audit.h: reading the append-only audit trail: every state change and every
 * close attempt, with time, actor, action, figures and outcome. */
#ifndef POSSESSION_AUDIT_H
#define POSSESSION_AUDIT_H

#include "common.h"
#include "ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief The audit trail. */

/** A loaded slice of the audit trail. */
typedef struct pss_audit pss_audit;

/**
 * Loads the audit entries about a session or a config (NULL: every entry), oldest first.
 * @param ctx the context
 * @param subject a session id or config id, or NULL
 * @param out receives the list; free with pss_audit_free()
 * @return 0, ::PSS_EINVAL, ::PSS_ECORRUPT or a storage error
 */
PSS_API int pss_audit_load(pss_ctx *ctx, const char *subject, pss_audit **out);

/**
 * Number of entries.
 * @param audit the list
 * @return the count
 */
PSS_API size_t pss_audit_count(const pss_audit *audit);

/** Version of ::pss_audit_record this header describes. */
#define PSS_AUDIT_RECORD_VERSION 1

/** One audit entry. Strings live as long as the list. Figures not recorded are ::PSS_UNSET. */
typedef struct pss_audit_record {
    uint32_t version;       /**< Set by the caller (use ::PSS_AUDIT_RECORD_INIT). */
    uint64_t seq;           /**< Sequence number from the store. */
    int64_t time;           /**< When (ms since the epoch). */
    const char *user;       /**< Who. */
    pss_role role;          /**< With which role. */
    const char *device;     /**< From which device, or "". */
    const char *action;     /**< "session.create", "session.open", "session.close", ... */
    const char *session_id; /**< The session, or "". */
    const char *config_id;  /**< The config. */
    int outcome;            /**< 0 when it happened, else the code it was refused with. */
    const char *detail;     /**< The refusal's detail, or "". */
    const char *reason;     /**< Reason or note given, or "". */
    int64_t expected;       /**< Expected cash. */
    int64_t counted;        /**< Counted cash. */
    int64_t difference;     /**< counted - expected. */
    int64_t allowed;        /**< Allowed difference. */
    const char *json;       /**< The whole entry as stored (JSON), with action-specific data. */
} pss_audit_record;

/** Initializer for ::pss_audit_record. */
#define PSS_AUDIT_RECORD_INIT                                                                  \
    { PSS_AUDIT_RECORD_VERSION, 0, 0, NULL, PSS_ROLE_NONE, NULL, NULL, NULL, NULL, 0, NULL,    \
      NULL, PSS_UNSET, PSS_UNSET, PSS_UNSET, PSS_UNSET, NULL }

/**
 * One entry.
 * @param audit the list
 * @param index 0 .. count - 1
 * @param out filled up to its version
 * @return 0, ::PSS_ENOTFOUND, ::PSS_EINVAL or ::PSS_EVERSION
 */
PSS_API int pss_audit_get(const pss_audit *audit, size_t index, pss_audit_record *out);

/**
 * Frees a list.
 * @param audit the list, or NULL
 */
PSS_API void pss_audit_free(pss_audit *audit);

#ifdef __cplusplus
}
#endif

#endif
