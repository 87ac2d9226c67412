/* order.c: the Order handle: lines, payments (add, confirm, fail, void), cancel, validate,
 * the invoiced flag, and a snapshot of its figures as Decimal. */
#include "pyposs.h"

PyTypeObject *pyp_Order_Type;

static int live(pyp_order *self)
{
    if (self->order)
        return 0;
    PyErr_SetString(PyExc_ValueError, "the order handle was released");
    return -1;
}

static void order_dealloc(PyObject *op)
{
    pyp_order *self = (pyp_order *)op;
    pss_order_free(self->order);
    Py_XDECREF(self->owner);
    pyp_free_self(op);
}

static PyObject *order_release(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_order *self = (pyp_order *)op;
    if (self->owner->in_call) {
        PyErr_SetString(PyExc_RuntimeError, "cannot release a handle during a call");
        return NULL;
    }
    pss_order_free(self->order);
    self->order = NULL;
    Py_RETURN_NONE;
}

static PyObject *result(int rc, PyObject *value)
{
    if (rc < 0) {
        Py_XDECREF(value);
        return NULL;
    }
    return value;
}

/* ---- snapshot ---- */

static PyObject *totals_of(const pss_order *o, int e)
{
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    pss_order_get_totals(o, &t);
    PyObject *d = PyDict_New();
    pyp_set(&d, "untaxed", pyp_decimal(t.untaxed, e, 0));
    pyp_set(&d, "tax", pyp_decimal(t.tax, e, 0));
    pyp_set(&d, "total", pyp_decimal(t.total, e, 0));
    pyp_set(&d, "rounding", pyp_decimal(t.rounding, e, 0));
    pyp_set(&d, "due", pyp_decimal(t.due, e, 0));
    pyp_set(&d, "paid", pyp_decimal(t.paid, e, 0));
    pyp_set(&d, "pending", pyp_decimal(t.pending, e, 0));
    pyp_set(&d, "change", pyp_decimal(t.change, e, 0));
    pyp_set(&d, "remaining", pyp_decimal(t.remaining, e, 0));
    pyp_set(&d, "cash_due", pyp_decimal(t.cash_due, e, 0));
    return d;
}

static PyObject *line_taxes(const pss_order *o, size_t line, size_t n)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < n; i++)
        pyp_append(&list, pyp_str_or_none(pss_order_line_tax(o, line, i)));
    return list;
}

static PyObject *line_of(const pss_order *o, size_t i, int e)
{
    pss_line_info l = PSS_LINE_INFO_INIT;
    pss_order_get_line(o, i, &l);
    PyObject *d = PyDict_New();
    pyp_set(&d, "product_id", pyp_str_or_none(l.product_id));
    pyp_set(&d, "name", pyp_str_or_none(l.product_name));
    pyp_set(&d, "category", pyp_str_or_none(l.category));
    pyp_set(&d, "income_account", pyp_str_or_none(l.income_account));
    pyp_set(&d, "quantity", pyp_decimal(l.quantity, 3, 0));
    pyp_set(&d, "price", pyp_decimal(l.unit_price, e, 0));
    pyp_set(&d, "discount", pyp_decimal(l.discount_ppm, 4, 0));
    pyp_set(&d, "untaxed", pyp_decimal(l.untaxed, e, 0));
    pyp_set(&d, "tax", pyp_decimal(l.tax, e, 0));
    pyp_set(&d, "total", pyp_decimal(l.total, e, 0));
    pyp_set(&d, "taxes", line_taxes(o, i, l.n_taxes));
    pyp_set(&d, "refund_line",
            l.refund_line < 0 ? (Py_INCREF(Py_None), Py_None) : PyLong_FromLongLong(l.refund_line));
    pyp_set(&d, "order_discount", pyp_decimal(pss_order_line_discount_share(o, i), e, 0));
    return d;
}

/* The order discount as given (an amount or a percent) and what it took off the lines, or
 * None when the order has none. */
