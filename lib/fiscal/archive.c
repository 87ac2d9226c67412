/* archive.c: pss_fiscal_archive(): a period of a config's chain as JSON lines, a manifest
 * first (doc/fiscal.md, "Archive"), that proves its integrity with no store. The chain is
 * walked and verified from seq 1 first (which also finds the hashes the manifest names),
 * then the period's events are written as stored, in one read transaction. */
#include "possession/fiscal.h"

#include <inttypes.h>
#include <string.h>

#include "base/internal.h"
#include "fiscal/link.h"
#include "fiscal/record.h"
#include "fiscal/verify.h"
#include "json/jsonw.h"
#include "store/store.h"

#define ARCHIVE_VERSION 1

typedef struct period {
    pss_ctx *ctx;
    uint64_t first, last;
    uint8_t prev[PSS__CHAIN_HASH_BYTES], head[PSS__CHAIN_HASH_BYTES];
    pss_write_fn fn;
    void *userdata;
    pss__strbuf line;
} period;

/* First pass: the hash the period's first event links to, and its last event's. */
static int find_ends(void *arg, const pss__fiscal_event *e)
{
    period *p = arg;
    if (e->seq == p->first)
        memcpy(p->prev, e->prev, PSS__CHAIN_HASH_BYTES);
    if (e->seq == p->last)
        memcpy(p->head, e->hash, PSS__CHAIN_HASH_BYTES);
    return 0;
}

/* One line: the object w built, and a line feed. */
static int write_line(period *p, pss_jsonw *w)
{
    int rc = pss__jsonw_finish(p->ctx, w);
    if (!rc)
        pss__strbuf_add(&p->line, "\n", 1);
    if (!rc && p->line.failed)
        rc = pss__oom(p->ctx);
    if (!rc && p->fn(p->userdata, p->line.data, p->line.len) != 0)
        rc = pss__fail(p->ctx, PSS_EIO, "the archive's writer failed");
    return rc;
}

static void put_hash(pss_jsonw *w, const char *key, const uint8_t hash[PSS__CHAIN_HASH_BYTES])
{
    char hex[PSS__CHAIN_HEX_SIZE];
    pss__chain_hex(hash, hex);
    pss__jsonw_str(w, key, hex);
}

static int write_manifest(period *p, const char *config_id)
{
    uint8_t genesis[PSS__CHAIN_HASH_BYTES];
    pss__chain_hasher h;
    if (!pss__chain_hasher_init(&h))
        return pss__fail(p->ctx, PSS_ENOMEM, "libcrypto could not set up SHA-256");
    bool ok = pss__chain_genesis(&h, config_id, genesis);
    pss__chain_hasher_free(&h);
    if (!ok)
        return pss__fail(p->ctx, PSS_ENOMEM, "libcrypto could not hash the chain's start");
    pss__strbuf_reset(&p->line);
    pss_jsonw w;
    pss__jsonw_begin_plain(&w, &p->line);
    pss__jsonw_int(&w, "pss_fiscal_archive", ARCHIVE_VERSION);
    pss__jsonw_str(&w, "config", config_id);
    put_hash(&w, "genesis", genesis);
    pss__jsonw_int(&w, "first_seq", (int64_t)p->first);
    pss__jsonw_int(&w, "last_seq", (int64_t)p->last);
    pss__jsonw_int(&w, "events", (int64_t)(p->last - p->first + 1));
    put_hash(&w, "prev", p->prev);
    put_hash(&w, "head", p->head);
    return write_line(p, &w);
}

/* Second pass: each event of the period, as stored. */
static int write_event(void *arg, const pss__fiscal_event *e)
{
    period *p = arg;
    if (e->seq < p->first || e->seq > p->last)
        return 0;
    pss__strbuf_reset(&p->line);
    pss_jsonw w;
    pss__jsonw_begin_plain(&w, &p->line);
    pss__jsonw_int(&w, "seq", (int64_t)e->seq);
    put_hash(&w, "prev", e->prev);
    put_hash(&w, "hash", e->hash);
    pss__jsonw_str(&w, "form", e->form);
    return write_line(p, &w);
}

static int check_period(pss_ctx *ctx, const char *config_id, period *p, uint64_t head)
{
    if (p->last == 0)
        p->last = head;
    if (head == 0 || p->first > p->last || p->last > head) {
        pss__figure(ctx, "count", (int64_t)head);
        return pss__fail(ctx, PSS_EINVAL, "the period %" PRIu64 " to %" PRIu64 " is not in the "
                         "fiscal chain of config %s, which has %" PRIu64 " event(s)", p->first,
                         p->last, config_id, head);
    }
    return 0;
}

/* The chain walked (and verified) twice: for the period's ends, then to write it. */
static int archive_in_txn(period *p, const char *config_id)
{
    pss_fiscal_verdict v = PSS_FISCAL_VERDICT_INIT;
    if (p->first == 0)
        p->first = 1;
    int rc = pss__fiscal_walk(p->ctx, config_id, &v, find_ends, p);
    if (!rc && p->last == 0 && v.events && !pss__chain_unhex(v.head_hash, p->head))
        rc = pss__fail(p->ctx, PSS_ECORRUPT, "the fiscal chain's head hash is not hex");
    if (!rc)
        rc = check_period(p->ctx, config_id, p, v.events);
    if (!rc)
        rc = write_manifest(p, config_id);
    if (!rc)
        rc = pss__fiscal_walk(p->ctx, config_id, &v, write_event, p);
    return rc;
}

int pss_fiscal_archive(pss_ctx *ctx, const char *config_id, uint64_t first_seq,
                       uint64_t last_seq, pss_write_fn fn, void *userdata)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    if (!fn)
        return pss__fail(ctx, PSS_EINVAL, "the archive's writer is NULL");
    int rc = pss__fiscal_check_config(ctx, config_id);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    period p = {ctx, first_seq, last_seq, {0}, {0}, fn, userdata, {0}};
    pss__strbuf_init(&p.line, ctx->alloc);
    rc = archive_in_txn(&p, config_id);
    pss__strbuf_free(&p.line);
    return pss__txn_end(ctx, rc);
}
