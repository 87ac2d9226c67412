/* driver_expect.c: asks the oracle what each operation should do (and lets it apply the
 * operation to its own state when it should succeed). Malformed calls (a NULL handle or
 * input, a wrong struct version) are refused before anything else, so the oracle only adds
 * the access refusal the call would also meet. */
#include <string.h>

#include "driver.h"

typedef struct rule_of {
    int rule;
    unsigned states;
} rule_of;

static rule_of op_rule(int kind)
{
    const unsigned prog = ST(SS_PROGRESS), both = ST(SS_PROGRESS) | ST(SS_CLOSING);
    switch (kind) {
    case OP_START_OPENING: return (rule_of){RULE_SUPERVISE, ST(SS_NEW)};
    case OP_OPEN: return (rule_of){RULE_SUPERVISE, ST(SS_NEW) | ST(SS_OPENING)};
    case OP_COUNT: case OP_CLOSE: return (rule_of){RULE_SUPERVISE, ST(SS_CLOSING)};
    case OP_FORCE_CLOSE: return (rule_of){RULE_ADMIN, ST_OPEN_ANY};
    case OP_ORDER_CREATE: case OP_ADD_LINE: case OP_ADD_PAYMENT:
        return (rule_of){RULE_OPERATE, prog};
    case OP_CASH_MOVE: case OP_SUBMIT: case OP_BATCH: return (rule_of){RULE_SUPERVISE, prog};
    default: return (rule_of){RULE_SUPERVISE, both};
    }
}

static void malformed(driver *d, op *o, m_expect *ex)
{
    int code = o->bad_version ? E_VERSION : E_INVAL;
    if (o->session >= 0 && o->kind != OP_NULL_HANDLE) {
        rule_of r = op_rule(o->kind);
        const m_session *s = &d->m->s[o->session];
        int late = s->state == SS_CLOSING || s->state == SS_CLOSED;
        if ((o->kind == OP_SUBMIT || o->kind == OP_BATCH) && late)
            r = (rule_of){RULE_ANY, ST_OPEN_ANY | ST(SS_CLOSED)};   /* late orders: "any" */
        m_access(d->m, s, &o->actor, r.rule, r.states, ex);
    }
    ex_add(ex, code, o->bad_version ? "a struct of an unknown version" : "a NULL pointer");
    if (o->kind == OP_CLOSE || o->kind == OP_FORCE_CLOSE) {
        ex->audited = 2;
        ex->action = o->kind == OP_CLOSE ? "session.close" : "session.force_close";
    }
}

static void expect_config(driver *d, op *o, m_expect *ex)
{
    if (o->kind == OP_CONFIG_FORM) {
        o->form_call = m_config_form(&o->config, ex);
        if (o->form_call < 0 && !m_config_complete(&o->config))
            ex_add(ex, E_CONFIG, "config incomplete");
        return;
    }
    if (o->kind == OP_CONFIG_SAVE && m_config_form(&o->config, ex) >= 0)
        return;
    /* the config's metadata, checked at pss_config_new or at the save: EINVAL either way */
    if (o->kind == OP_CONFIG_SAVE && m_meta_verdict(meta_text(o->config.meta)) != META_OK)
        ex_add(ex, E_INVAL, "config metadata: not a JSON object of at most 4096 bytes");
    /* beside the save's own refusals (which the library meets first is not documented); with
     * a refusal in ex the save is not applied */
    uint64_t rev = o->kind == OP_CONFIG_SAVE ? 0 : o->loaded_rev;
    m_config_save(d->m, &o->config, &o->actor, rev, o->kind == OP_CONFIG_SAVE, ex);
}

