/* oracle_base.c: the oracle's plumbing: the model's arrays, expectations, exact rounding in
 * 128 bits, dates, and the checks of the host's text (UTF-8, account names, UUIDs, actors). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oracle.h"

typedef m_i128 i128;

void model_init(model *m)
{
    memset(m, 0, sizeof *m);
    meta_reset();
}

/* doc/fiscal.md, "Events": "Every audit entry of outcome ok whose action has fiscal weight
 * becomes, in the same transaction, the next event of its config's chain". The oracle calls
 * this where a call goes through and writes n such entries about session s (whose config,
 * a rescue session's too, is the chain's). */
void m_fiscal(model *m, int s, int n)
{
    m->reg[m->s[s].reg].fiscal += (uint64_t)n;
}

/* The returns without a receipt among n lines: "a line with a negative quantity and no
 * refund_line" (concepts.md), each "audited as order.return", an event of its own. */
int m_receiptless(const g_line *l, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += l[i].refund_line < 0 && l[i].quantity < 0;
    return k;
}

void model_free(model *m)
{
    free(m->s);
    free(m->o);
    free(m->mv);
    free(m->e);
    memset(m, 0, sizeof *m);
    meta_reset();
}

static void *grow(void *p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return p;
    int n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, (size_t)n * size);
    if (!q)
        abort();
    memset((char *)q + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
    *cap = n;
    return q;
}

m_session *m_new_session(model *m)
{
    m->s = grow(m->s, &m->cap_s, m->ns + 1, sizeof *m->s);
    m_session *s = &m->s[m->ns++];
    memset(s, 0, sizeof *s);
    s->entry = -1;
    return s;
}

m_order *m_new_order(model *m)
{
    m->o = grow(m->o, &m->cap_o, m->no + 1, sizeof *m->o);
    m_order *o = &m->o[m->no++];
    memset(o, 0, sizeof *o);
    o->refund_of = -1;
    return o;
}

m_move *m_new_move(model *m)
{
    m->mv = grow(m->mv, &m->cap_mv, m->nmv + 1, sizeof *m->mv);
    m_move *v = &m->mv[m->nmv++];
    memset(v, 0, sizeof *v);
    return v;
}

m_entry *m_new_entry(model *m)
{
    m->e = grow(m->e, &m->cap_e, m->ne + 1, sizeof *m->e);
    m_entry *e = &m->e[m->ne++];
    memset(e, 0, sizeof *e);
    return e;
}

void ex_reset(m_expect *ex)
{
    memset(ex, 0, sizeof *ex);
    ex->line = -1;
    ex->line_alt = -1;
    ex->payment = -1;
}

void ex_add(m_expect *ex, int code, const char *why)
{
    for (int i = 0; i < ex->n; i++)
        if (ex->codes[i] == code)
            return;
    if (ex->n < 8)
        ex->codes[ex->n++] = code;
    if (ex->n == 1 && why) {
        strncpy(ex->why, why, sizeof ex->why - 1);
        ex->why[sizeof ex->why - 1] = '\0';
    }
}

int ex_refused(const m_expect *ex)
{
    return ex->n > 0;
}

int ex_accepts(const m_expect *ex, int code)
{
    if (ex->n == 0 || (code == 0 && ex->success_ok))
        return code == 0;
    for (int i = 0; i < ex->n; i++)
        if (ex->codes[i] == code)
            return 1;
    return 0;
}

/* Rounds the exact quotient q = n / d (d > 0) by mode. */
static i128 div_round(i128 n, i128 d, int mode)
{
    i128 q = n / d, r = n % d;
    if (r == 0)
        return q;
    int sgn = n < 0 ? -1 : 1;
    i128 ar = r < 0 ? -r : r;
    switch (mode) {
    case RD_DOWN:
        return q;
    case RD_UP:
        return q + sgn;
    case RD_HALF_EVEN:
        if (2 * ar > d || (2 * ar == d && (q % 2 != 0)))
            return q + sgn;
        return q;
    default: /* half up: a half away from zero */
        return 2 * ar >= d ? q + sgn : q;
    }
}

