/* driver.c: one step: the clock, the oracle's expectation, the library call, the code
 * compared, a refusal proven harmless (store dump and handle getters unchanged but for its
 * audit entry, the detail naming the right index, the figures of the refusal), the outputs
 * of a success learned and compared, the handles kept fresh, then the checks. */
#include <inttypes.h>
#include <possession/sqlite.h>
#ifdef HAVE_PG
#include <possession/pg.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "checkstore.h"
#include "driver.h"
#include "op.h"

static int64_t read_clock(void *userdata)
{
    return ((model *)userdata)->now;
}

pss_ctx *drv_make_ctx(model *m)
{
    pss_ctx_options o = PSS_CTX_OPTIONS_INIT;
    o.clock = read_clock;
    o.clock_userdata = m;
    pss_ctx *ctx = NULL;
    return pss_ctx_new(&ctx, &o) ? NULL : ctx;
}

int drv_open(driver *d, model *m, gen *g, int sqlite, const char *path, uint64_t seed)
{
    memset(d, 0, sizeof *d);
    d->m = m;
    d->g = g;
    d->sqlite = sqlite;
    d->seed = seed;
    d->trial_every = 1;
    prng_seed(&d->money_rng, seed ^ UINT64_C(0x6d6f6e6579));
    snprintf(d->path, sizeof d->path, "%s", path ? path : "");
    for (int i = 0; i < 2; i++)
        if (!(d->ctx[i] = drv_make_ctx(m)))
            return -1;
    if (!sqlite) {
        if (pss_memstore_new(&d->store[0]))
            return -1;
        d->store[1] = d->store[0];
        d->dump.mem = d->store[0];
    } else if (sqlite == DRV_STORE_MEMORY_CHECKS) {
        /* each context checks through a wrapper of its own that answers at commit, as a
         * server does (tests/support/checkstore.h) */
        if (pss_memstore_new(&d->shared))
            return -1;
        for (int i = 0; i < 2; i++)
            if (checkstore_new(d->shared, &d->store[i]))
                return -1;
        d->dump.mem = d->shared;
#ifdef HAVE_PG
    } else if (sqlite == DRV_STORE_PG) {
        for (int i = 0; i < 2; i++)
            if (pss_pg_open(d->ctx[i], path, NULL, &d->store[i]))
                return -1;
        if (dumper_open_pg(&d->dump, path))
            return -1;
#endif
    } else {
        pss_sqlite_options so = PSS_SQLITE_OPTIONS_INIT;
        so.sync = PSS_SQLITE_SYNC_NORMAL;
        for (int i = 0; i < 2; i++)
            if (pss_sqlite_open(d->ctx[i], path, &so, &d->store[i]))
                return -1;
        if (dumper_open_sqlite(&d->dump, path))
            return -1;
    }
    for (int i = 0; i < 2; i++)
        if (pss_ctx_set_storage(d->ctx[i], d->store[i]) ||
            pss_ctx_set_observer(d->ctx[i], events_observe, &d->events))
            return -1;
    return 0;
}

void drv_close(driver *d)
{
    for (int i = 0; i < d->m->no && i < d->cap_o; i++)
        drv_forget_order(d, i, -1);
    for (int i = 0; i < d->m->ns && i < d->cap_s; i++)
        drv_forget_session(d, i);
    for (int i = 0; i < M_MAXCFG; i++)
        pss_config_free(d->kept[i]);
    for (int i = 0; i < 2; i++)
        pss_ctx_free(d->ctx[i]);
    dumper_close(&d->dump);
    pss_storage_free(d->store[0]);
    if (d->store[1] != d->store[0])
        pss_storage_free(d->store[1]);
    pss_storage_free(d->shared);
    free(d->s);
    free(d->o);
}

int drv_failf(driver *d, const char *fmt, ...)
{
    size_t len = strlen(d->fail);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->fail + len, sizeof d->fail - len, fmt, ap);
    va_end(ap);
    d->failed = 1;
    return 1;
}

