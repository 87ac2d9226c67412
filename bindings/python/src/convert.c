/* convert.c: how Python values cross into the library and back: text as UTF-8, actors,
 * and amounts as exact fixed-point integers from decimal.Decimal, int or str (never float),
 * returned as Decimal at the currency's exponent. */
#include "pyposs.h"

#include <string.h>

/* decimal.Decimal, imported once. */
static PyObject *decimal_type(void)
{
    static PyObject *type;
    if (!type) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (!mod)
            return NULL;
        type = pyp_getattr(mod, "Decimal");
        Py_DECREF(mod);
    }
    return type;
}

pyp_keep *pyp_keep_new(void)
{
    return PyList_New(0);
}

static void free_capsule(PyObject *capsule)
{
    PyMem_Free(PyCapsule_GetPointer(capsule, NULL));
}

/* A capsule in the keep list owns the memory, so every exit path of a call frees it. */
void *pyp_keep_alloc(pyp_keep *keep, size_t n, size_t size)
{
    void *mem = PyMem_Calloc(n ? n : 1, size);
    if (!mem) {
        PyErr_NoMemory();
        return NULL;
    }
    PyObject *capsule = PyCapsule_New(mem, NULL, free_capsule);
    if (!capsule) {
        PyMem_Free(mem);
        return NULL;
    }
    int rc = PyList_Append(keep, capsule);
    Py_DECREF(capsule);
    return rc < 0 ? NULL : mem;
}

/* The type's name for messages ("str", "NoneType"). */
static PyObject *type_name(PyObject *obj)
{
    return pyp_getattr((PyObject *)Py_TYPE(obj), "__name__");
}

int pyp_pair(PyObject *obj, const char *what, Py_ssize_t index, const char *shape,
             PyObject **first, PyObject **second)
{
    int is_tuple = PyTuple_Check(obj);
    Py_ssize_t n = is_tuple ? PyTuple_Size(obj) : PyList_Check(obj) ? PyList_Size(obj) : -1;
    if (n == 2) {
        *first = is_tuple ? PyTuple_GetItem(obj, 0) : PyList_GetItem(obj, 0);
        *second = is_tuple ? PyTuple_GetItem(obj, 1) : PyList_GetItem(obj, 1);
        return *first && *second ? 0 : -1;
    }
    PyObject *name = type_name(obj);
    if (!name)
        return -1;
    if (n < 0)
        PyErr_Format(PyExc_TypeError, "%s %zd must be a %s pair, not %U", what, index, shape,
                     name);
    else
        PyErr_Format(PyExc_TypeError, "%s %zd must be a %s pair, not a %U of %zd", what, index,
                     shape, name, n);
    Py_DECREF(name);
    return -1;
}

static int keep_bytes(pyp_keep *keep, PyObject *bytes, const char *what, const char **out)
{
    char *data;
    Py_ssize_t len;
    int rc = PyList_Append(keep, bytes);
    Py_DECREF(bytes);
    if (rc < 0 || PyBytes_AsStringAndSize(bytes, &data, &len) < 0)
        return -1;
    if ((size_t)len != strlen(data)) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s contains a NUL character", what);
        pyp_raise_code(PSS_EINVAL, detail);
        return -1;
    }
    *out = data;
    return 0;
}

int pyp_text(PyObject *obj, const char *what, int nullable, pyp_keep *keep, const char **out)
{
    *out = NULL;
    if (obj == Py_None && nullable)
        return 0;
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str%s", what, nullable ? " or None" : "");
        return -1;
    }
    PyObject *bytes = PyUnicode_AsUTF8String(obj);
    if (!bytes)
        return -1;
    return keep_bytes(keep, bytes, what, out);
}

int pyp_int64(PyObject *obj, const char *what, int64_t *out)
{
    if (PyFloat_Check(obj) || !PyLong_Check(obj)) {
        PyObject *index = PyFloat_Check(obj) ? NULL : PyNumber_Index(obj);
        if (!index) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "%s must be an int", what);
            return -1;
        }
        int rc = pyp_int64(index, what, out);
        Py_DECREF(index);
        return rc;
    }
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        char detail[160];
        snprintf(detail, sizeof detail, "%s does not fit in 64 bits", what);
        pyp_raise_code(PSS_EOVERFLOW, detail);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int pyp_flag(PyObject *obj, int *out)
{
    int v = PyObject_IsTrue(obj);
    if (v < 0)
        return -1;
    *out = v;
    return 0;
}

