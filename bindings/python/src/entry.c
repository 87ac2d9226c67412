/* entry.c: what a closed session leaves: the Entry handle (lines, products, ledger and CSV
 * export to a str or a file), the report snapshot (figures, per method, tax and product, and
 * its text), and the audit trail as a list, every amount as Decimal in its currency. */
#include "pyposs.h"

#include <string.h>

PyTypeObject *pyp_Entry_Type;

/* ---- entry ---- */

static int live(pyp_entry *self)
{
    if (self->entry)
        return 0;
    PyErr_SetString(PyExc_ValueError, "the entry handle was released");
    return -1;
}

static void entry_dealloc(PyObject *op)
{
    pyp_entry *self = (pyp_entry *)op;
    pss_entry_free(self->entry);
    Py_XDECREF(self->owner);
    pyp_free_self(op);
}

static PyObject *entry_release(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_entry *self = (pyp_entry *)op;
    pss_entry_free(self->entry);
    self->entry = NULL;
    Py_RETURN_NONE;
}

static PyObject *entry_lines(const pss_entry *en, int e)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_entry_line_count(en); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        pss_entry_get_line(en, i, &l);
        PyObject *d = PyDict_New();
        pyp_set(&d, "account", pyp_str_or_none(l.account));
        pyp_set(&d, "debit", pyp_decimal(l.debit, e, 0));
        pyp_set(&d, "credit", pyp_decimal(l.credit, e, 0));
        pyp_set(&d, "label", pyp_str_or_none(l.label));
        pyp_set(&d, "kind", pyp_str_or_none(l.kind));
        pyp_set(&d, "method", pyp_str_or_none(l.method));
        pyp_set(&d, "tax", pyp_str_or_none(l.tax));
        pyp_set(&d, "partner", pyp_str_or_none(pss_entry_line_partner(en, i)));
        pyp_append(&list, d);
    }
    return list;
}

static PyObject *entry_products(const pss_entry *en)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_entry_product_count(en); i++) {
        pss_entry_product p = PSS_ENTRY_PRODUCT_INIT;
        pss_entry_get_product(en, i, &p);
        PyObject *d = PyDict_New();
        pyp_set(&d, "product_id", pyp_str_or_none(p.product_id));
        pyp_set(&d, "name", pyp_str_or_none(p.name));
        pyp_set(&d, "quantity", pyp_decimal(p.quantity, 3, 0));
        pyp_append(&list, d);
    }
    return list;
}

static PyObject *entry_info(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_entry *self = (pyp_entry *)op;
    if (live(self) < 0)
        return NULL;
    const pss_entry *en = self->entry;
    int e = pss_entry_exponent(en);
    PyObject *d = PyDict_New();
    pyp_set(&d, "id", pyp_str_or_none(pss_entry_id(en)));
    pyp_set(&d, "session_id", pyp_str_or_none(pss_entry_session_id(en)));
    pyp_set(&d, "reference", pyp_str_or_none(pss_entry_reference(en)));
    pyp_set(&d, "date", pyp_str_or_none(pss_entry_date(en)));
    pyp_set(&d, "currency", pyp_str_or_none(pss_entry_currency(en)));
    pyp_set(&d, "exponent", PyLong_FromLong(e));
    pyp_set(&d, "total", pyp_decimal(pss_entry_total(en), e, 0));
    pyp_set(&d, "lines", entry_lines(en, e));
    pyp_set(&d, "products", entry_products(en));
    return d;
}

/* Runs one export to a str (file None) or a file-like object. The writers need no store;
 * the context only records their failure. */
static PyObject *export(pyp_entry *self, PyObject *file, int csv, int header)
{
    if (live(self) < 0 || pyp_enter(self->owner) < 0)
        return NULL;
    pyp_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = self->owner;
    w.file = file == Py_None ? NULL : file;
    int rc = csv ? pss_journal_write_csv(self->entry, header, pyp_write_cb, &w)
                 : pss_journal_write_ledger(self->entry, pyp_write_cb, &w);
    PyObject *text = pyp_writer_finish(&w);
    if (pyp_leave(self->owner, rc, pss_entry_exponent(self->entry)) < 0) {
        Py_XDECREF(text);
        return NULL;
    }
    return text;
}

