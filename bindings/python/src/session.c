/* session.c: the Session handle: opening, take over, orders (create, submit, load), cash
 * movements, the close flow (start, count, close, reopen, force close), the report snapshot
 * and the posted entry. Every call is one library call; figures come back as Decimal. */
#include "pyposs.h"

#include <string.h>

PyTypeObject *pyp_Session_Type;

static int live(pyp_session *self)
{
    if (self->session)
        return 0;
    PyErr_SetString(PyExc_ValueError, "the session handle was released");
    return -1;
}

static void session_dealloc(PyObject *op)
{
    pyp_session *self = (pyp_session *)op;
    pss_session_free(self->session);
    Py_XDECREF(self->owner);
    pyp_free_self(op);
}

static PyObject *session_release(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    if (self->owner->in_call) {
        PyErr_SetString(PyExc_RuntimeError, "cannot release a handle during a call");
        return NULL;
    }
    pss_session_free(self->session);
    self->session = NULL;
    Py_RETURN_NONE;
}

static PyObject *none_or_null(int rc)
{
    if (rc < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- state ---- */

static PyObject *session_info(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    if (live(self) < 0)
        return NULL;
    const pss_session *s = self->session;
    int e = self->exponent;
    int64_t exp_open = 0, counted = PSS_UNSET, current = 0, posted = 0, cash = 0;
    size_t drafts = 0, pending = 0;
    pss_session_opening(s, &exp_open, &counted);
    pss_session_balance(s, &current, &posted);
    int cash_rc = pss_session_expected_cash(s, &cash);
    pss_session_blockers(s, &drafts, &pending);
    pss_session_state st = pss_session_state_of(s);
    PyObject *d = PyDict_New();
    pyp_set(&d, "id", pyp_str_or_none(pss_session_id(s)));
    pyp_set(&d, "name", pyp_str_or_none(pss_session_name(s)));
    pyp_set(&d, "config_id", pyp_str_or_none(pss_session_config_id(s)));
    pyp_set(&d, "state", pyp_str_or_none(pss_session_state_name(st)));
    pyp_set(&d, "user", pyp_str_or_none(pss_session_user(s)));
    pyp_set(&d, "lease_device", pyp_str_or_none(pss_session_lease_device(s)));
    pyp_set(&d, "lease_expires", PyLong_FromLongLong(pss_session_lease_expires(s)));
    pyp_set(&d, "operating_date", pyp_str_or_none(pss_session_operating_date(s)));
    pyp_set(&d, "is_rescue", PyBool_FromLong(pss_session_is_rescue(s)));
    pyp_set(&d, "opening_expected", pyp_decimal(exp_open, e, 1));
    pyp_set(&d, "opening_counted", pyp_decimal(counted, e, 1));
    pyp_set(&d, "current_balance", pyp_decimal(current, e, 0));
    pyp_set(&d, "posted_balance", pyp_decimal(posted, e, 0));
    if (cash_rc == 0)
        pyp_set(&d, "expected_cash", pyp_decimal(cash, e, 0));
    else
        pyp_set(&d, "expected_cash", (Py_INCREF(Py_None), Py_None));
    pyp_set(&d, "drafts", PyLong_FromSize_t(drafts));
    pyp_set(&d, "pending_payments", PyLong_FromSize_t(pending));
    pyp_set(&d, "currency", pyp_str_or_none(pss_config_currency(pss_session_config(s))));
    pyp_set(&d, "exponent", PyLong_FromLong(e));
    return d;
}

/* A copy of the session's config, so that the copy outlives a released session handle. */
static PyObject *session_config(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    char *json = NULL;
    pss_config *copy = NULL;
    if (live(self) < 0)
        return NULL;
    int rc = pss_config_to_json(pss_session_config(self->session), &json);
    if (rc)
        return pyp_raise_code(rc, "cannot copy the session's config");
    rc = PYP_CALL(self->owner, self->exponent, pss_config_from_json(self->owner->ctx, json, &copy));
    pss_free(self->owner->ctx, json);
    return rc < 0 ? NULL : pyp_config_wrap(self->owner, copy);
}

typedef int (*actor_call)(pss_session *, const pss_actor *);

static PyObject *with_actor(pyp_session *self, PyObject *actor, actor_call fn)
{
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    int rc = !keep || live(self) < 0 || pyp_actor(actor, keep, &a) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, fn(self->session, &a));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

static PyObject *session_start_opening(PyObject *op, PyObject *actor)
{
    return with_actor((pyp_session *)op, actor, pss_session_start_opening);
}

static PyObject *session_take_over(PyObject *op, PyObject *actor)
{
    return with_actor((pyp_session *)op, actor, pss_session_take_over);
}

static PyObject *session_heartbeat(PyObject *op, PyObject *actor)
{
    return with_actor((pyp_session *)op, actor, pss_session_heartbeat);
}

static PyObject *session_start_closing(PyObject *op, PyObject *actor)
{
    return with_actor((pyp_session *)op, actor, pss_session_start_closing);
}

static PyObject *session_open(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *counted, *note;
    if (!PyArg_ParseTuple(args, "OOO:open", &actor, &counted, &note) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_opening_input in = PSS_OPENING_INPUT_INIT;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_fixed_or_unset(counted, self->exponent, "counted_cash",
                                        &in.counted_cash) < 0 ||
                     pyp_text(note, "note", 1, keep, &in.note) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_session_open(self->session, &a, &in));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

typedef int (*plain_call)(pss_session *);

static PyObject *plain(PyObject *op, plain_call fn)
{
    pyp_session *self = (pyp_session *)op;
    if (live(self) < 0)
        return NULL;
    return none_or_null(PYP_CALL(self->owner, self->exponent, fn(self->session)));
}

static PyObject *session_refresh(PyObject *op, PyObject *unused)
{
    (void)unused;
    return plain(op, pss_session_refresh);
}

static PyObject *session_verify(PyObject *op, PyObject *unused)
{
    (void)unused;
    return plain(op, pss_session_verify);
}

/* ---- orders ---- */

/* The tax codes of a line, all of them: the library refuses more than it allows, with its
 * own message (and in a batch, for that order alone). */
static int line_taxes(PyObject *seq, pyp_keep *keep, pss_line_input *out)
{
    if (PyUnicode_Check(seq) || PyBytes_Check(seq)) {
        PyErr_SetString(PyExc_TypeError, "taxes must be a sequence of tax codes, not str");
        return -1;
    }
    PyObject *fast = PySequence_Fast(seq, "taxes must be a sequence of tax codes");
    if (!fast)
        return -1;
    Py_ssize_t n = PySequence_Size(fast);
    const char **codes = n < 0 ? NULL : pyp_keep_alloc(keep, (size_t)n, sizeof *codes);
    int rc = codes ? 0 : -1;
    for (Py_ssize_t i = 0; !rc && i < n; i++) {
        PyObject *code = PySequence_GetItem(fast, i);
        rc = code ? pyp_text(code, "tax code", 0, keep, &codes[i]) : -1;
        Py_XDECREF(code);
    }
    Py_DECREF(fast);
    out->taxes = n > 0 ? codes : NULL;
    out->n_taxes = (size_t)(n > 0 ? n : 0);
    return rc;
}

/* (product_id, name, category, quantity, unit_price, discount %, taxes, refund_line) */
int pyp_line_input(PyObject *t, int exponent, pyp_keep *keep, pss_line_input *out)
{
    PyObject *product, *name, *category, *qty, *price, *discount, *tax_seq, *refund;
    pss_line_input init = PSS_LINE_INPUT_INIT;
    *out = init;
    if (!PyArg_ParseTuple(t, "OOOOOOOO:line", &product, &name, &category, &qty, &price,
                          &discount, &tax_seq, &refund) ||
        pyp_text(product, "product_id", 1, keep, &out->product_id) < 0 ||
        pyp_text(name, "product name", 1, keep, &out->product_name) < 0 ||
        pyp_text(category, "category", 1, keep, &out->category) < 0 ||
        pyp_fixed(qty, 3, "quantity", &out->quantity) < 0 ||
        pyp_fixed(price, exponent, "price", &out->unit_price) < 0 ||
        pyp_fixed(discount, 4, "discount (percent)", &out->discount_ppm) < 0)
        return -1;
    if (refund != Py_None && pyp_int64(refund, "refund_line", &out->refund_line) < 0)
        return -1;
    return line_taxes(tax_seq, keep, out);
}

/* (method, amount, state or None, reference) */
int pyp_payment_input(PyObject *t, int exponent, pyp_keep *keep, pss_payment_input *out)
{
    PyObject *method, *amount, *state, *reference;
    pss_payment_input init = PSS_PAYMENT_INPUT_INIT;
    int64_t st = 0;
    *out = init;
    if (!PyArg_ParseTuple(t, "OOOO:payment", &method, &amount, &state, &reference) ||
        pyp_text(method, "payment method", 0, keep, &out->method) < 0 ||
        pyp_fixed(amount, exponent, "payment amount", &out->amount) < 0 ||
        (state != Py_None && pyp_int64(state, "payment state", &st) < 0) ||
        pyp_text(reference, "reference", 1, keep, &out->reference) < 0)
        return -1;
    out->state = (pss_payment_state)st;
    return 0;
}

/* The lines of an order; their arrays live in keep. */
static int build_lines(pss_order_input *in, PyObject *seq, int exponent, pyp_keep *keep)
{
    Py_ssize_t n = PySequence_Size(seq);
    pss_line_input *lines = n < 0 ? NULL : pyp_keep_alloc(keep, (size_t)n, sizeof *lines);
    if (!lines)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_GetItem(seq, i);
        int rc = t ? pyp_line_input(t, exponent, keep, &lines[i]) : -1;
        Py_XDECREF(t);
        if (rc < 0)
            return -1;
    }
    in->lines = n ? lines : NULL;
    in->n_lines = (size_t)n;
    return 0;
}

static int build_payments(pss_order_input *in, PyObject *seq, int exponent, pyp_keep *keep)
{
    Py_ssize_t n = PySequence_Size(seq);
    pss_payment_input *payments =
        n < 0 ? NULL : pyp_keep_alloc(keep, (size_t)n, sizeof *payments);
    if (!payments)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_GetItem(seq, i);
        int rc = t ? pyp_payment_input(t, exponent, keep, &payments[i]) : -1;
        Py_XDECREF(t);
        if (rc < 0)
            return -1;
    }
    in->payments = n ? payments : NULL;
    in->n_payments = (size_t)n;
    return 0;
}

/* An order's metadata: its JSON text or None, as the Python layer made it of a dict; or the
 * possession.Error that conversion raised (a NaN in a batch order's dict), raised here so
 * that a batch refuses that order alone, as it does an amount with too many decimals. */
static int order_meta(PyObject *meta, pyp_keep *keep, const char **out)
{
    if (PyExceptionInstance_Check(meta)) {
        *out = NULL;
        PyErr_SetObject((PyObject *)Py_TYPE(meta), meta);
        return -1;
    }
    return pyp_text(meta, "order meta", 1, keep, out);
}

/* The order's discount: an amount in the currency or a percent (4 decimals), None for none
 * (0, as the library reads it). Both given go to the library, which refuses them. */
static int order_discount(PyObject *amount, PyObject *percent, int exponent,
                          pss_order_input *in)
{
    if (amount != Py_None &&
        pyp_fixed(amount, exponent, "order discount", &in->discount_amount) < 0)
        return -1;
    if (percent != Py_None &&
        pyp_fixed(percent, 4, "order discount (percent)", &in->discount_ppm) < 0)
        return -1;
    return 0;
}

/* (id, refund_of, invoiced, note, lines, payments, meta, discount_amount, discount_percent,
 * customer, return_reason), made by the Python layer */
static int build_order(pss_order_input *in, PyObject *t, int exponent, pyp_keep *keep)
{
    PyObject *id, *refund_of, *invoiced, *note, *lines, *payments, *meta, *discount_amount,
        *discount_percent, *customer, *return_reason;
    pss_order_input init = PSS_ORDER_INPUT_INIT;
    *in = init;
    if (!PyArg_ParseTuple(t, "OOOOOOOOOOO:order", &id, &refund_of, &invoiced, &note, &lines,
                          &payments, &meta, &discount_amount, &discount_percent, &customer,
                          &return_reason) ||
        pyp_text(id, "order id", 1, keep, &in->id) < 0 ||
        pyp_text(refund_of, "refund_of", 1, keep, &in->refund_of) < 0 ||
        pyp_flag(invoiced, &in->invoiced) < 0 || pyp_text(note, "note", 1, keep, &in->note) < 0 ||
        pyp_text(customer, "customer", 1, keep, &in->customer) < 0 ||
        pyp_text(return_reason, "return_reason", 1, keep, &in->return_reason) < 0 ||
        order_meta(meta, keep, &in->meta) < 0 ||
        order_discount(discount_amount, discount_percent, exponent, in) < 0 ||
        build_lines(in, lines, exponent, keep) < 0 ||
        build_payments(in, payments, exponent, keep) < 0)
        return -1;
    return 0;
}

static PyObject *session_create_order(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *order;
    if (!PyArg_ParseTuple(args, "OO:create_order", &actor, &order) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_order_input in;
    pss_order *o = NULL;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     build_order(&in, order, self->exponent, keep) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_order_create(self->session, &a, &in, &o));
    Py_XDECREF(keep);
    return rc < 0 ? NULL : pyp_order_wrap(self->owner, o, self->exponent);
}

/* A result as a dict; detail: the binding's reason for refusing the order, else the
 * name of the library's code (its batch keeps no per-order message). */
static PyObject *submit_result(const pss_submit_result *r, PyObject *detail)
{
    PyObject *d = PyDict_New();
    pyp_set(&d, "status", PyLong_FromLong(r->status));
    pyp_set(&d, "duplicate", PyBool_FromLong(r->duplicate));
    pyp_set(&d, "routed", PyBool_FromLong(r->routed));
    pyp_set(&d, "rescue", PyBool_FromLong(r->rescue));
    pyp_set(&d, "order_id", pyp_str_or_none(r->order_id));
    pyp_set(&d, "session_id", pyp_str_or_none(r->session_id));
    pyp_set(&d, "state", pyp_str_or_none(r->state ? pss_order_state_name(r->state) : NULL));
    if (detail && detail != Py_None)
        Py_INCREF(detail);
    else
        detail = pyp_str_or_none(r->status ? pss_strerror(r->status) : NULL);
    pyp_set(&d, "detail", detail);
    return d;
}

static PyObject *session_submit(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *order;
    if (!PyArg_ParseTuple(args, "OO:submit", &actor, &order) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_order_input in;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     build_order(&in, order, self->exponent, keep) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_session_submit(self->session, &a, &in, &res));
    Py_XDECREF(keep);
    return rc < 0 ? NULL : submit_result(&res, NULL);
}

/* A batch as the library takes it, and what the binding keeps to answer per order. */
typedef struct batch {
    Py_ssize_t n;                 /* orders given */
    size_t m;                     /* orders handed to the library */
    pss_order_input *inputs;      /* m of them */
    const pss_order_input **ptrs; /* m pointers into inputs */
    pss_submit_result *lib;       /* the library's m results */
    Py_ssize_t *slot;             /* for each of the m, its index among the n */
    pss_submit_result *results;   /* n results in the caller's order */
    PyObject *details;            /* n details: a refusal's text, or None */
} batch;

static int batch_alloc(batch *b, Py_ssize_t n, pyp_keep *keep)
{
    size_t count = (size_t)n;
    memset(b, 0, sizeof *b);
    b->n = n;
    b->inputs = pyp_keep_alloc(keep, count, sizeof *b->inputs);
    b->ptrs = b->inputs ? pyp_keep_alloc(keep, count, sizeof *b->ptrs) : NULL;
    b->lib = b->ptrs ? pyp_keep_alloc(keep, count, sizeof *b->lib) : NULL;
    b->slot = b->lib ? pyp_keep_alloc(keep, count, sizeof *b->slot) : NULL;
    b->results = b->slot ? pyp_keep_alloc(keep, count, sizeof *b->results) : NULL;
    b->details = b->results ? PyList_New(n) : NULL;
    pss_submit_result init = PSS_SUBMIT_RESULT_INIT;
    for (Py_ssize_t i = 0; b->details && i < n; i++) {
        b->results[i] = b->lib[i] = init;
        Py_INCREF(Py_None);
        PyList_SetItem(b->details, i, Py_None);
    }
    return b->details ? 0 : -1;
}

/* Order i could not be converted. A possession.Error (an amount with too many decimals)
 * belongs to that order, as the library's order-level refusals do: its code becomes the
 * order's status. Anything else (a TypeError) is the caller's mistake: -1, it stands. */
static int batch_refuse(batch *b, Py_ssize_t i)
{
    PyObject *detail;
    int code = pyp_take_error(&detail);
    if (!code)
        return -1;
    pss_submit_result *r = &b->results[i];
    r->status = code;
    if (b->inputs[b->m].id)
        snprintf(r->order_id, sizeof r->order_id, "%s", b->inputs[b->m].id);
    return PyList_SetItem(b->details, i, detail);
}

static int batch_convert(batch *b, PyObject *orders, int exponent, pyp_keep *keep)
{
    for (Py_ssize_t i = 0; i < b->n; i++) {
        PyObject *t = PySequence_GetItem(orders, i);
        if (!t)
            return -1;
        int rc = build_order(&b->inputs[b->m], t, exponent, keep);
        Py_DECREF(t);
        if (rc == 0) {
            b->ptrs[b->m] = &b->inputs[b->m];
            b->slot[b->m++] = i;
        } else if (batch_refuse(b, i) < 0)
            return -1;
    }
    return 0;
}

/* (accepted, [result per order]) with the library's results in their places. */
static PyObject *batch_answer(batch *b, size_t accepted)
{
    for (size_t k = 0; k < b->m; k++)
        b->results[b->slot[k]] = b->lib[k];
    PyObject *list = PyList_New(0);
    for (Py_ssize_t i = 0; list && i < b->n; i++)
        pyp_append(&list, submit_result(&b->results[i], PyList_GetItem(b->details, i)));
    return list ? Py_BuildValue("(nN)", (Py_ssize_t)accepted, list) : NULL;
}

static PyObject *session_submit_batch(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *orders, *answer = NULL;
    if (!PyArg_ParseTuple(args, "OO:submit_batch", &actor, &orders) || live(self) < 0)
        return NULL;
    Py_ssize_t n = PySequence_Size(orders);
    pyp_keep *keep = n < 0 ? NULL : pyp_keep_new();
    pss_actor a;
    batch b;
    memset(&b, 0, sizeof b);
    size_t accepted = 0;
    /* No results array when no order is left: the library checks the version of the first
     * result even for an empty batch. */
    if (keep && batch_alloc(&b, n, keep) == 0 && pyp_actor(actor, keep, &a) == 0 &&
        batch_convert(&b, orders, self->exponent, keep) == 0 &&
        PYP_CALL(self->owner, self->exponent,
                 pss_session_submit_batch(self->session, &a, b.ptrs, b.m, b.m ? b.lib : NULL,
                                          &accepted)) == 0)
        answer = batch_answer(&b, accepted);
    Py_XDECREF(b.details);
    Py_XDECREF(keep);
    return answer;
}

static PyObject *session_load_order(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    const char *id;
    pss_order *o = NULL;
    if (!PyArg_ParseTuple(args, "s:load_order", &id) || live(self) < 0 ||
        PYP_CALL(self->owner, self->exponent, pss_order_load(self->session, id, &o)) < 0)
        return NULL;
    return pyp_order_wrap(self->owner, o, self->exponent);
}

/* The ids of the session's orders whose state is in the mask, by number. */
static PyObject *session_order_list(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    unsigned int mask;
    pss_strlist *l = NULL;
    if (!PyArg_ParseTuple(args, "I:order_list", &mask) || live(self) < 0 ||
        PYP_CALL(self->owner, self->exponent, pss_order_list(self->session, mask, &l)) < 0)
        return NULL;
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_strlist_count(l); i++)
        pyp_append(&list, pyp_str_or_none(pss_strlist_get(l, i)));
    pss_strlist_free(l);
    return list;
}

