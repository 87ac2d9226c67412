/* records.c: every payload the library stores is the text jansson's compact dump gives for
 * the same document (doc/storage.md): a shift that writes every record kind and every audit
 * entry with extra members, then each payload parsed and dumped again by jansson must give
 * the same bytes. The library writes them with its own streaming writer (lib/json/jsonw.c);
 * this is what keeps a store written before readable and hashable the same after. */
#include <jansson.h>

#include "fixture.h"

#define MOVE_ID "33333333-0000-4000-8000-000000000001"
#define SALE_ID "44444444-0000-4000-8000-000000000001"
#define REFUND_ID "44444444-0000-4000-8000-000000000002"
#define DRAFT_ID "44444444-0000-4000-8000-000000000003"

static pss_ctx *ctx;

/* A sale with a name that needs escaping, then its refund, both paid in cash. */
static void sell_and_refund(pss_session *s)
{
    static const char *const vat20[] = {"VAT20"};
    pss_line_input line = fix_line("mug \"big\" \\ 1/2 caf\xc3\xa9 \xf0\x9f\x8d\xb5", 2000,
                                   1250, vat20, 1);
    pss_payment_input pay = fix_pay("Cash", 3000);
    pss_order_input sale = fix_order(SALE_ID, &line, &pay);
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &sale, NULL));
    pss_line_input back = PSS_LINE_INPUT_INIT;
    back.refund_line = 0;
    back.quantity = -1000;
    pss_payment_input repay = fix_pay("Cash", -1500);
    pss_order_input refund = fix_order(REFUND_ID, &back, &repay);
    refund.refund_of = SALE_ID;
    CHECK_OK(ctx, pss_session_submit(s, &FIX_ALICE, &refund, NULL));
}

static void move_and_void(pss_session *s)
{
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.id = MOVE_ID;
    in.amount = 2500;
    in.reason = "float \"top-up\" \\ from the safe";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    CHECK_OK(ctx, pss_cash_void(s, &FIX_ALICE, MOVE_ID, "counted twice"));
}

static void close_counted(pss_session *s)
{
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_MIA));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 11500;
    CHECK_OK(ctx, pss_session_count(s, &FIX_MIA, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_MIA, NULL));
}

/* A second session left with a draft, force-closed by an admin: cancelled_orders. */
static void force_close_with_draft(void)
{
    pss_session *s = fix_open(ctx, 11500);
    static const char *const vat10[] = {"VAT10"};
    pss_line_input line = fix_line("tea", 1000, 400, vat10, 1);
    pss_order_input draft = fix_order(DRAFT_ID, &line, NULL);
    pss_order *o = NULL;
    CHECK_OK(ctx, pss_order_create(s, &FIX_ALICE, &draft, &o));
    pss_order_free(o);
    pss_force_close_input fi = PSS_FORCE_CLOSE_INPUT_INIT;
    fi.reason = "till broken";
    CHECK_OK(ctx, pss_session_force_close(s, &FIX_ADA, &fi));
    pss_session_free(s);
}

/* The dump escapes backslashes and line breaks so that each item is one line; compact JSON
 * has no raw control characters, so undoing those gives the stored bytes back. */
static void unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

/* Each line of the dump ends with its payload (records and audit entries; claims have
 * none). Counts the payloads and those jansson dumps differently. */
static void check_payloads(char *dump, int *payloads, int *differ)
{
    for (char *line = strtok(dump, "\n"); line; line = strtok(NULL, "\n")) {
        char *payload = strrchr(line, '\t');
        if (strncmp(line, "claim\t", 6) == 0 || !payload)
            continue;
        payload++;
        (*payloads)++;
        json_t *doc = json_loads(payload, 0, NULL);
        char *again = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        if (!again || strcmp(again, payload) != 0) {
            (*differ)++;
            printf("# stored:  %.300s\n# jansson: %.300s\n", payload, again ? again : "(none)");
        }
        free(again);
        json_decref(doc);
    }
}

int main(void)
{
    pss_storage *store = NULL;
    pss_memstore_new(&store);
    ctx = fix_ctx(store);
    fix_save_config(ctx, NULL);
    pss_session *s = fix_open(ctx, 10000);
    move_and_void(s);
    sell_and_refund(s);
    CHECK_OK(ctx, pss_session_take_over(s, &FIX_MIA));
    close_counted(s);
    pss_session_free(s);
    force_close_with_draft();

    char *dump = fix_dump(store);
    unescape(dump);
    static const char *const kinds[] = {"record\tconfig\t", "record\tconfig_state\t",
                                        "record\tsession\t", "record\ttotal\t",
                                        "record\torder\t", "record\tmovement\t",
                                        "record\trefund_tally\t", "record\tentry\t"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        CHECK_CONTAINS(dump, kinds[i]);
    /* the audit entries with extra members, exactly as written */
    CHECK_CONTAINS(dump, "\"action\":\"cash.move\",\"session\":");
    CHECK_CONTAINS(dump, "\"extra\":{\"movement\":\"" MOVE_ID "\",\"kind\":\"in\","
                         "\"amount\":2500,\"account\":\"Assets:Safe\"}}");
    CHECK_CONTAINS(dump, "\"action\":\"cash.void\"");
    CHECK_CONTAINS(dump, "\"extra\":{\"previous_user\":\"alice\",\"previous_device\":"
                         "\"till-1\"}}");
    CHECK_CONTAINS(dump, "\"cancelled_orders\":[\"" DRAFT_ID "\"],\"voided_payments\":0}}");
    CHECK_CONTAINS(dump, "\"reason\":\"float \\\"top-up\\\" \\\\ from the safe\"");

    int payloads = 0, differ = 0;
    check_payloads(dump, &payloads, &differ);
    CHECK(payloads >= 30);
    printf("# %d payloads\n", payloads);
    CHECK_I64(differ, 0);
    free(dump);
    pss_ctx_free(ctx);
    pss_storage_free(store);
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}
