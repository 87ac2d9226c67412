/* pgstore.c: PgStore, the PostgreSQL store (libpossession-pg, when built): opened on a
 * libpq conninfo with the store's options, closed like the other stores, and wait(), which
 * sleeps until tills commit audit entries (LISTEN/NOTIFY) without holding the GIL. */
#include "pyposs.h"

PyTypeObject *pyp_PgStore_Type;

#ifdef PYP_HAVE_PG
#include <possession/pg.h>

static PyObject *pg_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"conninfo", "lock_timeout_ms", "statement_timeout_ms",
                               "reconnect_attempts", NULL};
    const char *conninfo;
    pss_pg_options o = PSS_PG_OPTIONS_INIT;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|$iii:PgStore", keywords, &conninfo,
                                     &o.lock_timeout_ms, &o.statement_timeout_ms,
                                     &o.reconnect_attempts))
        return NULL;
    pyp_store *self = (pyp_store *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    pss_ctx *ctx = NULL;
    int rc = self ? pss_ctx_new(&ctx, NULL) : 0;
    if (self && !rc) {
        pss_storage *storage = NULL;
        Py_BEGIN_ALLOW_THREADS /* connecting may wait on the network */
        rc = pss_pg_open(ctx, conninfo, &o, &storage);
        Py_END_ALLOW_THREADS
        self->storage = storage;
    }
    if (rc) {
        pyp_raise_code(rc, ctx ? pss_ctx_errmsg(ctx) : "cannot open the PostgreSQL store");
        Py_CLEAR(self);
    }
    pss_ctx_free(ctx);
    return (PyObject *)self;
}

static PyObject *pg_wait(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"timeout_ms", NULL};
    int timeout_ms = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|i:wait", keywords, &timeout_ms))
        return NULL;
    pss_storage *storage = ((pyp_store *)self)->storage;
    if (!storage) {
        PyErr_SetString(PyExc_ValueError, "the store is closed");
        return NULL;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pss_pg_wait(storage, timeout_ms);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        const char *detail = storage->errmsg ? storage->errmsg(storage->userdata) : NULL;
        return pyp_raise_code(rc, detail ? detail : "waiting for audit entries failed");
    }
    return PyBool_FromLong(rc == 1);
}

static PyObject *pg_schema_version(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(pss_pg_schema_version());
}

static PyMethodDef pg_methods[] = {
    {"close", pyp_store_close, METH_NOARGS,
     "Closes the connection; contexts using it refuse further calls."},
    {"wait", (PyCFunction)(void (*)(void))pg_wait, METH_VARARGS | METH_KEYWORDS,
     "Sleeps until audit entries committed by any till may be readable (True) or the timeout "
     "in ms passes (False); the first call starts listening and returns True at once."},
    {"schema_version", pg_schema_version, METH_NOARGS | METH_STATIC,
     "The schema version this library writes."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot pg_slots[] = {
    {Py_tp_new, (void *)pg_new},
    {Py_tp_dealloc, (void *)pyp_store_dealloc},
    {Py_tp_methods, pg_methods},
    {Py_tp_getset, pyp_store_getset},
    {Py_tp_doc, (void *)"The PostgreSQL store (libpossession-pg)."},
    {0, NULL},
};

PyType_Spec pyp_PgStore_spec = {
    "possession._possession.PgStore", sizeof(pyp_store), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, pg_slots,
};
#endif
