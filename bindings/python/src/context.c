/* context.c: the Context object: one pss_ctx on one store, with an optional Python clock and
 * logger. It guards every library call (closed context or store, re-entry from a callback
 * or another thread), turns failures into exceptions, and offers the calls that need only a
 * context: configs, creating and finding sessions, entries, the audit trail, range exports. */
#include "pyposs.h"

#include <string.h>
#include <time.h>

PyTypeObject *pyp_Context_Type;

/* ---- guarding calls ---- */

static int store_closed(pyp_context *ctx)
{
    PyObject *st = ctx->store;
    return pyp_own_store(st) && ((pyp_store *)st)->storage == NULL;
}

int pyp_enter(pyp_context *ctx)
{
    if (!ctx->ctx || !ctx->store) {
        PyErr_SetString(PyExc_ValueError, "the context is closed");
        return -1;
    }
    if (store_closed(ctx)) {
        PyErr_SetString(PyExc_ValueError, "the context's store is closed");
        return -1;
    }
    if (ctx->in_call) {
        PyErr_SetString(PyExc_RuntimeError,
                        "the context is already running a call (a store callback, clock, "
                        "logger or another thread called back into it)");
        return -1;
    }
    ctx->in_call = 1;
    Py_CLEAR(ctx->pending);
    return 0;
}

int pyp_leave(pyp_context *ctx, int rc, int exponent)
{
    ctx->in_call = 0;
    if (rc) {
        pyp_raise_call(ctx, rc, exponent);
        return -1;
    }
    if (ctx->pending) {
        /* The call succeeded although a callback raised (the library tolerated it): the
         * exception cannot be raised for a committed change, so report it like __del__ does. */
        PyObject *exc = ctx->pending;
        ctx->pending = NULL;
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
        PyErr_WriteUnraisable(ctx->store);
    }
    return 0;
}

/* ---- clock and logger ---- */

static int64_t system_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A clock that raises or returns a non-int is reported through sys.unraisablehook and the
 * system clock answers instead: a clock has no way to fail a library call. */
static int64_t clock_cb(void *userdata)
{
    pyp_context *ctx = userdata;
    PyObject *r = PyObject_CallObject(ctx->clock, NULL);
    long long v = r ? PyLong_AsLongLong(r) : -1;
    Py_XDECREF(r);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_WriteUnraisable(ctx->clock);
        return system_ms();
    }
    return (int64_t)v;
}

static void log_cb(void *userdata, pss_log_level level, const char *message)
{
    pyp_context *ctx = userdata;
    PyObject *r = PyObject_CallFunction(ctx->log, "is", (int)level, message);
    if (!r)
        PyErr_WriteUnraisable(ctx->log);
    Py_XDECREF(r);
}

/* ---- writer ---- */

int pyp_write_cb(void *userdata, const char *data, size_t len)
{
    pyp_writer *w = userdata;
    if (w->file) {
        PyObject *write = pyp_getattr(w->file, "write");
        PyObject *r = write ? PyObject_CallFunction(write, "s#", data, (Py_ssize_t)len) : NULL;
        Py_XDECREF(write);
        if (r) {
            Py_DECREF(r);
            return 0;
        }
        if (w->ctx)
            pyp_capture(w->ctx);
        else
            PyErr_Clear();
        w->failed = 1;
        return -1;
    }
    if (w->len + len + 1 > w->cap) {
        size_t cap = (w->len + len + 1) * 2;
        char *grown = PyMem_Realloc(w->data, cap);
        if (!grown)
            return -1;
        w->data = grown;
        w->cap = cap;
    }
    memcpy(w->data + w->len, data, len);
    w->len += len;
    return 0;
}

PyObject *pyp_writer_finish(pyp_writer *w)
{
    PyObject *r;
    if (w->file) {
        Py_INCREF(Py_None);
        r = Py_None;
    } else
        r = PyUnicode_DecodeUTF8(w->data ? w->data : "", (Py_ssize_t)w->len, "replace");
    PyMem_Free(w->data);
    w->data = NULL;
    return r;
}

/* ---- life cycle ---- */

