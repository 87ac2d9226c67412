/* fold.c: the running totals' storage pattern (doc/storage.md, "Running totals"). A submit
 * writes its orders and the session record only; their contributions to the keyed totals are
 * written to the total records (a fold) once PSS__FOLD_EVERY (64) orders wait, or by the next
 * call of another kind. A handle loaded meanwhile replays the waiting orders, so every
 * context, a restart, the report, verify and the close see the same figures. */
#include "fixture.h"

#include "session/session_internal.h"

/* ---- a store that counts puts by kind, over the in-memory store ---- */

typedef struct counting {
    pss_storage table;
    pss_storage *inner;
    long puts_total, puts_session, puts_order;
} counting;

static int c_begin(void *u, unsigned f) { counting *c = u; return c->inner->begin(c->inner->userdata, f); }
static int c_commit(void *u) { counting *c = u; return c->inner->commit(c->inner->userdata); }
static int c_rollback(void *u) { counting *c = u; return c->inner->rollback(c->inner->userdata); }
static int c_get(void *u, const char *k, const char *id, pss_record_fn fn, void *a)
{
    counting *c = u;
    return c->inner->get(c->inner->userdata, k, id, fn, a);
}
static int c_put(void *u, const pss_record *r, uint64_t e, uint64_t *n)
{
    counting *c = u;
    c->puts_total += strcmp(r->kind, "total") == 0;
    c->puts_session += strcmp(r->kind, "session") == 0;
    c->puts_order += strcmp(r->kind, "order") == 0;
    return c->inner->put(c->inner->userdata, r, e, n);
}
static int c_scan(void *u, const char *k, const char *p, pss_record_fn fn, void *a)
{
    counting *c = u;
    return c->inner->scan(c->inner->userdata, k, p, fn, a);
}
static int c_scan_last(void *u, const char *k, const char *p, size_t n, pss_record_fn fn,
                       void *a)
{
    counting *c = u;
    return c->inner->scan_last(c->inner->userdata, k, p, n, fn, a);
}
static int c_claim(void *u, const char *k, const char *o, char *h, size_t s)
{
    counting *c = u;
    return c->inner->claim(c->inner->userdata, k, o, h, s);
}
static int c_release(void *u, const char *k, const char *o)
{
    counting *c = u;
    return c->inner->release(c->inner->userdata, k, o);
}
static int c_lookup(void *u, const char *k, char *h, size_t s)
{
    counting *c = u;
    return c->inner->lookup(c->inner->userdata, k, h, s);
}
static int c_append(void *u, const char *s, const char *p, size_t l, uint64_t *q)
{
    counting *c = u;
    return c->inner->append(c->inner->userdata, s, p, l, q);
}
static int c_audit_scan(void *u, const char *s, uint64_t a, pss_audit_fn fn, void *arg)
{
    counting *c = u;
    return c->inner->audit_scan(c->inner->userdata, s, a, fn, arg);
}

/* version 2 passes scan_last on; version 1 is a host's store built before it existed */
static void counting_init(counting *c, pss_storage *inner, uint32_t version)
{
    pss_storage t = PSS_STORAGE_INIT;
    t.version = version;
    t.userdata = c;
    t.begin = c_begin, t.commit = c_commit, t.rollback = c_rollback, t.get = c_get;
    t.put = c_put, t.scan = c_scan, t.claim = c_claim, t.release = c_release;
    t.lookup = c_lookup, t.append = c_append, t.audit_scan = c_audit_scan;
    if (version >= 2)
        t.scan_last = c_scan_last;
    *c = (counting){t, inner, 0, 0, 0};
}

/* ---- the day ---- */

static int counter;

/* A paid order: a tea of 2.50 (10% included) and a book of 12.00, by cash or voucher in
 * turn. */
static void submit_as(pss_ctx *ctx, pss_session *s, const pss_actor *actor)
{
    char id[PSS_ID_SIZE];
    snprintf(id, sizeof id, "000000f0-0000-4000-8000-%012d", ++counter);
    static const char *const vat10[] = {"VAT10"};
    pss_line_input lines[] = {fix_line("tea", 1000, 250, vat10, 1),
                              fix_line("novel", 1000, 1200, NULL, 0)};
    lines[1].category = "books";
    pss_payment_input pay = fix_pay(counter % 2 ? "Cash" : "Voucher", 1450);
    pss_order_input in = fix_order(id, lines, &pay);
    in.n_lines = 2;
    CHECK_OK(ctx, pss_session_submit(s, actor, &in, NULL));
}

static void submit(pss_ctx *ctx, pss_session *s)
{
    submit_as(ctx, s, &FIX_ALICE);
}

static int64_t report_figure(pss_ctx *ctx, pss_session *s, pss_report_figure f)
{
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    int64_t v = pss_report_get(r, f);
    pss_report_free(r);
    return v;
}