static PyObject *entry_ledger(PyObject *op, PyObject *args)
{
    PyObject *file = Py_None;
    if (!PyArg_ParseTuple(args, "|O:ledger", &file))
        return NULL;
    return export((pyp_entry *)op, file, 0, 0);
}

static PyObject *entry_csv(PyObject *op, PyObject *args)
{
    PyObject *file = Py_None;
    int header = 1;
    if (!PyArg_ParseTuple(args, "|pO:csv", &header, &file))
        return NULL;
    return export((pyp_entry *)op, file, 1, header);
}

static PyMethodDef entry_methods[] = {
    {"info", entry_info, METH_NOARGS, NULL},
    {"release", entry_release, METH_NOARGS, NULL},
    {"ledger", entry_ledger, METH_VARARGS, NULL},
    {"csv", entry_csv, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot entry_slots[] = {
    {Py_tp_new, (void *)pyp_no_new},
    {Py_tp_dealloc, (void *)entry_dealloc},
    {Py_tp_methods, entry_methods},
    {Py_tp_doc, (void *)"A posted journal entry (internal handle)."},
    {0, NULL},
};

PyType_Spec pyp_Entry_spec = {
    "possession._possession.Entry", sizeof(pyp_entry), 0, Py_TPFLAGS_DEFAULT, entry_slots,
};

/* ---- report ---- */

typedef enum scale { MONEY, MONEY_OR_UNSET, COUNT, TIME } scale;

static const struct {
    pss_report_figure figure;
    const char *name;
    scale scale;
} report_figures[] = {
    {PSS_FIG_OPENING_EXPECTED, "opening_expected", MONEY},
    {PSS_FIG_OPENING_COUNTED, "opening_counted", MONEY_OR_UNSET},
    {PSS_FIG_OPENING_DIFFERENCE, "opening_difference", MONEY},
    {PSS_FIG_CASH_PAYMENTS, "cash_payments", MONEY},
    {PSS_FIG_CHANGE, "change", MONEY},
    {PSS_FIG_CASH_IN, "cash_in", MONEY},
    {PSS_FIG_CASH_OUT, "cash_out", MONEY},
    {PSS_FIG_EXPENSES, "expenses", MONEY},
    {PSS_FIG_CORRECTIONS, "corrections", MONEY},
    {PSS_FIG_EXPECTED_CASH, "expected_cash", MONEY},
    {PSS_FIG_COUNTED_CASH, "counted_cash", MONEY_OR_UNSET},
    {PSS_FIG_DIFFERENCE, "difference", MONEY},
    {PSS_FIG_ALLOWED, "allowed", MONEY},
    {PSS_FIG_ORDERS, "orders", COUNT},
    {PSS_FIG_REFUNDS, "refunds", COUNT},
    {PSS_FIG_CANCELLED, "cancelled", COUNT},
    {PSS_FIG_DRAFTS, "drafts", COUNT},
    {PSS_FIG_PENDING, "pending_payments", COUNT},
    {PSS_FIG_POSTED_TOTAL, "posted_total", MONEY},
    {PSS_FIG_CURRENT_TOTAL, "current_total", MONEY},
    {PSS_FIG_ROUNDING, "rounding", MONEY},
    {PSS_FIG_INVOICED, "invoiced", MONEY},
    {PSS_FIG_UNTAXED, "untaxed", MONEY},
    {PSS_FIG_TAX, "tax", MONEY},
    {PSS_FIG_OPENED_AT, "opened_at", TIME},
    {PSS_FIG_CLOSED_AT, "closed_at", TIME},
    {PSS_FIG_CREATED_AT, "created_at", TIME},
};

static const struct {
    pss_report_text text;
    const char *name;
} report_texts[] = {
    {PSS_TEXT_SESSION_NAME, "session_name"},   {PSS_TEXT_SESSION_ID, "session_id"},
    {PSS_TEXT_CONFIG_NAME, "config_name"},     {PSS_TEXT_CURRENCY, "currency"},
    {PSS_TEXT_OPERATING_DATE, "operating_date"}, {PSS_TEXT_STATE, "state"},
    {PSS_TEXT_OPENED_BY, "opened_by"},         {PSS_TEXT_CLOSED_BY, "closed_by"},
    {PSS_TEXT_RESPONSIBLE, "responsible"},     {PSS_TEXT_ENTRY_ID, "entry_id"},
    {PSS_TEXT_OPENING_NOTE, "opening_note"},   {PSS_TEXT_CLOSING_NOTE, "closing_note"},
};

static PyObject *figure_value(int64_t v, scale sc, int e)
{
    switch (sc) {
    case COUNT: return PyLong_FromLongLong(v);
    case TIME: return PyLong_FromLongLong(v);
    case MONEY_OR_UNSET: return pyp_decimal(v, e, 1);
    default: return pyp_decimal(v, e, 0);
    }
}

static PyObject *report_methods(const pss_report *r, int e)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_report_method_count(r); i++) {
        pss_report_method m = PSS_REPORT_METHOD_INIT;
        pss_report_get_method(r, i, &m);
        PyObject *d = PyDict_New();
        pyp_set(&d, "name", pyp_str_or_none(m.name));
        pyp_set(&d, "account", pyp_str_or_none(m.account));
        pyp_set(&d, "is_cash", PyBool_FromLong(m.is_cash));
        pyp_set(&d, "payments", PyLong_FromLongLong(m.payments));
        pyp_set(&d, "amount", pyp_decimal(m.amount, e, 0));
        pyp_set(&d, "change", pyp_decimal(m.change, e, 0));
        pyp_set(&d, "net", pyp_decimal(m.net, e, 0));
        pyp_set(&d, "expected", pyp_decimal(m.expected, e, 0));
        pyp_set(&d, "counted", pyp_decimal(m.counted, e, 1));
        pyp_set(&d, "difference", pyp_decimal(m.difference, e, 0));
        pyp_append(&list, d);
    }
    return list;
}

