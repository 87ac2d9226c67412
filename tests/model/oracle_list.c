/* oracle_list.c: listing (doc/concepts.md, "Listing"; session.h, order.h): a config's
 * sessions in creation order by a state mask (pss_session_list), a page of them newest first
 * (operating date, then creation time, then id, all descending) by a state mask and an
 * inclusive operating-date range, after a cursor, with `more` (pss_session_list_page), and a
 * session's orders by number by a mask of their states as pss_order_state_of reads them
 * (pss_order_list). */
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

static const model *sort_m;

/* Newer first: operating date, creation time, id, all descending. */
static int newer_first(const void *a, const void *b)
{
    const m_session *x = &sort_m->s[*(const int *)a], *y = &sort_m->s[*(const int *)b];
    int c = strcmp(y->date, x->date);
    if (c)
        return c;
    if (x->created_at != y->created_at)
        return x->created_at < y->created_at ? 1 : -1;
    return strcmp(y->id, x->id);
}

/* 1 when session a comes after (is older than) session b in that order. */
static int older(const model *m, int a, int b)
{
    sort_m = m;
    return newer_first(&a, &b) > 0;
}

static int in_range(const m_session *s, const g_str *from, const g_str *to)
{
    return (from->null || strcmp(s->date, from->s) >= 0) && (to->null || strcmp(s->date, to->s) <= 0);
}

/* The sessions of register reg the query selects, newest first, after session `after` (-1:
 * from the start); their count. */
int m_sessions_page(const model *m, int reg, unsigned mask, const g_str *from, const g_str *to,
                    int after, int *out)
{
    int n = 0;
    for (int i = 0; i < m->ns; i++) {
        const m_session *s = &m->s[i];
        if (s->reg != reg || !s->id[0] || !(mask & ST(s->state)) || !in_range(s, from, to))
            continue;
        if (after >= 0 && !older(m, i, after))
            continue;
        out[n++] = i;
    }
    sort_m = m;
    qsort(out, (size_t)n, sizeof out[0], newer_first);
    return n;
}

/* pss_session_list_page's refusals (session.h): EINVAL for a bad date, from after to, an
 * empty state mask, a limit of 0 or beyond the page maximum; ENOTFOUND when `after` is not a
 * session of this config. A config the store does not hold is not documented: it has no
 * sessions (an empty page) or is not found. Returns the cursor's session index, or -1. */
int m_list_page_expect(const model *m, int reg, unsigned mask, const g_str *from,
                       const g_str *to, const g_str *after, int64_t limit, m_expect *ex)
{
    if ((!from->null && !m_valid_date(from->s)) || (!to->null && !m_valid_date(to->s)))
        ex_add(ex, E_INVAL, "an operating date that is not YYYY-MM-DD");
    else if (!from->null && !to->null && strcmp(from->s, to->s) > 0)
        ex_add(ex, E_INVAL, "from after to");
    if (!(mask & (ST(SS_NEW) | ST(SS_OPENING) | ST(SS_PROGRESS) | ST(SS_CLOSING) | ST(SS_CLOSED))))
        ex_add(ex, E_INVAL, "a state mask that selects no state");
    if (limit < 1 || limit > 1000)
        ex_add(ex, E_INVAL, "a limit of 0 or beyond PSS_SESSION_PAGE_MAX");
    int cursor = -1;
    if (!after->null) {
        cursor = m_find_session(m, after->s);
        if (cursor < 0 || reg < 0 || m->s[cursor].reg != reg) {
            ex_add(ex, E_NOTFOUND, "after is not a session of this config");
            cursor = -1;
        }
    }
    if (reg < 0 && after->null && !ex_refused(ex)) {
        ex_add(ex, E_NOTFOUND, "a config the store does not hold (or none of its sessions)");
        ex->success_ok = 1;
    }
    return cursor;
}

/* The orders of session si whose state (DONE for a paid order of a closed session) is in
 * mask, by number; their count. */
int m_orders_listed(const model *m, int si, unsigned mask, int *out)
{
    int n = 0;
    for (int i = 0; i < m->no; i++) {
        const m_order *o = &m->o[i];
        if (o->session != si)
            continue;
        int st = o->state == OS_PAID && m->s[si].state == SS_CLOSED ? OS_DONE : o->state;
        if (mask & ST(st))
            out[n++] = i;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && m->o[out[j - 1]].number > m->o[out[j]].number; j--) {
            int t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}
