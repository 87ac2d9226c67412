/* ledger.c: the seed's closed sessions exported with pss_journal_write_ledger_range to a
 * temporary journal; `hledger check` must accept it and `hledger balance` must give every
 * account the balance the oracle's entries give it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "gen.h"

typedef struct bal {
    char account[M_ACC], currency[G_SHORT];
    int exponent;
    int64_t want, got;
    int seen;
} bal;

static bal bals[512];
static int nbal;

static bal *bal_of(const char *account, const char *currency, int exponent)
{
    for (int i = 0; i < nbal; i++)
        if (strcmp(bals[i].account, account) == 0 && strcmp(bals[i].currency, currency) == 0)
            return &bals[i];
    if (nbal >= 512)
        return NULL;
    bal *b = &bals[nbal++];
    memset(b, 0, sizeof *b);
    snprintf(b->account, sizeof b->account, "%s", account);
    snprintf(b->currency, sizeof b->currency, "%s", currency);
    b->exponent = exponent;
    return b;
}

static void oracle_balances(const model *m)
{
    nbal = 0;
    for (int i = 0; i < m->ns; i++) {
        const m_session *s = &m->s[i];
        if (s->state != SS_CLOSED || s->entry < 0)
            continue;
        const m_entry *e = &m->e[s->entry];
        for (int k = 0; k < e->n; k++) {
            bal *b = bal_of(e->l[k].account, s->cfg.currency, s->cfg.exponent);
            if (b)
                b->want += e->l[k].debit - e->l[k].credit;
        }
    }
}

static int export(driver *d, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return drv_failf(d, "cannot write %s\n", path);
    text t = {0};
    int bad = 0;
    for (int i = 0; i < d->m->nreg && !bad; i++)
        if (pss_journal_write_ledger_range(d->ctx[0], d->m->reg[i].cfg.id, NULL, NULL, text_write,
                                           &t))
            bad = drv_failf(d, "pss_journal_write_ledger_range: %s\n", pss_ctx_errmsg(d->ctx[0]));
    if (t.len)
        fwrite(t.data, 1, t.len, f);
    fclose(f);
    text_free(&t);
    return bad;
}

/* "EUR -12.34" in minor units of the exponent; 0 on success. */
static int parse_amount(const char *s, int exponent, char *cur, size_t size, int64_t *out)
{
    while (*s == ' ' || *s == '"')
        s++;
    size_t n = 0;
    while (*s && *s != ' ' && (*s < '0' || *s > '9') && *s != '-' && n + 1 < size)
        cur[n++] = *s++;
    cur[n] = '\0';
    while (*s == ' ')
        s++;
    int neg = *s == '-';
    s += neg;
    int64_t v = 0;
    int frac = -1;
    for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
        if (*s == '.') {
            frac = 0;
            continue;
        }
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *s - '0', &v))
            return -1;
        frac += frac >= 0;
    }
    /* scaled by the exponent of the balance being read: an amount of another commodity on
     * the same account may not fit, and is not compared (the caller checks the currency) */
    for (int i = frac < 0 ? 0 : frac; i < exponent; i++)
        if (__builtin_mul_overflow(v, 10, &v))
            return -1;
    *out = neg ? -v : v;
    return 0;
}

static void read_balances(FILE *p)
{
    char line[2048];
    while (fgets(line, sizeof line, p)) {
        char *comma = strstr(line, "\",\"");
        if (line[0] != '"' || !comma)
            continue;
        *comma = '\0';
        const char *account = line + 1, *amounts = comma + 3;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", amounts);
        char *save = NULL;
        for (char *a = strtok_r(buf, ",\"\n", &save); a; a = strtok_r(NULL, ",\"\n", &save)) {
            char cur[G_SHORT];
            int64_t v = 0;
            for (int i = 0; i < nbal; i++) {
                if (strcmp(bals[i].account, account) != 0)
                    continue;
                int fits = parse_amount(a, bals[i].exponent, cur, sizeof cur, &v) == 0;
                if (strcmp(cur, bals[i].currency) != 0 && (v != 0 || cur[0]))
                    continue;
                if (!fits) /* a balance of this currency beyond 64 bits: it cannot agree */
                    v = INT64_MIN, bals[i].got = 0;
                bals[i].got += v, bals[i].seen = 1;
            }
        }
    }
}

static int compare_balances(driver *d, const char *path)
{
    for (int i = 0; i < nbal; i++) {
        if (bals[i].want != bals[i].got) {
            char esc[600];
            gen_escape(bals[i].account, esc, sizeof esc);
            return drv_failf(d, "hledger balance of \"%s\" (%s): %" PRId64 ", oracle %" PRId64
                             " (journal %s)\n", esc, bals[i].currency, bals[i].got,
                             bals[i].want, path);
        }
    }
    return 0;
}

int ledger_check(driver *d)
{
    oracle_balances(d->m);
    if (!nbal)
        return 0;
    char path[64], cmd[256];
    snprintf(path, sizeof path, "/tmp/model-%d-%" PRIu64 ".journal", (int)getpid(), d->seed);
    if (export(d, path))
        return 1;
    snprintf(cmd, sizeof cmd, "hledger -f %s check >/dev/null 2>/tmp/model-%d.err", path,
             (int)getpid());
    if (system(cmd) != 0) {
        char err[1024] = "";
        snprintf(cmd, sizeof cmd, "/tmp/model-%d.err", (int)getpid());
        FILE *f = fopen(cmd, "r");
        size_t n = f ? fread(err, 1, sizeof err - 1, f) : 0;
        err[n] = '\0';
        if (f)
            fclose(f);
        return drv_failf(d, "hledger check rejects the ledger export (kept in %s):\n%s\n", path,
                         err);
    }
    snprintf(cmd, sizeof cmd, "hledger -f %s bal --flat -E -O csv --no-total", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return drv_failf(d, "cannot run hledger\n");
    read_balances(p);
    pclose(p);
    int bad = compare_balances(d, path);
    if (d->verbose)
        printf("  hledger: %d account balances agree (%s)\n", nbal, path);
    if (!bad && !d->verbose)
        unlink(path);
    return bad;
}