static int attach_store(pyp_context *self, PyObject *store)
{
    pss_storage *table;
    if (pyp_own_store(store)) {
        table = ((pyp_store *)store)->storage;
        if (!table) {
            PyErr_SetString(PyExc_ValueError, "the store is closed");
            return -1;
        }
    } else {
        self->py = pyp_pystore_new(self, store);
        if (!self->py)
            return -1;
        table = &self->py->table;
    }
    Py_INCREF(store);
    self->store = store;
    int rc = pss_ctx_set_storage(self->ctx, table);
    return rc ? (pyp_raise_call(self, rc, -1), -1) : 0;
}

static PyObject *context_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"store", "clock", "log", "log_level", NULL};
    PyObject *store, *clock = Py_None, *log = Py_None;
    int level = PSS_LOG_WARN;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOi:Context", keywords, &store, &clock,
                                     &log, &level))
        return NULL;
    if ((clock != Py_None && !PyCallable_Check(clock)) || (log != Py_None && !PyCallable_Check(log))) {
        PyErr_SetString(PyExc_TypeError, "clock and log must be callables or None");
        return NULL;
    }
    pyp_context *self = (pyp_context *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    if (!self)
        return NULL;
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    if (clock != Py_None) {
        Py_INCREF(clock);
        self->clock = clock;
        o.clock = clock_cb;
        o.clock_userdata = self;
    }
    if (log != Py_None) {
        Py_INCREF(log);
        self->log = log;
        o.log = log_cb;
        o.log_userdata = self;
        o.log_level = (pss_log_level)level;
    }
    int rc = pss_ctx_new(&self->ctx, &o);
    if (rc) {
        Py_DECREF(self);
        return pyp_raise_code(rc, "cannot make a context");
    }
    if (attach_store(self, store) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int context_traverse(PyObject *op, visitproc visit, void *arg)
{
    pyp_context *self = (pyp_context *)op;
    Py_VISIT(self->store);
    Py_VISIT(self->clock);
    Py_VISIT(self->log);
    Py_VISIT(self->signer);
    Py_VISIT(self->pending);
    if (self->py)
        Py_VISIT(self->py->obj);
    Py_VISIT(Py_TYPE(op));
    return 0;
}

/* Drops the store and the callbacks; the pss_ctx itself lives until the last handle made
 * with it is gone (handles must be freed before their context). */
static int context_clear(PyObject *op)
{
    pyp_context *self = (pyp_context *)op;
    Py_CLEAR(self->store);
    Py_CLEAR(self->pending);
    if (self->py) {
        pyp_pystore_free(self->py);
        self->py = NULL;
    }
    return 0;
}

static void context_dealloc(PyObject *op)
{
    pyp_context *self = (pyp_context *)op;
    PyObject_GC_UnTrack(op);
    context_clear(op);
    Py_CLEAR(self->clock);
    Py_CLEAR(self->log);
    pss_ctx_free(self->ctx);
    Py_CLEAR(self->signer); /* after the context: it can no longer call back */
    self->ctx = NULL;
    pyp_free_self(op);
}

static PyObject *context_close(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_context *self = (pyp_context *)op;
    if (self->in_call) {
        PyErr_SetString(PyExc_RuntimeError, "cannot close a context while it runs a call");
        return NULL;
    }
    context_clear(op);
    Py_RETURN_NONE;
}

static PyObject *context_closed(PyObject *op, void *unused)
{
    (void)unused;
    return PyBool_FromLong(((pyp_context *)op)->store == NULL);
}

static PyObject *context_store(PyObject *op, void *unused)
{
    (void)unused;
    PyObject *st = ((pyp_context *)op)->store;
    st = st ? st : Py_None;
    Py_INCREF(st);
    return st;
}

static PyObject *context_now(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_context *self = (pyp_context *)op;
    if (pyp_enter(self) < 0)
        return NULL;
    int64_t now = pss_ctx_now(self->ctx);
    pyp_leave(self, 0, -1);
    return PyLong_FromLongLong(now);
}

/* ---- handle constructors ---- */

static PyObject *alloc_handle(PyTypeObject *type, pyp_context *ctx)
{
    PyObject *obj = ((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    if (obj) {
        Py_INCREF(ctx);
        /* Every handle struct starts with its owner after the object header. */
        ((pyp_session *)obj)->owner = ctx;
    }
    return obj;
}

PyObject *pyp_session_wrap(pyp_context *ctx, pss_session *session)
{
    pyp_session *obj = (pyp_session *)alloc_handle(pyp_Session_Type, ctx);
    if (!obj) {
        pss_session_free(session);
        return NULL;
    }
    obj->session = session;
    obj->exponent = pss_config_exponent(pss_session_config(session));
    return (PyObject *)obj;
}

PyObject *pyp_order_wrap(pyp_context *ctx, pss_order *order, int exponent)
{
    pyp_order *obj = (pyp_order *)alloc_handle(pyp_Order_Type, ctx);
    if (!obj) {
        pss_order_free(order);
        return NULL;
    }
    obj->order = order;
    obj->exponent = exponent;
    return (PyObject *)obj;
}

PyObject *pyp_entry_wrap(pyp_context *ctx, pss_entry *entry)
{
    pyp_entry *obj = (pyp_entry *)alloc_handle(pyp_Entry_Type, ctx);
    if (!obj) {
        pss_entry_free(entry);
        return NULL;
    }
    obj->entry = entry;
    return (PyObject *)obj;
}

PyObject *pyp_config_wrap(pyp_context *ctx, pss_config *config)
{
    pyp_config *obj = (pyp_config *)alloc_handle(pyp_Config_Type, ctx);
    if (!obj) {
        pss_config_free(config);
        return NULL;
    }
    obj->config = config;
    return (PyObject *)obj;
}

/* ---- calls on the context ---- */

int pyp_config_build(pyp_context *ctx, PyObject *args, pss_config **out);

static PyObject *context_config_new(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    pss_config *config = NULL;
    if (pyp_enter(self) < 0)
        return NULL;
    int rc = pyp_config_build(self, args, &config);
    if (rc == PYP_PYERR) { /* the exception raised while converting the fields stands */
        self->in_call = 0;
        return NULL;
    }
    if (pyp_leave(self, rc, -1) < 0) /* a library code: its class and the context's detail */
        return NULL;
    return pyp_config_wrap(self, config);
}

static PyObject *context_config_from_json(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *json;
    pss_config *config = NULL;
    if (!PyArg_ParseTuple(args, "s:config_from_json", &json) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, pss_config_from_json(self->ctx, json, &config), -1) < 0)
        return NULL;
    return pyp_config_wrap(self, config);
}

static PyObject *context_config_load(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *id;
    pss_config *config = NULL;
    if (!PyArg_ParseTuple(args, "s:config_load", &id) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, pss_config_load(self->ctx, id, &config), -1) < 0)
        return NULL;
    return pyp_config_wrap(self, config);
}

static PyObject *context_session_create(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    PyObject *config_id, *actor, *id, *date, *meta;
    if (!PyArg_ParseTuple(args, "OOOOO:session_create", &config_id, &actor, &id, &date, &meta))
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_session_input in = PSS_SESSION_INPUT_INIT;
    const char *cid;
    pss_session *s = NULL;
    int ok = keep && !pyp_text(config_id, "config id", 0, keep, &cid) &&
             !pyp_actor(actor, keep, &a) && !pyp_text(id, "session id", 1, keep, &in.id) &&
             !pyp_text(date, "operating date", 1, keep, &in.operating_date) &&
             !pyp_text(meta, "session meta", 1, keep, &in.meta) && !pyp_enter(self);
    if (ok)
        ok = !pyp_leave(self, pss_session_create(self->ctx, cid, &a, &in, &s), -1);
    Py_XDECREF(keep);
    return ok ? pyp_session_wrap(self, s) : NULL;
}

typedef int (*session_finder)(pss_ctx *, const char *, pss_session **);

static PyObject *find_session(PyObject *op, PyObject *args, session_finder find)
{
    pyp_context *self = (pyp_context *)op;
    const char *id;
    pss_session *s = NULL;
    if (!PyArg_ParseTuple(args, "s", &id) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, find(self->ctx, id, &s), -1) < 0)
        return NULL;
    return pyp_session_wrap(self, s);
}

static PyObject *context_session_load(PyObject *op, PyObject *args)
{
    return find_session(op, args, pss_session_load);
}

static PyObject *context_session_find_open(PyObject *op, PyObject *args)
{
    return find_session(op, args, pss_session_find_open);
}

static PyObject *strlist_to_list(pss_strlist *l)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_strlist_count(l); i++) {
        PyObject *s = pyp_str_or_none(pss_strlist_get(l, i));
        if (!s || PyList_Append(list, s) < 0)
            Py_CLEAR(list);
        Py_XDECREF(s);
    }
    return list;
}