/* ---- cash ---- */

static PyObject *session_cash_move(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *amount, *reason, *account, *id, *meta;
    int kind;
    if (!PyArg_ParseTuple(args, "OiOOOOO:cash_move", &actor, &kind, &amount, &reason, &account,
                          &id, &meta) ||
        live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = (pss_cash_kind)kind;
    char out[PSS_ID_SIZE] = "";
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_fixed(amount, self->exponent, "amount", &in.amount) < 0 ||
                     pyp_text(reason, "reason", 1, keep, &in.reason) < 0 ||
                     pyp_text(account, "account", 1, keep, &in.account) < 0 ||
                     pyp_text(id, "movement id", 1, keep, &in.id) < 0 ||
                     pyp_text(meta, "movement meta", 1, keep, &in.meta) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_cash_move(self->session, &a, &in, out));
    Py_XDECREF(keep);
    return rc < 0 ? NULL : pyp_str_or_none(out);
}

static PyObject *session_cash_void(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *id, *reason;
    if (!PyArg_ParseTuple(args, "OOO:cash_void", &actor, &id, &reason) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    const char *mid, *why;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_text(id, "movement id", 0, keep, &mid) < 0 ||
                     pyp_text(reason, "reason", 1, keep, &why) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_cash_void(self->session, &a, mid, why));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

static PyObject *cash_info(const pss_cash_info *c, int e)
{
    PyObject *d = PyDict_New();
    pyp_set(&d, "id", pyp_str_or_none(c->id));
    pyp_set(&d, "kind", pyp_str_or_none(pss_cash_kind_name(c->kind)));
    pyp_set(&d, "amount", pyp_decimal(c->amount, e, 0));
    pyp_set(&d, "reason", pyp_str_or_none(c->reason));
    pyp_set(&d, "account", pyp_str_or_none(c->account));
    pyp_set(&d, "user", pyp_str_or_none(c->user));
    pyp_set(&d, "time", PyLong_FromLongLong(c->time));
    pyp_set(&d, "voided", PyBool_FromLong(c->voided));
    pyp_set(&d, "void_reason", pyp_str_or_none(c->void_reason));
    return d;
}

static PyObject *session_cash_list(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    pss_cash_list *l = NULL;
    if (live(self) < 0 ||
        PYP_CALL(self->owner, self->exponent, pss_cash_list_load(self->session, &l)) < 0)
        return NULL;
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pss_cash_list_count(l); i++) {
        pss_cash_info c = PSS_CASH_INFO_INIT;
        if (pss_cash_list_get(l, i, &c) == 0)
            pyp_append(&list, cash_info(&c, self->exponent));
    }
    pss_cash_list_free(l);
    return list;
}