/* An attribute of an actor; lacking it, the object is not an actor: a TypeError (a str
 * given for possession.Actor("alice") is the usual mistake) rather than AttributeError. */
static PyObject *actor_attr(PyObject *obj, const char *name)
{
    PyObject *v = pyp_getattr(obj, name);
    if (v || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return v;
    PyErr_Clear();
    PyObject *type = type_name(obj);
    if (type) {
        PyErr_Format(PyExc_TypeError, "actor must be a possession.Actor, not %U", type);
        Py_DECREF(type);
    }
    return NULL;
}

int pyp_actor(PyObject *obj, pyp_keep *keep, pss_actor *out)
{
    pss_actor init = PSS_ACTOR_INIT;
    *out = init;
    PyObject *user = actor_attr(obj, "user");
    PyObject *role = user ? actor_attr(obj, "role") : NULL;
    PyObject *device = role ? actor_attr(obj, "device") : NULL;
    int64_t r = 0;
    int rc = -1;
    if (device && !pyp_text(user, "actor user", 0, keep, &out->user) &&
        !pyp_text(device, "actor device", 1, keep, &out->device) &&
        !pyp_int64(role, "actor role", &r)) {
        if (r < PSS_ROLE_NONE || r > PSS_ROLE_ADMIN)
            pyp_raise_code(PSS_EINVAL, "actor role must be one of possession.Role");
        else {
            out->role = (pss_role)r;
            rc = 0;
        }
    }
    Py_XDECREF(user);
    Py_XDECREF(role);
    Py_XDECREF(device);
    return rc;
}

/* A finite Decimal as plain digits ('f' format), refusing magnitudes whose text would be
 * absurdly long: they cannot fit in 64 bits or cannot have at most 4 decimals anyway. */
static PyObject *decimal_text(PyObject *obj, const char *what)
{
    PyObject *finite = pyp_call_method0(obj, "is_finite");
    PyObject *zero = finite ? pyp_call_method0(obj, "is_zero") : NULL;
    PyObject *adjusted = zero ? pyp_call_method0(obj, "adjusted") : NULL;
    PyObject *text = NULL;
    char detail[160];
    if (adjusted) {
        long adj = PyLong_AsLong(adjusted);
        if (adj == -1 && PyErr_Occurred())
            ;
        else if (!PyObject_IsTrue(finite)) {
            snprintf(detail, sizeof detail, "%s is not a finite number", what);
            pyp_raise_code(PSS_EINVAL, detail);
        } else if (PyObject_IsTrue(zero)) {
            text = PyUnicode_FromString("0");
        } else if (adj > 25) {
            snprintf(detail, sizeof detail, "%s is out of range (it does not fit in 64 bits)", what);
            pyp_raise_code(PSS_EOVERFLOW, detail);
        } else if (adj < -25) {
            snprintf(detail, sizeof detail, "%s has more decimals than allowed", what);
            pyp_raise_code(PSS_EINVAL, detail);
        } else {
            PyObject *spec = PyUnicode_FromString("f");
            text = spec ? PyObject_Format(obj, spec) : NULL;
            Py_XDECREF(spec);
        }
    }
    Py_XDECREF(finite);
    Py_XDECREF(zero);
    Py_XDECREF(adjusted);
    return text;
}

/* The value as decimal text, or NULL with TypeError for anything that is not exact. */
static PyObject *amount_text(PyObject *obj, const char *what)
{
    PyObject *dec = decimal_type();
    if (!dec)
        return NULL;
    if (PyFloat_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s must be a decimal.Decimal or a str such as '12.34', not a float "
                     "(floats are inexact; use Decimal('12.34') or '12.34')", what);
        return NULL;
    }
    if (PyUnicode_Check(obj)) {
        Py_INCREF(obj);
        return obj;
    }
    if (PyLong_Check(obj) && !PyBool_Check(obj))
        return PyObject_Str(obj);
    int is_dec = PyObject_IsInstance(obj, dec);
    if (is_dec < 0)
        return NULL;
    if (is_dec)
        return decimal_text(obj, what);
    PyErr_Format(PyExc_TypeError,
                 "%s must be a decimal.Decimal, an int or a str such as '12.34'", what);
    return NULL;
}