static PyObject *context_session_list(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *id;
    unsigned int mask;
    pss_strlist *l = NULL;
    if (!PyArg_ParseTuple(args, "sI:session_list", &id, &mask) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, pss_session_list(self->ctx, id, mask, &l), -1) < 0)
        return NULL;
    PyObject *list = strlist_to_list(l);
    pss_strlist_free(l);
    return list;
}

/* (config_id, state mask, from date, to date, after, limit) -> ([id, ...], more). The limit
 * goes to the library as given, which names the range it takes; only a negative one, which
 * a size_t cannot carry, is refused here in the library's words. */
static PyObject *context_session_list_page(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *id;
    PyObject *limit;
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    int64_t n;
    if (!PyArg_ParseTuple(args, "sIzzzO:session_list_page", &id, &q.state_mask, &q.from_date,
                          &q.to_date, &q.after, &limit) ||
        pyp_int64(limit, "limit", &n) < 0)
        return NULL;
    if (n < 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "a page holds 1 to %d sessions, not %lld",
                 PSS_SESSION_PAGE_MAX, (long long)n);
        return pyp_raise_code(PSS_EINVAL, detail);
    }
    q.limit = (size_t)n;
    pss_strlist *l = NULL;
    int more = 0;
    if (pyp_enter(self) < 0 ||
        pyp_leave(self, pss_session_list_page(self->ctx, id, &q, &l, &more), -1) < 0)
        return NULL;
    PyObject *list = strlist_to_list(l);
    pss_strlist_free(l);
    return list ? Py_BuildValue("(NO)", list, more ? Py_True : Py_False) : NULL;
}

