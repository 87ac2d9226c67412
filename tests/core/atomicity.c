/* atomicity.c: every mutating call is one storage transaction. A whole day is replayed step
 * by step; each step is first run with the Nth storage callback failing, for every N the
 * step reaches, and after each failure the call must have returned an error and left the
 * store (compared through pss_memstore_dump) and every handle exactly as they were. Then the
 * step runs for real and the next one is tried. */
#include "fixture.h"
#include "faultstore.h"

#include "json/codec.h"
#include "order/order_internal.h"

typedef struct world {
    pss_ctx *ctx;
    pss_storage *inner, *fs;
    pss_config *config;
    pss_session *s, *late_target;
    pss_order *o, *card, *sale, *draft;
    char movement[PSS_ID_SIZE];
    char late_id[PSS_ID_SIZE];
    int n;
} world;

static world w;

/* ---- fingerprints of the handles ---- */

static void add_text(fix_text *t, const char *s)
{
    fix_text_write(t, s, strlen(s));
}

/* The record text a handle would write: the handle's whole state. */
static pss__strbuf enc;

static void add_encoded(fix_text *t, int rc, const pss__strbuf *b)
{
    add_text(t, rc ? "(encode failed)" : b->data);
}

static void fingerprint_session(fix_text *t, pss_session *s)
{
    if (!s)
        return;
    add_encoded(t, pss__core_encode(s->ctx, &s->core, &enc), &enc);
    char buf[128];
    snprintf(buf, sizeof buf, " rev=%llu refs=%d\n", (unsigned long long)s->rev, s->refs);
    add_text(t, buf);
    pss__map_entry *e;
    for (size_t i = 0; pss__map_next(&s->keyed_totals, &i, &e);) {
        const pss_total *b = e->value;
        snprintf(buf, sizeof buf, "%s %lld %lld %lld rev=%llu\n", b->record_id, (long long)b->v[0],
                 (long long)b->v[1], (long long)b->v[2], (unsigned long long)b->rev);
        add_text(t, buf);
    }
}

static void fingerprint_order(fix_text *t, pss_order *o)
{
    if (!o)
        return;
    add_encoded(t, pss__order_encode(o->s->ctx, o->d, &enc), &enc);
    char buf[64];
    snprintf(buf, sizeof buf, " rev=%llu\n", (unsigned long long)o->d->rev);
    add_text(t, buf);
}

static char *fingerprint(void)
{
    fix_text t = {NULL, 0};
    char *dump = fix_dump(w.inner);
    add_text(&t, dump);
    free(dump);
    fingerprint_session(&t, w.s);
    fingerprint_session(&t, w.late_target);
    fingerprint_order(&t, w.o);
    fingerprint_order(&t, w.card);
    fingerprint_order(&t, w.sale);
    fingerprint_order(&t, w.draft);
    return t.data;
}

/* ---- the day, step by step ---- */

static int save_config(void)
{
    return pss_config_save(w.config, &FIX_MIA);
}

static int create_session(void)
{
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-21";
    pss_session *s = NULL;
    int rc = pss_session_create(w.ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s);
    CHECK(rc == 0 ? s != NULL : s == NULL);
    w.s = s;
    return rc;
}

static int start_opening(void)
{
    return pss_session_start_opening(w.s, &FIX_ALICE);
}

static int open_session(void)
{
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 5000;
    return pss_session_open(w.s, &FIX_ALICE, &oi);
}

static int heartbeat(void)
{
    return pss_session_heartbeat(w.s, &FIX_ALICE);
}

static const char *VAT10[] = {"VAT10"};

static pss_order *create(const char *id, int *rc)
{
    pss_line_input l = fix_line("wine", 2000, 1250, VAT10, 1);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = id;
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    *rc = pss_order_create(w.s, &FIX_ALICE, &in, &o);
    CHECK(*rc == 0 ? o != NULL : o == NULL);
    return o;
}

static int create_order(void)
{
    int rc;
    w.o = create("00000000-0000-4000-8000-0000000000c1", &rc);
    return rc;
}

static int create_card_order(void)
{
    int rc;
    w.card = create("00000000-0000-4000-8000-0000000000c2", &rc);
    return rc;
}

static int add_line(void)
{
    pss_line_input l = fix_line("bread", 1000, 350, NULL, 0);
    return pss_order_add_line(w.o, &FIX_ALICE, &l, NULL);
}

static int remove_line(void)
{
    return pss_order_remove_line(w.o, &FIX_ALICE, 1);
}

