/* driver_cover.c: which of the cases the docs single out a call met (cover.h): late orders
 * by policy, the state of the session submitted to and of the rescue session, and where
 * each order went; payouts near the drawer's limit with and without allow_negative_drawer. */
#include <string.h>

#include "cover.h"
#include "driver.h"

static const char *policy_name(int p)
{
    return p == LATE_ROUTE ? "route" : p == LATE_RESCUE ? "rescue" : p == LATE_REFUSE ? "refuse"
                                                                                        : "?";
}

static const char *state_name(int st)
{
    static const char *const names[] = {"?", "new", "opening", "trading", "counted", "closed"};
    return st >= 1 && st <= 5 ? names[st] : "?";
}

void cover_before(const driver *d, const op *o, cover_pre *p)
{
    const model *m = d->m;
    memset(p, 0, sizeof *p);
    if (o->session < 0 || o->session >= m->ns || o->kind == OP_CONFIG_UPDATE)
        return;
    const m_session *s = &m->s[o->session];
    const m_register *r = &m->reg[s->reg];
    p->state = s->state;
    p->policy = r->cfg.late_orders;
    p->allow = s->cfg.allow_negative;
    p->rescue_state = r->rescue_session >= 0 ? m->s[r->rescue_session].state : 0;
    p->open_trading = r->open_session >= 0 && m->s[r->open_session].state == SS_PROGRESS;
    for (int k = 0; k < o->n_orders; k++)
        p->known += !o->orders[k].id.null && m_find_order(m, o->orders[k].id.s) >= 0;
    if (s->state == SS_PROGRESS && (o->kind == OP_CASH_MOVE || o->kind == OP_ADD_PAYMENT))
        p->holds = m_drawer(m, o->session, NULL);
}

static void cover_order(const driver *d, const op *o, const cover_pre *p, int k,
                        const pss_submit_result *got)
{
    const char *where = "refused";
    if (got->status == 0)
        where = got->duplicate ? "answered as recorded" : !got->routed ? "recorded there"
              : got->rescue ? "routed to the rescue session" : "routed to the open session";
    int late = p->state == SS_CLOSING || p->state == SS_CLOSED;
    const char *rescue = p->rescue_state == SS_CLOSING ? ", rescue counted"
                       : p->rescue_state ? "" : ", no rescue";
    if (late)
        cover_hit("%s late/%s to a %s session%s%s: %s %s", op_name(o->kind),
                  policy_name(p->policy), state_name(p->state), rescue,
                  p->open_trading ? ", open trading" : "", where,
                  got->status ? pss_strerror(got->status) : "");
    if (got->status == PSS_EDRAWER)
        cover_hit("%s: an order refused with PSS_EDRAWER", op_name(o->kind));
    const m_session *s = &d->m->s[o->session];
    int cash = m_cash_method(&s->cfg), out = 0;
    for (int i = 0; i < o->orders[k].n_payments; i++)
        out |= o->orders[k].payments[i].amount < 0 && !o->orders[k].payments[i].method.null &&
               cash >= 0 && strcmp(o->orders[k].payments[i].method.s, s->cfg.m[cash].name) == 0;
    int back = 0;
    for (int i = 0; i < o->orders[k].n_lines; i++)
        back |= o->orders[k].lines[i].refund_line < 0 && o->orders[k].lines[i].quantity < 0;
    if (back && !got->duplicate)
        cover_hit("%s: an order with a return without a receipt (returns %s, role %s): %s",
                  op_name(o->kind), s->cfg.allow_rr ? "allowed" : "refused",
                  o->actor.role >= s->cfg.rr_role ? "enough" : "too low",
                  got->status ? pss_strerror(got->status) : "recorded");
    if (out && !got->duplicate)
        cover_hit("%s: a %scash refund %s%s", op_name(o->kind), late ? "late " : "",
                  got->status ? "refused: " : "recorded",
                  got->status ? pss_strerror(got->status) : got->rescue ? " in a rescue session"
                                                                        : "");
}

static void cover_submit(const driver *d, const op *o, const cover_pre *p, int rc,
                         const call_out *out)
{
    if (o->kind == OP_BATCH && p->known && p->known < o->n_orders)
        cover_hit("submit_batch mixing recorded and new orders to a %s session: rc %s",
                  state_name(p->state), rc ? pss_strerror(rc) : "0");
    if (rc) {
        if (p->state == SS_CLOSING || p->state == SS_CLOSED)
            cover_hit("%s late/%s to a %s session refused whole: %s", op_name(o->kind),
                      policy_name(p->policy), state_name(p->state), pss_strerror(rc));
        return;
    }
    for (int k = 0; k < o->n_orders; k++)
        cover_order(d, o, p, k, &out->res[k]);
}

