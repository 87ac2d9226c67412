/* errors.c: turns a failed library call into the possession.Error subclass for its code,
 * with the context's detail, the figures the library attached (as Decimal in the currency),
 * and the exception a Python callback raised during the call chained as __cause__. The
 * classes themselves live in possession/_errors.py. */
#include "pyposs.h"

/* possession._errors.from_code(code, detail, figures) -> exception instance. */
static PyObject *make_error(int code, const char *detail, PyObject *figures)
{
    static PyObject *factory;
    if (!factory) {
        PyObject *mod = PyImport_ImportModule("possession._errors");
        if (!mod)
            return NULL;
        factory = pyp_getattr(mod, "from_code");
        Py_DECREF(mod);
        if (!factory)
            return NULL;
    }
    PyObject *text = pyp_str_or_none(detail && detail[0] ? detail : pss_strerror(code));
    if (!text)
        return NULL;
    PyObject *exc = PyObject_CallFunction(factory, "iOO", code, text, figures);
    Py_DECREF(text);
    return exc;
}

static PyObject *set_error(PyObject *exc, PyObject *cause)
{
    if (!exc) {
        Py_XDECREF(cause);
        return NULL;
    }
    if (cause)
        PyException_SetCause(exc, cause); /* steals cause */
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

PyObject *pyp_raise_code(int code, const char *detail)
{
    PyObject *figures = PyDict_New();
    if (!figures)
        return NULL;
    PyObject *exc = make_error(code, detail, figures);
    Py_DECREF(figures);
    return set_error(exc, NULL);
}

/* Which figures the library attaches, and the scale each one is in. */
typedef enum scale { MONEY, COUNT, QUANTITY } scale;

static const struct {
    const char *name;
    scale scale;
} figure_names[] = {
    {"expected", MONEY}, {"counted", MONEY},   {"difference", MONEY}, {"allowed", MONEY},
    {"count", COUNT},    {"remaining", MONEY}, {"available", QUANTITY}, {"imbalance", MONEY},
    {"holds", MONEY},    {"amount", MONEY},
};

static PyObject *figures_of(pss_ctx *ctx, int exponent)
{
    PyObject *figures = PyDict_New();
    for (size_t i = 0; figures && ctx && i < sizeof figure_names / sizeof figure_names[0]; i++) {
        int64_t v;
        if (pss_ctx_error_figure(ctx, figure_names[i].name, &v) != 0)
            continue;
        PyObject *value = figure_names[i].scale == COUNT      ? PyLong_FromLongLong(v)
                          : figure_names[i].scale == QUANTITY ? pyp_decimal(v, 3, 0)
                                                              : pyp_money(v, exponent);
        if (pyp_put(figures, figure_names[i].name, value) < 0)
            Py_CLEAR(figures);
    }
    return figures;
}

PyObject *pyp_raise_call(pyp_context *ctx, int rc, int exponent)
{
    PyObject *cause = ctx->pending;
    ctx->pending = NULL;
    pss_ctx *c = ctx->ctx;
    const char *detail = c && pss_ctx_errcode(c) == rc ? pss_ctx_errmsg(c) : NULL;
    PyObject *figures = figures_of(c, exponent);
    if (!figures) {
        Py_XDECREF(cause);
        return NULL;
    }
    PyObject *exc = make_error(rc, detail, figures);
    Py_DECREF(figures);
    return set_error(exc, cause);
}

/* Keeps the first exception of a call; a later one (a rollback failing after a put failed)
 * gets the first as its __context__ and becomes the cause the caller sees. */
void pyp_capture(pyp_context *ctx)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (!type)
        return;
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    if (ctx->pending)
        PyException_SetContext(value, ctx->pending); /* steals the earlier one */
    ctx->pending = value;
}

/* possession.Error, imported once. */
static PyObject *error_base(void)
{
    static PyObject *base;
    if (!base) {
        PyObject *mod = PyImport_ImportModule("possession._errors");
        if (!mod)
            return NULL;
        base = pyp_getattr(mod, "Error");
        Py_DECREF(mod);
    }
    return base;
}

static int code_and_detail(PyObject *exc, PyObject **detail)
{
    PyObject *code = pyp_getattr(exc, "code");
    long c = code ? PyLong_AsLong(code) : -1;
    Py_XDECREF(code);
    *detail = c == -1 && PyErr_Occurred() ? NULL : pyp_getattr(exc, "detail");
    return *detail ? (int)c : 0;
}

/* The binding's own conversions raise possession.Error with a library code (an amount with
 * too many decimals is PSS_EINVAL): such a failure can be reported like the library's. The
 * exception is fetched first so that nothing runs with it set. */
int pyp_take_error(PyObject **detail)
{
    *detail = NULL;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *base = value ? error_base() : NULL;
    int code = base && PyObject_IsInstance(value, base) > 0 ? code_and_detail(value, detail) : 0;
    if (!code) {
        Py_CLEAR(*detail);
        PyErr_Clear(); /* whatever failed while looking: the original exception stands */
        PyErr_Restore(type, value, tb);
        return 0;
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return code;
}
