/* smoke.c: one ordinary day end to end; the detailed tests live beside it. */
#include "fixture.h"

/* Prints text as TAP comments, so that the harness reads it as commentary. */
static void comment(const char *text)
{
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        printf("# %.*s\n", len, line);
        line = end ? end + 1 : NULL;
    }
}

int main(void)
{
    pss_storage *store;
    pss_memstore_new(&store);
    pss_ctx *ctx = fix_ctx(store);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 0);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_IN_PROGRESS);

    const char *vat10[] = {"VAT10"};
    pss_line_input lines[2] = {fix_line("croissant", 2000, 150, vat10, 1),
                               fix_line("coffee", 1000, 250, vat10, 1)};
    pss_payment_input pays[1] = {fix_pay("Cash", 1000)};
    pss_order_input in = PSS_ORDER_INPUT_INIT;
    in.id = "00000000-0000-4000-8000-000000000001";
    in.lines = lines;
    in.n_lines = 2;
    in.payments = pays;
    in.n_payments = 1;
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &in, &res));
    CHECK_I64(res.state, PSS_ORDER_PAID);
    int64_t cash;
    CHECK_OK(ctx, pss_session_expected_cash(s, &cash));
    CHECK_I64(cash, 550);
    CHECK_OK(ctx, pss_session_verify(s));

    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 550;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_CLOSED);

    pss_entry *e = NULL;
    CHECK_OK(ctx, pss_session_entry(s, &e));
    fix_text t = {NULL, 0};
    CHECK_OK(ctx, pss_journal_write_ledger(e, fix_text_write, &t));
    comment(t.data);
    fix_text_free(&t);
    pss_report *r = NULL;
    CHECK_OK(ctx, pss_session_report(s, &r));
    CHECK_OK(ctx, pss_report_write_text(r, fix_text_write, &t));
    comment(t.data);
    fix_text_free(&t);
    pss_report_free(r);
    pss_entry_free(e);
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    return check_done();
}