int pyp_fixed(PyObject *obj, int exponent, const char *what, int64_t *out)
{
    PyObject *text = amount_text(obj, what);
    if (!text)
        return -1;
    PyObject *bytes = PyUnicode_AsUTF8String(text);
    Py_DECREF(text);
    if (!bytes)
        return -1;
    const char *s = PyBytes_AsString(bytes);
    if (!s) {
        Py_DECREF(bytes);
        return -1;
    }
    int rc = pss_money_parse(s, exponent, out);
    if (rc) {
        char detail[200];
        if (rc == PSS_EOVERFLOW)
            snprintf(detail, sizeof detail, "%s '%.40s' is out of range", what, s);
        else
            snprintf(detail, sizeof detail,
                     "%s '%.40s' is not a decimal number with at most %d decimals", what, s,
                     exponent);
        pyp_raise_code(rc, detail);
    }
    Py_DECREF(bytes);
    return rc ? -1 : 0;
}

int pyp_fixed_or_unset(PyObject *obj, int exponent, const char *what, int64_t *out)
{
    if (obj == Py_None) {
        *out = PSS_UNSET;
        return 0;
    }
    if (pyp_fixed(obj, exponent, what, out) < 0)
        return -1;
    if (*out == PSS_UNSET) {
        /* The library reads INT64_MIN here as "not given": refuse it rather than let a
         * value silently mean "nobody counted". */
        char detail[160];
        snprintf(detail, sizeof detail, "%s is out of range", what);
        pyp_raise_code(PSS_EOVERFLOW, detail);
        return -1;
    }
    return 0;
}

PyObject *pyp_decimal(int64_t value, int exponent, int unset_none)
{
    if (value == PSS_UNSET && unset_none)
        Py_RETURN_NONE;
    char buf[PSS_MONEY_BUFSIZE];
    if (pss_money_format(value, exponent, buf, sizeof buf) < 0) {
        char detail[120];
        snprintf(detail, sizeof detail, "amount %lld has exponent %d, outside %d..%d",
                 (long long)value, exponent, PSS_EXPONENT_MIN, PSS_EXPONENT_MAX);
        return pyp_raise_code(PSS_ECORRUPT, detail);
    }
    PyObject *dec = decimal_type();
    return dec ? PyObject_CallFunction(dec, "s", buf) : NULL;
}

PyObject *pyp_money(int64_t value, int exponent)
{
    if (exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return PyLong_FromLongLong(value);
    return pyp_decimal(value, exponent, 1);
}

PyObject *pyp_str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

int pyp_put(PyObject *d, const char *key, PyObject *value)
{
    if (!value)
        return -1;
    int rc = PyDict_SetItemString(d, key, value);
    Py_DECREF(value);
    return rc;
}

void pyp_set(PyObject **d, const char *key, PyObject *value)
{
    if (*d && (!value || PyDict_SetItemString(*d, key, value) < 0))
        Py_CLEAR(*d);
    Py_XDECREF(value);
}

void pyp_append(PyObject **list, PyObject *item)
{
    if (*list && (!item || PyList_Append(*list, item) < 0))
        Py_CLEAR(*list);
    Py_XDECREF(item);
}

PyObject *pyp_no_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    (void)type;
    (void)args;
    (void)kwargs;
    PyErr_SetString(PyExc_TypeError, "handles are made by the library, not directly");
    return NULL;
}

/* Attribute names are interned so that every lookup uses the same str object: CPython's
 * type attribute cache keeps a reference to the name it saw, and fresh strings per call
 * would make it hold thousands of them. */
PyObject *pyp_getattr(PyObject *obj, const char *name)
{
    PyObject *key = PyUnicode_InternFromString(name);
    if (!key)
        return NULL;
    PyObject *value = PyObject_GetAttr(obj, key);
    Py_DECREF(key);
    return value;
}

PyObject *pyp_call_method0(PyObject *obj, const char *name)
{
    PyObject *fn = pyp_getattr(obj, name);
    if (!fn)
        return NULL;
    PyObject *r = PyObject_CallObject(fn, NULL);
    Py_DECREF(fn);
    return r;
}
