/* oracle_meta.c: host metadata (doc/concepts.md, "Host metadata"; possession/meta.h): the
 * texts the generator made (a pool, referred to by number), what makes a text acceptable
 * (a JSON object of at most PSS_META_MAX bytes in valid UTF-8 without duplicate keys),
 * written here from RFC 8259 and the docs alone, and who may set whose metadata when. */
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "oracle.h"

/* ---- the pool of texts ---------------------------------------------------------------- */

static char **pool;
static int npool, cap_pool;

int meta_intern(const char *text)
{
    if (!text)
        return 0;
    for (int i = npool - 1; i >= 0 && i >= npool - 64; i--)
        if (strcmp(pool[i], text) == 0)
            return i + 1;
    if (npool == cap_pool) {
        cap_pool = cap_pool ? cap_pool * 2 : 64;
        pool = realloc(pool, (size_t)cap_pool * sizeof *pool);
        if (!pool)
            abort();
    }
    pool[npool] = strdup(text);
    if (!pool[npool])
        abort();
    return ++npool;
}

const char *meta_text(int id)
{
    return id > 0 && id <= npool ? pool[id - 1] : NULL;
}

void meta_reset(void)
{
    for (int i = 0; i < npool; i++)
        free(pool[i]);
    free(pool);
    pool = NULL;
    npool = cap_pool = 0;
}

/* ---- the verdict on a text ------------------------------------------------------------ */

/* A recursive descent over RFC 8259's grammar. `bad` is set for what the docs refuse for
 * certain, `either` for what they leave open (README, readings): a limit an implementation
 * may set (RFC 8259 section 9: the depth of nesting, the range of numbers), an escaped
 * U+0000 or lone surrogate, a control character the JSON grammar allows (whitespace: TAB, LF,
 * CR) or a DEL or C1 character inside a string, which concepts.md's "no text the host gives
 * may hold one" would refuse, and a duplicate key inside a nested object. */
typedef struct jp {
    const unsigned char *p, *end;
    int bad, either, depth;
} jp;

#define KEYMAX 96

static void ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) {
        if (*j->p != ' ')
            j->either = 1;
        j->p++;
    }
}

static int hex4(jp *j, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        if (j->p >= j->end)
            return -1;
        unsigned c = *j->p++;
        int d = c >= '0' && c <= '9' ? (int)c - '0' : c >= 'a' && c <= 'f' ? (int)c - 'a' + 10
              : c >= 'A' && c <= 'F' ? (int)c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (uint32_t)d;
    }
    return 0;
}

static void put_cp(char *key, size_t *n, uint32_t c)
{
    unsigned char b[4];
    int k = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (k == 1)
        b[0] = (unsigned char)c;
    else if (k == 2)
        b[0] = (unsigned char)(0xC0 | (c >> 6)), b[1] = (unsigned char)(0x80 | (c & 0x3F));
    else if (k == 3)
        b[0] = (unsigned char)(0xE0 | (c >> 12)), b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)),
        b[2] = (unsigned char)(0x80 | (c & 0x3F));
    else
        b[0] = (unsigned char)(0xF0 | (c >> 18)), b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F)),
        b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)), b[3] = (unsigned char)(0x80 | (c & 0x3F));
    for (int i = 0; i < k && *n + 1 < KEYMAX; i++)
        key[(*n)++] = (char)b[i];
    key[*n] = '\0';
}

/* A string (the opening quote at j->p); its decoded bytes in key when not NULL. */
static void string(jp *j, char *key)
{
    size_t n = 0;
    if (key)
        key[0] = '\0';
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        unsigned c = *j->p;
        if (c < 0x20) {
            j->bad = 1;   /* RFC 8259: control characters must be escaped */
            return;
        }
        if (c == 0x7F || (c == 0xC2 && j->p + 1 < j->end && j->p[1] >= 0x80 && j->p[1] < 0xA0))
            j->either = 1;
        if (c != '\\') {
            if (key && n + 1 < KEYMAX)
                key[n++] = (char)c, key[n] = '\0';
            j->p++;
            continue;
        }
        j->p++;
        if (j->p >= j->end) {
            j->bad = 1;
            return;
        }
        c = *j->p++;
        uint32_t cp = 0;
        switch (c) {
        case '"': case '\\': case '/': cp = c; break;
        case 'b': cp = 8; break;
        case 'f': cp = 12; break;
        case 'n': cp = 10; break;
        case 'r': cp = 13; break;
        case 't': cp = 9; break;
        case 'u':
            if (hex4(j, &cp)) {
                j->bad = 1;
                return;
            }
            if (cp == 0)
                j->either = 1;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                    j->p += 2;
                    if (hex4(j, &lo)) {
                        j->bad = 1;
                        return;
                    }
                    if (lo >= 0xDC00 && lo <= 0xDFFF)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else
                        j->either = 1;
                } else {
                    j->either = 1;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                j->either = 1;
            }
            break;
        default:
            j->bad = 1;
            return;
        }
        if (key)
            put_cp(key, &n, cp);
    }
    if (j->p >= j->end) {
        j->bad = 1;
        return;
    }
    j->p++;
}

