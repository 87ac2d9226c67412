/* driver_list.c: the listing calls (pss_session_list_page, pss_session_list, pss_order_list)
 * and what they give against the oracle's own sessions and orders, in the documented order:
 * every page of a query in turn (each after the last id of the one before, `more` set on all
 * but the last), one page after any session of the config, a session's orders by number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "cover.h"
#include "driver.h"

#define cv_str_of cv_str

/* expect_op's part: what the first call must answer. */
void expect_list(driver *d, op *o, m_expect *ex)
{
    const model *m = d->m;
    if (o->list_kind == LK_ORDERS) {
        if (!(o->mask & (ST(OS_DRAFT) | ST(OS_PAID) | ST(OS_DONE) | ST(OS_CANCELLED))))
            ex_add(ex, E_INVAL, "a mask that selects no order state");
        return;
    }
    if (o->list_kind == LK_ALL)
        return;
    int reg = m_find_reg(m, o->config_id);
    m_list_page_expect(m, reg, o->mask, &o->from, &o->to, &o->after, o->limit, ex);
}

static int same_ids(driver *d, const char *what, const pss_strlist *got, const int *want, int n,
                    int orders)
{
    const model *m = d->m;
    size_t count = pss_strlist_count(got);
    for (int i = 0; i < n; i++) {
        const char *g = pss_strlist_get(got, (size_t)i);
        const char *w = orders ? m->o[want[i]].id : m->s[want[i]].id;
        if (!g || strcmp(g, w) != 0)
            return drv_failf(d, "%s [%d]: %s, expected %s (%s)\n", what, i, g ? g : "(end)", w,
                             orders ? "" : m->s[want[i]].name);
    }
    if (count != (size_t)n)
        return drv_failf(d, "%s: %zu listed, expected %d (the next: %s)\n", what, count, n,
                         count > (size_t)n ? pss_strlist_get(got, (size_t)n) : "-");
    return 0;
}

static int in_range_of(const m_session *s, const op *o)
{
    return (o->from.null || strcmp(s->date, o->from.s) >= 0) &&
           (o->to.null || strcmp(s->date, o->to.s) <= 0);
}

static int page(pss_ctx *ctx, const op *o, const char *after, pss_strlist **out,
                int *more)
{
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    if (o->bad_version)
        q.version = 99;
    q.state_mask = o->mask;
    q.from_date = cv_str_of(&o->from);
    q.to_date = cv_str_of(&o->to);
    q.after = after;
    q.limit = (size_t)o->limit;
    *more = -1;
    return pss_session_list_page(ctx, o->config_id, o->null_input ? NULL : &q, out,
                                 o->flag ? NULL : more);
}

/* A page against the oracle's: its ids and `more`. */
static int check_page(driver *d, const op *o, int pageno, const pss_strlist *got, int more,
                      const int *all, int n)
{
    char what[96];
    snprintf(what, sizeof what, "pss_session_list_page page %d", pageno);
    int take = n < o->limit ? n : (int)o->limit;
    if (same_ids(d, what, got, all, take, 0))
        return 1;
    if (!o->flag && more != (n > take))
        return drv_failf(d, "%s: more %d, expected %d (%d sessions follow)\n", what, more,
                         n > take, n - take);
    return 0;
}

static int walk(driver *d, pss_ctx *ctx, const op *o)
{
    static int all[8192];
    const model *m = d->m;
    int reg = m_find_reg(m, o->config_id), cursor = -1;
    if (!o->after.null)
        cursor = m_find_session(m, o->after.s);
    pss_strlist *l = NULL;
    int more = 0;
    int rc = page(ctx, o, cv_str_of(&o->after), &l, &more);
    if (rc) {
        pss_strlist_free(l);
        return rc;
    }
    if (reg < 0) {
        if (pss_strlist_count(l) != 0)
            drv_failf(d, "pss_session_list_page of an unknown config listed %zu sessions\n",
                      pss_strlist_count(l));
        pss_strlist_free(l);
        return 0;
    }
    int n = m_sessions_page(m, reg, o->mask, &o->from, &o->to, cursor, all);
    int bad = check_page(d, o, 1, l, more, all, n), pages = 1;
    if (cursor >= 0)
        cover_hit("list_page after a session the query %s", (o->mask & ST(m->s[cursor].state)) &&
                  in_range_of(&m->s[cursor], o) ? "selects" : "leaves out");
    /* every page after it in turn, each after the last id of the one before */
    for (int p = 2; !bad && o->list_kind == LK_WALK && !o->flag && more && p < 200; p++) {
        char last[PSS_ID_SIZE];
        size_t c = pss_strlist_count(l);
        snprintf(last, sizeof last, "%s", c ? pss_strlist_get(l, c - 1) : "");
        pss_strlist_free(l);
        l = NULL;
        if ((rc = page(ctx, o, last, &l, &more)) != 0) {
            bad = drv_failf(d, "pss_session_list_page page %d after %s: %d (%s)\n", p, last, rc,
                            pss_ctx_errmsg(ctx));
            break;
        }
        int at = m_find_session(m, last);
        n = m_sessions_page(m, reg, o->mask, &o->from, &o->to, at, all);
        bad = check_page(d, o, p, l, more, all, n);
        pages = p;
    }
    if (o->list_kind == LK_WALK && !bad)
        cover_hit("list_page walks of %s pages%s", pages == 1 ? "1" : pages < 4 ? "2-3" : "4+",
                  o->from.null && o->to.null ? "" : " (a date range)");
    pss_strlist_free(l);
    (void)bad;   /* reported with drv_failf */
    return 0;
}

static int orders(driver *d, pss_ctx *ctx, int c, const op *o)
{
    static int want[4096];
    int si = (int)o->index;
    pss_session *h = drv_session(d, si, c);
    if (!h)
        return PSS_EINVAL;
    pss_strlist *l = NULL;
    int rc = pss_order_list(h, o->mask, &l);
    (void)ctx;
    if (rc == 0) {
        int n = m_orders_listed(d->m, si, o->mask, want);
        cover_hit("order_list of a %s session: %s", d->m->s[si].state == SS_CLOSED ? "closed"
                  : "open", n ? "orders listed" : "none listed");
        char what[96];
        snprintf(what, sizeof what, "pss_order_list of %s mask 0x%x", d->m->s[si].name, o->mask);
        same_ids(d, what, l, want, n, 1);
    }
    pss_strlist_free(l);
    return rc;
}

static int creation_order(driver *d, pss_ctx *ctx, const op *o)
{
    pss_strlist *l = NULL;
    int rc = pss_session_list(ctx, o->config_id, o->mask, &l);
    int reg = m_find_reg(d->m, o->config_id);
    if (rc == 0 && reg >= 0) {
        static int want[8192];
        int n = 0;
        for (int i = 0; i < d->m->ns; i++)
            if (d->m->s[i].reg == reg && (o->mask & ST(d->m->s[i].state)))
                want[n++] = i;
        same_ids(d, "pss_session_list", l, want, n, 0);
    }
    pss_strlist_free(l);
    return rc;
}

/* call_op's part: the calls; a disagreement on what they list is reported with drv_failf. */
int call_list(driver *d, op *o)
{
    int c = drv_ctx_of(d, o);
    pss_ctx *ctx = d->ctx[c];
    switch (o->list_kind) {
    case LK_ORDERS:
        return orders(d, ctx, c, o);
    case LK_ALL:
        return creation_order(d, ctx, o);
    default:
        return walk(d, ctx, o);
    }
}