static int pay_card(void)
{
    pss_payment_input p = fix_pay("Card", 2500);
    return pss_order_add_payment(w.card, &FIX_ALICE, &p, NULL);
}

static int fail_card(void)
{
    return pss_order_fail_payment(w.card, &FIX_ALICE, 0, "declined");
}

static int pay_card_again(void)
{
    return pay_card();
}

static int confirm_card(void)
{
    return pss_order_confirm_payment(w.card, &FIX_ALICE, 1);
}

static int pay_part_cash(void)
{
    pss_payment_input p = fix_pay("Cash", 1000);
    return pss_order_add_payment(w.o, &FIX_ALICE, &p, NULL);
}

static int void_cash(void)
{
    return pss_order_void_payment(w.o, &FIX_ALICE, 0, "handed back");
}

static int pay_cash(void)
{
    pss_payment_input p = fix_pay("Cash", 5000);
    return pss_order_add_payment(w.o, &FIX_ALICE, &p, NULL);
}

static int invoice(void)
{
    return pss_order_set_invoiced(w.card, &FIX_ALICE, 1);
}

static int refund(void)
{
    pss_line_input l = PSS_LINE_INPUT_INIT;
    l.refund_line = 0;
    l.quantity = -1000;
    pss_payment_input p = fix_pay("Cash", -1250);
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-0000000000c3";
    in.refund_of = pss_order_id(w.o);
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &p;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    return pss_session_submit(w.s, &FIX_ALICE, &in, &res);
}

static int create_draft(void)
{
    int rc;
    w.draft = create("00000000-0000-4000-8000-0000000000c4", &rc);
    return rc;
}

static int cancel_draft(void)
{
    return pss_order_cancel(w.draft, &FIX_ALICE, "changed mind");
}

static int validate_free(void)
{
    pss_line_input l = fix_line("sample", 1000, 500, NULL, 0);
    l.discount_ppm = 1000000;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-0000000000c5";
    in.lines = &l;
    in.n_lines = 1;
    pss_order *o = NULL;
    int rc = pss_order_create(w.s, &FIX_ALICE, &in, &o);
    if (rc)
        return rc;
    w.sale = o;
    return 0;
}

static int validate_sale(void)
{
    return pss_order_validate(w.sale, &FIX_ALICE);
}

static int submit_batch(void)
{
    pss_line_input l = fix_line("bun", 1000, 120, NULL, 0);
    pss_payment_input p = fix_pay("Cash", 200);
    pss_order_input a = PSS_ORDER_INPUT_INIT, b = PSS_ORDER_INPUT_INIT;
    a.id = "00000000-0000-4000-8000-0000000000d1";
    b.id = "00000000-0000-4000-8000-0000000000d2";
    a.lines = b.lines = &l;
    a.n_lines = b.n_lines = 1;
    a.payments = b.payments = &p;
    a.n_payments = b.n_payments = 1;
    const pss_order_input *batch[2] = {&a, &b};
    pss_submit_result res[2] = {PSS_SUBMIT_RESULT_INIT, PSS_SUBMIT_RESULT_INIT};
    return pss_session_submit_batch(w.s, &FIX_ALICE, batch, 2, res, NULL);
}

static int cash_out(void)
{
    pss_cash_input m = PSS_CASH_INPUT_INIT;
    m.id = "00000000-0000-4000-8000-0000000000e1";
    m.kind = PSS_CASH_OUT;
    m.amount = 2000;
    m.reason = "to the safe";
    return pss_cash_move(w.s, &FIX_ALICE, &m, w.movement);
}

static int cash_void(void)
{
    return pss_cash_void(w.s, &FIX_ALICE, w.movement, "counted twice");
}

static int take_over(void)
{
    return pss_session_take_over(w.s, &FIX_MIA);
}

static int start_closing(void)
{
    return pss_session_start_closing(w.s, &FIX_MIA);
}

static int count(void)
{
    pss_denomination_count coins[] = {{5000, 1}, {1000, 2}, {200, 1}, {5, 1}};
    pss_count_input c = PSS_COUNT_INPUT_INIT;
    c.denominations = coins;
    c.n_denominations = 4;
    return pss_session_count(w.s, &FIX_MIA, &c);
}

static int reopen(void)
{
    return pss_session_reopen(w.s, &FIX_MIA, "one more sale");
}

static int close_session(void)
{
    return pss_session_close(w.s, &FIX_MIA, NULL);
}

