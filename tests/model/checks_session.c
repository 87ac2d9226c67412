/* checks_session.c: a session handle's getters, pss_session_verify, the drafts list and the
 * report (figures, methods, taxes, products, texts) against the oracle's figures. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

#define CMP(d, what, got, want)                                                              \
    do {                                                                                     \
        int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                                   \
        if (g_ != w_)                                                                        \
            return drv_failf(d, "%s %s: got %" PRId64 ", expected %" PRId64 "\n", ctxname,   \
                             what, g_, w_);                                                  \
    } while (0)

#define CMPS(d, what, got, want)                                                             \
    do {                                                                                     \
        const char *g_ = (got), *w_ = (want);                                                \
        if (!g_ || strcmp(g_, w_) != 0)                                                      \
            return drv_failf(d, "%s %s: got \"%s\", expected \"%s\"\n", ctxname, what,       \
                             g_ ? g_ : "(null)", w_);                                        \
    } while (0)

/* got must be want or alt (two readings the docs leave open) */
#define CMP2(d, what, got, want, alt)                                                        \
    do {                                                                                     \
        int64_t g_ = (int64_t)(got), w_ = (int64_t)(want), a_ = (int64_t)(alt);              \
        if (g_ != w_ && g_ != a_)                                                            \
            return drv_failf(d, "%s %s: got %" PRId64 ", expected %" PRId64 " or %" PRId64   \
                             "\n", ctxname, what, g_, w_, a_);                               \
    } while (0)

static const char *const state_names[] = {"?", "new", "opening_control", "in_progress",
                                          "closing_control", "closed"};

static int getters(driver *d, const m_session *s, pss_session *h, const m_figs *f,
                   const char *ctxname)
{
    CMPS(d, "id", pss_session_id(h), s->id);
    CMPS(d, "name", pss_session_name(h), s->name);
    CMPS(d, "config", pss_session_config_id(h), d->m->reg[s->reg].cfg.id);
    CMP(d, "state", pss_session_state_of(h), s->state);
    CMP(d, "is_rescue", pss_session_is_rescue(h), s->rescue);
    if (s->date[0])
        CMPS(d, "operating date", pss_session_operating_date(h), s->date);
    if (s->state != SS_CLOSED) {
        CMPS(d, "responsible user", pss_session_user(h), s->user);
        CMPS(d, "lease device", pss_session_lease_device(h), s->device);
        CMP(d, "lease expires", pss_session_lease_expires(h), s->lease_exp);
    }
    int64_t e = 0, c = 0, cur = 0, post = 0, cash = 0;
    size_t dr = 0, pe = 0;
    if (!s->rescue) {
        pss_session_opening(h, &e, &c);
        CMP(d, "opening expected", e, s->open_exp);
        CMP(d, "opening counted", c, s->open_cnt);
    }
    pss_session_balance(h, &cur, &post);
    CMP(d, "balance current", cur, f->current);
    CMP(d, "balance posted", post, f->posted);
    if (pss_session_expected_cash(h, &cash))
        return drv_failf(d, "%s expected cash: %s\n", ctxname, pss_ctx_errmsg(d->ctx[0]));
    CMP(d, "expected cash", cash, f->expected_cash);
    pss_session_blockers(h, &dr, &pe);
    CMP(d, "blockers drafts", dr, f->drafts);
    CMP(d, "blockers pending", pe, f->pending);
    return 0;
}

static int drafts_list(driver *d, int si, pss_session *h, const char *ctxname)
{
    pss_strlist *l = NULL;
    if (pss_session_drafts(h, &l))
        return drv_failf(d, "%s pss_session_drafts failed\n", ctxname);
    size_t n = 0;
    int bad = 0;
    for (int i = 0; i < d->m->no && !bad; i++) {
        const m_order *o = &d->m->o[i];
        if (o->session != si || o->state != OS_DRAFT)
            continue;
        const char *got = pss_strlist_get(l, n++);
        if (!got || strcmp(got, o->id) != 0)
            bad = drv_failf(d, "%s drafts[%zu]: got %s, expected %s\n", ctxname, n - 1,
                            got ? got : "(end)", o->id);
    }
    if (!bad && pss_strlist_count(l) != n)
        bad = drv_failf(d, "%s drafts: %zu listed, expected %zu\n", ctxname, pss_strlist_count(l), n);
    pss_strlist_free(l);
    return bad;
}

static int64_t counted_cash(const m_session *s)
{
    if (s->state == SS_CLOSED)
        return s->posted_counted;
    return s->count.has ? s->count.cash : M_UNSET;
}

/* The other counted cash a report may give before the close: a count that left the cash out
 * (no cash control) is "not counted" (report.h: "PSS_UNSET when not counted") or already
 * the expected cash "taken as counted" (close-flow.md, "3. Count"); README, reading 13.
 * Either way the difference is 0. */
