/* gen_config.c: random configs (currency exponent 0..4, cash control, limits, override
 * role, one session per day, tax and cash rounding, methods, taxes up to 1000%, categories,
 * denominations, account names with every character hledger might trip on), their saves and
 * updates, and the construction faults of pss_config_new and the add functions. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static const char *const currencies[5] = {"JPY", "MGA", "EUR", "KWD", "CLF"};

static void accounts(gen *g, m_config *c)
{
    static const char *const roots[A_N] = {"Income:Sales", "Assets:POS Receivable",
                                           "Income:Cash Over", "Expenses:Cash Short",
                                           "Assets:Safe", "Assets:Bank Transit",
                                           "Expenses:Petty", "Income:Rounding",
                                           "Expenses:Rounding"};
    for (int i = 0; i < A_N; i++) {
        c->has_acc[i] = 1;
        if (prng_chance(&g->r, 50))
            snprintf(c->acc[i], M_ACC, "%s", roots[i]);
        else
            gen_good_account(g, c->acc[i], M_ACC, roots[i]);
    }
    if (prng_chance(&g->r, 25))
        strcpy(c->acc[A_OUT], c->acc[A_IN]);
    c->has_acc[A_EXPENSE] = prng_chance(&g->r, 70);
    int rounding_on = c->cr_scope != CR_OFF;
    c->has_acc[A_RGAIN] = c->has_acc[A_RLOSS] = rounding_on || prng_chance(&g->r, 30);
    if (!c->cash_control && prng_chance(&g->r, 50))
        c->has_acc[A_GAIN] = c->has_acc[A_LOSS] = 0;
    for (int i = 0; i < A_N; i++)
        if (!c->has_acc[i])
            c->acc[i][0] = '\0';
}

static void add_method(gen *g, m_config *c, const char *name, int kind, int electronic)
{
    m_method *m = &c->m[c->nm++];
    snprintf(m->name, sizeof m->name, "%s", name);
    m->kind = kind;
    m->electronic = electronic;
    gen_good_account(g, m->account, M_ACC, kind == MK_CASH ? "Assets:Cash" : "Assets:Clearing");
}

static void methods(gen *g, m_config *c)
{
    add_method(g, c, prng_chance(&g->r, 80) ? "Cash" : "Espèces", MK_CASH, 0);
    add_method(g, c, "Card", MK_CARD, prng_chance(&g->r, 70));
    if (prng_chance(&g->r, 50))
        add_method(g, c, "Voucher", MK_OTHER, 0);
    if (prng_chance(&g->r, 40))
        add_method(g, c, "Chèque", MK_CARD, 0);
    if (prng_chance(&g->r, 25))
        add_method(g, c, "Transfer", MK_OTHER, 1);
}

static int64_t tax_rate(gen *g)
{
    static const int64_t usual[] = {0, 25000, 50000, 70000, 77000, 90000, 100000, 190000,
                                    200000, 210000};
    int c = (int)prng_below(&g->r, 10);
    if (c < 6)
        return usual[prng_below(&g->r, 10)];
    if (c < 9)
        return prng_range(&g->r, 0, 300000);
    return prng_range(&g->r, 300000, 10000000);
}

void gen_add_tax(gen *g, m_config *c);
void gen_add_tax(gen *g, m_config *c)
{
    m_tax *t = &c->t[c->nt];
    snprintf(t->code, sizeof t->code, "T%d", c->nt + 1);
    snprintf(t->name, sizeof t->name, "Tax %d", c->nt + 1);
    t->rate = tax_rate(g);
    t->included = prng_chance(&g->r, 50);
    t->per_unit = 0;
    t->affects_base = 0;
    if (prng_chance(&g->r, 20)) {
        static const int64_t fixed[] = {1, 3, 25, 50, 150, 999};
        t->rate = 0;
        t->per_unit = fixed[prng_below(&g->r, 6)];
    }
    if (!t->included && prng_chance(&g->r, 30))
        t->affects_base = 1;
    if (c->nt > 0 && prng_chance(&g->r, 20))
        strcpy(t->account, c->t[prng_below(&g->r, (uint64_t)c->nt)].account);
    else
        gen_good_account(g, t->account, M_ACC, "Liabilities:Tax");
    c->nt++;
}

static void categories(gen *g, m_config *c)
{
    static const char *const names[] = {"food", "drinks", "books", "toys"};
    for (int i = 0; i < 4; i++) {
        if (!prng_chance(&g->r, 55))
            continue;
        m_cat *k = &c->c[c->nc++];
        snprintf(k->name, sizeof k->name, "%s", names[i]);
        int how = (int)prng_below(&g->r, 3);
        if (how == 0)
            strcpy(k->account, c->acc[A_INCOME]);
        else if (how == 1 && c->nc > 1)
            strcpy(k->account, c->c[0].account);
        else
            gen_good_account(g, k->account, M_ACC, "Income");
    }
}

static void denominations(gen *g, m_config *c)
{
    static const int64_t cents[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    for (int i = 0; i < 12; i++) {
        m_session fake;
        fake.cfg.exponent = c->exponent;
        int64_t v = gen_scale(g, &fake, cents[i]);
        int dup = 0;
        for (int k = 0; k < c->nd; k++)
            dup |= c->d[k] == v;
        if (!dup && (i > 0 || prng_chance(&g->r, 80)))
            c->d[c->nd++] = v;
    }
}

static void scalars(gen *g, m_config *c)
{
    static const int64_t incs[] = {5, 10, 25, 50, 100};
    c->exponent = (int)prng_below(&g->r, 5);
    snprintf(c->currency, sizeof c->currency, "%s", currencies[c->exponent]);
    c->cash_control = prng_chance(&g->r, 80);
    int lim = (int)prng_below(&g->r, 3);
    c->max_diff = lim == 0 ? 0 : lim == 1 ? prng_range(&g->r, 1, 200) : prng_range(&g->r, 0, 5000);
    int orole = (int)prng_below(&g->r, 10);
    c->override_role = orole < 7 ? R_MANAGER : orole < 9 ? R_ADMIN : R_CASHIER;
    c->per_day = prng_chance(&g->r, 25);
    c->tax_rounding = prng_chance(&g->r, 50) ? TR_LINE : TR_ORDER;
    c->rounding = prng_chance(&g->r, 50) ? RD_HALF_UP : (int)prng_range(&g->r, 1, 4);
    int cr = (int)prng_below(&g->r, 10);
    c->cr_scope = cr < 5 ? CR_OFF : cr < 8 ? CR_CASH : CR_ALL;
    c->cr_inc = c->cr_scope ? incs[prng_below(&g->r, 5)] : 0;
    c->cr_mode = prng_chance(&g->r, 50) ? RD_HALF_UP : (int)prng_range(&g->r, 1, 4);
    static const int64_t leases[] = {60, 300, 900};
    c->lease_s = leases[prng_below(&g->r, 3)];
    c->allow_zero = prng_chance(&g->r, 30);
    /* every policy, and drawers that may or may not go below zero */
    int late = (int)prng_below(&g->r, 10);
    c->late_orders = late < 4 ? LATE_ROUTE : late < 7 ? LATE_RESCUE : LATE_REFUSE;
    c->allow_negative = prng_chance(&g->r, 35);
    c->split_recv = prng_chance(&g->r, 50);
    c->allow_rr = prng_chance(&g->r, 50);
    static const int rr_roles[] = {R_CASHIER, R_MANAGER, R_MANAGER, R_ADMIN};
    c->rr_role = rr_roles[prng_below(&g->r, 4)];
}

