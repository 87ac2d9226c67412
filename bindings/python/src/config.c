/* config.c: the Config handle: built from the scalar fields, methods, taxes, categories and
 * denominations the Python layer gathers from keyword arguments or a dict (amounts converted
 * at the currency's exponent, rates as percent with up to 4 decimals), validated and saved by
 * the library. */
#include "pyposs.h"

#include <stddef.h>
#include <string.h>

PyTypeObject *pyp_Config_Type;

static const struct {
    const char *key;
    size_t offset;
} text_fields[] = {
    {"id", offsetof(pss_config_input, id)},
    {"name", offsetof(pss_config_input, name)},
    {"code", offsetof(pss_config_input, code)},
    {"currency", offsetof(pss_config_input, currency)},
    {"income_account", offsetof(pss_config_input, income_account)},
    {"receivable_account", offsetof(pss_config_input, receivable_account)},
    {"difference_gain_account", offsetof(pss_config_input, difference_gain_account)},
    {"difference_loss_account", offsetof(pss_config_input, difference_loss_account)},
    {"cash_in_account", offsetof(pss_config_input, cash_in_account)},
    {"cash_out_account", offsetof(pss_config_input, cash_out_account)},
    {"expense_account", offsetof(pss_config_input, expense_account)},
    {"rounding_gain_account", offsetof(pss_config_input, rounding_gain_account)},
    {"rounding_loss_account", offsetof(pss_config_input, rounding_loss_account)},
    {"meta", offsetof(pss_config_input, meta)}, /* JSON text: the Python layer wrote a dict */
};

/* Integer fields: flags and enums arrive as ints from the Python layer. */
typedef enum int_kind { AS_INT, AS_FLAG, AS_ENUM } int_kind;

static const struct {
    const char *key;
    int_kind kind;
} int_fields[] = {
    {"exponent", AS_INT},          {"cash_control", AS_FLAG},  {"override_role", AS_ENUM},
    {"one_session_per_day", AS_FLAG}, {"tax_rounding", AS_ENUM}, {"rounding", AS_ENUM},
    {"cash_rounding", AS_ENUM},    {"cash_rounding_mode", AS_ENUM}, {"lease_seconds", AS_INT},
    {"allow_zero_price", AS_FLAG}, {"late_orders", AS_ENUM},   {"allow_negative_drawer", AS_FLAG},
    {"split_receivables", AS_FLAG}, {"allow_receiptless_returns", AS_FLAG},
    {"receiptless_return_role", AS_ENUM},
};

static void set_int(pss_config_input *in, size_t i, int64_t v)
{
    switch (i) {
    case 0: in->currency_exponent = (int)v; break;
    case 1: in->cash_control = (int)v; break;
    case 2: in->override_role = (pss_role)v; break;
    case 3: in->one_session_per_day = (int)v; break;
    case 4: in->tax_rounding = (pss_tax_rounding)v; break;
    case 5: in->rounding = (pss_rounding)v; break;
    case 6: in->cash_rounding = (pss_cash_rounding_scope)v; break;
    case 7: in->cash_rounding_mode = (pss_rounding)v; break;
    case 8: in->lease_seconds = v; break;
    case 9: in->allow_zero_price = (int)v; break;
    case 10: in->late_orders = (pss_late_orders)v; break;
    case 11: in->allow_negative_drawer = (int)v; break;
    case 12: in->split_receivables = (int)v; break;
    case 13: in->allow_receiptless_returns = (int)v; break;
    default: in->receiptless_return_role = (pss_role)v; break;
    }
}

static int read_ints(PyObject *d, pss_config_input *in)
{
    for (size_t i = 0; i < sizeof int_fields / sizeof int_fields[0]; i++) {
        PyObject *v = PyDict_GetItemString(d, int_fields[i].key);
        int64_t n;
        int flag;
        if (!v || v == Py_None)
            continue;
        if (int_fields[i].kind == AS_FLAG) {
            if (pyp_flag(v, &flag) < 0)
                return -1;
            n = flag;
        } else if (pyp_int64(v, int_fields[i].key, &n) < 0)
            return -1;
        if (int_fields[i].kind != AS_INT && (n < 0 || n > 1000)) {
            pyp_raise_code(PSS_EINVAL, "an enum field of the config is out of range");
            return -1;
        }
        if (i == 0 && (n < PSS_EXPONENT_MIN || n > PSS_EXPONENT_MAX)) {
            pyp_raise_code(PSS_EINVAL, "exponent must be 0..4");
            return -1;
        }
        set_int(in, i, n);
    }
    return 0;
}