static PyObject *discount_of(const pss_order *o, int e)
{
    int64_t amount = 0, ppm = 0, applied = 0;
    pss_order_get_discount(o, &amount, &ppm, &applied);
    if (!amount && !ppm)
        Py_RETURN_NONE;
    PyObject *d = PyDict_New();
    pyp_set(&d, "amount", amount ? pyp_decimal(amount, e, 0) : (Py_INCREF(Py_None), Py_None));
    pyp_set(&d, "percent", ppm ? pyp_decimal(ppm, 4, 0) : (Py_INCREF(Py_None), Py_None));
    pyp_set(&d, "applied", pyp_decimal(applied, e, 0));
    return d;
}

static PyObject *tax_of(const pss_order *o, size_t i, int e)
{
    pss_tax_info t = PSS_TAX_INFO_INIT;
    pss_order_get_tax(o, i, &t);
    PyObject *d = PyDict_New();
    pyp_set(&d, "code", pyp_str_or_none(t.code));
    pyp_set(&d, "account", pyp_str_or_none(t.account));
    pyp_set(&d, "rate", pyp_decimal(t.rate_ppm, 4, 0));
    pyp_set(&d, "included", PyBool_FromLong(t.included));
    pyp_set(&d, "base", pyp_decimal(t.base, e, 0));
    pyp_set(&d, "amount", pyp_decimal(t.amount, e, 0));
    return d;
}

static PyObject *payment_of(const pss_order *o, size_t i, int e)
{
    pss_payment_info p = PSS_PAYMENT_INFO_INIT;
    pss_order_get_payment(o, i, &p);
    PyObject *d = PyDict_New();
    pyp_set(&d, "method", pyp_str_or_none(p.method));
    pyp_set(&d, "amount", pyp_decimal(p.amount, e, 0));
    pyp_set(&d, "state", pyp_str_or_none(pss_payment_state_name(p.state)));
    pyp_set(&d, "change", pyp_decimal(p.change, e, 0));
    pyp_set(&d, "reference", pyp_str_or_none(p.reference));
    return d;
}

typedef PyObject *(*item_fn)(const pss_order *, size_t, int);

static PyObject *items(const pss_order *o, size_t n, int e, item_fn fn)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < n; i++)
        pyp_append(&list, fn(o, i, e));
    return list;
}

static PyObject *order_info(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_order *self = (pyp_order *)op;
    if (live(self) < 0)
        return NULL;
    const pss_order *o = self->order;
    int e = self->exponent;
    PyObject *d = PyDict_New();
    pyp_set(&d, "id", pyp_str_or_none(pss_order_id(o)));
    pyp_set(&d, "session_id", pyp_str_or_none(pss_order_session_id(o)));
    pyp_set(&d, "number", PyLong_FromLongLong(pss_order_number(o)));
    pyp_set(&d, "state", pyp_str_or_none(pss_order_state_name(pss_order_state_of(o))));
    pyp_set(&d, "refund_of", pyp_str_or_none(pss_order_refund_of(o)));
    pyp_set(&d, "invoiced", PyBool_FromLong(pss_order_is_invoiced(o)));
    pyp_set(&d, "discount", discount_of(o, e));
    pyp_set(&d, "customer", pyp_str_or_none(pss_order_customer(o)));
    pyp_set(&d, "return_reason", pyp_str_or_none(pss_order_return_reason(o)));
    pyp_set(&d, "totals", totals_of(o, e));
    pyp_set(&d, "lines", items(o, pss_order_line_count(o), e, line_of));
    pyp_set(&d, "taxes", items(o, pss_order_tax_count(o), e, tax_of));
    pyp_set(&d, "payments", items(o, pss_order_payment_count(o), e, payment_of));
    return d;
}

/* ---- changes ---- */

static PyObject *order_add_line(PyObject *op, PyObject *args)
{
    pyp_order *self = (pyp_order *)op;
    PyObject *actor, *line;
    if (!PyArg_ParseTuple(args, "OO:add_line", &actor, &line) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_line_input in;
    size_t index = 0;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_line_input(line, self->exponent, keep, &in) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_order_add_line(self->order, &a, &in, &index));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : PyLong_FromSize_t(index));
}

static PyObject *order_add_payment(PyObject *op, PyObject *args)
{
    pyp_order *self = (pyp_order *)op;
    PyObject *actor, *payment;
    if (!PyArg_ParseTuple(args, "OO:add_payment", &actor, &payment) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_payment_input in;
    size_t index = 0;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_payment_input(payment, self->exponent, keep, &in) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_order_add_payment(self->order, &a, &in, &index));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : PyLong_FromSize_t(index));
}

