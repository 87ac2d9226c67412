/* lpss.h: what the files of the Lua binding share: the handle structs and their lifetime
 * rules, the call protocol around every library call, argument readers and result pushers.
 *
 * Lifetime: a store is used by contexts, a context by the handles made with it (configs,
 * sessions, orders, reports, entries, audit and cash lists). Each dependent userdata keeps
 * what it depends on alive through its first user value, and counts itself in a C counter,
 * so a store or context closed (or collected) while still in use is only marked closed and
 * freed when its last user goes, whatever order the collector finalizes them in. */
#ifndef LPSS_H
#define LPSS_H

#include <lauxlib.h>
#include <lua.h>
#include <possession.h>
#include <stddef.h>
#include <stdint.h>

/* Size of the buffers that keep an error message raised by Lua code the library called. */
#define LPSS_MSG_SIZE 1024

/* ---- stores -------------------------------------------------------------------------- */

typedef enum lpss_store_kind {
    LPSS_STORE_MEMORY,
    LPSS_STORE_SQLITE,
    LPSS_STORE_LUA,
    LPSS_STORE_PG
} lpss_store_kind;

/* The bridge that lets the library call a Lua table implementing the store protocol. */
typedef struct lpss_bridge {
    pss_storage table;        /* what the library is given */
    lua_State *L;             /* the running thread, set before each library call */
    struct lpss_store *store; /* back pointer, to find the Lua table */
    char errmsg[LPSS_MSG_SIZE];
} lpss_bridge;

typedef struct lpss_store {
    pss_storage *storage; /* NULL once freed */
    lpss_store_kind kind;
    int closed;           /* released by the user or the collector */
    int users;            /* contexts using it */
    lpss_bridge bridge;   /* used by Lua stores only */
} lpss_store;

/* ---- contexts ------------------------------------------------------------------------ */

typedef struct lpss_ctx {
    pss_ctx *ctx;       /* NULL once freed */
    lpss_store *store;  /* the store it uses (kept alive through user value 1) */
    int closed;         /* released by the user or the collector */
    int children;       /* handles made with it that are not freed yet */
    lua_State *L;       /* the running thread, for the clock, log and observer hooks */
    int busy;           /* inside a library call: its hooks and store must not call back */
    lua_State *outer_store_L; /* a shared Lua store's thread before this call, restored after */
    int hook_failed;    /* a hook raised during the current library call */
    char hook_error[LPSS_MSG_SIZE];
} lpss_ctx;

/* ---- handles made with a context ----------------------------------------------------- */

typedef struct lpss_type {
    const char *name;          /* metatable name, "possession.session" */
    void (*release)(void *ptr);
    void (*describe)(lua_State *L, void *ptr); /* pushes the text after the name in __tostring */
} lpss_type;

typedef struct lpss_handle {
    void *ptr;                 /* the library's handle, NULL once released */
    const lpss_type *type;
    lpss_ctx *owner;           /* kept alive through user value 1 */
} lpss_handle;

extern const lpss_type lpss_config_type, lpss_session_type, lpss_order_type, lpss_report_type,
    lpss_entry_type;

/* A list handle (audit trail, cash movements) reads like a sequence: #list, list[i], ipairs. */
typedef struct lpss_list_type {
    lpss_type base;
    size_t (*count)(const void *list);
    int (*push)(lua_State *L, const void *list, size_t index); /* pushes one record table */
} lpss_list_type;

void lpss_list_register(lua_State *L, const lpss_list_type *type);
extern const lpss_list_type lpss_audit_type, lpss_cashlist_type;

/* Pushes a new handle of type owned by the context at ctx_index, ptr NULL until the caller
 * fills it (so that a raise before then leaks nothing). */
lpss_handle *lpss_handle_new(lua_State *L, int ctx_index, const lpss_type *type);
/* The live handle at index; raises when it is released or its context is. */
lpss_handle *lpss_handle_check(lua_State *L, int index, const lpss_type *type);
/* Registers the metatable of a handle type with its methods (release, __gc, __close,
 * __tostring added here). */
void lpss_handle_register(lua_State *L, const lpss_type *type, const luaL_Reg *methods);
/* Frees a handle now (a failed load): its context gets its count back at once. */
void lpss_handle_discard(lua_State *L, lpss_handle *h);
/* Pushes the failure of the last call, then discards h; returns the count pushed. */
int lpss_fail_discard(lua_State *L, lpss_ctx *c, lpss_handle *h, int rc);
/* Pushes the context userdata a handle depends on. */
void lpss_handle_push_owner(lua_State *L, int index);

