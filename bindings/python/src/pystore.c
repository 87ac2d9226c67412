/* pystore.c: the C storage table for a store written in Python. Each callback calls the
 * Python method of the same name (the protocol is in doc/python.md); a Python exception is
 * kept on the context, described for the library's detail, and turned into PSS_ESTORAGE
 * (PSS_EBUSY for possession.BusyError, PSS_ENOMEM for MemoryError) so that the library
 * rolls back and fails the call, which then raises with that exception as __cause__. */
#include "pyposs.h"

#include <string.h>

static PyObject *from_package(const char *module, const char *name, PyObject **cache)
{
    if (!*cache) {
        PyObject *mod = PyImport_ImportModule(module);
        if (!mod)
            return NULL;
        *cache = pyp_getattr(mod, name);
        Py_DECREF(mod);
    }
    return *cache;
}

static PyObject *record_class(void)
{
    static PyObject *cls;
    return from_package("possession._store", "Record", &cls);
}

/* The code the library gets for an exception a callback raised. */
static int code_of(PyObject *exc)
{
    static PyObject *busy_class;
    if (PyObject_IsInstance(exc, PyExc_MemoryError) > 0)
        return PSS_ENOMEM;
    PyObject *busy = from_package("possession._errors", "BusyError", &busy_class);
    int is_busy = busy ? PyObject_IsInstance(exc, busy) : -1;
    if (is_busy < 0)
        PyErr_Clear();
    return is_busy > 0 ? PSS_EBUSY : PSS_ESTORAGE;
}

/* "TypeName: text" of an exception, for the library's detail message. */
static void describe(pyp_pystore *py, PyObject *exc)
{
    PyObject *name = pyp_getattr((PyObject *)Py_TYPE(exc), "__name__");
    PyObject *text = name ? PyObject_Str(exc) : NULL;
    PyObject *both = text ? PyUnicode_FromFormat("%U: %U", name, text) : NULL;
    PyObject *bytes = both ? PyUnicode_AsUTF8String(both) : NULL;
    if (bytes)
        snprintf(py->message, sizeof py->message, "%s", PyBytes_AsString(bytes));
    else {
        PyErr_Clear();
        snprintf(py->message, sizeof py->message, "a Python store callback raised");
    }
    Py_XDECREF(name);
    Py_XDECREF(text);
    Py_XDECREF(both);
    Py_XDECREF(bytes);
}

/* Keeps what the callback raised on the context and names the code the library gets. */
static int failed(pyp_pystore *py)
{
    pyp_capture(py->owner);
    PyObject *exc = py->owner->pending;
    if (!exc)
        return PSS_ESTORAGE;
    describe(py, exc);
    return code_of(exc);
}

/* Calls a method of the store; NULL (exception set) on failure. */
static PyObject *call(pyp_pystore *py, const char *method, const char *format, ...)
{
    py->message[0] = '\0';
    PyObject *fn = pyp_getattr(py->obj, method);
    if (!fn)
        return NULL;
    va_list ap;
    va_start(ap, format);
    PyObject *args = Py_VaBuildValue(format, ap);
    va_end(ap);
    PyObject *result = NULL;
    if (args) {
        PyObject *tuple = PyTuple_Check(args) ? args : PyTuple_Pack(1, args);
        if (tuple)
            result = PyObject_CallObject(fn, tuple);
        if (tuple != args)
            Py_XDECREF(tuple);
        Py_DECREF(args);
    }
    Py_DECREF(fn);
    return result;
}

static int cb_begin(void *userdata, unsigned flags)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "begin", "(O)", (flags & PSS_TXN_WRITE) ? Py_True : Py_False);
    if (!r)
        return failed(py);
    Py_DECREF(r);
    return 0;
}

static int cb_end(pyp_pystore *py, const char *method)
{
    PyObject *r = call(py, method, "()");
    if (!r)
        return failed(py);
    Py_DECREF(r);
    return 0;
}

static int cb_commit(void *userdata)
{
    return cb_end(userdata, "commit");
}

