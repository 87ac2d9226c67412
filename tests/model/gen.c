/* gen.c: the generator's core: the cast of actors, ids, the product catalogue, choosing a
 * target (session, order) and an actor for a call from the oracle's state, the injected
 * access faults, and the choice of the next operation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const struct {
    const char *user, *device;
    int role;
} cast[GEN_NCAST] = {
    {"ann", "till-1", R_CASHIER}, {"bob", "till-2", R_CASHIER}, {"mia", "office", R_MANAGER},
    {"ada", "backoffice", R_ADMIN}, {"nobody", "till-3", R_NONE}, {"ann", "till-9", R_CASHIER},
    {"sync", "sync-1", R_CASHIER}, {"kim", "office-2", R_MANAGER},
};

void gen_actor(g_actor *a, int who)
{
    memset(a, 0, sizeof *a);
    a->version = 1;
    g_str_set(&a->user, cast[who].user);
    g_str_set(&a->device, cast[who].device);
    a->role = cast[who].role;
}

static const char *const product_names[GEN_NPROD] = {
    "Croissant", "Café crème", "Brötchen", "Tee", "Roman", "日本茶", "Cheese by weight",
    "Stroopwafel", "Ærøskøbing map", "Mug \"Best\"", "Olive oil 0.5l", "Ticket",
    "Spielzeug", "Gift card"};
static const char *const product_cats[GEN_NPROD] = {
    "food", "drinks", "food", "drinks", "books", "drinks", NULL, "food", "books", NULL,
    "food", NULL, "toys", NULL};

void gen_init(gen *g, model *m, uint64_t seed)
{
    memset(g, 0, sizeof *g);
    prng_seed(&g->r, seed);
    g->m = m;
    g->huge = prng_chance(&g->r, 8);
    g->exotic = prng_chance(&g->r, 25);
    g->fault_pct = 20 + (int)prng_below(&g->r, 20);
    for (int i = 0; i < GEN_NPROD; i++) {
        gen_product *p = &g->prod[i];
        snprintf(p->id, sizeof p->id, "P-%02d", i + 1);
        snprintf(p->name, sizeof p->name, "%s", product_names[i]);
        p->category = product_cats[i];
        p->nameless = i == 3 || i == 11;
        p->price = prng_range(&g->r, 5, 4999);
    }
}

void gen_uuid(gen *g, char out[G_SHORT])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = prng_next(&g->r), b = prng_next(&g->r);
    char *p = out;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            *p++ = '-';
        uint64_t w = i < 16 ? a : b;
        int nib = (int)((w >> (4 * (i % 16))) & 15);
        if (i == 12)
            nib = 4;
        if (i == 16)
            nib = 8 + (nib & 3);
        *p++ = hex[nib];
    }
    *p = '\0';
}

/* The cast member who operates s cleanly (the responsible user on a device the lease
 * allows), or -1. */
int gen_operator(const gen *g, const m_session *s)
{
    int expired = g->m->now >= s->lease_exp;
    for (int i = 0; i < GEN_NCAST; i++)
        if (strcmp(cast[i].user, s->user) == 0 && cast[i].role != R_NONE &&
            (expired || strcmp(cast[i].device, s->device) == 0))
            return i;
    return -1;
}

int gen_supervisor(gen *g, const m_session *s)
{
    int who = gen_operator(g, s);
    if (who >= 0 && prng_chance(&g->r, 60))
        return who;
    static const int bosses[] = {MIA, KIM, ADA};
    return bosses[prng_below(&g->r, 3)];
}

static void fault(op *o, const char *what)
{
    snprintf(o->fault, sizeof o->fault, "%s", what);
}

