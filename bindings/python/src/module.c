/* module.c: the possession._possession extension module: its types, the helpers that expose
 * the exact Decimal conversions (for tests and the Python layer) and the library version. */
#include "pyposs.h"

static PyObject *to_minor(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *value;
    int exponent;
    int64_t out;
    if (!PyArg_ParseTuple(args, "Oi:to_minor", &value, &exponent))
        return NULL;
    if (exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return pyp_raise_code(PSS_EINVAL, "exponent must be 0..4");
    if (pyp_fixed(value, exponent, "amount", &out) < 0)
        return NULL;
    return PyLong_FromLongLong(out);
}

static PyObject *to_decimal(PyObject *self, PyObject *args)
{
    (void)self;
    long long minor;
    int exponent;
    if (!PyArg_ParseTuple(args, "Li:to_decimal", &minor, &exponent))
        return NULL;
    if (exponent < PSS_EXPONENT_MIN || exponent > PSS_EXPONENT_MAX)
        return pyp_raise_code(PSS_EINVAL, "exponent must be 0..4");
    return pyp_decimal((int64_t)minor, exponent, 0);
}

static PyObject *strerror_of(PyObject *self, PyObject *args)
{
    (void)self;
    int code;
    if (!PyArg_ParseTuple(args, "i:strerror", &code))
        return NULL;
    return PyUnicode_FromString(pss_strerror(code));
}

static PyMethodDef module_methods[] = {
    {"to_minor", to_minor, METH_VARARGS,
     "to_minor(value, exponent) -> int: an exact amount in minor units."},
    {"to_decimal", to_decimal, METH_VARARGS,
     "to_decimal(minor, exponent) -> Decimal: minor units as a Decimal."},
    {"strerror", strerror_of, METH_VARARGS, "strerror(code) -> str: the name of a PSS_E* code."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_possession",
    "The C side of the possession package: thin handles over libpossession.", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

static int add_type(PyObject *m, const char *name, PyType_Spec *spec, PyTypeObject **out)
{
    PyObject *type = PyType_FromSpec(spec);
    if (!type)
        return -1;
    *out = (PyTypeObject *)type;
    Py_INCREF(type); /* one reference for the static pointer, one for the module */
    if (PyModule_AddObject(m, name, type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

static int add_constants(PyObject *m)
{
#ifdef PYP_HAVE_SQLITE
    int have_sqlite = 1;
#else
    int have_sqlite = 0;
#endif
#ifdef PYP_HAVE_PG
    int have_pg = 1;
#else
    int have_pg = 0;
#endif
    return PyModule_AddIntConstant(m, "HAVE_SQLITE", have_sqlite) ||
           PyModule_AddIntConstant(m, "HAVE_PG", have_pg) ||
           PyModule_AddStringConstant(m, "LIBRARY_VERSION", pss_version()) ||
           PyModule_AddStringConstant(m, "BINDING_VERSION", PYP_VERSION) ||
           PyModule_AddIntConstant(m, "LIMITED_API", Py_LIMITED_API);
}

PyMODINIT_FUNC PyInit__possession(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    if (add_type(m, "MemoryStore", &pyp_MemoryStore_spec, &pyp_MemoryStore_Type) < 0 ||
#ifdef PYP_HAVE_SQLITE
        add_type(m, "SqliteStore", &pyp_SqliteStore_spec, &pyp_SqliteStore_Type) < 0 ||
#endif
#ifdef PYP_HAVE_PG
        add_type(m, "PgStore", &pyp_PgStore_spec, &pyp_PgStore_Type) < 0 ||
#endif
        add_type(m, "Context", &pyp_Context_spec, &pyp_Context_Type) < 0 ||
        add_type(m, "Config", &pyp_Config_spec, &pyp_Config_Type) < 0 ||
        add_type(m, "Session", &pyp_Session_spec, &pyp_Session_Type) < 0 ||
        add_type(m, "Order", &pyp_Order_spec, &pyp_Order_Type) < 0 ||
        add_type(m, "Entry", &pyp_Entry_spec, &pyp_Entry_Type) < 0 || add_constants(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
