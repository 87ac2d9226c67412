/* sign.c: the context's signer of fiscal events (possession/fiscal.h, pss_signer): setting
 * it, asking it for an event's signature and refusing what is not one (garbage is an
 * unsigned event, never a failed call), and checking a stored signature. */
#include "fiscal/sign.h"

#include <stdio.h>
#include <string.h>

int pss_ctx_set_signer(pss_ctx *ctx, const pss_signer *signer)
{
    if (!ctx)
        return PSS_EINVAL;
    pss__clear(ctx);
    if (ctx->in_txn)
        return pss__fail(ctx, PSS_ESTATE, "cannot change the signer inside a transaction");
    if (!signer) {
        memset(&ctx->signer, 0, sizeof ctx->signer);
        return 0;
    }
    int rc = pss__check_version(ctx, signer, signer->version, PSS_SIGNER_VERSION, "pss_signer");
    if (!rc && !signer->sign)
        rc = pss__fail(ctx, PSS_EINVAL, "the signer has no 'sign' callback");
    if (!rc)
        ctx->signer = *signer;
    return rc;
}

/* A key id is printable ASCII, not empty, NUL-terminated within its room. */
static bool key_id_ok(const char key[PSS_KEY_ID_SIZE])
{
    size_t n = strnlen(key, PSS_KEY_ID_SIZE);
    if (n == 0 || n == PSS_KEY_ID_SIZE)
        return false;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return false;
    return true;
}

static void to_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void pss__fiscal_sign(pss_ctx *ctx, const uint8_t hash[PSS__CHAIN_HASH_BYTES],
                      pss__signature *out)
{
    memset(out, 0, sizeof *out);
    if (!ctx->signer.sign)
        return;
    uint8_t sig[PSS_SIGNATURE_MAX];
    size_t len = 0;
    char key[PSS_KEY_ID_SIZE];
    memset(key, 0, sizeof key);
    int rc = ctx->signer.sign(ctx->signer.userdata, hash, sig, &len, key);
    if (rc != 0)
        snprintf(out->error, sizeof out->error, "the signer did not sign (it returned %d)", rc);
    else if (len == 0 || len > PSS_SIGNATURE_MAX || !key_id_ok(key))
        snprintf(out->error, sizeof out->error, "the signer returned no usable signature (%zu "
                 "bytes, a key id that is %s)", len, key_id_ok(key) ? "fine" : "not printable "
                 "ASCII of 1 to 127 bytes");
    if (out->error[0])
        return;
    to_hex(sig, len, out->sig);
    memcpy(out->key, key, sizeof key);
    out->made = true;
}

bool pss__fiscal_can_check(const pss_ctx *ctx)
{
    return ctx->signer.check != NULL;
}

static int from_hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool pss__fiscal_sig_good(pss_ctx *ctx, const uint8_t hash[PSS__CHAIN_HASH_BYTES],
                          const char *sig_hex, const char *key)
{
    size_t n = strlen(sig_hex);
    uint8_t sig[PSS_SIGNATURE_MAX];
    if (n == 0 || n % 2 || n / 2 > PSS_SIGNATURE_MAX)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = from_hex_digit(sig_hex[2 * i]), lo = from_hex_digit(sig_hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        sig[i] = (uint8_t)(hi << 4 | lo);
    }
    return ctx->signer.check(ctx->signer.userdata, hash, sig, n / 2, key) == 0;
}
