/* pyposs.h: what the files of the _possession extension share: the limited-API setting, the
 * handle objects' layouts, argument conversions (text, actors, amounts as Decimal) and the
 * way a failed library call becomes a Python exception. */
#ifndef PYPOSS_H
#define PYPOSS_H

/* One build serves every CPython from 3.8 on: only the stable ABI is used. */
#ifndef Py_LIMITED_API
#define Py_LIMITED_API 0x03080000
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>

#include <possession.h>

/* ---- the context and its store ---- */

/* The C table made for a store written in Python, and what its callbacks raised. */
typedef struct pyp_context pyp_context;

typedef struct pyp_pystore {
    pss_storage table;
    PyObject *obj;        /* the Python store (strong reference) */
    pyp_context *owner;   /* the context it serves (borrowed: the context owns the adapter) */
    char message[512];    /* the last exception a callback raised, as text for the detail */
} pyp_pystore;

/* A store object made by this module (MemoryStore, SqliteStore, PgStore). */
typedef struct pyp_store {
    PyObject_HEAD
    pss_storage *storage; /* NULL once closed */
    int is_memory;
} pyp_store;

struct pyp_context {
    PyObject_HEAD
    pss_ctx *ctx;        /* NULL once closed */
    PyObject *store;     /* the store object passed in (strong reference) */
    pyp_pystore *py;     /* the adapter when the store is written in Python, else NULL */
    PyObject *clock;     /* callable returning ms since the epoch, or NULL */
    PyObject *log;       /* callable(level, message), or NULL */
    PyObject *signer;    /* the fiscal events' signer (signer.c), or NULL */
    PyObject *pending;   /* the first exception a Python callback raised during this call */
    int in_call;         /* a library call is running: refuse re-entry */
};

/* Every other handle keeps its context alive and knows its currency's exponent. */
typedef struct pyp_config {
    PyObject_HEAD
    pyp_context *owner;
    pss_config *config; /* owned: a session's config is handed out as a copy */
} pyp_config;

typedef struct pyp_session {
    PyObject_HEAD
    pyp_context *owner;
    pss_session *session; /* NULL once released */
    int exponent;
} pyp_session;

typedef struct pyp_order {
    PyObject_HEAD
    pyp_context *owner;
    pss_order *order; /* NULL once released */
    int exponent;
} pyp_order;

typedef struct pyp_entry {
    PyObject_HEAD
    pyp_context *owner;
    pss_entry *entry; /* NULL once released */
} pyp_entry;

/* ---- types (made in module.c from the specs of each file) ---- */
extern PyTypeObject *pyp_MemoryStore_Type;
extern PyTypeObject *pyp_SqliteStore_Type;
extern PyTypeObject *pyp_PgStore_Type; /* NULL when built without libpossession-pg */
extern PyTypeObject *pyp_Context_Type;
extern PyTypeObject *pyp_Config_Type;
extern PyTypeObject *pyp_Session_Type;
extern PyTypeObject *pyp_Order_Type;
extern PyTypeObject *pyp_Entry_Type;

extern PyType_Spec pyp_MemoryStore_spec;
#ifdef PYP_HAVE_SQLITE
extern PyType_Spec pyp_SqliteStore_spec;
#endif
#ifdef PYP_HAVE_PG
extern PyType_Spec pyp_PgStore_spec;
#endif
extern PyType_Spec pyp_Context_spec;
extern PyType_Spec pyp_Config_spec;
extern PyType_Spec pyp_Session_spec;
extern PyType_Spec pyp_Order_spec;
extern PyType_Spec pyp_Entry_spec;

/* Frees an object of a heap type made here (limited API: no tp_free access). */
void pyp_free_self(PyObject *self);

/* What every store object of ours shares (stores.c): whether obj is one, its dealloc, its
 * close() and its `closed`. */
int pyp_own_store(PyObject *obj);
void pyp_store_dealloc(PyObject *self);
PyObject *pyp_store_close(PyObject *self, PyObject *unused);
extern PyGetSetDef pyp_store_getset[];

/* ---- conversions (convert.c) ---- */

/* What a helper that can fail in two ways returns when a Python exception is set, as
 * opposed to a library code it passes on. The library's codes are small negative numbers
 * and PSS_EINVAL is -1 itself, so "-1: a Python error is set" cannot share a return value
 * with them: a library refusal would be taken for a Python error that was never raised
 * (SystemError) and lose the library's detail. */
#define PYP_PYERR INT_MIN

/* Temporaries (UTF-8 bytes) that must outlive one library call: a list dropped after it. */
typedef PyObject pyp_keep;
pyp_keep *pyp_keep_new(void);
/* Zeroed memory freed with keep (for arrays the library reads during the call). NULL with
 * MemoryError set. */
void *pyp_keep_alloc(pyp_keep *keep, size_t n, size_t size);

/* str (or None when nullable) -> UTF-8 kept alive by keep. 0, or -1 with an exception. */
int pyp_text(PyObject *obj, const char *what, int nullable, pyp_keep *keep, const char **out);
/* An Actor-like object (user, role, device attributes) -> pss_actor; anything else is a
 * TypeError naming possession.Actor. */