static void random_config(gen *g, m_config *c)
{
    memset(c, 0, sizeof *c);
    gen_uuid(g, c->id);
    g->n_configs_made++;
    snprintf(c->name, sizeof c->name, "Register %d ☕", g->n_configs_made);
    snprintf(c->code, sizeof c->code, "R%d-%c", g->n_configs_made,
             (char)('A' + prng_below(&g->r, 26)));
    scalars(g, c);
    accounts(g, c);
    methods(g, c);
    int nt = 1 + (int)prng_below(&g->r, 6);
    for (int i = 0; i < nt; i++)
        gen_add_tax(g, c);
    categories(g, c);
    denominations(g, c);
}

/* One thing a saved config lacks (ECONFIG at save). */
static void make_incomplete(gen *g, op *o, m_config *c)
{
    int k = (int)prng_below(&g->r, 5);
    if (k == 0)
        c->has_acc[A_INCOME] = 0, c->acc[A_INCOME][0] = '\0';
    else if (k == 1)
        c->has_acc[A_IN] = 0, c->acc[A_IN][0] = '\0';
    else if (k == 2 && c->cash_control)
        c->has_acc[A_LOSS] = 0, c->acc[A_LOSS][0] = '\0';
    else if (k == 3 && c->cr_scope != CR_OFF)
        c->has_acc[A_RGAIN] = 0, c->acc[A_RGAIN][0] = '\0';
    else
        c->m[c->nm - 1].account[0] = '\0';
    snprintf(o->fault, sizeof o->fault, "incomplete config (%d)", k);
}