static PyObject *report_taxes(const pss_report *r, int e)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_report_tax_count(r); i++) {
        pss_report_tax t = PSS_REPORT_TAX_INIT;
        pss_report_get_tax(r, i, &t);
        PyObject *d = PyDict_New();
        pyp_set(&d, "code", pyp_str_or_none(t.code));
        pyp_set(&d, "account", pyp_str_or_none(t.account));
        pyp_set(&d, "base", pyp_decimal(t.base, e, 0));
        pyp_set(&d, "amount", pyp_decimal(t.amount, e, 0));
        pyp_set(&d, "refund_base", pyp_decimal(t.refund_base, e, 0));
        pyp_set(&d, "refund_amount", pyp_decimal(t.refund_amount, e, 0));
        pyp_append(&list, d);
    }
    return list;
}

static PyObject *report_products(const pss_report *r)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_report_product_count(r); i++) {
        pss_report_product p = PSS_REPORT_PRODUCT_INIT;
        pss_report_get_product(r, i, &p);
        PyObject *d = PyDict_New();
        pyp_set(&d, "product_id", pyp_str_or_none(p.product_id));
        pyp_set(&d, "name", pyp_str_or_none(p.name));
        pyp_set(&d, "sold", pyp_decimal(p.sold, 3, 0));
        pyp_set(&d, "refunded", pyp_decimal(p.refunded, 3, 0));
        pyp_set(&d, "net", pyp_decimal(p.net, 3, 0));
        pyp_append(&list, d);
    }
    return list;
}