static int64_t counted_alt(const m_session *s, const m_figs *f)
{
    if (s->state != SS_CLOSED && s->count.has && s->count.cash == M_UNSET)
        return f->expected_cash;
    return counted_cash(s);
}

static int report_figures(driver *d, const m_session *s, const pss_report *r, const m_figs *f,
                          const char *ctxname)
{
    int64_t counted = counted_cash(s);
    if (!s->rescue) {
        CMP(d, "report opening expected", pss_report_get(r, PSS_FIG_OPENING_EXPECTED), s->open_exp);
        CMP(d, "report opening counted", pss_report_get(r, PSS_FIG_OPENING_COUNTED), s->open_cnt);
        CMP(d, "report opening difference", pss_report_get(r, PSS_FIG_OPENING_DIFFERENCE),
            s->open_cnt == M_UNSET ? 0 : s->open_cnt - s->open_exp);
        CMP(d, "report opened at", pss_report_get(r, PSS_FIG_OPENED_AT), s->opened_at);
        CMP(d, "report created at", pss_report_get(r, PSS_FIG_CREATED_AT), s->created_at);
    }
    CMP(d, "report cash payments", pss_report_get(r, PSS_FIG_CASH_PAYMENTS), f->cash_payments);
    CMP(d, "report change", pss_report_get(r, PSS_FIG_CHANGE), f->change);
    CMP(d, "report cash in", pss_report_get(r, PSS_FIG_CASH_IN), f->cash_in);
    CMP(d, "report cash out", pss_report_get(r, PSS_FIG_CASH_OUT), f->cash_out);
    CMP(d, "report expenses", pss_report_get(r, PSS_FIG_EXPENSES), f->expenses);
    CMP(d, "report corrections", pss_report_get(r, PSS_FIG_CORRECTIONS), f->corrections);
    CMP(d, "report expected cash", pss_report_get(r, PSS_FIG_EXPECTED_CASH), f->expected_cash);
    CMP2(d, "report counted cash", pss_report_get(r, PSS_FIG_COUNTED_CASH), counted,
         counted_alt(s, f));
    CMP(d, "report difference", pss_report_get(r, PSS_FIG_DIFFERENCE),
        counted == M_UNSET ? 0 : counted - f->expected_cash);
    CMP(d, "report allowed", pss_report_get(r, PSS_FIG_ALLOWED), s->cfg.max_diff);
    CMP(d, "report orders", pss_report_get(r, PSS_FIG_ORDERS), f->orders);
    CMP(d, "report refunds", pss_report_get(r, PSS_FIG_REFUNDS), f->refunds);
    CMP(d, "report cancelled", pss_report_get(r, PSS_FIG_CANCELLED), f->cancelled);
    CMP(d, "report drafts", pss_report_get(r, PSS_FIG_DRAFTS), f->drafts);
    CMP(d, "report pending", pss_report_get(r, PSS_FIG_PENDING), f->pending);
    CMP(d, "report posted total", pss_report_get(r, PSS_FIG_POSTED_TOTAL), f->posted);
    CMP(d, "report current total", pss_report_get(r, PSS_FIG_CURRENT_TOTAL), f->current);
    CMP(d, "report rounding", pss_report_get(r, PSS_FIG_ROUNDING), f->rounding);
    CMP(d, "report invoiced", pss_report_get(r, PSS_FIG_INVOICED), f->invoiced);
    CMP(d, "report untaxed", pss_report_get(r, PSS_FIG_UNTAXED), f->untaxed);
    CMP(d, "report tax", pss_report_get(r, PSS_FIG_TAX), f->tax);
    CMP(d, "report closed at", pss_report_get(r, PSS_FIG_CLOSED_AT),
        s->state == SS_CLOSED ? s->closed_at : 0);
    return 0;
}

static int64_t method_counted(const m_session *s, int mi)
{
    if (s->cfg.m[mi].kind == MK_CASH)
        return counted_cash(s);
    if (!s->count.has || s->rescue)
        return M_UNSET;
    for (int i = 0; i < s->count.n; i++)
        if (s->count.method[i] == mi)
            return s->count.amount[i];
    return M_UNSET;
}