static int cb_rollback(void *userdata)
{
    return cb_end(userdata, "rollback");
}

/* A text attribute of a returned object as UTF-8, kept alive in keep. */
static int attr_text(PyObject *obj, const char *name, pyp_keep *keep, const char **out,
                     size_t *len)
{
    PyObject *v = pyp_getattr(obj, name);
    if (!v)
        return -1;
    PyObject *bytes = PyBytes_Check(v) ? (Py_INCREF(v), v) : PyUnicode_AsUTF8String(v);
    Py_DECREF(v);
    if (!bytes)
        return -1;
    int rc = PyList_Append(keep, bytes);
    Py_DECREF(bytes);
    char *data;
    Py_ssize_t n;
    if (rc < 0 || PyBytes_AsStringAndSize(bytes, &data, &n) < 0)
        return -1;
    *out = data;
    if (len)
        *len = (size_t)n;
    return 0;
}

static int attr_u64(PyObject *obj, const char *name, uint64_t *out)
{
    PyObject *v = pyp_getattr(obj, name);
    if (!v)
        return -1;
    unsigned long long u = PyLong_AsUnsignedLongLong(v);
    Py_DECREF(v);
    if (u == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = (uint64_t)u;
    return 0;
}

/* Hands one Record-like object to the library's callback, whose code goes to *fn_rc.
 * 0, or PYP_PYERR: a Python error (the object is not a record). */
static int pass_record(PyObject *obj, pss_record_fn fn, void *arg, int *fn_rc)
{
    pyp_keep *keep = pyp_keep_new();
    pss_record rec;
    memset(&rec, 0, sizeof rec);
    int rc = PYP_PYERR;
    if (keep && !attr_text(obj, "kind", keep, &rec.kind, NULL) &&
        !attr_text(obj, "id", keep, &rec.id, NULL) &&
        !attr_text(obj, "parent", keep, &rec.parent, NULL) && !attr_u64(obj, "rev", &rec.rev) &&
        !attr_text(obj, "payload", keep, &rec.payload, &rec.payload_len)) {
        *fn_rc = fn(&rec, arg);
        rc = 0;
    }
    Py_XDECREF(keep);
    return rc;
}

static int cb_get(void *userdata, const char *kind, const char *id, pss_record_fn fn, void *arg)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "get", "(ss)", kind, id);
    if (!r)
        return failed(py);
    int fn_rc = 0;
    int rc = r == Py_None ? PSS_ENOTFOUND : pass_record(r, fn, arg, &fn_rc);
    Py_DECREF(r);
    if (rc == PYP_PYERR)
        return failed(py);
    return rc ? rc : fn_rc;
}

static PyObject *payload_str(const char *payload, size_t len)
{
    return PyUnicode_DecodeUTF8(payload, (Py_ssize_t)len, "strict");
}

static int cb_put(void *userdata, const pss_record *rec, uint64_t expected_rev, uint64_t *new_rev)
{
    pyp_pystore *py = userdata;
    PyObject *cls = record_class();
    if (!cls)
        return failed(py);
    uint64_t rev = expected_rev ? expected_rev + 1 : 1;
    PyObject *payload = payload_str(rec->payload, rec->payload_len);
    PyObject *record = payload ? PyObject_CallFunction(cls, "sssKO", rec->kind, rec->id,
                                                       rec->parent ? rec->parent : "",
                                                       (unsigned long long)rev, payload)
                               : NULL;
    Py_XDECREF(payload);
    if (!record)
        return failed(py);
    PyObject *r = call(py, "put", "(OK)", record, (unsigned long long)expected_rev);
    Py_DECREF(record);
    if (!r)
        return failed(py);
    int stored = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (stored < 0)
        return failed(py);
    if (!stored) {
        snprintf(py->message, sizeof py->message, "revision check failed");
        return PSS_ECONFLICT;
    }
    *new_rev = rev;
    return 0;
}

