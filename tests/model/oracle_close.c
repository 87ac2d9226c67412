/* oracle_close.c: doc/close-flow.md: the count (total or denominations, other methods), the
 * close with its refusals and the difference rule, force close (drafts cancelled, pending
 * payments voided, where the count comes from), and what a close changes: the state, the
 * open-session slot, the opening-cash chain and the posted entry. */
#include <string.h>

#include "oracle.h"

static int64_t mag(int64_t v)
{
    return v < 0 ? -v : v;
}

static int denoms_form(const m_config *c, const g_count *in, int64_t *sum)
{
    *sum = 0;
    for (int i = 0; i < in->n_denoms; i++) {
        const g_denom *d = &in->denoms[i];
        int known = 0;
        for (int k = 0; k < c->nd; k++)
            known |= c->d[k] == d->value;
        if (!known || d->count < 0)
            return E_INVAL;
        m_i128 v = (m_i128)d->value * d->count;
        if (v > M_AMAX)
            return E_INVAL;
        *sum += (int64_t)v;
        if (*sum > M_AMAX)
            return E_INVAL;
    }
    return 0;
}

static int methods_form(const m_config *c, const g_count *in)
{
    for (int i = 0; i < in->n_methods; i++) {
        int mi = m_method_index(c, in->methods[i]);
        if (mi < 0 || c->m[mi].kind == MK_CASH)
            return E_INVAL;
        if (mag(in->method_amounts[i]) > M_AMAX)
            return E_INVAL;
    }
    return 0;
}

static void count_form(const m_config *c, const g_count *in, int64_t *cash, m_expect *ex)
{
    int by_total = in->cash_total != M_UNSET, by_denoms = in->n_denoms >= 0;
    /* close.h, pss_session_count: EINVAL for "both total and denominations, neither when
     * the config has cash control, cash counted on a config without a cash method";
     * "Without cash control the cash may be left out (a count of the non-cash methods
     * only)" */
    if (by_total && by_denoms)
        ex_add(ex, E_INVAL, "give the cash as a total or by denomination, not both");
    if (!by_total && !by_denoms && c->cash_control)
        ex_add(ex, E_INVAL, "cash control: the count must give the cash");
    if ((by_total || by_denoms) && m_cash_method(c) < 0)
        ex_add(ex, E_INVAL, "cash counted on a config without a cash method");
    if (by_total && (in->cash_total < 0 || in->cash_total > M_AMAX))
        ex_add(ex, E_INVAL, "counted cash out of range");
    *cash = in->cash_total;   /* M_UNSET: the cash left out */
    if (by_denoms && denoms_form(c, in, cash))
        ex_add(ex, E_INVAL, "denomination unknown, negative or beyond the bound");
    if (methods_form(c, in))
        ex_add(ex, E_INVAL, "counted method unknown, cash, or beyond the bound");
}

void m_do_count(model *m, int si, const g_actor *a, const g_count *in, const g_str *note,
                m_expect *ex)
{
    m_session *s = &m->s[si];
    m_access(m, s, a, RULE_SUPERVISE, ST(SS_CLOSING), ex);
    if (!note->null && !m_valid_utf8(note->s, 0))
        ex_add(ex, E_INVAL, "count note not text");
    int64_t cash;
    count_form(&s->cfg, in, &cash, ex);
    if (ex_refused(ex))
        return;
    s->count.has = 1;
    s->count.cash = cash;
    s->count.n = in->n_methods;
    for (int i = 0; i < in->n_methods; i++) {
        s->count.method[i] = m_method_index(&s->cfg, in->methods[i]);
        s->count.amount[i] = in->method_amounts[i];
    }
    s->touched = 1;
    m_fiscal(m, si, 1);   /* session.count: a new count is an entry of its own */
    m_renew(m, s, a);
}

/* The counted cash a close posts (without cash control, and for rescue sessions, the
 * expected cash is taken as counted). A count that left the cash out (close-flow.md:
 * "Without cash control nothing needs counting: the expected cash is taken as counted, and
 * a count may leave the cash out") posts the expected cash too: at the close, the only time
 * the docs take it (the generator keeps the expected cash still from such a count to the
 * close, README, reading 13). */
int64_t m_close_counted(const model *m, int si)
{
    const m_session *s = &m->s[si];
    if (s->count.has && !s->rescue && s->count.cash != M_UNSET)
        return s->count.cash;
    m_figs f;
    m_figs_of(m, si, 0, &f);
    return f.expected_cash;
}

static void set_fig(m_expect *ex, const char *name, int64_t v)
{
    if (ex->nfig < 4) {
        ex->fig_name[ex->nfig] = name;
        ex->fig_val[ex->nfig++] = v;
    }
}