static int report_method(driver *d, const m_session *s, const pss_report_method *rm,
                         const m_figs *f, const char *ctxname)
{
    int mi = m_method_index(&s->cfg, rm->name);
    if (mi < 0 && s->state == SS_CLOSED &&
        m_method_index(&d->m->reg[s->reg].cfg, rm->name) >= 0 && !rm->amount && !rm->payments)
        return 0; /* added to the config after the close */
    if (mi < 0)
        return drv_failf(d, "%s report method %s is not a method of the config\n", ctxname,
                         rm->name);
    const m_mfig *mf = &f->m[mi];
    int cash = s->cfg.m[mi].kind == MK_CASH;
    int64_t net = mf->amount - mf->change, exp = cash ? f->expected_cash : net;
    int64_t counted = method_counted(s, mi);
    CMPS(d, "report method account", rm->account, s->cfg.m[mi].account);
    CMP(d, "report method is_cash", rm->is_cash, cash);
    CMP(d, "report method payments", rm->payments, mf->payments);
    CMP(d, "report method amount", rm->amount, mf->amount);
    CMP(d, "report method change", rm->change, mf->change);
    CMP(d, "report method net", rm->net, net);
    CMP(d, "report method expected", rm->expected, exp);
    if (cash)
        CMP2(d, "report method counted", rm->counted, counted, counted_alt(s, f));
    else
        CMP(d, "report method counted", rm->counted, counted);
    CMP(d, "report method difference", rm->difference, counted == M_UNSET ? 0 : counted - exp);
    return 0;
}

static int report_methods(driver *d, const m_session *s, const pss_report *r, const m_figs *f,
                          const char *ctxname)
{
    size_t n = pss_report_method_count(r);
    if (n < (size_t)s->cfg.nm || (s->state != SS_CLOSED && n != (size_t)s->cfg.nm))
        CMP(d, "report method count", n, s->cfg.nm);
    for (size_t i = 0; i < n; i++) {
        pss_report_method rm = PSS_REPORT_METHOD_INIT;
        if (pss_report_get_method(r, i, &rm) || report_method(d, s, &rm, f, ctxname))
            return drv_failf(d, "%s (report method %zu %s)\n", ctxname, i, rm.name ? rm.name : "?");
    }
    return 0;
}

static int report_taxes(driver *d, const m_session *s, const pss_report *r, const m_figs *f,
                        const char *ctxname)
{
    const m_config *c = &d->m->reg[s->reg].cfg;
    int seen[M_MAXT] = {0};
    for (size_t i = 0; i < pss_report_tax_count(r); i++) {
        pss_report_tax rt = PSS_REPORT_TAX_INIT;
        pss_report_get_tax(r, i, &rt);
        int ti = rt.code ? m_tax_index(c, rt.code) : -1;
        if (ti < 0)
            return drv_failf(d, "%s report tax %s unknown\n", ctxname, rt.code ? rt.code : "?");
        seen[ti] = 1;
        const m_tfig *t = &f->t[ti];
        CMPS(d, "report tax account", rt.account, c->t[ti].account);
        CMP(d, "report tax base", rt.base, t->base);
        CMP(d, "report tax amount", rt.amount, t->amount);
        CMP(d, "report tax refund base", rt.refund_base, t->rbase);
        CMP(d, "report tax refund amount", rt.refund_amount, t->ramount);
    }
    for (int ti = 0; ti < c->nt; ti++) {
        const m_tfig *t = &f->t[ti];
        if (!seen[ti] && (t->base || t->amount || t->rbase || t->ramount))
            return drv_failf(d, "%s report lacks tax %s (amount %" PRId64 ", refunded %" PRId64
                             ")\n", ctxname, c->t[ti].code, t->amount, t->ramount);
    }
    return 0;
}

static const m_prod *oracle_product(const m_figs *f, const char *id)
{
    for (int i = 0; i < f->np; i++)
        if (strcmp(f->p[i].id, id) == 0)
            return &f->p[i];
    return NULL;
}

static int report_products(driver *d, const pss_report *r, const m_figs *f, const char *ctxname)
{
    int found = 0;
    for (size_t i = 0; i < pss_report_product_count(r); i++) {
        pss_report_product rp = PSS_REPORT_PRODUCT_INIT;
        pss_report_get_product(r, i, &rp);
        const m_prod *p = rp.product_id ? oracle_product(f, rp.product_id) : NULL;
        int64_t sold = p ? p->sold : 0, ref = p ? p->refunded : 0;
        found += p && (sold || ref);
        CMP(d, "report product sold", rp.sold, sold);
        CMP(d, "report product refunded", rp.refunded, ref);
        CMP(d, "report product net", rp.net, sold - ref);
        if (p)
            CMPS(d, "report product name", rp.name, p->name);
    }
    int want = 0;
    for (int i = 0; i < f->np; i++)
        want += f->p[i].sold || f->p[i].refunded;
    CMP(d, "report products with quantities", found, want);
    return 0;
}

