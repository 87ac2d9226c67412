/* gen_session.c: generating the session calls: create (dates, ids, the slot), start
 * opening, open with a count, take over, heartbeat, start closing, reopen, resume in the
 * other context, the closing count, close, force close, cash movements and their voids. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static int faulty(gen *g)
{
    return prng_chance(&g->r, g->fault_pct);
}

static void set_fault(op *o, const char *what)
{
    snprintf(o->fault, sizeof o->fault, "%s", what);
}

static int reg_without_session(gen *g)
{
    int cand[M_MAXCFG], n = 0;
    for (int i = 0; i < g->m->nreg; i++)
        if (g->m->reg[i].open_session < 0)
            cand[n++] = i;
    if (!n || prng_chance(&g->r, 10))
        return (int)prng_below(&g->r, (uint64_t)g->m->nreg);
    return cand[prng_below(&g->r, (uint64_t)n)];
}

static void create_date(gen *g, op *o)
{
    char day[16];
    if (prng_chance(&g->r, 60)) {
        g_str_set(&o->str, NULL);
        return;
    }
    m_civil_date(g->m->now + (int64_t)prng_range(&g->r, -1, 1) * 86400000, day);
    g_str_set(&o->str, day);
    if (faulty(g) && prng_chance(&g->r, 40)) {
        static const char *const bad[] = {"2026-02-30", "2026-1-01", "tomorrow", "2026-13-01"};
        g_str_set(&o->str, bad[prng_below(&g->r, 4)]);
        set_fault(o, "operating date malformed");
    }
}

void gen_create(gen *g, op *o)
{
    o->kind = OP_CREATE;
    int reg = reg_without_session(g);
    snprintf(o->config_id, sizeof o->config_id, "%s", g->m->reg[reg].cfg.id);
    static const int who[] = {ANN, ANN, BOB, MIA, SYNC};
    gen_actor(&o->actor, who[prng_below(&g->r, 5)]);
    if (prng_chance(&g->r, 85))
        gen_uuid(g, o->session_id);
    create_date(g, o);
    o->ctx = (int)prng_below(&g->r, 2);
    o->meta = gen_meta_given(g, faulty(g) ? o->fault : NULL, sizeof o->fault);
    if (o->meta && prng_chance(&g->r, 8)) {
        o->v1 = 1;
        snprintf(o->fault, sizeof o->fault, "session input version 1 with a meta member set");
    }
    if (o->fault[0] || !faulty(g))
        return;
    int k = (int)prng_below(&g->r, 4);
    if (k == 0) {
        gen_actor(&o->actor, NOBODY);
        set_fault(o, "role none creates");
    } else if (k == 1) {
        gen_uuid(g, o->config_id);
        set_fault(o, "unknown config");
    } else if (k == 2) {
        snprintf(o->session_id, sizeof o->session_id, "not-a-uuid");
        set_fault(o, "session id malformed");
    } else {
        o->null_input = 0;
        o->bad_version = BV_INPUT;
        set_fault(o, "session input version 99");
    }
}

/* The note of an opening, a count or a close: none, a plain one, or now and then (with
 * `allow_fault`) one holding a control character (concepts.md: no text the host gives may
 * hold one). */
static void gen_note(gen *g, op *o, const char *plain, int allow_fault)
{
    g_str_set(&o->note, prng_chance(&g->r, 40) ? NULL : plain);
    if (!allow_fault || o->fault[0] || !prng_chance(&g->r, 4))
        return;
    static const char *const bad[] = {"note\x07" "bell", "note\xc2\x8e" "c1", "note \xe0\x80\xaf"};
    static const char *const what[] = {"note with a control character", "note with a C1 control",
                                       "note not UTF-8"};
    int k = (int)prng_below(&g->r, 3);
    g_str_set(&o->note, bad[k]);
    set_fault(o, what[k]);
}

static unsigned kind_states(int kind)
{
    switch (kind) {
    case OP_START_OPENING:
        return ST(SS_NEW);
    case OP_OPEN:
        return ST(SS_NEW) | ST(SS_OPENING);
    case OP_START_CLOSING:
        return ST(SS_PROGRESS);
    case OP_REOPEN:
        return ST(SS_CLOSING);
    default:
        return ST_OPEN_ANY;
    }
}