/* Replaces the actor with one the rule refuses. */
static void malformed_actor(gen *g, op *o)
{
    static const char *const what[] = {"actor NULL", "actor user NULL", "actor user not UTF-8",
                                       "actor user with a control character", "actor version 2",
                                       "actor role 7", "actor user empty",
                                       "actor user with a C1 control",
                                       "actor device with a C1 control",
                                       "actor device not UTF-8"};
    int k = (int)prng_below(&g->r, 10);
    snprintf(o->fault, sizeof o->fault, "%s", what[k]);
    switch (k) {
    case 0: o->actor.null = 1; break;
    case 1: g_str_set(&o->actor.user, NULL); break;
    case 2: g_str_set(&o->actor.user, "ann\xc0\xaf"); break;
    case 3: g_str_set(&o->actor.user, "ann\n"); break;
    case 4: o->actor.version = 2; break;
    case 5: o->actor.role = 7; break;
    case 7: g_str_set(&o->actor.user, "ann\xc2\x85"); break;
    case 8: g_str_set(&o->actor.device, "till-\xc2\x9c" "1"); break;
    case 9: g_str_set(&o->actor.device, "till-\xe2\x28\xa1"); break;
    default: g_str_set(&o->actor.user, ""); break;
    }
}

void gen_fault_actor(gen *g, op *o, const m_session *s, int rule)
{
    if (prng_chance(&g->r, 15)) {
        malformed_actor(g, o);
        return;
    }
    int c = (int)prng_below(&g->r, 4);
    int ann_holds = strcmp(s->user, "ann") == 0 && g->m->now < s->lease_exp;
    if (c == 0) {
        gen_actor(&o->actor, NOBODY);
        fault(o, "actor of role none");
    } else if (c == 1 && ann_holds && rule != RULE_MANAGER && rule != RULE_ADMIN) {
        gen_actor(&o->actor, strcmp(s->device, "till-1") == 0 ? ANN9 : ANN);
        fault(o, "the responsible user on another device within the lease");
    } else if (c == 2 && rule == RULE_OPERATE) {
        gen_actor(&o->actor, strcmp(s->user, "mia") == 0 ? KIM : MIA);
        fault(o, "a manager who did not take over operates");
    } else if (rule == RULE_MANAGER || rule == RULE_ADMIN) {
        gen_actor(&o->actor, rule == RULE_ADMIN && c == 3 ? MIA : BOB);
        fault(o, "a role below the rule's");
    } else {
        gen_actor(&o->actor, strcmp(s->user, "bob") == 0 ? ANN : BOB);
        fault(o, "a cashier who is not responsible");
    }
}

int gen_pick_session(gen *g, unsigned states, int rescue_ok)
{
    int cand[256], n = 0;
    for (int i = g->m->ns - 1; i >= 0 && n < 256; i--) {
        const m_session *s = &g->m->s[i];
        if ((states & ST(s->state)) && (rescue_ok || !s->rescue) && s->id[0])
            cand[n++] = i;
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

/* An order of the session (or of any session when -1) in the state (0: any);
 * need_refundable: a paid sale with something left to refund. */
int gen_pick_order(gen *g, int session, int state, int need_refundable)
{
    int cand[512], n = 0;
    for (int i = g->m->no - 1; i >= 0 && n < 512; i--) {
        const m_order *o = &g->m->o[i];
        if (session >= 0 && o->session != session)
            continue;
        if (state && o->state != state)
            continue;
        if (need_refundable) {
            int left = 0;
            for (int k = 0; k < o->nl; k++)
                left |= o->l[k].qty > o->rq[k];
            if (m_is_refund(o) || !left)
                continue;
        }
        cand[n++] = i;
    }
    return n ? cand[prng_below(&g->r, (uint64_t)n)] : -1;
}

void gen_reason(gen *g, g_str *r, int allow_fault, op *o)
{
    static const char *const reasons[] = {"customer changed mind", "till 3 died overnight",
                                          "erreur de caisse", "Prüfung", "mistake"};
    g_str_set(r, reasons[prng_below(&g->r, 5)]);
    if (!allow_fault || !prng_chance(&g->r, g->fault_pct / 3))
        return;
    static const char *const bad[] = {NULL, "", "bad \xff utf-8", "two\nlines", "nel\xc2\x85"};
    static const char *const what[] = {"NULL", "empty", "not UTF-8", "with a newline",
                                       "with a C1 control character"};
    int c = (int)prng_below(&g->r, 5);
    g_str_set(r, bad[c]);
    snprintf(o->fault, sizeof o->fault, "reason %s", what[c]);
}

/* An amount given in cents, in the session's currency. */
int64_t gen_scale(const gen *g, const m_session *s, int64_t cents)
{
    (void)g;
    int e = s->cfg.exponent;
    int64_t v = cents;
    for (int i = 2; i < e; i++)
        v *= 10;
    for (int i = e; i < 2; i++)
        v /= 10;
    return v ? v : (cents > 0 ? 1 : cents < 0 ? -1 : 0);
}

void gen_good_account(gen *g, char *out, size_t size, const char *root)
{
    static const char *const parts[] = {"Caisse", "Été", "Till 1", "Kasse #2", "Ventes (food)",
                                        "VAT-10%", "Ærø", "日本", "a.b", "x=y", "@home",
                                        "411000", "Cash", "Bank", "Petty cash",
                                        "Fonds 1 * 2", "Bank ; not", "EUR 10",
                                        /* not spaces (Cf, Zl): hledger reads them as given */
                                        "Kasse\xe2\x80\x8b" "Nord", "Ventes\xe2\x81\xa0" "Est",
                                        "Till\xc2\xad" "2", "Zeile\xe2\x80\xa8" "Neu"};
    int n = 1 + (int)prng_below(&g->r, 2);
    snprintf(out, size, "%s", root);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        /* the names with zero-width and other format characters only in some seeds */
        const char *p = parts[prng_below(&g->r, g->exotic ? 22 : 18)];
        if (strchr(p, ';'))
            p = "Bank";  /* a ';' is refused: keep the name good */
        snprintf(out + len, size - len, ":%s", p);
    }
}

void gen_escape(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 5 < size; p++) {
        if (*p < 0x20 || *p >= 0x7f)
            n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p);
        else
            out[n++] = (char)*p;
    }
    out[n] = '\0';
}

