/* checks_trial.c: "a manager could close or an admin force close the current session at
 * any point": on a copy-on-write overlay of the store, a fresh context loads an open session
 * and closes it (start closing, count, close with the override role when needed) or force
 * closes it; the close must go through and post the oracle's entry; the overlay is thrown
 * away and the store must be exactly as before. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "store_copy.h"

static const pss_actor MIA_A = {PSS_ACTOR_VERSION, "mia", PSS_ROLE_MANAGER, "office"};
static const pss_actor ADA_A = {PSS_ACTOR_VERSION, "ada", PSS_ROLE_ADMIN, "backoffice"};

typedef struct trial {
    int si, force;
    int64_t diff, given, counted;
    const pss_actor *closer;
} trial;

static void plan(driver *d, int si, trial *t);

static int pick(driver *d, trial *t)
{
    int cand[64], n = 0;
    for (int i = 0; i < d->m->ns && n < 64; i++)
        if (d->m->s[i].state != SS_CLOSED && d->m->s[i].id[0])
            cand[n++] = i;
    if (!n)
        return -1;
    plan(d, cand[(d->step * 7 + d->st.trials) % n], t);
    return 0;
}

/* How session si is closed: by a manager when it trades or is counted and nothing blocks
 * (every third time by an admin anyway), else force closed. */
static void plan(driver *d, int si, trial *t)
{
    memset(t, 0, sizeof *t);
    t->si = si;
    const m_session *s = &d->m->s[t->si];
    m_figs f;
    m_figs_of(d->m, t->si, 0, &f);
    int st = s->state, clean = f.drafts == 0 && f.pending == 0;
    t->force = !(st == SS_PROGRESS || st == SS_CLOSING) || !clean || d->st.trials % 3 == 0;
    t->given = M_UNSET;
    if (t->force) {
        if (!s->rescue && s->cfg.cash_control && d->st.trials % 4 == 1)
            t->given = f.expected_cash + 7 > 0 ? f.expected_cash + 7 : 0;
        if (t->given > M_AMAX)
            t->given = M_AMAX;
        t->closer = &ADA_A;
        return;
    }
    t->diff = d->st.trials % 4 == 1 ? s->cfg.max_diff + 1 : 0;
    if (f.expected_cash + t->diff < 0)
        t->diff = -f.expected_cash;   /* the drawer cannot hold less than nothing */
    if (f.expected_cash + t->diff > M_AMAX)
        t->diff = M_AMAX - f.expected_cash;   /* nor be counted beyond the bound */
    int beyond = (t->diff < 0 ? -t->diff : t->diff) > s->cfg.max_diff;
    if (!s->cfg.cash_control && !s->rescue && s->count.has)
        /* without cash control the trial does not count: the last count's methods stand */
        for (int i = 0; i < s->count.n; i++) {
            const m_mfig *mf = &f.m[s->count.method[i]];
            int64_t md = s->count.amount[i] - (mf->amount - mf->change);
            beyond |= (md < 0 ? -md : md) > s->cfg.max_diff;
        }
    t->closer = beyond && s->cfg.override_role == R_ADMIN ? &ADA_A : &MIA_A;
}

static int manager_close(driver *d, const trial *t, pss_session *h, pss_ctx *ctx)
{
    const m_session *s = &d->m->s[t->si];
    int rc = 0;
    if (s->state == SS_PROGRESS && (rc = pss_session_start_closing(h, &MIA_A)))
        return drv_failf(d, "trial: a manager could not start closing %s: %d %s\n", s->name, rc,
                         pss_ctx_errmsg(ctx));
    if (s->cfg.cash_control && !s->rescue) {
        m_figs f;
        m_figs_of(d->m, t->si, 0, &f);
        pss_count_input c = PSS_COUNT_INPUT_INIT;
        c.cash_total = f.expected_cash + t->diff;
        if ((rc = pss_session_count(h, &MIA_A, &c)))
            return drv_failf(d, "trial: a manager could not count %s (%" PRId64 "): %d %s\n",
                             s->name, c.cash_total, rc, pss_ctx_errmsg(ctx));
    }
    if ((rc = pss_session_close(h, t->closer, NULL)))
        return drv_failf(d, "trial: %s could not close %s (difference %" PRId64 "): %d %s\n",
                         t->closer->user, s->name, t->diff, rc, pss_ctx_errmsg(ctx));
    return 0;
}