/* ---- host metadata ---- */

static PyObject *context_meta_get(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    int owner;
    const char *id;
    char *text = NULL;
    if (!PyArg_ParseTuple(args, "is:meta_get", &owner, &id) || pyp_enter(self) < 0 ||
        pyp_leave(self, pss_meta_get(self->ctx, (pss_meta_owner)owner, id, &text), -1) < 0)
        return NULL;
    PyObject *r = pyp_str_or_none(text);
    pss_free(self->ctx, text);
    return r;
}

/* (actor, owner, id, text or None); the Python layer made a dict into its text. */
static PyObject *context_meta_set(PyObject *op, PyObject *args)
{
    /* The binding's own refusal (a NUL) names the owner as the library's messages do. */
    static const char *const what[] = {"meta", "config meta", "session meta", "order meta",
                                       "movement meta"};
    pyp_context *self = (pyp_context *)op;
    PyObject *actor, *meta;
    int owner;
    const char *id;
    if (!PyArg_ParseTuple(args, "OisO:meta_set", &actor, &owner, &id, &meta))
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    const char *text;
    const char *name = what[owner >= PSS_META_CONFIG && owner <= PSS_META_MOVEMENT ? owner : 0];
    int ok = keep && !pyp_actor(actor, keep, &a) && !pyp_text(meta, name, 1, keep, &text) &&
             !pyp_enter(self) &&
             !pyp_leave(self, pss_meta_set(self->ctx, &a, (pss_meta_owner)owner, id, text), -1);
    Py_XDECREF(keep);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *context_entry_load(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *id;
    pss_entry *e = NULL;
    if (!PyArg_ParseTuple(args, "s:entry_load", &id) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, pss_entry_load(self->ctx, id, &e), -1) < 0)
        return NULL;
    return pyp_entry_wrap(self, e);
}

PyObject *pyp_audit_list(pyp_context *ctx, pss_audit *audit);

static PyObject *context_audit(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *subject = NULL;
    pss_audit *audit = NULL;
    if (!PyArg_ParseTuple(args, "z:audit", &subject) || pyp_enter(self) < 0)
        return NULL;
    if (pyp_leave(self, pss_audit_load(self->ctx, subject, &audit), -1) < 0)
        return NULL;
    PyObject *list = pyp_audit_list(self, audit);
    pss_audit_free(audit);
    return list;
}

typedef int (*range_writer)(pss_ctx *, const char *, const char *, const char *, pss_write_fn,
                            void *);

static PyObject *write_range(PyObject *op, PyObject *args, range_writer write)
{
    pyp_context *self = (pyp_context *)op;
    const char *config_id, *from, *to;
    PyObject *file;
    if (!PyArg_ParseTuple(args, "szzO", &config_id, &from, &to, &file) || pyp_enter(self) < 0)
        return NULL;
    pyp_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = self;
    w.file = file == Py_None ? NULL : file;
    int rc = write(self->ctx, config_id, from, to, pyp_write_cb, &w);
    PyObject *text = pyp_writer_finish(&w);
    if (pyp_leave(self, rc, -1) < 0) {
        Py_XDECREF(text);
        return NULL;
    }
    return text;
}