/* The difference rule: the worst counted method against max_difference. */
static void difference_rule(const m_session *s, const m_figs *f, const g_actor *a,
                            m_expect *ex)
{
    /* a count that left the cash out: the expected cash is taken as counted (close-flow.md,
     * "3. Count"), no cash difference */
    int64_t cnt = s->count.cash == M_UNSET ? f->expected_cash : s->count.cash;
    int64_t worst = cnt - f->expected_cash, exp = f->expected_cash;
    int ties = 0;
    for (int i = 0; i < s->count.n; i++) {
        const m_mfig *mf = &f->m[s->count.method[i]];
        int64_t d = s->count.amount[i] - (mf->amount - mf->change);
        if (mag(d) == mag(worst))
            ties++;
        if (mag(d) > mag(worst)) {
            worst = d;
            exp = mf->amount - mf->change;
            cnt = s->count.amount[i];
            ties = 0;
        }
    }
    if (mag(worst) <= s->cfg.max_diff || a->role >= s->cfg.override_role)
        return;
    ex_add(ex, E_LIMIT, "difference beyond the allowed one without the override role");
    if (ex->n == 1 && !ties) {
        set_fig(ex, "expected", exp);
        set_fig(ex, "counted", cnt);
        set_fig(ex, "difference", worst);
        set_fig(ex, "allowed", s->cfg.max_diff);
    }
}

static void close_blockers(const m_session *s, const m_figs *f, const g_actor *a,
                           m_expect *ex)
{
    if (f->pending > 0) {
        ex_add(ex, E_PAYPENDING, "payments are pending");
        if (ex->n == 1)
            set_fig(ex, "count", f->pending);
    }
    if (f->drafts > 0) {
        ex_add(ex, E_PENDING, "orders are still drafts");
        if (ex->n == 1)
            set_fig(ex, "count", f->drafts);
    }
    if (s->cfg.cash_control && !s->rescue && !s->count.has)
        ex_add(ex, E_STATE, "cash control and nobody counted");
    if (s->count.has && !s->rescue)
        difference_rule(s, f, a, ex);
}

/* What every close does once it goes through. */
static void closed(model *m, int si, const g_actor *a, int64_t counted)
{
    m_session *s = &m->s[si];
    m_register *r = &m->reg[s->reg];
    s->state = SS_CLOSED;
    s->closed_at = m->now;
    strcpy(s->closed_by, a->user.s);
    s->posted_counted = counted;
    if (s->rescue) {
        r->rescue_session = -1;
    } else {
        r->open_session = -1;
        r->last_closing = counted;
    }
    m_entry *e = m_new_entry(m);
    m_entry_build(m, si, 0, counted, e);
    s->entry = m->ne - 1;
    s->touched = 1;
    /* its one audit entry (session.close, or session.force_close), a rescue session's too:
     * an event of the config's chain; a refused close's entry has its error as outcome */
    m_fiscal(m, si, 1);
}

void m_close(model *m, int si, const g_actor *a, const g_str *note, m_expect *ex)
{
    m_session *s = &m->s[si];
    ex->action = "session.close";
    m_expect probe;
    ex_reset(&probe);
    int bad_note = note && !note->null && !m_valid_utf8(note->s, 0);
    ex->audited = m_actor_check(a, &probe) || bad_note ? 2 : 1;
    if (bad_note)
        ex_add(ex, E_INVAL, "closing note not text");
    if (m_access(m, s, a, RULE_SUPERVISE, ST(SS_CLOSING), ex))
        return;
    m_figs f;
    m_figs_of(m, si, 0, &f);
    close_blockers(s, &f, a, ex);
    if (ex_refused(ex))
        return;
    closed(m, si, a, m_close_counted(m, si));
}

static void cancel_draft(model *m, m_order *o, int void_pending)
{
    (void)void_pending;
    for (int i = 0; i < o->np; i++)
        if (o->p[i].state == PS_DONE || o->p[i].state == PS_PENDING) {
            o->p[i].state = PS_VOIDED;
            o->p[i].settling = 0;
        }
    o->rounding = 0;
    if (m_is_refund(o))
        for (int i = 0; i < o->nl; i++)
            m_tally_give_back(m, o, &o->l[i]);
    o->state = OS_CANCELLED;
    o->touched = 1;
}

void m_force_close(model *m, int si, const g_actor *a, const g_str *reason, int void_pending,
                   int64_t counted, m_expect *ex)
{
    m_session *s = &m->s[si];
    ex->action = "session.force_close";
    ex->audited = 1;
    m_access(m, s, a, RULE_ADMIN, ST_OPEN_ANY, ex);
    int form = 0;
    if (reason->null || !reason->s[0] || !m_valid_utf8(reason->s, 0))
        form = 1, ex_add(ex, E_INVAL, "force close needs a reason");
    if (counted != M_UNSET && (counted < 0 || counted > M_AMAX))
        form = 1, ex_add(ex, E_INVAL, "counted cash out of range");
    m_expect probe;
    ex_reset(&probe);
    if (form || m_actor_check(a, &probe))
        ex->audited = 2;
    m_figs f;
    m_figs_of(m, si, 0, &f);
    if (f.pending > 0 && !void_pending) {
        ex_add(ex, E_PAYPENDING, "payments are pending");
        if (ex->n == 1)
            set_fig(ex, "count", f.pending);
    }
    if (ex_refused(ex))
        return;
    /* the drafts it cancels are listed in its own entry ("The audit entry lists the
     * cancelled orders"; fiscal.md: "a force close's cancelled orders as
     * extra.cancelled.0.id"), not audited as order.cancel each: they add no event */
    for (int i = 0; i < m->no; i++)
        if (m->o[i].session == si && m->o[i].state == OS_DRAFT)
            cancel_draft(m, &m->o[i], void_pending);
    s->forced = 1;
    int64_t posted = counted != M_UNSET ? counted : m_close_counted(m, si);
    closed(m, si, a, posted);
}