/* Iterates what a scan method returned, handing each item to give() (0 or PYP_PYERR;
 * the library's code in *fn_rc stops the scan and is returned). */
static int each(pyp_pystore *py, PyObject *iterable,
                int (*give)(PyObject *item, void *fn, void *arg, int *fn_rc), void *fn, void *arg)
{
    PyObject *it = PyObject_GetIter(iterable);
    Py_DECREF(iterable);
    if (!it)
        return failed(py);
    PyObject *item;
    int fn_rc = 0;
    while (!fn_rc && (item = PyIter_Next(it))) {
        int rc = give(item, fn, arg, &fn_rc);
        Py_DECREF(item);
        if (rc == PYP_PYERR)
            break;
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return failed(py);
    return fn_rc;
}

static int give_record(PyObject *item, void *fn, void *arg, int *fn_rc)
{
    pss_record_fn record_fn;
    memcpy(&record_fn, fn, sizeof record_fn);
    return pass_record(item, record_fn, arg, fn_rc);
}

static int cb_scan(void *userdata, const char *kind, const char *parent, pss_record_fn fn,
                   void *arg)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "scan", "(ss)", kind, parent ? parent : "");
    if (!r)
        return failed(py);
    return each(py, r, give_record, &fn, arg);
}

/* Copies an owner string returned by the store into the library's buffer: 0 or
 * PYP_PYERR. */
static int copy_holder(PyObject *h, char *holder, size_t size)
{
    PyObject *bytes = PyUnicode_AsUTF8String(h);
    if (!bytes)
        return PYP_PYERR;
    if (size)
        snprintf(holder, size, "%s", PyBytes_AsString(bytes));
    Py_DECREF(bytes);
    return 0;
}

/* 0, or PYP_PYERR: the store returned another type. */
static int text_or_none(PyObject *r, const char *method)
{
    if (r == Py_None || PyUnicode_Check(r))
        return 0;
    PyErr_Format(PyExc_TypeError, "store.%s() must return a str or None", method);
    return PYP_PYERR;
}

static int cb_claim(void *userdata, const char *key, const char *owner, char *holder,
                    size_t holder_size)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "claim", "(ss)", key, owner);
    if (!r)
        return failed(py);
    int rc = 0;
    if (!PyUnicode_Check(r)) {
        PyErr_SetString(PyExc_TypeError, "store.claim() must return the key's holder (a str)");
        rc = PYP_PYERR;
    } else if (PyUnicode_CompareWithASCIIString(r, owner) != 0) {
        rc = copy_holder(r, holder, holder_size) == PYP_PYERR ? PYP_PYERR : PSS_EEXISTS;
    }
    Py_DECREF(r);
    return rc == PYP_PYERR ? failed(py) : rc;
}

static int cb_release(void *userdata, const char *key, const char *owner)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "release", "(ss)", key, owner);
    if (!r)
        return failed(py);
    int rc = text_or_none(r, "release");
    if (!rc && r == Py_None) {
        snprintf(py->message, sizeof py->message, "nobody holds key %s", key);
        rc = PSS_ENOTFOUND;
    } else if (!rc && PyUnicode_CompareWithASCIIString(r, owner) != 0) {
        snprintf(py->message, sizeof py->message, "key %s is held by another owner", key);
        rc = PSS_ECONFLICT;
    }
    Py_DECREF(r);
    return rc == PYP_PYERR ? failed(py) : rc;
}

static int cb_lookup(void *userdata, const char *key, char *holder, size_t holder_size)
{
    pyp_pystore *py = userdata;
    PyObject *r = call(py, "lookup", "(s)", key);
    if (!r)
        return failed(py);
    int rc = text_or_none(r, "lookup");
    if (!rc)
        rc = r == Py_None ? PSS_ENOTFOUND : copy_holder(r, holder, holder_size);
    Py_DECREF(r);
    return rc == PYP_PYERR ? failed(py) : rc;
}

