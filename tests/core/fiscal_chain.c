/* fiscal_chain.c: a config's chain of fiscal events as a shift makes it (doc/fiscal.md,
 * "Events", "Verification"): which calls add an event, seq 1, 2, 3 ... across sessions,
 * the canonical form of one, and pss_fiscal_verify() finding each kind of alteration made
 * behind the library's back, at its seq. */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#define EVENT(n) FIX_CONFIG_ID ":" n

static void shift(pss_ctx *ctx, int64_t opening)
{
    pss_session *s = fix_open(ctx, opening);
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 500));
    CHECK_OK(ctx, fix_submit_nth(s, 1)); /* an order: not yet an event of its own */
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = opening + 500; /* order 1 is paid by card */
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_session_free(s);
}

int main(void)
{
    pss_storage *store = NULL;
    pss_ctx *ctx = NULL;
    fix_world(NULL, &store, &ctx);

    pss_fiscal_verdict v = fix_fiscal_verify(ctx, 0); /* no event yet: whole */
    CHECK_I64(v.events, 0);
    CHECK_STR(v.head_hash, "");

    /* a shift: open, cash in, count, close are events; the order and start_closing not */
    shift(ctx, 1000);
    v = fix_fiscal_verify(ctx, 0);
    CHECK_I64(v.events, 4);
    CHECK_I64(v.first_bad_seq, 0);
    CHECK_I64(v.problem, PSS_FISCAL_WHOLE);
    CHECK_I64((int64_t)strlen(v.head_hash), 64);
    char form[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000002"), form, sizeof form);
    CHECK_CONTAINS(form, "\"seq\":2");
    CHECK_CONTAINS(form, "pss-fiscal=1\\nkind=cash.move\\nconfig=" FIX_CONFIG_ID "\\nseq=2\\nat=");
    CHECK_CONTAINS(form, "\\nuser=alice\\ndevice=till-1\\nsession=");
    CHECK_CONTAINS(form, "\\nreason=float\\nextra.movement=");
    CHECK_CONTAINS(form, "\\nextra.kind=in\\nextra.amount=500\\nextra.account=");

    /* the next session goes on with the same chain */
    shift(ctx, 1500);
    v = fix_fiscal_verify(ctx, 0);
    CHECK_I64(v.events, 8);
    char first_shift_head[65];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000005"), form, sizeof form);
    CHECK_CONTAINS(form, "kind=session.open");

    /* the archive: the manifest, then each event as stored */
    fix_text arch = {NULL, 0};
    CHECK_OK(ctx, pss_fiscal_archive(ctx, FIX_CONFIG_ID, 3, 5, fix_text_write, &arch));
    const char *manifest = "{\"pss_fiscal_archive\":1,\"config\":\"" FIX_CONFIG_ID "\","
                           "\"genesis\":\"de225105b475d7e87e662ec9912b4592390f338b522dd4080df4"
                           "c39da2899cb5\",\"first_seq\":3,\"last_seq\":5,\"events\":3,"
                           "\"prev\":\"";
    CHECK(arch.data && strncmp(arch.data, manifest, strlen(manifest)) == 0);
    int lines = 0;
    for (const char *c = arch.data; c && *c; c++)
        lines += *c == '\n';
    CHECK_I64(lines, 4);
    CHECK_CONTAINS(arch.data, "\n{\"seq\":3,\"prev\":\"");
    CHECK_CONTAINS(arch.data, "\"form\":\"pss-fiscal=1\\nkind=session.count\\nconfig=");
    CHECK_CONTAINS(arch.data, "\n{\"seq\":5,\"prev\":\"");
    fix_text_free(&arch);
    CHECK_RC(ctx, pss_fiscal_archive(ctx, FIX_CONFIG_ID, 6, 9, fix_text_write, &arch),
             PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the period 6 to 9 is not in the fiscal chain of config "
                                   FIX_CONFIG_ID ", which has 8 event(s)");
    CHECK(arch.data == NULL); /* nothing written */
    CHECK_RC(ctx, pss_fiscal_archive(ctx, FIX_CONFIG_ID, 0, 0, NULL, NULL), PSS_EINVAL);

    /* the amount of event 2 changed, its hash left: changed, at 2 */
    char original[16384], altered[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000002"), original, sizeof original);
    snprintf(altered, sizeof altered, "%s", original);
    char *at = strstr(altered, "extra.amount=500");
    CHECK(at != NULL);
    if (at)
        memcpy(at, "extra.amount=900", 16);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000002"), altered), 0);
    v = fix_fiscal_verify(ctx, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, 2);
    CHECK_I64(v.problem, PSS_FISCAL_CHANGED);
    CHECK_I64(v.events, 1);
    CHECK_STR(pss_ctx_errmsg(ctx), "the fiscal chain of config " FIX_CONFIG_ID " breaks at "
                                   "event 2 (changed: its content does not give its hash); the "
                                   "1 event(s) before it verify");
    snprintf(first_shift_head, sizeof first_shift_head, "%s", v.head_hash);
    CHECK_RC(ctx, pss_fiscal_archive(ctx, FIX_CONFIG_ID, 0, 0, fix_text_write, &arch),
             PSS_ECORRUPT);
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "breaks at event 2 (changed");
    fix_text_free(&arch);
    CHECK_I64((int64_t)strlen(first_shift_head), 64);

    /* put back: whole again */
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000002"), original), 0);
    CHECK_I64(fix_fiscal_verify(ctx, 0).events, 8);

    /* events 3 and 4 swapped: misplaced, at 3 */
    char third[16384], fourth[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000003"), third, sizeof third);
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000004"), fourth, sizeof fourth);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000003"), fourth), 0);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000004"), third), 0);
    v = fix_fiscal_verify(ctx, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, 3);
    CHECK_I64(v.problem, PSS_FISCAL_MISPLACED);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000003"), third), 0);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000004"), fourth), 0);

    /* event 6 rewritten whole and its hash made again (a forger without event 5's hash
     * chained to another): the link breaks, at 6 */
    char sixth[16384], sixth_kept[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000006"), sixth, sizeof sixth);
    memcpy(sixth_kept, sixth, sizeof sixth);
    char *prev = strstr(sixth, "\"prev\":\"");
    CHECK(prev != NULL);
    if (prev)
        prev[8] = prev[8] == '0' ? '1' : '0';
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000006"), sixth), 0);
    v = fix_fiscal_verify(ctx, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, 6);
    CHECK_I64(v.problem, PSS_FISCAL_BROKEN_LINK);
    CHECK_I64(v.events, 5);

    /* not an event at all: unreadable */
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000006"), "{\"v\":1}"), 0);
    v = fix_fiscal_verify(ctx, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, 6);
    CHECK_I64(v.problem, PSS_FISCAL_UNREADABLE);

    /* on a broken chain no session opens: the open walks the chain, refuses with the first
     * break, and changes nothing */
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-23";
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    char *before = fix_dump(store);
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 1500;
    CHECK_RC(ctx, pss_session_open(s, &FIX_ALICE, &oi), PSS_ECORRUPT);
    CHECK_STR(pss_ctx_errmsg(ctx), "the fiscal chain of config " FIX_CONFIG_ID " breaks at "
                                   "event 6 (unreadable: stored fiscal " FIX_CONFIG_ID
                                   ":00000000000000000006 is corrupt: field 'seq' is missing, "
                                   "expected an integer); the 5 event(s) before it verify");
    /* nothing changed but the trail, which says so: the open, refused with the break */
    CHECK_I64(fix_fiscal_verify(ctx, PSS_ECORRUPT).events, 5);
    pss_audit *trail = NULL;
    CHECK_OK(ctx, pss_audit_load(ctx, pss_session_id(s), &trail));
    pss_audit_record last = PSS_AUDIT_RECORD_INIT;
    CHECK_OK(ctx, pss_audit_get(trail, pss_audit_count(trail) - 1, &last));
    CHECK_STR(last.action, "session.open");
    CHECK_I64(last.outcome, PSS_ECORRUPT);
    CHECK_CONTAINS(last.detail, "breaks at event 6 (unreadable");
    pss_audit_free(trail);
    CHECK_I64(pss_session_state_of(s), PSS_SESSION_NEW);
    char *after = fix_dump(store);
    size_t kept = strlen(before);
    CHECK(strncmp(after, before, kept) == 0); /* the store as it was, then one entry */
    const char *added = after + (strlen(after) >= kept ? kept : strlen(after));
    CHECK(strncmp(added, "audit\t", 6) == 0 && strchr(added, '\n') == added + strlen(added) - 1);
    CHECK_CONTAINS(added, "\"action\":\"session.open\"");
    free(before);
    free(after);
    /* put back, it opens as event 9 */
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000006"), sixth_kept), 0);
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    CHECK_I64(fix_fiscal_verify(ctx, 0).events, 9);
    /* the newest event altered: the next event is refused, at once (no walk) */
    char ninth[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000009"), ninth, sizeof ninth);
    char *counted = strstr(ninth, "counted=1500");
    CHECK(counted != NULL);
    if (counted)
        memcpy(counted, "counted=1900", 12);
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000009"), ninth), 0);
    CHECK_RC(ctx, fix_cash(s, PSS_CASH_IN, 100), PSS_ECORRUPT);
    CHECK_STR(pss_ctx_errmsg(ctx), "the newest fiscal event of config " FIX_CONFIG_ID " (9) is "
                                   "altered: its content does not give its hash; no event is "
                                   "added to a broken chain (pss_fiscal_verify names the first "
                                   "break)");
    pss_session_free(s);

    /* bad arguments change nothing and say what is wrong */
    pss_fiscal_verdict bad = PSS_FISCAL_VERDICT_INIT;
    bad.version = 9;
    CHECK_RC(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, &bad), PSS_EVERSION);
    CHECK_RC(ctx, pss_fiscal_verify(ctx, FIX_CONFIG_ID, NULL), PSS_EINVAL);
    CHECK_RC(ctx, pss_fiscal_verify(ctx, "", &v), PSS_EINVAL);
    CHECK_STR(pss_fiscal_problem_name(PSS_FISCAL_BROKEN_LINK), "broken link");
    CHECK_STR(pss_fiscal_problem_name((pss_fiscal_problem)99), "unknown");

    fix_world_free(store, ctx);
    return check_done();
}
