/* gen_next.c: choosing the next operation: weights from what the oracle's state allows
 * (configs, sessions by state, orders), the clock's steps (leases run out, days change),
 * and keeping the generator's view of the config handles a host would hold. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

typedef struct census {
    int nreg, can_create, fresh, trading, closing, open, closed, drafts, orders_in_trading;
    int closing_drafts, closing_pending;
} census;

static void take_census(const gen *g, census *c)
{
    const model *m = g->m;
    memset(c, 0, sizeof *c);
    c->nreg = m->nreg;
    for (int i = 0; i < m->nreg; i++)
        c->can_create += m->reg[i].open_session < 0;
    for (int i = 0; i < m->ns; i++) {
        int st = m->s[i].state;
        c->fresh += st == SS_NEW || st == SS_OPENING;
        c->trading += st == SS_PROGRESS;
        c->closing += st == SS_CLOSING;
        c->open += st != SS_CLOSED;
        c->closed += st == SS_CLOSED;
    }
    for (int i = 0; i < m->no; i++) {
        int st = m->s[m->o[i].session].state;
        c->drafts += m->o[i].state == OS_DRAFT;
        if (m->o[i].state == OS_DRAFT && st == SS_CLOSING) {
            c->closing_drafts = 1;
            c->closing_pending |= m_pending_index(&m->o[i]) >= 0;
        }
        c->orders_in_trading += st == SS_PROGRESS;
    }
}

static void weights(const census *c, int *w)
{
    memset(w, 0, sizeof(int) * OP_N);
    w[OP_CLOCK] = 3;
    w[OP_CONFIG_FORM] = 1;
    w[OP_NULL_HANDLE] = 2;
    w[OP_CONFIG_SAVE] = c->nreg == 0 ? 100 : c->nreg < 2 ? 2 : 0;
    if (!c->nreg)
        return;
    w[OP_CONFIG_UPDATE] = 2;
    w[OP_META_SET] = 5;
    w[OP_META_GET] = 2;
    w[OP_LIST] = 4;
    w[OP_CREATE] = c->can_create ? 25 : 1;
    w[OP_START_OPENING] = c->fresh ? 8 : 0;
    w[OP_OPEN] = c->fresh ? 14 : 0;
    w[OP_RESUME] = c->open ? 3 : 0;
    w[OP_TAKE_OVER] = c->open ? 2 : 0;
    w[OP_HEARTBEAT] = c->open ? 2 : 0;
    w[OP_FORCE_CLOSE] = c->open ? 2 : 0;
    if (c->trading) {
        w[OP_ORDER_CREATE] = 22;
        w[OP_ADD_LINE] = 5;
        w[OP_REMOVE_LINE] = 3;
        w[OP_ADD_PAYMENT] = 24;
        w[OP_VALIDATE] = 3;
        w[OP_SUBMIT] = 9;
        w[OP_BATCH] = 4;
        w[OP_CASH_MOVE] = 6;
        w[OP_START_CLOSING] = 2 + c->orders_in_trading / 6;
    }
    if (!c->trading && (c->closing || c->closed)) {
        w[OP_SUBMIT] = 4;   /* late orders while nothing trades: to a rescue session, or refused */
        w[OP_BATCH] = 2;
    }
    if (c->trading || c->closing) {
        w[OP_CONFIRM] = 6 + 6 * c->closing_pending;
        w[OP_FAIL] = 2 + 2 * c->closing_pending;
        w[OP_VOID] = 3;
        w[OP_CANCEL] = (c->drafts ? 4 : 1) + 10 * c->closing_drafts;
        w[OP_INVOICED] = 3;
        w[OP_CASH_VOID] = 2;
    }
    if (c->closing) {
        w[OP_COUNT] = 12;
        w[OP_CLOSE] = 12;
        w[OP_REOPEN] = 3;
    }
}

