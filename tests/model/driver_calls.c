/* driver_calls.c: each operation as the library call a host makes, with the handles of the
 * context the operation goes through. */
#include <string.h>

#include "convert.h"
#include "driver.h"

static pss_session *sess(driver *d, op *o)
{
    return o->session >= 0 ? drv_session(d, o->session, drv_ctx_of(d, o)) : NULL;
}

static pss_order *ord(driver *d, op *o)
{
    return o->order >= 0 ? drv_get_order(d, o->order, drv_ctx_of(d, o)) : NULL;
}

static int call_config_save(driver *d, op *o, call_out *out)
{
    pss_config *c = NULL;
    int rc = 0;
    pss_actor a;
    if (cv_config(d->ctx[drv_ctx_of(d, o)], &o->config, &c, &rc) >= 0 || rc) {
        pss_config_free(c);
        return rc ? rc : PSS_EINVAL;
    }
    rc = pss_config_save(c, cv_actor(&o->actor, &a));
    out->config = c;
    return rc;
}

static int call_config_update(driver *d, op *o, call_out *out)
{
    int reg = o->session;
    pss_config *c = NULL;
    pss_actor a;
    const m_config *before = &o->before;
    int rc = 0;
    if (o->flag)
        c = d->kept[reg];
    else
        rc = pss_config_load(d->ctx[0], d->m->reg[reg].cfg.id, &c);
    if (!rc)
        rc = cv_config_add(c, before, &o->config);
    if (!rc)
        rc = pss_config_save(c, cv_actor(&o->actor, &a));
    out->config = c;
    return rc;
}

static int call_config_form(driver *d, op *o, call_out *out)
{
    pss_config *c = NULL;
    int rc = 0;
    out->form_call = cv_config(d->ctx[0], &o->config, &c, &rc);
    if (!rc && out->form_call < 0 && c)
        rc = pss_config_validate(c);
    pss_config_free(c);
    return rc;
}

static int call_create(driver *d, op *o, call_out *out)
{
    pss_session_input in = PSS_SESSION_INPUT_INIT;
    if (o->bad_version)
        in.version = 99;
    in.id = o->session_id[0] ? o->session_id : NULL;
    in.operating_date = cv_str(&o->str);
    in.meta = meta_text(o->meta);
    if (o->v1)
        in.version = 1;   /* a host built against 1.0: no meta member */
    pss_actor a;
    return pss_session_create(d->ctx[drv_ctx_of(d, o)], o->config_id, cv_actor(&o->actor, &a),
                              &in, &out->session);
}

static int call_session(driver *d, op *o)
{
    pss_actor a;
    const pss_actor *ap = cv_actor(&o->actor, &a);
    pss_session *s = sess(d, o);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    if (o->bad_version)
        oi.version = 99;
    oi.counted_cash = o->amount;
    oi.note = cv_str(&o->note);
    switch (o->kind) {
    case OP_START_OPENING:
        return pss_session_start_opening(s, ap);
    case OP_OPEN:
        return pss_session_open(s, ap, o->null_input ? NULL : &oi);
    case OP_TAKE_OVER:
        return pss_session_take_over(s, ap);
    case OP_HEARTBEAT:
        return pss_session_heartbeat(s, ap);
    case OP_START_CLOSING:
        return pss_session_start_closing(s, ap);
    default:
        return pss_session_reopen(s, ap, cv_str(&o->str));
    }
}

static int call_count(driver *d, op *o)
{
    pss_count_input c;
    pss_denomination_count dn[G_MAXCD];
    pss_method_count mc[G_MAXCM];
    cv_count(&o->count, &c, dn, mc);
    c.note = cv_str(&o->note);
    if (o->bad_version)
        c.version = 99;
    pss_actor a;
    return pss_session_count(sess(d, o), cv_actor(&o->actor, &a), o->null_input ? NULL : &c);
}

static int call_close(driver *d, op *o)
{
    pss_close_input in = PSS_CLOSE_INPUT_INIT;
    in.note = cv_str(&o->note);
    if (o->bad_version)
        in.version = 99;
    pss_actor a;
    return pss_session_close(sess(d, o), cv_actor(&o->actor, &a), o->null_input ? NULL : &in);
}

static int call_force(driver *d, op *o)
{
    pss_force_close_input in = PSS_FORCE_CLOSE_INPUT_INIT;
    in.reason = cv_str(&o->str);
    in.void_pending = o->flag;
    in.counted_cash = o->amount;
    pss_actor a;
    return pss_session_force_close(sess(d, o), cv_actor(&o->actor, &a),
                                   o->null_input ? NULL : &in);
}

static int call_order_create(driver *d, op *o, call_out *out)
{
    static conv_order c;
    cv_order(&o->orders[0], &c, o->bad_version == BV_INPUT, o->bad_version == BV_LINE, 0);
    pss_actor a;
    return pss_order_create(sess(d, o), cv_actor(&o->actor, &a), o->null_input ? NULL : &c.in,
                            &out->order);
}