PyObject *pyp_report_snapshot(pyp_context *ctx, pss_report *r, int e)
{
    PyObject *figures = PyDict_New();
    for (size_t i = 0; i < sizeof report_figures / sizeof report_figures[0]; i++)
        pyp_set(&figures, report_figures[i].name,
                figure_value(pss_report_get(r, report_figures[i].figure), report_figures[i].scale, e));
    PyObject *texts = PyDict_New();
    for (size_t i = 0; i < sizeof report_texts / sizeof report_texts[0]; i++)
        pyp_set(&texts, report_texts[i].name,
                pyp_str_or_none(pss_report_text_of(r, report_texts[i].text)));
    pyp_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    int rc = pss_report_write_text(r, pyp_write_cb, &w);
    PyObject *text = pyp_writer_finish(&w);
    if (rc) {
        Py_XDECREF(text);
        text = NULL;
        pyp_raise_code(rc, "cannot render the report");
    }
    PyObject *d = PyDict_New();
    pyp_set(&d, "figures", figures);
    pyp_set(&d, "texts", texts);
    pyp_set(&d, "methods", report_methods(r, e));
    pyp_set(&d, "taxes", report_taxes(r, e));
    pyp_set(&d, "products", report_products(r));
    pyp_set(&d, "text", text);
    return d;
}

/* ---- audit ---- */

/* The currency exponent of a config, cached per config for one listing. Configs that cannot
 * be loaded (deleted, another store) give -1: their figures stay in minor units. */
static int exponent_of(pyp_context *ctx, PyObject *cache, const char *config_id)
{
    if (!config_id || !config_id[0])
        return -1;
    PyObject *hit = PyDict_GetItemString(cache, config_id);
    if (hit)
        return (int)PyLong_AsLong(hit);
    pss_config *c = NULL;
    int e = -1;
    if (pyp_enter(ctx) == 0) {
        int rc = pss_config_load(ctx->ctx, config_id, &c);
        ctx->in_call = 0;
        Py_CLEAR(ctx->pending);
        e = rc ? -1 : pss_config_exponent(c);
        pss_config_free(c);
    } else
        PyErr_Clear();
    PyObject *v = PyLong_FromLong(e);
    if (v)
        PyDict_SetItemString(cache, config_id, v);
    Py_XDECREF(v);
    PyErr_Clear();
    return e;
}

static PyObject *audit_record(const pss_audit_record *a, int e)
{
    PyObject *d = PyDict_New();
    pyp_set(&d, "seq", PyLong_FromUnsignedLongLong(a->seq));
    pyp_set(&d, "time", PyLong_FromLongLong(a->time));
    pyp_set(&d, "user", pyp_str_or_none(a->user));
    pyp_set(&d, "role", PyLong_FromLong((long)a->role));
    pyp_set(&d, "device", pyp_str_or_none(a->device));
    pyp_set(&d, "action", pyp_str_or_none(a->action));
    pyp_set(&d, "session_id", pyp_str_or_none(a->session_id));
    pyp_set(&d, "config_id", pyp_str_or_none(a->config_id));
    pyp_set(&d, "outcome", PyLong_FromLong(a->outcome));
    pyp_set(&d, "detail", pyp_str_or_none(a->detail));
    pyp_set(&d, "reason", pyp_str_or_none(a->reason));
    pyp_set(&d, "expected", a->expected == PSS_UNSET ? (Py_INCREF(Py_None), Py_None) : pyp_money(a->expected, e));
    pyp_set(&d, "counted", a->counted == PSS_UNSET ? (Py_INCREF(Py_None), Py_None) : pyp_money(a->counted, e));
    pyp_set(&d, "difference", a->difference == PSS_UNSET ? (Py_INCREF(Py_None), Py_None) : pyp_money(a->difference, e));
    pyp_set(&d, "allowed", a->allowed == PSS_UNSET ? (Py_INCREF(Py_None), Py_None) : pyp_money(a->allowed, e));
    pyp_set(&d, "json", pyp_str_or_none(a->json));
    return d;
}

PyObject *pyp_audit_list(pyp_context *ctx, pss_audit *audit)
{
    PyObject *cache = PyDict_New();
    PyObject *list = cache ? PyList_New(0) : NULL;
    for (size_t i = 0; list && i < pss_audit_count(audit); i++) {
        pss_audit_record a = PSS_AUDIT_RECORD_INIT;
        if (pss_audit_get(audit, i, &a) != 0)
            continue;
        pyp_append(&list, audit_record(&a, exponent_of(ctx, cache, a.config_id)));
    }
    Py_XDECREF(cache);
    return list;
}
