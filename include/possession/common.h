/* possession/common.h: what every part of the public API shares: the export macro, the
 * version, the error codes, roles, the actor passed to mutating calls and the writer callback. */
#ifndef POSSESSION_COMMON_H
#define POSSESSION_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * @brief Shared definitions: export macro, version, error codes, roles and the actor. */

#if defined(__GNUC__) && __GNUC__ >= 4
/** Marks a symbol as part of the public ABI (exported through lib/possession.map). */
#define PSS_API __attribute__((visibility("default")))
#else
/** Marks a symbol as part of the public ABI (exported through lib/possession.map). */
#define PSS_API
#endif

/** Major version: a program linked against libpossession.so.1 works with every 1.x. */
#define PSS_VERSION_MAJOR 1
/** Minor version: grows when API is added. */
#define PSS_VERSION_MINOR 0
/** Patch version. */
#define PSS_VERSION_PATCH 0

/**
 * @defgroup errors Error codes
 * Every function that can fail returns 0 or one of these negative codes. The values are
 * fixed forever; new codes only get new numbers. pss_strerror() names a code and
 * pss_ctx_errmsg() gives the detail of the last failure on a context.
 * @{
 */
#define PSS_OK 0                /**< Success. */
#define PSS_EINVAL (-1)         /**< An argument is NULL, malformed or out of range. */
#define PSS_ENOMEM (-2)         /**< An allocation failed. */
#define PSS_ENOTFOUND (-3)      /**< The id, key or record does not exist. */
#define PSS_EEXISTS (-4)        /**< A unique key is already held (another open session, same day). */
#define PSS_ESTATE (-5)         /**< The object is in a state that does not allow the operation. */
#define PSS_EACCESS (-6)        /**< The actor's role or identity does not allow the operation. */
#define PSS_ELOCKED (-7)        /**< The session is leased to another device until its lease expires. */
#define PSS_EOVERFLOW (-8)      /**< An amount or quantity does not fit in 64 bits. */
#define PSS_ECONFLICT (-9)      /**< Same id with other content, or a revision changed underneath. */
#define PSS_ECLOSED (-10)       /**< The session is closed: it and its orders never change again. */
#define PSS_EPENDING (-11)      /**< Draft orders keep the session from closing. */
#define PSS_EPAYPENDING (-12)   /**< Pending electronic payments keep the session from closing. */
#define PSS_ELIMIT (-13)        /**< The cash difference exceeds what the actor may close with. */
#define PSS_EUNBALANCED (-14)   /**< The journal entry does not balance; nothing was posted. */
#define PSS_ECORRUPT (-15)      /**< Storage returned a record that does not parse or lacks a field. */
#define PSS_ESTORAGE (-16)      /**< A storage callback failed. */
#define PSS_EVERSION (-17)      /**< A versioned struct or table has a version this library does not know. */
#define PSS_EBUSY (-18)         /**< The store is busy (locked by another process); try again. */
#define PSS_ECONFIG (-19)       /**< The config is incomplete or inconsistent. */
#define PSS_EREFUND (-20)       /**< A refund exceeds what was sold, or references nothing refundable. */
#define PSS_EOVERPAY (-21)      /**< A non-cash payment exceeds what is left to pay. */
#define PSS_EMISMATCH (-22)     /**< pss_session_verify() found running totals that disagree with the orders. */
#define PSS_EIO (-23)           /**< A writer callback reported a failure. */
#define PSS_EDRAWER (-24)       /**< A payout (cash out, expense, cash refund) exceeds the cash the drawer holds. */
/** @} */

/** Sentinel for an amount that was not given (for example "nobody counted"). */
#define PSS_UNSET INT64_MIN

/** Size of a buffer holding a UUID in text form, with its terminating NUL. */
#define PSS_ID_SIZE 37

/** Roles, ordered: a higher role may do everything a lower one may. */
typedef enum pss_role {
    PSS_ROLE_NONE = 0,    /**< No role: may read, may not change anything. */
    PSS_ROLE_CASHIER = 1, /**< Operates a session it is responsible for. */
    PSS_ROLE_MANAGER = 2, /**< Takes over sessions, reopens for correction, overrides limits. */
    PSS_ROLE_ADMIN = 3    /**< Force-closes stuck sessions, edits configs. */
} pss_role;

/** Version of ::pss_actor this header describes. */
#define PSS_ACTOR_VERSION 1

/**
 * Who performs a mutating call. Every mutating function takes one; the library checks the
 * role and, for an IN_PROGRESS session, that the user is the responsible one.
 */
typedef struct pss_actor {
    uint32_t version;   /**< Set to ::PSS_ACTOR_VERSION (use ::PSS_ACTOR_INIT). */
    const char *user;   /**< User id as the host knows it; required, UTF-8, no control characters. */
    pss_role role;      /**< The user's role. */
    const char *device; /**< Device (till) id holding the session lease; NULL means "any device". */
} pss_actor;

/** Initializer for ::pss_actor. */
#define PSS_ACTOR_INIT { PSS_ACTOR_VERSION, NULL, PSS_ROLE_CASHIER, NULL }

/**
 * Receives output text (reports, ledger and CSV exports) in pieces.
 * @param userdata the pointer given with the callback
 * @param data bytes to write (not NUL-terminated)
 * @param len number of bytes
 * @return 0 on success; any other value stops the export, which then fails with ::PSS_EIO
 */
typedef int (*pss_write_fn)(void *userdata, const char *data, size_t len);

/**
 * Names an error code.
 * @param code a ::PSS_OK or PSS_E* value
 * @return a static, human-readable description ("unknown error" for unknown codes)
 */
PSS_API const char *pss_strerror(int code);

/**
 * Returns the library version as a string such as "1.0.0".
 * @return a static string
 */
PSS_API const char *pss_version(void);

#ifdef __cplusplus
}
#endif

#endif