static int digit(const jp *j)
{
    return j->p < j->end && *j->p >= '0' && *j->p <= '9';
}

static void number(jp *j)
{
    const unsigned char *start = j->p;
    int frac = 0;
    if (*j->p == '-')
        j->p++;
    if (!digit(j)) {
        j->bad = 1;
        return;
    }
    if (*j->p == '0')
        j->p++;
    else
        while (digit(j))
            j->p++;
    size_t int_digits = (size_t)(j->p - start);
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        frac = 1;
        if (!digit(j)) {
            j->bad = 1;
            return;
        }
        while (digit(j))
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        frac = 1;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!digit(j)) {
            j->bad = 1;
            return;
        }
        const unsigned char *e = j->p;
        while (digit(j))
            j->p++;
        if (j->p - e > 2)
            j->either = 1;   /* beyond what a double holds, or nearly */
    }
    /* an integer beyond 64 bits, or a long mantissa: within the implementation's limits? */
    if ((!frac && int_digits > 18) || j->p - start > 24)
        j->either = 1;
}

static int word(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return 0;
    j->p += n;
    return 1;
}

static void value(jp *j);

/* After a member or an element: a comma goes on (false); the closing bracket ends the
 * container (true); anything else is bad (true). */
static bool container_ends(jp *j, char close)
{
    ws(j);
    if (j->p < j->end && *j->p == ',') {
        j->p++;
        return false;
    }
    if (j->p < j->end && *j->p == close)
        j->p++;
    else
        j->bad = 1;
    return true;
}

static void object(jp *j)
{
    char seen[64][KEYMAX];
    int nk = 0, top = j->depth == 1;
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return;
    }
    for (;;) {
        ws(j);
        if (j->p >= j->end || *j->p != '"') {
            j->bad = 1;
            return;
        }
        char key[KEYMAX];
        string(j, key);
        if (j->bad)
            return;
        for (int i = 0; i < nk && i < 64; i++)
            if (strcmp(seen[i], key) == 0) {
                if (top)
                    j->bad = 1;
                else
                    j->either = 1;
            }
        if (nk < 64)
            memcpy(seen[nk], key, KEYMAX);
        nk++;
        ws(j);
        if (j->p >= j->end || *j->p != ':') {
            j->bad = 1;
            return;
        }
        j->p++;
        value(j);
        if (j->bad || container_ends(j, '}'))
            return;
    }
}

static void array(jp *j)
{
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return;
    }
    for (;;) {
        value(j);
        if (j->bad || container_ends(j, ']'))
            return;
    }
}

static void value(jp *j)
{
    ws(j);
    if (j->p >= j->end) {
        j->bad = 1;
        return;
    }
    if (++j->depth > 32)
        j->either = 1;
    if (j->depth > 3000) {
        j->bad = 1;   /* cannot happen within the size bound */
        return;
    }
    unsigned c = *j->p;
    if (c == '{')
        object(j);
    else if (c == '[')
        array(j);
    else if (c == '"')
        string(j, NULL);
    else if (c == '-' || (c >= '0' && c <= '9'))
        number(j);
    else if (!word(j, "true") && !word(j, "false") && !word(j, "null"))
        j->bad = 1;
    j->depth--;
}