/* The report's text: every figure, method, tax and product in one string. */
static char *report_text(pss_ctx *ctx, pss_session *s)
{
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_report_write_text(r, fix_text_write, &t));
    pss_report_free(r);
    return t.data;
}

static char *session_payload(pss_storage *store, const char *id)
{
    fix_record r;
    store->begin(store->userdata, 0);
    store->get(store->userdata, "session", id, fix_grab, &r);
    store->commit(store->userdata);
    return strdup(r.payload);
}

/* Two contexts on one memory store of the given contract version, seen through the counting
 * shim, with the config saved. */
typedef struct two_tills {
    pss_storage *mem;
    counting c;
    pss_ctx *a, *b;
} two_tills;

static void two_tills_open(two_tills *t, uint32_t store_version)
{
    t->mem = NULL;
    pss_memstore_new(&t->mem);
    counting_init(&t->c, t->mem, store_version);
    t->a = fix_ctx(&t->c.table);
    t->b = fix_ctx(&t->c.table);
    pss_config *cfg = fix_config(t->a);
    CHECK_OK(t->a, pss_config_save(cfg, &FIX_MIA));
    pss_config_free(cfg);
}

static void two_tills_close(two_tills *t)
{
    pss_ctx_free(t->a);
    pss_ctx_free(t->b);
    pss_storage_free(t->mem);
}

static void day(uint32_t store_version)
{
    counter = 0;
    two_tills tills;
    two_tills_open(&tills, store_version);
    pss_storage *mem = tills.mem;
    counting *c = &tills.c;
    pss_ctx *a = tills.a, *b = tills.b;
    pss_session *s = fix_open(a, 0);
    const char *sid = pss_session_id(s);

    /* ten orders: ten order records, no running total written. A store with scan_last finds
     * the orders a record does not count, and the record of a trading session is version 3:
     * the orders leave it as it is. A version-1 store gets the record with every order. */
    bool v2 = store_version >= 2;
    c->puts_total = c->puts_session = c->puts_order = 0;
    for (int i = 0; i < 10; i++)
        submit(a, s);
    CHECK_I64(c->puts_order, 10);
    CHECK_I64(c->puts_session, v2 ? 0 : 10);
    CHECK_I64(c->puts_total, 0);
    char *p = session_payload(mem, sid);
    /* a library without replay, or without counting orders beyond the record, refuses it */
    CHECK(strncmp(p, v2 ? "{\"v\":3," : "{\"v\":2,", 7) == 0);
    CHECK_CONTAINS(p, v2 ? "\"next_order\":1,\"folded_from\":1,"
                         : "\"next_order\":11,\"folded_from\":1,");
    CHECK_CONTAINS(p, v2 ? "\"orders\":0," : "\"orders\":10,");
    free(p);

    /* another context (another till's back office, or this one after a restart) sees the
     * same figures: it replays the ten orders */
    pss_session *other = NULL;
    CHECK_OK(b, pss_session_load(b, sid, &other));
    char *mine = report_text(a, s), *theirs = report_text(b, other);
    CHECK_SAME_TEXT(theirs, mine);
    CHECK_CONTAINS(mine, "Sales total (posted)               145.00\n"
                         "    untaxed                          142.70\n"
                         "    tax                                2.30\n");
    CHECK_CONTAINS(mine, "  10 paid, 0 refunds, 0 cancelled, 0 drafts, 0 pending payments\n");
    free(mine);
    free(theirs);
    CHECK_I64(report_figure(b, other, PSS_FIG_ORDERS), 10);
    CHECK_OK(b, pss_session_verify(other));
    CHECK_OK(a, pss_session_verify(s));

    /* the 64th waiting order folds: the keyed totals and the record are written; nothing
     * waits (version 1, or 3 where orders may follow without the record) */
    c->puts_total = c->puts_session = 0;
    for (int i = 10; i < PSS__FOLD_EVERY - 1; i++)
        submit(a, s);
    CHECK_I64(c->puts_total, 0);
    CHECK_I64(c->puts_session, v2 ? 0 : PSS__FOLD_EVERY - 11);
    submit(a, s);
    /* totals: Cash, Voucher, the tea's and the novel's sales and products, VAT10 */
    CHECK_I64(c->puts_total, 7);
    CHECK_I64(c->puts_session, v2 ? 1 : PSS__FOLD_EVERY - 10);
    p = session_payload(mem, sid);
    CHECK(strncmp(p, v2 ? "{\"v\":3," : "{\"v\":1,", 7) == 0);
    CHECK_CONTAINS(p, "\"orders\":64,");
    if (v2)
        CHECK_CONTAINS(p, "\"next_order\":65,\"folded_from\":65,");
    else
        CHECK(strstr(p, "folded_from") == NULL);
    free(p);

    /* three more wait. A cash in from the other context, whose handle is stale: with a
     * version-1 store it writes its own total only (the session layer cannot replay orders,
     * so the three wait on); with scan_last its load counts the three orders beyond the
     * record, and the call folds them with its own total */
    for (int i = 0; i < 3; i++)
        submit(a, s);
    c->puts_total = 0;
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = PSS_CASH_IN;
    in.amount = 5000;
    in.reason = "float";
    CHECK_OK(b, pss_cash_move(other, &FIX_ALICE, &in, NULL));
    CHECK_I64(c->puts_total, v2 ? 8 : 1);
    p = session_payload(mem, sid);
    CHECK_CONTAINS(p, v2 ? "\"next_order\":68,\"folded_from\":68,"
                         : "\"next_order\":68,\"folded_from\":65,");
    CHECK_CONTAINS(p, "\"orders\":67,");
    CHECK_CONTAINS(p, "\"cash_in\":5000,");
    free(p);
    CHECK_I64(report_figure(b, other, PSS_FIG_ORDERS), 67);

    /* the first handle is stale: its next submit reloads, and the close posts all 68 orders */
    submit(a, s);
    CHECK_OK(a, pss_session_verify(s));
    pss_entry *e = fix_close_expected(a, s, &FIX_MIA);
    CHECK(e != NULL);
    fix_text t = {NULL, 0};
    CHECK_OK(a, pss_journal_write_ledger(e, fix_text_write, &t));
    /* 68 orders: 34 in cash and 34 by voucher of 14.50; 68 teas (2.27 + 0.23 VAT) and
     * novels; the float of 50.00 */
    CHECK_CONTAINS(t.data, "\n    Assets:Cash  EUR 493.00  ; Payments Cash\n"
                           "    Liabilities:Vouchers  EUR 493.00  ; Payments Voucher\n"
                           "    Income:Sales  EUR -154.36  ; Sales VAT10\n"
                           "    Income:Books  EUR -816.00  ; Sales without tax\n"
                           "    Liabilities:VAT10  EUR -15.64  ; Tax VAT10\n"
                           "    Assets:Cash  EUR 50.00  ; Cash in\n"
                           "    Assets:Safe  EUR -50.00  ; Cash in\n");
    free(t.data);
    pss_entry_free(e);
    pss_session_free(other);
    pss_session_free(s);
    two_tills_close(&tills);
}

