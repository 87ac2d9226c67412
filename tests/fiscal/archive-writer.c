/* archive-writer.c: writes archives of a config's fiscal chain (pss_fiscal_archive) for
 * check-archives.py, which verifies them with tools/fiscal-verify.py, a verifier written
 * from doc/fiscal.md alone. Two shifts on the memory store, with a note and a reason that
 * need escapes (a backslash; the library refuses control characters in texts). Usage: archive-writer DIRECTORY: writes
 * DIRECTORY/whole.jsonl (every event) and DIRECTORY/period.jsonl (events 3 to 6). */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

static int to_file(void *userdata, const char *data, size_t len)
{
    return fwrite(data, 1, len, userdata) == len ? 0 : -1;
}

static void shift(pss_ctx *ctx, const char *note)
{
    pss_session *s = NULL;
    pss_session_input si = PSS_SESSION_INPUT_INIT;
    si.operating_date = "2026-11-21";
    pss_opening_input oi = PSS_OPENING_INPUT_INIT;
    oi.counted_cash = 1000;
    oi.note = note;
    CHECK_OK(ctx, pss_session_create(ctx, FIX_CONFIG_ID, &FIX_ALICE, &si, &s));
    CHECK_OK(ctx, pss_session_open(s, &FIX_ALICE, &oi));
    pss_cash_input in = PSS_CASH_INPUT_INIT;
    in.kind = PSS_CASH_OUT;
    in.amount = 250;
    in.reason = "caf\xc3\xa9 = \"tips\" \\ ok";
    CHECK_OK(ctx, pss_cash_move(s, &FIX_ALICE, &in, NULL));
    CHECK_OK(ctx, pss_session_start_closing(s, &FIX_ALICE));
    pss_count_input count = PSS_COUNT_INPUT_INIT;
    count.cash_total = 750;
    CHECK_OK(ctx, pss_session_count(s, &FIX_ALICE, &count));
    CHECK_OK(ctx, pss_session_close(s, &FIX_ALICE, NULL));
    pss_session_free(s);
}

static void write_archive(pss_ctx *ctx, const char *dir, const char *name, uint64_t first,
                          uint64_t last)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_OK(ctx, pss_fiscal_archive(ctx, FIX_CONFIG_ID, first, last, to_file, f));
    CHECK_I64(fclose(f), 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("Bail out! usage: archive-writer DIRECTORY\n");
        return 1;
    }
    pss_storage *store = NULL;
    pss_ctx *ctx = NULL;
    fix_world(NULL, &store, &ctx);
    shift(ctx, "a\\b=c \xc3\xa9");
    shift(ctx, NULL);
    write_archive(ctx, argv[1], "whole.jsonl", 0, 0);
    write_archive(ctx, argv[1], "period.jsonl", 3, 6);
    fix_world_free(store, ctx);
    return check_done();
}