lpss_ctx *lpss_ctx_check(lua_State *L, int index);
lpss_store *lpss_store_check(lua_State *L, int index);
void lpss_ctx_drop_child(lua_State *L, lpss_ctx *c);
void lpss_store_drop_user(lpss_store *s);

/* ---- the call protocol ----------------------------------------------------------------- */

/* Points the hooks at the running thread (every method does, through the check functions:
 * even a getter or a free may log), unless a call is running: its thread stays. */
void lpss_point(lua_State *L, lpss_ctx *c);
/* Before a library call: points the hooks and a Lua store at the running thread, and raises
 * when the context is already in a call (a hook or store method calling back into it, which
 * the library forbids). */
void lpss_enter(lua_State *L, lpss_ctx *c);
/* After it: gives a shared Lua store back the thread of any call around this one, then
 * raises what a hook raised, else returns rc. */
int lpss_leave(lua_State *L, lpss_ctx *c, int rc);
/* Pushes nil, message, code and the failure's figures when it has any; returns the count. */
int lpss_fail(lua_State *L, lpss_ctx *c, int rc);
/* The same without a context (money functions). */
int lpss_fail_plain(lua_State *L, int rc, const char *message);
/* Pushes true and returns 1, or the failure. */
int lpss_ok_or_fail(lua_State *L, lpss_ctx *c, int rc);

/* Runs fn under lua_pcall with ud as its only argument; never raises. On failure copies the
 * error message into buf and returns non-zero. */
int lpss_protect(lua_State *L, lua_CFunction fn, void *ud, char *buf, size_t size);

/* Registry table mapping C pointers to their userdata, weak values: lets C callbacks reach
 * the Lua side of a store or context without keeping it alive. */
void lpss_anchor_set(lua_State *L, const void *key, int index);
int lpss_anchor_push(lua_State *L, const void *key);

/* ---- reading arguments ------------------------------------------------------------------ */

/* Reads fields of the table at index; strings are kept alive in an anchor table pushed by
 * lpss_in_open so that they outlive the call even if Lua code changes the table. */
typedef struct lpss_in {
    lua_State *L;
    int table;      /* absolute index of the table, 0 when absent (every field nil) */
    int anchor;     /* absolute index of the anchor table */
    const char *what; /* "config", "line 2", for messages */
} lpss_in;

/* Fixes the stack at nargs arguments (absent ones nil) and pushes the anchor table above
 * them, so that optional arguments never meet values the binding pushed. */
int lpss_anchor_new(lua_State *L, int nargs);
lpss_in lpss_in_open(lua_State *L, int index, int anchor, const char *what, int optional);
void lpss_in_allow(const lpss_in *in, const char *const *fields);
const char *lpss_in_string(const lpss_in *in, const char *field, int required);
int64_t lpss_in_int(const lpss_in *in, const char *field, int64_t dflt, int required);
int lpss_in_bool(const lpss_in *in, const char *field, int dflt);
int lpss_in_enum(const lpss_in *in, const char *field, const char *const *names,
                 const int *values, int dflt);
/* Pushes the field (any type) and returns its Lua type. */
int lpss_in_push(const lpss_in *in, const char *field);
/* Pushes a list field (nil when absent) and returns its length; raises when it is not a table. */
size_t lpss_in_list(const lpss_in *in, const char *field);
/* Keeps the string at index alive for the call and returns it. */
const char *lpss_anchor_string(lua_State *L, int anchor, int index);

/* A money or other integer argument: an integer, never a float (even 12.0) nor a string. */
int64_t lpss_check_int(lua_State *L, int arg, const char *what);
/* The mask of the state names listed in the table at index (kind: "session", "order"):
 * name(st) spells each state from first to last; an unknown name or one that is no string
 * raises. An empty list is mask 0, which the library refuses in its own words. */
unsigned lpss_state_mask(lua_State *L, int index, const char *kind, int first, int last,
                         const char *(*name)(int state));
/* Reads the actor table at arg (user required; role and device optional). */
pss_actor lpss_check_actor(lua_State *L, int arg, int anchor);
/* Zeroed memory for n elements, kept alive by the anchor table for the call. */
void *lpss_scratch(lua_State *L, int anchor, size_t n, size_t size);

