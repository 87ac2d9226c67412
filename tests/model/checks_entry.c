/* checks_entry.c: a journal entry against the oracle's, line by line (doc/close-flow.md,
 * "The journal entry": the groups in order, zero lines left out, debits equal to credits,
 * the products), after every real close and after the trial close a manager or an admin
 * could make at any step on a copy-on-write copy of the store, which is then thrown away. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "cover.h"
#include "store_copy.h"

typedef struct merged {
    int kind;
    char account[M_ACC], key[G_STR];
    int64_t net;
} merged;

static int kind_of(const char *name)
{
    for (int k = 0; k < EK_N; k++)
        if (name && strcmp(name, m_ekind_name(k)) == 0)
            return k;
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts a comma-separated list of codes. */
static void norm_codes(const char *in, char *out, size_t size)
{
    char buf[G_STR];
    const char *codes[32];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", in ? in : "");
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t && n < 32; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        codes[n++] = t;
    }
    qsort(codes, (size_t)n, sizeof codes[0], cmp_str);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, codes[i], size - strlen(out) - 1);
    }
}

static void merge(merged *list, int *n, int kind, const char *account, const char *key,
                  int64_t net)
{
    for (int i = 0; i < *n; i++)
        if (list[i].kind == kind && strcmp(list[i].account, account) == 0 &&
            strcmp(list[i].key, key) == 0) {
            list[i].net += net;
            return;
        }
    if (*n >= 128)
        return;
    merged *m = &list[(*n)++];
    m->kind = kind;
    snprintf(m->account, sizeof m->account, "%s", account);
    snprintf(m->key, sizeof m->key, "%s", key);
    m->net = net;
}

static void line_key(int kind, const pss_entry_line *l, char *key, size_t size)
{
    key[0] = '\0';
    if (kind == EK_PAYMENT)
        snprintf(key, size, "%s", l->method ? l->method : "");
    else if (kind == EK_SALES || kind == EK_REFUND)
        norm_codes(l->tax, key, size);
}