static int report_texts(driver *d, const m_session *s, const pss_report *r, const char *ctxname)
{
    CMPS(d, "report session name", pss_report_text_of(r, PSS_TEXT_SESSION_NAME), s->name);
    CMPS(d, "report session id", pss_report_text_of(r, PSS_TEXT_SESSION_ID), s->id);
    CMPS(d, "report currency", pss_report_text_of(r, PSS_TEXT_CURRENCY), s->cfg.currency);
    CMPS(d, "report state", pss_report_text_of(r, PSS_TEXT_STATE), state_names[s->state]);
    if (s->date[0])
        CMPS(d, "report date", pss_report_text_of(r, PSS_TEXT_OPERATING_DATE), s->date);
    if (!s->rescue)
        CMPS(d, "report opened by", pss_report_text_of(r, PSS_TEXT_OPENED_BY), s->opened_by);
    CMPS(d, "report closed by", pss_report_text_of(r, PSS_TEXT_CLOSED_BY), s->closed_by);
    if (s->state != SS_CLOSED)
        CMPS(d, "report responsible", pss_report_text_of(r, PSS_TEXT_RESPONSIBLE), s->user);
    const char *entry = pss_report_text_of(r, PSS_TEXT_ENTRY_ID);
    if ((s->state == SS_CLOSED) != (entry && entry[0]))
        return drv_failf(d, "%s report entry id \"%s\" for a session %s\n", ctxname,
                         entry ? entry : "(null)", state_names[s->state]);
    return 0;
}

static int report(driver *d, const m_session *s, pss_session *h, const m_figs *f,
                  const char *ctxname)
{
    pss_report *r = NULL;
    if (pss_session_report(h, &r))
        return drv_failf(d, "%s pss_session_report failed: %s\n", ctxname,
                         pss_ctx_errmsg(d->ctx[0]));
    int bad = report_figures(d, s, r, f, ctxname) || report_methods(d, s, r, f, ctxname) ||
              report_taxes(d, s, r, f, ctxname) || report_products(d, r, f, ctxname) ||
              report_texts(d, s, r, ctxname);
    pss_report_free(r);
    return bad;
}

static const char *opt(const char *s)
{
    return s ? s : "";
}

/* pss_cash_list_load: the session's movements in the order they were recorded. */
static int cash_list(driver *d, int si, pss_session *h, const char *ctxname)
{
    pss_cash_list *l = NULL;
    if (pss_cash_list_load(h, &l))
        return drv_failf(d, "%s pss_cash_list_load failed\n", ctxname);
    size_t n = 0;
    int bad = 0;
    for (int i = 0; i < d->m->nmv && !bad; i++) {
        const m_move *v = &d->m->mv[i];
        if (v->session != si)
            continue;
        pss_cash_info c = PSS_CASH_INFO_INIT;
        if (pss_cash_list_get(l, n++, &c)) {
            bad = drv_failf(d, "%s cash list lacks movement %s\n", ctxname, v->id);
            break;
        }
        if (strcmp(opt(c.id), v->id) || (int)c.kind != v->kind || c.amount != v->amount ||
            strcmp(opt(c.reason), v->reason) || strcmp(opt(c.account), v->account) ||
            strcmp(opt(c.user), v->user) || c.time != v->time || c.voided != v->voided ||
            (v->voided && strcmp(opt(c.void_reason), v->void_reason)))
            bad = drv_failf(d, "%s cash movement %zu: got %s kind %d amount %" PRId64 " account %s "
                            "user %s time %" PRId64 " voided %d; expected %s kind %d amount %" PRId64
                            " account %s user %s time %" PRId64 " voided %d\n", ctxname, n - 1,
                            opt(c.id), c.kind, c.amount, opt(c.account), opt(c.user), c.time,
                            c.voided, v->id, v->kind, v->amount, v->account, v->user, v->time,
                            v->voided);
    }
    if (!bad && pss_cash_list_count(l) != n)
        bad = drv_failf(d, "%s cash list: %zu movements, expected %zu\n", ctxname,
                        pss_cash_list_count(l), n);
    pss_cash_list_free(l);
    return bad;
}

/* Every figure of the session handle h against the oracle's session si. */
int checks_session(driver *d, int si, pss_session *h)
{
    const m_session *s = &d->m->s[si];
    char ctxname[128];
    snprintf(ctxname, sizeof ctxname, "session %s (%s):", s->name, state_names[s->state]);
    m_figs f;
    m_figs_of(d->m, si, 0, &f);
    if (getters(d, s, h, &f, ctxname) || drafts_list(d, si, h, ctxname) ||
        cash_list(d, si, h, ctxname))
        return 1;
    if (s->state != SS_CLOSED) {
        int rc = pss_session_verify(h);
        if (rc)
            return drv_failf(d, "%s pss_session_verify: %d (%s)\n", ctxname, rc,
                             pss_ctx_errmsg(d->ctx[0]));
    }
    return report(d, s, h, &f, ctxname);
}
