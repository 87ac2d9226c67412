/* checks_audit.c: the audit entry of a close or force close that went through, and of a
 * close refused for its difference (doc/storage.md, "Audit entries"): who, which action,
 * the outcome, and the figures expected, counted, difference, allowed; a force close says
 * where its count came from. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "op.h"

typedef struct found {
    char action[64];
    char *payload;
} found;

static void keep_last(void *arg, uint64_t seq, const char *payload)
{
    found *f = arg;
    (void)seq;
    if (payload && strstr(payload, f->action)) {
        free(f->payload);
        f->payload = strdup(payload);
    }
}

static int figure(const char *json, const char *name, int64_t *v)
{
    const char *fig = strstr(json, "\"figures\":{");
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *p = fig ? strstr(fig, key) : NULL;
    if (!p)
        return -1;
    *v = strtoll(p + strlen(key), NULL, 10);
    return 0;
}

static int want_figure(driver *d, const char *json, const char *name, int64_t want)
{
    int64_t got = 0;
    if (figure(json, name, &got) || got != want)
        return drv_failf(d, "audit entry figure %s: %s %" PRId64 ", expected %" PRId64 ":\n%.600s\n",
                         name, figure(json, name, &got) ? "missing" : "got", got, want, json);
    return 0;
}

static int entry_fields(driver *d, const char *json, const op *o, int outcome)
{
    char user[300], oc[32];
    snprintf(user, sizeof user, "\"user\":\"%s\"", o->actor.user.s);
    snprintf(oc, sizeof oc, "\"outcome\":%d,", outcome);
    if (!strstr(json, user) || !strstr(json, oc))
        return drv_failf(d, "audit entry lacks %s or %s:\n%.600s\n", user, oc, json);
    return 0;
}

/* The close's own figures: what was expected, what was posted as counted. */
static int close_figures(driver *d, const char *json, int si, int64_t expected)
{
    const m_session *s = &d->m->s[si];
    int64_t counted = s->posted_counted;
    return want_figure(d, json, "expected", expected) ||
           want_figure(d, json, "counted", counted) ||
           want_figure(d, json, "difference", counted - expected);
}

static int64_t expected_before(driver *d, int si)
{
    m_figs f;
    m_figs_of(d->m, si, 0, &f);   /* the session's figures after the close: drafts cancelled */
    return f.expected_cash;
}

/* Where a force close's count came from (close-flow.md: "the given amount, else the last
 * count, else the expected cash"); alt, when not NULL, the other reading: a last count that
 * left the cash out (no cash control) gives no cash, so the cash is the expected one, which
 * the entry may call either (README, reading 13). */
static const char *source_of(const op *o, const m_session *s, const char **alt)
{
    *alt = NULL;
    if (o->amount != M_UNSET)
        return "\"given\"";
    if (s->count.has && !s->rescue && s->count.cash == M_UNSET)
        *alt = "\"expected\"";
    return s->count.has && !s->rescue ? "\"count\"" : "\"expected\"";
}

/* The audit action of a call that went through (doc/storage.md's list), or NULL. */
static const char *action_of(const op *o)
{
    switch (o->kind) {
    case OP_CONFIG_SAVE: case OP_CONFIG_UPDATE: return "config.save";
    case OP_CREATE: return "session.create";
    case OP_START_OPENING: return "session.start_opening";
    case OP_OPEN: return "session.open";
    case OP_TAKE_OVER: return "session.take_over";
    case OP_START_CLOSING: return "session.start_closing";
    case OP_COUNT: return "session.count";
    case OP_REOPEN: return "session.reopen";
    case OP_CANCEL: return "order.cancel";
    case OP_FAIL: return "payment.fail";
    case OP_VOID: return "payment.void";
    case OP_CASH_MOVE: return "cash.move";
    case OP_CASH_VOID: return "cash.void";
    case OP_META_SET: return "meta.set";
    default: return NULL;
    }
}

