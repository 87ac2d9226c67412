/* oracle_figures.c: a session's figures recomputed from its orders and movements (expected
 * cash and its parts, methods, taxes per side, products, counts, balances, volume), and the
 * journal entry of its close line by line as doc/close-flow.md lists it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

static int64_t mag(int64_t v)
{
    return v < 0 ? -v : v;
}

static m_prod *product_of(m_figs *f, const m_line *l)
{
    for (int i = 0; i < f->np; i++)
        if (strcmp(f->p[i].id, l->product) == 0)
            return &f->p[i];
    if (f->np >= M_MAXPROD)
        return NULL;
    m_prod *p = &f->p[f->np++];
    strcpy(p->id, l->product);
    strcpy(p->name, l->name);
    return p;
}

static void paid_order(m_figs *f, const m_order *o)
{
    int refund = m_is_refund(o);
    if (refund)
        f->refunds++;
    else
        f->orders++;
    f->posted += o->total;
    f->current += o->total;
    f->rounding += o->rounding;
    for (int i = 0; i < o->nl; i++) {
        const m_line *l = &o->l[i];
        m_prod *p = product_of(f, l);
        if (p && l->qty < 0)
            p->refunded += -l->qty;
        else if (p)
            p->sold += l->qty;
    }
    if (o->invoiced) {
        f->invoiced += o->total;
        return;
    }
    f->untaxed += o->untaxed;
    f->tax += o->tax;
    for (int i = 0; i < o->nl; i++)
        for (int k = 0; k < o->l[i].nt; k++) {
            m_tfig *t = &f->t[o->l[i].tax[k]];
            t->used = 1;
            int back = o->l[i].qty < 0;   /* a line that comes back is a refund */
            *(back ? &t->rbase : &t->base) += o->l[i].untaxed;
            *(back ? &t->ramount : &t->amount) += o->l[i].taxamt[k];
        }
}

static void payments_of(m_figs *f, const m_order *o, int cash)
{
    for (int i = 0; i < o->np; i++) {
        const m_pay *p = &o->p[i];
        if (p->state == PS_PENDING) {
            f->pending++;
            f->volume += mag(p->amount);
        }
        if (p->state != PS_DONE)
            continue;
        f->m[p->method].payments++;
        f->m[p->method].amount += p->amount;
        f->m[p->method].change += p->change;
        f->volume += mag(p->amount) + mag(p->change);
        if (p->method == cash) {
            f->cash_payments += p->amount;
            f->change += p->change;
        }
    }
}

static void order_figs(m_figs *f, const m_order *o, int hypo, int cash)
{
    if (o->state == OS_DRAFT && hypo) {
        f->cancelled++;
        return;
    }
    switch (o->state) {
    case OS_DRAFT:
        f->drafts++;
        f->current += o->total;
        break;
    case OS_CANCELLED:
        f->cancelled++;
        return;
    default:
        paid_order(f, o);
    }
    f->volume += mag(o->total) + mag(o->rounding);
    payments_of(f, o, cash);
}

static void moves_figs(const model *m, int si, m_figs *f)
{
    for (int i = 0; i < m->nmv; i++) {
        const m_move *v = &m->mv[i];
        if (v->session != si || v->voided)
            continue;
        f->volume += mag(v->amount);
        switch (v->kind) {
        case CK_IN:
            f->cash_in += v->amount;
            break;
        case CK_OUT:
            f->cash_out += v->amount;
            break;
        case CK_EXPENSE:
            f->expenses += v->amount;
            break;
        default:
            f->corrections += v->amount;
        }
    }
}

/* hypo_force: as if a force close cancelled the drafts and voided their payments. */
void m_figs_of(const model *m, int si, int hypo_force, m_figs *f)
{
    const m_session *s = &m->s[si];
    memset(f, 0, sizeof *f);
    int cash = m_cash_method(&s->cfg);
    for (int i = 0; i < m->no; i++)
        if (m->o[i].session == si)
            order_figs(f, &m->o[i], hypo_force, cash);
    moves_figs(m, si, f);
    int64_t base = s->open_cnt != M_UNSET ? s->open_cnt : s->open_exp;
    f->volume += mag(s->open_exp) + (s->open_cnt == M_UNSET ? 0 : mag(s->open_cnt));
    f->expected_cash = base + f->cash_payments - f->change + f->cash_in - f->cash_out -
                       f->expenses + f->corrections;
    f->volume_overflow = f->volume > M_VMAX;
}

/* ---- the entry ---------------------------------------------------------------------- */

