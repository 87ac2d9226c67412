/* checks.c: what runs after each step: every session that is open or changed compared in
 * the context it lives in (and now and then in the other one), the orders the step touched
 * plus a sample, the entry of a close, the trial close; and at the end of a seed every
 * session, the session lists and the hledger check. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static int config_step(driver *d, int reg);

static int session_step(driver *d, int si, int other)
{
    m_session *s = &d->m->s[si];
    if (!s->id[0])
        return 0;
    for (int c = 0; c < 2; c++) {
        int home = c == d->s[si].home;
        pss_session *h = d->s[si].h[c];
        if (!home && !other)
            continue;
        if (!h && home)
            h = drv_session(d, si, c);
        if (!h)
            continue;
        if (pss_session_refresh(h))
            return drv_failf(d, "pss_session_refresh(%s) failed\n", s->name);
        if (checks_session(d, si, h))
            return 1;
    }
    return 0;
}

static int order_step(driver *d, int oi)
{
    const m_order *o = &d->m->o[oi];
    int c = d->s[o->session].home;
    pss_order *h = drv_get_order(d, oi, c);
    if (!h)
        return d->failed;
    return checks_order(d, oi, h);
}

static int closes(driver *d)
{
    for (int i = 0; i < d->m->ns; i++) {
        m_session *s = &d->m->s[i];
        if (s->touched && s->state == SS_CLOSED && s->entry >= 0 && checks_entry(d, i))
            return 1;
    }
    return 0;
}

/* Sessions the step changed: the one it named, those whose orders it touched. Only they can
 * differ from what the last check saw; every tenth step checks all open sessions anyway. */
static void mark_touched(driver *d, const op *o)
{
    model *m = d->m;
    if (o->session >= 0 && o->session < m->ns && o->kind != OP_CONFIG_UPDATE)
        m->s[o->session].touched = 1;
    for (int i = 0; i < m->no; i++)
        if (m->o[i].touched)
            m->s[m->o[i].session].touched = 1;
    for (int i = 0; i < m->ns; i++)
        if (i >= d->seen_sessions)
            m->s[i].touched = 1;
    d->seen_sessions = m->ns;
}

/* pss_meta_get of one owner against the model: "returned byte for byte as given". */
static int meta_of(driver *d, int kind, int index, int ctx)
{
    const model *m = d->m;
    const char *id = kind == META_CONFIG ? m->reg[index].cfg.id : kind == META_SESSION
                   ? m->s[index].id : kind == META_ORDER ? m->o[index].id : m->mv[index].id;
    if (!id[0])
        return 0;
    const char *want = meta_text(*m_meta_slot(d->m, kind, index));
    char *got = NULL;
    int rc = pss_meta_get(d->ctx[ctx], (pss_meta_owner)kind, id, &got);
    int bad = rc != 0 || (got == NULL) != (want == NULL) || (want && strcmp(got, want) != 0);
    if (bad)
        drv_failf(d, "pss_meta_get(%d, %s) in context %d: rc %d, %.300s; expected %.300s\n", kind,
                  id, ctx, rc, got ? got : "NULL", want ? want : "NULL");
    pss_free(d->ctx[ctx], got);
    return bad;
}

/* The metadata of the owner a step named, of what it made, and of one owner of each kind. */
static int meta_step(driver *d, const op *o)
{
    const model *m = d->m;
    int ctx = (int)(d->step % 2);
    const int n[5] = {0, m->nreg, m->ns, m->no, m->nmv};
    if (o->kind == OP_META_SET && o->meta_kind >= META_CONFIG && o->meta_kind <= META_MOVEMENT &&
        !o->meta_id.null) {
        int si, owner = m_meta_owner(m, o->meta_kind, o->meta_id.s, &si);
        if (owner >= 0 && meta_of(d, o->meta_kind, owner, 1 - ctx))
            return 1;
    }
    if (o->kind == OP_CREATE && d->last_rc == 0 && meta_of(d, META_SESSION, m->ns - 1, ctx))
        return 1;
    if (o->kind == OP_CASH_MOVE && d->last_rc == 0 && meta_of(d, META_MOVEMENT, m->nmv - 1, ctx))
        return 1;
    if ((o->kind == OP_ORDER_CREATE || o->kind == OP_SUBMIT || o->kind == OP_BATCH) && m->no &&
        meta_of(d, META_ORDER, m->no - 1, ctx))
        return 1;
    for (int k = META_CONFIG; k <= META_MOVEMENT; k++)
        if (n[k] && meta_of(d, k, (int)((d->step * 40503u + (unsigned)k) % (unsigned)n[k]), ctx))
            return 1;
    return 0;
}