static int choose(gen *g, const int *w)
{
    int total = 0;
    for (int i = 0; i < OP_N; i++)
        total += w[i];
    int x = (int)prng_below(&g->r, (uint64_t)total);
    for (int i = 0; i < OP_N; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return OP_CLOCK;
}

static void gen_clock(gen *g, op *o)
{
    o->kind = OP_CLOCK;
    int k = (int)prng_below(&g->r, 10);
    o->clock_ms = k < 6 ? prng_range(&g->r, 61, 1000) * 1000 + 7
                : k < 9 ? prng_range(&g->r, 16, 40) * 60000 + 13
                        : prng_range(&g->r, 20, 30) * 3600000 + 11;
}

static void gen_null_handle(gen *g, op *o)
{
    o->kind = OP_NULL_HANDLE;
    o->index = (int64_t)prng_below(&g->r, 15);
    gen_actor(&o->actor, MIA);
    o->session = gen_pick_session(g, ST_OPEN_ANY, 1);
    o->order = g->m->no ? (int)prng_below(&g->r, (uint64_t)g->m->no) : -1;
    snprintf(o->fault, sizeof o->fault, "NULL handle or pointer (%d)", (int)o->index);
}

static void dispatch(gen *g, op *o, int kind)
{
    switch (kind) {
    case OP_CONFIG_SAVE: gen_config_save(g, o); break;
    case OP_CONFIG_UPDATE: gen_config_update(g, o); break;
    case OP_CONFIG_FORM: gen_config_form(g, o); break;
    case OP_CREATE: gen_create(g, o); break;
    case OP_COUNT: gen_count(g, o); break;
    case OP_CLOSE: gen_close(g, o); break;
    case OP_FORCE_CLOSE: gen_force_close(g, o); break;
    case OP_ORDER_CREATE: gen_order_create(g, o); break;
    case OP_ADD_LINE: gen_add_line(g, o); break;
    case OP_REMOVE_LINE: gen_remove_line(g, o); break;
    case OP_ADD_PAYMENT: gen_add_payment(g, o); break;
    case OP_CONFIRM: case OP_FAIL: case OP_VOID: gen_payment_state(g, o, kind); break;
    case OP_CANCEL: gen_cancel(g, o); break;
    case OP_VALIDATE: gen_validate(g, o); break;
    case OP_INVOICED: gen_invoiced(g, o); break;
    case OP_SUBMIT: gen_submit(g, o); break;
    case OP_BATCH: gen_batch(g, o); break;
    case OP_CASH_MOVE: gen_cash_move(g, o); break;
    case OP_CASH_VOID: gen_cash_void(g, o); break;
    case OP_NULL_HANDLE: gen_null_handle(g, o); break;
    case OP_META_SET: gen_meta_set(g, o); break;
    case OP_META_GET: gen_meta_get(g, o); break;
    case OP_LIST: gen_list(g, o); break;
    case OP_CLOCK: gen_clock(g, o); break;
    default: gen_session_op(g, o, kind); break;
    }
}

/* Whether the actor of o may come without a device (common.h: "NULL means any device") with
 * an outcome the docs define: calls no lease plays a part in (configs, role none, a manager
 * or admin supervising a session it is not responsible for, reopen, force close) and calls
 * refused because the actor is not the responsible user (EACCESS comes before the lease).
 * Not: creating, taking over or operating as the responsible user (the actor's device
 * becomes the lease holder), nor late orders (the submitter may hold the open session). */
static int device_free(const gen *g, const op *o)
{
    if (o->actor.null || o->actor.user.null || o->actor.version != 1 || o->actor.role < R_NONE ||
        o->actor.role > R_ADMIN || o->kind == OP_NULL_HANDLE)
        return 0;
    if (o->kind == OP_CONFIG_SAVE || o->kind == OP_CONFIG_UPDATE)
        return 1;
    if (o->session < 0 || o->kind == OP_CREATE || o->kind == OP_TAKE_OVER ||
        o->kind == OP_RESUME || o->kind == OP_CLOCK || o->kind == OP_CONFIG_FORM)
        return 0;
    const m_session *s = &g->m->s[o->session];
    int late = s->state == SS_CLOSING || s->state == SS_CLOSED;
    if ((o->kind == OP_SUBMIT || o->kind == OP_BATCH) && late)
        return o->actor.role == R_NONE;
    if (o->actor.role == R_NONE)
        return 1;
    return strcmp(o->actor.user.s, s->user) != 0;
}

void gen_next(gen *g, op *o)
{
    memset(o, 0, sizeof *o);
    o->ctx = -1;
    o->session = o->order = -1;
    o->index = -1;
    o->amount = M_UNSET;
    g_str_set(&o->note, NULL);
    census c;
    take_census(g, &c);
    int w[OP_N];
    weights(&c, w);
    dispatch(g, o, choose(g, w));
    if (o->kind == OP_CLOCK && !o->clock_ms)
        gen_clock(g, o);
    else if (o->kind != OP_CLOCK)
        o->clock_ms = prng_range(&g->r, 1, 90) * 1000 + 3;
    if (o->ctx < 0 && prng_chance(&g->r, 15))
        o->ctx = (int)prng_below(&g->r, 2);
    if (prng_chance(&g->r, 8) && device_free(g, o)) {
        g_str_set(&o->actor.device, NULL);
        if (!o->fault[0])
            snprintf(o->fault, sizeof o->fault, "actor without a device");
    }
}

/* The handles a host keeps: after a save, the saved handle is the kept one. */
void gen_after(gen *g, const op *o, int rc)
{
    if (o->kind == OP_CONFIG_UPDATE && o->flag && rc != 0 && rc != -1) {
        g->kept[o->session] = o->config;   /* the kept handle holds the addition, unsaved */
        return;
    }
    if (rc != 0)
        return;
    if (o->kind == OP_CONFIG_SAVE) {
        int reg = m_find_reg(g->m, o->config.id);
        if (reg >= 0) {
            g->kept[reg] = o->config;
            g->kept_rev[reg] = g->m->reg[reg].rev;
        }
    } else if (o->kind == OP_CONFIG_UPDATE && o->keep) {
        g->kept[o->session] = o->config;
        g->kept_rev[o->session] = g->m->reg[o->session].rev;
    }
}