/* "Every state change is written to the audit trail": the call's own entry, by its actor. */
static int action_entry(driver *d, const op *o, uint64_t after)
{
    const char *action = action_of(o);
    if (!action)
        return 0;
    found f = {"", NULL};
    snprintf(f.action, sizeof f.action, "\"action\":\"%s\"", action);
    dump_audit_after(&d->dump, after, keep_last, &f);
    int bad = !f.payload ? drv_failf(d, "a %s that went through wrote no %s audit entry\n",
                                     op_name(o->kind), f.action)
                         : entry_fields(d, f.payload, o, 0);
    /* storage.md: meta.set's "extra gives the owner kind and id" */
    static const char *const kinds[] = {"", "\"config\"", "\"session\"", "\"order\"",
                                        "\"movement\""};
    if (!bad && o->kind == OP_META_SET &&
        (!strstr(f.payload, o->meta_id.s) || !strstr(f.payload, kinds[o->meta_kind])))
        bad = drv_failf(d, "the meta.set audit entry does not name the owner %s %s:\n%.600s\n",
                        kinds[o->meta_kind], o->meta_id.s, f.payload);
    free(f.payload);
    return bad;
}

static void gather(void *arg, uint64_t seq, const char *payload)
{
    text *t = arg;
    (void)seq;
    if (payload) {
        text_add(t, payload, strlen(payload));
        text_add(t, "\n", 1);
    }
}

/* A routed late order is audited (order.routed) under its id; a rescue session made for
 * one, too (session.create_rescue). */
static int routed_entries(driver *d, const op *o, uint64_t after)
{
    int routed[G_MAXB], rescue = 0;
    int n = ev_routed(d, o, routed, G_MAXB, &rescue);
    if (!n && !rescue)
        return 0;
    text all = {0};
    dump_audit_after(&d->dump, after, gather, &all);
    const char *t = all.data ? all.data : "";
    int bad = 0;
    if (rescue && !strstr(t, "\"action\":\"session.create_rescue\""))
        bad = drv_failf(d, "a rescue session was made without a session.create_rescue entry\n");
    for (int i = 0; !bad && i < n; i++) {
        const char *id = d->m->o[routed[i]].id, *p = strstr(t, "\"action\":\"order.routed\"");
        int seen = 0;
        for (; p && !seen; p = strstr(p + 1, "\"action\":\"order.routed\"")) {
            const char *end = strchr(p, '\n');
            const char *hit = strstr(p, id);
            seen = hit && (!end || hit < end);
        }
        if (!seen)
            bad = drv_failf(d, "routed order %s has no order.routed audit entry naming it\n", id);
    }
    text_free(&all);
    return bad;
}

/* The orders a call that went through made or changed with returns without a receipt:
 * their ids (lower case), reasons and how many such lines each call wrote. */
typedef struct returns_of {
    int n;
    char id[G_MAXB][G_SHORT];
    const char *reason[G_MAXB];
    int lines[G_MAXB], seen[G_MAXB];
} returns_of;

static int receiptless_lines(const g_order *in)
{
    return m_receiptless(in->lines, in->n_lines);
}