static int read_scalars(PyObject *d, pyp_keep *keep, pss_config_input *in)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "config fields must be a dict");
        return -1;
    }
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        PyObject *v = PyDict_GetItemString(d, text_fields[i].key);
        const char **slot = (const char **)(void *)((char *)in + text_fields[i].offset);
        if (v && pyp_text(v, text_fields[i].key, 1, keep, slot) < 0)
            return -1;
    }
    if (read_ints(d, in) < 0)
        return -1;
    PyObject *v = PyDict_GetItemString(d, "max_difference");
    if (v && v != Py_None && pyp_fixed(v, in->currency_exponent, "max_difference",
                                       &in->max_difference) < 0)
        return -1;
    v = PyDict_GetItemString(d, "cash_rounding_increment");
    if (v && v != Py_None && pyp_fixed(v, in->currency_exponent, "cash_rounding_increment",
                                       &in->cash_rounding_increment) < 0)
        return -1;
    return 0;
}

/* (name, kind, account, electronic), made by the Python layer */
static int add_method(pss_config *c, PyObject *t, Py_ssize_t i, pyp_keep *keep)
{
    (void)i;
    PyObject *name, *kind, *account, *electronic;
    pss_method_input m = PSS_METHOD_INPUT_INIT;
    int64_t k;
    if (!PyArg_ParseTuple(t, "OOOO:method", &name, &kind, &account, &electronic) ||
        pyp_text(name, "method name", 0, keep, &m.name) < 0 ||
        pyp_int64(kind, "method kind", &k) < 0 ||
        pyp_text(account, "method account", 1, keep, &m.account) < 0 ||
        pyp_flag(electronic, &m.electronic) < 0)
        return PYP_PYERR;
    m.kind = (pss_method_kind)k;
    return pss_config_add_method(c, &m);
}

/* (code, name, rate percent, included, account, per_unit, affects_base), made by the
 * Python layer. per_unit is money (the config's currency, per unit of quantity); a negative
 * one is refused here, in the currency, before the library would name it in minor units. */
static int add_tax(pss_config *c, PyObject *t, Py_ssize_t i, pyp_keep *keep)
{
    (void)i;
    PyObject *code, *name, *rate, *included, *account, *per_unit, *affects_base;
    pss_tax_input x = PSS_TAX_INPUT_INIT;
    if (!PyArg_ParseTuple(t, "OOOOOOO:tax", &code, &name, &rate, &included, &account,
                          &per_unit, &affects_base) ||
        pyp_text(code, "tax code", 0, keep, &x.code) < 0 ||
        pyp_text(name, "tax name", 1, keep, &x.name) < 0 ||
        pyp_fixed(rate, 4, "tax rate (percent)", &x.rate_ppm) < 0 ||
        pyp_flag(included, &x.included) < 0 ||
        pyp_text(account, "tax account", 1, keep, &x.account) < 0 ||
        pyp_fixed(per_unit, pss_config_exponent(c), "tax per_unit", &x.per_unit) < 0 ||
        pyp_flag(affects_base, &x.affects_base) < 0)
        return PYP_PYERR;
    if (x.per_unit < 0) {
        char amount[PSS_MONEY_BUFSIZE], detail[200];
        pss_money_format(x.per_unit, pss_config_exponent(c), amount, sizeof amount);
        snprintf(detail, sizeof detail, "tax '%.64s' has %s per unit; a fixed tax is 0 or more",
                 x.code, amount);
        pyp_raise_code(PSS_EINVAL, detail);
        return PYP_PYERR;
    }
    return pss_config_add_tax(c, &x);
}

/* (category, income account), as the user gave it: any pair */
static int add_category(pss_config *c, PyObject *t, Py_ssize_t i, pyp_keep *keep)
{
    PyObject *name, *account;
    const char *n, *a;
    if (pyp_pair(t, "category", i, "(category, account)", &name, &account) < 0 ||
        pyp_text(name, "category", 0, keep, &n) < 0 ||
        pyp_text(account, "category account", 0, keep, &a) < 0)
        return PYP_PYERR;
    return pss_config_add_category(c, n, a);
}

static int add_denomination(pss_config *c, PyObject *v, Py_ssize_t i, pyp_keep *keep)
{
    (void)i;
    (void)keep;
    int64_t value;
    if (pyp_fixed(v, pss_config_exponent(c), "denomination", &value) < 0)
        return PYP_PYERR;
    return pss_config_add_denomination(c, value);
}

/* Adds one item: 0, a library code, or PYP_PYERR. */
typedef int (*adder)(pss_config *, PyObject *, Py_ssize_t, pyp_keep *);