int pyp_actor(PyObject *obj, pyp_keep *keep, pss_actor *out);
/* The two items of a pair, a tuple or list of 2 (borrowed: valid while obj is). Else a
 * TypeError "<what> <index> must be a <shape> pair, not ...". 0 or -1. */
int pyp_pair(PyObject *obj, const char *what, Py_ssize_t index, const char *shape,
             PyObject **first, PyObject **second);
/* Decimal, int or decimal string -> exact fixed-point integer at exponent (0..4).
 * float is a TypeError; too many decimals an InvalidError; too large an overflow error. */
int pyp_fixed(PyObject *obj, int exponent, const char *what, int64_t *out);
/* Same, where None means PSS_UNSET. */
int pyp_fixed_or_unset(PyObject *obj, int exponent, const char *what, int64_t *out);
/* Fixed-point integer -> Decimal at exponent, exactly (PSS_UNSET -> None when unset_none).
 * Values come from the library: one that cannot be represented (an exponent outside 0..4)
 * is a damaged record, CorruptError. */
PyObject *pyp_decimal(int64_t value, int exponent, int unset_none);
/* A money value for a currency; a plain int when the exponent is unknown (< 0). */
PyObject *pyp_money(int64_t value, int exponent);
int pyp_int64(PyObject *obj, const char *what, int64_t *out);
int pyp_flag(PyObject *obj, int *out);
/* getattr(obj, name) and obj.name() with interned names (see convert.c). */
PyObject *pyp_getattr(PyObject *obj, const char *name);
PyObject *pyp_call_method0(PyObject *obj, const char *name);
/* str or None -> new reference. */
PyObject *pyp_str_or_none(const char *s);
/* Sets d[key] = value, consuming value. -1 on failure. */
int pyp_put(PyObject *d, const char *key, PyObject *value);
/* Sticky builders: consume value; on any failure *d (or *list) becomes NULL and stays so. */
void pyp_set(PyObject **d, const char *key, PyObject *value);
void pyp_append(PyObject **list, PyObject *item);
/* tp_new of handle types: they are only made by the library's calls. */
PyObject *pyp_no_new(PyTypeObject *type, PyObject *args, PyObject *kwargs);
/* Runs one library call on a context: 0, or -1 with the exception set. */
#define PYP_CALL(ctx, exponent, expr) \
    (pyp_enter(ctx) < 0 ? -1 : pyp_leave((ctx), (expr), (exponent)))

/* ---- errors (errors.c) ---- */

/* Raises the possession.Error subclass for code with a detail (no context involved). */
PyObject *pyp_raise_code(int code, const char *detail);
/* Raises the error of a failed call on ctx: code, detail, figures at exponent, and the
 * exception a Python callback raised during the call as __cause__. Returns NULL. */
PyObject *pyp_raise_call(pyp_context *ctx, int rc, int exponent);
/* Takes the exception raised inside a callback so that the call can go on in C. */
void pyp_capture(pyp_context *ctx);
/* When the exception set is a possession.Error: clears it, returns its code and its detail
 * (a new reference). Otherwise 0, leaving the exception set. */
int pyp_take_error(PyObject **detail);

/* ---- the fiscal signer (signer.c): Context.set_signer, fiscal_resign ---- */
PyObject *pyp_context_set_signer(PyObject *op, PyObject *args);
PyObject *pyp_context_fiscal_resign(PyObject *op, PyObject *args);

/* ---- context use (context.c) ---- */

/* Checks that the context can run a library call now and marks it busy. 0 or -1. */
int pyp_enter(pyp_context *ctx);
/* Ends a call: rc 0 returns 0; else raises and returns -1. */
int pyp_leave(pyp_context *ctx, int rc, int exponent);
/* Makes a session handle object (steals session). */
PyObject *pyp_session_wrap(pyp_context *ctx, pss_session *session);
PyObject *pyp_order_wrap(pyp_context *ctx, pss_order *order, int exponent);
PyObject *pyp_entry_wrap(pyp_context *ctx, pss_entry *entry);
PyObject *pyp_config_wrap(pyp_context *ctx, pss_config *config);
/* Collects writer output into a str, or forwards it to a file-like object's write(). */
typedef struct pyp_writer {
    pyp_context *ctx;
    PyObject *file;  /* NULL: collect */
    char *data;
    size_t len, cap;
    int failed;
} pyp_writer;
int pyp_write_cb(void *userdata, const char *data, size_t len);
/* The writer's result: the collected str, or None after writing to a file. */
PyObject *pyp_writer_finish(pyp_writer *w);

/* The Python adapter for a store written in Python (pystore.c). */
pyp_pystore *pyp_pystore_new(pyp_context *ctx, PyObject *obj);
void pyp_pystore_free(pyp_pystore *py);

/* Shared by session.c and order.c: a line or payment from its tuple form. A line's tax
 * codes are kept in keep, as many as given: how many a line may carry is the library's
 * rule. */
int pyp_line_input(PyObject *t, int exponent, pyp_keep *keep, pss_line_input *out);
int pyp_payment_input(PyObject *t, int exponent, pyp_keep *keep, pss_payment_input *out);

#endif