/* Submits that leave the session record as it is renew the lease as every call does, and a
 * load counts that from the orders; a lease that moves to another device is written. */
static void leases(void)
{
    two_tills tills;
    two_tills_open(&tills, PSS_STORAGE_VERSION);
    pss_storage *mem = tills.mem;
    counting *c = &tills.c;
    pss_ctx *a = tills.a, *b = tills.b;
    pss_session *s = fix_open(a, 0), *other = NULL;
    const int64_t lease_ms = 900 * 1000; /* the config's lease_seconds */
    submit(a, s);

    /* a minute later alice's order renews her lease to its time plus 15 minutes */
    fix_advance(60000);
    c->puts_session = 0;
    submit(a, s);
    CHECK_I64(c->puts_session, 0);
    int64_t renewed = fix_time.now + lease_ms;
    CHECK_I64(pss_session_lease_expires(s), renewed);
    CHECK_OK(b, pss_session_load(b, pss_session_id(s), &other));
    CHECK_I64(pss_session_lease_expires(other), renewed);
    CHECK_STR(pss_session_lease_device(other), "till-1");

    /* a manager's order renews nothing, in either context */
    fix_advance(60000);
    submit_as(a, s, &FIX_MIA);
    CHECK_I64(c->puts_session, 0);
    CHECK_I64(pss_session_lease_expires(s), renewed);
    CHECK_OK(b, pss_session_refresh(other)); /* a report shows the handle as it is */
    CHECK_I64(report_figure(b, other, PSS_FIG_ORDERS), 3);
    CHECK_I64(pss_session_lease_expires(other), renewed);

    /* once it has run out, alice on another till takes the lease: the record is written */
    fix_advance(lease_ms);
    pss_actor moved = FIX_ALICE;
    moved.device = "till-2";
    submit_as(b, other, &moved);
    CHECK_I64(c->puts_session, 1);
    CHECK_STR(pss_session_lease_device(other), "till-2");
    CHECK_I64(pss_session_lease_expires(other), fix_time.now + lease_ms);
    char *p = session_payload(mem, pss_session_id(s));
    CHECK_CONTAINS(p, "\"device\":\"till-2\"");
    CHECK_CONTAINS(p, "\"orders\":4,");
    free(p);
    /* the first context sees it at its next call, which syncs */
    CHECK_OK(a, pss_session_verify(s));
    CHECK_I64(report_figure(a, s, PSS_FIG_ORDERS), 4);
    CHECK_STR(pss_session_lease_device(s), "till-2");
    CHECK_OK(a, pss_session_verify(s));
    pss_session_free(other);
    pss_session_free(s);
    two_tills_close(&tills);
}

int main(void)
{
    leases();
    day(2);
    day(1);
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