static PyObject *context_ledger_range(PyObject *op, PyObject *args)
{
    return write_range(op, args, pss_journal_write_ledger_range);
}

static PyObject *context_csv_range(PyObject *op, PyObject *args)
{
    return write_range(op, args, pss_journal_write_csv_range);
}

/* doc/fiscal.md: the verdict as (events, first_bad_seq, problem, head_hash, detail,
 * unsigned_events); a
 * broken chain is an answer, not an exception. */
static PyObject *context_fiscal_verify(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *config_id;
    if (!PyArg_ParseTuple(args, "s:fiscal_verify", &config_id) || pyp_enter(self) < 0)
        return NULL;
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    int rc = pss_fiscal_verify(self->ctx, config_id, &v);
    const char *detail = rc ? pss_ctx_errmsg(self->ctx) : "";
    PyObject *out = rc == PSS_ECORRUPT || rc == 0
                        ? Py_BuildValue("(KKsssK)", (unsigned long long)v.events,
                                        (unsigned long long)v.first_bad_seq,
                                        pss_fiscal_problem_name(v.problem), v.head_hash, detail,
                                        (unsigned long long)v.unsigned_events)
                        : NULL;
    if (pyp_leave(self, rc == PSS_ECORRUPT ? 0 : rc, -1) < 0) {
        Py_XDECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *context_fiscal_archive(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *config_id;
    unsigned long long first, last;
    PyObject *file;
    if (!PyArg_ParseTuple(args, "sKKO:fiscal_archive", &config_id, &first, &last, &file) ||
        pyp_enter(self) < 0)
        return NULL;
    pyp_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = self;
    w.file = file == Py_None ? NULL : file;
    int rc = pss_fiscal_archive(self->ctx, config_id, first, last, pyp_write_cb, &w);
    PyObject *text = pyp_writer_finish(&w);
    if (pyp_leave(self, rc, -1) < 0) {
        Py_XDECREF(text);
        return NULL;
    }
    return text;
}

static PyMethodDef context_methods[] = {
    {"close", context_close, METH_NOARGS, NULL},
    {"now", context_now, METH_NOARGS, NULL},
    {"config_new", context_config_new, METH_VARARGS, NULL},
    {"config_from_json", context_config_from_json, METH_VARARGS, NULL},
    {"config_load", context_config_load, METH_VARARGS, NULL},
    {"session_create", context_session_create, METH_VARARGS, NULL},
    {"session_load", context_session_load, METH_VARARGS, NULL},
    {"session_find_open", context_session_find_open, METH_VARARGS, NULL},
    {"session_list", context_session_list, METH_VARARGS, NULL},
    {"session_list_page", context_session_list_page, METH_VARARGS, NULL},
    {"meta_get", context_meta_get, METH_VARARGS, NULL},
    {"meta_set", context_meta_set, METH_VARARGS, NULL},
    {"entry_load", context_entry_load, METH_VARARGS, NULL},
    {"audit", context_audit, METH_VARARGS, NULL},
    {"ledger_range", context_ledger_range, METH_VARARGS, NULL},
    {"csv_range", context_csv_range, METH_VARARGS, NULL},
    {"fiscal_verify", context_fiscal_verify, METH_VARARGS, NULL},
    {"fiscal_archive", context_fiscal_archive, METH_VARARGS, NULL},
    {"fiscal_resign", pyp_context_fiscal_resign, METH_VARARGS, NULL},
    {"set_signer", pyp_context_set_signer, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef context_getset[] = {
    {"closed", context_closed, NULL, NULL, NULL},
    {"store", context_store, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot context_slots[] = {
    {Py_tp_new, (void *)context_new},
    {Py_tp_dealloc, (void *)context_dealloc},
    {Py_tp_traverse, (void *)context_traverse},
    {Py_tp_clear, (void *)context_clear},
    {Py_tp_methods, context_methods},
    {Py_tp_getset, context_getset},
    {Py_tp_doc, (void *)"A library context on one store (internal handle)."},
    {0, NULL},
};

PyType_Spec pyp_Context_spec = {
    "possession._possession.Context", sizeof(pyp_context), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, context_slots,
};