void gen_config_save(gen *g, op *o)
{
    o->kind = OP_CONFIG_SAVE;
    random_config(g, &o->config);
    o->is_new = 1;
    o->config.meta = prng_chance(&g->r, 40) ? gen_meta_text(g, META_OK) : 0;
    gen_actor(&o->actor, prng_chance(&g->r, 70) ? MIA : ADA);
    o->ctx = (int)prng_below(&g->r, 2);
    if (!prng_chance(&g->r, g->fault_pct))
        return;
    int k = (int)prng_below(&g->r, 5);
    if (k == 0) {
        o->config.meta = gen_meta_text(g, META_BAD);
        snprintf(o->fault, sizeof o->fault, "config metadata refused");
    } else if (k < 3) {
        make_incomplete(g, o, &o->config);
    } else {
        gen_actor(&o->actor, prng_chance(&g->r, 50) ? BOB : NOBODY);
        snprintf(o->fault, sizeof o->fault, "config saved by a role below manager");
    }
}

static void add_something(gen *g, m_config *c)
{
    int k = (int)prng_below(&g->r, 4);
    if (k == 0 && c->nt < M_MAXT - 1) {
        gen_add_tax(g, c);
    } else if (k == 1 && c->nm < M_MAXM) {
        char name[G_SHORT];
        snprintf(name, sizeof name, "Method %d", c->nm + 1);
        add_method(g, c, name, prng_chance(&g->r, 50) ? MK_CARD : MK_OTHER,
                   prng_chance(&g->r, 50));
    } else if (k == 2 && c->nd < M_MAXD) {
        int64_t v = prng_range(&g->r, 3, 99) * 7;
        int dup = 0;
        for (int i = 0; i < c->nd; i++)
            dup |= c->d[i] == v;
        if (!dup)
            c->d[c->nd++] = v;
    } else if (c->nc < M_MAXC) {
        static const char *const names[] = {"food", "drinks", "books", "toys", "misc", "gifts"};
        const char *name = names[prng_below(&g->r, 6)];
        if (m_cat_index(c, name) < 0) {
            m_cat *cat = &c->c[c->nc++];
            snprintf(cat->name, sizeof cat->name, "%s", name);
            gen_good_account(g, cat->account, M_ACC, "Income");
        }
    }
}

/* Loads (or reuses the kept handle of) a register's config, adds a thing and saves it. */
void gen_config_update(gen *g, op *o)
{
    int reg = (int)prng_below(&g->r, (uint64_t)g->m->nreg);
    o->kind = OP_CONFIG_UPDATE;
    o->session = reg;
    o->flag = prng_chance(&g->r, 30);   /* 1: through the kept handle */
    const m_config *base = o->flag ? &g->kept[reg] : &g->m->reg[reg].cfg;
    o->loaded_rev = o->flag ? g->kept_rev[reg] : g->m->reg[reg].rev;
    o->config = *base;
    o->before = *base;
    o->keep = o->flag || prng_chance(&g->r, 50);
    add_something(g, &o->config);
    gen_actor(&o->actor, prng_chance(&g->r, 70) ? MIA : ADA);
    o->ctx = 0;
    if (prng_chance(&g->r, g->fault_pct / 2)) {
        gen_actor(&o->actor, BOB);
        snprintf(o->fault, sizeof o->fault, "config saved by a cashier");
    }
}