static int kind_rule(int kind)
{
    switch (kind) {
    case OP_TAKE_OVER:
        return RULE_TAKE_OVER;
    case OP_HEARTBEAT:
        return RULE_OPERATE;
    case OP_REOPEN:
        return RULE_MANAGER;
    default:
        return RULE_SUPERVISE;
    }
}

static void open_count(gen *g, op *o, const m_session *s)
{
    o->amount = M_UNSET;
    if (s->cfg.cash_control) {
        int64_t d = prng_chance(&g->r, 70) ? 0 : gen_scale(g, s, prng_range(&g->r, -500, 500));
        o->amount = s->open_exp + d < 0 ? 0 : s->open_exp + d;
        if (prng_chance(&g->r, 10))
            o->amount = gen_scale(g, s, prng_range(&g->r, 0, 30000));
    }
    if (!s->cfg.cash_control && prng_chance(&g->r, 15)) {
        /* session.h: "PSS_UNSET without (then the expected cash is taken)": given the
         * expected cash itself, every reading opens with it (README, readings); a negative
         * count is refused whatever the config ("PSS_EINVAL (..., negative)"), and so is one
         * beyond the bound (concepts.md: "what exceeds them is refused when it is given") */
        if (!prng_chance(&g->r, 4)) {
            if (s->open_exp < 0 || s->open_exp > M_AMAX)
                return;
            o->amount = s->open_exp;
            set_fault(o, "opening count without cash control");
        } else {
            int k = (int)prng_below(&g->r, 4);
            o->amount = k < 2 ? -1 : k < 3 ? -gen_absurd(g, 1) : gen_absurd(g, 1);
            set_fault(o, k < 3 ? "opening count negative without cash control"
                               : "opening count beyond the bound without cash control");
        }
        return;
    }
    if (!faulty(g) || prng_chance(&g->r, 50))
        return;
    int k = (int)prng_below(&g->r, 5);
    if (!s->cfg.cash_control) {
        return; /* other counts without cash control are not documented (README) */
    } else if (k == 0) {
        o->amount = M_UNSET;
        set_fault(o, "opening count missing with cash control");
    } else if (k == 1) {
        o->amount = -1;
        set_fault(o, "opening count negative");
    } else if (k == 2) {
        o->amount = gen_absurd(g, 1);
        set_fault(o, "opening count beyond the bound");
    } else if (k == 3) {
        o->null_input = 1;
        set_fault(o, "opening input NULL");
    } else {
        o->bad_version = BV_INPUT;
        set_fault(o, "opening input version 99");
    }
}

/* Anyone of the cast who may try: managers, cashiers on other devices, and now and then
 * another cashier on the device that holds the lease (concepts.md: "a cashier only once the
 * lease has expired, else PSS_ELOCKED"). Not the holder itself: concepts.md refuses it,
 * session.h ("another cashier only once the lease has expired") would not (README). */
static int take_over_actor(gen *g, op *o, const m_session *s)
{
    static const int who[] = {MIA, KIM, BOB, ANN, ANN9, SYNC};
    if (s->device[0] && prng_chance(&g->r, 12)) {
        gen_actor(&o->actor, BOB);
        g_str_set(&o->actor.user, strcmp(s->user, "bob") == 0 ? "ann" : "bob");
        g_str_set(&o->actor.device, s->device);
        snprintf(o->fault, sizeof o->fault, "take over by a cashier on the leasing device");
        return -2;
    }
    for (int tries = 0; tries < 10; tries++) {
        int w = who[prng_below(&g->r, 6)];
        const g_actor *a = gen_cast(w);
        if (strcmp(a->device.s, s->device) != 0)
            return w;
    }
    return strcmp(s->device, "office") == 0 ? KIM : MIA;
}

static void session_actor(gen *g, op *o, const m_session *s, int kind)
{
    int rule = kind_rule(kind), who;
    if (rule == RULE_TAKE_OVER) {
        if ((who = take_over_actor(g, o, s)) == -2)
            return;   /* the actor is made up */
    } else if (rule == RULE_MANAGER) {
        who = prng_chance(&g->r, 50) ? MIA : prng_chance(&g->r, 50) ? KIM : ADA;
    } else if (rule == RULE_OPERATE) {
        who = gen_operator(g, s);
    } else {
        who = gen_supervisor(g, s);
    }
    gen_actor(&o->actor, who < 0 ? MIA : who);
    if (!o->fault[0] && faulty(g) && prng_chance(&g->r, 40))
        gen_fault_actor(g, o, s, rule);
}