/* Enum names, in the order of their values. */
extern const char *const lpss_role_names[];
extern const int lpss_role_values[];
extern const char *const lpss_rounding_names[];
extern const int lpss_rounding_values[];
const char *lpss_role_name(pss_role role);

/* ---- pushing results ---------------------------------------------------------------------- */

void lpss_set_int(lua_State *L, const char *field, int64_t value);
/* Sets the field unless value is PSS_UNSET (Lua code sees nil for "not given"). */
void lpss_set_amount(lua_State *L, const char *field, int64_t value);
void lpss_set_str(lua_State *L, const char *field, const char *value);
void lpss_set_bool(lua_State *L, const char *field, int value);
void lpss_push_strlist(lua_State *L, const pss_strlist *list);

/* Text collected from a pss_write_fn, in a userdata so that a raise leaks nothing. */
typedef struct lpss_text {
    char *data;
    size_t len, cap;
} lpss_text;
lpss_text *lpss_text_new(lua_State *L);
int lpss_text_write(void *userdata, const char *data, size_t len);

/* A library-allocated result (a list) owned by a userdata until it is turned into Lua values,
 * so that a raise meanwhile leaks nothing. */
typedef struct lpss_box {
    void *ptr;
    void (*free)(void *ptr);
} lpss_box;
lpss_box *lpss_box_new(lua_State *L, void (*free_fn)(void *));

/* ---- the parts -------------------------------------------------------------------------- */

void lpss_open_handles(lua_State *L);   /* registry tables every part uses */
void lpss_open_store(lua_State *L);     /* sets memory_store, sqlite_store, lua_store, pg_store */
void lpss_open_context(lua_State *L);   /* sets context */
void lpss_open_config(lua_State *L);
void lpss_open_session(lua_State *L);
void lpss_open_order(lua_State *L);
void lpss_open_cash(lua_State *L);
void lpss_open_report(lua_State *L);
void lpss_open_journal(lua_State *L);
void lpss_open_audit(lua_State *L);
void lpss_open_money(lua_State *L);     /* sets money and id */

int lpss_bridge_init(lua_State *L, lpss_store *s, int table_index);

/* Context methods that live with the handle they make. */
int lpss_ctx_new_config(lua_State *L);
int lpss_ctx_load_config(lua_State *L);
int lpss_ctx_config_from_json(lua_State *L);
int lpss_ctx_create_session(lua_State *L);
int lpss_ctx_load_session(lua_State *L);
int lpss_ctx_find_open_session(lua_State *L);
int lpss_ctx_list_sessions(lua_State *L);
int lpss_ctx_list_sessions_page(lua_State *L);
int lpss_ctx_load_entry(lua_State *L);
int lpss_ctx_ledger(lua_State *L);
int lpss_ctx_csv(lua_State *L);
int lpss_ctx_audit(lua_State *L);
int lpss_ctx_fiscal_verify(lua_State *L);
int lpss_ctx_fiscal_archive(lua_State *L);
int lpss_ctx_set_signer(lua_State *L);
int lpss_ctx_fiscal_resign(lua_State *L);
int lpss_ctx_get_meta(lua_State *L);
int lpss_ctx_set_meta(lua_State *L);

/* handle:meta() and handle:set_meta(actor, text) of configs, sessions and orders (meta.c). */
int lpss_config_meta(lua_State *L);
int lpss_config_set_meta(lua_State *L);
int lpss_session_meta(lua_State *L);
int lpss_session_set_meta(lua_State *L);
int lpss_order_meta(lua_State *L);
int lpss_order_set_meta(lua_State *L);

/* Session methods that live with what they make or read. */
int lpss_session_create_order(lua_State *L);
int lpss_session_load_order(lua_State *L);
int lpss_session_list_orders(lua_State *L);
int lpss_session_submit(lua_State *L);
int lpss_session_submit_batch(lua_State *L);
int lpss_session_cash_move(lua_State *L);
int lpss_session_cash_void(lua_State *L);
int lpss_session_cash_movements(lua_State *L);
int lpss_session_report(lua_State *L);
int lpss_session_entry(lua_State *L);

/* The exponent of a "unit" argument: a config, a session, or an integer exponent. */
int lpss_check_exponent(lua_State *L, int arg);

#endif