static void grow(driver *d)
{
    if (d->m->ns > d->cap_s) {
        int n = d->m->ns * 2 + 8;
        d->s = realloc(d->s, (size_t)n * sizeof *d->s);
        memset(d->s + d->cap_s, 0, (size_t)(n - d->cap_s) * sizeof *d->s);
        d->cap_s = n;
    }
    if (d->m->no > d->cap_o) {
        int n = d->m->no * 2 + 8;
        d->o = realloc(d->o, (size_t)n * sizeof *d->o);
        memset(d->o + d->cap_o, 0, (size_t)(n - d->cap_o) * sizeof *d->o);
        d->cap_o = n;
    }
}

int drv_ctx_of(const driver *d, const op *o)
{
    if (o->kind == OP_CONFIG_UPDATE && o->flag)
        return d->kept_ctx[o->session];
    if (o->ctx >= 0)
        return o->ctx;
    if (o->session >= 0 && o->session < d->cap_s)
        return d->s[o->session].home;
    return 0;
}

pss_session *drv_session(driver *d, int si, int ctx)
{
    grow(d);
    if (si < 0 || si >= d->m->ns || !d->m->s[si].id[0])
        return NULL;
    drv_sess *s = &d->s[si];
    if (!s->h[ctx] && pss_session_load(d->ctx[ctx], d->m->s[si].id, &s->h[ctx]))
        drv_failf(d, "pss_session_load(%s) in context %d: %s\n", d->m->s[si].id, ctx,
                  pss_ctx_errmsg(d->ctx[ctx]));
    return s->h[ctx];
}

pss_order *drv_get_order(driver *d, int oi, int ctx)
{
    grow(d);
    if (oi < 0 || oi >= d->m->no)
        return NULL;
    drv_order *o = &d->o[oi];
    if (o->h[ctx])
        return o->h[ctx];
    pss_session *s = drv_session(d, d->m->o[oi].session, ctx);
    if (s && pss_order_load(s, d->m->o[oi].id, &o->h[ctx]))
        drv_failf(d, "pss_order_load(%s) in context %d: %s\n", d->m->o[oi].id, ctx,
                  pss_ctx_errmsg(d->ctx[ctx]));
    return o->h[ctx];
}

void drv_forget_order(driver *d, int oi, int keep_ctx)
{
    if (oi < 0 || oi >= d->cap_o)
        return;
    for (int c = 0; c < 2; c++)
        if (c != keep_ctx) {
            pss_order_free(d->o[oi].h[c]);
            d->o[oi].h[c] = NULL;
        }
}

void drv_forget_session(driver *d, int si)
{
    if (si < 0 || si >= d->cap_s)
        return;
    for (int c = 0; c < 2; c++) {
        pss_session_free(d->s[si].h[c]);
        d->s[si].h[c] = NULL;
    }
}

static void describe_expect(const m_expect *ex, char *buf, size_t size)
{
    if (!ex->n) {
        snprintf(buf, size, "success");
        return;
    }
    size_t len = 0;
    for (int i = 0; i < ex->n; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d (%s)", i ? " or " : "",
                                ex->codes[i], pss_strerror(ex->codes[i]));
    snprintf(buf + len, size - len, ": %s", ex->why);
}

static int fail_code(driver *d, const op *o, const m_expect *ex, int rc)
{
    char want[512];
    describe_expect(ex, want, sizeof want);
    pss_ctx *ctx = d->ctx[drv_ctx_of(d, o)];
    return drv_failf(d, "expected %s\ngot %d (%s); detail: %s\n", want, rc, pss_strerror(rc),
                     rc ? pss_ctx_errmsg(ctx) : "");
}

/* ---- a refusal changes nothing -------------------------------------------------------- */

typedef struct snap {
    int have_s, have_o;
    int state;
    char user[64], device[64];
    int64_t lease, opening[2], balance[2], cash;
    size_t blockers[2];
    pss_order_totals t;
    int ostate, invoiced;
    size_t nl, np;
} snap;

