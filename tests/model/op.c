/* op.c: naming and describing an operation for the verbose log and the failure report. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "op.h"

static const char *const names[OP_N] = {
    "config_save", "config_update", "config_form", "session_create", "start_opening",
    "open", "take_over", "heartbeat", "start_closing", "count", "close", "reopen",
    "force_close", "order_create", "add_line", "remove_line", "add_payment",
    "confirm_payment", "fail_payment", "void_payment", "cancel", "validate", "set_invoiced",
    "submit", "submit_batch", "cash_move", "cash_void", "meta_set", "meta_get", "list", "resume",
    "clock", "null_handle"};

const char *op_name(int kind)
{
    return kind >= 0 && kind < OP_N ? names[kind] : "?";
}

static void add(char *buf, size_t size, const char *fmt, const char *a, int64_t v)
{
    size_t len = strlen(buf);
    if (len + 1 < size)
        snprintf(buf + len, size - len, fmt, a, v);
}

static const char *str_of(const g_str *s)
{
    return s->null ? "(null)" : s->s;
}

static void describe_line(const g_line *l, char *buf, size_t size)
{
    char tx[128] = "";
    for (int k = 0; k < l->n_taxes && k < G_MAXLT; k++) {
        strncat(tx, k ? "," : "", sizeof tx - strlen(tx) - 1);
        strncat(tx, l->taxes[k], sizeof tx - strlen(tx) - 1);
    }
    size_t len = strlen(buf);
    snprintf(buf + len, size - len,
             "\n      line %s qty %" PRId64 " price %" PRId64 " disc %" PRId64 " taxes [%s]%s%s"
             " refund_line %" PRId64,
             str_of(&l->product), l->quantity, l->unit_price, l->discount_ppm, tx,
             l->category.null ? "" : " cat ", l->category.null ? "" : l->category.s,
             l->refund_line);
}

static void describe_order(const g_order *in, char *buf, size_t size)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "\n    order %s refund_of %s invoiced %d lines %d payments %d"
             " discount %" PRId64 "/%" PRId64 "ppm",
             str_of(&in->id), str_of(&in->refund_of), in->invoiced, in->n_lines, in->n_payments,
             in->disc_amount, in->disc_ppm);
    if (in->meta) {
        len = strlen(buf);
        snprintf(buf + len, size - len, " meta %.120s", meta_text(in->meta));
    }
    for (int i = 0; i < in->n_lines && i < G_MAXL; i++)
        describe_line(&in->lines[i], buf, size);
    for (int i = 0; i < in->n_payments && i < G_MAXP; i++) {
        len = strlen(buf);
        snprintf(buf + len, size - len, "\n      payment %s %" PRId64 " state %d",
                 str_of(&in->payments[i].method), in->payments[i].amount,
                 in->payments[i].state);
    }
}

void op_describe(const op *o, const model *m, char *buf, size_t size)
{
    snprintf(buf, size, "%s ctx %d actor %s/%s/role %d", op_name(o->kind), o->ctx,
             str_of(&o->actor.user), str_of(&o->actor.device), o->actor.role);
    if (o->session >= 0 && o->session < m->ns && o->kind != OP_CONFIG_UPDATE) {
        const m_session *s = &m->s[o->session];
        add(buf, size, " session %s (#%" PRId64 ")", s->name, o->session);
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " [state %d, held by %s on %s, lease %+" PRId64 " ms]",
                 s->state, s->user, s->device, s->lease_exp - m->now);
    }
    if (o->order >= 0 && o->order < m->no) {
        const m_order *d = &m->o[o->order];
        add(buf, size, " order %s (#%" PRId64 ")", d->id, o->order);
        add(buf, size, " [%stotal %" PRId64, m_is_refund(d) ? "refund, " : "", d->total);
        add(buf, size, "%s, untaxed %" PRId64 "]", "", d->untaxed);
    }
    if (o->index >= 0)
        add(buf, size, " %sindex %" PRId64, "", o->index);
    if (o->amount != M_UNSET)
        add(buf, size, " %samount %" PRId64, "", o->amount);
    if (o->kind == OP_ADD_PAYMENT)
        add(buf, size, " method %s amount %" PRId64, str_of(&o->pay.method), o->pay.amount);
    if (o->kind == OP_COUNT)
    {
        add(buf, size, " %scash_total %" PRId64, "", o->count.cash_total);
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " denominations %d", o->count.n_denoms);
        for (int i = 0; i < o->count.n_methods && i < G_MAXCM; i++) {
            len = strlen(buf);
            snprintf(buf + len, size - len, " %s=%" PRId64, o->count.methods[i],
                     o->count.method_amounts[i]);
        }
    }
    if (o->kind == OP_CASH_MOVE)
        add(buf, size, " kind/amount %s %" PRId64, o->cash.account.null ? "(default)"
            : o->cash.account.s, o->cash.amount);
    if (o->flag)
        add(buf, size, " %sflag %" PRId64, "", o->flag);
    if (o->kind == OP_LIST) {
        static const char *const lk[] = {"every page", "a page after", "orders", "all sessions"};
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " (%s) config %s mask 0x%x from %s to %s after %s limit %"
                 PRId64, lk[o->list_kind & 3], o->config_id, o->mask, str_of(&o->from),
                 str_of(&o->to), str_of(&o->after), o->limit);
    }
    if (o->kind == OP_META_SET || o->kind == OP_META_GET)
        add(buf, size, " owner %s kind %" PRId64, str_of(&o->meta_id), o->meta_kind);
    if (o->meta || o->kind == OP_META_SET) {
        const char *t = meta_text(o->meta);
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " meta (%zu bytes) %.160s%s", t ? strlen(t) : 0,
                 t ? t : "NULL", t && strlen(t) > 160 ? "..." : "");
    }
    if (o->fault[0]) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " FAULT: %s", o->fault);
    }
    if (o->session >= 0 && o->session < m->ns && o->kind != OP_CONFIG_UPDATE) {
        const m_config *c = &m->s[o->session].cfg;
        size_t len = strlen(buf);
        snprintf(buf + len, size - len,
                 "\n    config %s: exponent %d cash_control %d max_diff %" PRId64
                 " override %d per_day %d tax_rounding %d rounding %d cash_rounding %d/%" PRId64
                 "/%d allow_zero %d lease %" PRId64 "s",
                 c->code, c->exponent, c->cash_control, c->max_diff, c->override_role,
                 c->per_day, c->tax_rounding, c->rounding, c->cr_scope, c->cr_inc, c->cr_mode,
                 c->allow_zero, c->lease_s);
        for (int t = 0; t < c->nt && t < M_MAXT; t++) {
            size_t at = strlen(buf);
            snprintf(buf + at, size - at,
                     "\n      tax %s rate %" PRId64 " incl %d per_unit %" PRId64 " affects %d",
                     c->t[t].code, c->t[t].rate, c->t[t].included, c->t[t].per_unit,
                     c->t[t].affects_base);
        }
    }
    for (int i = 0; i < o->n_orders && i < G_MAXB; i++)
        describe_order(&o->orders[i], buf, size);
}