int m_meta_verdict(const char *text)
{
    if (!text)
        return META_OK;
    size_t n = strlen(text);
    if (n > META_MAX || !m_valid_utf8(text, 1))
        return META_BAD;
    jp j = {(const unsigned char *)text, (const unsigned char *)text + n, 0, 0, 0};
    ws(&j);
    if (j.p >= j.end || *j.p != '{')
        return META_BAD;   /* "It must be a JSON object" */
    value(&j);
    ws(&j);
    if (j.bad || j.p != j.end)
        return META_BAD;
    return j.either ? META_EITHER : META_OK;
}

/* ---- who sets whose metadata ----------------------------------------------------------- */

/* The owner's index (register, session, order, movement) and its session (-1 for a config);
 * -1 when the store does not hold it. */
int m_meta_owner(const model *m, int kind, const char *id, int *session)
{
    *session = -1;
    int i = -1;
    switch (kind) {
    case META_CONFIG:
        return m_find_reg(m, id);
    case META_SESSION:
        i = m_find_session(m, id);
        *session = i;
        return i;
    case META_ORDER:
        i = m_find_order(m, id);
        if (i >= 0)
            *session = m->o[i].session;
        return i;
    case META_MOVEMENT:
        i = m_find_move(m, id);
        if (i >= 0 && !m->mv[i].id[0])
            i = -1;
        if (i >= 0)
            *session = m->mv[i].session;
        return i;
    default:
        return -1;
    }
}

int *m_meta_slot(model *m, int kind, int index)
{
    switch (kind) {
    case META_CONFIG: return &m->reg[index].meta;
    case META_SESSION: return &m->s[index].meta;
    case META_ORDER: return &m->o[index].meta;
    default: return &m->mv[index].meta;
    }
}

/* pss_meta_set: meta.h's codes, in no documented order beyond the actor's own form (several
 * faults: any of them, README reading 10). The oracle changes nothing here: the driver
 * applies a set that went through (m_meta_apply), since a text the docs leave open may go
 * either way. */
void m_meta_set(const model *m, int kind, const g_str *id, const g_actor *a, int meta,
                m_expect *ex)
{
    if (m_actor_check(a, ex))
        return;
    int verdict = m_meta_verdict(meta_text(meta));
    int owner = -1, si = -1;
    if (kind < META_CONFIG || kind > META_MOVEMENT)
        ex_add(ex, E_INVAL, "no such owner kind");
    else if (id->null || !m_valid_uuid(id->s))
        ex_add(ex, E_INVAL, "the owner's id is not a UUID");
    else if ((owner = m_meta_owner(m, kind, id->s, &si)) < 0)
        ex_add(ex, E_NOTFOUND, "no such owner");
    if (a->role < (kind == META_CONFIG ? R_MANAGER : R_CASHIER))
        ex_add(ex, E_ACCESS, kind == META_CONFIG ? "a config's metadata takes a manager"
                                                 : "metadata takes a cashier or above");
    if (owner >= 0 && si >= 0 && m->s[si].state == SS_CLOSED)
        ex_add(ex, E_CLOSED, "its session is closed");
    if (verdict == META_BAD)
        ex_add(ex, E_INVAL, "not a JSON object of at most 4096 bytes without duplicate keys");
    if (verdict == META_EITHER) {
        int alone = !ex_refused(ex);
        ex_add(ex, E_INVAL, "a text the docs leave open (README, readings)");
        ex->success_ok = alone;
    }
}

void m_meta_apply(model *m, int kind, const char *id, int meta)
{
    int si, owner = m_meta_owner(m, kind, id, &si);
    if (owner >= 0)
        *m_meta_slot(m, kind, owner) = meta;
}

/* pss_meta_get: 0 with the owner's text (none for an owner the store does not hold), or
 * EINVAL for a kind that is none; an id that is no UUID may be EINVAL or have none. */
int m_meta_get(const model *m, int kind, const g_str *id, m_expect *ex)
{
    if (kind < META_CONFIG || kind > META_MOVEMENT || id->null) {
        ex_add(ex, E_INVAL, "no such owner kind, or no id");
        return 0;
    }
    if (!m_valid_uuid(id->s)) {
        ex_add(ex, E_INVAL, "the id is not a UUID (or it has none)");
        ex->success_ok = 1;
        return 0;
    }
    int si, owner = m_meta_owner(m, kind, id->s, &si);
    return owner < 0 ? 0 : *m_meta_slot((model *)m, kind, owner);
}
