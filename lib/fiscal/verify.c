/* verify.c: pss_fiscal_verify(): a config's events in the order they were created, each
 * checked against the one before (doc/fiscal.md, "Verification"): its place (record id and
 * seq agree, seqs run 1, 2, 3 ...), its link (previous hash), its content (the hash of the
 * previous hash and its canonical form, which names its config and seq). The first break is
 * reported with its seq and what is wrong. */
#include "possession/fiscal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/internal.h"
#include "fiscal/record.h"
#include "fiscal/sign.h"
#include "fiscal/verify.h"
#include "store/store.h"

const char *pss_fiscal_problem_name(pss_fiscal_problem problem)
{
    static const char *const names[] = {"whole",       "changed",    "missing", "misplaced",
                                        "broken link", "unreadable", "bad signature"};
    return (unsigned)problem < sizeof names / sizeof names[0] ? names[problem] : "unknown";
}

typedef struct walk {
    pss_ctx *ctx;
    const char *config_id;
    pss__chain_hasher hasher;
    uint8_t prev[PSS__CHAIN_HASH_BYTES]; /* the last good event's hash, or the genesis */
    pss_fiscal_verdict *out;
    pss__fiscal_each_fn each;
    void *each_arg;
    char why[200];
} walk;

/* Stops the walk at seq with a problem (PSS_ECORRUPT ends the scan). */
static int broken(walk *w, uint64_t seq, pss_fiscal_problem problem, const char *why)
{
    w->out->first_bad_seq = seq;
    w->out->problem = problem;
    snprintf(w->why, sizeof w->why, "%s", why);
    return PSS_ECORRUPT;
}

/* Whether the form names the config and seq its place gives. */
static bool form_names(const walk *w, const pss__fiscal_event *e)
{
    char line[PSS_ID_SIZE + 40];
    snprintf(line, sizeof line, "\nconfig=%s\nseq=%" PRIu64 "\n", w->config_id, e->seq);
    return strstr(e->form, line) != NULL;
}

static int check_event(walk *w, const pss_record *rec, const pss__fiscal_event *e)
{
    uint64_t expected = w->out->events + 1;
    char id[PSS__FISCAL_ID_SIZE];
    pss__fiscal_event_id(w->config_id, e->seq, id);
    if (strcmp(rec->id, id) != 0 || e->seq < expected) /* moved, swapped, or out of order */
        return broken(w, expected, PSS_FISCAL_MISPLACED, "the event stored in its place is "
                      "another's, or comes out of order");
    if (e->seq > expected)
        return broken(w, expected, PSS_FISCAL_MISSING, "the next event stored is a later one");
    if (memcmp(e->prev, w->prev, PSS__CHAIN_HASH_BYTES) != 0)
        return broken(w, expected, PSS_FISCAL_BROKEN_LINK, "its previous hash is not the hash "
                      "of the event before");
    uint8_t hash[PSS__CHAIN_HASH_BYTES];
    if (!pss__chain_link(&w->hasher, w->prev, e->form, strlen(e->form), hash))
        return pss__fail(w->ctx, PSS_ENOMEM, "libcrypto could not hash fiscal event %" PRIu64,
                         e->seq);
    if (memcmp(hash, e->hash, PSS__CHAIN_HASH_BYTES) != 0 || !form_names(w, e))
        return broken(w, expected, PSS_FISCAL_CHANGED, "its content does not give its hash");
    if (e->sig && pss__fiscal_can_check(w->ctx) &&
        !pss__fiscal_sig_good(w->ctx, hash, e->sig, e->key))
        return broken(w, expected, PSS_FISCAL_BAD_SIGNATURE, "the signer does not find its "
                      "signature good");
    w->out->unsigned_events += e->sig == NULL;
    memcpy(w->prev, hash, PSS__CHAIN_HASH_BYTES);
    w->out->events = expected;
    pss__chain_hex(hash, w->out->head_hash);
    return w->each ? w->each(w->each_arg, e) : 0;
}

static int on_event(const pss_record *rec, void *arg)
{
    walk *w = arg;
    pss__fiscal_event e;
    int rc = pss__fiscal_decode(w->ctx, rec, &e);
    if (rc == PSS_ECORRUPT)
        rc = broken(w, w->out->events + 1, PSS_FISCAL_UNREADABLE, pss_ctx_errmsg(w->ctx));
    else if (!rc)
        rc = check_event(w, rec, &e);
    pss__fiscal_event_free(w->ctx, &e);
    return rc;
}

int pss__fiscal_check_config(pss_ctx *ctx, const char *config_id)
{
    if (!config_id || !config_id[0] || strlen(config_id) >= PSS_ID_SIZE)
        return pss__fail(ctx, PSS_EINVAL, "config id is missing or longer than %d bytes",
                         PSS_ID_SIZE - 1);
    return 0;
}

static int check_args(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out)
{
    if (!out)
        return pss__fail(ctx, PSS_EINVAL, "the verdict is NULL");
    int rc = pss__check_version(ctx, out, out->version, PSS_FISCAL_VERDICT_VERSION,
                                "pss_fiscal_verdict");
    return rc ? rc : pss__fiscal_check_config(ctx, config_id);
}

int pss__fiscal_walk(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out,
                     pss__fiscal_each_fn each, void *arg)
{
    uint32_t version = out->version;
    memset(out, 0, sizeof *out);
    out->version = version;
    walk w = {ctx, config_id, {NULL, NULL}, {0}, out, each, arg, ""};
    if (!pss__chain_hasher_init(&w.hasher))
        return pss__fail(ctx, PSS_ENOMEM, "libcrypto could not set up SHA-256");
    int rc = 0;
    if (!pss__chain_genesis(&w.hasher, config_id, w.prev))
        rc = pss__fail(ctx, PSS_ENOMEM, "libcrypto could not hash the fiscal chain's start");
    if (!rc)
        rc = pss__scan(ctx, PSS__KIND_FISCAL, config_id, on_event, &w);
    pss__chain_hasher_free(&w.hasher);
    if (rc == PSS_ECORRUPT && out->first_bad_seq)
        return pss__fail(ctx, PSS_ECORRUPT, "the fiscal chain of config %s breaks at event %"
                         PRIu64 " (%s: %s); the %" PRIu64 " event(s) before it verify",
                         config_id, out->first_bad_seq, pss_fiscal_problem_name(out->problem),
                         w.why, out->events);
    return rc;
}

int pss_fiscal_verify(pss_ctx *ctx, const char *config_id, pss_fiscal_verdict *out)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    int rc = check_args(ctx, config_id, out);
    if (rc || (rc = pss__txn_begin(ctx, false)))
        return rc;
    return pss__txn_end(ctx, pss__fiscal_walk(ctx, config_id, out, NULL, NULL));
}