static int admin_close(driver *d, const trial *t, pss_session *h, pss_ctx *ctx)
{
    pss_force_close_input in = PSS_FORCE_CLOSE_INPUT_INIT;
    in.reason = "trial close";
    in.void_pending = 1;
    in.counted_cash = t->given;
    int rc = pss_session_force_close(h, &ADA_A, &in);
    if (rc)
        return drv_failf(d, "trial: an admin could not force close %s: %d %s\n",
                         d->m->s[t->si].name, rc, pss_ctx_errmsg(ctx));
    return 0;
}

/* The entry the oracle expects from the trial. */
static void trial_entry(driver *d, const trial *t, m_entry *e)
{
    const m_session *s = &d->m->s[t->si];
    m_figs f;
    m_figs_of(d->m, t->si, t->force, &f);
    int64_t counted = f.expected_cash;
    if (t->force && t->given != M_UNSET)
        counted = t->given;
    else if (t->force && s->count.has && !s->rescue && s->count.cash != M_UNSET)
        counted = s->count.cash;   /* a count that left the cash out: the expected cash */
    m_session *ms = &d->m->s[t->si];
    m_count saved = ms->count;
    if (!t->force && s->cfg.cash_control && !s->rescue) {
        counted += t->diff;
        ms->count.has = 1;   /* the trial's count replaced the last one */
        ms->count.cash = counted;
        ms->count.n = 0;
    }
    m_entry_build(d->m, t->si, t->force, counted, e);
    ms->count = saved;
}

static int run_trial(driver *d, const trial *t, pss_storage *ov)
{
    static m_entry want;
    pss_ctx *ctx = drv_make_ctx(d->m);
    pss_session *h = NULL;
    pss_entry *e = NULL;
    const m_session *s = &d->m->s[t->si];
    int bad = !ctx || pss_ctx_set_storage(ctx, ov);
    if (!bad && pss_session_load(ctx, s->id, &h))
        bad = drv_failf(d, "trial: pss_session_load(%s) on the copy: %s\n", s->name,
                        pss_ctx_errmsg(ctx));
    if (!bad)
        bad = t->force ? admin_close(d, t, h, ctx) : manager_close(d, t, h, ctx);
    if (!bad && pss_session_entry(h, &e))
        bad = drv_failf(d, "trial: no entry after closing %s\n", s->name);
    int rc;
    if (!bad && (rc = pss_session_verify(h)) != 0)
        bad = drv_failf(d, "trial: pss_session_verify of %s once closed: %d (%s)\n", s->name,
                        rc, pss_ctx_errmsg(ctx));
    if (!bad) {
        char what[160];
        snprintf(what, sizeof what, "trial %s of %s", t->force ? "force close" : "close", s->name);
        trial_entry(d, t, &want);
        bad = compare_entry(d, e, &want, s, what);
    }
    pss_entry_free(e);
    pss_session_free(h);
    pss_ctx_free(ctx);
    return bad;
}

/* At the end of a seed: every session that is not closed can be closed (concepts.md,
 * "Bounds": "a session the library accepted can always be reported and closed"). */
int checks_trial_all(driver *d)
{
    for (int i = 0; i < d->m->ns; i++) {
        if (d->m->s[i].state == SS_CLOSED || !d->m->s[i].id[0])
            continue;
        trial t;
        plan(d, i, &t);
        d->st.trials++;
        pss_storage *ov = store_copy_new(d->store[0]);
        int bad = run_trial(d, &t, ov);
        store_copy_free(ov);
        if (bad)
            return 1;
    }
    return 0;
}

int checks_trial(driver *d)
{
    trial t;
    if (pick(d, &t))
        return 0;
    d->st.trials++;
    int check_base = d->st.trials % 5 == 0;
    text before = {0}, after = {0};
    if (check_base)
        dump_store(&d->dump, &before);
    pss_storage *ov = store_copy_new(d->store[0]);
    int bad = run_trial(d, &t, ov);
    store_copy_free(ov);
    if (!bad && check_base) {
        dump_store(&d->dump, &after);
        if (before.len != after.len || memcmp(before.data, after.data, before.len) != 0)
            bad = drv_failf(d, "trial: the store changed under the copy-on-write overlay\n");
    }
    text_free(&before);
    text_free(&after);
    return bad;
}