/* doc/fiscal.md: every config's chain verifies after every call; a refused call adds no
 * event (it changes nothing but its audit entry), and no call takes one away. */
static int fiscal_verify(driver *d, int i, const char *what)
{
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    pss_ctx *ctx = d->ctx[(d->step + (unsigned)i) % 2];
    const char *cid = d->m->reg[i].cfg.id;
    int rc = pss_fiscal_verify(ctx, cid, &v);
    if (rc)
        return drv_failf(d, "pss_fiscal_verify of config %s: %d (%s)\n", cid, rc,
                         pss_ctx_errmsg(ctx));
    uint64_t before = d->fiscal_events[i], want = d->m->reg[i].fiscal;
    if (v.events < before || (d->last_rc != 0 && v.events != before))
        return drv_failf(d, "config %s had %llu fiscal events, has %llu after a call that "
                         "returned %d\n", cid, (unsigned long long)before,
                         (unsigned long long)v.events, d->last_rc);
    /* "Events": every audit entry of outcome ok whose action has fiscal weight is the next
     * event of its config's chain; the oracle counts those entries (m_fiscal) */
    if (v.events != want)
        return drv_failf(d, "config %s: %llu fiscal events after %s (returned %d; %llu "
                         "before), the oracle expects %llu\n", cid,
                         (unsigned long long)v.events, what, d->last_rc,
                         (unsigned long long)before, (unsigned long long)want);
    d->fiscal_events[i] = v.events;
    return 0;
}

static int fiscal_step(driver *d, const char *what)
{
    for (int i = 0; i < d->m->nreg; i++)
        if (fiscal_verify(d, i, what))
            return 1;
    return 0;
}

int checks_step(driver *d, const op *o)
{
    model *m = d->m;
    if (fiscal_step(d, op_name(o->kind)))
        return 1;
    if ((o->kind == OP_CONFIG_SAVE || o->kind == OP_CONFIG_UPDATE) && d->last_rc == 0) {
        int reg = o->kind == OP_CONFIG_SAVE ? m_find_reg(m, o->config.id) : o->session;
        if (reg >= 0 && config_step(d, reg))
            return 1;
    }
    int other = d->step % 5 == 0, all = d->step % 10 == 0;
    mark_touched(d, o);
    for (int i = 0; i < m->ns; i++)
        if ((m->s[i].touched || (all && m->s[i].state != SS_CLOSED)) && session_step(d, i, other))
            return 1;
    if (closes(d))
        return 1;
    for (int i = 0; i < m->no; i++)
        if ((m->o[i].touched || i == o->order) && order_step(d, i))
            return 1;
    if (m->no && order_step(d, (int)((d->step * 2654435761u) % (unsigned)m->no)))
        return 1;
    for (int i = 0; i < m->ns; i++)
        m->s[i].touched = 0;
    for (int i = 0; i < m->no; i++)
        m->o[i].touched = 0;
    if (d->trial_every > 0 && d->step % d->trial_every == 0 && checks_trial(d))
        return 1;
    if (o->kind == OP_CLOCK && checks_money(d, &d->money_rng))
        return 1;
    return meta_step(d, o);
}

static const char *policy_name(int policy)
{
    return policy == LATE_RESCUE ? "rescue" : policy == LATE_REFUSE ? "refuse" : "route";
}

/* doc/storage.md, "config": schema version 2 with "late_orders" and
 * "allow_negative_drawer"; a policy no version names is not such a document (EINVAL). */