static const char *const ekind_names[EK_N] = {
    "payment", "sales", "refund", "tax", "tax_refund", "receivable", "cash_in", "cash_out",
    "expense", "correction", "rounding", "opening_difference", "closing_difference"};

const char *m_ekind_name(int kind)
{
    return kind >= 0 && kind < EK_N ? ekind_names[kind] : "?";
}

/* The group of doc/close-flow.md's list a kind belongs to (1..7). */
int m_ekind_rank(int kind)
{
    static const int rank[EK_N] = {1, 2, 2, 3, 3, 4, 5, 5, 5, 5, 6, 7, 7};
    return kind >= 0 && kind < EK_N ? rank[kind] : 99;
}

static m_eline *eline(m_entry *e, int kind, const char *account, const char *key)
{
    for (int i = 0; i < e->n; i++)
        if (e->l[i].kind == kind && strcmp(e->l[i].account, account) == 0 &&
            strcmp(e->l[i].key, key) == 0)
            return &e->l[i];
    if (e->n >= (int)(sizeof e->l / sizeof e->l[0]))
        abort();
    m_eline *l = &e->l[e->n++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    snprintf(l->account, sizeof l->account, "%s", account);
    snprintf(l->key, sizeof l->key, "%s", key);
    return l;
}

/* Posts v on account: a debit when positive, a credit when negative. */
static void post(m_entry *e, int kind, const char *account, const char *key, int64_t v)
{
    if (v == 0)
        return;
    m_eline *l = eline(e, kind, account, key);
    if (v > 0)
        l->debit += v;
    else
        l->credit += -v;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The codes of a line's taxes, sorted, joined by commas. */
static void taxset_key(const m_config *c, const m_line *l, char *out, size_t size)
{
    const char *codes[G_MAXLT];
    for (int k = 0; k < l->nt; k++)
        codes[k] = c->t[l->tax[k]].code;
    qsort(codes, (size_t)l->nt, sizeof codes[0], cmp_str);
    out[0] = '\0';
    for (int k = 0; k < l->nt; k++) {
        if (k)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, codes[k], size - strlen(out) - 1);
    }
}

static void add_code(char *set, size_t size, const char *code)
{
    char buf[G_STR + 4];
    snprintf(buf, sizeof buf, ",%.250s,", set);
    char needle[G_SHORT + 2];
    snprintf(needle, sizeof needle, ",%s,", code);
    if (strstr(buf, needle))
        return;
    const char *codes[32];
    int n = 0;
    char *copy = strdup(set), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && n < 31; t = strtok_r(NULL, ",", &save))
        codes[n++] = t;
    codes[n++] = code;
    qsort(codes, (size_t)n, sizeof codes[0], cmp_str);
    char out[G_STR] = "";
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", sizeof out - strlen(out) - 1);
        strncat(out, codes[i], sizeof out - strlen(out) - 1);
    }
    free(copy);
    snprintf(set, size, "%s", out);
}

static void sales_lines(const model *m, const m_session *s, const m_order *o, m_entry *e)
{
    const m_config *c = &m->reg[s->reg].cfg;
    for (int i = 0; i < o->nl; i++) {
        const m_line *l = &o->l[i];
        int refund = l->qty < 0;   /* concepts.md: a posting group's side is its lines' */
        char key[G_STR];
        taxset_key(c, l, key, sizeof key);
        post(e, refund ? EK_REFUND : EK_SALES, m_income_of(m, s, l->cat), key, -l->untaxed);
        for (int k = 0; k < l->nt; k++) {
            const m_tax *t = &c->t[l->tax[k]];
            m_eline *tl = eline(e, refund ? EK_TAX_REFUND : EK_TAX, t->account, "");
            if (l->taxamt[k] > 0)
                tl->credit += l->taxamt[k];
            else
                tl->debit += -l->taxamt[k];
            for (int j = 0; j < c->nt; j++)
                if (strcmp(c->t[j].account, t->account) == 0)
                    add_code(tl->key2, sizeof tl->key2, c->t[j].code);
        }
    }
}

static void order_lines(const model *m, const m_session *s, const m_order *o, m_entry *e,
                        int64_t *receivable, int64_t *rounding)
{
    if (o->state != OS_PAID)
        return;
    *rounding += o->rounding;
    if (o->invoiced) {
        /* concepts.md, "Customers": with split_receivables an invoiced order of a customer
         * posts its receivable on a line of its own, the customer its partner */
        if (m->reg[s->reg].cfg.split_recv && o->customer[0])
            post(e, EK_RECEIVABLE, m->reg[s->reg].cfg.acc[A_RECV], o->customer, -o->total);
        else
            *receivable += o->total;  /* stands for the sales and taxes the invoice posts */
        return;
    }
    sales_lines(m, s, o, e);
}