static void snap_take(driver *d, const op *o, snap *sn)
{
    memset(sn, 0, sizeof *sn);
    int c = drv_ctx_of(d, o);
    grow(d);
    pss_session *s = o->session >= 0 && o->session < d->m->ns ? d->s[o->session].h[c] : NULL;
    if (s) {
        sn->have_s = 1;
        sn->state = pss_session_state_of(s);
        snprintf(sn->user, sizeof sn->user, "%s", pss_session_user(s));
        snprintf(sn->device, sizeof sn->device, "%s", pss_session_lease_device(s));
        sn->lease = pss_session_lease_expires(s);
        pss_session_opening(s, &sn->opening[0], &sn->opening[1]);
        pss_session_balance(s, &sn->balance[0], &sn->balance[1]);
        pss_session_expected_cash(s, &sn->cash);
        pss_session_blockers(s, &sn->blockers[0], &sn->blockers[1]);
    }
    pss_order *h = o->order >= 0 && o->order < d->m->no ? d->o[o->order].h[c] : NULL;
    if (h) {
        sn->have_o = 1;
        pss_order_totals init = PSS_ORDER_TOTALS_INIT;
        sn->t = init;
        pss_order_get_totals(h, &sn->t);
        sn->ostate = pss_order_state_of(h);
        sn->invoiced = pss_order_is_invoiced(h);
        sn->nl = pss_order_line_count(h);
        sn->np = pss_order_payment_count(h);
    }
}

static int audit_has(const char *line, const char *action, int outcome)
{
    char a[96], oc[48];
    snprintf(a, sizeof a, "\"action\":\"%s\"", action);
    snprintf(oc, sizeof oc, "\"outcome\":%d,", outcome);
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1), line);
    return strstr(buf, a) && strstr(buf, oc);
}

static int check_audit(driver *d, const m_expect *ex, int rc, int n, const char *first)
{
    int lo = ex->audited == 1 ? 1 : 0, hi = ex->audited ? 1 : 0;
    if (n < lo || n > hi)
        return drv_failf(d, "a refused call appended %d audit entries, expected %s\n", n,
                         ex->audited == 1 ? "exactly one" : ex->audited ? "at most one" : "none");
    if (n == 1 && !audit_has(first, ex->action, rc))
        return drv_failf(d, "the refusal's audit entry lacks action %s outcome %d: %.400s\n",
                         ex->action, rc, first);
    return 0;
}

/* Every "word N" in msg; 1 when some are there and none is `want` (or `alt`). */
static int wrong_index(const char *msg, const char *word, int want, int alt, int *seen)
{
    size_t wl = strlen(word);
    int any = 0, hit = 0;
    for (const char *p = strstr(msg, word); p; p = strstr(p + 1, word)) {
        const char *q = p + wl;
        if (*q != ' ' || q[1] < '0' || q[1] > '9' || (p > msg && p[-1] >= 'a' && p[-1] <= 'z'))
            continue;
        int v = atoi(q + 1);
        any = 1;
        hit |= v == want || v == alt;
        *seen = v;
    }
    return any && !hit;
}

static int check_detail(driver *d, const op *o, const m_expect *ex, int rc)
{
    pss_ctx *ctx = d->ctx[drv_ctx_of(d, o)];
    const char *msg = pss_ctx_errmsg(ctx);
    int seen = -1;
    if (o->kind != OP_NULL_HANDLE && !msg[0])
        return drv_failf(d, "refused with %d but the detail message is empty\n", rc);
    if (o->kind != OP_NULL_HANDLE && pss_ctx_errcode(ctx) != rc)
        return drv_failf(d, "pss_ctx_errcode %d, the call returned %d\n", pss_ctx_errcode(ctx), rc);
    if (ex->n == 1 && ex->line >= 0 && wrong_index(msg, "line", ex->line, ex->line_alt, &seen))
        return drv_failf(d, "the detail names line %d, the refused line is line %d (counted "
                         "from 0, concepts.md \"Errors\"): %s\n", seen, ex->line, msg);
    if (ex->n == 1 && ex->payment >= 0 && wrong_index(msg, "payment", ex->payment, -1, &seen))
        return drv_failf(d, "the detail names payment %d, expected payment %d: %s\n", seen,
                         ex->payment, msg);
    for (int i = 0; ex->n == 1 && rc == ex->codes[0] && i < ex->nfig; i++) {
        int64_t v = 0;
        int missing = pss_ctx_error_figure(ctx, ex->fig_name[i], &v) != 0;
        int alt = ex->fig_has_alt[i] && v == ex->fig_alt[i];
        if (missing || (v != ex->fig_val[i] && !alt))
            return drv_failf(d, "figure \"%s\" of the refusal: got %" PRId64 ", expected %" PRId64
                             " (detail: %s)\n", ex->fig_name[i], v, ex->fig_val[i], msg);
    }
    return 0;
}