/* A payout at the drawer's limit: what it held minus one, exactly, plus one. */
static void cover_payout(const char *what, const cover_pre *p, int64_t payout, int rc)
{
    int64_t edge = payout - p->holds;
    if (edge < -1 || edge > 1)
        return;
    cover_hit("%s of the drawer%s%s, negative drawer %s: %s", what,
              edge < 0 ? " less one" : edge > 0 ? " plus one" : "", p->holds <= 0 ? " (<= 0)" : "",
              p->allow ? "allowed" : "refused", rc ? pss_strerror(rc) : "0");
}

void cover_after(const driver *d, const op *o, const cover_pre *p, int rc, const call_out *out)
{
    if (o->kind == OP_SUBMIT || o->kind == OP_BATCH)
        cover_submit(d, o, p, rc, out);
    if (o->kind == OP_CASH_MOVE && !o->fault[0] && p->state == SS_PROGRESS &&
        (o->cash.kind == CK_OUT || o->cash.kind == CK_EXPENSE))
        cover_payout(o->cash.kind == CK_OUT ? "cash out" : "expense", p, o->cash.amount, rc);
    if (o->kind == OP_ADD_PAYMENT && !o->fault[0] && p->state == SS_PROGRESS &&
        o->pay.amount < 0)
        cover_payout("refund payment", p, -o->pay.amount, rc);
    if (o->kind == OP_ORDER_CREATE || o->kind == OP_ADD_LINE) {
        const g_order *in = &o->orders[0];
        int oi = in->refund_of.null ? -1 : m_find_order(d->m, in->refund_of.s);
        const m_order *orig = oi >= 0 ? &d->m->o[oi] : o->order >= 0 && o->order < d->m->no &&
                              d->m->o[o->order].refund_of >= 0 ? &d->m->o[d->m->o[o->order].refund_of]
                                                                : NULL;
        int n = o->kind == OP_ADD_LINE ? 1 : in->n_lines;
        for (int i = 0; orig && i < n; i++) {
            int64_t rl = in->lines[i].refund_line;
            if (rl >= 0 && rl < orig->nl && orig->l[rl].qty < 0)
                cover_hit("%s: a refund of a line taken back without a receipt: %s",
                          op_name(o->kind), rc ? pss_strerror(rc) : "0");
        }
    }
    if (o->kind == OP_ORDER_CREATE) {
        const g_order *in = &o->orders[0];
        int back = 0, disc = in->disc_amount || in->disc_ppm;
        for (int i = 0; i < in->n_lines; i++)
            back |= in->lines[i].refund_line < 0 && in->lines[i].quantity < 0;
        if (back)
            cover_hit("order_create with a return without a receipt%s: %s",
                      disc ? " and an order discount" : "", rc ? pss_strerror(rc) : "0");
    }
    if (o->kind == OP_LIST && rc)
        cover_hit("list refused: %s (%s)", pss_strerror(rc), o->fault);
    if (o->kind == OP_META_SET || o->kind == OP_META_GET) {
        static const char *const kinds[] = {"?", "config", "session", "order", "movement"};
        int v = m_meta_verdict(meta_text(o->meta));
        const char *cls = !o->meta ? "none" : v == META_OK ? "accepted" : v == META_BAD
                        ? "refused" : "left open";
        int kind = o->meta_kind >= 1 && o->meta_kind <= 4 ? o->meta_kind : 0;
        if (o->kind == OP_META_GET)
            cover_hit("meta_get of a %s: %s", kinds[kind], rc ? pss_strerror(rc) : "0");
        else if (v == META_EITHER && !strcmp(o->fault, "metadata left open")) {
            char esc[160];
            gen_escape(meta_text(o->meta), esc, sizeof esc);
            cover_hit("meta_set, a text the docs leave open, %.40s: %s", esc,
                      rc ? pss_strerror(rc) : "0");
        }
        else
            cover_hit("meta_set of a %s%s, metadata %s%s: %s", kinds[kind],
                      kind >= 2 && p->state == SS_CLOSED ? " of a closed session" : "", cls,
                      o->fault[0] && strncmp(o->fault, "metadata", 8) ? " (another fault)" : "",
                      rc ? pss_strerror(rc) : "0");
    }
    if (o->kind == OP_CONFIG_FORM && o->config.late_orders != LATE_ROUTE &&
        o->config.late_orders != LATE_RESCUE && o->config.late_orders != LATE_REFUSE)
        cover_hit("config_form with late-order policy out of range: %s",
                  rc ? pss_strerror(rc) : "0");
}
