/* fuzz_entry.c: the journal entry record. The input is decoded by pss__entry_decode
 * (balanced, within bounds, ledger and CSV exports), read back through pss_entry_load from a
 * store holding it (same answer), and written again by pss__entry_put into a fresh store:
 * the entry read from there must export the same ledger and CSV text. */
#include "fuzz.h"

#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#include "close/journal_internal.h"
#include "store/store.h"

/* The ledger and CSV exports, one after the other (NULL when one fails). */
static char *exports(const pss_entry *e)
{
    fix_text t = {NULL, 0};
    if (pss_journal_write_ledger(e, fix_text_write, &t) ||
        pss_journal_write_csv(e, 1, fix_text_write, &t)) {
        free(t.data);
        return NULL;
    }
    return t.data ? t.data : calloc(1, 1);
}

static void rewrite(const pss_entry *e)
{
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        abort();
    pss_ctx *ctx = fz_ctx(store);
    pss__strbuf buf;
    pss__strbuf_init(&buf, NULL);
    int rc = pss__txn_begin(ctx, true);
    if (!rc)
        rc = pss__txn_end(ctx, pss__entry_put(ctx, e, &buf));
    FZ_CHECK(rc == 0, "pss__entry_put of a decoded entry fails: %s", pss_ctx_errmsg(ctx));
    pss_entry *again = NULL;
    if (!rc) {
        rc = pss_entry_load(ctx, pss_entry_id(e), &again);
        FZ_CHECK(rc == 0, "a rewritten entry does not load: %s", pss_ctx_errmsg(ctx));
    }
    char *a = again ? exports(e) : NULL, *b = again ? exports(again) : NULL;
    FZ_CHECK(!again || (a && b && strcmp(a, b) == 0),
             "entry exports differ after a rewrite:\n%s\n%s", a ? a : "(failed)",
             b ? b : "(failed)");
    free(a);
    free(b);
    pss_entry_free(again);
    pss__strbuf_free(&buf);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

static int direct(const char *payload, size_t len, const char *id)
{
    pss_ctx *ctx = fz_ctx(NULL);
    pss_record rec = {"entry", id, "", 1, payload, len};
    pss_entry *e = NULL;
    int rc = pss__entry_decode(ctx, &rec, &e);
    FZ_RC_IN("pss__entry_decode", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    if (!rc) {
        fz_check_entry(e);
        rewrite(e);
    }
    pss_entry_free(e);
    pss_ctx_free(ctx);
    return rc;
}

static void through_store(const char *payload, size_t len, const char *id, int direct_rc)
{
    pss_storage *store = NULL;
    if (pss_memstore_new(&store) != 0)
        abort();
    fz_put(store, "entry", id, "", payload, len);
    pss_ctx *ctx = fz_ctx(store);
    pss_entry *e = NULL;
    int rc = pss_entry_load(ctx, id, &e);
    FZ_RC_IN("pss_entry_load", rc, 0, PSS_ECORRUPT, PSS_EVERSION);
    FZ_CHECK(rc == direct_rc, "pss_entry_load gives %d where the decoder gives %d", rc,
             direct_rc);
    if (e)
        FZ_CHECK(strcmp(pss_entry_id(e), id) == 0,
                 "entry record %s loads as entry '%s' (the decoder does not check its id)", id,
                 pss_entry_id(e));
    pss_entry_free(e);
    pss_ctx_free(ctx);
    pss_storage_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *payload = fz_begin("entry", data, size);
    char id[PSS_ID_SIZE];
    fz_peek_id(payload, size, "id", "e0e0e000-0000-4000-8000-0000000000ff", id);
    int rc = direct(payload, size, id);
    through_store(payload, size, id, rc);
    fz_end(payload);
    return 0;
}
