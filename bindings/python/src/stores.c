/* stores.c: the stores this module makes: MemoryStore (the library's in-memory store, with
 * dump() to compare contents) and SqliteStore (libpossession-sqlite, when built), and what
 * every store object of ours shares with PgStore (pgstore.c). Closing a store frees it at
 * once; contexts still holding it refuse further calls. */
#include "pyposs.h"

#include <string.h>

#ifdef PYP_HAVE_SQLITE
#include <possession/sqlite.h>
#endif

PyTypeObject *pyp_MemoryStore_Type;
PyTypeObject *pyp_SqliteStore_Type;

void pyp_free_self(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    freefunc tp_free = (freefunc)PyType_GetSlot(type, Py_tp_free);
    tp_free(self);
    Py_DECREF(type);
}

static void store_close_now(pyp_store *self)
{
    pss_storage_free(self->storage);
    self->storage = NULL;
}

int pyp_own_store(PyObject *obj)
{
    return PyObject_TypeCheck(obj, pyp_MemoryStore_Type) ||
           (pyp_SqliteStore_Type && PyObject_TypeCheck(obj, pyp_SqliteStore_Type)) ||
           (pyp_PgStore_Type && PyObject_TypeCheck(obj, pyp_PgStore_Type));
}

void pyp_store_dealloc(PyObject *self)
{
    store_close_now((pyp_store *)self);
    pyp_free_self(self);
}

PyObject *pyp_store_close(PyObject *self, PyObject *unused)
{
    (void)unused;
    store_close_now((pyp_store *)self);
    Py_RETURN_NONE;
}

static PyObject *store_closed(PyObject *self, void *unused)
{
    (void)unused;
    return PyBool_FromLong(((pyp_store *)self)->storage == NULL);
}

static PyObject *memory_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, ":MemoryStore", keywords))
        return NULL;
    pyp_store *self = (pyp_store *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    if (!self)
        return NULL;
    self->is_memory = 1;
    int rc = pss_memstore_new(&self->storage);
    if (rc) {
        Py_DECREF(self);
        return pyp_raise_code(rc, "cannot make an in-memory store");
    }
    return (PyObject *)self;
}

/* Collects the dump; the store's own writer never fails otherwise. */
static int dump_write(void *userdata, const char *data, size_t len)
{
    pyp_writer *w = userdata;
    return pyp_write_cb(w, data, len);
}

static PyObject *memory_dump(PyObject *self, PyObject *unused)
{
    (void)unused;
    pyp_store *st = (pyp_store *)self;
    if (!st->storage) {
        PyErr_SetString(PyExc_ValueError, "the store is closed");
        return NULL;
    }
    pyp_writer w;
    memset(&w, 0, sizeof w);
    int rc = pss_memstore_dump(st->storage, dump_write, &w);
    PyObject *text = pyp_writer_finish(&w);
    if (rc && text) {
        Py_DECREF(text);
        return pyp_raise_code(rc, "cannot dump the store");
    }
    return text;
}

static PyMethodDef memory_methods[] = {
    {"close", pyp_store_close, METH_NOARGS, "Frees the store; contexts using it refuse further calls."},
    {"dump", memory_dump, METH_NOARGS, "Every record, claim and audit entry as text, stably ordered."},
    {NULL, NULL, 0, NULL},
};

PyGetSetDef pyp_store_getset[] = {
    {"closed", store_closed, NULL, "True once close() was called.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot memory_slots[] = {
    {Py_tp_new, (void *)memory_new},
    {Py_tp_dealloc, (void *)pyp_store_dealloc},
    {Py_tp_methods, memory_methods},
    {Py_tp_getset, pyp_store_getset},
    {Py_tp_doc, (void *)"The library's in-memory store."},
    {0, NULL},
};

PyType_Spec pyp_MemoryStore_spec = {
    "possession._possession.MemoryStore", sizeof(pyp_store), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, memory_slots,
};

#ifdef PYP_HAVE_SQLITE
static PyObject *fs_bytes(PyObject *path)
{
    PyObject *fspath = PyOS_FSPath(path);
    if (!fspath || PyBytes_Check(fspath))
        return fspath;
    PyObject *bytes = PyUnicode_EncodeFSDefault(fspath);
    Py_DECREF(fspath);
    if (bytes && strlen(PyBytes_AsString(bytes)) != (size_t)PyBytes_Size(bytes)) {
        Py_DECREF(bytes);
        return pyp_raise_code(PSS_EINVAL, "path contains a NUL character");
    }
    return bytes;
}

static PyObject *sqlite_open(PyTypeObject *type, PyObject *path, int sync, int busy_ms,
                             int page_size)
{
    PyObject *bytes = fs_bytes(path);
    if (!bytes)
        return NULL;
    pyp_store *self = (pyp_store *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    pss_ctx *ctx = NULL;
    int rc = self ? pss_ctx_new(&ctx, NULL) : 0;
    if (self && !rc) {
        pss_sqlite_options o = PSS_SQLITE_OPTIONS_INIT;
        o.sync = (pss_sqlite_sync)sync;
        o.busy_timeout_ms = busy_ms;
        o.page_size = page_size;
        rc = pss_sqlite_open(ctx, PyBytes_AsString(bytes), &o, &self->storage);
    }
    Py_DECREF(bytes);
    if (rc) {
        pyp_raise_code(rc, ctx ? pss_ctx_errmsg(ctx) : "cannot open the SQLite store");
        Py_CLEAR(self);
    }
    pss_ctx_free(ctx);
    return (PyObject *)self;
}

static PyObject *sqlite_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"path", "sync", "busy_timeout_ms", "page_size", NULL};
    PyObject *path;
    int sync = PSS_SQLITE_SYNC_FULL, busy_ms = 5000, page_size = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$iii:SqliteStore", keywords, &path, &sync,
                                     &busy_ms, &page_size))
        return NULL;
    return sqlite_open(type, path, sync, busy_ms, page_size);
}

static PyMethodDef sqlite_methods[] = {
    {"close", pyp_store_close, METH_NOARGS, "Closes the file; contexts using it refuse further calls."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot sqlite_slots[] = {
    {Py_tp_new, (void *)sqlite_new},
    {Py_tp_dealloc, (void *)pyp_store_dealloc},
    {Py_tp_methods, sqlite_methods},
    {Py_tp_getset, pyp_store_getset},
    {Py_tp_doc, (void *)"The SQLite store (libpossession-sqlite)."},
    {0, NULL},
};

PyType_Spec pyp_SqliteStore_spec = {
    "possession._possession.SqliteStore", sizeof(pyp_store), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, sqlite_slots,
};
#endif