/* Calls taking (actor, index) or (actor, index, reason). */
typedef int (*index_call)(pss_order *, const pss_actor *, size_t);
typedef int (*index_reason_call)(pss_order *, const pss_actor *, size_t, const char *);

static PyObject *with_index(PyObject *op, PyObject *args, index_call fn, index_reason_call rfn)
{
    pyp_order *self = (pyp_order *)op;
    PyObject *actor, *reason = Py_None;
    Py_ssize_t index;
    if (!PyArg_ParseTuple(args, "On|O", &actor, &index, &reason) || live(self) < 0)
        return NULL;
    if (index < 0) {
        PyErr_SetString(PyExc_IndexError, "index must not be negative");
        return NULL;
    }
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    const char *why = NULL;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 || pyp_text(reason, "reason", 1, keep, &why) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            fn ? fn(self->order, &a, (size_t)index)
                               : rfn(self->order, &a, (size_t)index, why));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : (Py_INCREF(Py_None), Py_None));
}

static PyObject *order_remove_line(PyObject *op, PyObject *args)
{
    return with_index(op, args, pss_order_remove_line, NULL);
}

static PyObject *order_confirm_payment(PyObject *op, PyObject *args)
{
    return with_index(op, args, pss_order_confirm_payment, NULL);
}

static PyObject *order_fail_payment(PyObject *op, PyObject *args)
{
    return with_index(op, args, NULL, pss_order_fail_payment);
}

static PyObject *order_void_payment(PyObject *op, PyObject *args)
{
    return with_index(op, args, NULL, pss_order_void_payment);
}

static PyObject *order_cancel(PyObject *op, PyObject *args)
{
    pyp_order *self = (pyp_order *)op;
    PyObject *actor, *reason;
    if (!PyArg_ParseTuple(args, "OO:cancel", &actor, &reason) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    const char *why;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 || pyp_text(reason, "reason", 1, keep, &why) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_order_cancel(self->order, &a, why));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : (Py_INCREF(Py_None), Py_None));
}

static PyObject *order_validate(PyObject *op, PyObject *actor)
{
    pyp_order *self = (pyp_order *)op;
    if (live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_order_validate(self->order, &a));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : (Py_INCREF(Py_None), Py_None));
}

static PyObject *order_set_invoiced(PyObject *op, PyObject *args)
{
    pyp_order *self = (pyp_order *)op;
    PyObject *actor, *flag;
    if (!PyArg_ParseTuple(args, "OO:set_invoiced", &actor, &flag) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    int invoiced = 0;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 || pyp_flag(flag, &invoiced) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_order_set_invoiced(self->order, &a, invoiced));
    Py_XDECREF(keep);
    return result(rc, rc < 0 ? NULL : (Py_INCREF(Py_None), Py_None));
}

static PyMethodDef order_methods[] = {
    {"info", order_info, METH_NOARGS, NULL},
    {"release", order_release, METH_NOARGS, NULL},
    {"add_line", order_add_line, METH_VARARGS, NULL},
    {"remove_line", order_remove_line, METH_VARARGS, NULL},
    {"add_payment", order_add_payment, METH_VARARGS, NULL},
    {"confirm_payment", order_confirm_payment, METH_VARARGS, NULL},
    {"fail_payment", order_fail_payment, METH_VARARGS, NULL},
    {"void_payment", order_void_payment, METH_VARARGS, NULL},
    {"cancel", order_cancel, METH_VARARGS, NULL},
    {"validate", order_validate, METH_O, NULL},
    {"set_invoiced", order_set_invoiced, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot order_slots[] = {
    {Py_tp_new, (void *)pyp_no_new},
    {Py_tp_dealloc, (void *)order_dealloc},
    {Py_tp_methods, order_methods},
    {Py_tp_doc, (void *)"An order handle (internal)."},
    {0, NULL},
};

PyType_Spec pyp_Order_spec = {
    "possession._possession.Order", sizeof(pyp_order), 0, Py_TPFLAGS_DEFAULT, order_slots,
};