static void expect_session(driver *d, op *o, m_expect *ex)
{
    model *m = d->m;
    int s = o->session;
    switch (o->kind) {
    case OP_CREATE:
        m_session_create(m, o->config_id, &o->actor, o->session_id[0] ? o->session_id : NULL,
                         &o->str, o->v1 ? 0 : o->meta, ex);
        break;
    case OP_START_OPENING: m_start_opening(m, s, &o->actor, ex); break;
    case OP_OPEN: m_open(m, s, &o->actor, o->amount, &o->note, ex); break;
    case OP_TAKE_OVER: m_take_over(m, s, &o->actor, ex); break;
    case OP_HEARTBEAT: m_heartbeat(m, s, &o->actor, ex); break;
    case OP_START_CLOSING: m_start_closing(m, s, &o->actor, ex); break;
    case OP_REOPEN: m_reopen(m, s, &o->actor, &o->str, ex); break;
    case OP_COUNT: m_do_count(m, s, &o->actor, &o->count, &o->note, ex); break;
    case OP_CLOSE: m_close(m, s, &o->actor, o->null_input ? NULL : &o->note, ex); break;
    case OP_FORCE_CLOSE:
        m_force_close(m, s, &o->actor, &o->str, o->flag, o->amount, ex);
        break;
    case OP_CASH_MOVE: {
        g_cash c = o->cash;
        if (o->v1)
            c.meta = 0;   /* version 1 has no meta: whatever the member holds is not read */
        m_cash_move(m, s, &o->actor, &c, ex);
        break;
    }
    default: m_cash_void(m, s, &o->actor, &o->cash.id, &o->cash.reason, ex); break;
    }
}

static void expect_order(driver *d, op *o, m_expect *ex)
{
    model *m = d->m;
    int oi = o->order;
    switch (o->kind) {
    case OP_ORDER_CREATE: m_order_create(m, o->session, &o->actor, &o->orders[0], ex); break;
    case OP_ADD_LINE: m_add_line(m, oi, &o->actor, &o->orders[0].lines[0], ex); break;
    case OP_REMOVE_LINE: m_remove_line(m, oi, &o->actor, o->index, ex); break;
    case OP_ADD_PAYMENT: m_add_payment(m, oi, &o->actor, &o->pay, ex); break;
    case OP_CONFIRM: m_confirm(m, oi, &o->actor, o->index, ex); break;
    case OP_FAIL: m_fail(m, oi, &o->actor, o->index, &o->str, ex); break;
    case OP_VOID: m_void(m, oi, &o->actor, o->index, &o->str, ex); break;
    case OP_CANCEL: m_cancel(m, oi, &o->actor, &o->str, ex); break;
    case OP_VALIDATE: m_validate(m, oi, &o->actor, ex); break;
    default: m_set_invoiced(m, oi, &o->actor, o->flag, ex); break;
    }
}

void expect_op(driver *d, op *o, m_expect *ex, m_submit_res *res)
{
    ex_reset(ex);
    if (o->null_input || o->bad_version || o->kind == OP_NULL_HANDLE) {
        if (!(o->kind == OP_CLOSE && o->null_input && !o->bad_version)) {
            malformed(d, o, ex);
            return;
        }
    }
    switch (o->kind) {
    case OP_CONFIG_SAVE: case OP_CONFIG_UPDATE: case OP_CONFIG_FORM:
        expect_config(d, o, ex);
        return;
    case OP_SUBMIT:
        m_submit(d->m, o->session, &o->actor, &o->orders[0], &res[0], ex);
        return;
    case OP_BATCH:
        m_batch(d->m, o->session, &o->actor, o->orders, o->n_orders, res, ex);
        return;
    case OP_RESUME: case OP_CLOCK:
        return;
    case OP_META_SET:
        m_meta_set(d->m, o->meta_kind, &o->meta_id, &o->actor, o->meta, ex);
        return;
    case OP_META_GET:
        o->meta_want = m_meta_get(d->m, o->meta_kind, &o->meta_id, ex);
        return;
    case OP_LIST:
        expect_list(d, o, ex);
        return;
    case OP_ORDER_CREATE: case OP_ADD_LINE: case OP_REMOVE_LINE: case OP_ADD_PAYMENT:
    case OP_CONFIRM: case OP_FAIL: case OP_VOID: case OP_CANCEL: case OP_VALIDATE:
    case OP_INVOICED:
        expect_order(d, o, ex);
        return;
    default:
        expect_session(d, o, ex);
    }
}
