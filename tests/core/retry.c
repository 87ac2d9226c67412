/* retry.c: a call the store refuses with a conflict (another writer moved a revision on, or a
 * database lost a serialization conflict: PostgreSQL's 40001 and 40P01) changed nothing and
 * runs again, at most PSS__ATTEMPTS times in all; then it fails with the conflict and the
 * store is as it was. */
#include "fixture.h"
#include "faultstore.h"

#include <stdlib.h>
#include <string.h>

#include "session/stage.h"

static int submit(pss_session *s, const char *id)
{
    pss_line_input line = fix_line("tea", 1000, 250, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", 250);
    pss_order_input in = fix_order(id, &line, &pay);
    return pss_session_submit(s, &FIX_ALICE, &in, NULL);
}

int main(void)
{
    pss_storage *mem = NULL, *fs = NULL;
    CHECK_I64(pss_memstore_new(&mem), 0);
    CHECK_I64(faultstore_new(mem, &fs), 0);
    pss_ctx *ctx = fix_ctx(fs);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 0);

    /* a submit whose order meets a conflict twice is recorded at its third attempt, once */
    faultstore_conflict_puts(fs, "order", PSS__ATTEMPTS - 1);
    CHECK_OK(ctx, submit(s, "0de20000-0000-4000-8000-000000000001"));
    CHECK_I64(faultstore_conflicts_left(fs), 0);
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_ORDERS), 1);
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_EXPECTED_CASH), 250);

    /* one conflict more than the attempts: the conflict is the answer and nothing changed */
    char *before = fix_dump(mem);
    faultstore_conflict_puts(fs, "order", PSS__ATTEMPTS);
    CHECK_RC(ctx, submit(s, "0de20000-0000-4000-8000-000000000002"), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "order id 0de20000-0000-4000-8000-000000000002");
    CHECK_I64(faultstore_conflicts_left(fs), 0);
    char *after = fix_dump(mem);
    CHECK_SAME_TEXT(after, before);
    free(before);
    free(after);
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_ORDERS), 1);

    /* a session-layer call (a cash movement) runs again the same way */
    faultstore_conflict_puts(fs, "movement", 1);
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 5000));
    CHECK_I64(faultstore_conflicts_left(fs), 0);
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_CASH_IN), 5000);
    CHECK_I64(fix_figure(ctx, s, PSS_FIG_EXPECTED_CASH), 5250);

    /* a conflict the library finds itself (the same order id with other content) is not the
     * store's: it is answered at once */
    pss_line_input line = fix_line("cake", 1000, 400, NULL, 0);
    pss_payment_input pay = fix_pay("Cash", 400);
    pss_order_input other = fix_order("0de20000-0000-4000-8000-000000000001", &line, &pay);
    long calls = faultstore_calls(fs);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &other, NULL), PSS_ECONFLICT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "was already recorded");
    long one_attempt = faultstore_calls(fs) - calls;
    calls = faultstore_calls(fs);
    CHECK_RC(ctx, pss_session_submit(s, &FIX_ALICE, &other, NULL), PSS_ECONFLICT);
    CHECK_I64(faultstore_calls(fs) - calls, one_attempt);
    CHECK_I64(one_attempt, 4); /* begin, the session's revision, the order, rollback */

    CHECK_OK(ctx, pss_session_verify(s));
    pss_session_free(s);
    pss_ctx_free(ctx);
    pss_storage_free(fs);
    pss_storage_free(mem);
    return check_done();
}