static int check_refusal(driver *d, const op *o, const m_expect *ex, int rc, text *before,
                         const snap *sb)
{
    text after = {0};
    char diff[800];
    int n = 0, bad = 0;
    const char *first = NULL;
    dump_store(&d->dump, &after);
    if (dump_compare(before, &after, diff, sizeof diff, &n, &first))
        bad = drv_failf(d, "a refused call changed the store:\n%s\n", diff);
    if (!bad)
        bad = check_audit(d, ex, rc, n, first);
    text_free(&after);
    snap sa;
    snap_take(d, o, &sa);
    if (!bad && memcmp(sb, &sa, sizeof sa) != 0)
        bad = drv_failf(d, "a refused call changed the handle's getters: session state %d->%d "
                        "user %s->%s device %s->%s lease %" PRId64 "->%" PRId64 " cash %" PRId64
                        "->%" PRId64 " balance %" PRId64 "->%" PRId64 "; order state %d->%d "
                        "total %" PRId64 "->%" PRId64 " paid %" PRId64 "->%" PRId64
                        " lines %zu->%zu payments %zu->%zu\n", sb->state, sa.state, sb->user,
                        sa.user, sb->device, sa.device, sb->lease, sa.lease, sb->cash, sa.cash,
                        sb->balance[0], sa.balance[0], sb->ostate, sa.ostate, sb->t.total,
                        sa.t.total, sb->t.paid, sa.t.paid, sb->nl, sa.nl, sb->np, sa.np);
    return bad || check_detail(d, o, ex, rc);
}

/* ---- what a success gives back ---------------------------------------------------------- */

static int learn_session(driver *d, const op *o, call_out *out)
{
    int si = d->m->ns - 1, c = drv_ctx_of(d, o);
    grow(d);
    if (!d->m->s[si].id[0])
        snprintf(d->m->s[si].id, sizeof d->m->s[si].id, "%s", pss_session_id(out->session));
    d->s[si].h[c] = out->session;
    d->s[si].home = c;
    return 0;
}

static int learn_config(driver *d, const op *o, call_out *out, int rc)
{
    int reg = o->kind == OP_CONFIG_SAVE ? m_find_reg(d->m, o->config.id) : o->session;
    int keep = rc == 0 && (o->kind == OP_CONFIG_SAVE || o->keep);
    if (keep && reg >= 0) {
        if (d->kept[reg] != out->config)
            pss_config_free(d->kept[reg]);
        d->kept[reg] = out->config;
        if (o->kind == OP_CONFIG_SAVE || !o->flag)
            d->kept_ctx[reg] = o->kind == OP_CONFIG_SAVE ? drv_ctx_of(d, o) : 0;
    } else if (reg < 0 || out->config != d->kept[reg]) {
        pss_config_free(out->config);
    }
    return 0;
}

int check_submit_result(driver *d, const op *o, int k, const pss_submit_result *got,
                        const m_submit_res *want);