static void form_fault(gen *g, m_config *c, op *o)
{
    int k = (int)prng_below(&g->r, 20);
    const char *what[] = {"exponent 5", "exponent -1", "currency lower-case", "currency EURO",
                          "max_difference -1", "max_difference beyond the bound",
                          "bad config account", "second cash method", "duplicate method",
                          "bad method account", "tax rate, fixed tax or tax on taxes refused", "bad denomination",
                          "config name with a C1 control", "config code with a control",
                          "method name with a C1 control", "tax code with a C1 control",
                          "tax name with a C1 control", "category name with a C1 control",
                          "bad tax or category account", "late-order policy out of range"};
    snprintf(o->fault, sizeof o->fault, "%s", what[k]);
    switch (k) {
    case 0: c->exponent = 5; break;
    case 1: c->exponent = -1; break;
    case 2: strcpy(c->currency, "eur"); break;
    case 3: strcpy(c->currency, "EURO"); break;
    case 4: c->max_diff = -1; break;
    case 5: c->max_diff = gen_absurd(g, 1); break;
    case 6: { int i = (int)prng_below(&g->r, A_N);
              gen_bad_account(g, c->acc[i], M_ACC);
              c->has_acc[i] = 2;
              char esc[128];
              gen_escape(c->acc[i], esc, sizeof esc);
              snprintf(o->fault, sizeof o->fault, "bad config account \"%.90s\"", esc); } break;
    case 7: add_method(g, c, "Cash 2", MK_CASH, 0); break;
    case 8: add_method(g, c, c->m[0].name, MK_OTHER, 0); break;
    case 9: { gen_bad_account(g, c->m[c->nm - 1].account, M_ACC);
            if (!c->m[c->nm - 1].account[0])
                strcpy(c->m[c->nm - 1].account, "(virtual)");
            char esc[128];
            gen_escape(c->m[c->nm - 1].account, esc, sizeof esc);
            snprintf(o->fault, sizeof o->fault, "bad method account \"%.90s\"", esc); }
            break;
    case 10: { int f = (int)prng_below(&g->r, 4);
             if (f == 0) c->t[0].rate = prng_chance(&g->r, 50) ? 10000001 : -1;
             else if (f == 1) c->t[0].per_unit = 50, c->t[0].rate = 100000;
             else if (f == 2) c->t[0].included = 1, c->t[0].affects_base = 1;
             else c->t[0].per_unit = -1, c->t[0].rate = 0; }
             break;
    case 11: c->d[c->nd++] = prng_chance(&g->r, 50) ? 0 : c->d[0]; break;
    case 12: snprintf(c->name, sizeof c->name, "Register\xc2\x85" "2"); break;
    case 13: snprintf(c->code, sizeof c->code, prng_chance(&g->r, 50) ? "R1\x1b" : "R1\xc2\x9f"); break;
    case 14: add_method(g, c, "Card\xc2\x9b", MK_CARD, 0); break;
    case 15: snprintf(c->t[c->nt - 1].code, G_SHORT, "T\xc2\x80"); break;
    case 16: snprintf(c->t[c->nt - 1].name, G_SHORT, "Tax\xc2\x8d"); break;
    case 17: if (c->nc < M_MAXC) {
                 m_cat *k2 = &c->c[c->nc++];
                 snprintf(k2->name, sizeof k2->name, "misc\xc2\x90");
                 snprintf(k2->account, sizeof k2->account, "Income:Misc");
             } else {
                 snprintf(c->c[0].name, sizeof c->c[0].name, "food\xc2\x90");
             } break;
    case 19: { static const int bad[] = {0, 4, -1, 99};
               c->late_orders = bad[prng_below(&g->r, 4)];
               snprintf(o->fault, sizeof o->fault, "late-order policy %d", c->late_orders); }
             break;
    default: {
        char *a = c->nc && prng_chance(&g->r, 40) ? c->c[prng_below(&g->r, (uint64_t)c->nc)].account
                                                  : c->t[prng_below(&g->r, (uint64_t)c->nt)].account;
        gen_bad_account(g, a, M_ACC);
        if (!a[0])
            strcpy(a, "[virtual]");   /* "": a tax account taken as missing (README) */
        char esc[128];
        gen_escape(a, esc, sizeof esc);
        snprintf(o->fault, sizeof o->fault, "bad tax or category account \"%.90s\"", esc); }
        break;
    }
}

void gen_config_form(gen *g, op *o)
{
    o->kind = OP_CONFIG_FORM;
    random_config(g, &o->config);
    for (int i = 0; i < A_N; i++)
        o->config.has_acc[i] = o->config.acc[i][0] != '\0';
    form_fault(g, &o->config, o);
    for (int i = 0; i < A_N; i++)
        o->config.has_acc[i] = o->config.acc[i][0] || o->config.has_acc[i] == 2;
    o->ctx = 0;
}
