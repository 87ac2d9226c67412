/* gen_list.c: generating listings (concepts.md, "Listing"): a config's sessions by state
 * mask and operating-date range a page at a time (small pages, so that paging with `after`
 * and `more` is met; a cursor on any session of the config, also one the filter leaves out),
 * in creation order, and a session's orders by a mask of order states; with the refusals
 * session.h and order.h name. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static unsigned session_mask(gen *g)
{
    if (prng_chance(&g->r, 25))
        return 0xFFFFu;
    unsigned m = 0;
    while (!m)
        for (int st = SS_NEW; st <= SS_CLOSED; st++)
            if (prng_chance(&g->r, 45))
                m |= ST(st);
    return m;
}

static void a_date(gen *g, g_str *out)
{
    char day[16];
    int k = (int)prng_below(&g->r, 10);
    if (k < 4) {
        g_str_set(out, NULL);
        return;
    }
    int si = g->m->ns ? (int)prng_below(&g->r, (uint64_t)g->m->ns) : -1;
    if (k < 7 && si >= 0 && g->m->s[si].date[0]) {
        g_str_set(out, g->m->s[si].date);
        return;
    }
    m_civil_date(g->m->now + (int64_t)prng_range(&g->r, -3, 1) * 86400000, day);
    g_str_set(out, day);
}

static void list_fault(gen *g, op *o)
{
    int k = (int)prng_below(&g->r, 9);
    static const char *const what[] = {"from date malformed", "to date malformed",
                                       "from after to", "state mask 0", "limit 0",
                                       "limit beyond PSS_SESSION_PAGE_MAX", "query version 99",
                                       "query NULL", "after an unknown session"};
    snprintf(o->fault, sizeof o->fault, "%s", what[k]);
    static const char *const bad[] = {"2026-02-30", "2026-1-01", "yesterday", "2026-13-01", ""};
    switch (k) {
    case 0: g_str_set(&o->from, bad[prng_below(&g->r, 5)]); break;
    case 1: g_str_set(&o->to, bad[prng_below(&g->r, 5)]); break;
    case 2: g_str_set(&o->from, "2031-01-02"); g_str_set(&o->to, "2031-01-01"); break;
    case 3: { /* session.h: "a state mask that selects no state (0, or only bits no state
               * has)" */
            static const unsigned none[] = {0, 0, 1u, 1u << 6, 1u << 12};
            o->mask = none[prng_below(&g->r, 5)];
            break; }
    case 4: o->limit = 0; break;
    case 5: o->limit = 1001 + (int64_t)prng_below(&g->r, 3) * 100000; break;
    case 6: o->bad_version = BV_INPUT; break;
    case 7: o->null_input = 1; break;
    default: { char id[G_SHORT]; gen_uuid(g, id); g_str_set(&o->after, id); } break;
    }
}

/* A session of register reg (any state), or one of another register now and then. */
static int cursor_of(gen *g, int reg, int *other)
{
    int cand[512], n = 0, any[512], na = 0;
    *other = 0;
    for (int i = 0; i < g->m->ns && n < 512 && na < 512; i++) {
        if (!g->m->s[i].id[0])
            continue;
        if (g->m->s[i].reg == reg)
            cand[n++] = i;
        else
            any[na++] = i;
    }
    if (na && prng_chance(&g->r, 8)) {
        *other = 1;
        return any[prng_below(&g->r, (uint64_t)na)];
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_list(gen *g, op *o)
{
    o->kind = OP_LIST;
    o->ctx = (int)prng_below(&g->r, 2);
    int k = (int)prng_below(&g->r, 20);
    o->list_kind = k < 8 ? LK_WALK : k < 13 ? LK_AFTER : k < 18 ? LK_ORDERS : LK_ALL;
    int reg = (int)prng_below(&g->r, (uint64_t)g->m->nreg);
    snprintf(o->config_id, sizeof o->config_id, "%s", g->m->reg[reg].cfg.id);
    g_str_set(&o->from, NULL);
    g_str_set(&o->to, NULL);
    g_str_set(&o->after, NULL);
    if (o->list_kind == LK_ORDERS) {
        int si = gen_pick_session(g, 0xFFFFu, 1);
        if (si < 0) {
            o->kind = OP_CLOCK;
            return;
        }
        o->index = si;
        static const unsigned masks[] = {0xFFFFu, ST(OS_DRAFT), ST(OS_PAID), ST(OS_DONE),
                                         ST(OS_CANCELLED), ST(OS_PAID) | ST(OS_DONE),
                                         ST(OS_DRAFT) | ST(OS_CANCELLED)};
        o->mask = masks[prng_below(&g->r, 7)];
        if (prng_chance(&g->r, g->fault_pct / 4)) {
            /* order.h: "a mask that selects no state: 0, or only bits no state has" */
            static const unsigned none[] = {0, 1u, 1u << 5, 1u << 9};
            o->mask = none[prng_below(&g->r, 4)];
            snprintf(o->fault, sizeof o->fault, "a mask that selects no order state");
        }
        return;
    }
    o->mask = session_mask(g);
    if (o->list_kind == LK_ALL)
        return;
    if (o->list_kind != LK_WALK || prng_chance(&g->r, 50)) {
        a_date(g, &o->from);
        a_date(g, &o->to);
    }
    if (!o->from.null && !o->to.null && strcmp(o->from.s, o->to.s) > 0) {
        g_str tmp = o->from;
        o->from = o->to;
        o->to = tmp;
    }
    int64_t sizes[] = {1, 2, 3, 4, 100, 1000};
    o->limit = sizes[prng_below(&g->r, prng_chance(&g->r, 85) ? (o->list_kind == LK_WALK ? 2 : 4)
                                                              : 6)];
    o->flag = prng_chance(&g->r, 5);   /* `more` NULL */
    if (o->list_kind == LK_AFTER || prng_chance(&g->r, 15)) {
        int other, c = cursor_of(g, reg, &other);
        if (c >= 0) {
            g_str_set(&o->after, g->m->s[c].id);
            if (other)
                snprintf(o->fault, sizeof o->fault, "after a session of another config");
        }
    }
    if (prng_chance(&g->r, 4)) {
        gen_uuid(g, o->config_id);
        if (!o->fault[0])
            snprintf(o->fault, sizeof o->fault, "a config the store does not hold");
    }
    if (!o->fault[0] && prng_chance(&g->r, g->fault_pct / 3))
        list_fault(g, o);
}