/* ---- closing ---- */

/* The user's (value, count) pairs; a mapping was made into its items by the Python layer. */
static int read_denominations(PyObject *seq, int exponent, pss_denomination_count **out,
                              size_t *n)
{
    Py_ssize_t len = PySequence_Size(seq);
    if (len < 0)
        return -1;
    *out = PyMem_Calloc((size_t)len + 1, sizeof **out);
    if (!*out) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *t = PySequence_GetItem(seq, i), *value, *count;
        int ok = t && !pyp_pair(t, "denomination", i, "(value, count)", &value, &count) &&
                 !pyp_fixed(value, exponent, "denomination", &(*out)[i].value) &&
                 !pyp_int64(count, "denomination count", &(*out)[i].count);
        Py_XDECREF(t);
        if (!ok)
            return -1;
    }
    *n = (size_t)len;
    return 0;
}

static int read_method_counts(PyObject *seq, int exponent, pyp_keep *keep,
                              pss_method_count **out, size_t *n)
{
    Py_ssize_t len = PySequence_Size(seq);
    if (len < 0)
        return -1;
    *out = PyMem_Calloc((size_t)len + 1, sizeof **out);
    if (!*out) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *t = PySequence_GetItem(seq, i), *method, *amount;
        int ok = t && !pyp_pair(t, "method count", i, "(method, amount)", &method, &amount) &&
                 !pyp_text(method, "method", 0, keep, &(*out)[i].method) &&
                 !pyp_fixed(amount, exponent, "counted amount", &(*out)[i].amount);
        Py_XDECREF(t);
        if (!ok)
            return -1;
    }
    *n = (size_t)len;
    return 0;
}

