/* fuzz_movement.c: the cash movement record. Its decoder is static in lib/session/cash.c, so the
 * input is laid into the world as a movement of its session (S2 unless it names a session
 * of the world) and read back through the public API: pss_cash_list_load and its items
 * (bounds), verify (which adds it to the totals), a void (which writes it again: the list
 * must then say the same but for the void), and the session's close. */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "scenario.h"

typedef struct moved {
    pss_cash_kind kind;
    int64_t amount, time;
    char reason[512], account[256], user[256];
    int voided;
} moved;

static void check_item(const pss_cash_info *m)
{
    fz_range("movement kind", m->kind, PSS_CASH_IN, PSS_CASH_CORRECTION);
    if (m->kind == PSS_CASH_CORRECTION)
        fz_amount("movement amount (correction)", m->amount);
    else
        fz_range("movement amount", m->amount, 1, PSS_AMOUNT_MAX);
    FZ_CHECK(m->amount != 0, "decoded movement amount is 0");
    FZ_CHECK(m->id && m->reason && m->account && m->user, "movement lacks a text");
}

/* Reads the list; fills *found with the movement `id` when it is listed. */
static int list(pss_session *s, const char *id, moved *found)
{
    pss_cash_list *l = NULL;
    int rc = pss_cash_list_load(s, &l);
    FZ_RC_IN("pss_cash_list_load", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    for (size_t i = 0; !rc && i < pss_cash_list_count(l); i++) {
        pss_cash_info m = PSS_CASH_INFO_INIT;
        FZ_CHECK(pss_cash_list_get(l, i, &m) == 0, "movement %zu unreadable", i);
        check_item(&m);
        if (found && strcmp(m.id, id) == 0) {
            *found = (moved){m.kind, m.amount, m.time, "", "", "", m.voided};
            snprintf(found->reason, sizeof found->reason, "%s", m.reason);
            snprintf(found->account, sizeof found->account, "%s", m.account);
            snprintf(found->user, sizeof found->user, "%s", m.user);
        }
    }
    pss_cash_list_free(l);
    return rc;
}

static bool same_but_void(const moved *a, const moved *b)
{
    return a->kind == b->kind && a->amount == b->amount && a->time == b->time &&
           strcmp(a->reason, b->reason) == 0 && strcmp(a->account, b->account) == 0 &&
           strcmp(a->user, b->user) == 0;
}

static void void_it(pss_ctx *ctx, pss_session *s, const char *id, const moved *before)
{
    int rc = pss_cash_void(s, &sc_alice, id, "fuzz");
    fz_known_rc("pss_cash_void", rc);
    if (rc)
        return;
    FZ_CHECK(!before->voided, "a voided movement was voided again");
    moved after = {0, 0, 0, "", "", "", 0};
    FZ_CHECK(list(s, id, &after) == 0, "the list does not load after a void: %s",
             pss_ctx_errmsg(ctx));
    FZ_CHECK(after.voided && same_but_void(before, &after),
             "a voided movement reads back changed: amount %lld -> %lld, time %lld -> %lld",
             (long long)before->amount, (long long)after.amount, (long long)before->time,
             (long long)after.time);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("movement", data, size);
    char id[PSS_ID_SIZE], session[PSS_ID_SIZE];
    fz_peek_id(payload, size, "id", "ca5a2000-0000-4000-8000-0000000000ff", id);
    fz_peek_id(payload, size, "session", SC_S2, session);
    fz_skip skip = {"movement", id};
    pss_storage *store = fz_world(fz_keep_but, &skip);
    fz_put(store, "movement", id, session, payload, size);
    pss_ctx *ctx = fz_ctx(store);
    pss_session *s = NULL;
    if (pss_session_load(ctx, session, &s) == 0) {
        moved before = {0, 0, 0, "", "", "", 0};
        before.kind = 0;
        if (list(s, id, &before) == 0 && before.kind) {
            fz_check_session(s);
            void_it(ctx, s, id, &before);
        }
        pss_session_free(s);
        fz_close_session(ctx, session);
    }
    pss_ctx_free(ctx);
    pss_storage_free(store);
    fz_end(payload);
    return 0;
}
