/* fiscal_sign.c: fiscal events signed by a signer (possession/fiscal.h, pss_signer;
 * doc/fiscal.md "Signatures"): an Ed25519 key the test makes with OpenSSL signs each event's
 * hash; a signer that fails or gives garbage leaves the event unsigned and the call
 * succeeds; pss_fiscal_resign() signs the backlog in order; a signature altered in the store
 * is found at its seq. */
#include "fixture.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define EVENT(n) FIX_CONFIG_ID ":" n

typedef struct test_signer {
    EVP_PKEY *key;
    int refuse;  /* the next `refuse` calls decline (an offline device) */
    int garbage; /* the next call returns a signature of 0 bytes */
    int signed_count;
} test_signer;

static int ed_sign(void *userdata, const uint8_t hash[32], uint8_t sig[PSS_SIGNATURE_MAX],
                   size_t *sig_len, char key_id[PSS_KEY_ID_SIZE])
{
    test_signer *t = userdata;
    if (t->refuse > 0) {
        t->refuse--;
        return -1;
    }
    snprintf(key_id, PSS_KEY_ID_SIZE, "test-ed25519-1");
    if (t->garbage) {
        t->garbage = 0;
        *sig_len = 0;
        return 0;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t len = PSS_SIGNATURE_MAX;
    int ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, t->key) == 1 &&
             EVP_DigestSign(md, sig, &len, hash, 32) == 1;
    EVP_MD_CTX_free(md);
    *sig_len = len;
    t->signed_count += ok;
    return ok ? 0 : -2;
}

static int ed_check(void *userdata, const uint8_t hash[32], const uint8_t *sig, size_t sig_len,
                    const char *key_id)
{
    test_signer *t = userdata;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && !strcmp(key_id, "test-ed25519-1") &&
             EVP_DigestVerifyInit(md, NULL, NULL, NULL, t->key) == 1 &&
             EVP_DigestVerify(md, sig, sig_len, hash, 32) == 1;
    EVP_MD_CTX_free(md);
    return ok ? 0 : -1;
}

int main(void)
{
    test_signer t = {NULL, 0, 0, 0};
    EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    CHECK(kc && EVP_PKEY_keygen_init(kc) == 1 && EVP_PKEY_keygen(kc, &t.key) == 1);
    EVP_PKEY_CTX_free(kc);
    pss_storage *store = NULL;
    pss_ctx *ctx = NULL;
    fix_world(NULL, &store, &ctx);

    /* bad tables are refused and change nothing */
    pss_signer bad = PSS_SIGNER_INIT;
    CHECK_RC(ctx, pss_ctx_set_signer(ctx, &bad), PSS_EINVAL);
    CHECK_STR(pss_ctx_errmsg(ctx), "the signer has no 'sign' callback");
    bad.version = 7;
    bad.sign = ed_sign;
    CHECK_RC(ctx, pss_ctx_set_signer(ctx, &bad), PSS_EVERSION);
    uint64_t n = 9;
    CHECK_RC(ctx, pss_fiscal_resign(ctx, FIX_CONFIG_ID, &n), PSS_ESTATE);
    CHECK_STR(pss_ctx_errmsg(ctx), "the context has no signer (pss_ctx_set_signer)");
    CHECK_I64(n, 0);

    pss_signer signer = PSS_SIGNER_INIT;
    signer.userdata = &t;
    signer.sign = ed_sign;
    signer.check = ed_check;
    CHECK_OK(ctx, pss_ctx_set_signer(ctx, &signer));

    /* signed as they happen: open, two cash movements */
    pss_session *s = fix_open(ctx, 1000);
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 100));
    /* the device is offline for one event, then gives garbage for the next: both recorded
     * unsigned, the calls succeed, the reason noted */
    t.refuse = 1;
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 200));
    t.garbage = 1;
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_OUT, 50));
    CHECK_OK(ctx, fix_cash(s, PSS_CASH_IN, 300));
    CHECK_I64(t.signed_count, 3);
    pss_fiscal_verdict v = fix_fiscal_verify(ctx, 0);
    CHECK_I64(v.events, 5);
    CHECK_I64(v.unsigned_events, 2);
    char payload[16384];
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000003"), payload, sizeof payload);
    CHECK_CONTAINS(payload, "\"sign_error\":\"the signer did not sign (it returned -1)\"");
    CHECK(strstr(payload, "\"sig\":") == NULL);
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000004"), payload, sizeof payload);
    CHECK_CONTAINS(payload, "\"sign_error\":\"the signer returned no usable signature (0 bytes,");
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000002"), payload, sizeof payload);
    CHECK_CONTAINS(payload, "\",\"sig\":\"");
    CHECK_CONTAINS(payload, "\",\"key\":\"test-ed25519-1\"}");

    /* the backlog signed later, in order: still offline for the first, then both */
    t.refuse = 1;
    CHECK_OK(ctx, pss_fiscal_resign(ctx, FIX_CONFIG_ID, &n));
    CHECK_I64(n, 0);
    CHECK_I64(fix_fiscal_verify(ctx, 0).unsigned_events, 2);
    CHECK_OK(ctx, pss_fiscal_resign(ctx, FIX_CONFIG_ID, &n));
    CHECK_I64(n, 2);
    v = fix_fiscal_verify(ctx, 0);
    CHECK_I64(v.events, 5);
    CHECK_I64(v.unsigned_events, 0);
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000003"), payload, sizeof payload);
    CHECK(strstr(payload, "sign_error") == NULL);
    CHECK_CONTAINS(payload, "\"key\":\"test-ed25519-1\"");
    CHECK_OK(ctx, pss_fiscal_resign(ctx, FIX_CONFIG_ID, &n)); /* nothing waits */
    CHECK_I64(n, 0);

    /* a signature altered in the store: bad signature, at its seq */
    fix_stored_payload(store, "fiscal", EVENT("00000000000000000004"), payload, sizeof payload);
    char *sig = strstr(payload, "\"sig\":\"");
    CHECK(sig != NULL);
    if (sig)
        sig[7] = sig[7] == 'a' ? 'b' : 'a';
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000004"), payload), 0);
    v = fix_fiscal_verify(ctx, PSS_ECORRUPT);
    CHECK_I64(v.first_bad_seq, 4);
    CHECK_I64(v.problem, PSS_FISCAL_BAD_SIGNATURE);
    CHECK_STR(pss_fiscal_problem_name(v.problem), "bad signature");
    CHECK_CONTAINS(pss_ctx_errmsg(ctx), "breaks at event 4 (bad signature: the signer does not "
                                        "find its signature good)");
    /* without check, signatures are not looked at; the chain of hashes still verifies */
    pss_signer sign_only = signer;
    sign_only.check = NULL;
    CHECK_OK(ctx, pss_ctx_set_signer(ctx, &sign_only));
    CHECK_I64(fix_fiscal_verify(ctx, 0).events, 5);
    /* a broken chain is not signed further */
    CHECK_I64(fix_overwrite(store, "fiscal", EVENT("00000000000000000002"), "{\"v\":1}"), 0);
    CHECK_RC(ctx, pss_fiscal_resign(ctx, FIX_CONFIG_ID, &n), PSS_ECORRUPT);
    CHECK_OK(ctx, pss_ctx_set_signer(ctx, NULL));

    pss_session_free(s);
    fix_world_free(store, ctx);
    EVP_PKEY_free(t.key);
    return check_done();
}