/* n * num / den rounded by mode; 0, or -1 when it does not fit in 64 bits. */
int m_div(int64_t n, int64_t num, int64_t den, int mode, int64_t *out)
{
    i128 a = (i128)n * num, d = den;
    if (d < 0) {
        a = -a;
        d = -d;
    }
    i128 q = div_round(a, d, mode);
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

int64_t m_round_to(int64_t amount, int64_t inc, int mode)
{
    if (inc <= 0)
        return amount;
    i128 q = div_round(amount, inc, mode);
    return (int64_t)(q * inc);
}

/* The UTC date of a time in ms (Howard Hinnant's civil_from_days). */
void m_civil_date(int64_t ms, char out[16])
{
    int64_t z = (ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000) + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t mo = mp < 10 ? mp + 3 : mp - 9;
    y += mo <= 2;
    out[0] = (char)('0' + (y / 1000) % 10);
    out[1] = (char)('0' + (y / 100) % 10);
    out[2] = (char)('0' + (y / 10) % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + mo / 10);
    out[6] = (char)('0' + mo % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int m_valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(mo == 2 && d == 29 && !leap);
}

/* Decodes one UTF-8 sequence; returns its length, 0 when malformed. */
static int utf8_one(const unsigned char *p, uint32_t *cp)
{
    int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
          : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n)
        return 0;
    uint32_t c = n == 1 ? p[0] : n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Valid UTF-8; without allow_controls also free of control characters (C0, DEL, C1). */
int m_valid_utf8(const char *s, int allow_controls)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int n = utf8_one(p, &c);
        if (!n)
            return 0;
        if (!allow_controls && (c < 0x20 || (c >= 0x7F && c < 0xA0)))
            return 0;
        p += n;
    }
    return 1;
}

/* A Unicode space separator (category Zs) other than U+0020: hledger reads each as a plain
 * space (concepts.md, "Accounts": U+00A0, U+3000 and the other space separators). */
static int other_space(uint32_t c)
{
    return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/* doc/concepts.md, "Accounts". */
int m_valid_account(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 200 || !m_valid_utf8(s, 0))
        return 0;
    if (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  ") || strchr(s, ';'))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c;
        int k = utf8_one(p, &c);
        if (other_space(c))
            return 0;
        p += k;
    }
    return !strchr("([*!", s[0]);
}

int m_valid_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                 (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

/* The actor's own form: 0, or the code it is refused with (added to ex). */
int m_actor_check(const g_actor *a, m_expect *ex)
{
    int rc = 0;
    if (a->null || a->user.null)
        rc = E_INVAL;
    else if (a->version != 1)
        rc = E_VERSION;
    else if (!a->user.s[0] || !m_valid_utf8(a->user.s, 0))
        rc = E_INVAL;
    else if (!a->device.null && !m_valid_utf8(a->device.s, 0))
        rc = E_INVAL;
    else if (a->role < R_NONE || a->role > R_ADMIN)
        rc = E_INVAL;
    if (rc)
        ex_add(ex, rc, "the actor is malformed");
    return rc;
}

int m_find_session(const model *m, const char *id)
{
    for (int i = 0; i < m->ns; i++)
        if (strcmp(m->s[i].id, id) == 0)
            return i;
    return -1;
}

int m_find_order(const model *m, const char *id)
{
    for (int i = 0; i < m->no; i++)
        if (strcasecmp(m->o[i].id, id) == 0)
            return i;
    return -1;
}

int m_find_move(const model *m, const char *id)
{
    for (int i = 0; i < m->nmv; i++)
        if (strcasecmp(m->mv[i].id, id) == 0)
            return i;
    return -1;
}

int m_find_reg(const model *m, const char *id)
{
    for (int i = 0; i < m->nreg; i++)
        if (strcmp(m->reg[i].cfg.id, id) == 0)
            return i;
    return -1;
}

int m_method_index(const m_config *c, const char *name)
{
    for (int i = 0; i < c->nm; i++)
        if (strcmp(c->m[i].name, name) == 0)
            return i;
    return -1;
}

int m_tax_index(const m_config *c, const char *code)
{
    for (int i = 0; i < c->nt; i++)
        if (strcmp(c->t[i].code, code) == 0)
            return i;
    return -1;
}

int m_cat_index(const m_config *c, const char *name)
{
    for (int i = 0; i < c->nc; i++)
        if (strcmp(c->c[i].name, name) == 0)
            return i;
    return -1;
}

int m_cash_method(const m_config *c)
{
    for (int i = 0; i < c->nm; i++)
        if (c->m[i].kind == MK_CASH)
            return i;
    return -1;
}

const char *m_income_of(const model *m, const m_session *s, int cat)
{
    const m_config *c = &m->reg[s->reg].cfg;
    return cat >= 0 ? c->c[cat].account : c->acc[A_INCOME];
}