void gen_session_op(gen *g, op *o, int kind)
{
    o->kind = kind;
    unsigned states = kind_states(kind);
    int wrong = prng_chance(&g->r, 8);
    o->session = gen_pick_session(g, wrong ? 0xFFFFu : states, 1);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    if (!(states & ST(s->state)))
        set_fault(o, "a state the call does not allow");
    if (kind == OP_RESUME) {
        o->ctx = (int)prng_below(&g->r, 2);
        return;
    }
    if (kind == OP_OPEN) {
        open_count(g, o, s);
        gen_note(g, o, "float counted ✓", !o->null_input && !o->bad_version);
    }
    if (kind == OP_REOPEN)
        gen_reason(g, &o->str, !o->fault[0], o);
    session_actor(g, o, s, kind);
}

static void denominate(const m_session *s, int64_t amount, g_count *c)
{
    c->n_denoms = 0;
    int order[M_MAXD], n = s->cfg.nd;
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (s->cfg.d[order[j]] > s->cfg.d[order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    for (int i = 0; i < n && c->n_denoms < G_MAXCD; i++) {
        int64_t v = s->cfg.d[order[i]];
        if (amount >= v || (i == n - 1 && amount > 0)) {
            c->denoms[c->n_denoms].value = v;
            c->denoms[c->n_denoms++].count = amount / v;
            amount %= v;
        }
    }
}

static int64_t count_diff(gen *g, const m_session *s)
{
    int k = (int)prng_below(&g->r, 10);
    int64_t lim = s->cfg.max_diff;
    if (k < 5)
        return 0;
    if (k < 8)
        return prng_range(&g->r, -lim, lim);
    return (prng_chance(&g->r, 50) ? 1 : -1) * (lim + 1 + prng_range(&g->r, 0, 300));
}

static void count_methods(gen *g, const m_session *s, const m_figs *f, g_count *c, int pct)
{
    for (int i = 0; i < s->cfg.nm && c->n_methods < G_MAXCM; i++) {
        if (s->cfg.m[i].kind == MK_CASH || !prng_chance(&g->r, pct))
            continue;
        snprintf(c->methods[c->n_methods], G_SHORT, "%s", s->cfg.m[i].name);
        c->method_amounts[c->n_methods++] = f->m[i].amount - f->m[i].change + count_diff(g, s);
    }
}

static void count_fault(gen *g, op *o, const m_session *s)
{
    g_count *c = &o->count;
    int k = (int)prng_below(&g->r, 9);
    if (k == 1 && !s->cfg.cash_control)
        k = 0;   /* neither is no fault without cash control (close.h) */
    if (!s->cfg.nd && (k == 0 || k == 3 || k == 6))
        k = 4;   /* the config has no denominations to misuse */
    static const char *const what[] = {"count: total and denominations", "count: neither",
                                       "count: unknown denomination", "count: negative count",
                                       "count: unknown method", "count: the cash method",
                                       "count: beyond the bound", "count input NULL",
                                       "count input version 99"};
    set_fault(o, what[k]);
    switch (k) {
    case 0: c->cash_total = 100; c->n_denoms = 1; c->denoms[0].value = s->cfg.d[0];
            c->denoms[0].count = 1; break;
    case 1: c->cash_total = M_UNSET; c->n_denoms = -1; break;
    case 2: c->cash_total = M_UNSET; c->n_denoms = 1; c->denoms[0].value = 3333333;
            c->denoms[0].count = 1; break;
    case 3: c->cash_total = M_UNSET; c->n_denoms = 1; c->denoms[0].value = s->cfg.d[0];
            c->denoms[0].count = -1; break;
    case 4: snprintf(c->methods[0], G_SHORT, "Bitcoin"); c->method_amounts[0] = 1;
            c->n_methods = 1; break;
    case 5: snprintf(c->methods[0], G_SHORT, "%s", s->cfg.m[m_cash_method(&s->cfg)].name);
            c->method_amounts[0] = 1; c->n_methods = 1; break;
    case 6: if (prng_chance(&g->r, 50)) { c->cash_total = gen_absurd(g, 1); break; }
            c->cash_total = M_UNSET; c->n_denoms = 1; c->denoms[0].value = s->cfg.d[s->cfg.nd - 1];
            c->denoms[0].count = prng_chance(&g->r, 50) ? M_AMAX / s->cfg.d[s->cfg.nd - 1] + 1
                                                          : INT64_MAX / 2; break;
    case 7: o->null_input = 1; break;
    default: o->bad_version = BV_INPUT; break;
    }
}

/* Whether a draft of session si holds a done payment of the cash method (a force close would
 * void it, which moves the expected cash). */
static int draft_cash_done(const gen *g, int si)
{
    const m_session *s = &g->m->s[si];
    int cash = m_cash_method(&s->cfg);
    for (int i = 0; i < g->m->no; i++) {
        const m_order *d = &g->m->o[i];
        if (d->session != si || d->state != OS_DRAFT)
            continue;
        for (int k = 0; k < d->np; k++)
            if (d->p[k].state == PS_DONE && d->p[k].method == cash)
                return 1;
    }
    return 0;
}

/* A closing count without cash control (close-flow.md: "Without cash control nothing needs
 * counting: the expected cash is taken as counted, and a count may leave the cash out (only
 * the card terminal's totals, say)"; close.h: "Without cash control the cash may be left
 * out"). The cash is left out, or given as the expected cash by total: whether a cash count
 * that differs would be posted is not documented, nor whether the expected cash is taken at
 * the count or at the close, so the expected cash is kept still until the close (no cash
 * movement is voided while the count stands, and no draft holds a done cash payment a force
 * close would void); README, reading 13. The non-cash methods are counted as with cash
 * control, when the config has the difference accounts their differences post to (reading
 * 2; without them where a method's difference goes is not documented). */
static void count_plain(gen *g, op *o, const m_session *s)
{
    m_figs f;
    m_figs_of(g->m, o->session, 0, &f);
    if (f.expected_cash < 0 || f.expected_cash > M_AMAX || draft_cash_done(g, o->session)) {
        o->kind = OP_CLOCK;
        o->session = -1;
        return;
    }
    g_count *c = &o->count;
    int left_out = prng_chance(&g->r, 55);
    c->cash_total = left_out ? M_UNSET : f.expected_cash;
    c->n_denoms = -1;
    if (s->cfg.acc[A_GAIN][0] && s->cfg.acc[A_LOSS][0])
        count_methods(g, s, &f, c, 75);
    gen_note(g, o, "terminal totals", 1);
    gen_actor(&o->actor, gen_supervisor(g, s));
    if (!o->fault[0])
        set_fault(o, left_out ? "count without cash control, the cash left out"
                              : "count without cash control, the expected cash");
    if (faulty(g)) {
        if (prng_chance(&g->r, 70))
            count_fault(g, o, s);
        else
            gen_fault_actor(g, o, s, RULE_SUPERVISE);
    }
}

/* Whether session si holds a count without cash control (its cash, given or taken, kept
 * equal to the expected cash). */
int gen_plain_count(const gen *g, int si)
{
    const m_session *s = &g->m->s[si];
    return !s->cfg.cash_control && s->count.has;
}

void gen_count(gen *g, op *o)
{
    o->kind = OP_COUNT;
    o->session = gen_pick_session(g, ST(SS_CLOSING), 0);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    if (!s->cfg.cash_control && prng_chance(&g->r, 80)) {
        count_plain(g, o, s);
        return;
    }
    if (!s->cfg.cash_control || !s->cfg.nd) {
        o->kind = OP_CLOCK;
        o->session = -1;
        return;
    }
    m_figs f;
    m_figs_of(g->m, o->session, 0, &f);
    int64_t cash = f.expected_cash + count_diff(g, s);
    if (cash < 0)
        cash = 0;
    g_count *c = &o->count;
    c->cash_total = cash;
    c->n_denoms = -1;
    if (cash > 0 && prng_chance(&g->r, 40)) {
        c->cash_total = M_UNSET;
        denominate(s, cash, c);
    }
    count_methods(g, s, &f, c, 40);
    gen_note(g, o, "counted twice", 1);
    gen_actor(&o->actor, gen_supervisor(g, s));
    if (faulty(g)) {
        if (prng_chance(&g->r, 70))
            count_fault(g, o, s);
        else
            gen_fault_actor(g, o, s, RULE_SUPERVISE);
    }
}

void gen_close(gen *g, op *o)
{
    o->kind = OP_CLOSE;
    int wrong = prng_chance(&g->r, 8);
    o->session = gen_pick_session(g, wrong ? 0xFFFFu : ST(SS_CLOSING), 1);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    int k = (int)prng_below(&g->r, 10);
    int who = k < 4 ? gen_operator(g, s) : k < 7 ? MIA : k < 8 ? ADA : k < 9 ? BOB : NOBODY;
    gen_actor(&o->actor, who < 0 ? MIA : who);
    o->null_input = prng_chance(&g->r, 50);
    if (prng_chance(&g->r, 5))
        o->bad_version = BV_INPUT, o->null_input = 0, set_fault(o, "close input version 99");
    if (!o->null_input)
        gen_note(g, o, "closing note ✓", !o->bad_version);
}

void gen_force_close(gen *g, op *o)
{
    o->kind = OP_FORCE_CLOSE;
    int wrong = prng_chance(&g->r, 5);
    o->session = gen_pick_session(g, wrong ? 0xFFFFu : ST_OPEN_ANY, 1);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    gen_actor(&o->actor, ADA);
    gen_reason(g, &o->str, 1, o);
    o->flag = prng_chance(&g->r, 50);
    o->amount = M_UNSET;
    if (!s->rescue && s->cfg.cash_control && prng_chance(&g->r, 40))
        o->amount = gen_scale(g, s, prng_range(&g->r, 0, 50000));
    if (!s->rescue && !s->cfg.cash_control && prng_chance(&g->r, 20)) {
        /* without cash control only the expected cash itself: "the given amount" and "the
         * expected cash is taken as counted" then agree (README, readings) */
        m_figs f;
        m_figs_of(g->m, o->session, 1, &f);
        if (f.expected_cash >= 0 && f.expected_cash <= M_AMAX) {
            o->amount = f.expected_cash;
            set_fault(o, "force close count without cash control");
        }
    }
    if (o->fault[0] || !faulty(g))
        return;
    int k = (int)prng_below(&g->r, 4);
    if (k == 0)
        gen_actor(&o->actor, MIA), set_fault(o, "force close by a manager");
    else if (k == 1)
        o->amount = -1, set_fault(o, "force close count negative");
    else if (k == 2)
        o->null_input = 1, set_fault(o, "force close input NULL");
    else
        gen_actor(&o->actor, NOBODY), set_fault(o, "force close by role none");
}

static int64_t move_amount(gen *g, const m_session *s, int kind)
{
    int64_t v = g->huge ? prng_range(&g->r, M_AMAX / 2, M_AMAX)
                        : gen_scale(g, s, prng_range(&g->r, 1, 50000));
    if (kind == CK_CORRECTION && prng_chance(&g->r, 50))
        v = -v;
    return v;
}

/* A payout at the drawer's limit (concepts.md, "The drawer": "cannot take more than it
 * holds"): what it holds less one, exactly, or one minor unit more; `otherwise` when that is
 * no amount a movement may have. */
static int64_t at_drawer_limit(gen *g, int si, int64_t otherwise)
{
    int64_t v = m_drawer(g->m, si, NULL) + prng_range(&g->r, -1, 1);
    return v > 0 && v <= M_AMAX ? v : otherwise;
}

static void move_fault(gen *g, op *o)
{
    g_cash *c = &o->cash;
    int k = (int)prng_below(&g->r, 8);
    static const char *const what[] = {"movement amount 0", "movement amount negative",
                                       "movement beyond the bound", "movement reason missing",
                                       "movement account malformed", "movement id exists",
                                       "movement kind unknown", "movement id malformed"};
    set_fault(o, what[k]);
    switch (k) {
    case 0: c->amount = 0; break;
    case 1: c->kind = CK_OUT; c->amount = c->amount > 0 ? -c->amount : c->amount; break;
    case 2: c->amount = gen_absurd(g, c->kind == CK_CORRECTION && prng_chance(&g->r, 50) ? -1 : 1);
            break;
    case 3: { static const char *const r[] = {NULL, "", "C1\xc2\x96" "dash"};
            g_str_set(&c->reason, r[prng_below(&g->r, 3)]); } break;
    case 4: { c->account.null = 0; gen_bad_account(g, c->account.s, sizeof c->account.s);
            if (!c->account.s[0] && prng_chance(&g->r, 50))
                snprintf(c->account.s, sizeof c->account.s, "*Assets:Star");
            char esc[128];
            gen_escape(c->account.s, esc, sizeof esc);
            snprintf(o->fault, sizeof o->fault, "movement account \"%.90s\"", esc); } break;
    case 5: if (g->m->nmv) { g_str_set(&c->id, g->m->mv[prng_below(&g->r, (uint64_t)g->m->nmv)].id); }
            if (c->id.null || !c->id.s[0]) { c->kind = 9; set_fault(o, what[6]); } break;
    case 6: c->kind = prng_chance(&g->r, 50) ? 0 : 5; break;
    default: g_str_set(&c->id, "xyz"); break;
    }
}

void gen_cash_move(gen *g, op *o)
{
    o->kind = OP_CASH_MOVE;
    o->session = gen_pick_session(g, prng_chance(&g->r, 5) ? 0xFFFFu : ST(SS_PROGRESS), 1);
    if (o->session < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    g_cash *c = &o->cash;
    c->kind = (int)prng_range(&g->r, CK_IN, CK_CORRECTION);
    c->amount = move_amount(g, s, c->kind);
    if ((c->kind == CK_OUT || c->kind == CK_EXPENSE) && prng_chance(&g->r, 45))
        c->amount = at_drawer_limit(g, o->session, c->amount);
    g_str_set(&c->reason, "float from the safe");
    g_str_set(&c->account, NULL);
    if (prng_chance(&g->r, c->kind == CK_CORRECTION ? 90 : 35)) {
        c->account.null = 0;
        gen_good_account(g, c->account.s, sizeof c->account.s, "Assets:Moves");
    } else if (prng_chance(&g->r, 20)) {
        g_str_set(&c->account, "");   /* cash.h: "NULL or "": the config's default" */
    }
    g_str_set(&c->id, NULL);
    if (prng_chance(&g->r, 85)) {
        c->id.null = 0;
        gen_uuid(g, c->id.s);
    }
    gen_actor(&o->actor, gen_supervisor(g, s));
    c->meta = gen_meta_given(g, faulty(g) ? o->fault : NULL, sizeof o->fault);
    if (c->meta && prng_chance(&g->r, 8)) {
        o->v1 = 1;
        snprintf(o->fault, sizeof o->fault, "movement input version 1 with a meta member set");
    }
    if (!o->fault[0] && faulty(g)) {
        if (prng_chance(&g->r, 70))
            move_fault(g, o);
        else if (prng_chance(&g->r, 50))
            o->null_input = 1, set_fault(o, "movement input NULL");
        else
            gen_fault_actor(g, o, s, RULE_SUPERVISE);
    }
}

static int move_of(gen *g, int session)
{
    int cand[256], n = 0;
    for (int i = 0; i < g->m->nmv && n < 256; i++)
        if (g->m->mv[i].session == session && (!g->m->mv[i].voided || prng_chance(&g->r, 15)))
            cand[n++] = i;
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_cash_void(gen *g, op *o)
{
    o->kind = OP_CASH_VOID;
    o->session = gen_pick_session(g, ST(SS_PROGRESS) | ST(SS_CLOSING), 1);
    int mv = o->session >= 0 && !gen_plain_count(g, o->session) ? move_of(g, o->session) : -1;
    if (mv < 0) {
        o->kind = OP_CLOCK;
        return;
    }
    const m_session *s = &g->m->s[o->session];
    g_str_set(&o->cash.id, g->m->mv[mv].id);
    gen_reason(g, &o->cash.reason, 1, o);
    gen_actor(&o->actor, gen_supervisor(g, s));
    if (o->fault[0] || !faulty(g))
        return;
    int k = (int)prng_below(&g->r, 3);
    if (k == 0) {
        gen_uuid(g, o->cash.id.s);
        set_fault(o, "void of an unknown movement");
    } else if (k == 1 && g->m->nmv) {
        g_str_set(&o->cash.id, g->m->mv[prng_below(&g->r, (uint64_t)g->m->nmv)].id);
        set_fault(o, "void of a movement maybe of another session");
    } else {
        gen_fault_actor(g, o, s, RULE_SUPERVISE);
    }
}
