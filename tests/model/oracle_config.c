/* oracle_config.c: what a config may hold (pss_config_new and the add functions check each
 * field's own form, EINVAL), what makes it incomplete (validate and save: ECONFIG), and who
 * may save it when (a manager, no session of it open, the revision it was loaded at). */
#include <string.h>

#include "oracle.h"

static int currency_ok(const char *s)
{
    if (strlen(s) != 3)
        return 0;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

/* pss_config_new: the scalar fields' own form. */
static int scalar_form(const m_config *c)
{
    if (c->exponent < 0 || c->exponent > 4 || !currency_ok(c->currency))
        return E_INVAL;
    /* concepts.md, "Accounts": no text the host gives may hold a control character */
    if (!m_valid_utf8(c->name, 0) || !m_valid_utf8(c->code, 0))
        return E_INVAL;
    if (c->max_diff < 0 || c->max_diff > M_AMAX)
        return E_INVAL;
    /* config.h: the policy is route, rescue or refuse; anything else is the field's own
     * form ("Only the fields' own form is checked here"), README, readings */
    if (c->late_orders < LATE_ROUTE || c->late_orders > LATE_REFUSE)
        return E_INVAL;
    for (int i = 0; i < A_N; i++)
        if (c->has_acc[i] && !m_valid_account(c->acc[i]))
            return c->acc[i][0] ? E_INVAL : -1000 - i;
    return 0;
}

static int method_form(const m_config *c, int i)
{
    const m_method *m = &c->m[i];
    if (!m->name[0] || !m_valid_utf8(m->name, 0) || m_method_index(c, m->name) < i)
        return E_INVAL;
    if (m->kind == MK_CASH && m_cash_method(c) < i)
        return E_INVAL;
    if (m->account[0] && !m_valid_account(m->account))
        return E_INVAL;
    return 0;
}

static int tax_form(const m_config *c, int i)
{
    const m_tax *t = &c->t[i];
    if (!t->code[0] || !m_valid_utf8(t->code, 0) || m_tax_index(c, t->code) < i)
        return E_INVAL;
    if (!m_valid_utf8(t->name, 0))
        return E_INVAL;
    if (t->rate < 0 || t->rate > 10000000)
        return E_INVAL;
    /* concepts.md, "Fixed taxes and taxes on taxes": a fixed tax has no rate, an included
     * tax may not affect the base; a fixed tax is an amount the host gives (README) */
    if (t->per_unit < 0 || t->per_unit > M_AMAX || (t->per_unit && t->rate))
        return E_INVAL;
    if (t->included && t->affects_base)
        return E_INVAL;
    if (t->account[0] && !m_valid_account(t->account))
        return E_INVAL;
    return 0;
}

static int cat_form(const m_config *c, int i)
{
    const m_cat *k = &c->c[i];
    if (!k->name[0] || !m_valid_utf8(k->name, 0) || m_cat_index(c, k->name) < i)
        return E_INVAL;
    return m_valid_account(k->account) ? 0 : E_INVAL;
}

static int denom_form(const m_config *c, int i)
{
    int64_t v = c->d[i];
    if (v <= 0 || v > M_AMAX)
        return E_INVAL;
    for (int j = 0; j < i; j++)
        if (c->d[j] == v)
            return E_INVAL;
    return 0;
}

/* The code the first construction call that fails returns, and which call: 0 new,
 * 1 + i method i, 100 + i tax i, 200 + i category i, 300 + i denomination i; -1 when all
 * succeed. */
int m_config_form(const m_config *c, m_expect *ex)
{
    int rc = scalar_form(c);
    if (rc <= -1000) {
        /* an empty account name: refused at once, or taken as missing (README) */
        m_config t = *c;
        t.has_acc[-1000 - rc] = 0;
        ex_add(ex, E_INVAL, "empty account name");
        if (!m_config_complete(&t))
            ex_add(ex, E_CONFIG, "an empty account name taken as missing");
        else
            ex->success_ok = 1;
        return 0;
    }
    if (rc) {
        ex_add(ex, rc, "config field");
        return 0;
    }
    for (int i = 0; i < c->nm; i++)
        if ((rc = method_form(c, i)) != 0)
            return ex_add(ex, rc, "method"), 1 + i;
    for (int i = 0; i < c->nt; i++)
        if ((rc = tax_form(c, i)) != 0)
            return ex_add(ex, rc, "tax"), 100 + i;
    for (int i = 0; i < c->nc; i++)
        if ((rc = cat_form(c, i)) != 0)
            return ex_add(ex, rc, "category"), 200 + i;
    for (int i = 0; i < c->nd; i++)
        if ((rc = denom_form(c, i)) != 0)
            return ex_add(ex, rc, "denomination"), 300 + i;
    return -1;
}

/* pss_config_validate: what is missing. */
int m_config_complete(const m_config *c)
{
    static const int always[] = {A_INCOME, A_RECV, A_IN, A_OUT};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (!c->has_acc[always[i]])
            return 0;
    if (c->cash_control && (!c->has_acc[A_GAIN] || !c->has_acc[A_LOSS]))
        return 0;
    if (c->cr_scope != CR_OFF && (!c->has_acc[A_RGAIN] || !c->has_acc[A_RLOSS]))
        return 0;
    for (int i = 0; i < c->nm; i++)
        if (!c->m[i].account[0])
            return 0;
    for (int i = 0; i < c->nt; i++)
        if (!c->t[i].account[0])
            return 0;
    return 1;
}

static int session_open(const model *m, int reg)
{
    for (int i = 0; i < m->ns; i++)
        if (m->s[i].reg == reg && m->s[i].state != SS_CLOSED)
            return 1;
    return 0;
}

static void register_new(model *m, const m_config *c)
{
    m_register *r = &m->reg[m->nreg++];
    memset(r, 0, sizeof *r);
    r->cfg = *c;
    r->rev = 1;
    r->open_session = r->rescue_session = -1;
    r->meta = c->meta;   /* concepts.md: "written with its first save" */
}

/* pss_config_save of config c, loaded at revision loaded_rev (0: made with pss_config_new). */
void m_config_save(model *m, const m_config *c, const g_actor *a, uint64_t loaded_rev,
                   int is_new, m_expect *ex)
{
    if (m_actor_check(a, ex))
        return;
    if (a->role < R_MANAGER)
        ex_add(ex, E_ACCESS, "config.save needs a manager");
    if (!m_config_complete(c))
        ex_add(ex, E_CONFIG, "config incomplete");
    int reg = m_find_reg(m, c->id);
    if (reg >= 0 && session_open(m, reg))
        ex_add(ex, E_STATE, "a session of the config is open");
    if (reg >= 0 && (is_new || loaded_rev != m->reg[reg].rev))
        ex_add(ex, E_CONFLICT, "config changed since loaded");
    if (ex_refused(ex))
        return;
    if (reg < 0) {
        register_new(m, c);
        return;
    }
    m->reg[reg].cfg = *c;
    m->reg[reg].rev++;
}