static int json_fields(driver *d, const char *json, const m_config *c)
{
    char policy[64], negative[64];
    snprintf(policy, sizeof policy, "\"late_orders\":\"%s\"", policy_name(c->late_orders));
    snprintf(negative, sizeof negative, "\"allow_negative_drawer\":%s",
             c->allow_negative ? "true" : "false");
    if (strncmp(json, "{\"v\":2,", 7) != 0 || !strstr(json, policy) || !strstr(json, negative))
        return drv_failf(d, "config JSON lacks {\"v\":2, %s or %s:\n%.600s\n", policy, negative,
                         json);
    const char *at = strstr(json, policy);
    size_t head = (size_t)(at - json) + strlen("\"late_orders\":");
    text bad = {0};
    text_add(&bad, json, head);
    text_add(&bad, "\"sideways\"", 10);
    const char *tail = at + strlen(policy);
    text_add(&bad, tail, strlen(tail));
    pss_config *back = NULL;
    int rc = pss_config_from_json(d->ctx[1], bad.data, &back);
    pss_config_free(back);
    text_free(&bad);
    if (rc != PSS_EINVAL)
        return drv_failf(d, "pss_config_from_json of a config whose late_orders is \"sideways\" "
                         "gave %d, expected PSS_EINVAL\n", rc);
    return 0;
}

/* pss_config_to_json and pss_config_from_json "read and write exactly this document". */
static int json_round_trip(driver *d, const pss_config *h, const m_config *want)
{
    char *a = NULL, *b = NULL;
    pss_config *back = NULL;
    int bad = pss_config_to_json(h, &a) || pss_config_from_json(d->ctx[1], a, &back) ||
              pss_config_to_json(back, &b);
    if (bad)
        drv_failf(d, "config JSON round trip failed: %s\n", pss_ctx_errmsg(d->ctx[1]));
    else if (strcmp(a, b) != 0)
        bad = drv_failf(d, "config JSON changed in a round trip:\n%.300s\n%.300s\n", a, b);
    else
        bad = json_fields(d, a, want);
    pss_free(d->ctx[1], a);
    pss_free(d->ctx[1], b);
    pss_config_free(back);
    return bad;
}

/* The stored config, loaded back: what its getters say. */
static int config_step(driver *d, int reg)
{
    const m_config *c = &d->m->reg[reg].cfg;
    pss_config *h = NULL;
    if (pss_config_load(d->ctx[1], c->id, &h))
        return drv_failf(d, "pss_config_load(%s): %s\n", c->id, pss_ctx_errmsg(d->ctx[1]));
    int bad = strcmp(pss_config_id(h), c->id) || strcmp(pss_config_name(h), c->name) ||
              strcmp(pss_config_currency(h), c->currency) ||
              pss_config_exponent(h) != c->exponent ||
              pss_config_max_difference(h) != c->max_diff ||
              pss_config_method_count(h) != (size_t)c->nm;
    for (int i = 0; !bad && i < c->nm; i++)
        bad = !pss_config_method_name(h, (size_t)i) ||
              strcmp(pss_config_method_name(h, (size_t)i), c->m[i].name) != 0;
    if (bad)
        drv_failf(d, "config %s loaded back: name %s currency %s exponent %d max_difference %"
                  PRId64 " methods %zu; expected %s %s %d %" PRId64 " %d\n", c->id,
                  pss_config_name(h), pss_config_currency(h), pss_config_exponent(h),
                  pss_config_max_difference(h), pss_config_method_count(h), c->name,
                  c->currency, c->exponent, c->max_diff, c->nm);
    if (!bad)
        bad = json_round_trip(d, h, c);
    pss_config_free(h);
    return bad;
}