static void returns_add(returns_of *r, const char *id, const char *reason, int lines)
{
    if (r->n >= G_MAXB)
        return;
    snprintf(r->id[r->n], G_SHORT, "%s", id);
    for (char *p = r->id[r->n]; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    r->reason[r->n] = reason;
    r->lines[r->n] = lines;
    r->seen[r->n++] = 0;
}

static void returns_wanted(driver *d, const op *o, returns_of *r)
{
    memset(r, 0, sizeof *r);
    if (o->kind == OP_ORDER_CREATE) {
        const g_order *in = &o->orders[0];
        const m_order *mo = &d->m->o[d->m->no - 1];
        returns_add(r, mo->id, mo->reason, receiptless_lines(in));
    } else if (o->kind == OP_ADD_LINE && o->order >= 0) {
        const m_order *mo = &d->m->o[o->order];
        const g_line *l = &o->orders[0].lines[0];
        returns_add(r, mo->id, mo->reason, l->refund_line < 0 && l->quantity < 0);
    } else if (o->kind == OP_SUBMIT || o->kind == OP_BATCH) {
        /* the orders the submit recorded (a duplicate writes nothing) */
        for (int i = ev_orders_before(); i < d->m->no; i++) {
            const m_order *mo = &d->m->o[i];
            returns_add(r, mo->id, mo->reason,
                        receiptless_lines(&mo->input));
        }
    }
}

/* storage.md: each return without a receipt of a call that went through is audited as
 * order.return naming the order, with the order's reason (create, add_line, submits). */
static int return_entries(driver *d, const op *o, uint64_t after)
{
    returns_of want;
    returns_wanted(d, o, &want);
    text all = {0};
    dump_audit_after(&d->dump, after, gather, &all);
    const char *t = all.data ? all.data : "";
    int seen = 0, bad = 0, n = 0;
    for (int k = 0; k < want.n; k++)
        n += want.lines[k];
    for (const char *p = strstr(t, "\"action\":\"order.return\""); p && !bad;
         p = strstr(p + 1, "\"action\":\"order.return\"")) {
        const char *end = strchr(p, '\n');
        const char *start = p;
        while (start > t && start[-1] != '\n')
            start--;
        size_t len = end ? (size_t)(end - start) : strlen(start);
        char entry[4096];
        snprintf(entry, sizeof entry, "%.*s", (int)(len < sizeof entry ? len : sizeof entry - 1),
                 start);
        int k = 0;
        while (k < want.n && !(want.id[k][0] && strstr(entry, want.id[k])))
            k++;
        if (k == want.n || (want.reason[k][0] && !strstr(entry, want.reason[k])))
            bad = drv_failf(d, "an order.return entry names another order or reason:\n%.600s\n",
                            entry);
        else
            want.seen[k]++;
        seen++;
    }
    for (int k = 0; !bad && k < want.n; k++)
        if (want.seen[k] != want.lines[k])
            bad = drv_failf(d, "%d order.return audit entries for order %s, which took %d "
                            "products back without a receipt\n", want.seen[k], want.id[k],
                            want.lines[k]);
    if (!bad && seen != n)
        bad = drv_failf(d, "%d order.return audit entries for %d returns without a receipt\n",
                        seen, n);
    text_free(&all);
    return bad;
}

/* After op o: its audit entry since `after` (and for closes the figures in it). */
int checks_audit(driver *d, const op *o, int rc, uint64_t after, const m_expect *ex)
{
    int force = o->kind == OP_FORCE_CLOSE;
    if (rc == 0 && (o->kind == OP_ORDER_CREATE || o->kind == OP_ADD_LINE ||
                    o->kind == OP_SUBMIT || o->kind == OP_BATCH) &&
        return_entries(d, o, after))
        return 1;
    if (rc == 0 && action_of(o))
        return action_entry(d, o, after);
    if (rc == 0 && (o->kind == OP_SUBMIT || o->kind == OP_BATCH))
        return routed_entries(d, o, after);
    if (!(o->kind == OP_CLOSE || force) || (rc != 0 && rc != PSS_ELIMIT) || !ex)
        return 0;
    found f = {"", NULL};
    snprintf(f.action, sizeof f.action, "\"action\":\"%s\"", force ? "session.force_close"
                                                                     : "session.close");
    dump_audit_after(&d->dump, after, keep_last, &f);
    int bad = 0;
    if (!f.payload)
        bad = drv_failf(d, "no %s audit entry after the call\n", f.action);
    else if (entry_fields(d, f.payload, o, rc))
        bad = 1;
    else if (rc == PSS_ELIMIT)
        for (int i = 0; !bad && i < ex->nfig; i++)
            bad = want_figure(d, f.payload, ex->fig_name[i], ex->fig_val[i]);
    else if (!force)
        bad = close_figures(d, f.payload, o->session, expected_before(d, o->session));
    else {
        const char *alt, *src = source_of(o, &d->m->s[o->session], &alt);
        if (!strstr(f.payload, src) && !(alt && strstr(f.payload, alt)))
            bad = drv_failf(d, "the force close's audit entry does not say its count came from "
                            "%s%s%s:\n%.600s\n", src, alt ? " or " : "", alt ? alt : "",
                            f.payload);
    }
    free(f.payload);
    return bad;
}