static void payment_lines(const m_session *s, const m_figs *f, m_entry *e)
{
    for (int i = 0; i < s->cfg.nm; i++)
        post(e, EK_PAYMENT, s->cfg.m[i].account, s->cfg.m[i].name,
             f->m[i].amount - f->m[i].change);
}

static void move_lines(const model *m, int si, const char *cash, m_entry *e)
{
    static const int kinds[] = {0, EK_CASH_IN, EK_CASH_OUT, EK_EXPENSE, EK_CORRECTION};
    for (int i = 0; i < m->nmv; i++) {
        const m_move *v = &m->mv[i];
        if (v->session != si || v->voided)
            continue;
        int64_t into = v->kind == CK_IN || v->kind == CK_CORRECTION ? v->amount : -v->amount;
        int k = kinds[v->kind];
        post(e, k, cash, "", into);
        post(e, k, v->account, "", -into);
    }
    /* a correction's lines are the net of its account (the running total is signed) */
    for (int i = 0; i < e->n; i++) {
        m_eline *l = &e->l[i];
        if (l->kind == EK_CORRECTION && l->debit && l->credit) {
            int64_t net = l->debit - l->credit;
            l->debit = net > 0 ? net : 0;
            l->credit = net < 0 ? -net : 0;
        }
    }
}

static void difference_lines(const m_config *c, const char *cash, int kind, int64_t d,
                             m_entry *e)
{
    if (d > 0) {
        post(e, kind, cash, "", d);
        post(e, kind, c->acc[A_GAIN], "", -d);
    } else if (d < 0) {
        post(e, kind, c->acc[A_LOSS], "", -d);
        post(e, kind, cash, "", d);
    }
}

static void tax_keys(const model *m, const m_session *s, m_entry *e)
{
    (void)m;
    (void)s;
    for (int i = 0; i < e->n; i++) {
        m_eline *l = &e->l[i];
        if (l->kind == EK_TAX || l->kind == EK_TAX_REFUND)
            snprintf(l->key, sizeof l->key, "%s", l->key2);
    }
}

static void drop_zero_lines(m_entry *e)
{
    int n = 0;
    for (int i = 0; i < e->n; i++) {
        m_eline *l = &e->l[i];
        if (l->debit && l->credit) {
            int64_t net = l->debit - l->credit;
            l->debit = net > 0 ? net : 0;
            l->credit = net < 0 ? -net : 0;
        }
        if (l->debit || l->credit)
            e->l[n++] = *l;
    }
    e->n = n;
}

void m_entry_build(const model *m, int si, int hypo_force, int64_t counted, m_entry *e)
{
    const m_session *s = &m->s[si];
    const m_config *c = &m->reg[s->reg].cfg;
    const char *cash = s->cfg.m[m_cash_method(&s->cfg)].account;
    m_figs f;
    m_figs_of(m, si, hypo_force, &f);
    memset(e, 0, sizeof *e);
    e->session = si;
    payment_lines(s, &f, e);
    int64_t receivable = 0, rounding = 0;
    for (int i = 0; i < m->no; i++)
        if (m->o[i].session == si)
            order_lines(m, s, &m->o[i], e, &receivable, &rounding);
    tax_keys(m, s, e);
    post(e, EK_RECEIVABLE, c->acc[A_RECV], "", -receivable);
    move_lines(m, si, cash, e);
    post(e, EK_ROUNDING, rounding > 0 ? c->acc[A_RGAIN] : c->acc[A_RLOSS], "", -rounding);
    if (s->open_cnt != M_UNSET)
        difference_lines(c, cash, EK_OPENING_DIFF, s->open_cnt - s->open_exp, e);
    difference_lines(c, cash, EK_CLOSING_DIFF, counted - f.expected_cash, e);
    /* "the closing differences": every counted method's, against its own account */
    for (int i = 0; s->count.has && !s->rescue && i < s->count.n; i++) {
        const m_mfig *mf = &f.m[s->count.method[i]];
        difference_lines(c, s->cfg.m[s->count.method[i]].account, EK_CLOSING_DIFF,
                         s->count.amount[i] - (mf->amount - mf->change), e);
    }
    drop_zero_lines(e);
    for (int i = 0; i < e->n; i++)
        e->total += e->l[i].debit;
    for (int i = 0; i < f.np; i++)
        e->p[e->np++] = f.p[i];
}