static int session_lists(driver *d, int reg)
{
    pss_strlist *l = NULL;
    const char *cid = d->m->reg[reg].cfg.id;
    if (pss_session_list(d->ctx[0], cid, PSS_SESSION_ANY_STATE, &l))
        return drv_failf(d, "pss_session_list failed: %s\n", pss_ctx_errmsg(d->ctx[0]));
    size_t n = 0;
    int bad = 0;
    for (int i = 0; i < d->m->ns && !bad; i++) {
        if (d->m->s[i].reg != reg)
            continue;
        const char *got = pss_strlist_get(l, n++);
        if (!got || strcmp(got, d->m->s[i].id) != 0)
            bad = drv_failf(d, "session list of %s [%zu]: %s, expected %s\n", cid, n - 1,
                            got ? got : "(end)", d->m->s[i].id);
    }
    if (!bad && pss_strlist_count(l) != n)
        bad = drv_failf(d, "session list of %s: %zu sessions, expected %zu\n", cid,
                        pss_strlist_count(l), n);
    pss_strlist_free(l);
    return bad;
}

/* Lines of text t that begin with `c0`..`c1` (ledger transactions begin with their date),
 * and all its lines. */
static size_t lines_from(const text *t, char c0, char c1, size_t *all)
{
    size_t n = 0;
    *all = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (i == 0 || t->data[i - 1] == '\n') {
            n += t->data[i] >= c0 && t->data[i] <= c1;
            ++*all;
        }
    }
    return n;
}

/* The lines of the entry of every closed session of register reg: the transactions a range
 * export writes (journal.h: "entries without lines are left out") and their rows. */
static int posted_lines(driver *d, int reg, size_t *with_lines, size_t *rows)
{
    *with_lines = *rows = 0;
    for (int i = 0; i < d->m->ns; i++) {
        if (d->m->s[i].reg != reg || d->m->s[i].state != SS_CLOSED)
            continue;
        pss_session *h = drv_session(d, i, d->s[i].home);
        pss_entry *e = NULL;
        if (!h || pss_session_entry(h, &e))
            return drv_failf(d, "session %s: pss_session_entry failed\n", d->m->s[i].name);
        size_t n = pss_entry_line_count(e);
        *with_lines += n > 0;
        *rows += n;
        pss_entry_free(e);
    }
    return 0;
}

/* pss_journal_write_ledger_range and pss_journal_write_csv_range: one transaction per entry
 * with lines, one header row and a row per line. */
static int range_exports(driver *d, int reg)
{
    size_t want_tx, want_rows, tx, all, rows;
    if (posted_lines(d, reg, &want_tx, &want_rows))
        return 1;
    text ledger = {0}, csv = {0};
    const char *cid = d->m->reg[reg].cfg.id;
    int bad = pss_journal_write_ledger_range(d->ctx[0], cid, NULL, NULL, text_write, &ledger) ||
              pss_journal_write_csv_range(d->ctx[0], cid, NULL, NULL, text_write, &csv);
    if (bad)
        drv_failf(d, "the range exports of %s failed: %s\n", cid, pss_ctx_errmsg(d->ctx[0]));
    tx = lines_from(&ledger, '0', '9', &all);
    lines_from(&csv, 0, 0, &rows);
    if (!bad && (tx != want_tx || rows != want_rows + 1))
        bad = drv_failf(d, "the range exports of %s: %zu transactions and %zu CSV rows, expected "
                        "%zu (the entries with lines) and %zu (a header and a row per line)\n",
                        cid, tx, rows, want_tx, want_rows + 1);
    text_free(&ledger);
    text_free(&csv);
    return bad;
}

int checks_final(driver *d)
{
    for (int i = 0; i < d->m->ns; i++) {
        pss_session *h = drv_session(d, i, d->s[i].home);
        if (d->failed || (h && (pss_session_refresh(h) || checks_session(d, i, h))))
            return 1;
    }
    for (int i = 0; i < d->m->nreg; i++)
        if (session_lists(d, i) || range_exports(d, i))
            return 1;
    const int n[5] = {0, d->m->nreg, d->m->ns, d->m->no, d->m->nmv};
    for (int k = META_CONFIG; k <= META_MOVEMENT; k++)
        for (int i = 0; i < n[k]; i++)
            if (meta_of(d, k, i, i % 2))
                return 1;
    if (d->trial_every > 0 && checks_trial_all(d))
        return 1;
    /* the trial closes ran on copies: the chains are still what the oracle counted */
    if (fiscal_step(d, "the trial closes at the end of the seed"))
        return 1;
    return d->hledger ? ledger_check(d) : 0;
}