static int call_order(driver *d, op *o, call_out *out)
{
    pss_actor a;
    const pss_actor *ap = cv_actor(&o->actor, &a);
    pss_order *h = ord(d, o);
    pss_line_input l;
    const char *taxes[G_MAXLT];
    pss_payment_input p;
    switch (o->kind) {
    case OP_ADD_LINE:
        cv_line(&o->orders[0].lines[0], &l, taxes, o->bad_version == BV_LINE);
        return pss_order_add_line(h, ap, &l, &out->index);
    case OP_REMOVE_LINE:
        return pss_order_remove_line(h, ap, (size_t)o->index);
    case OP_ADD_PAYMENT:
        cv_pay(&o->pay, &p, o->bad_version == BV_PAYMENT);
        return pss_order_add_payment(h, ap, o->null_input ? NULL : &p, &out->index);
    case OP_CONFIRM:
        return pss_order_confirm_payment(h, ap, (size_t)o->index);
    case OP_FAIL:
        return pss_order_fail_payment(h, ap, (size_t)o->index, cv_str(&o->str));
    case OP_VOID:
        return pss_order_void_payment(h, ap, (size_t)o->index, cv_str(&o->str));
    case OP_CANCEL:
        return pss_order_cancel(h, ap, cv_str(&o->str));
    case OP_VALIDATE:
        return pss_order_validate(h, ap);
    default:
        return pss_order_set_invoiced(h, ap, o->flag);
    }
}

static int call_submit(driver *d, op *o, call_out *out)
{
    static conv_order c[G_MAXB];
    const pss_order_input *ptrs[G_MAXB];
    for (int i = 0; i < o->n_orders; i++) {
        cv_order(&o->orders[i], &c[i], 0, 0, 0);
        ptrs[i] = &c[i].in;
        pss_submit_result init = PSS_SUBMIT_RESULT_INIT;
        out->res[i] = init;
    }
    pss_actor a;
    if (o->kind == OP_SUBMIT)
        return pss_session_submit(sess(d, o), cv_actor(&o->actor, &a), ptrs[0], &out->res[0]);
    return pss_session_submit_batch(sess(d, o), cv_actor(&o->actor, &a), ptrs,
                                    (size_t)o->n_orders, out->res, &out->accepted);
}

static int call_cash(driver *d, op *o, call_out *out)
{
    pss_actor a;
    if (o->kind == OP_CASH_VOID)
        return pss_cash_void(sess(d, o), cv_actor(&o->actor, &a), cv_str(&o->cash.id),
                             cv_str(&o->cash.reason));
    pss_cash_input c;
    cv_cash(&o->cash, &c);
    if (o->v1)
        c.version = 1;
    return pss_cash_move(sess(d, o), cv_actor(&o->actor, &a), o->null_input ? NULL : &c,
                         out->id);
}

static int call_meta(driver *d, op *o, call_out *out)
{
    pss_ctx *ctx = d->ctx[drv_ctx_of(d, o)];
    if (o->kind == OP_META_GET)
        return pss_meta_get(ctx, (pss_meta_owner)o->meta_kind, cv_str(&o->meta_id), &out->meta);
    pss_actor a;
    return pss_meta_set(ctx, cv_actor(&o->actor, &a), (pss_meta_owner)o->meta_kind,
                        cv_str(&o->meta_id), meta_text(o->meta));
}

/* A call with a NULL handle or a NULL required pointer. */
static int call_null(driver *d, op *o)
{
    pss_actor a;
    const pss_actor *ap = cv_actor(&o->actor, &a);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    pss_count_input ci = PSS_COUNT_INPUT_INIT;
    pss_cash_input mi = PSS_CASH_INPUT_INIT;
    pss_session *s = NULL;
    switch (o->index) {
    case 0: return pss_session_open(NULL, ap, &oi);
    case 1: return pss_order_validate(NULL, ap);
    case 2: return pss_cash_move(NULL, ap, &mi, NULL);
    case 3: return pss_session_count(NULL, ap, &ci);
    case 4: return pss_session_close(NULL, ap, NULL);
    case 5: return pss_session_force_close(NULL, ap, NULL);
    case 6: return pss_session_submit(NULL, ap, NULL, NULL);
    case 7: return pss_session_create(d->ctx[0], NULL, ap, NULL, &s);
    case 8: return pss_session_create(NULL, "x", ap, NULL, &s);
    case 9: return pss_order_cancel(NULL, ap, "why");
    case 10: return pss_session_take_over(NULL, ap);
    case 12: return pss_meta_set(NULL, ap, PSS_META_CONFIG, d->m->reg[0].cfg.id, "{}");
    case 13: { char *t = NULL;
               return pss_meta_get(d->ctx[0], PSS_META_CONFIG, d->m->reg[0].cfg.id, NULL) ?
                      pss_meta_get(NULL, PSS_META_CONFIG, d->m->reg[0].cfg.id, &t) : 0; }
    case 14: return pss_meta_set(d->ctx[0], ap, PSS_META_CONFIG, NULL, "{}");
    default: return pss_cash_void(NULL, ap, "x", "why");
    }
}

int call_op(driver *d, op *o, call_out *out)
{
    switch (o->kind) {
    case OP_CONFIG_SAVE: return call_config_save(d, o, out);
    case OP_CONFIG_UPDATE: return call_config_update(d, o, out);
    case OP_CONFIG_FORM: return call_config_form(d, o, out);
    case OP_CREATE: return call_create(d, o, out);
    case OP_COUNT: return call_count(d, o);
    case OP_CLOSE: return call_close(d, o);
    case OP_FORCE_CLOSE: return call_force(d, o);
    case OP_ORDER_CREATE: return call_order_create(d, o, out);
    case OP_SUBMIT: case OP_BATCH: return call_submit(d, o, out);
    case OP_CASH_MOVE: case OP_CASH_VOID: return call_cash(d, o, out);
    case OP_META_SET: case OP_META_GET: return call_meta(d, o, out);
    case OP_LIST: return call_list(d, o);
    case OP_NULL_HANDLE: return call_null(d, o);
    case OP_START_OPENING: case OP_OPEN: case OP_TAKE_OVER: case OP_HEARTBEAT:
    case OP_START_CLOSING: case OP_REOPEN: return call_session(d, o);
    default: return call_order(d, o, out);
    }
}