/* Is every code of `sub` in the comma-separated `set`? */
static int codes_within(const char *sub, const char *set)
{
    char a[G_STR], b[G_STR + 2];
    norm_codes(sub, a, sizeof a);
    snprintf(b, sizeof b, ",%s,", set);
    char *save = NULL;
    for (char *t = strtok_r(a, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char needle[G_SHORT + 2];
        snprintf(needle, sizeof needle, ",%s,", t);
        if (!strstr(b, needle))
            return 0;
    }
    return 1;
}

static const m_eline *want_tax_line(const m_entry *w, int kind, const char *account)
{
    for (int i = 0; i < w->n; i++)
        if (w->l[i].kind == kind && strcmp(w->l[i].account, account) == 0)
            return &w->l[i];
    return NULL;
}

static int one_line(driver *d, const pss_entry_line *l, size_t i, int *rank, const m_entry *w,
                    const char *what)
{
    int kind = kind_of(l->kind);
    if (kind < 0)
        return drv_failf(d, "%s: line %zu has kind \"%s\"\n", what, i, l->kind ? l->kind : "");
    if (m_ekind_rank(kind) < *rank)
        return drv_failf(d, "%s: line %zu (%s) comes after a later group of close-flow.md's list\n",
                         what, i, l->kind);
    *rank = m_ekind_rank(kind);
    if ((l->debit != 0) == (l->credit != 0) || l->debit < 0 || l->credit < 0)
        return drv_failf(d, "%s: line %zu (%s %s) debit %" PRId64 " credit %" PRId64
                         " (zero lines are left out, a line is a debit or a credit)\n",
                         what, i, l->kind, l->account, l->debit, l->credit);
    if (kind == EK_TAX || kind == EK_TAX_REFUND) {
        const m_eline *t = want_tax_line(w, kind, l->account);
        if (t && !codes_within(l->tax, t->key))
            return drv_failf(d, "%s: line %zu (%s %s) names taxes \"%s\", expected among \"%s\"\n",
                             what, i, l->kind, l->account, l->tax ? l->tax : "", t->key);
    }
    return 0;
}

static void describe_lines(const merged *a, int n, char *buf, size_t size)
{
    size_t len = strlen(buf);
    for (int i = 0; i < n && len + 1 < size; i++) {
        if (!a[i].net)
            continue;
        len += (size_t)snprintf(buf + len, size - len, "\n    %-18s %-40s %-12s %" PRId64,
                                m_ekind_name(a[i].kind), a[i].account, a[i].key, a[i].net);
    }
}

static int same_lines(driver *d, const merged *got, int ng, const merged *want, int nw,
                      const char *what)
{
    for (int pass = 0; pass < 2; pass++) {
        const merged *a = pass ? want : got, *b = pass ? got : want;
        int na = pass ? nw : ng, nb = pass ? ng : nw;
        for (int i = 0; i < na; i++) {
            int64_t other = 0;
            for (int j = 0; j < nb; j++)
                if (b[j].kind == a[i].kind && strcmp(b[j].account, a[i].account) == 0 &&
                    strcmp(b[j].key, a[i].key) == 0)
                    other += b[j].net;
            if (other == a[i].net)
                continue;
            static char buf[12000];
            snprintf(buf, sizeof buf, "library (debit +, credit -):");
            describe_lines(got, ng, buf, sizeof buf);
            strncat(buf, "\n  oracle:", sizeof buf - strlen(buf) - 1);
            describe_lines(want, nw, buf, sizeof buf);
            return drv_failf(d, "%s: %s line on %s [%s]: library %" PRId64 ", oracle %" PRId64
                             "\n  %s\n", what, m_ekind_name(a[i].kind), a[i].account, a[i].key,
                             pass ? other : a[i].net, pass ? a[i].net : other, buf);
        }
    }
    return 0;
}

static int entry_lines(driver *d, pss_entry *e, const m_entry *w, const char *what)
{
    static merged got[128], want[128];
    int ng = 0, nw = 0, rank = 0;
    int64_t debits = 0, credits = 0;
    for (size_t i = 0; i < pss_entry_line_count(e); i++) {
        pss_entry_line l = PSS_ENTRY_LINE_INIT;
        if (pss_entry_get_line(e, i, &l))
            return drv_failf(d, "%s: pss_entry_get_line(%zu) failed\n", what, i);
        if (one_line(d, &l, i, &rank, w, what))
            return 1;
        char key[G_STR];
        int kind = kind_of(l.kind);
        line_key(kind, &l, key, sizeof key);
        /* the partner (journal.h): a split receivable line's customer, else NULL */
        const char *partner = pss_entry_line_partner(e, i);
        if (partner && (kind != EK_RECEIVABLE || !partner[0]))
            return drv_failf(d, "%s: line %zu (%s) has the partner \"%s\"\n", what, i, l.kind,
                             partner);
        if (kind == EK_RECEIVABLE && partner)
            snprintf(key, sizeof key, "%s", partner);
        merge(got, &ng, kind, l.account, key, l.debit - l.credit);
        debits += l.debit;
        credits += l.credit;
    }
    for (int i = 0; i < w->n; i++) {
        const m_eline *l = &w->l[i];
        int tax = l->kind == EK_TAX || l->kind == EK_TAX_REFUND;
        merge(want, &nw, l->kind, l->account, tax ? "" : l->key, l->debit - l->credit);
    }
    if (debits != credits || debits != pss_entry_total(e))
        return drv_failf(d, "%s: debits %" PRId64 ", credits %" PRId64 ", total %" PRId64 "\n",
                         what, debits, credits, pss_entry_total(e));
    return same_lines(d, got, ng, want, nw, what);
}

static int entry_products(driver *d, pss_entry *e, const m_entry *w, const char *what)
{
    int found = 0, want = 0;
    for (int i = 0; i < w->np; i++)
        want += w->p[i].sold != w->p[i].refunded;
    for (size_t i = 0; i < pss_entry_product_count(e); i++) {
        pss_entry_product p = PSS_ENTRY_PRODUCT_INIT;
        pss_entry_get_product(e, i, &p);
        int64_t net = 0;
        for (int k = 0; k < w->np; k++)
            if (p.product_id && strcmp(w->p[k].id, p.product_id) == 0)
                net = w->p[k].sold - w->p[k].refunded;
        if (p.quantity != net)
            return drv_failf(d, "%s: product %s quantity %" PRId64 ", oracle %" PRId64 "\n",
                             what, p.product_id ? p.product_id : "?", p.quantity, net);
        found += net != 0;
    }
    if (found != want)
        return drv_failf(d, "%s: %d products with a quantity, oracle %d\n", what, found, want);
    return 0;
}

/* The rows of a CSV text (every row ends with a line break; no text the host gives holds
 * one, so none is inside a field). */
static size_t csv_rows(const text *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        n += t->data[i] == '\n';
    return n + (t->len && t->data[t->len - 1] != '\n');
}

/* journal.h: "An entry without lines (a session with nothing to post) writes nothing" as
 * ledger text, "no row" as CSV ("the header still, when asked"); other entries one
 * transaction, "a header row when header is non-zero, then one row per line". */
static int entry_exports(driver *d, pss_entry *e, const char *what)
{
    text ledger = {0}, csv = {0}, bare = {0};
    int bad = pss_journal_write_ledger(e, text_write, &ledger) ||
              pss_journal_write_csv(e, 1, text_write, &csv) ||
              pss_journal_write_csv(e, 0, text_write, &bare);
    size_t lines = pss_entry_line_count(e);
    cover_hit("entry exported %s lines", lines ? "with" : "without");
    if (bad)
        drv_failf(d, "%s: the ledger or CSV export failed\n", what);
    else if ((lines == 0) != (ledger.len == 0))
        bad = drv_failf(d, "%s: %zu lines, the ledger export wrote %zu bytes:\n%.300s\n", what,
                        lines, ledger.len, ledger.data ? ledger.data : "");
    else if (csv_rows(&csv) != lines + 1 || csv_rows(&bare) != lines)
        bad = drv_failf(d, "%s: %zu lines, the CSV export wrote %zu rows with its header, %zu "
                        "without\n", what, lines, csv_rows(&csv), csv_rows(&bare));
    text_free(&ledger);
    text_free(&csv);
    text_free(&bare);
    return bad;
}

int compare_entry(driver *d, pss_entry *e, const m_entry *want, const m_session *s,
                  const char *what)
{
    if (strcmp(pss_entry_reference(e), s->name) != 0)
        return drv_failf(d, "%s: reference %s, expected %s\n", what, pss_entry_reference(e),
                         s->name);
    if (s->date[0] && strcmp(pss_entry_date(e), s->date) != 0)
        return drv_failf(d, "%s: date %s, expected %s\n", what, pss_entry_date(e), s->date);
    if (strcmp(pss_entry_currency(e), s->cfg.currency) != 0 ||
        pss_entry_exponent(e) != s->cfg.exponent)
        return drv_failf(d, "%s: currency %s/%d\n", what, pss_entry_currency(e),
                         pss_entry_exponent(e));
    if (entry_exports(d, e, what))
        return 1;
    return entry_lines(d, e, want, what) || entry_products(d, e, want, what);
}

/* After a real close: the posted entry against the one the oracle posted. */
int checks_entry(driver *d, int si)
{
    const m_session *s = &d->m->s[si];
    pss_session *h = drv_session(d, si, d->s[si].home);
    pss_entry *e = NULL;
    if (!h || pss_session_entry(h, &e))
        return drv_failf(d, "session %s: pss_session_entry failed\n", s->name);
    if (strcmp(pss_entry_session_id(e), s->id) != 0) {
        drv_failf(d, "session %s: the entry names session %s\n", s->name,
                  pss_entry_session_id(e));
        pss_entry_free(e);
        return 1;
    }
    char what[128];
    snprintf(what, sizeof what, "entry of %s", s->name);
    int bad = compare_entry(d, e, &d->m->e[s->entry], s, what);
    pss_entry_free(e);
    return bad;
}