static int learn(driver *d, op *o, call_out *out, m_submit_res *res)
{
    int c = drv_ctx_of(d, o);
    switch (o->kind) {
    case OP_CREATE:
        return learn_session(d, o, out);
    case OP_ORDER_CREATE:
        grow(d);
        d->o[d->m->no - 1].h[c] = out->order;
        return 0;
    case OP_ADD_LINE:
        if ((int64_t)out->index != d->m->o[o->order].nl - 1)
            return drv_failf(d, "add_line gave index %zu, expected %d\n", out->index,
                             d->m->o[o->order].nl - 1);
        return 0;
    case OP_ADD_PAYMENT:
        if ((int64_t)out->index != d->m->o[o->order].np - 1)
            return drv_failf(d, "add_payment gave index %zu, expected %d\n", out->index,
                             d->m->o[o->order].np - 1);
        return 0;
    case OP_META_SET:
        m_meta_apply(d->m, o->meta_kind, o->meta_id.s, o->meta);
        return 0;
    case OP_META_GET: {
        const char *want = meta_text(o->meta_want);
        if ((out->meta == NULL) != (want == NULL) || (want && strcmp(out->meta, want) != 0))
            return drv_failf(d, "pss_meta_get gave %.300s, expected %.300s\n",
                             out->meta ? out->meta : "NULL", want ? want : "NULL");
        return 0;
    }
    case OP_CASH_MOVE:
        if (!d->m->mv[d->m->nmv - 1].id[0])
            snprintf(d->m->mv[d->m->nmv - 1].id, G_SHORT, "%s", out->id);
        return 0;
    case OP_SUBMIT:
    case OP_BATCH: {
        size_t accepted = 0;
        for (int k = 0; k < o->n_orders; k++) {
            if (check_submit_result(d, o, k, &out->res[k], &res[k]))
                return 1;
            accepted += out->res[k].status == 0;
        }
        if (o->kind == OP_BATCH && out->accepted != accepted)
            return drv_failf(d, "the batch says %zu accepted, its statuses %zu\n", out->accepted,
                             accepted);
        return 0;
    }
    default:
        return 0;
    }
}

/* ---- the step ------------------------------------------------------------------------ */

static void advance_clock(driver *d, const op *o)
{
    model *m = d->m;
    m->now += o->clock_ms;
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < m->ns; i++)
            if (m->s[i].lease_exp == m->now)
                m->now++, again = 1;
    }
}

static int resume(driver *d, const op *o)
{
    grow(d);
    int si = o->session, c = o->ctx < 0 ? 1 - d->s[si].home : o->ctx;
    pss_session_free(d->s[si].h[1 - c]);
    d->s[si].h[1 - c] = NULL;
    for (int i = 0; i < d->m->no; i++)
        if (d->m->o[i].session == si)
            drv_forget_order(d, i, c);
    d->s[si].home = c;
    const m_session *s = &d->m->s[si];
    const m_register *r = &d->m->reg[s->reg];
    pss_session *f = NULL;
    int rc = pss_session_find_open(d->ctx[c], r->cfg.id, &f);
    const char *want = r->open_session >= 0 ? d->m->s[r->open_session].id : NULL;
    int bad = want ? rc != 0 || strcmp(pss_session_id(f), want) != 0 : rc != PSS_ENOTFOUND;
    if (bad)
        drv_failf(d, "pss_session_find_open: rc %d (%s) id %s, expected %s\n", rc,
                  pss_ctx_errmsg(d->ctx[c]), f ? pss_session_id(f) : "-", want ? want : "none");
    pss_session_free(f);
    return bad;
}

static void hygiene(driver *d, const op *o, const int *prev_state)
{
    int c = drv_ctx_of(d, o);
    grow(d);
    for (int i = 0; i < d->m->no; i++) {
        const m_order *mo = &d->m->o[i];
        int moved = mo->session < d->m->ns && prev_state[mo->session % 4096] != -1 &&
                    prev_state[mo->session % 4096] != d->m->s[mo->session].state;
        if (i == o->order && !moved)
            drv_forget_order(d, i, c);
        else if (mo->touched || moved)
            drv_forget_order(d, i, -1);
    }
}

static void audit_noop(void *arg, uint64_t seq, const char *payload)
{
    (void)arg, (void)seq, (void)payload;
}