static PyObject *session_count(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *cash, *denoms, *methods, *note;
    if (!PyArg_ParseTuple(args, "OOOOO:count", &actor, &cash, &denoms, &methods, &note) ||
        live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_count_input in = PSS_COUNT_INPUT_INIT;
    pss_denomination_count *dc = NULL;
    pss_method_count *mc = NULL;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_fixed_or_unset(cash, self->exponent, "cash", &in.cash_total) < 0 ||
                     read_denominations(denoms, self->exponent, &dc, &in.n_denominations) < 0 ||
                     read_method_counts(methods, self->exponent, keep, &mc, &in.n_methods) < 0 ||
                     pyp_text(note, "note", 1, keep, &in.note) < 0
                 ? -1
                 : (in.denominations = in.n_denominations ? dc : NULL,
                    in.methods = in.n_methods ? mc : NULL,
                    PYP_CALL(self->owner, self->exponent, pss_session_count(self->session, &a, &in)));
    PyMem_Free(dc);
    PyMem_Free(mc);
    Py_XDECREF(keep);
    return none_or_null(rc);
}

static PyObject *session_close(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *note;
    if (!PyArg_ParseTuple(args, "OO:close", &actor, &note) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_close_input in = PSS_CLOSE_INPUT_INIT;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 || pyp_text(note, "note", 1, keep, &in.note) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_session_close(self->session, &a, &in));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

static PyObject *session_reopen(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *reason;
    if (!PyArg_ParseTuple(args, "OO:reopen", &actor, &reason) || live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    const char *why;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 || pyp_text(reason, "reason", 1, keep, &why) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent, pss_session_reopen(self->session, &a, why));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

static PyObject *session_force_close(PyObject *op, PyObject *args)
{
    pyp_session *self = (pyp_session *)op;
    PyObject *actor, *reason, *void_pending, *counted;
    if (!PyArg_ParseTuple(args, "OOOO:force_close", &actor, &reason, &void_pending, &counted) ||
        live(self) < 0)
        return NULL;
    pyp_keep *keep = pyp_keep_new();
    pss_actor a;
    pss_force_close_input in = PSS_FORCE_CLOSE_INPUT_INIT;
    int rc = !keep || pyp_actor(actor, keep, &a) < 0 ||
                     pyp_text(reason, "reason", 1, keep, &in.reason) < 0 ||
                     pyp_flag(void_pending, &in.void_pending) < 0 ||
                     pyp_fixed_or_unset(counted, self->exponent, "counted_cash", &in.counted_cash) < 0
                 ? -1
                 : PYP_CALL(self->owner, self->exponent,
                            pss_session_force_close(self->session, &a, &in));
    Py_XDECREF(keep);
    return none_or_null(rc);
}

/* ---- report and entry ---- */

PyObject *pyp_report_snapshot(pyp_context *ctx, pss_report *r, int exponent);

static PyObject *session_report(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    pss_report *r = NULL;
    if (live(self) < 0 ||
        PYP_CALL(self->owner, self->exponent, pss_session_report(self->session, &r)) < 0)
        return NULL;
    PyObject *snapshot = pyp_report_snapshot(self->owner, r, self->exponent);
    pss_report_free(r);
    return snapshot;
}

static PyObject *session_entry(PyObject *op, PyObject *unused)
{
    (void)unused;
    pyp_session *self = (pyp_session *)op;
    pss_entry *e = NULL;
    if (live(self) < 0 ||
        PYP_CALL(self->owner, self->exponent, pss_session_entry(self->session, &e)) < 0)
        return NULL;
    return pyp_entry_wrap(self->owner, e);
}

static PyMethodDef session_methods[] = {
    {"info", session_info, METH_NOARGS, NULL},
    {"config", session_config, METH_NOARGS, NULL},
    {"release", session_release, METH_NOARGS, NULL},
    {"start_opening", session_start_opening, METH_O, NULL},
    {"open", session_open, METH_VARARGS, NULL},
    {"take_over", session_take_over, METH_O, NULL},
    {"heartbeat", session_heartbeat, METH_O, NULL},
    {"refresh", session_refresh, METH_NOARGS, NULL},
    {"verify", session_verify, METH_NOARGS, NULL},
    {"create_order", session_create_order, METH_VARARGS, NULL},
    {"submit", session_submit, METH_VARARGS, NULL},
    {"submit_batch", session_submit_batch, METH_VARARGS, NULL},
    {"load_order", session_load_order, METH_VARARGS, NULL},
    {"order_list", session_order_list, METH_VARARGS, NULL},
    {"cash_move", session_cash_move, METH_VARARGS, NULL},
    {"cash_void", session_cash_void, METH_VARARGS, NULL},
    {"cash_list", session_cash_list, METH_NOARGS, NULL},
    {"start_closing", session_start_closing, METH_O, NULL},
    {"count", session_count, METH_VARARGS, NULL},
    {"close", session_close, METH_VARARGS, NULL},
    {"reopen", session_reopen, METH_VARARGS, NULL},
    {"force_close", session_force_close, METH_VARARGS, NULL},
    {"report", session_report, METH_NOARGS, NULL},
    {"entry", session_entry, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot session_slots[] = {
    {Py_tp_new, (void *)pyp_no_new},
    {Py_tp_dealloc, (void *)session_dealloc},
    {Py_tp_methods, session_methods},
    {Py_tp_doc, (void *)"A session handle (internal)."},
    {0, NULL},
};

PyType_Spec pyp_Session_spec = {
    "possession._possession.Session", sizeof(pyp_session), 0, Py_TPFLAGS_DEFAULT, session_slots,
};