static int cb_append(void *userdata, const char *subject, const char *payload, size_t len,
                     uint64_t *seq)
{
    pyp_pystore *py = userdata;
    PyObject *text = payload_str(payload, len);
    if (!text)
        return failed(py);
    PyObject *r = call(py, "append", "(sO)", subject, text);
    Py_DECREF(text);
    if (!r)
        return failed(py);
    unsigned long long s = PyLong_AsUnsignedLongLong(r);
    Py_DECREF(r);
    if (s == (unsigned long long)-1 && PyErr_Occurred())
        return failed(py);
    *seq = (uint64_t)s;
    return 0;
}

static int give_audit(PyObject *item, void *fn, void *arg, int *fn_rc)
{
    pss_audit_fn audit_fn;
    memcpy(&audit_fn, fn, sizeof audit_fn);
    pyp_keep *keep = pyp_keep_new();
    pss_audit_item ai;
    memset(&ai, 0, sizeof ai);
    int rc = PYP_PYERR;
    if (keep && !attr_u64(item, "seq", &ai.seq) &&
        !attr_text(item, "subject", keep, &ai.subject, NULL) &&
        !attr_text(item, "payload", keep, &ai.payload, &ai.payload_len)) {
        *fn_rc = audit_fn(&ai, arg);
        rc = 0;
    }
    Py_XDECREF(keep);
    return rc;
}

static int cb_audit_scan(void *userdata, const char *subject, uint64_t after_seq,
                         pss_audit_fn fn, void *arg)
{
    pyp_pystore *py = userdata;
    PyObject *r = subject ? call(py, "audit_scan", "(sK)", subject, (unsigned long long)after_seq)
                          : call(py, "audit_scan", "(OK)", Py_None, (unsigned long long)after_seq);
    if (!r)
        return failed(py);
    return each(py, r, give_audit, &fn, arg);
}

static const char *cb_errmsg(void *userdata)
{
    pyp_pystore *py = userdata;
    return py->message[0] ? py->message : NULL;
}

static const char *const required_methods[] = {
    "begin", "commit", "rollback", "get", "put", "scan", "claim", "release", "lookup",
    "append", "audit_scan",
};

/* A TypeError naming every protocol method the object lacks. */
static int check_protocol(PyObject *obj)
{
    char missing[200] = "";
    for (size_t i = 0; i < sizeof required_methods / sizeof required_methods[0]; i++) {
        PyObject *m = pyp_getattr(obj, required_methods[i]);
        if (m && PyCallable_Check(m)) {
            Py_DECREF(m);
            continue;
        }
        Py_XDECREF(m);
        PyErr_Clear();
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "",
                 required_methods[i]);
    }
    if (!missing[0])
        return 0;
    PyErr_Format(PyExc_TypeError,
                 "a store must be possession.MemoryStore, possession.SqliteStore, "
                 "possession.PgStore or an object with the store methods; this one lacks: %s",
                 missing);
    return -1;
}

pyp_pystore *pyp_pystore_new(pyp_context *ctx, PyObject *obj)
{
    if (check_protocol(obj) < 0)
        return NULL;
    pyp_pystore *py = PyMem_Calloc(1, sizeof *py);
    if (!py) {
        PyErr_NoMemory();
        return NULL;
    }
    pss_storage init = PSS_STORAGE_INIT;
    py->table = init;
    py->table.userdata = py;
    py->table.begin = cb_begin;
    py->table.commit = cb_commit;
    py->table.rollback = cb_rollback;
    py->table.get = cb_get;
    py->table.put = cb_put;
    py->table.scan = cb_scan;
    py->table.claim = cb_claim;
    py->table.release = cb_release;
    py->table.lookup = cb_lookup;
    py->table.append = cb_append;
    py->table.audit_scan = cb_audit_scan;
    py->table.errmsg = cb_errmsg;
    Py_INCREF(obj);
    py->obj = obj;
    py->owner = ctx;
    return py;
}

void pyp_pystore_free(pyp_pystore *py)
{
    if (!py)
        return;
    Py_XDECREF(py->obj);
    PyMem_Free(py);
}
