/* signer.c: a signer of fiscal events written in Python (doc/fiscal.md "Signatures",
 * doc/python.md): Context.set_signer(obj) makes obj.sign(hash) -> (signature bytes, key id)
 * or None (declines) the library's pss_signer::sign, and obj.check(hash, sig, key_id) ->
 * bool, when obj has it, its check. A signer that raises declines (the event is recorded
 * unsigned, the call succeeds) and its exception goes to sys.unraisablehook: a signer has no
 * way to fail a library call. */
#include "pyposs.h"

#include <string.h>

static int sign_cb(void *userdata, const uint8_t hash[32], uint8_t sig[PSS_SIGNATURE_MAX],
                   size_t *sig_len, char key_id[PSS_KEY_ID_SIZE])
{
    pyp_context *ctx = userdata;
    PyObject *r = PyObject_CallMethod(ctx->signer, "sign", "y#", (const char *)hash,
                                      (Py_ssize_t)32);
    if (!r) {
        PyErr_WriteUnraisable(ctx->signer);
        return -1;
    }
    const char *bytes = NULL, *key = NULL;
    Py_ssize_t n = 0;
    int rc = r == Py_None ? 1 : !PyArg_ParseTuple(r, "y#s", &bytes, &n, &key) ? -2 : 0;
    if (rc == -2)
        PyErr_WriteUnraisable(ctx->signer); /* not (bytes, str): declined, and said so */
    if (rc == 0) {
        *sig_len = (size_t)n; /* more than the room is refused by the library as garbage */
        if (n <= PSS_SIGNATURE_MAX)
            memcpy(sig, bytes, (size_t)n);
        snprintf(key_id, PSS_KEY_ID_SIZE, "%s", key);
    }
    Py_DECREF(r);
    return rc;
}

static int check_cb(void *userdata, const uint8_t hash[32], const uint8_t *sig, size_t sig_len,
                    const char *key_id)
{
    pyp_context *ctx = userdata;
    PyObject *r = PyObject_CallMethod(ctx->signer, "check", "y#y#s", (const char *)hash,
                                      (Py_ssize_t)32, (const char *)sig, (Py_ssize_t)sig_len,
                                      key_id);
    int good = r ? PyObject_IsTrue(r) : -1;
    if (good < 0)
        PyErr_WriteUnraisable(ctx->signer);
    Py_XDECREF(r);
    return good == 1 ? 0 : -1;
}

PyObject *pyp_context_set_signer(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "O:set_signer", &obj) || pyp_enter(self) < 0)
        return NULL;
    int has_sign = obj != Py_None && PyObject_HasAttrString(obj, "sign");
    if (obj != Py_None && !has_sign) {
        pyp_leave(self, 0, -1);
        PyErr_SetString(PyExc_TypeError, "a signer has a sign(hash) method");
        return NULL;
    }
    pss_signer table = PSS_SIGNER_INIT;
    table.userdata = self;
    table.sign = sign_cb;
    table.check = obj != Py_None && PyObject_HasAttrString(obj, "check") ? check_cb : NULL;
    int rc = pss_ctx_set_signer(self->ctx, obj == Py_None ? NULL : &table);
    if (!rc) {
        PyObject *old = self->signer;
        self->signer = obj == Py_None ? NULL : obj;
        Py_XINCREF(self->signer);
        Py_XDECREF(old);
    }
    if (pyp_leave(self, rc, -1) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyObject *pyp_context_fiscal_resign(PyObject *op, PyObject *args)
{
    pyp_context *self = (pyp_context *)op;
    const char *config_id;
    if (!PyArg_ParseTuple(args, "s:fiscal_resign", &config_id) || pyp_enter(self) < 0)
        return NULL;
    uint64_t n = 0;
    int rc = pss_fiscal_resign(self->ctx, config_id, &n);
    if (pyp_leave(self, rc, -1) < 0)
        return NULL;
    return PyLong_FromUnsignedLongLong((unsigned long long)n);
}
