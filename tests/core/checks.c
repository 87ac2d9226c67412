/* checks.c: a store with checks (pss_storage::check, check_last, version 4) that verifies
 * them only at commit, as the PostgreSQL store does (tests/support/checkstore.c). A till's
 * calls then read nothing they hold already; when another context moved the session on,
 * the broken check makes the call run again reading, and the answer is the one a reading
 * store gives: figures to the cent, nothing doubled, nothing lost. */
#include "fixture.h"
#include "checkstore.h"

#include <stdlib.h>
#include <string.h>

static char order_ids[10][PSS_ID_SIZE];

static int submit(pss_session *s, int n, pss_submit_result *res)
{
    snprintf(order_ids[n], sizeof order_ids[n], "0c4ec000-0000-4000-8000-%012d", n);
    pss_line_input line = fix_line("tea", 1000, 250, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", 250);
    pay.state = PSS_PAYMENT_DONE;
    pss_order_input in = fix_order(order_ids[n], &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, res);
}

int main(void)
{
    pss_storage *mem = NULL, *cs = NULL;
    CHECK_I64(pss_memstore_new(&mem), 0);
    CHECK_I64(checkstore_new(mem, &cs), 0);
    pss_ctx *a = fix_ctx(cs), *b = fix_ctx(mem); /* two contexts on one store */
    fix_save_config(a, NULL);
    pss_session *sa = fix_open(a, 1000), *sb = NULL;
    CHECK_OK(b, pss_session_load(b, pss_session_id(sa), &sb));

    /* alone, a submit reads nothing: the session, its newest order and the new id are
     * checked (three checks), verified at commit */
    checkstore_counts before = checkstore_counted(cs);
    for (int n = 1; n <= 3; n++)
        CHECK_OK(a, submit(sa, n, NULL));
    checkstore_counts after = checkstore_counted(cs);
    CHECK_I64(after.gets - before.gets, 0);
    CHECK_I64(after.checks - before.checks, 9);
    CHECK_I64(after.broken_commits, 0);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_ORDERS), 3);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_EXPECTED_CASH), 1750);

    /* the other context records an order: the newest order is not the one a holds, its
     * commit fails, and the run after reads and records both */
    CHECK_OK(b, submit(sb, 4, NULL));
    CHECK_OK(a, submit(sa, 5, NULL));
    CHECK_I64(checkstore_counted(cs).broken_commits, 1);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_ORDERS), 5);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_EXPECTED_CASH), 2250);

    /* the other context puts cash in: a's cash out of more than a believes the drawer holds
     * (2250) but less than it holds (3250) is refused on what a held, which is not the
     * answer: the run after reads and pays it out */
    CHECK_OK(b, fix_cash(sb, PSS_CASH_IN, 1000));
    CHECK_OK(a, fix_cash(sa, PSS_CASH_OUT, 3000));
    CHECK_I64(fix_figure(a, sa, PSS_FIG_CASH_IN), 1000);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_CASH_OUT), 3000);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_EXPECTED_CASH), 250);

    /* the other context's order again from a: its id is checked new, the create finds it
     * (this store at once, a server at commit), and the run after reads and answers it a
     * duplicate that changes nothing */
    pss_submit_result res = PSS_SUBMIT_RESULT_INIT;
    before = checkstore_counted(cs);
    CHECK_OK(a, submit(sa, 4, &res));
    CHECK_I64(res.duplicate, 1);
    /* the session, the order, and the session the order is recorded in (for the answer) */
    CHECK_I64(checkstore_counted(cs).gets - before.gets, 3);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_ORDERS), 5);
    CHECK_I64(fix_figure(a, sa, PSS_FIG_EXPECTED_CASH), 250);

    /* the run that read is the last to: the next submit checks again */
    before = checkstore_counted(cs);
    CHECK_OK(a, submit(sa, 6, NULL));
    after = checkstore_counted(cs);
    CHECK_I64(after.gets - before.gets, 0);
    CHECK_I64(after.broken_commits - before.broken_commits, 0);

    CHECK_OK(a, pss_session_verify(sa));
    CHECK_OK(b, pss_session_verify(sb));
    CHECK_I64(fix_figure(b, sb, PSS_FIG_ORDERS), 6);
    CHECK_I64(fix_figure(b, sb, PSS_FIG_EXPECTED_CASH), 500);

    /* an audited refusal decided on what a held: the other context starts closing and counts
     * the drawer; a, holding the session as trading, closes. A reading store reads the count
     * and closes (0); a refusal (PSS_ESTATE, "not being counted") and its audit entry come
     * only from the old handle, so the call runs again reading instead of committing them */
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 500;
    CHECK_OK(b, pss_session_start_closing(sb, &FIX_ALICE));
    CHECK_OK(b, pss_session_count(sb, &FIX_ALICE, &count));
    CHECK_OK(a, pss_session_close(sa, &FIX_ALICE, NULL));
    CHECK_I64(pss_session_state_of(sa), PSS_SESSION_CLOSED);
    pss_audit *au = NULL;
    CHECK_OK(a, pss_audit_load(a, pss_session_id(sa), &au));
    int refusals = 0;
    for (size_t i = 0; i < pss_audit_count(au); i++) {
        pss_audit_record rec = PSS_AUDIT_RECORD_INIT;
        pss_audit_get(au, i, &rec);
        refusals += rec.outcome != 0;
    }
    pss_audit_free(au);
    CHECK_I64(refusals, 0);

    /* a force close on a handle one revision behind: the checked run fails (its put of the
     * session meets the newer revision) and the run after reads and closes; the audit entry
     * tells what the close did, as a reading store's does: one draft cancelled, its one cash
     * payment voided (not one per run) */
    pss_session *sa2 = fix_open(a, 1000), *sb2 = NULL;
    CHECK_OK(b, pss_session_load(b, pss_session_id(sa2), &sb2));
    pss_line_input coat = fix_line("coat", 1000, 900, NULL, 0);
    pss_order_input draft_in = PSS_ORDER_INPUT_INIT;
    draft_in.id = "0c4ec000-0000-4000-8000-0000000000d1";
    draft_in.lines = &coat;
    draft_in.n_lines = 1;
    pss_order *draft = NULL;
    CHECK_OK(a, pss_order_create(sa2, &FIX_ALICE, &draft_in, &draft));
    pss_payment_input part = fix_pay("Cash", 400);
    CHECK_OK(a, pss_order_add_payment(draft, &FIX_ALICE, &part, NULL));
    CHECK_OK(b, pss_session_refresh(sb2));
    CHECK_OK(b, fix_cash(sb2, PSS_CASH_IN, 100)); /* a's handle is one revision behind */
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = "till died";
    CHECK_OK(a, pss_session_force_close(sa2, &FIX_ADA, &fi));
    CHECK_I64(pss_session_state_of(sa2), PSS_SESSION_CLOSED);
    CHECK_OK(a, pss_audit_load(a, pss_session_id(sa2), &au));
    pss_audit_record last = PSS_AUDIT_RECORD_INIT;
    pss_audit_get(au, pss_audit_count(au) - 1, &last);
    CHECK_STR(last.action, "session.force_close");
    CHECK_CONTAINS(last.json, "\"cancelled_orders\":[\"0c4ec000-0000-4000-8000-0000000000d1\"]");
    CHECK_CONTAINS(last.json, "\"voided_payments\":1}");
    pss_audit_free(au);
    pss_order_free(draft);
    pss_session_free(sa2);
    pss_session_free(sb2);

    /* a batch of 300 orders checks 302 times (the session, its newest order, each id): a
     * reading store records them all, and so must a store that answers checks at commit */
    pss_session *sa3 = fix_open(a, 0);
    static char batch_ids[300][PSS_ID_SIZE];
    static pss_order_input batch_in[300];
    const pss_order_input *batch[300];
    pss_line_input bl = fix_line("tea", 1000, 100, NULL, 0);
    pss_payment_input bp = fix_pay("Cash", 100);
    bp.state = PSS_PAYMENT_DONE;
    for (int i = 0; i < 300; i++) {
        snprintf(batch_ids[i], sizeof batch_ids[i], "0c4eb000-0000-4000-8000-%012d", i);
        batch_in[i] = fix_order(batch_ids[i], &bl, &bp);
        batch[i] = &batch_in[i];
    }
    size_t accepted = 0;
    CHECK_OK(a, pss_session_submit_batch(sa3, &FIX_ALICE, batch, 300, NULL, &accepted));
    CHECK_I64(accepted, 300);
    CHECK_I64(fix_figure(a, sa3, PSS_FIG_ORDERS), 300);
    pss_session_free(sa3);
    pss_session_free(sa);
    pss_session_free(sb);
    pss_ctx_free(a);
    pss_ctx_free(b);
    pss_storage_free(cs);
    pss_storage_free(mem);
    return check_done();
}
