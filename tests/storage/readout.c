/* readout.c: the text of readout.h, through public calls only, in the orders the library
 * gives (listings in creation order, audit entries by sequence). Every call's code is part
 * of the text, so a call that fails after a migration shows as a difference too. */
#include "readout.h"

#include <stdarg.h>

typedef struct readout {
    pss_ctx *ctx;
    fix_text *out;
    int rc; /* the first failure */
} readout;

static void say(readout *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(readout *r, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fix_text_write(r->out, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Notes a call's code in the text; returns it. */
static int called(readout *r, const char *what, int rc)
{
    if (rc) {
        say(r, "%s: rc %d %s\n", what, rc, pss_ctx_errmsg(r->ctx));
        if (!r->rc)
            r->rc = rc;
    }
    return rc;
}

static void meta_of(readout *r, pss_meta_owner owner, const char *id)
{
    char *meta = NULL;
    if (called(r, "meta", pss_meta_get(r->ctx, owner, id, &meta)))
        return;
    if (meta)
        say(r, "  meta %s\n", meta);
    pss_free(r->ctx, meta);
}

static void audit_of(readout *r, const char *subject)
{
    pss_audit *a = NULL;
    if (called(r, "audit", pss_audit_load(r->ctx, subject, &a)))
        return;
    for (size_t i = 0; i < pss_audit_count(a); i++) {
        pss_audit_record e = PSS_AUDIT_RECORD_INIT;
        if (called(r, "audit entry", pss_audit_get(a, i, &e)))
            break;
        say(r, "  audit %llu %s %s outcome %d: %s\n", (unsigned long long)e.seq, e.action, e.user,
            e.outcome, e.json);
    }
    pss_audit_free(a);
}

static void order_lines(readout *r, const pss_order *o)
{
    for (size_t i = 0; i < pss_order_line_count(o); i++) {
        pss_line_info l = PSS_LINE_INFO_INIT;
        if (called(r, "line", pss_order_get_line(o, i, &l)))
            return;
        say(r, "    line %zu %s \"%s\" qty %lld price %lld untaxed %lld tax %lld total %lld"
               " refund_line %lld\n", i, l.product_id, l.product_name, (long long)l.quantity,
            (long long)l.unit_price, (long long)l.untaxed, (long long)l.tax, (long long)l.total,
            (long long)l.refund_line);
    }
    for (size_t i = 0; i < pss_order_payment_count(o); i++) {
        pss_payment_info p = PSS_PAYMENT_INFO_INIT;
        if (called(r, "payment", pss_order_get_payment(o, i, &p)))
            return;
        say(r, "    payment %zu %s %lld %s change %lld\n", i, p.method, (long long)p.amount,
            pss_payment_state_name(p.state), (long long)p.change);
    }
}

static void order_of(readout *r, pss_session *s, const char *id)
{
    pss_order *o = NULL;
    if (called(r, "order load", pss_order_load(s, id, &o)))
        return;
    pss_order_totals t = PSS_ORDER_TOTALS_INIT;
    called(r, "order totals", pss_order_get_totals(o, &t));
    say(r, "  order %s #%lld %s refund_of %s invoiced %d total %lld due %lld paid %lld\n", id,
        (long long)pss_order_number(o), pss_order_state_name(pss_order_state_of(o)),
        pss_order_refund_of(o) ? pss_order_refund_of(o) : "-", pss_order_is_invoiced(o),
        (long long)t.total, (long long)t.due, (long long)t.paid);
    order_lines(r, o);
    meta_of(r, PSS_META_ORDER, id);
    pss_order_free(o);
}

static void orders_of(readout *r, pss_session *s)
{
    pss_strlist *ids = NULL;
    if (called(r, "order list", pss_order_list(s, PSS_ORDER_ANY_STATE, &ids)))
        return;
    for (size_t i = 0; i < pss_strlist_count(ids); i++)
        order_of(r, s, pss_strlist_get(ids, i));
    pss_strlist_free(ids);
}

static void movements_of(readout *r, pss_session *s)
{
    pss_cash_list *l = NULL;
    if (called(r, "cash list", pss_cash_list_load(s, &l)))
        return;
    for (size_t i = 0; i < pss_cash_list_count(l); i++) {
        pss_cash_info c = PSS_CASH_INFO_INIT;
        if (called(r, "cash", pss_cash_list_get(l, i, &c)))
            break;
        say(r, "  cash %s %s %lld \"%s\" %s by %s at %lld voided %d %s\n", c.id,
            pss_cash_kind_name(c.kind), (long long)c.amount, c.reason, c.account, c.user,
            (long long)c.time, c.voided, c.void_reason ? c.void_reason : "-");
        meta_of(r, PSS_META_MOVEMENT, c.id);
    }
    pss_cash_list_free(l);
}

static void figures_of(readout *r, pss_session *s)
{
    int64_t current = 0, posted = 0, expected = 0, opening = 0, counted = 0;
    size_t drafts = 0, pending = 0;
    called(r, "balance", pss_session_balance(s, &current, &posted));
    called(r, "expected cash", pss_session_expected_cash(s, &expected));
    called(r, "opening", pss_session_opening(s, &opening, &counted));
    called(r, "blockers", pss_session_blockers(s, &drafts, &pending));
    say(r, "session %s %s %s date %s user %s rescue %d\n", pss_session_id(s), pss_session_name(s),
        pss_session_state_name(pss_session_state_of(s)), pss_session_operating_date(s),
        pss_session_user(s), pss_session_is_rescue(s));
    say(r, "  balance %lld posted %lld expected cash %lld opening %lld counted %lld drafts %zu"
           " pending %zu\n", (long long)current, (long long)posted, (long long)expected,
        (long long)opening, (long long)counted, drafts, pending);
    pss_strlist *d = NULL;
    if (!called(r, "drafts", pss_session_drafts(s, &d)))
        for (size_t i = 0; i < pss_strlist_count(d); i++)
            say(r, "  draft %s\n", pss_strlist_get(d, i));
    pss_strlist_free(d);
    say(r, "  verify %d\n", pss_session_verify(s));
}

static void report_of(readout *r, pss_session *s)
{
    pss_report *rep = NULL;
    if (called(r, "report", pss_session_report(s, &rep)))
        return;
    called(r, "report text", pss_report_write_text(rep, fix_text_write, r->out));
    pss_report_free(rep);
}

static void entry_of(readout *r, pss_session *s)
{
    if (pss_session_state_of(s) != PSS_SESSION_CLOSED)
        return;
    pss_entry *e = NULL;
    if (called(r, "entry", pss_session_entry(s, &e)))
        return;
    say(r, "  entry %s total %lld\n", pss_entry_id(e), (long long)pss_entry_total(e));
    called(r, "ledger", pss_journal_write_ledger(e, fix_text_write, r->out));
    called(r, "csv", pss_journal_write_csv(e, 1, fix_text_write, r->out));
    pss_entry_free(e);
}

static void session_of(readout *r, const char *id)
{
    pss_session *s = NULL;
    if (called(r, "session load", pss_session_load(r->ctx, id, &s)))
        return;
    figures_of(r, s);
    meta_of(r, PSS_META_SESSION, id);
    orders_of(r, s);
    movements_of(r, s);
    report_of(r, s);
    entry_of(r, s);
    audit_of(r, id);
    pss_session_free(s);
}

static void config_of(readout *r, const char *config_id)
{
    pss_config *c = NULL;
    char *json = NULL;
    if (!called(r, "config load", pss_config_load(r->ctx, config_id, &c)) &&
        !called(r, "config json", pss_config_to_json(c, &json)))
        say(r, "config %s\n", json);
    pss_free(r->ctx, json);
    pss_config_free(c);
    meta_of(r, PSS_META_CONFIG, config_id);
    audit_of(r, config_id);
}

static void sessions_of(readout *r, const char *config_id)
{
    pss_strlist *ids = NULL;
    if (called(r, "session list", pss_session_list(r->ctx, config_id, PSS_SESSION_ANY_STATE, &ids)))
        return;
    for (size_t i = 0; i < pss_strlist_count(ids); i++)
        say(r, "listed %s\n", pss_strlist_get(ids, i));
    for (size_t i = 0; i < pss_strlist_count(ids); i++)
        session_of(r, pss_strlist_get(ids, i));
    pss_strlist_free(ids);
    pss_session_query q = PSS_SESSION_QUERY_INIT;
    q.limit = 2;
    int more = 0;
    if (!called(r, "session page", pss_session_list_page(r->ctx, config_id, &q, &ids, &more)))
        for (size_t i = 0; i < pss_strlist_count(ids); i++)
            say(r, "page %s%s\n", pss_strlist_get(ids, i), more ? " (more)" : "");
    pss_strlist_free(ids);
}

int readout_config(pss_ctx *ctx, const char *config_id, fix_text *out)
{
    readout r = {ctx, out, 0};
    config_of(&r, config_id);
    sessions_of(&r, config_id);
    say(&r, "ledger range\n");
    called(&r, "ledger range",
           pss_journal_write_ledger_range(ctx, config_id, NULL, NULL, fix_text_write, out));
    say(&r, "audit of everything\n");
    audit_of(&r, NULL);
    return r.rc;
}