void gen_bad_account(gen *g, char *out, size_t size)
{
    static const char *const bad[] = {"", " Assets:Lead", "Assets:Trail ", "Assets:Two  Spaces",
                                      "Assets;Semi", "(Assets:Virtual)", "[Assets:Virtual]",
                                      "*Assets:Star", "!Assets:Bang", "Assets:\x01Ctl",
                                      "Assets:Del\x7f", "Assets:C1\xc2\x85", "Assets:\xff",
                                      "Assets:Tab\there",
                                      /* concepts.md, "Accounts": no space but U+0020 */
                                      "Assets:Kasse\xc2\xa0" "Nord", "Assets:Ogham\xe1\x9a\x80" "x",
                                      "Assets:En\xe2\x80\x80" "quad", "Assets:Four\xe2\x80\x85" "em",
                                      "Assets:Hair\xe2\x80\x8a" "sp", "Assets:Narrow\xe2\x80\xaf" "nb",
                                      "Assets:Math\xe2\x81\x9f" "sp", "Assets:Ventes\xe3\x80\x80" "Est",
                                      "Assets:Till \xc2\xa0" "2", "Assets:C1\xc2\x80" "start",
                                      "Assets:C1\xc2\x9f" "end"};
    int n_bad = (int)(sizeof bad / sizeof bad[0]);
    int c = (int)prng_below(&g->r, (uint64_t)n_bad + 1);
    if (c < n_bad) {
        snprintf(out, size, "%s", bad[c]);
        return;
    }
    memset(out, 'a', 201);
    out[201] = '\0';
}

/* An amount beyond the bound: just beyond it, or near INT64_MAX. */
int64_t gen_absurd(gen *g, int sign)
{
    static const int64_t v[] = {M_AMAX + 1, INT64_MAX, INT64_MAX - 1, M_AMAX * 9223};
    int64_t x = v[prng_below(&g->r, 4)];
    return sign < 0 ? -x : x;
}

const g_actor *gen_cast(int who)
{
    static g_actor all[GEN_NCAST];
    static int made;
    if (!made) {
        for (int i = 0; i < GEN_NCAST; i++)
            gen_actor(&all[i], i);
        made = 1;
    }
    return &all[who];
}