/* a late order after the close makes (and records into) a rescue session */
static int late_order(void)
{
    pss_line_input l = fix_line("late", 1000, 990, NULL, 0);
    pss_payment_input p = fix_pay("Card", 990);
    p.state = PSS_PAYMENT_DONE;
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-0000000000f1";
    in.lines = &l;
    in.n_lines = 1;
    in.payments = &p;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    int rc = pss_session_submit(w.s, &FIX_ALICE, &in, &res);
    if (!rc)
        memcpy(w.late_id, res.session_id, PSS_ID_SIZE);
    return rc;
}

static int load_rescue(void)
{
    pss_session *s = NULL;
    int rc = pss_session_load(w.ctx, w.late_id, &s);
    CHECK(rc == 0 ? s != NULL : s == NULL);
    w.late_target = s;
    return rc;
}

static int force_close_rescue(void)
{
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = "end of the day";
    return pss_session_force_close(w.late_target, &FIX_ADA, &fi);
}

typedef struct step {
    const char *name;
    int (*run)(void);
} step;

static const step steps[] = {
    {"save config", save_config},       {"create session", create_session},
    {"start opening", start_opening},   {"open", open_session},
    {"heartbeat", heartbeat},           {"create order", create_order},
    {"add line", add_line},             {"remove line", remove_line},
    {"create card order", create_card_order}, {"pay card", pay_card},
    {"fail card", fail_card},           {"pay card again", pay_card_again},
    {"confirm card", confirm_card},     {"pay part in cash", pay_part_cash},
    {"void cash", void_cash},           {"pay cash", pay_cash},
    {"invoice", invoice},               {"refund", refund},
    {"create draft", create_draft},     {"cancel draft", cancel_draft},     {"free sample", validate_free},
    {"validate", validate_sale},        {"submit batch", submit_batch},
    {"cash out", cash_out},             {"void cash out", cash_void},
    {"take over", take_over},           {"start closing", start_closing},
    {"count", count},                   {"reopen", reopen},
    {"start closing again", start_closing}, {"count again", count},
    {"close", close_session},           {"late order", late_order},
    {"load rescue session", load_rescue},
    {"force close rescue", force_close_rescue},
};

/* Runs a step with the nth callback failing, for n = 1, 2, ... until the step no longer
 * reaches the failure; then it has run for real. */
static void run_step(const step *st)
{
    int failures = 0, broken = 0;
    for (long n = 1;; n++) {
        char *before = fingerprint();
        faultstore_arm(w.fs, n);
        int rc = st->run();
        int fired = faultstore_fired(w.fs);
        faultstore_arm(w.fs, 0);
        if (!fired) {
            free(before);
            if (rc != 0)
                printf("# step '%s' failed on its own: %s\n", st->name, pss_ctx_errmsg(w.ctx));
            CHECK_RC(w.ctx, rc, 0);
            break;
        }
        char *after = fingerprint();
        if (rc == 0 || strcmp(before, after) != 0) {
            broken++;
            printf("# step '%s', failure at callback %ld: rc %d, %s\n", st->name, n, rc,
                   rc ? "store or handle changed" : "the failure was swallowed");
        }
        free(before);
        free(after);
        failures++;
    }
    printf("# step '%s': %d injected failures, each left everything unchanged\n", st->name,
           failures - broken);
    CHECK(failures > 0);
    CHECK_I64(broken, 0);
}

int main(void)
{
    pss_memstore_new(&w.inner);
    faultstore_new(w.inner, &w.fs);
    w.ctx = fix_ctx(w.fs);
    w.config = fix_config(w.ctx);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        run_step(&steps[i]);
    pss_session *check = NULL;
    CHECK_OK(w.ctx, pss_session_load(w.ctx, pss_session_id(w.s), &check));
    CHECK_OK(w.ctx, pss_session_verify(check));
    CHECK_OK(w.ctx, pss_session_verify(w.late_target));
    CHECK_I64(pss_session_state_of(w.late_target), PSS_SESSION_CLOSED);
    pss_session_free(check);
    pss_order_free(w.o);
    pss_order_free(w.card);
    pss_order_free(w.sale);
    pss_order_free(w.draft);
    pss_session_free(w.late_target);
    pss_session_free(w.s);
    pss_config_free(w.config);
    pss_ctx_free(w.ctx);
    pss_storage_free(w.fs);
    pss_storage_free(w.inner);
    return check_done();
}