/* Adds every item of a sequence: 0, the library's code, or PYP_PYERR. */
static int add_all(pss_config *c, PyObject *seq, adder add, pyp_keep *keep)
{
    PyObject *fast = PySequence_Fast(seq, "config parts must be sequences");
    if (!fast)
        return PYP_PYERR;
    int rc = 0;
    for (Py_ssize_t i = 0; !rc && i < PySequence_Size(fast); i++) {
        PyObject *item = PySequence_GetItem(fast, i);
        rc = item ? add(c, item, i, keep) : PYP_PYERR;
        Py_XDECREF(item);
    }
    Py_DECREF(fast);
    return rc;
}

/* 0, the library's code (its detail is on the context), or PYP_PYERR. */
int pyp_config_build(pyp_context *ctx, PyObject *args, pss_config **out)
{
    PyObject *scalars, *methods, *taxes, *categories, *denominations;
    if (!PyArg_ParseTuple(args, "OOOOO:config_new", &scalars, &methods, &taxes, &categories,
                          &denominations))
        return PYP_PYERR;
    pyp_keep *keep = pyp_keep_new();
    pss_config_input in = PSS_CONFIG_INPUT_INIT;
    if (!keep || read_scalars(scalars, keep, &in) < 0) {
        Py_XDECREF(keep);
        return PYP_PYERR;
    }
    int rc = pss_config_new(ctx->ctx, &in, out);
    if (!rc)
        rc = add_all(*out, methods, add_method, keep);
    if (!rc)
        rc = add_all(*out, taxes, add_tax, keep);
    if (!rc)
        rc = add_all(*out, categories, add_category, keep);
    if (!rc)
        rc = add_all(*out, denominations, add_denomination, keep);
    Py_DECREF(keep);
    if (rc) {
        pss_config_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- the handle ---- */

static void config_dealloc(PyObject *op)
{
    pyp_config *self = (pyp_config *)op;
    pss_config_free(self->config);
    Py_XDECREF(self->owner);
    pyp_free_self(op);
}

static PyObject *config_info(PyObject *op, PyObject *unused)
{
    (void)unused;
    const pss_config *c = ((pyp_config *)op)->config;
    int exp = pss_config_exponent(c);
    PyObject *d = PyDict_New();
    PyObject *methods = PyList_New(0);
    for (size_t i = 0; methods && i < pss_config_method_count(c); i++) {
        PyObject *name = pyp_str_or_none(pss_config_method_name(c, i));
        if (!name || PyList_Append(methods, name) < 0)
            Py_CLEAR(methods);
        Py_XDECREF(name);
    }
    if (!d || pyp_put(d, "id", pyp_str_or_none(pss_config_id(c))) < 0 ||
        pyp_put(d, "name", pyp_str_or_none(pss_config_name(c))) < 0 ||
        pyp_put(d, "currency", pyp_str_or_none(pss_config_currency(c))) < 0 ||
        pyp_put(d, "exponent", PyLong_FromLong(exp)) < 0 ||
        pyp_put(d, "max_difference", pyp_decimal(pss_config_max_difference(c), exp, 0)) < 0 ||
        pyp_put(d, "methods", methods) < 0) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *config_validate(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_config *self = (pyp_config *)op;
    if (pyp_enter(self->owner) < 0 ||
        pyp_leave(self->owner, pss_config_validate(self->config), -1) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *config_save(PyObject *op, PyObject *actor)
{
    pyp_config *self = (pyp_config *)op;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    int ok = keep && !pyp_actor(actor, keep, &a) && !pyp_enter(self->owner) &&
             !pyp_leave(self->owner, pss_config_save(self->config, &a),
                        pss_config_exponent(self->config));
    Py_XDECREF(keep);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *config_to_json(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_config *self = (pyp_config *)op;
    char *json = NULL;
    int rc = pss_config_to_json(self->config, &json);
    if (rc)
        return pyp_raise_code(rc, "cannot write the config as JSON");
    PyObject *text = pyp_str_or_none(json);
    pss_free(self->owner->ctx, json);
    return text;
}

static PyMethodDef config_methods[] = {
    {"info", config_info, METH_NOARGS, NULL},
    {"validate", config_validate, METH_NOARGS, NULL},
    {"save", config_save, METH_O, NULL},
    {"to_json", config_to_json, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot config_slots[] = {
    {Py_tp_new, (void *)pyp_no_new},
    {Py_tp_dealloc, (void *)config_dealloc},
    {Py_tp_methods, config_methods},
    {Py_tp_doc, (void *)"A register's config (internal handle)."},
    {0, NULL},
};

PyType_Spec pyp_Config_spec = {
    "possession._possession.Config", sizeof(pyp_config), 0, Py_TPFLAGS_DEFAULT, config_slots,
};