/* Brings the handles the call goes through up to date (concepts.md, "Errors"). */
static void fresh_handles(driver *d, const op *o)
{
    int c = drv_ctx_of(d, o);
    if (o->session >= 0 && o->session < d->m->ns && o->kind != OP_CONFIG_UPDATE &&
        drv_session(d, o->session, c))
        pss_session_refresh(d->s[o->session].h[c]);
    if (o->order >= 0 && o->order < d->m->no)
        drv_get_order(d, o->order, c);
}

static void count_call(driver *d, const op *o, int rc)
{
    d->last_rc = rc;
    d->st.calls++;
    if (rc <= 0 && rc > -E_NCODES)
        d->st.outcome[o->kind][-rc]++;
}

/* The code against the expectation, then a refusal's or a success's own checks. */
static int judge(driver *d, op *o, const m_expect *ex, int rc, const call_out *out,
                 m_submit_res *res, text *before, const snap *sb)
{
    int bad = !ex_accepts(ex, rc) ? fail_code(d, o, ex, rc) : 0;
    if (bad && (o->kind == OP_SUBMIT || o->kind == OP_BATCH))
        for (int k = 0; k < o->n_orders; k++)
            drv_failf(d, "  result %d: status %d duplicate %d routed %d rescue %d session %s "
                      "state %d\n", k, out->res[k].status, out->res[k].duplicate,
                      out->res[k].routed, out->res[k].rescue, out->res[k].session_id,
                      out->res[k].state);
    if (!bad && rc) {
        d->st.refusals++;
        bad = check_refusal(d, o, ex, rc, before, sb);
        for (int k = 0; !bad && o->kind == OP_BATCH && !o->null_input && k < o->n_orders; k++)
            if (out->res[k].status != rc)   /* "then every status carries it" */
                bad = drv_failf(d, "a batch refused with %d gave order %d status %d\n", rc, k,
                                out->res[k].status);
    } else if (!bad && (!ex_refused(ex) || o->kind == OP_SUBMIT || o->kind == OP_BATCH ||
                        o->kind == OP_META_SET || o->kind == OP_META_GET)) {
        bad = learn(d, o, (call_out *)out, res);
    }
    return bad;
}

static int run_call(driver *d, op *o)
{
    static m_submit_res res[G_MAXB];
    static call_out out;
    m_expect ex;
    cover_pre cover;
    ev_before(d);
    cover_before(d, o, &cover);
    expect_op(d, o, &ex, res);
    text before = {0};
    snap sb;
    fresh_handles(d, o);
    if (ex_refused(&ex)) {
        dump_store(&d->dump, &before);
        snap_take(d, o, &sb);
    }
    memset(&out, 0, sizeof out);
    uint64_t audit_before = d->audit_seq;
    int rc = call_op(d, o, &out);
    count_call(d, o, rc);
    if (o->kind == OP_CONFIG_SAVE || o->kind == OP_CONFIG_UPDATE)
        learn_config(d, o, &out, rc);
    cover_after(d, o, &cover, rc, &out);
    int bad = d->failed || judge(d, o, &ex, rc, &out, res, &before, &sb);
    pss_free(d->ctx[drv_ctx_of(d, o)], out.meta);
    out.meta = NULL;
    if (!bad && o->kind != OP_CONFIG_FORM)
        bad = ev_after(d, o, rc);
    if (!bad && ex_accepts(&ex, rc))
        bad = checks_audit(d, o, rc, audit_before, &ex);
    d->audit_seq = dump_audit_after(&d->dump, d->audit_seq, audit_noop, NULL);
    text_free(&before);
    return bad;
}

int drv_step(driver *d, op *o)
{
    static int prev_state[4096];
    d->step++;
    d->st.steps++;
    advance_clock(d, o);
    grow(d);
    for (int i = 0; i < 4096; i++)
        prev_state[i] = i < d->m->ns ? d->m->s[i].state : -1;
    int bad = 0;
    d->last_rc = 0;
    if (o->kind == OP_RESUME)
        bad = resume(d, o);
    else if (o->kind != OP_CLOCK)
        bad = run_call(d, o);
    gen_after(d->g, o, d->failed ? -1 : d->last_rc);
    if (bad || d->failed)
        return 1;
    hygiene(d, o, prev_state);
    return checks_step(d, o);
}
